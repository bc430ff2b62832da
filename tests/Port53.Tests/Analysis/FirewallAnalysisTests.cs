using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using Port53.Analysis;
using Port53.Api.Models;
using Port53.Model;
using Xunit;

namespace Port53.Tests.Analysis
{
    /// <summary>
    /// A Lighthouse firewall on the first-match machinery: the verdicts, the deciding rule's position, Block's edit (one
    /// whole-list write) and Unblock's, on the firewalls Lighthouse users have.
    /// </summary>
    public class FirewallAnalysisTests
    {
        private static readonly DateTime Day = new DateTime(2026, 12, 3, 9, 0, 0, DateTimeKind.Utc);

        /// <summary>A firewall rule as DescribeFirewallRules gives it: list order, no index; source, action and description optional.</summary>
        private static SecurityGroupPolicy Fw(string protocol, string port, string cidr = null, string action = "ACCEPT", string description = null, string cidr6 = null) =>
            new SecurityGroupPolicy { Protocol = protocol, Port = port, CidrBlock = cidr, Ipv6CidrBlock = cidr6, Action = action, PolicyDescription = description };

        private static ParsedGroup Firewall(params SecurityGroupPolicy[] rules) =>
            ParsedGroup.Parse(new GroupPolicies("lhins-1", "7", rules, RuleListKind.Firewall), TemplateCatalog.Empty);

        private static ExposureResult Eval(params SecurityGroupPolicy[] rules) => RuleEvaluator.Evaluate(new[] { Firewall(rules) });

        private static BlockPlan Block(ParsedGroup firewall, TcPort53Placement placement = TcPort53Placement.AboveDecidingRule) =>
            Port53Rules.PlanBlock(new[] { firewall }, "lhins-1", ExposureKey.All, Day, TemplateCatalog.Empty, placement);

        private static RuleListEdit Unblock(IReadOnlyList<SecurityGroupPolicy> rules) =>
            Port53Rules.EditForUnblock(rules, ExposureKey.All, null, RuleListKind.Firewall);

        private static string[] Texts(IEnumerable<SecurityGroupPolicy> rules) =>
            rules.Select(p => string.Join(" ", p.Protocol, p.Port, p.CidrBlock ?? p.Ipv6CidrBlock ?? "-", p.Action ?? "-", p.PolicyDescription ?? "")).ToArray();

        // What Lighthouse gives a new instance: ICMP, SSH, HTTP, HTTPS and RDP from anywhere.
        private static SecurityGroupPolicy[] Defaults() => new[]
        {
            Fw("ICMP", "ALL", "0.0.0.0/0", description: "支持Ping服务"),
            Fw("TCP", "22", "0.0.0.0/0", description: "Linux SSH登录"),
            Fw("TCP", "80", "0.0.0.0/0", description: "Web服务HTTP(80)，如 Apache、Nginx"),
            Fw("TCP", "443", "0.0.0.0/0", description: "Web服务HTTPS(443)，如 Apache、Nginx"),
            Fw("TCP", "3389", "0.0.0.0/0", description: "Windows远程桌面登录"),
        };

        private static SecurityGroupPolicy[] With(SecurityGroupPolicy[] first, params SecurityGroupPolicy[] more) => first.Concat(more).ToArray();

        // ---- Verdicts

        [Fact]
        public void A_new_instances_firewall_keeps_53_closed_because_unmatched_traffic_is_denied()
        {
            ExposureResult r = Eval(Defaults());
            Assert.False(r.Exposed);
            Assert.All(r.Verdicts, v => Assert.True(v.NoRuleMatched && v.IsCertain));
        }

        [Fact]
        public void An_adguard_server_opened_without_a_source_is_open_over_IPv4_only_with_the_deciding_position()
        {
            // The console's "add rule" with the source left empty: Tencent reads it as 0.0.0.0/0.
            ExposureResult r = Eval(With(Defaults(), Fw("UDP", "53", description: "AdGuard Home DNS"), Fw("TCP", "53")));
            Assert.True(r.UdpV4.Open);
            Assert.Equal(5, r.UdpV4.DecidingRule.Position);
            Assert.Equal("lhins-1", r.UdpV4.DecidingRule.GroupId);
            Assert.Equal("7", r.UdpV4.DecidingRule.GroupVersion);
            Assert.True(r.TcpV4.Open);
            Assert.Equal(6, r.TcpV4.DecidingRule.Position);
            Assert.False(r.UdpV6.Open);
            Assert.False(r.TcpV6.Open);
            Assert.True(r.IsCertain);

            TcPort53Verdict shown = TcPort53Verdict.From(r.UdpV4);
            Assert.Equal(5L, shown.PolicyIndex);
            Assert.Equal("ACCEPT", shown.Action);
        }

        [Fact]
        public void A_rule_without_action_accepts_as_Tencent_defaults_it()
        {
            Assert.True(Eval(Fw("UDP", "53", "0.0.0.0/0", action: null)).UdpV4.Open);
            Assert.True(Eval(Fw("UDP", "53", "0.0.0.0/0", action: "")).UdpV4.Open);
            // A security group has no such default: there an unnamed action is a rule Port53 cannot read.
            ExposureVerdict sg = Rules.Eval(Rules.Rule("UDP", "53", "0.0.0.0/0", "")).UdpV4;
            Assert.False(sg.IsCertain);
        }

        [Fact]
        public void A_security_group_rule_without_source_stays_unreadable_there()
        {
            ExposureVerdict sg = Rules.Eval(new SecurityGroupPolicy { Protocol = "UDP", Port = "53", Action = "ACCEPT" }).UdpV4;
            Assert.False(sg.Open);
            Assert.False(sg.IsCertain);
        }

        [Theory]
        [InlineData("UDP", "53", true, false)]
        [InlineData("udp", "53", true, false)]
        [InlineData("TCP", "53", false, true)]
        [InlineData("ALL", "ALL", true, true)]
        [InlineData("ALL", "53", true, true)]
        [InlineData("UDP", "ALL", true, false)]
        [InlineData("UDP", "53,853", true, false)]
        [InlineData("TCP", "853,53", false, true)]
        [InlineData("UDP", "1-1024", true, false)]
        [InlineData("UDP", "54-100", false, false)]
        [InlineData("UDP", "5353", false, false)]
        [InlineData("ICMP", "ALL", false, false)]
        [InlineData("ICMPv6", "ALL", false, false)]
        public void Protocols_and_ports_as_Lighthouse_spells_them(string protocol, string port, bool udp, bool tcp)
        {
            ExposureResult r = Eval(Fw(protocol, port));
            Assert.Equal((udp, tcp), (r.UdpV4.Open, r.TcpV4.Open));
            Assert.True(r.IsCertain);
        }

        [Fact]
        public void IPv6_is_open_only_through_an_Ipv6CidrBlock()
        {
            ExposureResult r = Eval(Fw("UDP", "53", cidr6: "::/0"), Fw("ALL", "ALL", "0.0.0.0/0"));
            Assert.True(r.UdpV6.Open);
            Assert.Equal(0, r.UdpV6.DecidingRule.Position);
            Assert.False(r.TcpV6.Open);
            Assert.Equal(1, r.TcpV4.DecidingRule.Position);
            Assert.False(Eval(Fw("UDP", "53", cidr6: "fd00::/8")).UdpV6.Open);
        }

        [Fact]
        public void First_match_decides_top_down()
        {
            ExposureResult dropFirst = Eval(Fw("UDP", "53", "0.0.0.0/0", "DROP"), Fw("UDP", "53"));
            Assert.False(dropFirst.UdpV4.Open);
            Assert.Equal(0, dropFirst.UdpV4.DecidingRule.Position);

            ExposureResult acceptFirst = Eval(Fw("UDP", "53"), Fw("UDP", "53", "0.0.0.0/0", "DROP"));
            Assert.True(acceptFirst.UdpV4.Open);
            Assert.Equal(0, acceptFirst.UdpV4.DecidingRule.Position);

            // A DROP of part of the internet leaves the rest to the next rule.
            ExposureResult partial = Eval(Fw("UDP", "53", "1.0.0.0/8", "DROP"), Fw("UDP", "53"));
            Assert.True(partial.UdpV4.Open);
            Assert.Equal(1, partial.UdpV4.DecidingRule.Position);

            // Only private sources: nothing public reaches 53.
            Assert.False(Eval(Fw("UDP", "53", "10.0.0.0/8"), Fw("UDP", "53", "192.168.0.0/16")).UdpV4.Open);
        }

        // ---- Block and Unblock

        [Fact]
        public void Block_puts_the_drops_directly_above_the_deciding_accept_and_unblock_gives_the_list_back()
        {
            SecurityGroupPolicy[] rules = With(Defaults(), Fw("UDP", "53", description: "AdGuard Home DNS"), Fw("TCP", "53"));
            BlockPlan plan = Block(Firewall(rules));
            Assert.True(plan.Before.UdpV4.Open);
            Assert.True(plan.Closes);
            // Each key's deciding rule, and both DROPs at the higher one: the UDP-only ACCEPT between lets no TCP through.
            Assert.Equal(new[] { (ExposureKey.UdpV4, 5), (ExposureKey.TcpV4, 6) }, plan.Places);
            Assert.Equal(new[] { "UDP 53 0.0.0.0/0 DROP Port53: block public DNS (added 2026-12-03)", "TCP 53 0.0.0.0/0 DROP Port53: block public DNS (added 2026-12-03)" },
                Texts(plan.Edit.After.Skip(5).Take(2)));
            Assert.Equal(Texts(rules), Texts(plan.Edit.After.Where(p => !Port53Rules.IsPort53Rule(p, RuleListKind.Firewall))));
            Assert.Empty(plan.Edit.Removed);
            Assert.All(plan.Edit.After, p => Assert.True((p.PolicyDescription ?? "").Length <= 64));

            // The rules above the deciding one keep deciding what they decided.
            Assert.Equal(new[] { 0, 1, 2, 3, 4 }, plan.Edit.After.Take(5).Select(p => Array.IndexOf(rules, p)));

            RuleListEdit undo = Unblock(plan.Edit.After);
            Assert.Equal(Texts(rules), Texts(undo.After));
            Assert.Equal(2, undo.Removed.Count);
            Assert.Empty(undo.Added);
        }

        [Fact]
        public void Block_twice_changes_nothing_the_second_time()
        {
            BlockPlan first = Block(Firewall(With(Defaults(), Fw("ALL", "ALL"))));
            Assert.False(first.IsNoOp);
            BlockPlan second = Block(Firewall(first.Edit.After.ToArray()));
            Assert.True(second.IsNoOp);
            Assert.True(second.Closes);
        }

        [Fact]
        public void A_closed_firewall_is_not_written_and_unblock_leaves_a_users_own_drop_alone()
        {
            SecurityGroupPolicy[] rules = With(Defaults(), Fw("UDP", "53", "0.0.0.0/0", "DROP", "按腾讯云通知封禁DNS"), Fw("UDP", "53"));
            BlockPlan plan = Port53Rules.PlanBlock(new[] { Firewall(rules) }, "lhins-1", new[] { ExposureKey.UdpV4 }, Day, TemplateCatalog.Empty);
            Assert.True(plan.IsNoOp);
            Assert.True(Unblock(rules).IsEmpty);
        }

        [Fact]
        public void The_seeds_drop_below_an_accept_is_replaced_in_the_same_write_and_restored_by_unblock()
        {
            // Tencent's notice followed in the console: the DROP went to the end of the list, below the AdGuard ACCEPT.
            SecurityGroupPolicy[] rules = With(Defaults(), Fw("UDP", "53", description: "AdGuard"), Fw("UDP", "53", "0.0.0.0/0", "DROP", "腾讯云通知：封禁DNS"));
            BlockPlan plan = Block(Firewall(rules));
            Assert.True(plan.Closes);
            Assert.Empty(plan.Unmovable);
            IndexedRule removed = Assert.Single(plan.Edit.Removed);
            Assert.Equal(6, removed.Index);
            Assert.Equal("UDP 53 0.0.0.0/0 DROP Port53: block public DNS (replaces +1: 腾讯云通知：封禁DNS)", Texts(plan.Edit.After.Skip(5).Take(1))[0]);
            Assert.Equal(rules.Length, plan.Edit.After.Count);
            // No two rules Tencent would call duplicates (ModifyFirewallRules refuses them).
            Assert.Equal(plan.Edit.After.Count, plan.Edit.After.Select(p => RuleListEdit.DuplicateIdentity(p, RuleListKind.Firewall)).Distinct().Count());

            RuleListEdit undo = Unblock(plan.Edit.After);
            Assert.Equal(Texts(rules), Texts(undo.After));
        }

        [Fact]
        public void A_users_drop_naming_no_source_is_the_duplicate_of_Port53s_and_keeps_its_spelling()
        {
            SecurityGroupPolicy[] rules = { Fw("UDP", "53"), Fw("udp", "53", null, "DROP") };
            BlockPlan plan = Port53Rules.PlanBlock(new[] { Firewall(rules) }, "lhins-1", new[] { ExposureKey.UdpV4 }, Day, TemplateCatalog.Empty);
            Assert.True(plan.Closes);
            Assert.Single(plan.Edit.Removed);
            SecurityGroupPolicy added = plan.Edit.After[0];
            Assert.Equal(("udp", null, null), (added.Protocol, added.CidrBlock, added.Ipv6CidrBlock));
            Assert.Equal("Port53: block public DNS (added 2026-12-03; replaces +1)", added.PolicyDescription);
            Assert.True(Port53Rules.IsPort53Rule(added, RuleListKind.Firewall));
            // In a security group the same rule would not be Port53's: there no source means no rule Port53 wrote.
            Assert.False(Port53Rules.IsPort53Rule(added));

            RuleListEdit undo = Unblock(plan.Edit.After);
            Assert.Equal(Texts(rules), Texts(undo.After));
        }

        [Theory]
        [InlineData("DNS", "Port53: block public DNS (added 2026-12-03; replaces +1: DNS)")]
        [InlineData("block DNS per notice", "Port53: block public DNS (replaces +1: block DNS per notice)")]
        [InlineData("block DNS per the Tencent notice", null)]
        public void A_replaced_rules_description_fits_64_characters_without_the_date_or_the_key_is_left_alone(string userDescription, string expected)
        {
            SecurityGroupPolicy[] rules = { Fw("UDP", "53"), Fw("UDP", "53", "0.0.0.0/0", "DROP", userDescription) };
            BlockPlan plan = Block(Firewall(rules));
            if (expected == null)
            {
                Assert.Equal(new[] { ExposureKey.UdpV4 }, plan.Unmovable);
                Assert.Empty(plan.Edit.Removed);
                Assert.Empty(plan.KeysToBlock);
                Assert.False(plan.Closes);
                return;
            }
            Assert.Empty(plan.Unmovable);
            Assert.Equal(expected, plan.Edit.After[0].PolicyDescription);
            Assert.True(expected.Length <= 64);
            Assert.True(Port53Rules.TryParseReplaced(expected, out long below, out string description));
            Assert.Equal((1L, userDescription), (below, description));
            Assert.Equal(Texts(rules), Texts(Unblock(plan.Edit.After).After));
        }

        [Fact]
        public void Security_groups_keep_the_dated_form_where_it_fits()
        {
            string wordy = new string('x', 40);
            Assert.Equal("Port53: block public DNS (added 2026-12-03; replaces +1: " + wordy + ")", Port53Rules.ReplacingMarker(Day, 1, wordy));
            Assert.Equal("Port53: block public DNS (replaces +1: " + wordy + ")", Port53Rules.ReplacingMarker(Day, 1, wordy, 90));
            Assert.Null(Port53Rules.ReplacingMarker(Day, 1, wordy, 64));
            Assert.True(Port53Rules.TryParseMarker("Port53: block public DNS (replaces +1: " + wordy + ")", out DateTime undated));
            Assert.Equal(default(DateTime), undated);
            Assert.False(Port53Rules.TryParseMarker("Port53: block public DNS (replaces 1)", out _));
            Assert.False(Port53Rules.TryParseMarker("Port53: block public DNS ()", out _));
        }

        [Fact]
        public void Drops_go_above_a_deciding_rule_below_rules_that_admit_private_dns()
        {
            SecurityGroupPolicy[] rules = { Fw("UDP", "53", "10.0.0.0/8"), Fw("TCP", "22"), Fw("ALL", "ALL"), Fw("UDP", "53", cidr6: "::/0") };
            BlockPlan plan = Block(Firewall(rules));
            Assert.True(plan.Closes);
            Assert.Equal(new[] { (ExposureKey.UdpV4, 2), (ExposureKey.TcpV4, 2), (ExposureKey.UdpV6, 3) }, plan.Places);
            // The IPv6 DROP joins the others: the ALL rule between its place and theirs admits no IPv6.
            Assert.Equal(new[] { "UDP 53 10.0.0.0/8", "TCP 22 -", "UDP 53 0.0.0.0/0", "TCP 53 0.0.0.0/0", "UDP 53 ::/0", "ALL ALL -", "UDP 53 ::/0" },
                plan.Edit.After.Select(p => string.Join(" ", p.Protocol, p.Port, p.CidrBlock ?? p.Ipv6CidrBlock ?? "-")));
            Assert.True(plan.After.UdpV4.DecidingRule.Position == 2 && !plan.After.UdpV4.Open);

            BlockPlan top = Block(Firewall(rules), TcPort53Placement.Top);
            Assert.True(top.Closes);
            Assert.Equal(3, top.Edit.After.TakeWhile(p => Port53Rules.IsPort53Rule(p, RuleListKind.Firewall)).Count());
        }

        [Fact]
        public void A_full_firewall_is_over_quota_before_anything_is_written()
        {
            var rules = Enumerable.Range(1, 98).Select(i => Fw("TCP", (1000 + i).ToString(), "0.0.0.0/0")).ToList();
            rules.Add(Fw("ALL", "ALL"));
            BlockPlan fits = Block(Firewall(rules.ToArray()));
            Assert.Equal(101, fits.Edit.After.Count);
            Assert.True(fits.OverFirewallQuota);

            rules.RemoveAt(0);
            Assert.False(Block(Firewall(rules.ToArray())).OverFirewallQuota);
        }

        // ---- The property: random firewalls, packet by packet against a plain reading of Tencent's rules.

        private static readonly string[] Sources = { null, "0.0.0.0/0", "10.0.0.0/8", "8.8.8.0/24", "1.0.0.0/8" };
        private static readonly string[] Sources6 = { "::/0", "fd00::/8", "2400::/12" };
        private static readonly string[] FwPorts = { "53", "ALL", "22", "50-60", "53,80" };
        private static readonly string[] FwProtocols = { "UDP", "TCP", "ALL", "ICMP", "ICMPv6" };

        private static SecurityGroupPolicy RandomRule(Random rnd)
        {
            string protocol = FwProtocols[rnd.Next(FwProtocols.Length)];
            string port = protocol.StartsWith("ICMP", StringComparison.Ordinal) ? "ALL" : FwPorts[rnd.Next(FwPorts.Length)];
            string action = rnd.Next(3) == 0 ? "DROP" : rnd.Next(4) == 0 ? null : "ACCEPT";
            if (rnd.Next(5) == 0) return Fw(protocol, port, null, action, cidr6: Sources6[rnd.Next(Sources6.Length)]);
            if (rnd.Next(6) == 0 && (protocol == "UDP" || protocol == "TCP"))
                return Fw(protocol, "53", rnd.Next(2) == 0 ? null : "0.0.0.0/0", "DROP", rnd.Next(2) == 0 ? null : "dns");
            return Fw(protocol, port, Sources[rnd.Next(Sources.Length)], action);
        }

        private static bool Accepted(IEnumerable<SecurityGroupPolicy> rules, string protocol, IPAddress source)
        {
            bool v6 = source.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
            foreach (SecurityGroupPolicy p in rules)
            {
                string proto = p.Protocol.ToUpperInvariant();
                if (proto != "ALL" && proto != protocol) continue;
                if (p.Port != "ALL" && !p.Port.Split(',').Any(x => x.Contains('-') ? int.Parse(x.Split('-')[0]) <= 53 && 53 <= int.Parse(x.Split('-')[1]) : x == "53")) continue;
                string block = p.Ipv6CidrBlock ?? p.CidrBlock ?? "0.0.0.0/0";
                if (block.Contains(':') != v6 || !IPNetwork.Parse(block).Contains(source)) continue;
                return (p.Action ?? "ACCEPT").ToUpperInvariant() != "DROP";
            }
            return false;
        }

        [Fact]
        public void Randomized_firewalls_agree_with_a_plain_reading_and_block_then_unblock_round_trips()
        {
            var sources = new[] { "8.8.8.8", "1.2.3.4", "10.1.1.1", "2400::1", "fd00::1" }.Select(IPAddress.Parse).ToArray();
            var rnd = new Random(1753);
            for (int round = 0; round < 400; round++)
            {
                SecurityGroupPolicy[] rules = Enumerable.Range(0, rnd.Next(0, 7)).Select(_ => RandomRule(rnd)).ToArray();
                // Tencent refuses duplicates, so a real firewall has none.
                rules = rules.GroupBy(p => RuleListEdit.DuplicateIdentity(p, RuleListKind.Firewall)).Select(g => g.First()).ToArray();
                ExposureResult r = Eval(rules);
                foreach (string protocol in new[] { "UDP", "TCP" })
                {
                    bool v4Open = sources.Where(s => s.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !s.ToString().StartsWith("10.", StringComparison.Ordinal))
                        .Any(s => Accepted(rules, protocol, s));
                    if (v4Open) Assert.True(r.Get(protocol == "UDP" ? DnsProtocol.Udp : DnsProtocol.Tcp, IpFamily.IPv4).Open, Describe(rules));
                    if (Accepted(rules, protocol, IPAddress.Parse("2400::1"))) Assert.True(r.Get(protocol == "UDP" ? DnsProtocol.Udp : DnsProtocol.Tcp, IpFamily.IPv6).Open, Describe(rules));
                }

                BlockPlan plan = Block(Firewall(rules));
                if (plan.Unmovable.Count == 0) Assert.True(plan.Closes, Describe(rules));
                Assert.Equal(plan.Edit.After.Count, plan.Edit.After.Select(p => RuleListEdit.DuplicateIdentity(p, RuleListKind.Firewall)).Distinct().Count());
                Assert.All(plan.Edit.After, p => Assert.True((p.PolicyDescription ?? "").Length <= 64));
                foreach (IPAddress s in sources)
                    foreach (string protocol in new[] { "UDP", "TCP" })
                        if (Accepted(plan.Edit.After, protocol, s)) Assert.True(Accepted(rules, protocol, s), Describe(rules));
                Assert.True(Block(Firewall(plan.Edit.After.ToArray())).IsNoOp, Describe(rules));
                Assert.Equal(Texts(rules), Texts(Unblock(plan.Edit.After).After));
            }
        }

        private static string Describe(IEnumerable<SecurityGroupPolicy> rules) => string.Join(" | ", Texts(rules));
    }
}
