using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Port53.Tests.Cmdlets;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Examples
{
    /// <summary>
    /// The README's own code, run as written against the demo fleet, so the front page cannot drift from the
    /// module: the quick start line by line, and the example of every cmdlet in the cmdlet table.
    /// </summary>
    public class ReadmeTests : IClassFixture<EmulatorSession>
    {
        private static readonly string Readme = File.ReadAllText(Path.Combine(PowerShellSession.RepoRoot, "README.md"));
        private readonly EmulatorSession _ps;

        public ReadmeTests(EmulatorSession ps)
        {
            _ps = ps;
            _ps.Restore();
        }

        /// <summary>The quick start's statements after it connects (the session is connected to the emulator already).</summary>
        private static List<string> QuickStart()
        {
            Match block = Regex.Match(Readme, @"## Quick start\s+```powershell\n(.*?)```", RegexOptions.Singleline);
            Assert.True(block.Success, "README has no Quick start code block");
            List<string> lines = block.Groups[1].Value.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("#")).ToList();
            int start = lines.FindIndex(l => l.StartsWith("Start-TcEmulator"));
            Assert.True(start >= 0, "the quick start no longer shows Start-TcEmulator");
            return lines.Skip(start + 1).ToList();
        }

        /// <summary>The Example column of the cmdlet table: cmdlet name → example code.</summary>
        private static Dictionary<string, string> TableExamples() =>
            Regex.Matches(Readme, @"^\| `([A-Za-z]+-Tc[A-Za-z0-9]+)` \|.*\| `((?:[^`])+)` \|\s*$", RegexOptions.Multiline)
                .Cast<Match>().ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Replace(@"\|", "|"));

        [Fact]
        public void CiRunsTheReadmesTestCommandVerbatim()
        {
            // The Set up section's first indented block: the two commands, each under its comment.
            Match setUp = Regex.Match(Readme, @"## Set up\n.*?\n\n((?:    [^\n]*\n|\n)+)", RegexOptions.Singleline);
            Assert.True(setUp.Success, "README has no Set up section");
            List<string> commands = setUp.Groups[1].Value.Split('\n').Select(l => l.Trim())
                .Where(l => l.Length > 0 && !l.StartsWith("#")).ToList();
            Assert.Equal(2, commands.Count);
            string ci = File.ReadAllText(Path.Combine(PowerShellSession.RepoRoot, ".ci", "run"));
            Match ciCommand = Regex.Match(ci, @"^test_command='(.*)'$", RegexOptions.Multiline);
            Assert.True(ciCommand.Success, ".ci/run names no test_command");
            Assert.Equal(commands[1], ciCommand.Groups[1].Value);
            // The test command runs both suites, and both Pester suites are in build.ps1's Pester task.
            Assert.Contains("dotnet test Port53Cmdlets.sln", commands[1]);
            Assert.Contains("-Task Pester", commands[1]);
        }

        [Fact]
        public void TheQuickStartRunsAsWrittenAndLeavesPort53Closed()
        {
            string journal = Path.Combine(Path.GetTempPath(), "port53-readme-" + Guid.NewGuid().ToString("N") + ".jsonl");
            List<string> statements = QuickStart();
            Assert.Contains(statements, s => s.Contains("Block-TcPort53 -Force -JournalPath ./port53-changes.jsonl"));
            foreach (string statement in statements)
            {
                // The journal goes to a temporary file instead of the test's working folder.
                PsResult r = _ps.RunConnected(statement.Replace("./port53-changes.jsonl", journal));
                r.AssertNoErrors();
                if (statement.Contains("Where-Object Exposed")) Assert.Equal(16, r.Output.Count);
                if (statement.Contains("-WhatIf")) Assert.Equal(11, Regex.Matches(r.HostText, "What if:").Count);
            }
            // Write-ahead: each of the 11 writes has its intent and its outcome.
            Assert.Equal(11, File.ReadAllLines(journal).Count(l => l.StartsWith("{\"Record\":\"Intent\"", StringComparison.Ordinal)));
            Assert.Equal(11, File.ReadAllLines(journal).Count(l => l.StartsWith("{\"Record\":\"Outcome\"", StringComparison.Ordinal) && l.Contains("\"Status\":\"Changed\"")));
            File.Delete(journal);
            // One write per changed group: sg-dropblw1's user DROP below its ACCEPT makes that one a whole-list write.
            Assert.Equal(10, _ps.Count("CreateSecurityGroupPolicies"));
            Assert.Equal(1, _ps.Count("ModifySecurityGroupPolicies"));
        }

        [Fact]
        public void EveryExportedCmdletHasARunnableExampleInTheTable()
        {
            Dictionary<string, string> examples = TableExamples();
            PsResult commands = _ps.Run("(Get-Command -Module Port53).Name");
            Assert.Equal(commands.Output.Select(o => o.ToString()).OrderBy(n => n), examples.Keys.OrderBy(n => n));
            // These need what a test cannot give: a named profile, or a child process of their own (the
            // emulator tests cover Start-/Stop-TcEmulator). The rest run as written.
            var notHere = new HashSet<string> { "Connect-TcAccount", "Disconnect-TcAccount", "Start-TcEmulator", "Stop-TcEmulator" };
            foreach (var example in examples.Where(e => !notHere.Contains(e.Key)))
            {
                Assert.Contains(example.Key, example.Value);
                PsResult r = _ps.RunConnected(example.Value);
                Assert.True(r.Terminating == null && r.Errors.Count == 0, example.Value + ": " + r.Terminating + string.Join("; ", r.Errors));
            }
        }
    }
}
