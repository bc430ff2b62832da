using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using Port53.Cmdlets;
using Port53.Credentials;
using Port53.Emulator.Model;
using Port53.Model;
using Port53.Session;
using Port53.Tests.Cmdlets;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.LocalEmulator
{
    /// <summary>
    /// Starting, replacing and stopping emulator child processes, and every way a start can fail. Each test has a
    /// session of its own, and checks that no emulator process it started is left.
    /// </summary>
    [Collection(EmulatorProcessCollection.Name)]
    public class EmulatorLifecycleTests
    {
        private static TcEmulator Started(PsResult r)
        {
            r.AssertNoErrors();
            return Assert.IsType<TcEmulator>(Assert.Single(r.Output).BaseObject);
        }

        [Fact]
        public void StopEndsTheChildAndDisconnectsTheSession()
        {
            using var ps = new PowerShellSession();
            TcEmulator e = Started(ps.Run("Start-TcEmulator -PassThru"));
            Assert.True(EmulatorProcesses.IsRunning(e.ProcessId));

            var r = ps.Run("Stop-TcEmulator -WhatIf");
            r.AssertNoErrors();
            Assert.Contains(e.ProcessId.ToString(), r.HostText);
            Assert.True(EmulatorProcesses.IsRunning(e.ProcessId));
            Assert.NotNull(TcSessionState.For(ps.Runspace).Connection);

            r = ps.Run("Stop-TcEmulator -Verbose");
            r.AssertNoErrors();
            Assert.Empty(r.Output);
            Assert.True(EmulatorProcesses.WaitUntilGone(e.ProcessId, TimeSpan.Zero), "Stop-TcEmulator returned before process " + e.ProcessId + " was gone");
            Assert.Contains(r.Verbose, v => v.Contains(e.ProcessId.ToString()) && v.Contains(e.Url));
            Assert.Contains(r.Verbose, v => v.Contains("disconnected"));
            Assert.Null(TcSessionState.For(ps.Runspace).Connection);

            // Nothing left to stop or to read: Stop is a non-terminating error, the control cmdlets a terminating one.
            r = ps.Run("Stop-TcEmulator; 'next'");
            Assert.Null(r.Terminating);
            ErrorRecord error = Assert.Single(r.Errors);
            Assert.Equal("Port53.EmulatorNotRunning,Port53.Cmdlets.StopTcEmulatorCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Equal("next", Assert.Single(r.Output).BaseObject);
            Assert.Empty(ps.Run("Stop-TcEmulator -ErrorAction SilentlyContinue").Errors);

            error = ps.Run("Get-TcEmulatorRequest").SingleFailure();
            Assert.StartsWith("Port53.EmulatorNotRunning,", error.FullyQualifiedErrorId);
            Assert.Contains("-Endpoint", error.Exception.Message);
        }

        [Fact]
        public void ClosingTheRunspaceStopsTheChild()
        {
            TcEmulator e;
            using (var ps = new PowerShellSession())
            {
                e = Started(ps.Run("Start-TcEmulator -PassThru"));
                Assert.True(EmulatorProcesses.IsRunning(e.ProcessId));
            }
            Assert.True(EmulatorProcesses.WaitUntilGone(e.ProcessId), "process " + e.ProcessId + " outlived its runspace");
        }

        [Fact]
        public void ASecondStartReplacesTheFirstAndServesItsFleet()
        {
            using var ps = new PowerShellSession();
            TcEmulator first = Started(ps.Run("Start-TcEmulator -PassThru"));
            var r = ps.Run("Start-TcEmulator -Generate 'instances=150,regions=1,groups=6,seed=3' -Verbose -PassThru");
            TcEmulator second = Started(r);
            Assert.Contains(r.Verbose, v => v.Contains(first.ProcessId.ToString()) && v.Contains("replaces"));
            Assert.True(EmulatorProcesses.WaitUntilGone(first.ProcessId, TimeSpan.Zero), "the replaced emulator " + first.ProcessId + " still runs");
            Assert.True(EmulatorProcesses.IsRunning(second.ProcessId));
            Assert.Equal(("Generated", "instances=150,regions=1,groups=6,seed=3", 1, 150), (second.Fleet, second.FleetSource, second.Regions, second.Instances));
            // The generator's first region is ap-guangzhou (docs/emulator.md), so it is the default region.
            Assert.Equal("ap-guangzhou", second.Region);

            r = ps.Run("Get-TcInstance");
            r.AssertNoErrors();
            Assert.Equal(150, r.Output.Select(o => ((TcInstance)o.BaseObject).InstanceId).Distinct().Count());
            ps.Run("Stop-TcEmulator").AssertNoErrors();
            Assert.True(EmulatorProcesses.WaitUntilGone(second.ProcessId, TimeSpan.Zero));
        }

        [Fact]
        public void AFleetFileIsFoundRelativeToTheLocationWhateverItsName()
        {
            string dir = Path.Combine(Path.GetTempPath(), "port53 fleet's folder " + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            try
            {
                string path = Path.Combine(dir, "my fleet.json");
                // The demo fleet minus Singapore (which has no instances), with a key of its own.
                Fleet fleet = FleetJson.Parse(FleetJson.DemoBytes());
                fleet.Regions.RemoveAll(x => x.Region == "ap-singapore");
                fleet.Credentials.Clear();
                fleet.Credentials.Add(new Credential { SecretId = "AKIDFleetFileKey0000000000000000000", SecretKey = "FleetFileSecretKey00000000000000" });
                File.WriteAllBytes(path, FleetJson.SerializeToUtf8(fleet));

                using var ps = new PowerShellSession();
                TcEmulator e = Started(ps.Run("$null = $ExecutionContext.SessionState.Path.SetLocation($args[0])\nStart-TcEmulator -FleetPath './my fleet.json' -Region AP-SHANGHAI -PassThru"
                    .Replace("$args[0]", "'" + dir.Replace("'", "''") + "'")));
                Assert.Equal(("File", path, 4, 21), (e.Fleet, e.FleetSource, e.Regions, e.Instances));
                Assert.Equal("ap-shanghai", e.Region);
                Assert.Equal("AKIDFleetFileKey0000000000000000000", e.SecretId);

                var r = ps.Run("Get-TcInstance\nGet-TcContext");
                r.AssertNoErrors();
                Assert.Equal(4, r.Output.Select(o => o.BaseObject).OfType<TcInstance>().Count(i => i.Region == "ap-shanghai"));
                Assert.Equal(TcCredentialSource.Emulator, r.Output.Select(o => o.BaseObject).OfType<TcContext>().Single().Source);
                Assert.DoesNotContain("FleetFileSecretKey", r.AllText());
                ps.Run("Stop-TcEmulator").AssertNoErrors();
                Assert.True(EmulatorProcesses.WaitUntilGone(e.ProcessId, TimeSpan.Zero));
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        [Fact]
        public void AFleetPathThatNamesNoFileFailsBeforeAnythingStarts()
        {
            using var ps = new PowerShellSession();
            var before = EmulatorProcesses.Children();
            string missing = Path.Combine(Path.GetTempPath(), "port53-no-such-fleet-" + Guid.NewGuid().ToString("N") + ".json");
            ErrorRecord error = ps.Run("Start-TcEmulator -FleetPath '" + missing + "'").SingleFailure();
            Assert.Equal("Port53.FleetNotFound,Port53.Cmdlets.StartTcEmulatorCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Equal(missing, error.TargetObject);
            Assert.Contains(missing, error.Exception.Message);
            Assert.Equal(before, EmulatorProcesses.Children());
            Assert.Null(TcSessionState.For(ps.Runspace).Connection);
        }

        [Theory]
        [InlineData("{ \"Regions\": [ not json", "FleetPath")]
        [InlineData("{ \"Regions\": [ { \"Region\": \"ap-guangzhou\" } ], \"Instances\": [ { \"Region\": \"ap-mars\", \"InstanceId\": \"ins-00000001\" } ] }", "FleetPath")]
        [InlineData("instances=lots", "Generate")]
        public void AFleetTheEmulatorCannotLoadFailsWithItsMessageAndLeavesNoProcess(string content, string parameter)
        {
            string file = Path.Combine(Path.GetTempPath(), "port53-bad-fleet-" + Guid.NewGuid().ToString("N") + ".json");
            File.WriteAllText(file, content);
            try
            {
                using var ps = new PowerShellSession();
                var before = EmulatorProcesses.Children();
                string argument = parameter == "FleetPath" ? "'" + file + "'" : "'" + content + "'";
                ErrorRecord error = ps.Run("Start-TcEmulator -" + parameter + " " + argument).SingleFailure();
                Assert.Equal("Port53.EmulatorStartFailed,Port53.Cmdlets.StartTcEmulatorCommand", error.FullyQualifiedErrorId);
                Assert.Equal(parameter == "FleetPath" ? ErrorCategory.InvalidData : ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
                // The emulator's own message (docs/emulator.md: it prefixes its errors with its name), not a stack trace.
                Assert.Contains("Port53.Emulator:", error.Exception.Message);
                Assert.Contains(parameter == "FleetPath" && content.Contains("ap-mars") ? "ap-mars" : parameter == "Generate" ? "lots" : "JSON",
                    error.Exception.Message, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("   at ", error.Exception.Message);
                Assert.Equal(before, EmulatorProcesses.Children());
                Assert.Null(TcSessionState.For(ps.Runspace).Connection);
                Assert.Null(TcSessionState.For(ps.Runspace).Emulator);
            }
            finally
            {
                File.Delete(file);
            }
        }

        [Fact]
        public void ARegionTheFleetLacksFailsAndStopsTheChild()
        {
            using var ps = new PowerShellSession();
            var before = EmulatorProcesses.Children();
            ErrorRecord error = ps.Run("Start-TcEmulator -Region mars-north-1").SingleFailure();
            Assert.Equal("Port53.UnknownRegion,Port53.Cmdlets.StartTcEmulatorCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Equal("mars-north-1", error.TargetObject);
            Assert.Contains("ap-hongkong", error.Exception.Message);
            Assert.Equal(before, EmulatorProcesses.Children());
            Assert.Null(TcSessionState.For(ps.Runspace).Connection);
        }

        [Fact]
        public void APortInUseIsReportedAsSuch()
        {
            var taken = new TcpListener(IPAddress.Loopback, 0);
            taken.Start();
            try
            {
                int port = ((IPEndPoint)taken.LocalEndpoint).Port;
                using var ps = new PowerShellSession();
                var before = EmulatorProcesses.Children();
                ErrorRecord error = ps.Run("Start-TcEmulator -Port " + port).SingleFailure();
                Assert.Equal("Port53.PortInUse,Port53.Cmdlets.StartTcEmulatorCommand", error.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
                Assert.Equal(port, error.TargetObject);
                Assert.Equal(before, EmulatorProcesses.Children());
            }
            finally
            {
                taken.Stop();
            }
        }

        [Fact]
        public void AChildThatDoesNotAnswerInTimeIsStoppedAndReported()
        {
            TimeSpan saved = StartTcEmulatorCommand.StartTimeout;
            StartTcEmulatorCommand.StartTimeout = TimeSpan.FromMilliseconds(1);
            try
            {
                using var ps = new PowerShellSession();
                var before = EmulatorProcesses.Children();
                ErrorRecord error = ps.Run("Start-TcEmulator").SingleFailure();
                Assert.Equal("Port53.EmulatorStartTimedOut,Port53.Cmdlets.StartTcEmulatorCommand", error.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.OperationTimeout, error.CategoryInfo.Category);
                Assert.Equal(before, EmulatorProcesses.Children());
                Assert.Null(TcSessionState.For(ps.Runspace).Connection);
            }
            finally
            {
                StartTcEmulatorCommand.StartTimeout = saved;
            }
        }

        [Fact]
        public void AFixedPortAndFaultsGivenAtStartAreInForceWhenItReturns()
        {
            int port = EmulatorProcesses.FreePort();
            using var ps = new PowerShellSession();
            TcEmulator e = Started(ps.Run("Start-TcEmulator -Port " + port + " -InternalErrorRate 1 -FaultAction DescribeZones -LatencyMs 4 -PassThru"));
            try
            {
                Assert.Equal(port, e.Port);
                Assert.Equal("http://127.0.0.1:" + port + "/", e.Url);
                string faults = EmulatorProcesses.Get(e.Url, "/_emulator/faults");
                Assert.Contains("\"InternalErrorRate\": 1", faults);
                Assert.Contains("\"LatencyMinMs\": 4", faults);
                Assert.Contains("\"RateLimitEnabled\": true", faults);
                // Start's own DescribeRegions check (and the question which account its keys are) came before the faults, and were the only calls.
                var r = ps.Run("Get-TcEmulatorRequest");
                r.AssertNoErrors();
                Assert.Equal(new[] { "DescribeRegions", "GetCallerIdentity" }, r.Output.Select(o => ((TcEmulatorRequest)o.BaseObject).Action).OrderBy(a => a, StringComparer.Ordinal));
            }
            finally
            {
                ps.Run("Stop-TcEmulator").AssertNoErrors();
            }
        }
    }
}
