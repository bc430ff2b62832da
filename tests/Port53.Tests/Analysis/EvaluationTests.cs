using System.Collections.Generic;
using Port53.Analysis;
using Port53.Api.Models;
using Xunit;
using static Port53.Tests.Analysis.Rules;

namespace Port53.Tests.Analysis
{
    /// <summary>First-match order, partial coverage, binding order and what "deciding rule" means.</summary>
    public class EvaluationTests
    {
        [Fact]
        public void DropAboveAcceptClosesAndTheDropDecides()
        {
            SecurityGroupPolicy drop = Drop("UDP", "53", "0.0.0.0/0");
            ExposureResult r = Eval(drop, Accept("ALL", "ALL", "0.0.0.0/0"));
            Assert.False(r.UdpV4.Open);
            Assert.Same(drop, r.UdpV4.DecidingRule.Policy);
            Assert.Equal(RuleAction.Drop, r.UdpV4.DecidingRule.Action);
            Assert.Equal("sg-1", r.UdpV4.DecidingRule.GroupId);
            Assert.True(r.TcpV4.Open);
            Assert.True(r.Exposed);
            Assert.True(r.IsDenied(DnsProtocol.Udp, IpFamily.IPv4));
            Assert.False(r.IsDenied(DnsProtocol.Tcp, IpFamily.IPv4));
        }

        [Fact]
        public void AcceptAboveDropOpensAndTheAcceptDecides()
        {
            SecurityGroupPolicy accept = Accept("UDP", "53", "0.0.0.0/0");
            ExposureResult r = Eval(accept, Drop("ALL", "ALL", "0.0.0.0/0"));
            Assert.True(r.UdpV4.Open);
            Assert.Same(accept, r.UdpV4.DecidingRule.Policy);
            Assert.False(r.TcpV4.Open);
            Assert.Equal(1, r.TcpV4.DecidingRule.Position);
        }

        [Fact]
        public void PartialDropAboveAcceptLeavesItOpenByTheAccept()
        {
            SecurityGroupPolicy accept = Accept("UDP", "53", "0.0.0.0/0");
            ExposureResult r = Eval(Drop("UDP", "53", "1.2.3.0/24"), accept);
            Assert.True(r.UdpV4.Open);
            Assert.Same(accept, r.UdpV4.DecidingRule.Policy);
        }

        [Fact]
        public void DropsThatTogetherCoverThePublicSpaceCloseAndTheLastOneDecides()
        {
            SecurityGroupPolicy second = Drop("UDP", "53", "128.0.0.0/1");
            ExposureResult r = Eval(Drop("UDP", "53", "0.0.0.0/1"), Drop("UDP", "53", "10.0.0.0/8"), second, Accept("UDP", "53", "0.0.0.0/0"));
            Assert.False(r.UdpV4.Open);
            Assert.Same(second, r.UdpV4.DecidingRule.Policy);
        }

        [Fact]
        public void DropsThatCoverOnlyThePublicPartsStillClose()
        {
            // Private space left undecided does not matter: only public sources can reach from the internet.
            var pieces = new List<SecurityGroupPolicy>();
            foreach (string cidr in new[] { "1.0.0.0/8", "2.0.0.0/7", "4.0.0.0/6", "8.0.0.0/7", "11.0.0.0/8", "12.0.0.0/6", "16.0.0.0/4",
                "32.0.0.0/3", "64.0.0.0/3", "96.0.0.0/6", "100.0.0.0/10", "100.128.0.0/9", "101.0.0.0/8", "102.0.0.0/7", "104.0.0.0/5",
                "112.0.0.0/5", "120.0.0.0/6", "124.0.0.0/7", "126.0.0.0/8", "128.0.0.0/3", "160.0.0.0/5", "168.0.0.0/8",
                "169.0.0.0/9", "169.128.0.0/10", "169.192.0.0/11", "169.224.0.0/12", "169.240.0.0/13", "169.248.0.0/14",
                "169.252.0.0/15", "169.255.0.0/16", "170.0.0.0/7", "172.0.0.0/12", "172.32.0.0/11", "172.64.0.0/10",
                "172.128.0.0/9", "173.0.0.0/8", "174.0.0.0/7", "176.0.0.0/4", "192.0.0.0/9", "192.128.0.0/11",
                "192.160.0.0/13", "192.169.0.0/16", "192.170.0.0/15", "192.172.0.0/14", "192.176.0.0/12", "192.192.0.0/10",
                "193.0.0.0/8", "194.0.0.0/7", "196.0.0.0/6", "200.0.0.0/5", "208.0.0.0/4" })
            {
                pieces.Add(Drop("UDP", "53", cidr));
            }
            SecurityGroupPolicy last = pieces[pieces.Count - 1];
            pieces.Add(Accept("ALL", "ALL", "0.0.0.0/0"));
            ExposureResult r = Eval(pieces.ToArray());
            Assert.False(r.UdpV4.Open);
            Assert.Same(last, r.UdpV4.DecidingRule.Policy);
            Assert.True(r.TcpV4.Open);
        }

        [Fact]
        public void AnAcceptShadowedByEarlierDropsIsNotTheDecidingRule()
        {
            // The second ACCEPT's public part (8.8.8.0/24) is already decided by the DROP; the 0/0 ACCEPT decides.
            SecurityGroupPolicy wide = Accept("UDP", "53", "0.0.0.0/0");
            ExposureResult r = Eval(Drop("UDP", "53", "8.0.0.0/8"), Accept("UDP", "53", "8.8.8.0/24"), Accept("UDP", "53", "10.0.0.0/8"), wide);
            Assert.True(r.UdpV4.Open);
            Assert.Same(wide, r.UdpV4.DecidingRule.Policy);
        }

        [Fact]
        public void AcceptOfPrivateSourcesOnlyIsClosedWithNoRule()
        {
            ExposureResult r = Eval(Accept("ALL", "ALL", "10.0.0.0/8"), Accept("UDP", "53", "192.168.0.0/16"), Rule6("UDP", "53", "fd00::/8"));
            Assert.False(r.Exposed);
            Assert.All(r.Verdicts, v => Assert.True(v.NoRuleMatched));
        }

        [Fact]
        public void EmptyGroupsAndNoGroupsAreDeniedWithNoRule()
        {
            foreach (ExposureResult r in new[] { Eval(new SecurityGroupPolicy[0]), Eval(Group("sg-a"), Group("sg-b")), RuleEvaluator.Evaluate(new ParsedGroup[0]) })
            {
                Assert.False(r.Exposed);
                Assert.All(r.Verdicts, v => { Assert.False(v.Open); Assert.Null(v.DecidingRule); Assert.True(v.IsCertain); });
            }
            Assert.Empty(Eval(new GroupPolicies[0]).OpenKeys);
        }

        [Fact]
        public void FirstGroupDropWinsOverSecondGroupAccept()
        {
            SecurityGroupPolicy drop = Drop("UDP", "53", "0.0.0.0/0");
            ExposureResult r = Eval(Group("sg-a", drop), Group("sg-b", Accept("ALL", "ALL", "0.0.0.0/0")));
            Assert.False(r.UdpV4.Open);
            Assert.Equal("sg-a", r.UdpV4.DecidingRule.GroupId);
            Assert.True(r.TcpV4.Open);
            Assert.Equal("sg-b", r.TcpV4.DecidingRule.GroupId);
        }

        [Fact]
        public void FirstGroupAcceptWinsOverSecondGroupDrop()
        {
            ExposureResult r = Eval(Group("sg-a", Accept("UDP", "53", "0.0.0.0/0")), Group("sg-b", Drop("ALL", "ALL", "0.0.0.0/0")));
            Assert.True(r.UdpV4.Open);
            Assert.Equal("sg-a", r.UdpV4.DecidingRule.GroupId);
            Assert.False(r.TcpV4.Open);
            Assert.Equal("sg-b", r.TcpV4.DecidingRule.GroupId);
        }

        [Fact]
        public void PartialDropInFirstGroupAndAcceptInSecond()
        {
            ExposureResult r = Eval(Group("sg-a", Drop("UDP", "53", "0.0.0.0/1")), Group("sg-b", Drop("UDP", "53", "128.0.0.0/2"), Accept("UDP", "53", "0.0.0.0/0")));
            Assert.True(r.UdpV4.Open);
            Assert.Equal("sg-b", r.UdpV4.DecidingRule.GroupId);
            Assert.Equal(1, r.UdpV4.DecidingRule.Position);
        }

        [Fact]
        public void PolicyIndexOrderWinsOverListOrder()
        {
            SecurityGroupPolicy drop = Rule("UDP", "53", "0.0.0.0/0", "DROP", index: 0);
            ExposureResult r = Eval(Rule("UDP", "53", "0.0.0.0/0", "ACCEPT", index: 1), drop);
            Assert.False(r.UdpV4.Open);
            Assert.Same(drop, r.UdpV4.DecidingRule.Policy);
            Assert.Equal(0L, r.UdpV4.DecidingRule.PolicyIndex);
            Assert.Equal(0, r.UdpV4.DecidingRule.Position);

            ExposureResult r2 = Eval(Rule("UDP", "53", "0.0.0.0/0", "DROP", index: 7), Rule("UDP", "53", "0.0.0.0/0", "ACCEPT", index: 3));
            Assert.True(r2.UdpV4.Open);
            Assert.Equal(3L, r2.UdpV4.DecidingRule.PolicyIndex);
        }

        [Fact]
        public void NullPolicyIndexKeepsListOrder()
        {
            SecurityGroupPolicy accept = Accept("UDP", "53", "0.0.0.0/0");
            ExposureResult r = Eval(accept, Drop("UDP", "53", "0.0.0.0/0"));
            Assert.True(r.UdpV4.Open);
            Assert.Null(r.UdpV4.DecidingRule.PolicyIndex);
            Assert.Equal(0, r.UdpV4.DecidingRule.Position);
        }

        [Fact]
        public void EqualPolicyIndexesKeepListOrderAndNullFollowsItsPredecessor()
        {
            SecurityGroupPolicy a = Rule("UDP", "53", "0.0.0.0/0", "ACCEPT", 5), b = Rule("UDP", "53", "0.0.0.0/0", "DROP", 5);
            Assert.Same(a, Eval(a, b).UdpV4.DecidingRule.Policy);
            Assert.Same(b, Eval(b, a).UdpV4.DecidingRule.Policy);

            SecurityGroupPolicy p9 = Rule("TCP", "53", "0.0.0.0/0", "ACCEPT", 9), pNull = Rule("UDP", "53", "0.0.0.0/0", "DROP", null),
                p1 = Rule("UDP", "53", "0.0.0.0/0", "ACCEPT", 1);
            IReadOnlyList<SecurityGroupPolicy> order = ParsedGroup.Order(new[] { p9, pNull, p1 });
            Assert.Equal(new[] { p1, p9, pNull }, order);
        }

        [Fact]
        public void TcpAndUdpAndFamiliesAreIndependent()
        {
            ExposureResult r = Eval(Drop("TCP", "53", "0.0.0.0/0"), Rule6("UDP", "53", "::/0", "DROP"), Accept("ALL", "ALL", "0.0.0.0/0"), Rule6("ALL", "ALL", "::/0"));
            Assert.True(r.UdpV4.Open);
            Assert.False(r.TcpV4.Open);
            Assert.False(r.UdpV6.Open);
            Assert.True(r.TcpV6.Open);
            Assert.Equal(new[] { ExposureKey.UdpV4, ExposureKey.TcpV6 }, r.OpenKeys);
            Assert.Same(r.UdpV4, r.Get(DnsProtocol.Udp, IpFamily.IPv4));
            Assert.Same(r.TcpV6, r[ExposureKey.TcpV6]);
        }

        [Fact]
        public void DropOfPrivateSpaceAboveAcceptChangesNothing()
        {
            ExposureResult r = Eval(Drop("ALL", "ALL", "10.0.0.0/8"), Drop("UDP", "53", "192.168.0.0/16"), Accept("UDP", "53", "0.0.0.0/0"));
            Assert.True(r.UdpV4.Open);
            Assert.Equal(2, r.UdpV4.DecidingRule.Position);
        }

        [Fact]
        public void DropOfPublicPartThenAcceptOfThatPartIsClosedForThatPart()
        {
            // 8.8.8.8 is dropped first; the later ACCEPT names only 8.8.8.8 → nothing public accepted.
            ExposureResult r = Eval(Drop("UDP", "53", "8.8.8.0/24"), Accept("UDP", "53", "8.8.8.8"));
            Assert.False(r.UdpV4.Open);
            Assert.True(r.UdpV4.NoRuleMatched);
        }

        [Fact]
        public void DropNotCoveringAllThenNothingIsClosedWithNoRule()
        {
            ExposureResult r = Eval(Drop("UDP", "53", "0.0.0.0/1"));
            Assert.False(r.UdpV4.Open);
            Assert.Null(r.UdpV4.DecidingRule);
        }

        [Fact]
        public void RuleReferenceCarriesGroupVersionAndPolicy()
        {
            SecurityGroupPolicy p = Rule("UDP", "53", "0.0.0.0/0", "ACCEPT", 4);
            ParsedGroup g = ParsedGroup.Parse(new GroupPolicies("sg-x", "17", new[] { p }), TemplateCatalog.Empty);
            ExposureVerdict v = RuleEvaluator.Evaluate(new[] { g }).UdpV4;
            Assert.Equal("sg-x", v.DecidingRule.GroupId);
            Assert.Equal("17", v.DecidingRule.GroupVersion);
            Assert.Equal(4L, v.DecidingRule.PolicyIndex);
            Assert.Same(p, v.DecidingRule.Policy);
        }

        [Fact]
        public void ParsedGroupIsReusableAcrossTargets()
        {
            ParsedGroup shared = ParsedGroup.Parse(Group("sg-shared", Accept("UDP", "53", "0.0.0.0/0")), TemplateCatalog.Empty);
            ParsedGroup blocker = ParsedGroup.Parse(Group("sg-block", Drop("UDP", "53", "0.0.0.0/0")), TemplateCatalog.Empty);
            Assert.True(RuleEvaluator.Evaluate(new[] { shared }).Exposed);
            Assert.False(RuleEvaluator.Evaluate(new[] { blocker, shared }).Exposed);
            Assert.True(RuleEvaluator.Evaluate(new[] { shared, blocker }).Exposed);
        }

        [Fact]
        public void FromPolicySetUsesIngressAndVersion()
        {
            var set = new SecurityGroupPolicySet { Version = "9", Ingress = new List<SecurityGroupPolicy> { Accept("UDP", "53", "0.0.0.0/0") },
                Egress = new List<SecurityGroupPolicy> { Drop("ALL", "ALL", "0.0.0.0/0") } };
            ExposureResult r = RuleEvaluator.Evaluate(new[] { GroupPolicies.From("sg-1", set) }, TemplateCatalog.Empty);
            Assert.True(r.UdpV4.Open);
            Assert.Equal("9", r.UdpV4.DecidingRule.GroupVersion);
            Assert.False(RuleEvaluator.Evaluate(new[] { GroupPolicies.From("sg-2", new SecurityGroupPolicySet()) }, null).Exposed);
        }
    }
}
