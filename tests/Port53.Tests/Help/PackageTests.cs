using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Port53.HelpGen.Packaging;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Help
{
    /// <summary>Packs the built module folder (as the Package target does) into a temporary folder and opens the result.</summary>
    public sealed class PackagedModule : IDisposable
    {
        public static string ModuleDir => Path.Combine(PowerShellSession.RepoRoot, "out", "Port53");
        public string OutDir { get; } = Path.Combine(Path.GetTempPath(), "port53-package-" + Guid.NewGuid().ToString("N"));
        public PackageResult Result { get; }

        public PackagedModule()
        {
            // Through the command line, as the build runs it (note the trailing "/." the target passes).
            int exit = Port53.HelpGen.Program.Main(new[] { "package", "--module", ModuleDir + "/.", "--changelog", Path.Combine(PowerShellSession.RepoRoot, "CHANGELOG.md"), "--out", OutDir });
            if (exit != 0) throw new InvalidOperationException("Port53.HelpGen package exited with " + exit);
            var manifest = ModuleManifest.Load(Path.Combine(ModuleDir, "Port53.psd1"));
            Result = new PackageResult
            {
                Version = manifest.PackageVersion,
                NupkgPath = Path.Combine(OutDir, "Port53." + manifest.PackageVersion + ".nupkg"),
                ZipPath = Path.Combine(OutDir, "Port53." + manifest.PackageVersion + ".zip"),
            };
        }

        public void Dispose()
        {
            try { Directory.Delete(OutDir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    public class PackageTests : IClassFixture<PackagedModule>
    {
        private static readonly XNamespace N = "http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd";
        private readonly PackagedModule _p;
        public PackageTests(PackagedModule p) => _p = p;

        private static string ManifestText => File.ReadAllText(Path.Combine(PackagedModule.ModuleDir, "Port53.psd1"));

        private static byte[] Bytes(ZipArchiveEntry e)
        {
            using var s = e.Open();
            using var m = new MemoryStream();
            s.CopyTo(m);
            return m.ToArray();
        }

        private XElement Nuspec()
        {
            using var zip = ZipFile.OpenRead(_p.Result.NupkgPath);
            using var s = zip.GetEntry("Port53.nuspec").Open();
            return XDocument.Load(s).Root.Element(N + "metadata");
        }

        [Fact]
        public void FileNamesCarryTheManifestVersion()
        {
            string version = Regex.Match(ManifestText, @"ModuleVersion\s*=\s*'([^']+)'").Groups[1].Value;
            Assert.Equal(version, _p.Result.Version);
            Assert.True(File.Exists(_p.Result.NupkgPath), _p.Result.NupkgPath);
            Assert.True(File.Exists(_p.Result.ZipPath), _p.Result.ZipPath);
        }

        [Fact]
        public void NupkgHasTheModuleAtItsRootBesideTheOpcParts()
        {
            using var zip = ZipFile.OpenRead(_p.Result.NupkgPath);
            var names = zip.Entries.Select(e => e.FullName).ToList();
            foreach (var required in new[]
            {
                "Port53.nuspec", "[Content_Types].xml", "_rels/.rels",
                "Port53.psd1", "Port53.dll", "Newtonsoft.Json.dll", "Port53.format.ps1xml", "LICENSE",
                "en-US/Port53.dll-Help.xml", "en-US/about_Port53.help.txt",
                "zh-CN/Port53.resources.dll", "ja-JP/Port53.resources.dll", "ko-KR/Port53.resources.dll",
                "zh-CN/about_Port53.help.txt", "ja-JP/about_Port53.help.txt", "ko-KR/about_Port53.help.txt",
                // What Start-TcEmulator runs, so that it works from an installed package too.
                "emulator/Port53.Emulator.dll", "emulator/Port53.Emulator.runtimeconfig.json", "emulator/Port53.Emulator.deps.json",
            })
                Assert.Contains(required, names);
            Assert.Single(names, n => n.StartsWith("package/services/metadata/core-properties/", StringComparison.Ordinal) && n.EndsWith(".psmdcp", StringComparison.Ordinal));
            Assert.DoesNotContain(names, n => n.Contains('\\') || n.StartsWith("Port53/", StringComparison.Ordinal));

            // Every module file, byte for byte.
            foreach (var (full, relative) in ModulePackager.ModuleFiles(PackagedModule.ModuleDir))
                Assert.Equal(File.ReadAllBytes(full), Bytes(zip.GetEntry(relative)));
        }

        [Fact]
        public void NuspecDescribesTheModuleForTheGallery()
        {
            var m = Nuspec();
            Assert.Equal("Port53", m.Element(N + "id").Value);
            Assert.Equal(_p.Result.Version, m.Element(N + "version").Value);
            Assert.Equal("Port53 contributors", m.Element(N + "authors").Value);
            Assert.Contains("port 53", m.Element(N + "description").Value);
            Assert.Equal("expression", (string)m.Element(N + "license").Attribute("type"));
            Assert.Equal("MIT", m.Element(N + "license").Value);
            Assert.Equal("https://github.com/port53/Port53", m.Element(N + "projectUrl").Value);
            Assert.Equal("false", m.Element(N + "requireLicenseAcceptance").Value);
            string notes = m.Element(N + "releaseNotes").Value;
            Assert.StartsWith("## [", notes);
            Assert.Equal(Changelog.ReleaseNotesFromFile(Path.Combine(PowerShellSession.RepoRoot, "CHANGELOG.md"), _p.Result.Version), notes);
        }

        [Fact]
        public void TagsAreTheManifestsPlusTheGalleryDiscoveryTags()
        {
            var tags = Nuspec().Element(N + "tags").Value.Split(' ');
            var manifest = ModuleManifest.Load(Path.Combine(PackagedModule.ModuleDir, "Port53.psd1"));
            Assert.Contains("PSModule", tags);
            Assert.Contains("TencentCloud", tags);
            Assert.Contains("PSEdition_Core", tags);
            Assert.All(manifest.Tags, t => Assert.Contains(t, tags));
            foreach (var cmdlet in manifest.CmdletsToExport)
            {
                Assert.Contains("PSCmdlet_" + cmdlet, tags);
                Assert.Contains("PSCommand_" + cmdlet, tags);
            }
            Assert.Equal(tags.Length, tags.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        }

        [Fact]
        public void ContentTypesCoverEveryPartAndRelsPointAtRealParts()
        {
            using var zip = ZipFile.OpenRead(_p.Result.NupkgPath);
            XNamespace ct = "http://schemas.openxmlformats.org/package/2006/content-types";
            XNamespace rel = "http://schemas.openxmlformats.org/package/2006/relationships";
            XDocument types, rels;
            using (var s = zip.GetEntry("[Content_Types].xml").Open()) types = XDocument.Load(s);
            using (var s = zip.GetEntry("_rels/.rels").Open()) rels = XDocument.Load(s);
            var defaults = types.Root.Elements(ct + "Default").Select(d => (string)d.Attribute("Extension")).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var overrides = types.Root.Elements(ct + "Override").Select(o => (string)o.Attribute("PartName")).ToHashSet(StringComparer.Ordinal);
            foreach (var part in zip.Entries.Select(e => e.FullName).Where(n => n != "[Content_Types].xml"))
            {
                string ext = Path.GetExtension(part).TrimStart('.');
                Assert.True(ext.Length > 0 ? defaults.Contains(ext) : overrides.Contains("/" + part), "no content type for " + part);
            }
            var targets = rels.Root.Elements(rel + "Relationship").Select(r => ((string)r.Attribute("Target")).TrimStart('/')).ToList();
            Assert.Equal(2, targets.Count);
            Assert.All(targets, t => Assert.NotNull(zip.GetEntry(t)));
        }

        [Fact]
        public void ZipMirrorsTheModuleFolderUnderAPort53Folder()
        {
            using var zip = ZipFile.OpenRead(_p.Result.ZipPath);
            var files = ModulePackager.ModuleFiles(PackagedModule.ModuleDir);
            Assert.Equal(files.Select(f => "Port53/" + f.Relative).OrderBy(n => n, StringComparer.Ordinal),
                zip.Entries.Select(e => e.FullName).OrderBy(n => n, StringComparer.Ordinal));
            foreach (var (full, relative) in files) Assert.Equal(File.ReadAllBytes(full), Bytes(zip.GetEntry("Port53/" + relative)));
        }
    }

    public class PackagingUnitTests
    {
        [Fact]
        public void ManifestIsReadWithoutRunningItAndPrereleaseJoinsTheVersion()
        {
            string dir = Path.Combine(Path.GetTempPath(), "port53-manifest-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            try
            {
                string path = Path.Combine(dir, "Demo.psd1");
                File.WriteAllText(path, "@{ ModuleVersion = '1.2.3'; Author = 'A'; Description = 'D'\n" +
                    "   CmdletsToExport = @('Get-X', 'Set-X'); FunctionsToExport = 'Invoke-Y'\n" +
                    "   PrivateData = @{ PSData = @{ Tags = @('One', 'Two'); Prerelease = 'beta1'; ProjectUri = 'https://p.invalid' } } }");
                var m = ModuleManifest.Load(path);
                Assert.Equal("Demo", m.Name);
                Assert.Equal("1.2.3-beta1", m.PackageVersion);
                Assert.Equal(new[] { "Get-X", "Set-X" }, m.CmdletsToExport);
                Assert.Equal(new[] { "One", "Two", "PSModule", "PSIncludes_Cmdlet", "PSIncludes_Function", "PSCmdlet_Get-X", "PSCommand_Get-X",
                    "PSCmdlet_Set-X", "PSCommand_Set-X", "PSFunction_Invoke-Y", "PSCommand_Invoke-Y" }, ModulePackager.Tags(m));

                File.WriteAllText(path, "@{ ModuleVersion = (Get-Date).ToString() }");
                Assert.ThrowsAny<Exception>(() => ModuleManifest.Load(path));
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        [Fact]
        public void ReleaseNotesAreThisVersionsSectionElseTheNewest()
        {
            const string log = "# Changelog\n\nIntro.\n\n## [Unreleased]\n### Added\n- new\n\n## [0.2.0] - 2025-01-01\n### Fixed\n- bug\n\n## [0.1.0]\n- first\n";
            Assert.Equal("## [0.2.0] - 2025-01-01\n### Fixed\n- bug", Changelog.ReleaseNotes(log, "0.2.0"));
            Assert.Equal("## [Unreleased]\n### Added\n- new", Changelog.ReleaseNotes(log, "9.9.9"));
            Assert.Equal("", Changelog.ReleaseNotes("# Changelog\n", "1.0.0"));
        }
    }
}
