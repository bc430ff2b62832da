using System;
using System.Linq;
using System.Management.Automation;
using System.Net.Http;
using System.Text.Json;
using System.Text.RegularExpressions;
using Port53.Credentials;
using Port53.Model;
using Port53.Tests.Cmdlets;
using Xunit;

namespace Port53.Tests.LocalEmulator
{
    /// <summary>
    /// Start-TcEmulator's child process seen from the session it serves, and the control cmdlets against it. One
    /// emulator for the class; tests that change its faults or read its log restore or clear them first.
    /// </summary>
    [Collection(EmulatorProcessCollection.Name)]
    public class StartedEmulatorTests : IClassFixture<StartedEmulatorSession>
    {
        // docs/emulator.md, Demo fleet.
        private static readonly string[] DemoRegions = { "ap-guangzhou", "ap-shanghai", "ap-beijing", "ap-hongkong", "ap-singapore" };
        private const string DemoSecretId = "AKIDPort53EmulatorDefaultKey00000000";
        private const string DemoSecretKey = "Port53EmulatorDefaultSecretKey00";

        private readonly StartedEmulatorSession _ps;

        public StartedEmulatorTests(StartedEmulatorSession ps)
        {
            _ps = ps;
            _ps.RestoreFaults();
        }

        [Fact]
        public void PassThruDescribesTheRunningChildWithoutItsKey()
        {
            TcEmulator e = _ps.Emulator;
            var url = new Uri(e.Url);
            Assert.Equal("127.0.0.1", url.Host);
            Assert.Equal(url.Port, e.Port);
            Assert.True(EmulatorProcesses.IsRunning(e.ProcessId), "no emulator process " + e.ProcessId);
            if (EmulatorProcesses.CanListChildren) Assert.Contains(e.ProcessId, EmulatorProcesses.Children());
            Assert.Equal("Demo", e.Fleet);
            Assert.Equal("", e.FleetSource);
            Assert.Equal((5, 21, 16), (e.Regions, e.Instances, e.SecurityGroups));
            Assert.Equal("ap-guangzhou", e.Region);
            Assert.Equal(DemoSecretId, e.SecretId);
            Assert.Equal(e.Url, e.ToString());
            Assert.DoesNotContain(typeof(TcEmulator).GetProperties(), p => p.Name.Contains("Key", StringComparison.OrdinalIgnoreCase));

            var r = _ps.Run("Get-TcContext -Verbose; Get-TcContext | ForEach-Object { $_.ToString() }");
            Assert.DoesNotContain(DemoSecretKey, r.AllText());
        }

        [Fact]
        public void TheSessionIsConnectedToTheChild()
        {
            var r = _ps.Run("Get-TcRegion\nGet-TcContext\nGet-TcInstance -Region *");
            r.AssertNoErrors();
            Assert.Equal(DemoRegions, r.Output.Select(o => o.BaseObject).OfType<TcRegion>().Select(x => x.Region));
            var context = Assert.Single(r.Output.Select(o => o.BaseObject).OfType<TcContext>());
            Assert.Equal(TcCredentialSource.Emulator, context.Source);
            Assert.Equal("ap-guangzhou", context.Region);
            Assert.Equal("regional+" + new Uri(_ps.Emulator.Url).GetLeftPart(UriPartial.Authority), context.Endpoint);
            Assert.Equal(21, r.Output.Select(o => o.BaseObject).OfType<TcInstance>().Select(i => i.InstanceId).Distinct().Count());
            Assert.DoesNotContain(DemoSecretKey, r.AllText());

            // Routed as against Tencent: each call with a region reaches that region's access point, one without the default one.
            r = _ps.Run("Get-TcEmulatorRequest -Action DescribeInstances, DescribeRegions");
            r.AssertNoErrors();
            var calls = r.Output.Select(o => o.BaseObject).OfType<TcEmulatorRequest>().ToList();
            Assert.Equal(DemoRegions.Length, calls.Where(c => c.Action == "DescribeInstances").Select(c => c.Region).Distinct().Count());
            Assert.All(calls.Where(c => c.Action == "DescribeInstances"), c => Assert.Equal(c.Region, c.AccessRegion));
            Assert.All(calls.Where(c => c.Action == "DescribeRegions"), c => Assert.Equal(c.Region ?? "default", c.AccessRegion));
            // The session connects with the demo's first account, and the log names it.
            Assert.All(calls, c => Assert.Equal(Port53.Tests.Cmdlets.DemoExposure.DemoUin, c.AccountUin));
        }

        [Fact]
        public void SetTcEmulatorFaultSendsOnlyTheGivenSettings()
        {
            var r = _ps.Run("Set-TcEmulatorFault -InternalErrorRate 0.25 -LatencyMs 3, 7 -FaultAction DescribeZones -Unauthorized sg-shared01 " +
                            "-Seed 42 -RateLimit @{ DescribeInstances = 7 } -AccountRateLimit @{ '*' = 300 } -NoRateLimit:$false -ConcurrentEditorRate 0.5 -PassThru");
            r.AssertNoErrors();
            var returned = Assert.IsType<TcEmulatorFault>(Assert.Single(r.Output).BaseObject);

            using JsonDocument seen = JsonDocument.Parse(EmulatorProcesses.Get(_ps.Emulator.Url, "/_emulator/faults"));
            JsonElement f = seen.RootElement;
            Assert.True(f.GetProperty("RateLimitEnabled").GetBoolean());
            Assert.Equal(7, f.GetProperty("RateLimits").GetProperty("DescribeInstances").GetInt32());
            Assert.Equal(20, f.GetProperty("RateLimits").GetProperty("DescribeRegions").GetInt32());
            Assert.Equal(300, f.GetProperty("AccountRateLimits").GetProperty("*").GetInt32());
            Assert.Equal((3, 7), (f.GetProperty("LatencyMinMs").GetInt32(), f.GetProperty("LatencyMaxMs").GetInt32()));
            Assert.Equal(0.25, f.GetProperty("InternalErrorRate").GetDouble());
            Assert.Equal(0.0, f.GetProperty("RequestLimitExceededRate").GetDouble());
            Assert.Equal(0.5, f.GetProperty("ConcurrentEditorRate").GetDouble());
            Assert.Equal(new[] { "DescribeZones" }, f.GetProperty("FaultActions").EnumerateArray().Select(x => x.GetString()));
            Assert.Equal(new[] { "sg-shared01" }, f.GetProperty("UnauthorizedSecurityGroupIds").EnumerateArray().Select(x => x.GetString()));
            Assert.Equal(42, f.GetProperty("Seed").GetInt32());

            Assert.True(returned.RateLimitEnabled);
            Assert.Equal(7, returned.RateLimits["DescribeInstances"]);
            Assert.Equal(300, returned.AccountRateLimits["*"]);
            Assert.Equal((3, 7, 0.25, 42), (returned.LatencyMinMs, returned.LatencyMaxMs, returned.InternalErrorRate, returned.Seed));
            Assert.Equal(new[] { "sg-shared01" }, returned.UnauthorizedSecurityGroupIds);

            // A second call changes only what it names.
            r = _ps.Run("Set-TcEmulatorFault -BadGatewayRate 0.1 -LatencyMs 0 -FaultAction @()");
            r.AssertNoErrors();
            Assert.Empty(r.Output);
            using JsonDocument after = JsonDocument.Parse(EmulatorProcesses.Get(_ps.Emulator.Url, "/_emulator/faults"));
            f = after.RootElement;
            Assert.Equal(0.1, f.GetProperty("BadGatewayRate").GetDouble());
            Assert.Equal(0.25, f.GetProperty("InternalErrorRate").GetDouble());
            Assert.Equal((0, 0), (f.GetProperty("LatencyMinMs").GetInt32(), f.GetProperty("LatencyMaxMs").GetInt32()));
            Assert.Empty(f.GetProperty("FaultActions").EnumerateArray());
            Assert.Equal(42, f.GetProperty("Seed").GetInt32());
        }

        [Fact]
        public void SetTcEmulatorFaultWhatIfSendsNothing()
        {
            var r = _ps.Run("Set-TcEmulatorFault -InternalErrorRate 1 -WhatIf");
            r.AssertNoErrors();
            Assert.Contains("InternalErrorRate", r.HostText);
            using JsonDocument seen = JsonDocument.Parse(EmulatorProcesses.Get(_ps.Emulator.Url, "/_emulator/faults"));
            Assert.Equal(0.0, seen.RootElement.GetProperty("InternalErrorRate").GetDouble());
        }

        [Theory]
        [InlineData("Set-TcEmulatorFault -LatencyMs 9, 3", "Port53.InvalidLatency")]
        [InlineData("Set-TcEmulatorFault -RateLimit @{ DescribeInstances = 'fast' }", "Port53.InvalidRateLimit")]
        [InlineData("Set-TcEmulatorFault -RateLimit @{ DescribeInstances = 0 }", "Port53.InvalidRateLimit")]
        [InlineData("Set-TcEmulatorFault -Endpoint 'ftp://127.0.0.1:1'", "Port53.InvalidEndpoint")]
        public void BadFaultValuesAreInvalidArgumentsAndChangeNothing(string script, string errorId)
        {
            var r = _ps.Run(script);
            ErrorRecord error = r.SingleFailure();
            Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            using JsonDocument seen = JsonDocument.Parse(EmulatorProcesses.Get(_ps.Emulator.Url, "/_emulator/faults"));
            Assert.Equal(0, seen.RootElement.GetProperty("LatencyMaxMs").GetInt32());
            Assert.False(seen.RootElement.GetProperty("RateLimits").GetProperty("DescribeInstances").GetInt32() < 1);
        }

        [Theory]
        [InlineData("-InternalErrorRate 1.5")]
        [InlineData("-LatencyMs 1, 2, 3")]
        [InlineData("-UnauthorizedSecurityGroupId shared01")]
        public void OutOfRangeValuesFailParameterBinding(string parameters)
        {
            var r = _ps.Run("Set-TcEmulatorFault " + parameters);
            ErrorRecord error = r.SingleFailure();
            Assert.StartsWith("ParameterArgumentValidationError", error.FullyQualifiedErrorId);
        }

        [Fact]
        public void GetTcEmulatorRequestFiltersTheLog()
        {
            // The region list is loaded once per connection; loaded here, it is not part of what the test counts.
            _ps.Run("$null = Get-TcRegion").AssertNoErrors();
            _ps.ClearLog();
            _ps.Run("$null = Get-TcInstance -Region ap-shanghai\n$null = Get-TcInstance -Region ap-beijing\n$null = Get-TcRegion").AssertNoErrors();
            // One call that fails: no signature at all.
            using (var http = new HttpClient())
            {
                var unsigned = new HttpRequestMessage(HttpMethod.Post, new Uri(_ps.Emulator.Url)) { Content = new StringContent("{}") };
                unsigned.Headers.Add("X-TC-Action", "DescribeSecurityGroups");
                unsigned.Headers.Add("X-TC-Region", "ap-guangzhou");
                http.Send(unsigned).Dispose();
            }

            var r = _ps.Run("Get-TcEmulatorRequest");
            r.AssertNoErrors();
            TcEmulatorRequest[] all = r.Output.Select(o => Assert.IsType<TcEmulatorRequest>(o.BaseObject)).ToArray();
            Assert.Equal(new[] { "DescribeInstances", "DescribeInstances", "DescribeRegions", "DescribeSecurityGroups" }, all.Select(x => x.Action));
            Assert.Equal(new[] { "ap-shanghai", "ap-beijing" }, all.Take(2).Select(x => x.Region));
            Assert.All(all.Take(3), x => Assert.Equal((null, null, false, 200), (x.ErrorCode, x.Fault, x.Failed, x.HttpStatus)));
            Assert.Equal("cvm", all[0].Service);
            Assert.False(string.IsNullOrEmpty(all[0].RequestId));

            Assert.Equal(4, Count("Get-TcEmulatorRequest describe*"));
            Assert.Equal(1, Count("Get-TcEmulatorRequest *Regions"));
            Assert.Equal(1, Count("Get-TcEmulatorRequest -Action DescribeInstances -Region 'ap-sh*'"));
            Assert.Equal(2, Count("Get-TcEmulatorRequest -Region ap-beijing, ap-shanghai"));
            Assert.Equal(0, Count("Get-TcEmulatorRequest -Action Create*"));

            r = _ps.Run("Get-TcEmulatorRequest -Failed");
            r.AssertNoErrors();
            TcEmulatorRequest failed = Assert.IsType<TcEmulatorRequest>(Assert.Single(r.Output).BaseObject);
            Assert.Equal(("DescribeSecurityGroups", "AuthFailure.InvalidAuthorization", true), (failed.Action, failed.ErrorCode, failed.Failed));

            // -Endpoint, and the Url of a piped TcEmulator, reach the same log; -Clear empties it afterwards.
            Assert.Equal(4, Count("Get-TcEmulatorRequest -Endpoint '" + _ps.Emulator.Url + "'"));
            Assert.Equal(4, Count("[pscustomobject]@{ Url = '" + _ps.Emulator.Url + "' } | Get-TcEmulatorRequest -Clear"));
            Assert.Equal(0, Count("Get-TcEmulatorRequest"));
            Assert.Equal("[]", EmulatorProcesses.Get(_ps.Emulator.Url, "/_emulator/requests").Trim());
        }

        [Fact]
        public void TheEmulatorObjectsHaveTableViews()
        {
            _ps.ClearLog();
            var r = _ps.Run("$null = Get-TcRegion\nGet-TcEmulatorRequest | Out-Default\n[Port53.Model.TcEmulator]@{ Url = 'http://127.0.0.1:1/'; ProcessId = 42 } | Out-Default");
            r.AssertNoErrors();
            // Without the colour codes PowerShell 7 puts around headers.
            string[] lines = Regex.Replace(r.HostText, "\u001b\\[[0-9;]*m", "").Split('\n').Select(l => l.Trim()).ToArray();
            Assert.Contains(lines, l => l.StartsWith("Time") && l.Contains("Action") && l.Contains("ErrorCode"));
            Assert.Contains(lines, l => l.Contains("DescribeRegions") && l.Contains("cvm"));
            Assert.Contains(lines, l => l.StartsWith("Url") && l.Contains("ProcessId") && l.Contains("SecretId"));
            Assert.Contains(lines, l => l.StartsWith("http://127.0.0.1:1/") && l.Contains("42"));
        }

        private int Count(string script)
        {
            var r = _ps.Run(script);
            r.AssertNoErrors();
            return r.Output.Count;
        }
    }
}
