using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Port53.Emulator.Model;

namespace Port53.Emulator.Generator
{
    /// <summary>"instances=N,regions=N,groups=N,exposed=0.3,lighthouse=N,seed=N" (any subset, any order).</summary>
    public sealed class GeneratorSpec
    {
        public int Instances { get; set; } = 100;
        public int Regions { get; set; } = 4;
        public int Groups { get; set; } = 20;
        /// <summary>Share of security groups that expose port 53 to the internet (exactly round(Groups * Exposed)).</summary>
        public double Exposed { get; set; } = 0.3;
        public int Seed { get; set; } = 1;
        /// <summary>Lighthouse instances, spread over the regions like the CVM ones; none by default.</summary>
        public int Lighthouse { get; set; }
        /// <summary>Accounts, each with this fleet (its own ids and keys); more than one makes an organization of them.</summary>
        public int Accounts { get; set; } = 1;

        public static GeneratorSpec Parse(string text)
        {
            var spec = new GeneratorSpec();
            foreach (string part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                int eq = part.IndexOf('=');
                if (eq <= 0) throw new FormatException("Generator spec: '" + part + "' is not name=value.");
                string name = part.Substring(0, eq).Trim().ToLowerInvariant(), value = part.Substring(eq + 1).Trim();
                switch (name)
                {
                    case "instances": spec.Instances = Int(name, value, 0); break;
                    case "regions": spec.Regions = Int(name, value, 1); break;
                    case "groups": spec.Groups = Int(name, value, 0); break;
                    case "seed": spec.Seed = Int(name, value, int.MinValue); break;
                    case "lighthouse": spec.Lighthouse = Int(name, value, 0); break;
                    case "accounts": spec.Accounts = Int(name, value, 1); break;
                    case "exposed":
                        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double e) || e < 0 || e > 1)
                            throw new FormatException("Generator spec: exposed must be a number between 0 and 1, got '" + value + "'.");
                        spec.Exposed = e;
                        break;
                    default: throw new FormatException("Generator spec: unknown setting '" + name + "' (instances, regions, groups, exposed, lighthouse, accounts, seed).");
                }
            }
            return spec;
        }

        private static int Int(string name, string value, int min)
        {
            if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n) || n < min)
                throw new FormatException("Generator spec: " + name + " must be an integer >= " + min + ", got '" + value + "'.");
            return n;
        }

        public override string ToString() => string.Format(CultureInfo.InvariantCulture,
            "instances={0},regions={1},groups={2},exposed={3},{5}{6}seed={4}", Instances, Regions, Groups, Exposed, Seed,
            Lighthouse > 0 ? "lighthouse=" + Lighthouse.ToString(CultureInfo.InvariantCulture) + "," : "",
            Accounts > 1 ? "accounts=" + Accounts.ToString(CultureInfo.InvariantCulture) + "," : "");
    }

    /// <summary>
    /// Deterministic large fleets: the same spec gives the same fleet, byte for byte. Groups are spread over the
    /// regions; each instance binds 1–3 groups of its region, picked with a strong skew so a few groups are shared
    /// by many instances. Exposed groups open 53 in assorted ways; the rest are closed or private-only. Every
    /// group's SecurityGroupDesc says which ("exposed: ..." / "closed: ..."). Lighthouse instances come after, from a
    /// random sequence of their own (so adding them leaves the CVM fleet as it was), their firewalls taking the kinds
    /// of <see cref="LighthouseKinds"/> in turn; each InstanceName starts with its kind.
    /// </summary>
    public static class FleetGenerator
    {
        private static readonly (string Id, string Name)[] KnownRegions =
        {
            ("ap-guangzhou", "South China(Guangzhou)"), ("ap-shanghai", "East China(Shanghai)"), ("ap-beijing", "North China(Beijing)"),
            ("ap-chengdu", "Southwest China(Chengdu)"), ("ap-chongqing", "Southwest China(Chongqing)"), ("ap-nanjing", "East China(Nanjing)"),
            ("ap-hongkong", "Hong Kong, Macau and Taiwan (China)(Hong Kong, China)"), ("ap-singapore", "Southeast Asia(Singapore)"),
            ("ap-bangkok", "Southeast Asia(Bangkok)"), ("ap-jakarta", "Southeast Asia(Jakarta)"), ("ap-seoul", "East Asia(Seoul)"),
            ("ap-tokyo", "East Asia(Tokyo)"), ("ap-mumbai", "South Asia(Mumbai)"), ("na-siliconvalley", "West US(Silicon Valley)"),
            ("na-ashburn", "East US(Virginia)"), ("na-toronto", "North America(Toronto)"), ("eu-frankfurt", "Europe(Frankfurt)"),
            ("sa-saopaulo", "South America(São Paulo)"), ("ap-shanghai-fsi", "East China(Shanghai Finance)"),
            ("ap-shenzhen-fsi", "South China(Shenzhen Finance)"), ("ap-beijing-fsi", "North China(Beijing Finance)"),
            ("ap-taipei", "Hong Kong, Macau and Taiwan (China)(Taipei, China)"), ("eu-moscow", "Europe(Moscow)"),
        };

        private const string Created = "2024-03-01T08:00:00Z";
        private const string CreatedLocal = "2024-03-01 16:00:00";

        public static Fleet Generate(string spec) => Generate(GeneratorSpec.Parse(spec));

        /// <summary>Every member account of a generated organization has this role, trusting the management (first) account.</summary>
        public const string MemberRole = "OrganizationAccessControlRole";

        /// <summary>
        /// The fleet of the spec; with accounts=N, the first account at the top level and N-1 more in Accounts, each the
        /// same fleet drawn from the same sequence under ids of its own, in an organization the first one manages.
        /// </summary>
        public static Fleet Generate(GeneratorSpec spec)
        {
            var fleet = new Fleet { Zones = null };
            Fill(fleet, spec, 0);
            fleet.Credentials.Add(new Credential { SecretId = Hosting.EmulatorOptions.DefaultSecretId, SecretKey = Hosting.EmulatorOptions.DefaultSecretKey });
            if (spec.Accounts < 2) return fleet;

            const long management = Hosting.EmulatorOptions.DefaultAccountUin;
            fleet.Accounts = new List<FleetAccount>();
            fleet.Organization = new FleetOrganization { ManagementUin = management, Members = new List<OrganizationMember>() };
            for (int a = 1; a < spec.Accounts; a++)
            {
                string n = a.ToString("D6", CultureInfo.InvariantCulture);
                var account = new FleetAccount
                {
                    Uin = management + a, Name = "generated-" + n, Zones = null,
                    Roles = new List<FleetRole> { new FleetRole { RoleName = MemberRole, TrustedUins = new List<long> { management } } },
                };
                Fill(account, spec, a);
                account.Credentials.Add(new Credential { SecretId = "AKIDPort53EmulatorMember" + n + "000000", SecretKey = "Port53EmulatorMemberSecret" + n });
                fleet.Accounts.Add(account);
                fleet.Organization.Members.Add(new OrganizationMember { MemberUin = management + a, Name = account.Name });
            }
            return fleet;
        }

        private static void Fill(AccountFleet fleet, GeneratorSpec spec, int account)
        {
            var random = new Random(spec.Seed);
            var ids = new IdMaker(spec.Seed, account);
            var regions = new List<string>(spec.Regions);
            for (int r = 0; r < spec.Regions; r++)
            {
                var (id, name) = r < KnownRegions.Length ? KnownRegions[r] : ("xx-generated-" + r, "Generated region " + r);
                regions.Add(id);
                fleet.Regions.Add(new Model.RegionInfo { Region = id, RegionName = name, RegionState = "AVAILABLE" });
            }

            var templates = new RegionTemplates[spec.Regions];
            for (int r = 0; r < spec.Regions; r++) templates[r] = AddTemplates(fleet, regions[r], r, ids);

            // Exactly round(Groups * Exposed) exposed groups, chosen by a seeded shuffle.
            int exposedCount = (int)Math.Round(spec.Groups * spec.Exposed, MidpointRounding.AwayFromZero);
            int[] order = Enumerable.Range(0, spec.Groups).ToArray();
            for (int i = order.Length - 1; i > 0; i--)
            {
                int j = random.Next(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
            var exposed = new bool[spec.Groups];
            for (int i = 0; i < exposedCount; i++) exposed[order[i]] = true;

            var groupsByRegion = new List<string>[spec.Regions];
            for (int r = 0; r < spec.Regions; r++) groupsByRegion[r] = new List<string>();
            for (int g = 0; g < spec.Groups; g++)
            {
                int r = g % spec.Regions;
                string id = ids.Next("sg-", g);
                string previous = groupsByRegion[r].Count > 0 ? groupsByRegion[r][groupsByRegion[r].Count - 1] : null;
                groupsByRegion[r].Add(id);
                fleet.SecurityGroups.Add(MakeGroup(id, regions[r], g, exposed[g], previous, templates[r], random));
            }

            for (int n = 0; n < spec.Instances; n++)
            {
                int r = n % spec.Regions;
                fleet.Instances.Add(MakeInstance(n, regions[r], groupsByRegion[r], ids, random));
            }
            var lighthouseRandom = new Random(unchecked(spec.Seed * 31 + 17));
            for (int n = 0; n < spec.Lighthouse; n++)
                fleet.LighthouseInstances.Add(MakeLighthouseInstance(n, regions[n % spec.Regions], ids, lighthouseRandom));
        }

        private sealed class RegionTemplates
        {
            public string DnsUdp, DnsTcp, Web, DnsGroup, Public4, Public6, Office, PublicGroup;
        }

        private static RegionTemplates AddTemplates(AccountFleet fleet, string region, int r, IdMaker ids)
        {
            var t = new RegionTemplates
            {
                DnsUdp = ids.Next("ppm-", r * 3), DnsTcp = ids.Next("ppm-", r * 3 + 1), Web = ids.Next("ppm-", r * 3 + 2),
                DnsGroup = ids.Next("ppmg-", r),
                Public4 = ids.Next("ipm-", r * 3), Public6 = ids.Next("ipm-", r * 3 + 1), Office = ids.Next("ipm-", r * 3 + 2),
                PublicGroup = ids.Next("ipmg-", r),
            };
            fleet.ServiceTemplates.Add(new ServiceTemplate { Region = region, ServiceTemplateId = t.DnsUdp, ServiceTemplateName = "dns-udp", ServiceSet = new List<string> { "udp:53" }, CreatedTime = CreatedLocal });
            fleet.ServiceTemplates.Add(new ServiceTemplate { Region = region, ServiceTemplateId = t.DnsTcp, ServiceTemplateName = "dns-tcp", ServiceSet = new List<string> { "tcp:53" }, CreatedTime = CreatedLocal });
            fleet.ServiceTemplates.Add(new ServiceTemplate { Region = region, ServiceTemplateId = t.Web, ServiceTemplateName = "web", ServiceSet = new List<string> { "tcp:80", "tcp:443" }, CreatedTime = CreatedLocal });
            fleet.ServiceTemplateGroups.Add(new ServiceTemplateGroup { Region = region, ServiceTemplateGroupId = t.DnsGroup, ServiceTemplateGroupName = "dns", ServiceTemplateIdSet = new List<string> { t.DnsUdp, t.DnsTcp }, CreatedTime = CreatedLocal });
            fleet.AddressTemplates.Add(new AddressTemplate { Region = region, AddressTemplateId = t.Public4, AddressTemplateName = "anywhere-v4", AddressSet = new List<string> { "0.0.0.0/0" }, CreatedTime = CreatedLocal });
            fleet.AddressTemplates.Add(new AddressTemplate { Region = region, AddressTemplateId = t.Public6, AddressTemplateName = "anywhere-v6", AddressSet = new List<string> { "::/0" }, CreatedTime = CreatedLocal });
            fleet.AddressTemplates.Add(new AddressTemplate { Region = region, AddressTemplateId = t.Office, AddressTemplateName = "office", AddressSet = new List<string> { "10.0.0.0/8", "192.168.0.0/16" }, CreatedTime = CreatedLocal });
            fleet.AddressTemplateGroups.Add(new AddressTemplateGroup { Region = region, AddressTemplateGroupId = t.PublicGroup, AddressTemplateGroupName = "anywhere", AddressTemplateIdSet = new List<string> { t.Public4, t.Public6 }, CreatedTime = CreatedLocal });
            return t;
        }

        private static SecurityGroupPolicy Rule(string protocol, string port, string cidr, string action = "ACCEPT", string description = null)
        {
            var p = new SecurityGroupPolicy { Protocol = protocol, Port = port, Action = action, PolicyDescription = description ?? "", ModifyTime = CreatedLocal };
            if (cidr.Contains(':')) p.Ipv6CidrBlock = cidr; else p.CidrBlock = cidr;
            return p;
        }

        private static SecurityGroup MakeGroup(string id, string region, int g, bool exposed, string sibling, RegionTemplates t, Random random)
        {
            var ingress = new List<SecurityGroupPolicy>();
            string pattern;
            if (exposed)
            {
                // Harmless rules first, then the exposing one: no earlier rule decides port 53.
                if (random.Next(2) == 0) ingress.Add(Rule("TCP", "22", "10.0.0.0/8"));
                if (random.Next(2) == 0) ingress.Add(Rule("TCP", "443", "0.0.0.0/0"));
                switch (random.Next(11))
                {
                    case 0: pattern = "ALL ports from 0.0.0.0/0"; ingress.Add(Rule("ALL", "ALL", "0.0.0.0/0")); break;
                    case 1: pattern = "UDP 53 from 0.0.0.0/0"; ingress.Add(Rule("UDP", "53", "0.0.0.0/0")); break;
                    case 2: pattern = "TCP 53 from 0.0.0.0/0"; ingress.Add(Rule("tcp", "53", "0.0.0.0/0")); break;
                    case 3: pattern = "UDP range 50-60 from 0.0.0.0/0"; ingress.Add(Rule("udp", "50-60", "0.0.0.0/0")); break;
                    case 4: pattern = "TCP list 53,80,443 from 0.0.0.0/0"; ingress.Add(Rule("TCP", "53,80,443", "0.0.0.0/0")); break;
                    case 5: pattern = "UDP 53 from ::/0"; ingress.Add(Rule("UDP", "53", "::/0")); break;
                    case 6:
                        pattern = "service template udp:53 from 0.0.0.0/0";
                        ingress.Add(new SecurityGroupPolicy { ServiceTemplate = new ServiceTemplateSpecification { ServiceId = t.DnsUdp }, CidrBlock = "0.0.0.0/0", Action = "ACCEPT", PolicyDescription = "", ModifyTime = CreatedLocal });
                        break;
                    case 7:
                        pattern = "service template group dns from 0.0.0.0/0";
                        ingress.Add(new SecurityGroupPolicy { ServiceTemplate = new ServiceTemplateSpecification { ServiceGroupId = t.DnsGroup }, CidrBlock = "0.0.0.0/0", Action = "ACCEPT", PolicyDescription = "", ModifyTime = CreatedLocal });
                        break;
                    case 8:
                        pattern = "UDP 53 from address template 0.0.0.0/0";
                        ingress.Add(new SecurityGroupPolicy { Protocol = "UDP", Port = "53", AddressTemplate = new AddressTemplateSpecification { AddressId = t.Public4 }, Action = "ACCEPT", PolicyDescription = "", ModifyTime = CreatedLocal });
                        break;
                    case 9:
                        pattern = "TCP 53 from address template group anywhere";
                        ingress.Add(new SecurityGroupPolicy { Protocol = "TCP", Port = "53", AddressTemplate = new AddressTemplateSpecification { AddressGroupId = t.PublicGroup }, Action = "ACCEPT", PolicyDescription = "", ModifyTime = CreatedLocal });
                        break;
                    default: pattern = "UDP 1-1024 from public range 119.28.0.0/16"; ingress.Add(Rule("UDP", "1-1024", "119.28.0.0/16")); break;
                }
            }
            else
            {
                switch (random.Next(sibling == null ? 5 : 6))
                {
                    case 0: pattern = "web only"; ingress.Add(Rule("TCP", "80,443", "0.0.0.0/0")); ingress.Add(Rule("TCP", "22", "10.0.0.0/8")); break;
                    case 1: pattern = "DNS from private ranges only"; ingress.Add(Rule("UDP", "53", "10.0.0.0/8")); ingress.Add(Rule("TCP", "53", "172.16.0.0/12")); break;
                    case 2:
                        pattern = "DROP 53 before ALL";
                        ingress.Add(Rule("UDP", "53", "0.0.0.0/0", "DROP", "port53-block"));
                        ingress.Add(Rule("TCP", "53", "0.0.0.0/0", "DROP", "port53-block"));
                        ingress.Add(Rule("ALL", "ALL", "0.0.0.0/0"));
                        break;
                    case 3:
                        pattern = "DNS from office address template";
                        ingress.Add(new SecurityGroupPolicy { Protocol = "UDP", Port = "53", AddressTemplate = new AddressTemplateSpecification { AddressId = t.Office }, Action = "ACCEPT", PolicyDescription = "", ModifyTime = CreatedLocal });
                        break;
                    case 4: pattern = "no inbound rules"; break;
                    default:
                        pattern = "ALL from a source security group";
                        ingress.Add(new SecurityGroupPolicy { Protocol = "ALL", Port = "ALL", SecurityGroupId = sibling, Action = "ACCEPT", PolicyDescription = "", ModifyTime = CreatedLocal });
                        break;
                }
            }
            return new SecurityGroup
            {
                Region = region, SecurityGroupId = id,
                SecurityGroupName = string.Format(CultureInfo.InvariantCulture, "gen-{0:D5}-{1}", g, exposed ? "exposed" : "closed"),
                SecurityGroupDesc = (exposed ? "exposed: " : "closed: ") + pattern,
                ProjectId = "0", IsDefault = false, CreatedTime = CreatedLocal, UpdateTime = CreatedLocal,
                TagSet = new List<Tag> { new Tag { Key = "generated", Value = "true" } },
                SecurityGroupPolicySet = new SecurityGroupPolicySet
                {
                    Version = "1", Ingress = ingress,
                    Egress = new List<SecurityGroupPolicy> { Rule("ALL", "ALL", "0.0.0.0/0") },
                },
            };
        }

        private static readonly string[] Envs = { "prod", "staging", "dev" };
        private static readonly string[] Teams = { "dns", "web", "data", "ops" };

        private static Instance MakeInstance(int n, string region, List<string> regionGroups, IdMaker ids, Random random)
        {
            var groups = new List<string>(3);
            int want = Math.Min(regionGroups.Count, 1 + random.Next(3));
            while (groups.Count < want)
            {
                // u^3 skews picks towards the first groups of the region: a few groups serve most instances.
                double u = random.NextDouble();
                string pick = regionGroups[(int)(regionGroups.Count * u * u * u)];
                if (!groups.Contains(pick)) groups.Add(pick);
            }
            bool hasPublic = random.NextDouble() < 0.8, hasV6 = random.NextDouble() < 0.2;
            int vpc = n % 7;
            return new Instance
            {
                Region = region,
                InstanceId = ids.Next("ins-", n),
                InstanceName = string.Format(CultureInfo.InvariantCulture, "gen-{0:D6}", n),
                InstanceState = random.NextDouble() < 0.9 ? "RUNNING" : "STOPPED",
                InstanceType = "S5.MEDIUM4",
                OsName = "TencentOS Server 3.1 (TK4)",
                CreatedTime = Created,
                Placement = new Placement { Zone = region + "-" + (1 + n % 3).ToString(CultureInfo.InvariantCulture), ProjectId = 0 },
                PrivateIpAddresses = new List<string> { string.Format(CultureInfo.InvariantCulture, "10.{0}.{1}.{2}", vpc, (n >> 8) & 255, n & 255) },
                PublicIpAddresses = hasPublic ? new List<string> { string.Format(CultureInfo.InvariantCulture, "119.{0}.{1}.{2}", 28 + (n >> 16), (n >> 8) & 255, n & 255) } : null,
                IPv6Addresses = hasV6 ? new List<string> { string.Format(CultureInfo.InvariantCulture, "2402:4e00:1:{0:x}::1", n) } : new List<string>(),
                SecurityGroupIds = groups,
                VirtualPrivateCloud = new VirtualPrivateCloud { VpcId = ids.Next("vpc-", vpc), SubnetId = ids.Next("subnet-", vpc * 3 + n % 3) },
                Tags = new List<Tag>
                {
                    new Tag { Key = "env", Value = Envs[random.Next(Envs.Length)] },
                    new Tag { Key = "team", Value = Teams[random.Next(Teams.Length)] },
                },
            };
        }

        private static FirewallRuleInfo Fw(string protocol, string port, string action, string description, string cidr = "0.0.0.0/0") => new FirewallRuleInfo
        {
            AppType = "Custom", Protocol = protocol, Port = port, CidrBlock = cidr, Ipv6CidrBlock = "", Action = action, FirewallRuleDescription = description,
        };

        /// <summary>What a new Lighthouse instance's firewall opens (ICMP, 22, 80, 443, 3389: not 53).</summary>
        private static List<FirewallRuleInfo> DefaultFirewall() => new List<FirewallRuleInfo>
        {
            Fw("ICMP", "ALL", "ACCEPT", "ping"), Fw("TCP", "22", "ACCEPT", "ssh"), Fw("TCP", "80", "ACCEPT", "http"),
            Fw("TCP", "443", "ACCEPT", "https"), Fw("TCP", "3389", "ACCEPT", "rdp"),
        };

        /// <summary>The firewall kinds generated Lighthouse instances take in turn: two exposed, three not.</summary>
        public static readonly (string Kind, bool Exposed, Func<List<FirewallRuleInfo>> Rules)[] LighthouseKinds =
        {
            ("dns-open", true, () => DefaultFirewall().Concat(new[] { Fw("UDP", "53", "ACCEPT", "resolver"), Fw("TCP", "53", "ACCEPT", "resolver") }).ToList()),
            ("drop-below-accept", true, () => new List<FirewallRuleInfo> { Fw("ALL", "ALL", "ACCEPT", "everything"), Fw("UDP", "53", "DROP", "port53-block") }),
            ("closed", false, () => new List<FirewallRuleInfo> { Fw("UDP", "53", "DROP", "port53-block"), Fw("TCP", "53", "DROP", "port53-block"), Fw("ALL", "ALL", "ACCEPT", "everything") }),
            ("default", false, DefaultFirewall),
            ("dns-private", false, () => DefaultFirewall().Concat(new[] { Fw("UDP", "53", "ACCEPT", "office resolver", "10.0.0.0/8") }).ToList()),
        };

        private static LighthouseInstance MakeLighthouseInstance(int n, string region, IdMaker ids, Random random)
        {
            var (kind, _, rules) = LighthouseKinds[n % LighthouseKinds.Length];
            bool hasV6 = random.NextDouble() < 0.2;
            return new LighthouseInstance
            {
                Region = region,
                InstanceId = ids.Next("lhins-", n),
                InstanceName = string.Format(CultureInfo.InvariantCulture, "{0}-{1:D6}", kind, n),
                InstanceState = random.NextDouble() < 0.9 ? "RUNNING" : "STOPPED",
                Zone = region + "-" + (1 + n % 3).ToString(CultureInfo.InvariantCulture),
                BundleId = "bundle_starter_mc_med2_01",
                BlueprintId = "lhbp-ubuntu2204",
                OsName = "Ubuntu Server 22.04 LTS 64bit",
                CreatedTime = Created,
                PrivateAddresses = new List<string> { string.Format(CultureInfo.InvariantCulture, "10.200.{0}.{1}", (n >> 8) & 255, n & 255) },
                PublicAddresses = new List<string> { string.Format(CultureInfo.InvariantCulture, "43.{0}.{1}.{2}", 128 + (n >> 16), (n >> 8) & 255, n & 255) },
                PublicIpv6Addresses = hasV6 ? new List<string> { string.Format(CultureInfo.InvariantCulture, "240d:c000:1:{0:x}::1", n) } : new List<string>(),
                Tags = new List<Tag> { new Tag { Key = "env", Value = Envs[random.Next(Envs.Length)] } },
                FirewallVersion = 1 + random.Next(5),
                FirewallRuleSet = rules(),
            };
        }

        /// <summary>Tencent-shaped ids (prefix + 8 of [0-9a-z]), unique per prefix: a bijection of the index mod 36^8.</summary>
        private sealed class IdMaker
        {
            private const long Space = 2821109907456; // 36^8
            private const long Multiplier = 1_000_000_007; // coprime with 36
            private readonly long _offset;

            /// <summary>Each account draws from its own block of a billion indexes, so no id repeats across accounts.</summary>
            public IdMaker(int seed, int account) => _offset = ((long)(uint)seed * 7919 + account * 1_000_000_000L) % Space;

            public string Next(string prefix, long index)
            {
                long x = (long)((UInt128)(ulong)(index + _offset) * (ulong)Multiplier % (ulong)Space);
                var chars = new char[8];
                for (int i = 7; i >= 0; i--)
                {
                    long d = x % 36;
                    chars[i] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
                    x /= 36;
                }
                return prefix + new string(chars);
            }
        }
    }
}
