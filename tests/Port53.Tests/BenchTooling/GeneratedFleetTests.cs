using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Port53.Api;
using Port53.Benchmarks.Fleet;
using Port53.Emulator.Faults;
using Port53.Emulator.Hosting;
using Port53.Emulator.Model;
using Port53.Tests.Cmdlets;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.BenchTooling
{
    /// <summary>A small generated fleet in-process and a PowerShell session: the fleet benchmark's definitions against the real module and emulator.</summary>
    public class GeneratedFleetFixture : IAsyncLifetime
    {
        /// <summary>The emulator's --generate spec.</summary>
        protected virtual string Spec => "instances=250,regions=3,groups=30,exposed=0.3,seed=4";

        public EmulatorServer Server { get; private set; }
        public PowerShellSession Session { get; private set; }

        public virtual async Task InitializeAsync()
        {
            Server = await EmulatorServer.StartAsync(new EmulatorOptions { Generate = Spec, Faults = FaultSettings.NoRateLimits() });
            Session = new PowerShellSession();
        }

        // A fresh session and connection, as every benchmark phase starts: the region lists and the account are read once per session.
        public void Connect()
        {
            Session?.Dispose();
            Session = new PowerShellSession();
            var variables = new Dictionary<string, object>
            {
                ["id"] = Server.SecretId,
                ["key"] = FleetSession.Secure(Server.SecretKey),
                ["ep"] = Server.BaseUrl.GetLeftPart(UriPartial.Authority),
            };
            Session.Run("Connect-TcAccount -SecretId $id -SecretKey $key -Endpoint $ep -Region ap-guangzhou", variables).AssertNoErrors();
            Server.ClearRequests();
        }

        /// <summary>The calls since <see cref="Connect"/>, keyed as the benchmark keys them: Lighthouse's DescribeRegions and DescribeInstances apart from CVM's.</summary>
        public Dictionary<string, int> CallsMade() => Server.Requests.GroupBy(r => TencentRateLimits.Key(r.Service, r.Action)).ToDictionary(g => g.Key, g => g.Count());

        public async Task DisposeAsync()
        {
            Session?.Dispose();
            if (Server != null) await Server.DisposeAsync();
        }
    }

    public class GeneratedFleetTests : IClassFixture<GeneratedFleetFixture>
    {
        private readonly GeneratedFleetFixture _f;

        public GeneratedFleetTests(GeneratedFleetFixture fixture) => _f = fixture;

        [Fact]
        public void TheStateReaderSeesWhatTheEmulatorHolds()
        {
            FleetState read = FleetState.Parse(_f.Server.GetStateJson());
            Port53.Emulator.Model.Fleet model = _f.Server.GetState();
            Assert.Equal(model.Regions.Select(r => r.Region), read.Regions.Select(r => r.Region));
            Assert.Equal(model.Instances.Select(i => i.InstanceId + ":" + string.Join(",", i.SecurityGroupIds)),
                read.Instances.Select(i => i.InstanceId + ":" + string.Join(",", i.SecurityGroupIds)));
            Assert.Equal(model.ServiceTemplateGroups.Count, read.ServiceTemplateGroups.Count);
            Assert.Equal(model.AddressTemplates.Count, read.AddressTemplates.Count);
            foreach (SecurityGroup g in model.SecurityGroups)
            {
                FleetGroup r = read.Group(new FleetGroupKey(g.Region, g.SecurityGroupId));
                Assert.NotNull(r);
                Assert.Equal(g.SecurityGroupPolicySet.Ingress.Select(p => p.Protocol + " " + p.Port + " " + p.CidrBlock + " " + p.ServiceTemplate?.ServiceGroupId + " " + p.AddressTemplate?.AddressId),
                    r.SecurityGroupPolicySet.Ingress.Select(p => p.Protocol + " " + p.Port + " " + p.CidrBlock + " " + p.ServiceTemplate?.ServiceGroupId + " " + p.AddressTemplate?.AddressId));
            }
            // The generator's templated exposures make the audit need template lists.
            Assert.Contains(MinimumCalls.Audit(read).Calls.Keys, k => k.Contains("Template"));
        }

        [Fact]
        public void GetTcInstanceOfEveryRegionMakesExactlyTheInventoryMinimum()
        {
            FleetState fleet = FleetState.Parse(_f.Server.GetStateJson());
            _f.Connect();
            PsResult result = _f.Session.Run("$n = 0; Get-TcInstance -Region * | ForEach-Object { $n++ }; $n");
            result.AssertNoErrors();
            Assert.Equal(fleet.Instances.Count, Convert.ToInt32(result.Output.Single().BaseObject));
            Assert.Equal(MinimumCalls.Inventory(fleet).Calls.ToDictionary(kv => kv.Key, kv => kv.Value), _f.CallsMade());
        }

        [Fact]
        public void TheBenchmarksBlockPipelineMakesExactlyTheBlockMinimum()
        {
            // The fleet before the block (the minimum is computed from it), and the exposed instances as the audit reported them.
            FleetState fleet = FleetState.Parse(_f.Server.GetStateJson());
            _f.Connect();
            PsResult result = _f.Session.Run("$exposed = [System.Collections.Generic.List[string]]::new()\n" +
                "Get-TcInstance -Region * | Test-TcPort53 | Where-Object Exposed | ForEach-Object { $exposed.Add($_.InstanceId); $_ } | Block-TcPort53 -Force\n" +
                "$exposed");
            result.AssertNoErrors();
            string[] exposed = result.Output.Select(o => (string)o.BaseObject).ToArray();
            Assert.NotEmpty(MinimumCalls.BlockTargets(fleet, exposed));
            Assert.Equal(MinimumCalls.Block(fleet, exposed).Calls.ToDictionary(kv => kv.Key, kv => kv.Value), _f.CallsMade());
        }
    }
}
