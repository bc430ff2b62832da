using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Port53.Emulator.Faults;
using Port53.Emulator.Hosting;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Emulator
{
    /// <summary>Injected faults are seeded: the same seed gives the same faults for the same request sequence.</summary>
    public class FaultTests : IClassFixture<EmulatorFixture>
    {
        private readonly EmulatorFixture _emu;
        private readonly TcTestClient _c;

        public FaultTests(EmulatorFixture emu)
        {
            _emu = emu;
            _emu.Restore();
            _c = new TcTestClient(emu.Server);
        }

        /// <summary>Sends n DescribeZones one after another; returns each outcome (error code, "ok", "http-502" or "reset").</summary>
        private async Task<List<string>> Burst(int n, string action = "DescribeZones")
        {
            var outcomes = new List<string>();
            for (int i = 0; i < n; i++)
            {
                try
                {
                    TcResponse r = await _c.CallAsync(action, "ap-guangzhou", action == "DescribeSecurityGroupPolicies" ? new { SecurityGroupId = "sg-allopen1" } : (object)new { });
                    outcomes.Add(r.Status == 502 ? "http-502" : r.ErrorCode ?? "ok");
                }
                catch (HttpRequestException)
                {
                    outcomes.Add("reset");
                }
            }
            return outcomes;
        }

        [Fact]
        public async Task InjectedErrorsFollowTheSeed()
        {
            var settings = FaultSettings.NoRateLimits();
            settings.InternalErrorRate = 0.2;
            settings.RequestLimitExceededRate = 0.1;
            settings.Seed = 42;
            _emu.Server.SetFaults(settings);
            List<string> first = await Burst(200);
            _emu.Server.SetFaults(settings);
            List<string> second = await Burst(200);
            Assert.Equal(first, second);

            int internalErrors = first.Count(o => o == "InternalError"), limited = first.Count(o => o == "RequestLimitExceeded");
            Assert.InRange(internalErrors, 20, 60);  // 0.2 × 200 = 40 expected
            Assert.InRange(limited, 5, 35);          // ≈ 0.1 × 160 = 16 expected
            Assert.Equal(200 - internalErrors - limited, first.Count(o => o == "ok"));
            var log = _emu.Server.Requests;
            Assert.Equal(2 * (internalErrors + limited), log.Count(e => e.Fault == "injected"));

            settings.Seed = 43;
            _emu.Server.SetFaults(settings);
            Assert.NotEqual(first, await Burst(200));
        }

        [Fact]
        public async Task Http502AndConnectionResets()
        {
            _emu.Server.UpdateFaults(f => { f.BadGatewayRate = 0.25; f.ConnectionResetRate = 0.25; f.Seed = 7; });
            List<string> outcomes = await Burst(120);
            int resets = outcomes.Count(o => o == "reset"), badGateways = outcomes.Count(o => o == "http-502");
            Assert.InRange(resets, 12, 50);
            Assert.InRange(badGateways, 8, 45);
            Assert.Equal(120, resets + badGateways + outcomes.Count(o => o == "ok"));
            var log = _emu.Server.Requests;
            Assert.Equal(resets, log.Count(e => e.Fault == "connection-reset"));
            Assert.Equal(badGateways, log.Count(e => e.Fault == "http-502" && e.HttpStatus == 502));
        }

        [Fact]
        public async Task FaultActionsRestrictWhereFaultsHit()
        {
            _emu.Server.UpdateFaults(f => { f.InternalErrorRate = 1; f.FaultActions = new() { "DescribeSecurityGroupPolicies" }; });
            Assert.All(await Burst(5), o => Assert.Equal("ok", o));
            Assert.All(await Burst(5, "DescribeSecurityGroupPolicies"), o => Assert.Equal("InternalError", o));
        }

        [Fact]
        public async Task FixedLatencyDelaysEveryResponse()
        {
            _emu.Server.UpdateFaults(f => { f.LatencyMinMs = 150; f.LatencyMaxMs = 150; });
            var sw = Stopwatch.StartNew();
            await Burst(2);
            Assert.True(sw.ElapsedMilliseconds >= 300, "took " + sw.ElapsedMilliseconds + " ms");
        }

        [Fact]
        public async Task FaultsCanBeChangedOverTheControlApi()
        {
            var (status, body) = await TcTestClient.ControlAsync(_emu.BaseUrl, HttpMethod.Post, "faults", "{\"InternalErrorRate\":1,\"RateLimits\":{\"DescribeZones\":3}}");
            Assert.Equal(200, status);
            JsonNode faults = JsonNode.Parse(body);
            Assert.Equal(1.0, (double)faults["InternalErrorRate"]);
            Assert.Equal(3, (int)faults["RateLimits"]["DescribeZones"]);
            Assert.Equal(40, (int)faults["RateLimits"]["DescribeInstances"]);
            Assert.False((bool)faults["RateLimitEnabled"]);
            Assert.Equal(new[] { "InternalError" }, (await Burst(1)).ToArray());
            (status, body) = await TcTestClient.ControlAsync(_emu.BaseUrl, HttpMethod.Get, "faults");
            Assert.Equal(1.0, (double)JsonNode.Parse(body)["InternalErrorRate"]);
            Assert.Equal(1.0, _emu.Server.Faults.InternalErrorRate);

            (status, body) = await TcTestClient.ControlAsync(_emu.BaseUrl, HttpMethod.Post, "faults", "{\"InternalErrorRate\":2}");
            Assert.Equal(400, status);
            (status, _) = await TcTestClient.ControlAsync(_emu.BaseUrl, HttpMethod.Post, "faults", "{\"NoSuchFault\":1}");
            Assert.Equal(400, status);
        }
    }

    /// <summary>Per-action rate limits, counted against a clock the test moves by hand.</summary>
    public class RateLimitTests
    {
        private static async Task<(EmulatorServer Server, ManualClock Clock)> Start()
        {
            var clock = new ManualClock(DateTimeOffset.UtcNow);
            var options = new EmulatorOptions { TimeProvider = clock };   // rate limits on: the default
            return (await EmulatorServer.StartAsync(options), clock);
        }

        private static async Task<(int Ok, int Limited)> Burst(TcTestClient c, int n, string action, string region, object body)
        {
            var results = await Task.WhenAll(Enumerable.Range(0, n).Select(_ => c.CallAsync(action, region, body)));
            return (results.Count(r => r.Ok), results.Count(r => r.ErrorCode == "RequestLimitExceeded"));
        }

        [Theory]
        [InlineData("DescribeRegions", 20)]
        [InlineData("DescribeZones", 20)]
        [InlineData("DescribeInstances", 40)]
        [InlineData("DescribeSecurityGroups", 100)]
        [InlineData("ReplaceSecurityGroupPolicies", 20)]
        [InlineData("ModifySecurityGroupPolicies", 50)]
        public async Task PublishedLimitsPerSecond(string action, int limit)
        {
            var (server, clock) = await Start();
            await using var _ = server;
            var c = new TcTestClient(server) { Clock = () => clock.GetUtcNow().ToUnixTimeSeconds() };
            object body = action switch
            {
                "ReplaceSecurityGroupPolicies" => new { SecurityGroupId = "sg-nowhere" },
                "ModifySecurityGroupPolicies" => new { SecurityGroupId = "sg-nowhere" },
                _ => new { },
            };
            // Writes to a missing group fail after admission, so only RequestLimitExceeded counts as "limited".
            var results = await Task.WhenAll(Enumerable.Range(0, limit + 15).Select(_ => c.CallAsync(action, "ap-guangzhou", body)));
            Assert.Equal(15, results.Count(r => r.ErrorCode == "RequestLimitExceeded"));
            clock.Advance(TimeSpan.FromSeconds(0.5));
            results = await Task.WhenAll(Enumerable.Range(0, limit).Select(_ => c.CallAsync(action, "ap-guangzhou", body)));
            Assert.Equal(limit - limit / 2, results.Count(r => r.ErrorCode == "RequestLimitExceeded"));
        }

        [Fact]
        public async Task ActionsHaveSeparateBucketsAndNoRateLimitSwitchesThemOff()
        {
            var (server, clock) = await Start();
            await using var _ = server;
            var c = new TcTestClient(server) { Clock = () => clock.GetUtcNow().ToUnixTimeSeconds() };
            Assert.Equal((20, 5), await Burst(c, 25, "DescribeRegions", null, new { }));
            Assert.Equal((20, 0), await Burst(c, 20, "DescribeZones", "ap-guangzhou", new { }));
            server.UpdateFaults(f => f.RateLimitEnabled = false);
            Assert.Equal((60, 0), await Burst(c, 60, "DescribeRegions", null, new { }));
        }

        private const string SecondId = "AKIDPort53SecondSubAccount0000000000";
        private const string SecondKey = "Port53SecondSubAccountSecretKey0";

        private static async Task<(EmulatorServer Server, ManualClock Clock)> StartWithTwoKeys(Action<FaultSettings> faults = null)
        {
            var clock = new ManualClock(DateTimeOffset.UtcNow);
            var options = new EmulatorOptions { TimeProvider = clock };
            options.Credentials.Add(new Port53.Emulator.Model.Credential { SecretId = EmulatorOptions.DefaultSecretId, SecretKey = EmulatorOptions.DefaultSecretKey });
            options.Credentials.Add(new Port53.Emulator.Model.Credential { SecretId = SecondId, SecretKey = SecondKey });
            faults?.Invoke(options.Faults);
            return (await EmulatorServer.StartAsync(options), clock);
        }

        private static TcTestClient Caller(EmulatorServer server, ManualClock clock, string host, bool second = false) =>
            new TcTestClient(server.BaseUrl, second ? SecondId : EmulatorOptions.DefaultSecretId, second ? SecondKey : EmulatorOptions.DefaultSecretKey)
            {
                Clock = () => clock.GetUtcNow().ToUnixTimeSeconds(),
                Host = host,
            };

        [Fact]
        public async Task BudgetsAreCountedPerActionAccessRegionAndSecretIdAsTencentDocuments()
        {
            var (server, clock) = await StartWithTwoKeys();
            await using var _ = server;
            TcTestClient guangzhou = Caller(server, clock, "cvm.ap-guangzhou.tencentcloudapi.com");
            // DescribeInstances: 40 per second. The access region is the server reached, not the region asked about.
            Assert.Equal((40, 5), await Burst(guangzhou, 45, "DescribeInstances", "ap-shanghai", new { }));
            Assert.Equal((40, 0), await Burst(Caller(server, clock, "cvm.ap-shanghai.tencentcloudapi.com"), 40, "DescribeInstances", "ap-shanghai", new { }));
            Assert.Equal((40, 0), await Burst(Caller(server, clock, "cvm.ap-guangzhou.tencentcloudapi.com", second: true), 40, "DescribeInstances", "ap-shanghai", new { }));
            Assert.Equal((20, 0), await Burst(guangzhou, 20, "DescribeZones", "ap-shanghai", new { }));
            // Any other Host is the one default access region: the emulator's own address, the global name, intl.
            Assert.Equal((40, 0), await Burst(Caller(server, clock, null), 40, "DescribeInstances", "ap-shanghai", new { }));
            Assert.Equal((0, 2), await Burst(Caller(server, clock, "cvm.tencentcloudapi.com"), 2, "DescribeInstances", "ap-shanghai", new { }));
            Assert.Equal((0, 2), await Burst(Caller(server, clock, "cvm.intl.tencentcloudapi.com"), 2, "DescribeInstances", "ap-shanghai", new { }));

            var logged = server.Requests.Where(r => r.Action == "DescribeInstances").GroupBy(r => r.AccessRegion).ToDictionary(g => g.Key, g => g.Count());
            Assert.Equal(new Dictionary<string, int> { ["ap-guangzhou"] = 85, ["ap-shanghai"] = 40, ["default"] = 44 }, logged);
        }

        [Fact]
        public async Task AnAccountCeilingCapsAnActionAcrossAccessRegionsAndSecretIds()
        {
            var (server, clock) = await StartWithTwoKeys(f => f.AccountRateLimits["DescribeInstances"] = 50);
            await using var _ = server;
            Assert.Equal((30, 0), await Burst(Caller(server, clock, "cvm.ap-guangzhou.tencentcloudapi.com"), 30, "DescribeInstances", "ap-guangzhou", new { }));
            Assert.Equal((20, 10), await Burst(Caller(server, clock, "cvm.ap-shanghai.tencentcloudapi.com", second: true), 30, "DescribeInstances", "ap-guangzhou", new { }));
            // Other actions keep their own budgets; a second later the ceiling has refilled.
            Assert.Equal((20, 0), await Burst(Caller(server, clock, "cvm.ap-shanghai.tencentcloudapi.com"), 20, "DescribeZones", "ap-guangzhou", new { }));
            clock.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal((40, 0), await Burst(Caller(server, clock, "cvm.ap-beijing.tencentcloudapi.com"), 40, "DescribeInstances", "ap-guangzhou", new { }));
            Assert.Contains(server.Requests, r => r.ErrorCode == "RequestLimitExceeded" && r.AccessRegion == "ap-shanghai");

            // "*" sets it for every action not named.
            server.UpdateFaults(f => f.AccountRateLimits["*"] = 5);
            Assert.Equal((5, 3), await Burst(Caller(server, clock, "cvm.ap-chengdu.tencentcloudapi.com"), 8, "DescribeZones", "ap-guangzhou", new { }));
        }

        [Fact]
        public async Task TheSignatureCoversTheHostReceivedNotTheAddressConnectedTo()
        {
            var (server, clock) = await StartWithTwoKeys(f => f.RateLimitEnabled = false);
            await using var _ = server;
            TcTestClient regional = Caller(server, clock, "cvm.ap-guangzhou.tencentcloudapi.com");
            (await regional.CallAsync("DescribeZones", "ap-guangzhou", new { })).AssertOk();
            regional.SignedHost = server.BaseUrl.Authority;
            (await regional.CallAsync("DescribeZones", "ap-guangzhou", new { })).AssertError("AuthFailure.SignatureFailure");
        }

        [Fact]
        public async Task RealClockBurstIsLimited()
        {
            await using var server = await EmulatorServer.StartAsync(new EmulatorOptions());
            var c = new TcTestClient(server);
            var sw = Stopwatch.StartNew();
            var (ok, limited) = await Burst(c, 150, "DescribeRegions", null, new { });
            double seconds = sw.Elapsed.TotalSeconds;
            // At most the burst (20) plus what refills while the requests run (20/s).
            Assert.True(ok <= 20 + (int)Math.Ceiling(seconds * 20) + 1, ok + " admitted in " + seconds + " s");
            Assert.Equal(150, ok + limited);
        }
    }
}
