using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using Port53.Analysis;
using Port53.Api.Models;
using Port53.Model;
using Xunit;
using static Port53.Tests.Analysis.Rules;

namespace Port53.Tests.Analysis
{
    /// <summary>Where Block's DROPs go (least change) and what a group's edit does, on the rule states users have.</summary>
    public class BlockPlacementTests
    {
        private static readonly DateTime Day = new DateTime(2026, 12, 3, 9, 0, 0, DateTimeKind.Utc);

        private static ParsedGroup Parse(string id, params SecurityGroupPolicy[] ingress) => ParsedGroup.Parse(Group(id, ingress), TemplateCatalog.Empty);

        private static SecurityGroupPolicy Described(SecurityGroupPolicy p, string description)
        {
            p.PolicyDescription = description;
            return p;
        }

        private static string[] Texts(IEnumerable<SecurityGroupPolicy> rules) => rules.Select(p => TcPort53Verdict.Describe(p) + (Port53Rules.IsPort53Rule(p) ? " [Port53]" : "")).ToArray();

        [Fact]
        public void The_seeds_rule_below_an_accept_is_replaced_in_one_edit_that_never_opens_anything()
        {
            // What a fleet looks like after Tencent's manual procedure without moving the new rule up.
            ParsedGroup g = Parse("sg-1", Accept("ALL", "ALL", "0.0.0.0/0"), Described(Drop("UDP", "53", "0.0.0.0/0"), "manual DNS block (ticket 4711)"));
            BlockPlan plan = Port53Rules.PlanBlock(new[] { g }, "sg-1", new[] { ExposureKey.UdpV4, ExposureKey.TcpV4 }, Day, TemplateCatalog.Empty);

            Assert.True(plan.Before.UdpV4.Open);
            Assert.True(plan.Closes);
            Assert.Empty(plan.Unmovable);
            Assert.Equal(new[] { "UDP 53 0.0.0.0/0 DROP [Port53]", "TCP 53 0.0.0.0/0 DROP [Port53]", "ALL ALL 0.0.0.0/0 ACCEPT" }, Texts(plan.Edit.After));
            // The user's rule comes out in the same write, and the new rule names it so that Unblock can put it back.
            IndexedRule removed = Assert.Single(plan.Edit.Removed);
            Assert.Equal(1, removed.Index);
            Assert.Equal("manual DNS block (ticket 4711)", removed.Rule.PolicyDescription);
            Assert.Equal("Port53: block public DNS (added 2026-12-03; replaces +1: manual DNS block (ticket 4711))", plan.Edit.After[0].PolicyDescription);
            Assert.False(plan.Edit.IsInsertOnly);
            Assert.False(plan.Edit.IsDeleteOnly);

            RuleListEdit undo = Port53Rules.EditForUnblock(plan.Edit.After, ExposureKey.All);
            Assert.Equal(Texts(g.Rules.Select(r => r.Policy)), Texts(undo.After));
            Assert.Equal("manual DNS block (ticket 4711)", undo.After[1].PolicyDescription);
            Assert.Equal(new long[] { 1 }, undo.Added.Select(a => a.Index));
        }

        [Fact]
        public void A_replaced_rule_without_description_and_one_too_long_to_name()
        {
            ParsedGroup plain = Parse("sg-1", Accept("ALL", "ALL", "0.0.0.0/0"), Drop("udp", "53", "0.0.0.0/0"));
            BlockPlan plan = Port53Rules.PlanBlock(new[] { plain }, "sg-1", new[] { ExposureKey.UdpV4 }, Day, TemplateCatalog.Empty);
            Assert.Equal("Port53: block public DNS (added 2026-12-03; replaces +1)", plan.Edit.After[0].PolicyDescription);
            // The user's own spelling ("udp") is kept, so Unblock gives the rule back exactly.
            Assert.Equal("udp", plan.Edit.After[0].Protocol);
            Assert.True(Port53Rules.IsPort53Rule(plan.Edit.After[0]));
            RuleListEdit undo = Port53Rules.EditForUnblock(plan.Edit.After, ExposureKey.All);
            Assert.Equal(("udp", ""), (undo.After[1].Protocol, undo.After[1].PolicyDescription));

            // Too long even for the form without the date (which holds 60 characters of it in 100).
            ParsedGroup wordy = Parse("sg-1", Accept("ALL", "ALL", "0.0.0.0/0"), Described(Drop("UDP", "53", "0.0.0.0/0"), new string('x', 70)));
            BlockPlan refused = Port53Rules.PlanBlock(new[] { wordy }, "sg-1", new[] { ExposureKey.UdpV4, ExposureKey.TcpV4 }, Day, TemplateCatalog.Empty);
            Assert.Equal(new[] { ExposureKey.UdpV4 }, refused.Unmovable);
            Assert.Equal(new[] { ExposureKey.TcpV4 }, refused.KeysToBlock);
            Assert.Empty(refused.Edit.Removed);
        }

        [Fact]
        public void Drops_go_above_the_deciding_rule_so_private_accepts_above_it_keep_working()
        {
            ParsedGroup g = Parse("sg-1", Accept("UDP", "53", "10.0.0.0/8"), Accept("TCP", "22", "0.0.0.0/0"), Accept("ALL", "ALL", "0.0.0.0/0"), Accept("UDP", "53", "172.16.0.0/12"));
            BlockPlan plan = Port53Rules.PlanBlock(new[] { g }, "sg-1", ExposureKey.All, Day, TemplateCatalog.Empty);
            Assert.Equal(new[] { (ExposureKey.UdpV4, 2), (ExposureKey.TcpV4, 2) }, plan.Places);
            Assert.True(plan.Edit.IsInsertOnly);
            Assert.Equal(2, plan.Edit.CreateIndex);
            Assert.Equal(new[] { "UDP 53 10.0.0.0/8 ACCEPT", "TCP 22 0.0.0.0/0 ACCEPT", "UDP 53 0.0.0.0/0 DROP [Port53]", "TCP 53 0.0.0.0/0 DROP [Port53]",
                "ALL ALL 0.0.0.0/0 ACCEPT", "UDP 53 172.16.0.0/12 ACCEPT" }, Texts(plan.Edit.After));

            BlockPlan top = Port53Rules.PlanBlock(new[] { g }, "sg-1", ExposureKey.All, Day, TemplateCatalog.Empty, TcPort53Placement.Top);
            Assert.Equal(0, top.Edit.CreateIndex);
            Assert.True(top.Closes);
        }

        [Fact]
        public void Neighbouring_deciding_rules_share_one_index_and_unrelated_ones_do_not()
        {
            // UDP decided at #1, TCP at #2: the TCP DROP may go up past the UDP-only ACCEPT, so one Create at #1 does both.
            ParsedGroup shared = Parse("sg-1", Accept("TCP", "22", "0.0.0.0/0"), Accept("UDP", "53", "0.0.0.0/0"), Accept("TCP", "53", "0.0.0.0/0"));
            BlockPlan plan = Port53Rules.PlanBlock(new[] { shared }, "sg-1", ExposureKey.All, Day, TemplateCatalog.Empty);
            Assert.Equal(1, plan.Edit.CreateIndex);
            Assert.Equal(new long[] { 1, 2 }, plan.Edit.Added.Select(a => a.Index));

            // A private TCP ACCEPT between them must keep working, so the DROPs go to two places: one whole-list write.
            ParsedGroup apart = Parse("sg-1", Accept("UDP", "53", "0.0.0.0/0"), Accept("TCP", "53", "10.0.0.0/8"), Accept("TCP", "53", "0.0.0.0/0"));
            BlockPlan split = Port53Rules.PlanBlock(new[] { apart }, "sg-1", ExposureKey.All, Day, TemplateCatalog.Empty);
            Assert.False(split.Edit.IsInsertOnly);
            Assert.Equal(new[] { "UDP 53 0.0.0.0/0 DROP [Port53]", "UDP 53 0.0.0.0/0 ACCEPT", "TCP 53 10.0.0.0/8 ACCEPT", "TCP 53 0.0.0.0/0 DROP [Port53]", "TCP 53 0.0.0.0/0 ACCEPT" },
                Texts(split.Edit.After));
        }

        [Fact]
        public void The_deciding_place_is_in_the_group_that_admits_public_traffic_not_the_first_one()
        {
            ParsedGroup privateOnly = Parse("sg-priv", Accept("UDP", "53", "10.0.0.0/8"), Accept("TCP", "53", "172.16.0.0/12"));
            ParsedGroup open = Parse("sg-open", Accept("UDP", "53", "0.0.0.0/0"), Rule6("UDP", "53", "::/0"));
            var binding = new[] { privateOnly, open };
            Assert.Equal((1, 0), Port53Rules.DecidingPlace(binding, ExposureKey.UdpV4));
            Assert.Equal((1, 1), Port53Rules.DecidingPlace(binding, ExposureKey.UdpV6));
            Assert.Null(Port53Rules.DecidingPlace(binding, ExposureKey.TcpV4));
            BlockPlan plan = Port53Rules.PlanBlock(binding, "sg-open", ExposureKey.All, Day, TemplateCatalog.Empty);
            Assert.Equal(new[] { "UDP 53 0.0.0.0/0 DROP [Port53]", "UDP 53 ::/0 DROP [Port53]", "UDP 53 0.0.0.0/0 ACCEPT", "UDP 53 ::/0 ACCEPT" }, Texts(plan.Edit.After));
            Assert.True(plan.Closes);
        }

        [Fact]
        public void An_unresolved_rule_reached_first_takes_the_drop_above_it()
        {
            ParsedGroup g = Parse("sg-1", Accept("TCP", "22", "0.0.0.0/0"), Service("ppm-unknown", null, "0.0.0.0/0"), Accept("UDP", "53", "0.0.0.0/0"));
            Assert.Equal((0, 1), Port53Rules.DecidingPlace(new[] { g }, ExposureKey.UdpV4));
            BlockPlan plan = Port53Rules.PlanBlock(new[] { g }, "sg-1", new[] { ExposureKey.UdpV4 }, Day, TemplateCatalog.Empty);
            Assert.True(plan.After.UdpV4.IsCertain);
            BlockPlan again = Port53Rules.PlanBlock(new[] { ParsedGroup.Parse(Group("sg-1", plan.Edit.After.ToArray()), TemplateCatalog.Empty) }, "sg-1",
                new[] { ExposureKey.UdpV4 }, Day, TemplateCatalog.Empty);
            Assert.True(again.IsNoOp);
        }

        // ---- The property: on random groups and bindings, the plan closes every wanted key for every member, and no
        // ---- packet that was denied before is accepted after, whatever subset of the written groups has been written.

        private static readonly string[] V4 = { "0.0.0.0/0", "10.0.0.0/8", "8.8.8.0/24", "172.16.0.0/12", "1.0.0.0/8", "192.168.0.0/16" };
        private static readonly string[] V6 = { "::/0", "fd00::/8", "2400::/12" };
        private static readonly string[] Ports = { "53", "ALL", "22", "50-60", "53,80" };
        private static readonly string[] Protocols = { "UDP", "TCP", "ALL", "ICMP" };
        private static readonly string[] Samples4 = { "8.8.8.8", "1.2.3.4", "10.1.1.1", "172.16.5.5", "192.168.1.1", "100.64.0.1" };
        private static readonly string[] Samples6 = { "2400::1", "fd00::1", "2001:db8::1" };
        private static readonly int[] SamplePorts = { 53, 22, 55, 80 };

        private static SecurityGroupPolicy RandomRule(Random rnd)
        {
            string protocol = Protocols[rnd.Next(Protocols.Length)];
            string port = protocol == "TCP" || protocol == "UDP" ? Ports[rnd.Next(Ports.Length)] : "ALL";
            string action = rnd.Next(3) == 0 ? "DROP" : "ACCEPT";
            int kind = rnd.Next(10);
            if (kind == 0) return new SecurityGroupPolicy { Protocol = protocol, Port = port, SecurityGroupId = "sg-peer", Action = action };
            if (kind < 3) return Rule6(protocol, port, V6[rnd.Next(V6.Length)], action);
            if (kind == 3 && (protocol == "UDP" || protocol == "TCP"))
                return Described(Rule(protocol, "53", "0.0.0.0/0", "DROP"), rnd.Next(2) == 0 ? "" : "user drop"); // the seed's rule, often below an ACCEPT
            return Rule(protocol, port, V4[rnd.Next(V4.Length)], action);
        }

        // Per packet: +1 accepted, -1 dropped, 0 no rule of the group matched.
        private static int Decide(IEnumerable<SecurityGroupPolicy> rules, string protocol, int port, IPAddress source, bool fromPeer)
        {
            foreach (SecurityGroupPolicy p in rules)
            {
                string proto = p.Protocol.ToUpperInvariant();
                if (proto == "ICMP" || (proto != "ALL" && proto != protocol)) continue;
                if (!PortMatches(p.Port, port)) continue;
                bool sourceMatches = p.SecurityGroupId != null ? fromPeer
                    : p.CidrBlock != null ? source.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && InBlock(source, p.CidrBlock)
                    : source.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && InBlock(source, p.Ipv6CidrBlock);
                if (sourceMatches) return p.Action.ToUpperInvariant() == "ACCEPT" ? 1 : -1;
            }
            return 0;
        }

        private static bool PortMatches(string spec, int port)
        {
            if (spec == null || spec.Equals("ALL", StringComparison.OrdinalIgnoreCase)) return true;
            if (spec.Contains('-')) { string[] r = spec.Split('-'); return port >= int.Parse(r[0]) && port <= int.Parse(r[1]); }
            return spec.Split(',').Any(x => int.Parse(x) == port);
        }

        private static bool InBlock(IPAddress address, string block)
        {
            string[] parts = block.Split('/');
            byte[] a = address.GetAddressBytes(), b = IPAddress.Parse(parts[0]).GetAddressBytes();
            int bits = int.Parse(parts[1]);
            for (int i = 0; i < bits; i++)
                if (((a[i / 8] >> (7 - i % 8)) & 1) != ((b[i / 8] >> (7 - i % 8)) & 1)) return false;
            return true;
        }

        private static bool Accepted(IReadOnlyList<IReadOnlyList<SecurityGroupPolicy>> binding, string protocol, int port, IPAddress source, bool fromPeer)
        {
            foreach (var group in binding)
            {
                int d = Decide(group, protocol, port, source, fromPeer);
                if (d != 0) return d > 0;
            }
            return false;
        }

        [Fact]
        public void Randomized_plans_close_every_wanted_key_and_never_open_anything_at_any_step()
        {
            var rnd = new Random(20261203);
            var packets = new List<(string, int, IPAddress, bool)>();
            foreach (string proto in new[] { "UDP", "TCP" })
                foreach (int port in SamplePorts)
                {
                    foreach (string s in Samples4.Concat(Samples6)) packets.Add((proto, port, IPAddress.Parse(s), false));
                    packets.Add((proto, port, IPAddress.Parse("10.9.9.9"), true));
                }
            int replaced = 0, multiGroup = 0;
            for (int round = 0; round < 400; round++)
            {
                // Three groups; two instances bind different subsets in different orders, so one group serves both.
                var groups = Enumerable.Range(0, 3).Select(g => Enumerable.Range(0, rnd.Next(0, 6)).Select(_ => RandomRule(rnd)).ToList()).ToList();
                foreach (var g in groups)
                {
                    // Tencent never holds two equal rules in one group.
                    var seen = new HashSet<string>();
                    g.RemoveAll(p => !seen.Add(RuleListEdit.DuplicateIdentity(p)));
                }
                var ids = new[] { "sg-a", "sg-b", "sg-c" };
                int[][] bindings = { new[] { 0, 1, 2 }, new[] { 1, 2 } };
                TcPort53Placement placement = rnd.Next(4) == 0 ? TcPort53Placement.Top : TcPort53Placement.AboveDecidingRule;
                List<ExposureKey> wanted = ExposureKey.All.Where(_ => rnd.Next(4) > 0).ToList();

                // What each group is asked for by each member (the cmdlet's choice: the deciding group, or the first).
                var places = new Dictionary<int, List<(ExposureKey, int)>>();
                var parsed = groups.Select((g, i) => ParsedGroup.Parse(Group(ids[i], g.ToArray()), TemplateCatalog.Empty)).ToArray();
                foreach (int[] binding in bindings)
                {
                    ParsedGroup[] bound = binding.Select(i => parsed[i]).ToArray();
                    foreach (ExposureKey key in Port53Rules.KeysNeedingBlock(RuleEvaluator.Evaluate(bound), wanted))
                    {
                        (int Group, int Position)? place = placement == TcPort53Placement.Top ? (0, 0) : Port53Rules.DecidingPlace(bound, key);
                        int group = binding[place.Value.Group];
                        if (!places.TryGetValue(group, out var list)) places[group] = list = new List<(ExposureKey, int)>();
                        BlockPlan one = Port53Rules.PlanBlock(bound, ids[group], new[] { key }, Day, TemplateCatalog.Empty, placement);
                        list.AddRange(one.Places);
                    }
                }
                var edits = places.ToDictionary(kv => kv.Key, kv => Port53Rules.EditForBlock(parsed[kv.Key], kv.Value, Day, out _));
                replaced += edits.Values.Count(e => e.Removed.Count > 0);
                if (edits.Count > 1) multiGroup++;

                // Every subset of the written groups is a state the fleet can be in between writes.
                int[] written = edits.Keys.ToArray();
                for (int mask = 0; mask < 1 << written.Length; mask++)
                {
                    var state = groups.Select((g, i) => (IReadOnlyList<SecurityGroupPolicy>)g).ToArray();
                    for (int w = 0; w < written.Length; w++)
                        if ((mask & (1 << w)) != 0) state[written[w]] = edits[written[w]].After;
                    foreach (int[] binding in bindings)
                    {
                        var before = binding.Select(i => (IReadOnlyList<SecurityGroupPolicy>)groups[i]).ToList();
                        var now = binding.Select(i => state[i]).ToList();
                        foreach (var (proto, port, source, peer) in packets)
                            Assert.False(Accepted(now, proto, port, source, peer) && !Accepted(before, proto, port, source, peer),
                                $"round {round}: {proto}/{port} from {source}{(peer ? " (peer)" : "")} is accepted only after writing {mask}");
                    }
                    if (mask != (1 << written.Length) - 1) continue;
                    foreach (int[] binding in bindings)
                    {
                        ExposureResult after = RuleEvaluator.Evaluate(binding.Select(i => ParsedGroup.Parse(Group(ids[i], state[i].ToArray()), TemplateCatalog.Empty)).ToArray());
                        foreach (ExposureKey key in wanted)
                            Assert.False(after[key].Open, $"round {round}: {key} still open for [{string.Join(",", binding.Select(i => ids[i]))}] ({placement})");
                    }
                }
            }
            // The generator does reach the cases that matter.
            Assert.True(replaced > 10, "replaced " + replaced);
            Assert.True(multiGroup > 10, "multi-group " + multiGroup);
        }
    }
}
