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

        [Fact]
        public void EveryRegionsRulesAreReadAtOnceEachAtItsOwnEndpointsPace()
        {
            // Each region's endpoint has budgets of its own, and the listing comes a region's page at a time: the groups of
            // every region must be asked for while the others are read, not one region after another.
            _ps.Server.UpdateFaults(f => f.LatencyMinMs = f.LatencyMaxMs = 20);
            PsResult r = _ps.Run("Connect-TcAccount -SecretId $id -SecretKey $key -Endpoint ('regional+' + $ep) -Region ap-guangzhou\n" +
                "Get-TcInstance -Region * | Test-TcPort53 | Measure-Object | Select-Object -ExpandProperty Count", new System.Collections.Generic.Dictionary<string, object>
            {
                ["id"] = _ps.Server.SecretId,
                ["key"] = FleetSession.Secure(_ps.Server.SecretKey),
                ["ep"] = _ps.Server.BaseUrl.GetLeftPart(UriPartial.Authority),
            });
            r.AssertNoErrors();
            Assert.Equal(GeneratedFleetSession.Instances, Convert.ToInt32(r.Output.Last().BaseObject));
            var reads = _ps.Server.Requests.Select((q, i) => (q, i)).Where(x => x.q.Action == "DescribeSecurityGroupPolicies").ToList();
            var byRegion = reads.GroupBy(x => x.q.AccessRegion).ToDictionary(g => g.Key, g => (First: g.Min(x => x.i), Last: g.Max(x => x.i)));
            Assert.Equal(_ps.Server.GetState().Regions.Count(g => reads.Any(x => x.q.Region == g.Region)), byRegion.Count);
            // In the order the emulator received them: the last region to start did so before the first to finish was done.
            Assert.True(byRegion.Values.Max(v => v.First) < byRegion.Values.Min(v => v.Last),
                string.Join("; ", byRegion.Select(kv => kv.Key + " reads " + kv.Value.First + "-" + kv.Value.Last)));
        }
    }
}
