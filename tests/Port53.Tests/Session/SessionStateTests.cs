using System;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading;
using Port53.Cmdlets;
using Port53.Credentials;
using Port53.Model;
using Port53.Session;
using Port53.Tests.Api;
using Port53.Tests.Cmdlets;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Session
{
    public class SessionStateTests : IClassFixture<FleetSession>
    {
        private readonly FleetSession _ps;

        public SessionStateTests(FleetSession ps)
        {
            _ps = ps;
            _ps.Fleet.Override = null;
        }

        [Fact]
        public void EachRunspaceHasItsOwnConnection()
        {
            using (var other = new PowerShellSession())
            {
                _ps.RunConnected("$null").AssertNoErrors();
                other.Run("Disconnect-TcAccount").AssertNoErrors();
                Assert.NotSame(TcSessionState.For(_ps.Runspace), TcSessionState.For(other.Runspace));
                Assert.Same(TcSessionState.For(_ps.Runspace), TcSessionState.For(_ps.Runspace));
                Assert.NotNull(TcSessionState.For(_ps.Runspace).Connection);
                Assert.Null(TcSessionState.For(other.Runspace).Connection);
            }
        }

        [Fact]
        public void UseEndpointPointsTheSessionAtAnEmulator()
        {
            TcSessionState.For(_ps.Runspace).UseEndpoint(_ps.Fleet.Server.BaseUri, FakeFleet.SecretId, FakeFleet.SecretKey, "ap-shanghai");
            var r = _ps.Run("(Get-TcInstance).Count\nGet-TcContext");
            r.AssertNoErrors();
            Assert.Equal(2, r.Output[0].BaseObject);
            var context = Assert.IsType<TcContext>(r.Output[1].BaseObject);
            Assert.Equal(TcCredentialSource.Emulator, context.Source);
            // Routed by region through the emulator's address, as calls to Tencent would be.
            Assert.Equal("regional+" + _ps.Fleet.Endpoint, context.Endpoint);
            Assert.Contains(_ps.Fleet.Server.Requests, request => request.Host == "cvm.ap-shanghai.tencentcloudapi.com");
        }

        [Fact]
        public void CleanupRunsWhenTheRunspaceClosesUnlessUnregistered()
        {
            Runspace runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault());
            runspace.Open();
            using (var ran = new ManualResetEventSlim())
            {
                int unregisteredRuns = 0;
                TcSessionState state = TcSessionState.For(runspace);
                state.Cleanup.Register(() => ran.Set());
                state.Cleanup.Register(() => Interlocked.Increment(ref unregisteredRuns)).Dispose();
                state.Cleanup.Register(() => throw new InvalidOperationException("a failing cleanup must not stop the others"));
                Assert.False(ran.IsSet);
                runspace.Close();
                Assert.True(ran.Wait(TimeSpan.FromSeconds(20)));
                Assert.Equal(0, unregisteredRuns);
            }
            runspace.Dispose();
        }
    }
}
