using System;
using System.Linq;
using Port53.Emulator.Faults;
using Port53.Emulator.Hosting;
using Port53.Model;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Cmdlets
{
    /// <summary>A generated fleet of 1,000 instances in 4 regions behind Tencent's published rate limits.</summary>
    public sealed class GeneratedFleetSession : EmulatorSession
    {
        public const int Instances = 1000;

        public GeneratedFleetSession() : base(new GeneratedFleet()) { }

        private sealed class GeneratedFleet : EmulatorFixture
        {
            protected override EmulatorOptions CreateOptions() => new EmulatorOptions
            {
                Generate = "instances=" + Instances + ",regions=4,groups=120,exposed=0.3,seed=53",
                Faults = new FaultSettings(),
            };
        }
    }

    public class FleetScaleAuditTests : IClassFixture<GeneratedFleetSession>
    {
        private readonly GeneratedFleetSession _ps;

        public FleetScaleAuditTests(GeneratedFleetSession ps)
        {
            _ps = ps;
            _ps.Restore();
        }

        [Fact]
        public void AFleetWideAuditReadsEachBoundGroupOnceAndTemplatesOncePerRegionWithinTheRateLimits()
        {
            PsResult r = _ps.RunConnected("Get-TcInstance -Region * | Test-TcPort53 -ThrottleLimit 16");
            r.AssertNoErrors();
            Assert.Equal(GeneratedFleetSession.Instances, r.Output.Select(o => ((TcPort53Exposure)o.BaseObject).InstanceId).Distinct().Count());

            var fleet = _ps.Server.GetState();
            var bound = fleet.Instances.SelectMany(i => i.SecurityGroupIds).Distinct().ToList();
            Assert.All(bound, g => Assert.Equal(1, _ps.Count("DescribeSecurityGroupPolicies", g)));
            Assert.Equal(bound.Count, _ps.Count("DescribeSecurityGroupPolicies"));
            foreach (string action in new[] { "DescribeServiceTemplates", "DescribeServiceTemplateGroups", "DescribeAddressTemplates", "DescribeAddressTemplateGroups" })
                Assert.All(fleet.Regions, region => Assert.InRange(_ps.Count(action, region: region.Region), 0, 1));
            // The client paces itself to the published limits, so the emulator never had to refuse a request.
            Assert.DoesNotContain(_ps.Server.Requests, q => q.ErrorCode == "RequestLimitExceeded");
        }
    }
}
