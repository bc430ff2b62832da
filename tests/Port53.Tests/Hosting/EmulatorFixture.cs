using System;
using System.Threading.Tasks;
using Port53.Emulator.Faults;
using Port53.Emulator.Hosting;
using Xunit;

namespace Port53.Tests.Hosting
{
    /// <summary>
    /// One in-process emulator per test class (IClassFixture&lt;EmulatorFixture&gt;): the demo fleet on a real
    /// 127.0.0.1 socket, rate limits off and no latency so tests are fast. Tests that change the fleet or the
    /// faults call Restore() first, so the order tests run in does not matter.
    /// </summary>
    public class EmulatorFixture : IAsyncLifetime
    {
        public EmulatorServer Server { get; private set; }
        public Uri BaseUrl => Server.BaseUrl;

        /// <summary>Override for another fleet or other faults (derive a fixture class).</summary>
        protected virtual EmulatorOptions CreateOptions() => EmulatorOptions.ForTests();

        /// <summary>Back to the start: initial fleet, the fixture's faults, empty request log and edit record.</summary>
        public void Restore()
        {
            Server.SetFaults(CreateOptions().Faults ?? FaultSettings.NoRateLimits());
            Server.Reset();
            Server.ClearRequests();
        }

        public async Task InitializeAsync() => Server = await EmulatorServer.StartAsync(CreateOptions());

        public async Task DisposeAsync()
        {
            if (Server != null) await Server.DisposeAsync();
        }
    }
}
