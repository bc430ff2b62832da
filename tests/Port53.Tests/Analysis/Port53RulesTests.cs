using System;
using System.Linq;
using Port53.Analysis;
using Port53.Api.Models;
using Xunit;
using static Port53.Tests.Analysis.Rules;

namespace Port53.Tests.Analysis
{
    public class Port53RulesTests
    {
        private static readonly DateTime Day = new DateTime(2026, 11, 23, 17, 45, 0, DateTimeKind.Utc);

        [Fact]
        public void MarkerFormatAndRoundTrip()
        {
            string marker = Port53Rules.Marker(Day);
            Assert.Equal("Port53: block public DNS (added 2026-11-23)", marker);
            Assert.True(Port53Rules.TryParseMarker(marker, out DateTime parsed));
            Assert.Equal(Day.Date, parsed);
            Assert.True(Port53Rules.TryParseMarker("  " + marker + " ", out _));
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("Port53: block public DNS")]
        [InlineData("Port53: block public DNS (added 2026-13-45)")]
        [InlineData("Port53: block public DNS (added 26-11-23)")]
        [InlineData("port53: block public dns (added 2026-11-23)")]
        [InlineData("Port53: block public DNS (added 2026-11-23) by alice")]
        [InlineData("my note: Port53: block public DNS (added 2026-11-23)")]
        [InlineData("Block DNS per Tencent notice")]
        public void NotAMarker(string description)
        {
            Assert.False(Port53Rules.TryParseMarker(description, out _));
        }

        [Fact]
        public void BuildsOneDropPerKeyInReportOrder()
        {
            var places = new[] { ExposureKey.TcpV6, ExposureKey.UdpV4, ExposureKey.TcpV6, ExposureKey.UdpV6, ExposureKey.TcpV4 }.Select(k => (k, 0));
            var rules = Port53Rules.EditForBlock(new SecurityGroupPolicy[0], places, Day, out _).After;
            Assert.Equal(4, rules.Count);
            Assert.Equal(new[] { "UDP", "TCP", "UDP", "TCP" }, rules.Select(r => r.Protocol));
            Assert.Equal(new[] { "0.0.0.0/0", "0.0.0.0/0", null, null }, rules.Select(r => r.CidrBlock));
            Assert.Equal(new[] { null, null, "::/0", "::/0" }, rules.Select(r => r.Ipv6CidrBlock));
            Assert.All(rules, r =>
            {
                Assert.Equal("53", r.Port);
                Assert.Equal("DROP", r.Action);
                Assert.Equal(0L, r.PolicyIndex);
                Assert.Equal("Port53: block public DNS (added 2026-11-23)", r.PolicyDescription);
                Assert.Null(r.SecurityGroupId);
                Assert.Null(r.ServiceTemplate);
                Assert.Null(r.AddressTemplate);
                Assert.True(Port53Rules.IsPort53Rule(r));
            });
            Assert.Equal(ExposureKey.All, rules.Select(r => { Assert.True(Port53Rules.TryGetKey(r, out ExposureKey k)); return k; }));
        }

        [Fact]
        public void RecognisesTheRuleAsTencentReturnsIt()
        {
            // Lowercase protocol/action, empty strings for unset fields, empty template objects.
            var echoed = new SecurityGroupPolicy
            {
                PolicyIndex = 0, Protocol = "udp", Port = "53", CidrBlock = "0.0.0.0/0", Ipv6CidrBlock = "", SecurityGroupId = "",
                ServiceTemplate = new ServiceTemplateSpecification { ServiceId = "", ServiceGroupId = "" },
                AddressTemplate = new AddressTemplateSpecification { AddressId = "", AddressGroupId = "" },
                Action = "drop", PolicyDescription = "Port53: block public DNS (added 2025-01-02)", ModifyTime = "2025-01-02 10:00:00",
            };
            Assert.True(Port53Rules.TryGetKey(echoed, out ExposureKey key));
            Assert.Equal(ExposureKey.UdpV4, key);

            var echoed6 = Rule6("tcp", " 53 ", "::/0", "DROP");
            echoed6.PolicyDescription = Port53Rules.Marker(Day);
            Assert.True(Port53Rules.TryGetKey(echoed6, out key));
            Assert.Equal(ExposureKey.TcpV6, key);
        }

        [Fact]
        public void AUsersOwnLookAlikeRuleIsNotPort53s()
        {
            SecurityGroupPolicy own = Drop("UDP", "53", "0.0.0.0/0");
            Assert.False(Port53Rules.IsPort53Rule(own));
            own.PolicyDescription = "block DNS per Tencent notice";
            Assert.False(Port53Rules.IsPort53Rule(own));
        }

        [Theory]
        [InlineData("ACCEPT", "UDP", "53", "0.0.0.0/0", null)]
        [InlineData("DROP", "ALL", "53", "0.0.0.0/0", null)]
        [InlineData("DROP", "ICMP", "53", "0.0.0.0/0", null)]
        [InlineData("DROP", "UDP", "53,80", "0.0.0.0/0", null)]
        [InlineData("DROP", "UDP", "ALL", "0.0.0.0/0", null)]
        [InlineData("DROP", "UDP", "1-100", "0.0.0.0/0", null)]
        [InlineData("DROP", "UDP", "53", "10.0.0.0/8", null)]
        [InlineData("DROP", "UDP", "53", "0.0.0.0/1", null)]
        [InlineData("DROP", "UDP", "53", null, "2001:db8::/32")]
        [InlineData("DROP", "UDP", "53", "0.0.0.0/0", "::/0")]
        [InlineData("DROP", "UDP", "53", null, null)]
        [InlineData("DROP", "UDP", "53", null, "::")]
        public void MarkerWithOtherFieldsIsNotPort53s(string action, string protocol, string port, string cidr, string cidr6)
        {
            var p = new SecurityGroupPolicy { Action = action, Protocol = protocol, Port = port, CidrBlock = cidr, Ipv6CidrBlock = cidr6, PolicyDescription = Port53Rules.Marker(Day) };
            Assert.False(Port53Rules.IsPort53Rule(p));
        }

        [Fact]
        public void MarkerOnTemplateOrGroupSourcedRuleIsNotPort53s()
        {
            foreach (SecurityGroupPolicy p in new[]
            {
                FromGroup("UDP", "53", "sg-peer", "DROP"),
                Address("UDP", "53", "ipm-any", null, "DROP"),
                Service("ppm-dns", null, "0.0.0.0/0", "DROP"),
            })
            {
                p.PolicyDescription = Port53Rules.Marker(Day);
                Assert.False(Port53Rules.IsPort53Rule(p));
            }
            SecurityGroupPolicy withSg = Port53Rules.Build(ExposureKey.UdpV4, Day);
            withSg.SecurityGroupId = "sg-peer";
            Assert.False(Port53Rules.IsPort53Rule(withSg));
            Assert.False(Port53Rules.IsPort53Rule(null));
        }

        [Fact]
        public void BuiltRulesCloseWhatTheyName()
        {
            ParsedGroup open = ParsedGroup.Parse(Group("sg-1", Accept("ALL", "ALL", "0.0.0.0/0"), Rule6("ALL", "ALL", "::/0")), TemplateCatalog.Empty);
            RuleListEdit edit = Port53Rules.EditForBlock(open.Rules.Select(r => r.Policy).ToList(), new[] { (ExposureKey.UdpV4, 0), (ExposureKey.UdpV6, 0) }, Day, out _);
            ExposureResult after = Port53Rules.Simulate(new[] { open }, 0, edit, TemplateCatalog.Empty);
            Assert.False(after.UdpV4.Open);
            Assert.False(after.UdpV6.Open);
            Assert.True(after.TcpV4.Open);
            Assert.True(after.TcpV6.Open);
            Assert.True(Port53Rules.IsPort53Rule(after.UdpV4.DecidingRule.Policy));
            Assert.True(Port53Rules.IsPort53Rule(after.UdpV6.DecidingRule.Policy));
            // The simulation does not change the group it was given.
            Assert.True(RuleEvaluator.Evaluate(new[] { open }).UdpV4.Open);
        }

        [Fact]
        public void PlanBlockInsertsOnlyWhatIsOpenAndProvesItCloses()
        {
            ParsedGroup g = ParsedGroup.Parse(Group("sg-1", Drop("TCP", "53", "0.0.0.0/0"), Accept("ALL", "ALL", "0.0.0.0/0")), TemplateCatalog.Empty);
            BlockPlan plan = Port53Rules.PlanBlock(new[] { g }, "sg-1", ExposureKey.All, Day, TemplateCatalog.Empty);
            Assert.Equal(new[] { ExposureKey.UdpV4 }, plan.KeysToBlock);
            Assert.Single(plan.Edit.Added);
            Assert.True(plan.Before.Exposed);
            Assert.False(plan.After.Exposed);
            Assert.True(plan.Closes);
            Assert.False(plan.IsNoOp);
        }

        [Fact]
        public void PlanBlockIsIdempotent()
        {
            SecurityGroupPolicy[] ingress = { Accept("UDP", "53", "0.0.0.0/0") };
            ParsedGroup g = ParsedGroup.Parse(Group("sg-1", ingress), TemplateCatalog.Empty);
            BlockPlan first = Port53Rules.PlanBlock(new[] { g }, "sg-1", new[] { ExposureKey.UdpV4 }, Day, TemplateCatalog.Empty);
            Assert.Single(first.Edit.Added);

            ParsedGroup written = ParsedGroup.Parse(Group("sg-1", first.Edit.After.ToArray()), TemplateCatalog.Empty);
            BlockPlan second = Port53Rules.PlanBlock(new[] { written }, "sg-1", new[] { ExposureKey.UdpV4 }, Day, TemplateCatalog.Empty);
            Assert.True(second.IsNoOp);
            Assert.True(second.Closes);
            Assert.Same(second.Before, second.After);
        }

        [Fact]
        public void PlanBlockOnALaterGroupCannotCloseAnEarlierAccept()
        {
            ParsedGroup a = ParsedGroup.Parse(Group("sg-a", Accept("UDP", "53", "0.0.0.0/0")), TemplateCatalog.Empty);
            ParsedGroup b = ParsedGroup.Parse(Group("sg-b"), TemplateCatalog.Empty);
            BlockPlan plan = Port53Rules.PlanBlock(new[] { a, b }, "sg-b", new[] { ExposureKey.UdpV4 }, Day, TemplateCatalog.Empty);
            Assert.False(plan.Closes);
            Assert.True(Port53Rules.PlanBlock(new[] { a, b }, "sg-a", new[] { ExposureKey.UdpV4 }, Day, TemplateCatalog.Empty).Closes);
        }

        [Fact]
        public void PlanBlockActsOnUncertainClosedVerdicts()
        {
            // Closed only because the unknown template is read as "no match": Block adds an explicit DROP.
            ParsedGroup g = ParsedGroup.Parse(Group("sg-1", Service("ppm-nope", null, "0.0.0.0/0")), TemplateCatalog.Empty);
            BlockPlan plan = Port53Rules.PlanBlock(new[] { g }, "sg-1", new[] { ExposureKey.UdpV4 }, Day, TemplateCatalog.Empty);
            Assert.False(plan.Before.UdpV4.Open);
            Assert.Equal(new[] { ExposureKey.UdpV4 }, plan.KeysToBlock);
            Assert.True(plan.After.UdpV4.IsCertain);
        }

        [Fact]
        public void PlanBlockRejectsAnUnboundTarget()
        {
            ParsedGroup g = ParsedGroup.Parse(Group("sg-1"), TemplateCatalog.Empty);
            Assert.Throws<ArgumentException>(() => Port53Rules.PlanBlock(new[] { g }, "sg-2", ExposureKey.All, Day, TemplateCatalog.Empty));
        }
    }
}
