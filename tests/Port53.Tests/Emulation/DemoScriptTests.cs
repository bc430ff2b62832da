using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Port53.Emulation;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Emulation
{
    /// <summary>
    /// examples/demo.ps1 as the README's first command runs it: through the built Port53.Shell, in a process of its
    /// own, with nothing but the module folder. Not in the child-process collection: its emulator is the shell's
    /// child, not this process's, so it runs beside the tests that count this process's children.
    /// </summary>
    public class DemoScriptTests
    {
        // docs/emulator.md, Demo fleet: one instance of each region that has any, and the stopped one.
        private static readonly string[] SomeDemoInstances = { "ins-gzweb001", "gz-web-all-open", "ins-shsvc001", "ins-bjblock1", "hk-dns-stopped" };

        private static string ShellDll()
        {
            string dll = ShellTests.ShellDll;
            Assert.True(File.Exists(dll), dll + " is missing: build the solution first");
            return dll;
        }

        [Fact]
        public async Task TheDemoRunsListsTheFleetAndLeavesNoProcess()
        {
            var start = new ProcessStartInfo(DotnetHost.Find(), CommandLineText.Quote(ShellDll()) + " -File examples/demo.ps1")
            {
                WorkingDirectory = PowerShellSession.RepoRoot,
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
            };
            using Process shell = Process.Start(start);
            Task<string> stdout = shell.StandardOutput.ReadToEndAsync();
            Task<string> stderr = shell.StandardError.ReadToEndAsync();
            if (!shell.WaitForExit(120_000))
            {
                shell.Kill(entireProcessTree: true);
                Assert.Fail("the demo did not finish within two minutes");
            }
            string output = await stdout, errors = await stderr;

            Assert.True(shell.ExitCode == 0, "exit code " + shell.ExitCode + "\n" + errors + "\n" + output);
            Assert.Equal("", errors.Trim());
            foreach (int section in Enumerable.Range(1, 10)) Assert.Contains("== " + section + ".", output);
            foreach (string name in SomeDemoInstances) Assert.Contains(name, output);
            // docs/emulator.md: 15 instances exposed by the rules; their first groups are 11 distinct groups.
            Assert.Contains("15 of 20 instances are exposed on port 53.", output);
            Assert.Equal(11, Regex.Matches(output, @"What if: Add \d rule\(s\) at PolicyIndex 0 of security group sg-").Count);
            Assert.Contains("11 groups changed; 11 change records in ", output);
            Assert.Contains("Still exposed: False", output);
            Assert.Contains("11 groups restored; exposed again: 15", output);
            // Block and Unblock wrote once per changed group, and the -WhatIf section not at all.
            Assert.Matches(new Regex(@"CreateSecurityGroupPolicies\s+11\b"), output);
            Assert.Matches(new Regex(@"DeleteSecurityGroupPolicies\s+11\b"), output);

            Match started = Regex.Match(output, @"\(process (\d+)\)");
            Assert.True(started.Success, "the demo does not say which process the emulator is:\n" + output);
            int pid = int.Parse(started.Groups[1].Value);
            Assert.Contains("Stopped the emulator (process " + pid + ")", output);
            Assert.True(EmulatorProcesses.WaitUntilGone(pid, TimeSpan.Zero), "the demo left emulator process " + pid);
        }
    }
}
