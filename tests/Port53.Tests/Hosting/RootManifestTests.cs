using System.IO;
using System.Linq;
using System.Reflection;
using Xunit;

namespace Port53.Tests.Hosting
{
    /// <summary>An engine that imported ./Port53.psd1 from the clone's root, as a user of a built clone does.</summary>
    public sealed class RootManifestSession : PowerShellSession
    {
        public static string RootManifest => Path.Combine(RepoRoot, "Port53.psd1");

        public RootManifestSession() : base(RootManifest) { }
    }

    /// <summary>
    /// Port53.psd1 at the root is the module's one manifest: valid, importable after a build, the same module as
    /// out/Port53 (cmdlets, format views, help), and the one place the version is written.
    /// </summary>
    public class RootManifestTests : IClassFixture<PowerShellSession>, IClassFixture<RootManifestSession>
    {
        // What a user sees of the module: its cmdlets with their help synopsis, the types it has views for, about_Port53.
        private const string Surface =
            "Get-Command -Module Port53 -CommandType Cmdlet | Sort-Object Name | ForEach-Object { $_.Name + ': ' + (Get-Help $_.Name).Synopsis }\n" +
            "Get-FormatData -TypeName Port53.* | ForEach-Object { $_.TypeNames } | Sort-Object\n" +
            "((Get-Help about_Port53 | Out-String).Trim().Split(\"`n\")[0..1] -join ' ')";

        private readonly PowerShellSession _folder;
        private readonly RootManifestSession _root;

        public RootManifestTests(PowerShellSession folder, RootManifestSession root)
        {
            _folder = folder;
            _root = root;
        }

        [Fact]
        public void TestModuleManifestAcceptsTheRootManifestAndNamesFrameworkAndVersion()
        {
            PsResult r = _folder.Run("$m = Test-ModuleManifest -Path '" + RootManifestSession.RootManifest + "'\n" +
                                     "$m.Name; $m.Version.ToString(); $m.DotNetFrameworkVersion.ToString(); $m.PowerShellVersion.ToString()");
            r.AssertNoErrors();
            Assert.Equal(new[] { "Port53", ModuleVersion(), "4.7.2", "5.1" }, r.Output.Select(o => o.ToString()));
        }

        [Fact]
        public void ImportedFromTheRootItIsTheModuleOfTheBuiltFolder()
        {
            PsResult fromFolder = _folder.Run(Surface);
            PsResult fromRoot = _root.Run(Surface);
            fromFolder.AssertNoErrors();
            fromRoot.AssertNoErrors();
            string[] expected = fromFolder.Output.Select(o => o.ToString()).ToArray();
            Assert.Equal(expected, fromRoot.Output.Select(o => o.ToString()));
            // Real help, not the syntax-only stand-in Get-Help makes when it finds no help file.
            Assert.Contains("Get-TcInstance: Lists Tencent Cloud CVM instances", string.Join("\n", expected));
            Assert.Contains("Port53.Model.TcInstance", expected);
            Assert.Contains("about_Port53", expected.Last());
        }

        [Fact]
        public void TheAssemblyCarriesTheManifestsVersion()
        {
            AssemblyName built = AssemblyName.GetAssemblyName(Path.Combine(PowerShellSession.RepoRoot, "out", "Port53", "Port53.dll"));
            Assert.Equal(ModuleVersion(), built.Version.ToString(3));
            PsResult r = _root.Run("(Get-Module Port53).Version.ToString()");
            r.AssertNoErrors();
            Assert.Equal(ModuleVersion(), r.Output.Single().ToString());
        }

        /// <summary>
        /// The dll binds to Newtonsoft.Json 13.0.0.0, the assembly version of every 13.0.x that PowerShell 7.2 and
        /// later load before any module, and ships 13.0.1 (the oldest 13.0.x) for Windows PowerShell 5.1.
        /// </summary>
        [Fact]
        public void TheModuleCompilesAgainstAndShipsTheOldestNewtonsoftJsonItsHostsLoad()
        {
            string folder = Path.Combine(PowerShellSession.RepoRoot, "out", "Port53");
            // Read without loading: the test process has its own Port53 loaded already.
            using (var pe = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(Path.Combine(folder, "Port53.dll"))))
            {
                var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
                var reference = metadata.AssemblyReferences.Select(metadata.GetAssemblyReference)
                    .Single(r => metadata.GetString(r.Name) == "Newtonsoft.Json");
                Assert.Equal(new System.Version(13, 0, 0, 0), reference.Version);
            }
            var shipped = System.Diagnostics.FileVersionInfo.GetVersionInfo(Path.Combine(folder, "Newtonsoft.Json.dll"));
            Assert.StartsWith("13.0.1", shipped.ProductVersion);
        }

        private static string ModuleVersion() =>
            System.Text.RegularExpressions.Regex.Match(File.ReadAllText(RootManifestSession.RootManifest), @"ModuleVersion\s*=\s*'([^']+)'").Groups[1].Value;
    }
}
