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

        [Fact]
        public void TheHostOfThisMachineIsFound()
        {
            string host = DotnetHost.Find();
            Assert.NotNull(host);
            Assert.True(File.Exists(host), host);
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
