using System.Linq;
using System.Text.Json.Nodes;
using Port53.Emulator.Hosting;
using Port53.Emulator.Model;
using Port53.Model;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Cmdlets
{
    /// <summary>
    /// The demo fleet plus what it lacks on purpose: an instance bound to no group, and two groups whose rules name a
    /// service template that does not exist (ppm-missing1), so verdicts that reach them are uncertain.
    /// </summary>
    public sealed class EdgeFleetSession : EmulatorSession
    {
        public EdgeFleetSession() : base(new EdgeFleet()) { }

        private sealed class EdgeFleet : EmulatorFixture
        {
            protected override EmulatorOptions CreateOptions()
            {
                EmulatorOptions options = EmulatorOptions.ForTests();
                JsonObject fleet = JsonNode.Parse(FleetJson.Serialize(FleetJson.Demo())).AsObject();
                JsonArray instances = fleet["Instances"].AsArray(), groups = fleet["SecurityGroups"].AsArray();
                instances.Add(Instance("ins-gznogrp1", "ap-guangzhou"));
                instances.Add(Instance("ins-shunk001", "ap-shanghai", "sg-unktpl01"));
                instances.Add(Instance("ins-shunk002", "ap-shanghai", "sg-unktpl02"));
                groups.Add(Group("sg-unktpl01", MissingTemplateRule(), JsonNode.Parse("{\"Protocol\":\"UDP\",\"Port\":\"53\",\"CidrBlock\":\"0.0.0.0/0\",\"Action\":\"ACCEPT\"}")));
                groups.Add(Group("sg-unktpl02", MissingTemplateRule()));
                options.Fleet = FleetJson.Parse(fleet.ToJsonString());
                return options;
            }

            private static JsonNode MissingTemplateRule() =>
                JsonNode.Parse("{\"ServiceTemplate\":{\"ServiceId\":\"ppm-missing1\"},\"CidrBlock\":\"0.0.0.0/0\",\"Action\":\"ACCEPT\"}");

            private static JsonNode Instance(string id, string region, params string[] groups) => new JsonObject
            {
                ["Region"] = region, ["InstanceId"] = id, ["InstanceName"] = id, ["InstanceState"] = "RUNNING",
                ["PublicIpAddresses"] = new JsonArray("203.0.113.53"),
                ["SecurityGroupIds"] = new JsonArray(groups.Select(g => (JsonNode)g).ToArray()),
            };

            private static JsonNode Group(string id, params JsonNode[] ingress) => new JsonObject
            {
                ["Region"] = "ap-shanghai", ["SecurityGroupId"] = id, ["SecurityGroupName"] = id,
                ["SecurityGroupPolicySet"] = new JsonObject { ["Version"] = "1", ["Ingress"] = new JsonArray(ingress), ["Egress"] = new JsonArray() },
            };
        }
    }

    public class AuditEdgeCaseTests : IClassFixture<EdgeFleetSession>
    {
        private readonly EdgeFleetSession _ps;

        public AuditEdgeCaseTests(EdgeFleetSession ps)
        {
            _ps = ps;
            _ps.Restore();
        }

        [Fact]
        public void AnUnknownTemplateMakesTheVerdictsItReachesUncertainWithOneWarningPerTemplate()
        {
            PsResult r = _ps.RunConnected("Get-TcInstance -Region ap-shanghai | Test-TcPort53");
            r.AssertNoErrors();
            TcPort53Exposure[] all = r.Output.Select(o => (TcPort53Exposure)o.BaseObject).ToArray();
            string warning = Assert.Single(r.Warnings);
            Assert.Contains("ppm-missing1", warning);
            Assert.Contains("uncertain", warning);

            // #0 is unclear and treated as not matching, so #1 decides UDP/IPv4; nothing decides TCP/IPv4.
            TcPort53Exposure one = all.Single(e => e.InstanceId == "ins-shunk001");
            Assert.Equal(new[] { "open sg-unktpl01#1", "closed -", "closed -", "closed -" }, one.Verdicts.Select(DemoExposure.Show));
            Assert.Equal(new[] { false, false, true, true }, one.Verdicts.Select(v => v.IsCertain));
            Assert.False(one.IsCertain);
            Assert.Equal("open: sg-unktpl01#1 (uncertain)", one.UdpIPv4.ToString());
            Assert.Contains("ppm-missing1", Assert.Single(one.UdpIPv4.Warnings));

            TcPort53Exposure two = all.Single(e => e.InstanceId == "ins-shunk002");
            Assert.False(two.Exposed);
            Assert.Equal(new[] { false, false, true, true }, two.Verdicts.Select(v => v.IsCertain));

            // The demo instances of the region are unaffected.
            foreach (TcPort53Exposure e in all.Where(e => !e.InstanceId.StartsWith("ins-shunk")))
                DemoExposure.AssertMatches(DemoExposure.Instance(e.InstanceId), e);
        }

        [Fact]
        public void AnInstanceWithNoGroupIsAnErrorForTestAndNothingToListForTheOthers()
        {
            PsResult test = _ps.RunConnected("Get-TcInstance -InstanceId ins-gznogrp1, ins-gzdns001 | Test-TcPort53");
            Assert.Equal("ins-gzdns001", ((TcPort53Exposure)Assert.Single(test.Output).BaseObject).InstanceId);
            var error = test.SingleFailure();
            Assert.Equal("Port53.NoSecurityGroup,Port53.Cmdlets.TestTcPort53Command", error.FullyQualifiedErrorId);
            Assert.Equal("ins-gznogrp1", ((TcInstance)error.TargetObject).InstanceId);

            PsResult rules = _ps.RunConnected("Get-TcInstance -InstanceId ins-gznogrp1 | Get-TcSecurityGroupRule -Verbose");
            rules.AssertNoErrors();
            Assert.Empty(rules.Output);
            Assert.Contains(rules.Verbose, v => v.Contains("ins-gznogrp1"));

            PsResult groups = _ps.RunConnected("Get-TcInstance -InstanceId ins-gznogrp1 | Get-TcSecurityGroup");
            groups.AssertNoErrors();
            Assert.Empty(groups.Output);
        }

        [Fact]
        public void ADeserialisedInstanceIsLookedUpByItsIdAndRegion()
        {
            // What Import-Clixml or remoting hands back: a property bag, not a TcInstance.
            PsResult r = _ps.RunConnected(
                "[pscustomobject]@{ PSTypeName = 'Deserialized.Port53.Model.TcInstance'; InstanceId = 'ins-shsvc001'; Region = 'ap-shanghai'; SecurityGroupIds = @('sg-svctmpl1') } | Test-TcPort53");
            r.AssertNoErrors();
            TcPort53Exposure e = (TcPort53Exposure)Assert.Single(r.Output).BaseObject;
            DemoExposure.AssertMatches(DemoExposure.Instance("ins-shsvc001"), e);
            Assert.Equal(1, _ps.Count("DescribeInstances"));
        }
    }
}
