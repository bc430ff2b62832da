using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using Port53.Emulator.Hosting;
using Port53.Model;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Cmdlets
{
    /// <summary>
    /// Get-TcRegion and Get-TcInstance end to end: a hosted engine with the built module, connected with
    /// Connect-TcAccount -Endpoint to the in-process emulator serving the demo fleet. Expected values come from
    /// docs/emulator.md (Demo fleet) or from the fleet itself, never from the cmdlets' output.
    /// </summary>
    public class EmulatorReadTests : InProcessEmulatorTests<EmulatorFixture>, IClassFixture<EmulatorFixture>
    {
        // docs/emulator.md, Demo fleet: every instance with its region.
        private static readonly Dictionary<string, string> DemoInstances = new Dictionary<string, string>
        {
            ["ins-gzweb001"] = "ap-guangzhou", ["ins-gzdns001"] = "ap-guangzhou", ["ins-gzdrop01"] = "ap-guangzhou",
            ["ins-gzshr001"] = "ap-guangzhou", ["ins-gzshr002"] = "ap-guangzhou", ["ins-gzshr003"] = "ap-guangzhou",
            ["ins-gzshr004"] = "ap-guangzhou", ["ins-gzshr005"] = "ap-guangzhou", ["ins-gzpriv01"] = "ap-guangzhou",
            ["ins-gzsrcg01"] = "ap-guangzhou", ["ins-gzlate01"] = "ap-guangzhou", ["ins-gznopub1"] = "ap-guangzhou",
            ["ins-shtcp001"] = "ap-shanghai", ["ins-shrange1"] = "ap-shanghai", ["ins-shlist01"] = "ap-shanghai", ["ins-shsvc001"] = "ap-shanghai",
            ["ins-bjipv601"] = "ap-beijing", ["ins-bjaddr01"] = "ap-beijing", ["ins-bjblock1"] = "ap-beijing",
            ["ins-hkweb001"] = "ap-hongkong", ["ins-hkdns001"] = "ap-hongkong",
        };

        public EmulatorReadTests(EmulatorFixture emu, PowerShellSession ps) : base(emu, ps)
        {
        }

        private PsResult Run(string script, string region = "ap-guangzhou") => RunConnected(script, region);

        private static TcInstance[] Instances(PsResult r) => r.Output.Select(o => Assert.IsType<TcInstance>(o.BaseObject)).ToArray();

        private int Calls(string action) => Emu.Server.Requests.Count(q => q.Action == action);

        [Fact]
        public void GetTcRegionListsTheFleetsRegions()
        {
            var r = Run("Get-TcRegion\nGet-TcRegion -Name 'ap-s*'");
            r.AssertNoErrors();
            TcRegion[] regions = r.Output.Select(o => Assert.IsType<TcRegion>(o.BaseObject)).ToArray();
            var fleet = Emu.Server.GetState().Regions;
            Assert.Equal(fleet.Select(x => x.Region).Concat(new[] { "ap-shanghai", "ap-singapore" }), regions.Select(x => x.Region));
            Assert.Equal(fleet.Select(x => x.RegionName), regions.Take(fleet.Count).Select(x => x.RegionName));
            Assert.All(regions, x => Assert.True(x.IsAvailable));
        }

        [Fact]
        public void StarListsEveryDemoInstanceWithOneCallPerAvailableRegion()
        {
            var r = Run("Get-TcInstance -Region *");
            r.AssertNoErrors();
            TcInstance[] all = Instances(r);
            Assert.Equal(DemoInstances.OrderBy(kv => kv.Key), all.Select(i => new KeyValuePair<string, string>(i.InstanceId, i.Region)).OrderBy(kv => kv.Key));
            Assert.Equal(5, Calls("DescribeInstances"));
            Assert.Equal(new[] { "sg-firstdrp", "sg-allopen1" }, all.Single(i => i.InstanceId == "ins-gzdrop01").SecurityGroupIds);
            Assert.Empty(all.Single(i => i.InstanceId == "ins-gznopub1").PublicIpAddresses);
        }

        [Fact]
        public void NameWildcardsAndExactNames()
        {
            var r = Run("Get-TcInstance -Name 'gz-shared-*'");
            r.AssertNoErrors();
            Assert.Equal(new[] { "ins-gzshr001", "ins-gzshr002", "ins-gzshr003", "ins-gzshr004", "ins-gzshr005" }, Instances(r).Select(i => i.InstanceId).OrderBy(x => x));

            r = Run("Get-TcInstance -Region * -Name 'HK-*', sh-port-list");
            r.AssertNoErrors();
            Assert.Equal(new[] { "ins-hkdns001", "ins-hkweb001", "ins-shlist01" }, Instances(r).Select(i => i.InstanceId).OrderBy(x => x));
        }

        [Fact]
        public void ZoneStateAndTagFilters()
        {
            var fleet = Emu.Server.GetState().Instances;
            var r = Run("Get-TcInstance -Zone ap-shanghai-2", region: "ap-shanghai");
            r.AssertNoErrors();
            Assert.Equal(fleet.Where(i => i.Placement?.Zone == "ap-shanghai-2").Select(i => i.InstanceId).OrderBy(x => x), Instances(r).Select(i => i.InstanceId).OrderBy(x => x));
            Assert.Empty(Instances(Run("Get-TcInstance -Zone ap-guangzhou-9")));

            // docs/emulator.md: every demo instance runs except ins-hkdns001.
            r = Run("Get-TcInstance -Region * -State STOPPED");
            r.AssertNoErrors();
            Assert.Equal("ins-hkdns001", Assert.Single(Instances(r)).InstanceId);

            r = Run("Get-TcInstance -Tag @{ env = 'prod' }");
            r.AssertNoErrors();
            Assert.Equal(fleet.Where(i => i.Region == "ap-guangzhou" && i.Tags.Any(t => t.Key == "env" && t.Value == "prod")).Select(i => i.InstanceId).OrderBy(x => x),
                Instances(r).Select(i => i.InstanceId).OrderBy(x => x));

            r = Run("Get-TcInstance -Region * -Tag @{ team = '*' }");
            r.AssertNoErrors();
            Assert.Equal(fleet.Where(i => i.Tags.Any(t => t.Key == "team")).Select(i => i.InstanceId).OrderBy(x => x), Instances(r).Select(i => i.InstanceId).OrderBy(x => x));
            Assert.NotEmpty(Instances(r));
        }

        [Fact]
        public void InstanceIdsFoundAndMissing()
        {
            var r = Run("Get-TcInstance -InstanceId ins-gzweb001, ins-shtcp001, ins-0000dead -Region *");
            Assert.Null(r.Terminating);
            Assert.Equal(new[] { ("ins-gzweb001", "ap-guangzhou"), ("ins-shtcp001", "ap-shanghai") },
                Instances(r).Select(i => (i.InstanceId, i.Region)).OrderBy(x => x.InstanceId));
            ErrorRecord missing = Assert.Single(r.Errors);
            Assert.Equal("Port53.InstanceNotFound,Port53.Cmdlets.GetTcInstanceCommand", missing.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, missing.CategoryInfo.Category);
            Assert.Equal("ins-0000dead", missing.TargetObject);
            Assert.Contains("ins-0000dead", missing.Exception.Message);

            r = Run("[pscustomobject]@{ InstanceId = 'ins-bjblock1'; Region = 'ap-beijing' } | Get-TcInstance");
            r.AssertNoErrors();
            Assert.Equal("bj-already-blocked", Assert.Single(Instances(r)).InstanceName);
        }

        [Fact]
        public void AnUnknownRegionIsOneErrorAndTheOthersAnswer()
        {
            var r = Run("Get-TcInstance -Region ap-beijing, mars-north-1");
            Assert.Null(r.Terminating);
            Assert.Equal(3, Instances(r).Length);
            ErrorRecord error = Assert.Single(r.Errors);
            Assert.Equal("Port53.UnknownRegion,Port53.Cmdlets.GetTcInstanceCommand", error.FullyQualifiedErrorId);
            Assert.Equal("mars-north-1", error.TargetObject);
        }

        [Fact]
        public void ADefaultRegionTheServiceDoesNotKnowIsTencentsUnsupportedRegion()
        {
            var r = Run("Get-TcInstance", region: "mars-north-1");
            Assert.Empty(r.Output);
            ErrorRecord error = r.SingleFailure();
            Assert.Equal("TencentCloud.UnsupportedRegion,Port53.Cmdlets.GetTcInstanceCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Contains("mars-north-1", error.Exception.Message);
            Assert.Contains(Emu.Server.Requests, q => q.Action == "DescribeInstances" && q.ErrorCode == "UnsupportedRegion");
        }

        [Fact]
        public void WrongKeysAreTencentsAuthFailureAndNoSecretShows()
        {
            var r = RunConnected("Get-TcInstance", key: "NotTheEmulatorsKey00000000000000");
            ErrorRecord error = r.SingleFailure();
            Assert.StartsWith("TencentCloud.AuthFailure.SignatureFailure,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
            Assert.DoesNotContain("NotTheEmulatorsKey", r.AllText());
            Assert.DoesNotContain(Emu.Server.SecretKey, r.AllText());
        }

        [Fact]
        public void GetTcEmulatorRequestReadsTheConnectedEmulator()
        {
            // No Start-TcEmulator here: the session's custom endpoint is the emulator to read.
            var r = Run("$null = Get-TcInstance -Region ap-hongkong\nGet-TcEmulatorRequest -Region ap-hongkong");
            r.AssertNoErrors();
            var request = Assert.IsType<TcEmulatorRequest>(Assert.Single(r.Output).BaseObject);
            RequestLogEntry logged = Emu.Server.Requests.Single(q => q.Region == "ap-hongkong");
            Assert.Equal((logged.Action, logged.RequestId), (request.Action, request.RequestId));
        }
    }

    /// <summary>The control cmdlets against the in-process emulator, and against addresses that are no emulator.</summary>
    public class EmulatorControlTests : InProcessEmulatorTests<EmulatorFixture>, IClassFixture<EmulatorFixture>
    {
        public EmulatorControlTests(EmulatorFixture emu, PowerShellSession ps) : base(emu, ps)
        {
        }

        [Fact]
        public void SetTcEmulatorFaultChangesTheLiveSettings()
        {
            var r = Ps.Run("Set-TcEmulatorFault -Endpoint $args[0] -RequestLimitExceededRate 0.3 -Unauthorized sg-shared01, SG-BLOCKED1 -RateLimit @{ DescribeSecurityGroups = 3 }"
                .Replace("$args[0]", "'" + Emu.BaseUrl + "'"));
            r.AssertNoErrors();
            Assert.Equal(0.3, Emu.Server.Faults.RequestLimitExceededRate);
            Assert.Equal(new[] { "sg-shared01", "sg-blocked1" }, Emu.Server.Faults.UnauthorizedSecurityGroupIds);
            Assert.Equal(3, Emu.Server.Faults.RateLimits["DescribeSecurityGroups"]);
            Assert.Equal(0.0, Emu.Server.Faults.InternalErrorRate);
            Assert.False(Emu.Server.Faults.RateLimitEnabled);
        }

        [Fact]
        public void NothingListeningIsEmulatorUnreachable()
        {
            int port = Port53.Tests.LocalEmulator.EmulatorProcesses.FreePort();
            ErrorRecord error = Ps.Run("Get-TcEmulatorRequest -Endpoint 127.0.0.1:" + port).SingleFailure();
            Assert.Equal("Port53.EmulatorUnreachable,Port53.Cmdlets.GetTcEmulatorRequestCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
            Assert.Contains("127.0.0.1:" + port, error.Exception.Message);
        }

        [Fact]
        public async Task AServerThatIsNoEmulatorIsSaidToBeSo()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                int port = ((IPEndPoint)listener.LocalEndpoint).Port;
                Task answer = Task.Run(async () =>
                {
                    using TcpClient client = await listener.AcceptTcpClientAsync();
                    using NetworkStream stream = client.GetStream();
                    // Read the request head, then answer as any web server without the control API would.
                    var head = new StringBuilder();
                    var buffer = new byte[4096];
                    while (!head.ToString().Contains("\r\n\r\n"))
                    {
                        int read = await stream.ReadAsync(buffer);
                        if (read == 0) break;
                        head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                    }
                    await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot here."));
                });
                ErrorRecord error = Ps.Run("Set-TcEmulatorFault -Seed 2 -Endpoint http://127.0.0.1:" + port).SingleFailure();
                Assert.Equal("Port53.NotAnEmulator,Port53.Cmdlets.SetTcEmulatorFaultCommand", error.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.InvalidResult, error.CategoryInfo.Category);
                Assert.Contains("404", error.Exception.Message);
                Assert.Same(answer, await Task.WhenAny(answer, Task.Delay(TimeSpan.FromSeconds(10))));
            }
            finally
            {
                listener.Stop();
            }
        }
    }

    /// <summary>A generated fleet of 250 instances in one region, more than two pages of 100.</summary>
    public sealed class PagingEmulatorFixture : EmulatorFixture
    {
        protected override EmulatorOptions CreateOptions()
        {
            EmulatorOptions options = EmulatorOptions.ForTests();
            options.Generate = "instances=250,regions=1,groups=8,seed=5";
            return options;
        }
    }

    public class EmulatorPagingTests : InProcessEmulatorTests<PagingEmulatorFixture>, IClassFixture<PagingEmulatorFixture>
    {
        public EmulatorPagingTests(PagingEmulatorFixture emu, PowerShellSession ps) : base(emu, ps)
        {
        }

        [Fact]
        public void EveryInstanceOfARegionComesBackOnceOverThreePages()
        {
            var fleet = Emu.Server.GetState();
            string region = Assert.Single(fleet.Regions).Region;
            Assert.Equal(250, fleet.Instances.Count);

            var r = RunConnected("Get-TcInstance", region);
            r.AssertNoErrors();
            var ids = r.Output.Select(o => ((TcInstance)o.BaseObject).InstanceId).ToList();
            Assert.Equal(fleet.Instances.Select(i => i.InstanceId).OrderBy(x => x), ids.OrderBy(x => x));
            Assert.Equal(3, Emu.Server.Requests.Count(q => q.Action == "DescribeInstances"));
        }
    }
}
