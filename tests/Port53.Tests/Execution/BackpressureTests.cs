using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Port53.Execution;
using Port53.Tests.BenchTooling;
using Port53.Tests.Cmdlets;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Execution
{
    /// <summary>One region of 1,000 instances: ten DescribeInstances pages.</summary>
    public sealed class OneBigRegionFixture : GeneratedFleetFixture
    {
        protected override string Spec => "instances=1000,regions=1,groups=20,exposed=0.3,seed=5";

        public override async System.Threading.Tasks.Task InitializeAsync()
        {
            await base.InitializeAsync();
            Session.Run("Connect-TcAccount -SecretId $id -SecretKey $key -Endpoint $ep", new Dictionary<string, object>
            {
                ["id"] = Server.SecretId,
                ["key"] = FleetSession.Secure(Server.SecretKey),
                ["ep"] = Server.BaseUrl.GetLeftPart(UriPartial.Authority),
            }).AssertNoErrors();
        }
    }

    /// <summary>What the emulator has been asked so far, for a script to look at while its pipeline runs.</summary>
    public sealed class RequestProbe
    {
        private readonly Port53.Emulator.Hosting.EmulatorServer _server;

        public RequestProbe(Port53.Emulator.Hosting.EmulatorServer server) => _server = server;

        public int Count(string action) => _server.Requests.Count(r => r.Action == action);
    }

    /// <summary>
    /// Streaming with a slow consumer: Get-TcInstance must not list ahead of what the pipeline takes, or a slow
    /// Test-TcPort53 (paced by the rule-read limit) would have the whole fleet in memory.
    /// </summary>
    public class BackpressureTests : IClassFixture<OneBigRegionFixture>
    {
        private readonly OneBigRegionFixture _f;

        public BackpressureTests(OneBigRegionFixture fixture) => _f = fixture;

        [Fact]
        public void ASlowConsumerHoldsTheListingBackAndStillGetsEveryInstance()
        {
            _f.Server.ClearRequests();
            PsResult r = _f.Session.Run(
                "$n = 0; $seen = -1; " +
                "Get-TcInstance -Region * | ForEach-Object { $n++; if ($n -eq 250) { $seen = $probe.Count('DescribeInstances') } elseif ($n -lt 250) { [System.Threading.Thread]::Sleep(8) } }; " +
                "$n; $seen",
                new Dictionary<string, object> { ["probe"] = new RequestProbe(_f.Server) });
            r.AssertNoErrors();
            Assert.Equal(1000, (int)r.Output[0].BaseObject);
            int seen = (int)r.Output[1].BaseObject;
            // The 250th instance is on page 3, two seconds in. By then at most the queue's worth of pages may have
            // been asked for ahead of it (each later page waits for a place), not all ten.
            Assert.True(seen >= 3 && seen <= 3 + OutboxPump.MaxPendingOutput, "pages asked for by the 250th instance: " + seen);
            Assert.Equal(10, _f.Server.Requests.Count(q => q.Action == "DescribeInstances"));
        }
    }
}
