using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Port53.Analysis;
using Port53.Api.Models;
using Xunit;

namespace Port53.Tests.Analysis
{
    /// <summary>
    /// Seeded random rule sets evaluated by RuleEvaluator and by the brute-force ReferenceEvaluator; they must agree
    /// on Open and on the deciding rule for all four keys of every case.
    /// </summary>
    public class RandomizedComparisonTests
    {
        private static readonly string[] Protocols = { "TCP", "UDP", "ALL", "tcp", "udp", "all", " Udp ", "ICMP", "icmpv6", "GRE" };
        private static readonly string[] Ports = { "ALL", "all", "53", "52", "54", "1-100", "54-60", "53-53", "53,80", "80,53", "22,50-60", "22,54-60", "", null, "abc" };
        private static readonly string[] ServiceEntries = { "udp:53", "tcp:53", "tcp:53,80", "udp:50-60", "udp:all", "all", "icmp", "tcp:80", "udp:54-60", " UDP:53 ", "tcp", "tcp:22,50-60" };
        private static readonly string[] Actions = { "ACCEPT", "DROP", "accept", "drop", "DROP", "ACCEPT" };
        private static readonly string[] V4Blocks =
        {
            "0.0.0.0/0", " 0.0.0.0/0 ", "0.0.0.0/1", "128.0.0.0/1", "0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2",
            "10.0.0.0/8", "10.0.0.0/7", "172.16.0.0/12", "172.0.0.0/8", "192.168.1.0/24", "192.168.0.0/15", "100.64.0.0/10",
            "100.0.0.0/8", "8.8.8.8", "8.8.8.0/24", "1.2.3.4/32", "11.0.0.0/8", "224.0.0.0/3", "127.0.0.1", "169.254.0.0/16", "0.0.0.0/8",
        };
        private static readonly string[] V6Blocks =
        {
            "::/0", "::/1", "8000::/1", "2000::/3", "fc00::/7", "FD00::/8", "fe80::/10", "ff00::/8", "::1", "::", "2001:db8::/32",
            "2001:DB8::1", "fc00::/6", "fe00::/7", "::/3",
        };

        [Fact]
        public void AgreesWithBruteForceReference()
        {
            var rnd = new Random(5353);
            int cases = 2000, open = 0, closedByDrop = 0, closedNoRule = 0, uncertain = 0;
            var failures = new List<string>();
            for (int c = 0; c < cases && failures.Count < 5; c++)
            {
                Case k = Generate(rnd, c);
                var reference = new ReferenceEvaluator(k.Groups, k.Services, k.ServiceGroups, k.Addresses, k.AddressGroups);
                ExposureResult actual = RuleEvaluator.Evaluate(
                    k.Groups.Select(g => new GroupPolicies(g.GroupId, "1", g.Ingress)).ToArray(), k.Catalog);
                foreach (ExposureVerdict v in actual.Verdicts)
                {
                    var expected = reference.Evaluate(v.Protocol == DnsProtocol.Udp, v.Family == IpFamily.IPv6);
                    bool same = expected.Open == v.Open && ReferenceEquals(expected.Deciding, v.DecidingRule?.Policy)
                        && expected.GroupId == v.DecidingRule?.GroupId;
                    if (!same)
                    {
                        failures.Add($"case {c} {v.Key}: expected open={expected.Open} by {Describe(expected.Deciding)}, got {v}\n{k.Dump()}");
                        break;
                    }
                    if (v.Open) open++;
                    else if (v.DecidingRule != null) closedByDrop++;
                    else closedNoRule++;
                    if (!v.IsCertain) uncertain++;
                }
            }
            Assert.True(failures.Count == 0, string.Join("\n\n", failures));
            // The generator must exercise every outcome, or agreement proves little.
            Assert.True(open > cases / 10, "open " + open);
            Assert.True(closedByDrop > cases / 10, "closed by drop " + closedByDrop);
            Assert.True(closedNoRule > cases / 10, "closed, no rule " + closedNoRule);
            Assert.True(uncertain > 50, "uncertain " + uncertain);
        }

        private sealed class Case
        {
            public List<(string GroupId, List<SecurityGroupPolicy> Ingress)> Groups = new List<(string, List<SecurityGroupPolicy>)>();
            public Dictionary<string, List<string>> Services = new Dictionary<string, List<string>>();
            public Dictionary<string, List<string>> ServiceGroups = new Dictionary<string, List<string>>();
            public Dictionary<string, List<string>> Addresses = new Dictionary<string, List<string>>();
            public Dictionary<string, List<string>> AddressGroups = new Dictionary<string, List<string>>();
            public TemplateCatalog Catalog;

            public string Dump()
            {
                var sb = new StringBuilder();
                foreach (var kv in Services) sb.AppendLine($"  {kv.Key}: {string.Join(" | ", kv.Value)}");
                foreach (var kv in ServiceGroups) sb.AppendLine($"  {kv.Key}: {string.Join(" | ", kv.Value)}");
                foreach (var kv in Addresses) sb.AppendLine($"  {kv.Key}: {string.Join(" | ", kv.Value)}");
                foreach (var kv in AddressGroups) sb.AppendLine($"  {kv.Key}: {string.Join(" | ", kv.Value)}");
                foreach (var (id, ingress) in Groups)
                {
                    sb.AppendLine("  " + id);
                    foreach (SecurityGroupPolicy p in ingress) sb.AppendLine("    " + Describe(p));
                }
                return sb.ToString();
            }
        }

        private static string Describe(SecurityGroupPolicy p) => p == null ? "no rule" :
            $"[{p.PolicyIndex}] {p.Action} proto='{p.Protocol}' port='{p.Port}' svc={p.ServiceTemplate?.ServiceId}{p.ServiceTemplate?.ServiceGroupId} " +
            $"src={p.CidrBlock}{p.Ipv6CidrBlock}{p.SecurityGroupId}{p.AddressTemplate?.AddressId}{p.AddressTemplate?.AddressGroupId}";

        private static Case Generate(Random rnd, int c)
        {
            var k = new Case();
            for (int i = rnd.Next(4); i > 0; i--)
            {
                k.Services["ppm-" + c + "s" + i] = Enumerable.Range(0, rnd.Next(1, 4)).Select(_ => Pick(rnd, ServiceEntries)).ToList();
            }
            for (int i = rnd.Next(3); i > 0; i--)
            {
                k.ServiceGroups["ppmg-" + c + "g" + i] = Enumerable.Range(0, rnd.Next(1, 4)).Select(_ => TemplateId(rnd, k.Services.Keys, "ppm-missing")).ToList();
            }
            for (int i = rnd.Next(4); i > 0; i--)
            {
                k.Addresses["ipm-" + c + "a" + i] = Enumerable.Range(0, rnd.Next(1, 4)).Select(_ => AddressEntry(rnd)).ToList();
            }
            for (int i = rnd.Next(3); i > 0; i--)
            {
                k.AddressGroups["ipmg-" + c + "g" + i] = Enumerable.Range(0, rnd.Next(1, 4)).Select(_ => TemplateId(rnd, k.Addresses.Keys, "ipm-missing")).ToList();
            }
            k.Catalog = new TemplateCatalog(
                k.Services.Select(kv => new ServiceTemplate { ServiceTemplateId = kv.Key, ServiceSet = kv.Value }),
                k.ServiceGroups.Select(kv => new ServiceTemplateGroup { ServiceTemplateGroupId = kv.Key, ServiceTemplateIdSet = kv.Value }),
                k.Addresses.Select(kv => new AddressTemplate { AddressTemplateId = kv.Key, AddressSet = kv.Value }),
                k.AddressGroups.Select(kv => new AddressTemplateGroup { AddressTemplateGroupId = kv.Key, AddressTemplateIdSet = kv.Value }));

            int groupCount = rnd.Next(1, 4), ruleCount = rnd.Next(1, 13);
            for (int g = 0; g < groupCount; g++) k.Groups.Add(("sg-" + c + "-" + g, new List<SecurityGroupPolicy>()));
            for (int r = 0; r < ruleCount; r++) k.Groups[rnd.Next(groupCount)].Ingress.Add(Rule(rnd, k));
            foreach (var (_, ingress) in k.Groups)
            {
                switch (rnd.Next(3))
                {
                    case 0: break; // no PolicyIndex: list order
                    case 1: // a shuffled permutation: evaluation order differs from list order
                        int[] perm = Enumerable.Range(0, ingress.Count).OrderBy(_ => rnd.Next()).ToArray();
                        for (int i = 0; i < ingress.Count; i++) ingress[i].PolicyIndex = perm[i];
                        break;
                    default: // small values with ties
                        foreach (SecurityGroupPolicy p in ingress) p.PolicyIndex = rnd.Next(3);
                        break;
                }
            }
            return k;
        }

        private static SecurityGroupPolicy Rule(Random rnd, Case k)
        {
            var p = new SecurityGroupPolicy { Action = Pick(rnd, Actions) };
            if (rnd.Next(5) == 0)
            {
                bool group = rnd.Next(5) < 2;
                p.ServiceTemplate = group
                    ? new ServiceTemplateSpecification { ServiceGroupId = TemplateId(rnd, k.ServiceGroups.Keys, "ppmg-missing") }
                    : new ServiceTemplateSpecification { ServiceId = TemplateId(rnd, k.Services.Keys, "ppm-missing") };
                p.Protocol = "";
                p.Port = "";
            }
            else
            {
                p.Protocol = Pick(rnd, Protocols);
                p.Port = Pick(rnd, Ports);
            }
            int source = rnd.Next(20);
            if (source < 10) p.CidrBlock = rnd.Next(4) == 0 ? RandomCidr(rnd, false) : Pick(rnd, V4Blocks);
            else if (source < 14) p.Ipv6CidrBlock = rnd.Next(4) == 0 ? RandomCidr(rnd, true) : Pick(rnd, V6Blocks);
            else if (source < 15) p.SecurityGroupId = "sg-peer";
            else if (rnd.Next(5) < 2) p.AddressTemplate = new AddressTemplateSpecification { AddressGroupId = TemplateId(rnd, k.AddressGroups.Keys, "ipmg-missing") };
            else p.AddressTemplate = new AddressTemplateSpecification { AddressId = TemplateId(rnd, k.Addresses.Keys, "ipm-missing") };
            return p;
        }

        private static string TemplateId(Random rnd, ICollection<string> known, string missing) =>
            known.Count == 0 || rnd.Next(10) == 0 ? missing : known.ElementAt(rnd.Next(known.Count));

        private static string AddressEntry(Random rnd)
        {
            switch (rnd.Next(5))
            {
                case 0: return Pick(rnd, V4Blocks);
                case 1: return Pick(rnd, V6Blocks);
                case 2: return RandomCidr(rnd, rnd.Next(3) == 0);
                case 3: return RandomAddress(rnd, false);
                default: // a range, in order
                    bool v6 = rnd.Next(4) == 0;
                    var (a, b) = (RandomAddress(rnd, v6), RandomAddress(rnd, v6));
                    return string.CompareOrdinal(Key(a, v6), Key(b, v6)) <= 0 ? a + "-" + b : b + " - " + a;
            }
        }

        private static string Key(string address, bool v6) =>
            string.Concat(System.Net.IPAddress.Parse(address).GetAddressBytes().Select(x => x.ToString("x2")));

        private static string RandomAddress(Random rnd, bool v6)
        {
            var bytes = new byte[v6 ? 16 : 4];
            rnd.NextBytes(bytes);
            // Bias toward the interesting top of the space (private, CGNAT, ULA, link-local, multicast).
            if (!v6 && rnd.Next(2) == 0) bytes[0] = (byte)Pick(rnd, new[] { 10, 100, 127, 169, 172, 192, 224, 0, 8 });
            if (v6 && rnd.Next(2) == 0) { bytes[0] = (byte)Pick(rnd, new[] { 0xfc, 0xfd, 0xfe, 0xff, 0x20, 0x00 }); }
            return new System.Net.IPAddress(bytes).ToString();
        }

        private static string RandomCidr(Random rnd, bool v6)
        {
            int prefix = v6 ? Pick(rnd, new[] { 0, 1, 2, 3, 7, 8, 10, 16, 48, 64, 127, 128 }) : rnd.Next(0, 33);
            string text = RandomAddress(rnd, v6) + "/" + prefix;
            return rnd.Next(3) == 0 ? text.ToUpperInvariant() : text;
        }

        private static T Pick<T>(Random rnd, T[] items) => items[rnd.Next(items.Length)];
    }
}
