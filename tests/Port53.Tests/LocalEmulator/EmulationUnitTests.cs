using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Port53.LocalEmulator;
using Xunit;

namespace Port53.Tests.LocalEmulator
{
    public class DotnetHostTests
    {
        private static Func<string, string> Env(params (string Name, string Value)[] variables) =>
            name => variables.FirstOrDefault(v => v.Name == name).Value;

        [Fact]
        public void TheMostSpecificHostThatExistsWins()
        {
            var env = Env(("DOTNET_HOST_PATH", "/sdk/dotnet"), ("DOTNET_ROOT", "/root-dir"), ("PATH", "/a" + Path.PathSeparator + "/b"), ("HOME", "/home/u"));
            Assert.Equal(new[] { "/sdk/dotnet", "/usr/bin/dotnet", "/root-dir/dotnet", "/a/dotnet", "/b/dotnet",
                                 "/usr/local/share/dotnet/dotnet", "/usr/share/dotnet/dotnet", "/usr/lib/dotnet/dotnet", "/home/u/.dotnet/dotnet" },
                DotnetHost.Candidates(env, "/usr/bin/dotnet", windows: false).Select(p => p.Replace('\\', '/')));

            Assert.Equal("/sdk/dotnet", DotnetHost.Find(env, "/usr/bin/dotnet", _ => true, windows: false));
            Assert.Equal("/b/dotnet", DotnetHost.Find(env, "/usr/bin/pwsh", p => p.Replace('\\', '/') == "/b/dotnet", windows: false));
            Assert.Null(DotnetHost.Find(env, null, _ => false, windows: false));
        }

        [Fact]
        public void ARunningPwshIsNotTheHostAndRelativePathEntriesAreSkipped()
        {
            var env = Env(("PATH", "relative" + Path.PathSeparator + Path.PathSeparator + "/abs"));
            var candidates = DotnetHost.Candidates(env, "/opt/microsoft/powershell/7/pwsh", windows: false).Select(p => p.Replace('\\', '/')).ToList();
            Assert.DoesNotContain(candidates, c => c.Contains("pwsh") || c.StartsWith("relative"));
            Assert.Equal("/abs/dotnet", candidates.First());
        }

        [Fact]
        public void OnWindowsTheHostIsDotnetExeInAnyLetterCaseAndProgramFilesIsTheFallback()
        {
            var env = Env(("ProgramFiles", "/program-files"));
            var candidates = DotnetHost.Candidates(env, "/program-files/dotnet/DOTNET.EXE", windows: true).Select(p => p.Replace('\\', '/')).ToList();
            Assert.Equal(new[] { "/program-files/dotnet/DOTNET.EXE", "/program-files/dotnet/dotnet.exe" }, candidates);
        }

        /// <summary>
        /// The host found here is one Start-TcEmulator can use: it lists, for every framework the shipped emulator
        /// names in its runtimeconfig, a runtime of that major version or later (the emulator rolls forward by major).
        /// </summary>
        [Fact]
        public void TheHostFoundHereHasTheFrameworksTheShippedEmulatorNeeds()
        {
            string host = DotnetHost.Find();
            Assert.NotNull(host);
            var start = new System.Diagnostics.ProcessStartInfo(host, "--list-runtimes") { RedirectStandardOutput = true, UseShellExecute = false };
            string listed;
            using (var p = System.Diagnostics.Process.Start(start))
            {
                listed = p.StandardOutput.ReadToEnd();
                p.WaitForExit();
                Assert.Equal(0, p.ExitCode);
            }
            // "Microsoft.AspNetCore.App 10.0.12 [/usr/share/dotnet/shared/Microsoft.AspNetCore.App]"
            var runtimes = listed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' '))
                .Select(parts => (Name: parts[0], Major: int.Parse(parts[1].Split('.')[0]))).ToList();
            var config = Newtonsoft.Json.Linq.JObject.Parse(File.ReadAllText(Path.Combine(Tests.Hosting.PowerShellSession.RepoRoot, "out", "Port53", "emulator", "Port53.Emulator.runtimeconfig.json")));
            var needed = config["runtimeOptions"]["frameworks"].Select(f => ((string)f["name"], int.Parse(((string)f["version"]).Split('.')[0]))).ToList();
            Assert.Contains(needed, n => n.Item1 == "Microsoft.AspNetCore.App");
            foreach (var (name, major) in needed)
                Assert.Contains(runtimes, r => r.Name == name && r.Major >= major);
        }
    }

    public class CommandLineTextTests
    {
        [Theory]
        [InlineData("--port", "--port")]
        [InlineData("", "\"\"")]
        [InlineData("/tmp/my fleet.json", "\"/tmp/my fleet.json\"")]
        [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
        [InlineData(@"C:\dir with space\", "\"C:\\dir with space\\\\\"")]
        [InlineData(@"a\\""b", "\"a\\\\\\\\\\\"b\"")]
        [InlineData(@"C:\no\spaces", @"C:\no\spaces")]
        public void QuotesTheWayTheArgumentParserUnquotes(string argument, string expected)
        {
            Assert.Equal(expected, CommandLineText.Quote(argument));
        }
    }
}
