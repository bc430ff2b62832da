using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Port53.Emulator.Generator;
using Port53.Emulator.Hosting;
using Port53.Emulator.Model;
using Port53.Tests.Hosting;
using Xunit;
using Xunit.Abstractions;

namespace Port53.Tests.Emulator
{
    public class GeneratorTests
    {
        private readonly ITestOutputHelper _out;
        public GeneratorTests(ITestOutputHelper output) => _out = output;

        [Fact]
        public void SameSeedSameFleetOtherSeedOtherFleet()
        {
            string a = FleetJson.Serialize(FleetGenerator.Generate("instances=300,regions=5,groups=60,exposed=0.3,seed=9"));
            string b = FleetJson.Serialize(FleetGenerator.Generate("seed=9,groups=60,instances=300,exposed=0.3,regions=5"));
            string c = FleetJson.Serialize(FleetGenerator.Generate("instances=300,regions=5,groups=60,exposed=0.3,seed=10"));
            Assert.Equal(a, b);
            Assert.NotEqual(a, c);
        }

        [Fact]
        public void ShapeMatchesTheSpec()
        {
            Fleet f = FleetGenerator.Generate("instances=2000,regions=7,groups=400,exposed=0.25,seed=5");
            Assert.Equal(2000, f.Instances.Count);
            Assert.Equal(7, f.Regions.Count);
            Assert.Equal(400, f.SecurityGroups.Count);
            Assert.Equal(100, f.SecurityGroups.Count(g => g.SecurityGroupDesc.StartsWith("exposed:")));
            Assert.All(f.Instances, i => Assert.InRange(i.SecurityGroupIds.Count, 1, 3));
            Assert.Equal(2000, f.Instances.Select(i => i.InstanceId).Distinct().Count());
            Assert.Equal(400, f.SecurityGroups.Select(g => g.SecurityGroupId).Distinct().Count());
            Assert.All(f.Instances, i => Assert.Matches("^ins-[0-9a-z]{8}$", i.InstanceId));

            // Skewed sharing: the busiest group serves far more instances than an even spread (2000*2/400 = 10).
            int busiest = f.Instances.SelectMany(i => i.SecurityGroupIds).GroupBy(g => g).Max(g => g.Count());
            Assert.True(busiest > 100, "busiest group has " + busiest + " instances");

            // Assorted ways of exposing 53, and the store accepts the fleet (all references resolve).
            int patterns = f.SecurityGroups.Where(g => g.SecurityGroupDesc.StartsWith("exposed:")).Select(g => g.SecurityGroupDesc).Distinct().Count();
            Assert.True(patterns >= 8, patterns + " patterns");
            Assert.Contains(f.SecurityGroups, g => g.SecurityGroupPolicySet.Ingress.Any(p => p.Ipv6CidrBlock == "::/0"));
            Assert.Contains(f.SecurityGroups, g => g.SecurityGroupPolicySet.Ingress.Any(p => p.ServiceTemplate != null));
        }

        [Fact]
        public async Task LighthouseInstancesComeWithFirewallsOfEveryKindAndLeaveTheCvmFleetAsItWas()
        {
            Fleet plain = FleetGenerator.Generate("instances=50,regions=3,groups=10,seed=4");
            Fleet with = FleetGenerator.Generate("instances=50,regions=3,groups=10,lighthouse=25,seed=4");
            Assert.Empty(plain.LighthouseInstances);
            Assert.Equal(FleetJson.Serialize(plain), FleetJson.Serialize(new Fleet
            {
                Regions = with.Regions, Instances = with.Instances, SecurityGroups = with.SecurityGroups, ServiceTemplates = with.ServiceTemplates,
                ServiceTemplateGroups = with.ServiceTemplateGroups, AddressTemplates = with.AddressTemplates,
                AddressTemplateGroups = with.AddressTemplateGroups, Credentials = with.Credentials, Zones = with.Zones,
            }));
            Assert.Equal(25, with.LighthouseInstances.Select(i => i.InstanceId).Distinct().Count());
            Assert.All(with.LighthouseInstances, i => Assert.Matches("^lhins-[0-9a-z]{8}$", i.InstanceId));
            Assert.Equal(3, with.LighthouseInstances.Select(i => i.Region).Distinct().Count());
            Assert.Equal(FleetGenerator.LighthouseKinds.Select(k => k.Kind), with.LighthouseInstances.Select(i => i.InstanceName.Substring(0, i.InstanceName.LastIndexOf('-'))).Distinct());
            Assert.Equal("instances=50,regions=3,groups=10,exposed=0.3,lighthouse=25,seed=4", GeneratorSpec.Parse("lighthouse=25,instances=50,regions=3,groups=10,seed=4").ToString());

            // The emulator serves them: a generated exposed one admits UDP 53 from anywhere.
            var options = EmulatorOptions.ForTests();
            options.Generate = "instances=50,regions=3,groups=10,lighthouse=25,seed=4";
            await using var server = await EmulatorServer.StartAsync(options);
            var c = new TcTestClient(server) { ScopeService = "lighthouse", Version = "2020-03-24" };
            LighthouseInstance open = with.LighthouseInstances.First(i => i.InstanceName.StartsWith("dns-open-", StringComparison.Ordinal));
            var rules = (await c.CallAsync("DescribeFirewallRules", open.Region, new { InstanceId = open.InstanceId })).AssertOk()["FirewallRuleSet"].AsArray();
            Assert.Contains(rules, r => (string)r["Protocol"] == "UDP" && (string)r["Port"] == "53" && (string)r["CidrBlock"] == "0.0.0.0/0" && (string)r["Action"] == "ACCEPT");
        }

        [Theory]
        [InlineData("lighthouse=-1")]
        [InlineData("instances=-1")]
        [InlineData("exposed=2")]
        [InlineData("colour=red")]
        [InlineData("instances")]
        public void BadSpecsAreRejected(string spec) => Assert.Throws<FormatException>(() => GeneratorSpec.Parse(spec));

        [Fact]
        public async Task TenThousandInstancesBuildQuicklyAndPageQuickly()
        {
            FleetGenerator.Generate("instances=100,regions=2,groups=10");   // warm up
            var sw = Stopwatch.StartNew();
            Fleet fleet = FleetGenerator.Generate("instances=10000,regions=20,groups=2000,exposed=0.3,seed=1");
            long generateMs = sw.ElapsedMilliseconds;
            _out.WriteLine("generate 10k/2k/20: " + generateMs + " ms");
            Assert.True(generateMs < 2000, generateMs + " ms");

            var options = EmulatorOptions.ForTests();
            options.Generate = "instances=10000,regions=20,groups=2000,exposed=0.3,seed=1";
            sw.Restart();
            await using var server = await EmulatorServer.StartAsync(options);
            _out.WriteLine("start with 10k fleet: " + sw.ElapsedMilliseconds + " ms");
            var c = new TcTestClient(server);
            sw.Restart();
            int seen = 0, requests = 0;
            foreach (RegionInfo region in fleet.Regions)
                for (int offset = 0; ; offset += 100)
                {
                    var page = (await c.CallAsync("DescribeInstances", region.Region, new { Offset = offset, Limit = 100 })).AssertOk();
                    requests++;
                    int n = page["InstanceSet"].AsArray().Count;
                    seen += n;
                    if (offset + n >= (int)page["TotalCount"]) break;
                }
            _out.WriteLine("paged 10k instances in " + requests + " requests, " + sw.ElapsedMilliseconds + " ms");
            Assert.Equal(10000, seen);
        }
    }

    public class CliTests
    {
        private static string EmulatorDll()
        {
            string config = AppContext.BaseDirectory.Contains(Path.DirectorySeparatorChar + "Debug" + Path.DirectorySeparatorChar) ? "Debug" : "Release";
            string path = Path.Combine(PowerShellSession.RepoRoot, "src", "Port53.Emulator", "bin", config, "net8.0", "Port53.Emulator.dll");
            Assert.True(File.Exists(path), "build the emulator first: " + path);
            return path;
        }

        private static Process Start(params string[] args)
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add(EmulatorDll());
            foreach (string a in args) psi.ArgumentList.Add(a);
            return Process.Start(psi);
        }

        [Fact]
        public async Task PrintsItsUrlFirstServesAndExitsWhenStdinCloses()
        {
            using Process p = Start("--port", "0", "--no-rate-limit", "--exit-on-stdin-close");
            try
            {
                string first = await p.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
                Assert.Matches(@"^http://127\.0\.0\.1:\d+$", first);
                JsonNode info = JsonNode.Parse(await p.StandardOutput.ReadLineAsync());
                Assert.Equal(first, (string)info["Url"]);

                var url = new Uri(first + "/");
                var (status, body) = await TcTestClient.ControlAsync(url, HttpMethod.Get, "health");
                Assert.Equal(200, status);
                var c = new TcTestClient(url, (string)info["SecretId"], (string)info["SecretKey"]);
                (await c.CallAsync("DescribeInstances", "ap-guangzhou", new { })).AssertOk();

                p.StandardInput.Close();
                Assert.True(p.WaitForExit(15000), "the emulator did not exit when stdin closed");
                Assert.Equal(0, p.ExitCode);
            }
            finally
            {
                if (!p.HasExited) p.Kill(true);
            }
        }

        [Fact]
        public async Task AccountRateLimitSetsAnAccountWideCeilingForOneActionOrEvery()
        {
            using Process p = Start("--port", "0", "--account-rate-limit", "300", "--account-rate-limit", "DescribeZones=3", "--exit-on-stdin-close");
            try
            {
                var url = new Uri(await p.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) + "/");
                var (status, body) = await TcTestClient.ControlAsync(url, HttpMethod.Get, "faults");
                Assert.Equal(200, status);
                JsonNode ceilings = JsonNode.Parse(body)["AccountRateLimits"];
                Assert.Equal((300, 3), ((int)ceilings["*"], (int)ceilings["DescribeZones"]));
                p.StandardInput.Close();
                Assert.True(p.WaitForExit(15000));
            }
            finally
            {
                if (!p.HasExited) p.Kill(true);
            }
            foreach (string bad in new[] { "=5", "DescribeZones=0", "many" })
            {
                using Process refused = Start("--account-rate-limit", bad);
                Assert.True(refused.WaitForExit(30000));
                Assert.Equal(2, refused.ExitCode);
                Assert.Contains("--account-rate-limit", refused.StandardError.ReadToEnd());
            }
        }

        [Fact]
        public async Task ExitsCleanlyOnSigterm()
        {
            using Process p = Start("--port", "0", "--generate", "instances=50,regions=2,groups=10");
            try
            {
                Assert.StartsWith("http://127.0.0.1:", await p.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)));
                if (OperatingSystem.IsWindows()) return;
                using (Process kill = Process.Start("kill", "-TERM " + p.Id)) kill.WaitForExit();
                Assert.True(p.WaitForExit(15000), "the emulator did not exit on SIGTERM");
                Assert.Equal(0, p.ExitCode);
            }
            finally
            {
                if (!p.HasExited) p.Kill(true);
            }
        }

        [Fact]
        public void DumpDemoWritesTheDemoFleetAndBadOptionsExit2()
        {
            string file = Path.Combine(Path.GetTempPath(), "port53-demo-" + Guid.NewGuid().ToString("N") + ".json");
            try
            {
                using (Process p = Start("--dump-demo", file))
                {
                    Assert.True(p.WaitForExit(30000));
                    Assert.Equal(0, p.ExitCode);
                }
                Assert.Equal(21, FleetJson.Load(file).Instances.Count);
                using (Process bad = Start("--latency", "fast"))
                {
                    Assert.True(bad.WaitForExit(30000));
                    Assert.Equal(2, bad.ExitCode);
                    Assert.Contains("--latency", bad.StandardError.ReadToEnd());
                }
            }
            finally
            {
                File.Delete(file);
            }
        }
    }
}
