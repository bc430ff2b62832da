using System.Collections.Generic;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Cmdlets
{
    /// <summary>
    /// A test class with a hosted engine and an in-process emulator of its own (fleet, faults and log restored
    /// before each test), connected the way a user would: Connect-TcAccount -Endpoint with the emulator's keys.
    /// Derived classes declare IClassFixture&lt;TFixture&gt; themselves: a generic class cannot implement it beside
    /// IClassFixture&lt;PowerShellSession&gt; (the two could be the same interface).
    /// </summary>
    public abstract class InProcessEmulatorTests<TFixture> : IClassFixture<PowerShellSession>
        where TFixture : EmulatorFixture
    {
        protected InProcessEmulatorTests(TFixture emulator, PowerShellSession session)
        {
            Emu = emulator;
            Ps = session;
            Emu.Restore();
        }

        protected TFixture Emu { get; }
        protected PowerShellSession Ps { get; }

        /// <summary>Connects with the emulator's keys (or <paramref name="key"/>) and default <paramref name="region"/>, then runs the script.</summary>
        protected PsResult RunConnected(string script, string region = "ap-guangzhou", string key = null) => Ps.Run(
            "Connect-TcAccount -SecretId $id -SecretKey $key -Endpoint $url -Region " + region + "\n" + script,
            new Dictionary<string, object>
            {
                ["id"] = Emu.Server.SecretId,
                ["key"] = FleetSession.Secure(key ?? Emu.Server.SecretKey),
                ["url"] = Emu.BaseUrl.ToString(),
            });
    }
}
