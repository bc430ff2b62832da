using System;
using System.Collections.Generic;
using Port53.Analysis;
using Port53.Api.Models;

namespace Port53.Benchmarks
{
    /// <summary>
    /// Realistic security groups and a region's template catalog, shaped like what the audit meets in a fleet:
    /// mostly rules that do not concern port 53 (web, SSH, ICMP, private ranges, source groups) with the rule that
    /// decides port 53 near the bottom, so evaluation has to walk almost every rule for every key.
    /// </summary>
    internal static class Scenarios
    {
        /// <summary>20 rules of mixed protocols, ports and sources; UDP/TCP 53 opened by the last three.</summary>
        public static GroupPolicies Mixed20()
        {
            var r = new List<SecurityGroupPolicy>
            {
                Rule("ICMP", "ALL", v4: "0.0.0.0/0"),
                Rule("TCP", "22", v4: "203.0.113.0/24"),
                Rule("TCP", "80,443", v4: "0.0.0.0/0"),
                Rule("TCP", "80,443", v6: "::/0"),
                Rule("TCP", "3389", v4: "198.51.100.7/32"),
                Rule("ALL", "ALL", sg: "sg-office01"),
                Rule("UDP", "123", v4: "0.0.0.0/0"),
                Rule("TCP", "3306", v4: "10.0.0.0/8"),
                Rule("TCP", "6379", v4: "172.16.0.0/12"),
                Rule("UDP", "500,4500", v4: "0.0.0.0/0"),
                Rule("TCP", "8000-8999", v4: "0.0.0.0/0"),
                Rule("ICMPv6", "ALL", v6: "::/0"),
                Rule("TCP", "1-52", v4: "192.168.0.0/16"),
                Rule("UDP", "1-1024", v4: "10.0.0.0/8"),
                Rule("TCP", "25", v4: "0.0.0.0/0", action: "DROP"),
                Rule("GRE", "ALL", v4: "0.0.0.0/0"),
                Rule("TCP", "9000-9100", v6: "2001:db8::/32"),
                Rule("UDP", "53", v4: "0.0.0.0/0"),
                Rule("TCP", "53", v4: "0.0.0.0/0"),
                Rule("ALL", "53", v6: "::/0"),
            };
            return Group("sg-mixed20", r);
        }

        /// <summary>
        /// 21 rules: resolver-abuse DROPs for parts of the public space (each one a set subtraction), then ACCEPTs
        /// for the rest over IPv4 and two half-space DROPs that together close IPv6.
        /// </summary>
        public static GroupPolicies PartialDrops()
        {
            var r = new List<SecurityGroupPolicy>
            {
                Rule("TCP", "22", v4: "203.0.113.0/24"),
                Rule("UDP", "53", v4: "1.0.0.0/8", action: "DROP"),
                Rule("UDP", "53", v4: "8.0.0.0/8", action: "DROP"),
                Rule("TCP", "53", v4: "8.8.0.0/16", action: "DROP"),
                Rule("ALL", "53", v4: "114.114.0.0/16", action: "DROP"),
                Rule("UDP", "53", v4: "223.5.5.0/24", action: "DROP"),
                Rule("TCP", "80,443", v4: "0.0.0.0/0"),
                Rule("UDP", "53", v6: "2400:3200::/32", action: "DROP"),
                Rule("ALL", "53", v6: "2001:4860::/32", action: "DROP"),
                Rule("UDP", "53", v4: "100.0.0.0/6", action: "DROP"),
                Rule("TCP", "53", v4: "120.0.0.0/5", action: "DROP"),
                Rule("UDP", "53", v4: "180.0.0.0/6", action: "DROP"),
                Rule("ALL", "53", v4: "200.0.0.0/5", action: "DROP"),
                Rule("TCP", "53", v4: "40.0.0.0/5", action: "DROP"),
                Rule("UDP", "53", v4: "60.0.0.0/6", action: "DROP"),
                Rule("ALL", "53", v6: "2409::/16", action: "DROP"),
                Rule("ICMP", "ALL", v4: "0.0.0.0/0"),
                Rule("UDP", "53", v4: "0.0.0.0/0"),
                Rule("TCP", "53", v4: "0.0.0.0/0"),
                Rule("ALL", "53", v6: "::/1", action: "DROP"),
                Rule("ALL", "53", v6: "8000::/1", action: "DROP"),
            };
            return Group("sg-partialdrops", r);
        }

        /// <summary>
        /// Three groups bound in order (base, app, dns) using service and address templates and template groups;
        /// the third group's template rule decides.
        /// </summary>
        public static GroupPolicies[] ThreeGroupsWithTemplates()
        {
            var baseGroup = new List<SecurityGroupPolicy>
            {
                Rule("ICMP", "ALL", v4: "0.0.0.0/0"),
                Svc("ppm-mgmt", addrGroup: "ipmg-trusted"),
                Rule("TCP", "22", v4: "10.0.0.0/8"),
                Svc("ppm-web", addr: "ipm-any"),
                Rule("ALL", "ALL", sg: "sg-bastion01"),
                Rule("UDP", "123", v4: "0.0.0.0/0"),
                Rule("ICMPv6", "ALL", v6: "::/0"),
                Svc("ppm-monitor", addr: "ipm-office"),
            };
            var appGroup = new List<SecurityGroupPolicy>
            {
                Svc("ppm-dns", addr: "ipm-partners", action: "DROP"),
                Rule("TCP", "8080", v4: "0.0.0.0/0"),
                SvcGroup("ppmg-app", addr: "ipm-office"),
                Rule("TCP", "6379", v4: "172.16.0.0/12"),
                Rule("UDP", "1-52", v4: "0.0.0.0/0"),
                Rule("TCP", "54-65535", v4: "0.0.0.0/0", action: "DROP"),
                Rule("ALL", "ALL", sg: "sg-app01"),
                Svc("ppm-web", addr: "ipm-any6"),
            };
            var dnsGroup = new List<SecurityGroupPolicy>
            {
                Svc("ppm-mgmt", addr: "ipm-office"),
                Rule("TCP", "443", v4: "0.0.0.0/0"),
                Rule("ALL", "ALL", sg: "sg-dns01"),
                Svc("ppm-dns", addr: "ipm-partners"),
                Rule("UDP", "5353", v4: "0.0.0.0/0"),
                Rule("TCP", "853", v4: "0.0.0.0/0"),
                SvcGroup("ppmg-infra", addr: "ipm-any"),
                SvcGroup("ppmg-infra", addr: "ipm-any6"),
            };
            return new[] { Group("sg-base", baseGroup), Group("sg-app", appGroup), Group("sg-dns", dnsGroup) };
        }

        /// <summary>
        /// 100 rules (the default per-direction quota): application ports from partner and office ranges, private
        /// ranges, some partial DNS DROPs; everything opened by the last two rules.
        /// </summary>
        public static GroupPolicies Quota100()
        {
            var r = new List<SecurityGroupPolicy>(100);
            for (int i = 0; i < 98; i++)
            {
                switch (i % 7)
                {
                    case 0: r.Add(Rule("TCP", (1000 + i).ToString(), v4: "203.0." + (i % 256) + ".0/24")); break;
                    case 1: r.Add(Rule("UDP", (2000 + i) + "-" + (2010 + i), v4: (11 + i) + ".0.0.0/8")); break;
                    case 2: r.Add(Rule("TCP", "80,443," + (8000 + i), v6: "2001:db8:" + i.ToString("x") + "::/48")); break;
                    case 3: r.Add(Rule("ALL", "ALL", v4: "10." + i + ".0.0/16")); break;
                    case 4: r.Add(Rule("ALL", "53", v4: (101 + i) + ".1.0.0/16", action: "DROP")); break;
                    case 5: r.Add(Rule("TCP", "3306,5432,6379", sg: "sg-db" + i.ToString("d4"))); break;
                    default: r.Add(Rule("UDP", "123,161", v4: "198.51." + i + ".0/24")); break;
                }
            }
            r.Add(Rule("ALL", "ALL", v4: "0.0.0.0/0"));
            r.Add(Rule("ALL", "ALL", v6: "::/0"));
            return Group("sg-quota100", r);
        }

        /// <summary>The templates the three-group scenario refers to.</summary>
        public static TemplateCatalog SmallCatalog() => BuildCatalog(SmallServiceTemplates(), SmallServiceGroups(), SmallAddressTemplates(), SmallAddressGroups());

        public static TemplateCatalog BuildCatalog(ServiceTemplate[] s, ServiceTemplateGroup[] sg, AddressTemplate[] a, AddressTemplateGroup[] ag) =>
            new TemplateCatalog(s, sg, a, ag);

        public static ServiceTemplate[] SmallServiceTemplates() => new[]
        {
            ServiceT("ppm-dns", "udp:53", "tcp:53"),
            ServiceT("ppm-web", "tcp:80", "tcp:443"),
            ServiceT("ppm-mgmt", "tcp:22", "tcp:3389"),
            ServiceT("ppm-monitor", "tcp:9100", "udp:161-162"),
            ServiceT("ppm-app", "tcp:8000-8999", "udp:9000,9001"),
        };

        public static ServiceTemplateGroup[] SmallServiceGroups() => new[]
        {
            ServiceG("ppmg-infra", "ppm-dns", "ppm-mgmt"),
            ServiceG("ppmg-app", "ppm-web", "ppm-app"),
        };

        public static AddressTemplate[] SmallAddressTemplates() => new[]
        {
            AddressT("ipm-office", "203.0.113.0/24", "198.51.100.0/24"),
            AddressT("ipm-partners", "1.2.3.0/24", "8.8.8.8", "114.114.114.0/24", "2400:3200::/32"),
            AddressT("ipm-any", "0.0.0.0/0"),
            AddressT("ipm-any6", "::/0"),
        };

        public static AddressTemplateGroup[] SmallAddressGroups() => new[]
        {
            AddressG("ipmg-trusted", "ipm-office", "ipm-partners"),
        };

        /// <summary>
        /// A large region's catalog: 40 service templates, 10 service groups, 40 address templates of 8 entries
        /// (CIDRs, single addresses, ranges, IPv6), 10 address groups.
        /// </summary>
        public static (ServiceTemplate[], ServiceTemplateGroup[], AddressTemplate[], AddressTemplateGroup[]) RegionCatalogInput()
        {
            var services = new ServiceTemplate[40];
            for (int i = 0; i < services.Length; i++)
            {
                services[i] = ServiceT("ppm-" + i.ToString("d8"), "tcp:" + (1000 + i * 10), "udp:" + (2000 + i) + "-" + (2100 + i),
                    "tcp:80,443," + (8000 + i), i % 5 == 0 ? "udp:53" : "icmp");
            }
            var serviceGroups = new ServiceTemplateGroup[10];
            for (int i = 0; i < serviceGroups.Length; i++)
            {
                serviceGroups[i] = ServiceG("ppmg-" + i.ToString("d8"), services[i * 4].ServiceTemplateId, services[i * 4 + 1].ServiceTemplateId,
                    services[i * 4 + 2].ServiceTemplateId, services[i * 4 + 3].ServiceTemplateId);
            }
            var addresses = new AddressTemplate[40];
            for (int i = 0; i < addresses.Length; i++)
            {
                addresses[i] = AddressT("ipm-" + i.ToString("d8"),
                    (20 + i) + ".0.0.0/16", (60 + i) + ".1.2.0/24", (100 + i) + ".3.4.5", "10." + i + ".0.0/16",
                    (140 + i) + ".0.0.1-" + (140 + i) + ".0.0.200", "2400:" + (0x100 + i).ToString("x") + "::/32",
                    "2001:db8:" + i.ToString("x") + "::1", (180 + i % 40) + ".9.0.0/20");
            }
            var addressGroups = new AddressTemplateGroup[10];
            for (int i = 0; i < addressGroups.Length; i++)
            {
                addressGroups[i] = AddressG("ipmg-" + i.ToString("d8"), addresses[i * 4].AddressTemplateId, addresses[i * 4 + 1].AddressTemplateId,
                    addresses[i * 4 + 2].AddressTemplateId, addresses[i * 4 + 3].AddressTemplateId);
            }
            return (services, serviceGroups, addresses, addressGroups);
        }

        /// <summary>
        /// How many rules evaluation visits for these groups: per key, the rules up to and including the deciding
        /// one (all rules when none decides), summed over the four keys. RuleEvaluator stops at the deciding rule,
        /// so this is exactly the work done.
        /// </summary>
        public static int RulesVisited(IReadOnlyList<ParsedGroup> groups, ExposureResult result)
        {
            int total = 0;
            foreach (ParsedGroup g in groups) total += g.Rules.Count;
            int visited = 0;
            foreach (ExposureVerdict v in result.Verdicts)
            {
                RuleReference d = v.DecidingRule;
                if (d == null)
                {
                    visited += total;
                    continue;
                }
                int offset = 0;
                foreach (ParsedGroup g in groups)
                {
                    if (g.SecurityGroupId == d.GroupId) break;
                    offset += g.Rules.Count;
                }
                visited += offset + d.Position + 1;
            }
            return visited;
        }

        public static ParsedGroup[] ParseAll(IReadOnlyList<GroupPolicies> groups, TemplateCatalog catalog)
        {
            var parsed = new ParsedGroup[groups.Count];
            for (int i = 0; i < parsed.Length; i++) parsed[i] = ParsedGroup.Parse(groups[i], catalog);
            return parsed;
        }

        private static GroupPolicies Group(string id, List<SecurityGroupPolicy> rules)
        {
            for (int i = 0; i < rules.Count; i++)
            {
                rules[i].PolicyIndex = i;
                rules[i].ModifyTime = "2025-03-0" + (1 + i % 9) + " 10:" + (10 + i % 50) + ":00";
            }
            return new GroupPolicies(id, "17", rules);
        }

        private static SecurityGroupPolicy Rule(string protocol, string port, string v4 = null, string v6 = null, string sg = null, string action = "ACCEPT") =>
            new SecurityGroupPolicy
            {
                Protocol = protocol,
                Port = port,
                CidrBlock = v4 ?? "",
                Ipv6CidrBlock = v6 ?? "",
                SecurityGroupId = sg ?? "",
                ServiceTemplate = new ServiceTemplateSpecification { ServiceId = "", ServiceGroupId = "" },
                AddressTemplate = new AddressTemplateSpecification { AddressId = "", AddressGroupId = "" },
                Action = action,
                PolicyDescription = protocol + " " + port,
            };

        private static SecurityGroupPolicy Svc(string serviceId, string addr = null, string addrGroup = null, string action = "ACCEPT") =>
            Templated(new ServiceTemplateSpecification { ServiceId = serviceId, ServiceGroupId = "" }, addr, addrGroup, action);

        private static SecurityGroupPolicy SvcGroup(string serviceGroupId, string addr = null, string addrGroup = null, string action = "ACCEPT") =>
            Templated(new ServiceTemplateSpecification { ServiceId = "", ServiceGroupId = serviceGroupId }, addr, addrGroup, action);

        private static SecurityGroupPolicy Templated(ServiceTemplateSpecification service, string addr, string addrGroup, string action) =>
            new SecurityGroupPolicy
            {
                Protocol = "",
                Port = "",
                CidrBlock = "",
                Ipv6CidrBlock = "",
                SecurityGroupId = "",
                ServiceTemplate = service,
                AddressTemplate = new AddressTemplateSpecification { AddressId = addr ?? "", AddressGroupId = addrGroup ?? "" },
                Action = action,
                PolicyDescription = "templated",
            };

        private static ServiceTemplate ServiceT(string id, params string[] entries) =>
            new ServiceTemplate { ServiceTemplateId = id, ServiceTemplateName = id, ServiceSet = new List<string>(entries) };

        private static ServiceTemplateGroup ServiceG(string id, params string[] members) =>
            new ServiceTemplateGroup { ServiceTemplateGroupId = id, ServiceTemplateGroupName = id, ServiceTemplateIdSet = new List<string>(members) };

        private static AddressTemplate AddressT(string id, params string[] entries) =>
            new AddressTemplate { AddressTemplateId = id, AddressTemplateName = id, AddressSet = new List<string>(entries) };

        private static AddressTemplateGroup AddressG(string id, params string[] members) =>
            new AddressTemplateGroup { AddressTemplateGroupId = id, AddressTemplateGroupName = id, AddressTemplateIdSet = new List<string>(members) };
    }
}
