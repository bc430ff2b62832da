using System;
using System.Collections.Generic;
using System.Linq;
using Port53.Emulator.Faults;
using Port53.Emulator.Hosting;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Cmdlets
{
    /// <summary>A generated fleet with 120 Lighthouse instances in 4 regions behind Tencent's published rate limits.</summary>
    public sealed class GeneratedLighthouseSession : EmulatorSession
    {
        public const int Lighthouse = 120;

        public GeneratedLighthouseSession() : base(new Fleet()) { }

        private sealed class Fleet : EmulatorFixture
        {
            protected override EmulatorOptions CreateOptions() => new EmulatorOptions
            {
                Generate = "instances=40,regions=4,groups=8,exposed=0.3,seed=17,lighthouse=" + Lighthouse,
                Faults = new FaultSettings(),
            };
        }
    }

    public class LighthouseFleetAuditTests : IClassFixture<GeneratedLighthouseSession>
    {
        private readonly GeneratedLighthouseSession _ps;

        public LighthouseFleetAuditTests(GeneratedLighthouseSession ps)
        {
            _ps = ps;
            _ps.Restore();
        }

        [Fact]
        public void EveryRegionsFirewallsAreReadAtOnceEachAtItsOwnEndpointsPace()
        {
            // Lighthouse paces DescribeFirewallRules at 10 a second per access region and the listing comes a region at a
            // time: the firewalls of every region must be asked for while the others are read, not one region after another,
            // however few working places the command has.
            _ps.Server.UpdateFaults(f => f.LatencyMinMs = f.LatencyMaxMs = 20);
            PsResult r = _ps.Run("Connect-TcAccount -SecretId $id -SecretKey $key -Endpoint ('regional+' + $ep) -Region ap-guangzhou\n" +
                "Get-TcLighthouseInstance -Region * | Test-TcPort53 -ThrottleLimit 4 | Measure-Object | Select-Object -ExpandProperty Count", new Dictionary<string, object>
            {
                ["id"] = _ps.Server.SecretId,
                ["key"] = FleetSession.Secure(_ps.Server.SecretKey),
                ["ep"] = _ps.Server.BaseUrl.GetLeftPart(UriPartial.Authority),
            });
            r.AssertNoErrors();
            Assert.Equal(GeneratedLighthouseSession.Lighthouse, Convert.ToInt32(r.Output.Last().BaseObject));
            var reads = _ps.Server.Requests.Select((q, i) => (q, i)).Where(x => x.q.Action == "DescribeFirewallRules").ToList();
            Assert.Equal(GeneratedLighthouseSession.Lighthouse, reads.Count);
            var byRegion = reads.GroupBy(x => x.q.AccessRegion).ToDictionary(g => g.Key, g => (First: g.Min(x => x.i), Last: g.Max(x => x.i)));
            Assert.True(byRegion.Count > 1, "the firewalls of one region only were read");
            // In the order the emulator received them: the last region to start did so before the first to finish was done.
            Assert.True(byRegion.Values.Max(v => v.First) < byRegion.Values.Min(v => v.Last),
                string.Join("; ", byRegion.Select(kv => kv.Key + " reads " + kv.Value.First + "-" + kv.Value.Last)));
            Assert.DoesNotContain(_ps.Server.Requests, q => q.ErrorCode == "RequestLimitExceeded");
        }
    
        [Fact]
        public void BlockWritesEveryRegionsFirewallsAtOnce()
        {
            // Writes are paced per access region too (ModifyFirewallRules 20 a second): taken region after region, a few
            // working places would all wait on one region's budget.
            _ps.Server.UpdateFaults(f => f.LatencyMinMs = f.LatencyMaxMs = 20);
            PsResult r = _ps.Run("Connect-TcAccount -SecretId $id -SecretKey $key -Endpoint ('regional+' + $ep) -Region ap-guangzhou\n" +
                "Get-TcLighthouseInstance -Region * | Test-TcPort53 | Where-Object Exposed | Block-TcPort53 -Force -ThrottleLimit 2 -JournalPath $journal | Measure-Object | Select-Object -ExpandProperty Count",
                new Dictionary<string, object>
                {
                    ["id"] = _ps.Server.SecretId,
                    ["key"] = FleetSession.Secure(_ps.Server.SecretKey),
                    ["ep"] = _ps.Server.BaseUrl.GetLeftPart(UriPartial.Authority),
                    ["journal"] = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "port53-lhfleet-" + Guid.NewGuid().ToString("N") + ".jsonl"),
                });
            r.AssertNoErrors();
            var writes = _ps.Server.Requests.Select((q, i) => (q, i)).Where(x => x.q.Action == "ModifyFirewallRules").ToList();
            var byRegion = writes.GroupBy(x => x.q.AccessRegion).ToDictionary(g => g.Key, g => (First: g.Min(x => x.i), Last: g.Max(x => x.i)));
            Assert.True(byRegion.Count > 1, "the firewalls of one region only were written");
            Assert.True(byRegion.Values.Max(v => v.First) < byRegion.Values.Min(v => v.Last),
                string.Join("; ", byRegion.Select(kv => kv.Key + " writes " + kv.Value.First + "-" + kv.Value.Last)));
        }
    }
}
