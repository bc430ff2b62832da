using System;
using System.Collections.Generic;
using System.Linq;
using Port53.Model;
using Xunit;

namespace Port53.Tests.Cmdlets
{
    /// <summary>
    /// docs/emulator.md's demo fleet, written down here by hand from its two tables: the expected port-53 exposure of
    /// every demo instance (verdict and deciding rule per protocol and family), and the groups with their rules.
    /// "open sg#i" = open, decided by that ACCEPT; "closed sg#i" = a DROP decides; "closed -" = no rule matches.
    /// </summary>
    internal static class DemoExposure
    {
        public sealed class Row
        {
            public string InstanceId, Region, Groups, UdpV4, TcpV4, UdpV6, TcpV6;
            public bool HasPublicAddress;
            public string[] GroupIds => Groups.Split(',');
            public string[] Verdicts => new[] { UdpV4, TcpV4, UdpV6, TcpV6 };
            public bool Exposed => Verdicts.Any(v => v.StartsWith("open", StringComparison.Ordinal));
        }

        private static Row R(string id, string region, string groups, string u4, string t4, string u6, string t6, bool pub = true) =>
            new Row { InstanceId = id, Region = region, Groups = groups, UdpV4 = u4, TcpV4 = t4, UdpV6 = u6, TcpV6 = t6, HasPublicAddress = pub };

        private const string No = "closed -";
        private const string Gz = "ap-guangzhou", Sh = "ap-shanghai", Bj = "ap-beijing", Hk = "ap-hongkong";

        public static readonly Row[] Instances =
        {
            R("ins-gzweb001", Gz, "sg-allopen1", "open sg-allopen1#0", "open sg-allopen1#0", No, No),
            R("ins-gzdns001", Gz, "sg-dnsudp01", "open sg-dnsudp01#0", No, No, No),
            R("ins-gzdrop01", Gz, "sg-firstdrp,sg-allopen1", "closed sg-firstdrp#0", "closed sg-firstdrp#1", No, No),
            R("ins-gzshr001", Gz, "sg-shared01", "open sg-shared01#1", "open sg-shared01#2", No, No),
            R("ins-gzshr002", Gz, "sg-private1,sg-shared01", "open sg-shared01#1", "open sg-shared01#2", No, No),
            R("ins-gzshr003", Gz, "sg-shared01", "open sg-shared01#1", "open sg-shared01#2", No, No),
            R("ins-gzshr004", Gz, "sg-shared01", "open sg-shared01#1", "open sg-shared01#2", No, No),
            R("ins-gzshr005", Gz, "sg-shared01", "open sg-shared01#1", "open sg-shared01#2", No, No),
            R("ins-gzpriv01", Gz, "sg-private1", No, No, No, No),
            R("ins-gzsrcg01", Gz, "sg-srcgrp01", No, No, No, No),
            R("ins-gzlate01", Gz, "sg-dropblw1", "open sg-dropblw1#0", "open sg-dropblw1#0", No, No),
            R("ins-gznopub1", Gz, "sg-dnsudp01", "open sg-dnsudp01#0", No, No, No, pub: false),
            R("ins-shtcp001", Sh, "sg-dnstcp01", No, "open sg-dnstcp01#0", No, No),
            R("ins-shrange1", Sh, "sg-prange01", "open sg-prange01#0", No, No, No),
            R("ins-shlist01", Sh, "sg-plist001", No, "open sg-plist001#0", No, No),
            R("ins-shsvc001", Sh, "sg-svctmpl1", "open sg-svctmpl1#0", No, "open sg-svctmpl1#1", "open sg-svctmpl1#1"),
            R("ins-bjipv601", Bj, "sg-ipv6only", No, No, "open sg-ipv6only#0", "open sg-ipv6only#1"),
            R("ins-bjaddr01", Bj, "sg-addrtpl1", "open sg-addrtpl1#0", "open sg-addrtpl1#1", No, "open sg-addrtpl1#1"),
            R("ins-bjblock1", Bj, "sg-blocked1", "closed sg-blocked1#0", "closed sg-blocked1#1", No, No),
            R("ins-hkweb001", Hk, "sg-hkweb001", No, No, No, No),
            R("ins-hkdns001", Hk, "sg-hkdns001", "open sg-hkdns001#0", No, "open sg-hkdns001#1", No),
        };

        public static Row Instance(string id) => Instances.Single(r => r.InstanceId == id);

        /// <summary>docs/emulator.md's table rows starting with <paramref name="prefix"/>, in the section under <paramref name="heading"/> if one is named.</summary>
        public static string[] DocRows(string prefix, string heading = null)
        {
            string[] lines = System.IO.File.ReadAllLines(System.IO.Path.Combine(Port53.Tests.Hosting.PowerShellSession.RepoRoot, "docs", "emulator.md"));
            if (heading != null)
                lines = lines.SkipWhile(l => l != heading).Skip(1).TakeWhile(l => !l.StartsWith("#", StringComparison.Ordinal)).ToArray();
            return lines.Where(l => l.StartsWith("| " + prefix, StringComparison.Ordinal)).ToArray();
        }

        /// <summary>The heading of docs/emulator.md's table of the first account's instances.</summary>
        public const string InstanceTable = "### Instances and expected port-53 exposure";

        /// <summary>The demo's accounts: the first (the one Start-TcEmulator connects with) manages the organization.</summary>
        public const long DemoUin = 100000000001, MemberUin = 200000000002;
        public const string MemberName = "port53-demo-member", MemberRole = "OrganizationAccessControlRole";
        public const string MemberSecretId = "AKIDPort53EmulatorMemberKey000000000", MemberSecretKey = "Port53EmulatorMemberSecretKey000";

        /// <summary>The member account's instances (docs/emulator.md, "The member account"); Instances above are the first account's.</summary>
        public static readonly Row[] MemberInstances =
        {
            R("ins-mbdns001", Gz, "sg-mbdns001", "open sg-mbdns001#0", No, No, No),
            R("ins-mbweb001", Gz, "sg-mbweb001", No, No, No, No),
        };

        /// <summary>Every demo group: region, name, ingress rule count, and the template kinds its rules name.</summary>
        public static readonly (string Id, string Region, string Name, int Ingress, string Templates)[] Groups =
        {
            ("sg-allopen1", Gz, "web-all-open", 1, ""),
            ("sg-dnsudp01", Gz, "dns-udp-open", 2, ""),
            ("sg-firstdrp", Gz, "dns-deny-first", 2, ""),
            ("sg-shared01", Gz, "shared-dns-fleet", 3, ""),
            ("sg-private1", Gz, "dns-private-only", 4, "address"),
            ("sg-srcgrp01", Gz, "from-shared-group", 1, ""),
            ("sg-dropblw1", Gz, "dns-drop-below-accept", 2, ""),
            ("sg-dnstcp01", Sh, "dns-tcp-only", 1, ""),
            ("sg-prange01", Sh, "udp-range-50-60", 2, ""),
            ("sg-plist001", Sh, "tcp-list-53-80", 3, ""),
            ("sg-svctmpl1", Sh, "dns-service-templates", 3, "service,service-group"),
            ("sg-ipv6only", Bj, "dns-ipv6-open", 3, ""),
            ("sg-addrtpl1", Bj, "dns-address-templates", 2, "address,address-group"),
            ("sg-blocked1", Bj, "dns-already-blocked", 3, ""),
            ("sg-hkweb001", Hk, "web-closed", 3, ""),
            ("sg-hkdns001", Hk, "dns-udp-dual-stack", 2, ""),
        };

        /// <summary>A verdict in the table's words.</summary>
        public static string Show(TcPort53Verdict v) =>
            v == null ? null : (v.Open ? "open " : "closed ") + (v.NoRuleMatched ? "-" : v.SecurityGroupId + "#" + v.PolicyIndex);

        /// <summary>Asserts an exposure object against a row: the four verdicts, their deciding rules and actions.</summary>
        public static void AssertMatches(Row row, TcPort53Exposure e)
        {
            Assert.Equal(row.InstanceId, e.InstanceId);
            Assert.Equal(row.Region, e.Region);
            Assert.Equal(row.GroupIds, e.SecurityGroupIds);
            Assert.Equal(row.Verdicts, new[] { Show(e.UdpIPv4), Show(e.TcpIPv4), Show(e.UdpIPv6), Show(e.TcpIPv6) });
            Assert.Equal(row.Exposed, e.Exposed);
            Assert.Equal(row.HasPublicAddress, e.HasPublicAddress);
            foreach (TcPort53Verdict v in e.Verdicts)
            {
                Assert.True(v.IsCertain, row.InstanceId + " " + v.Protocol + "/" + v.AddressFamily);
                Assert.Equal(v.NoRuleMatched ? null : v.Open ? "ACCEPT" : "DROP", v.Action);
                Assert.Equal(v.NoRuleMatched, v.Rule == null);
            }
            Assert.All(row.GroupIds, g => Assert.Equal("1", e.Versions[g]));
        }

        public static IEnumerable<object[]> InstanceIds() => Instances.Select(r => new object[] { r.InstanceId });

        /// <summary>
        /// A demo Lighthouse instance: its firewall's version and rule count, and the port-53 verdict per protocol and
        /// family, in the words of docs/emulator.md: "open #i" = that ACCEPT (its position in the firewall) decides,
        /// "closed #i" = that DROP decides, "closed -" = no rule matches (denied).
        /// </summary>
        public sealed class LighthouseRow
        {
            public string InstanceId, Region, UdpV4, TcpV4, UdpV6, TcpV6;
            public long FirewallVersion;
            public int Rules;
            public bool HasPublicAddress = true;
            public string[] Verdicts => new[] { UdpV4, TcpV4, UdpV6, TcpV6 };
            public bool Exposed => Verdicts.Any(v => v.StartsWith("open", StringComparison.Ordinal));
        }

        private static LighthouseRow L(string id, string region, long version, int rules, string u4, string t4, string u6, string t6) =>
            new LighthouseRow { InstanceId = id, Region = region, FirewallVersion = version, Rules = rules, UdpV4 = u4, TcpV4 = t4, UdpV6 = u6, TcpV6 = t6 };

        public static readonly LighthouseRow[] Lighthouse =
        {
            L("lhins-gzdns001", Gz, 4, 6, "open #2", "open #3", "open #4", No),
            L("lhins-shlate01", Sh, 7, 3, "open #0", "open #0", No, No),
            L("lhins-bjblock1", Bj, 3, 3, "closed #0", "closed #1", No, No),
            L("lhins-hkweb001", Hk, 1, 5, No, No, No, No),
        };

        public static LighthouseRow LighthouseInstance(string id) => Lighthouse.Single(r => r.InstanceId == id);
    }
}
