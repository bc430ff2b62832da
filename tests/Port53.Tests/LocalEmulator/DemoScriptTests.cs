using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Port53.LocalEmulator;
using Port53.Tests.Cmdlets;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.LocalEmulator
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

        [Fact]
        public void TheDemoRunsListsTheFleetAndLeavesNoProcess()
        {
            string home = Path.Combine(Path.GetTempPath(), "port53-demo-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(home);
            (int exitCode, string output, string errors) = ShellTests.RunShellIn(PowerShellSession.RepoRoot, home, TimeSpan.FromMinutes(2), "-File", "examples/demo.ps1");
            Directory.Delete(home, true);

            Assert.True(exitCode == 0, "exit code " + exitCode + "\n" + errors + "\n" + output);
            // The only thing on stderr: section 7's warning that under -Placement Top three private-source DNS rules of
            // sg-private1 would stop too (the least change of section 6 leaves sg-private1 alone).
            string[] stderr = errors.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
            Assert.StartsWith("WARNING: Blocking port 53 in sg-private1 also stops 3 rule(s) ", Assert.Single(stderr));
            foreach (int section in Enumerable.Range(1, 14)) Assert.Contains("== " + section + ".", output);
            foreach (string name in SomeDemoInstances) Assert.Contains(name, output);
            // docs/emulator.md: 16 instances exposed by the rules. Their deciding rules are in 11 distinct groups (least
            // change, section 6); their first groups are 12 (-Placement Top, section 7: sg-private1 as well).
            Assert.Contains("16 of 21 instances are exposed on port 53.", output);
            string leastChange = Section(output, 6), top = Section(output, 7);
            Assert.Equal(11, Regex.Matches(leastChange, @"What if: Add \d rule\(s\) to security group sg-").Count);
            Assert.DoesNotContain(" sg-private1 ", leastChange);
            Assert.Contains("taking out the equal rule UDP 53 0.0.0.0/0 DROP at PolicyIndex 1 (\"manual DNS block (ticket 4711)\")", leastChange);
            Assert.Equal(12, Regex.Matches(top, @"What if: Add \d rule\(s\) to security group sg-").Count);
            Assert.Contains("11 groups changed; 11 change records in ", output);
            Assert.Contains("manual DNS block (ticket 4711)", Section(output, 9));
            Assert.Contains("Still exposed: False", output);
            Assert.Contains("11 groups restored; exposed again: 16", output);
            // Block and Unblock wrote once per changed group (sg-dropblw1 with one whole-list write each way), and the
            // -WhatIf sections not at all; section 13 wrote the first account's 11 groups again and the member's one.
            Assert.Matches(new Regex(@"CreateSecurityGroupPolicies\s+21\b"), output);
            Assert.Matches(new Regex(@"ModifySecurityGroupPolicies\s+3\b"), output);
            Assert.Matches(new Regex(@"DeleteSecurityGroupPolicies\s+10\b"), output);
            // Section 12: the two open Lighthouse servers closed with one firewall write each, nothing left open.
            string lighthouse = Section(output, 12);
            Assert.Contains("open: lhins-gzdns001#2", lighthouse);
            Assert.Equal(2, Regex.Matches(lighthouse, @"lhins-\w+\s+Changed\s+\d+\s+\d+").Count);
            Assert.Contains("Lighthouse servers still exposed: False", lighthouse);
            Assert.Matches(new Regex(@"ModifyFirewallRules\s+2\b"), output);
            // Section 13: the member account (docs/emulator.md, the member account: ins-mbdns001 open through
            // sg-mbdns001#0) connected through its role, audited and blocked in one pipeline with the first account, each
            // result and change record naming its account, the member's record its role.
            string accounts = Section(output, 13);
            Assert.Matches(new Regex(@"port53-demo-member\s+True\s+" + DemoExposure.MemberUin + @"\s+qcs::cam::uin/" + DemoExposure.MemberUin + ":roleName/" + DemoExposure.MemberRole), accounts);
            Assert.Matches(new Regex(@"port53-demo-member\s+" + DemoExposure.MemberUin + @"\s+ap-guangzhou\s+ins-mbdns001\s+open: sg-mbdns001#0"), accounts);
            Assert.Matches(new Regex(@"emulator\s+" + DemoExposure.DemoUin + @"\s+ap-guangzhou\s+ins-gzweb001\s+open: sg-allopen1#0"), accounts);
            Assert.Contains("emulator: 16 of 21 instances exposed", accounts);
            Assert.Contains("port53-demo-member: 1 of 2 instances exposed", accounts);
            Assert.Matches(new Regex(@"port53-demo-member\s+" + DemoExposure.MemberUin + @"\s+sg-mbdns001\s+Changed\s+AKID\S+\s+qcs::cam::uin/" + DemoExposure.MemberUin + ":roleName/" + DemoExposure.MemberRole), accounts);
            Assert.Equal(11, Regex.Matches(accounts, @"emulator\s+" + DemoExposure.DemoUin + @"\s+sg-\w+\s+Changed\s+AKID\S+\s*$", RegexOptions.Multiline).Count);
            Assert.Contains("Still exposed in any account: False", accounts);
            Assert.Matches(new Regex(@"Account " + DemoExposure.MemberUin + @": \d+ calls"), Section(output, 14));

            Match started = Regex.Match(output, @"\(process (\d+)\)");
            Assert.True(started.Success, "the demo does not say which process the emulator is:\n" + output);
            int pid = int.Parse(started.Groups[1].Value);
            Assert.Contains("Stopped the emulator (process " + pid + ")", output);
            Assert.True(EmulatorProcesses.WaitUntilGone(pid, TimeSpan.Zero), "the demo left emulator process " + pid);
        }

        /// <summary>What one numbered section of the demo printed, up to the next one.</summary>
        private static string Section(string output, int number)
        {
            int start = output.IndexOf("== " + number + ".", StringComparison.Ordinal);
            int end = output.IndexOf("== " + (number + 1) + ".", start, StringComparison.Ordinal);
            return output.Substring(start, (end < 0 ? output.Length : end) - start);
        }
    }
}
