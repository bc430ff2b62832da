using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Management.Automation.Runspaces;
using Port53.Model;
using Port53.Tests.Help;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.LocalEmulator
{
    /// <summary>The module as an offline install unpacks it (the zip), with Start-TcEmulator running the emulator it carries.</summary>
    [Collection(EmulatorProcessCollection.Name)]
    public class PackagedEmulatorTests : IClassFixture<PackagedModule>
    {
        private readonly PackagedModule _package;
        public PackagedEmulatorTests(PackagedModule package) => _package = package;

        [Fact]
        public void StartTcEmulatorRunsTheEmulatorOfTheInstalledModule()
        {
            string installed = Path.Combine(_package.OutDir, "installed");
            ZipFile.ExtractToDirectory(_package.Result.ZipPath, installed);
            string manifest = Path.Combine(installed, "Port53", "Port53.psd1");
            Assert.True(File.Exists(Path.Combine(installed, "Port53", "emulator", "Port53.Emulator.dll")));

            var iss = InitialSessionState.CreateDefault();
            iss.ImportPSModule(new[] { manifest });
            var host = new TestHost();
            using Runspace runspace = RunspaceFactory.CreateRunspace(host, iss);
            runspace.Open();
            using var ps = System.Management.Automation.PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddScript("(Get-Module Port53).ModuleBase\nStart-TcEmulator -Demo -Verbose -PassThru\n(Get-TcRegion).Count\nStop-TcEmulator");
            var output = ps.Invoke();
            Assert.Empty(ps.Streams.Error);
            Assert.Equal(Path.Combine(installed, "Port53"), ((string)output[0].BaseObject).TrimEnd('/', '\\'));
            TcEmulator e = Assert.IsType<TcEmulator>(output[1].BaseObject);
            Assert.Equal(5, output[2].BaseObject);
            // The child ran the packaged dll, not the one in out/Port53.
            Assert.Contains(ps.Streams.Verbose, v => v.Message.Contains(Path.Combine(installed, "Port53", "emulator", "Port53.Emulator.dll")));
            Assert.True(EmulatorProcesses.WaitUntilGone(e.ProcessId, TimeSpan.Zero));
        }
    }
}
