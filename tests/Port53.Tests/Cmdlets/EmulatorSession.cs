using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Port53.Emulator.Hosting;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Cmdlets
{
    /// <summary>
    /// A hosted PowerShell engine with the module, plus an in-process emulator (the demo fleet unless a derived
    /// class brings its own). Scripts get $id, $key, $ep and $emu (the EmulatorServer, for its request log).
    /// </summary>
    public class EmulatorSession : PowerShellSession, IAsyncLifetime
    {
        public const string Connect = "Connect-TcAccount -SecretId $id -SecretKey $key -Endpoint $ep -Region ap-guangzhou\n";

        public EmulatorFixture Emulator { get; }
        public EmulatorServer Server => Emulator.Server;

        public EmulatorSession() : this(new EmulatorFixture()) { }

        protected EmulatorSession(EmulatorFixture emulator) => Emulator = emulator;

        public Task InitializeAsync() => Emulator.InitializeAsync();

        public Task DisposeAsync() => Emulator.DisposeAsync();

        /// <summary>Initial fleet, no faults, empty request log.</summary>
        public void Restore() => Emulator.Restore();

        public PsResult RunConnected(string script) => Run(Connect + script, Variables());

        /// <summary>$id, $key and $ep (the first account's keys and the emulator's address, as <see cref="Connect"/> uses them) and $emu (the server).</summary>
        public Dictionary<string, object> Variables() => new Dictionary<string, object>
        {
            ["id"] = Server.SecretId,
            ["key"] = FleetSession.Secure(Server.SecretKey),
            ["ep"] = Server.BaseUrl.ToString(),
            ["emu"] = Server,
        };

        /// <summary>Successful requests of an action (for one group, or in one region) in the log.</summary>
        public int Count(string action, string securityGroupId = null, string region = null) =>
            Server.Requests.Count(r => r.Action == action && r.ErrorCode == null && r.Fault == null &&
                                       (securityGroupId == null || r.SecurityGroupId == securityGroupId) && (region == null || r.Region == region));
    }
}
