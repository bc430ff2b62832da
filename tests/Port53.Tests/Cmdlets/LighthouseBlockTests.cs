using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Newtonsoft.Json.Linq;
using Port53.Model;
using Port53.Tests.Emulator;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Cmdlets
{
    /// <summary>
    /// Block-TcPort53 and Unblock-TcPort53 on Lighthouse servers of the demo fleet, in the hosted engine over HTTP: the
    /// least change written whole at the FirewallVersion read, -WhatIf, idempotence, the seed's DROP below an ACCEPT,
    /// a concurrent edit, the journal, and a pipeline of CVM and Lighthouse instances.
    /// </summary>
    public class LighthouseBlockTests : IClassFixture<EmulatorSession>
    {
        private static readonly string[] FirewallWrites = { "CreateFirewallRules", "DeleteFirewallRules", "ModifyFirewallRules" };

        private readonly EmulatorSession _ps;

        public LighthouseBlockTests(EmulatorSession ps)
        {
            _ps = ps;
            _ps.Restore();
        }

        private TcTestClient Lighthouse => new TcTestClient(_ps.Server) { ScopeService = "lighthouse", Version = "2020-03-24" };

        /// <summary>The firewall as the emulator holds it: its version and each rule with every field.</summary>
        private (long Version, string[] Rules) Firewall(string region, string instanceId)
        {
            var response = Lighthouse.CallAsync("DescribeFirewallRules", region, new { InstanceId = instanceId, Limit = 100 }).GetAwaiter().GetResult().AssertOk();
            string[] rules = response["FirewallRuleSet"].AsArray().Select(r => string.Join(" ", (string)r["Protocol"], (string)r["Port"],
                (string)r["CidrBlock"], (string)r["Ipv6CidrBlock"], (string)r["Action"], (string)r["FirewallRuleDescription"])).ToArray();
            return ((long)response["FirewallVersion"], rules);
        }

        private int Writes => _ps.Server.Requests.Count(q => FirewallWrites.Contains(q.Action));

        private static TcPort53Change[] Changes(PsResult r) => r.Output.Select(o => Assert.IsType<TcPort53Change>(o.BaseObject)).ToArray();

        [Fact]
        public void An_open_adguard_server_is_found_closed_with_one_write_and_unblock_gives_its_firewall_back()
        {
            var before = Firewall("ap-guangzhou", "lhins-gzdns001");
            int logged = _ps.Server.Requests.Count;
            PsResult blocked = _ps.RunConnected("Get-TcLighthouseInstance -Region * | Test-TcPort53 | Where-Object Exposed | Block-TcPort53 -Force -PassThru");
            blocked.AssertNoErrors();
            TcPort53Change change = Changes(blocked).Single(c => c.Firewall == "lhins-gzdns001");
            Assert.Null(change.SecurityGroupId);
            Assert.Equal((TcPort53ChangeStatus.Changed, "4", "5", 1), (change.Status, change.VersionBefore, change.VersionAfter, change.Attempts));
            // All three DROPs directly above the first deciding ACCEPT (#2): the rules between let none of their traffic through.
            Assert.Equal(new[] { "UDP 53 0.0.0.0/0 DROP", "TCP 53 0.0.0.0/0 DROP", "UDP 53 ::/0 DROP" }, change.RulesAdded.Select(r => r.Text));
            Assert.Equal(new long[] { 2, 3, 4 }, change.RulesAdded.Select(r => r.PolicyIndex));
            Assert.Equal(new[] { "lhins-gzdns001" }, change.AffectedInstanceIds);
            Assert.Equal(1, _ps.Server.Requests.Count(q => q.Action == "ModifyFirewallRules" && q.Region == "ap-guangzhou"));
            // Block planned from the audit's read: no read of its own.
            Assert.Equal(1, _ps.Server.Requests.Skip(logged).Count(q => q.Action == "DescribeFirewallRules" && q.Region == "ap-guangzhou"));

            var after = Firewall("ap-guangzhou", "lhins-gzdns001");
            Assert.Equal(5, after.Version);
            Assert.Equal(before.Rules.Take(2), after.Rules.Take(2));
            Assert.Equal(before.Rules.Skip(2), after.Rules.Skip(5));
            Assert.All(after.Rules.Skip(2).Take(3), r => Assert.Matches(@"DROP Port53: block public DNS \(added \d{4}-\d{2}-\d{2}\)$", r));

            PsResult retest = _ps.RunConnected("Get-TcLighthouseInstance lhins-gzdns001 | Test-TcPort53");
            retest.AssertNoErrors();
            Assert.False(Assert.IsType<TcPort53Exposure>(retest.Output.Single().BaseObject).Exposed);

            PsResult unblocked = _ps.RunConnected("Get-TcLighthouseInstance lhins-gzdns001 | Unblock-TcPort53 -Force -PassThru");
            unblocked.AssertNoErrors();
            TcPort53Change undo = Changes(unblocked).Single();
            Assert.Equal((TcPort53ChangeAction.Unblock, 3, "5", "6"), (undo.Action, undo.RulesRemoved.Length, undo.VersionBefore, undo.VersionAfter));
            Assert.Equal(before.Rules, Firewall("ap-guangzhou", "lhins-gzdns001").Rules);
        }

        [Fact]
        public void WhatIf_writes_nothing_and_says_what_it_would_write()
        {
            var before = Firewall("ap-guangzhou", "lhins-gzdns001");
            PsResult r = _ps.RunConnected("Get-TcLighthouseInstance -Region * | Block-TcPort53 -WhatIf");
            r.AssertNoErrors();
            Assert.Equal(0, Writes);
            var after = Firewall("ap-guangzhou", "lhins-gzdns001");
            Assert.Equal(before.Version, after.Version);
            Assert.Equal(before.Rules, after.Rules);
            Assert.Contains("lhins-gzdns001", r.HostText);
            Assert.Contains("FirewallVersion 4", r.HostText);
            Assert.Contains("lhins-shlate01", r.HostText);
            Assert.DoesNotContain("lhins-bjblock1", r.HostText);
        }

        [Fact]
        public void Confirm_asks_per_firewall_naming_it_and_a_no_writes_nothing_there()
        {
            var shanghai = Firewall("ap-shanghai", "lhins-shlate01");
            // Prompts come in region order: ap-guangzhou (yes), then ap-shanghai (no).
            PsResult r = _ps.Run(EmulatorSession.Connect + "Get-TcLighthouseInstance -Region * | Block-TcPort53 -Confirm -PassThru", new Dictionary<string, object>
            {
                ["id"] = _ps.Server.SecretId, ["key"] = FleetSession.Secure(_ps.Server.SecretKey), ["ep"] = _ps.Server.BaseUrl.ToString(),
            }, new[] { 0, 2 });
            r.AssertNoErrors();
            List<string> prompts = _ps.Host.Recorder.Prompts;
            Assert.Equal(2, prompts.Count);
            Assert.Contains("lhins-gzdns001", prompts[0]);
            Assert.Contains("lhins-shlate01", prompts[1]);
            Assert.Equal(new[] { "lhins-gzdns001" }, Changes(r).Where(c => c.Status == TcPort53ChangeStatus.Changed).Select(c => c.Firewall));
            Assert.Equal(1, Writes);
            Assert.Equal(shanghai.Rules, Firewall("ap-shanghai", "lhins-shlate01").Rules);

            PsResult whatIf = _ps.RunConnected("Get-TcLighthouseInstance lhins-gzdns001 | Unblock-TcPort53 -WhatIf");
            whatIf.AssertNoErrors();
            Assert.Contains("removing 3 Port53 rule(s)", whatIf.HostText);
            Assert.Equal(1, Writes);
        }

        [Fact]
        public void Block_twice_writes_once_and_a_closed_server_is_not_written()
        {
            _ps.RunConnected("Get-TcLighthouseInstance lhins-gzdns001 | Block-TcPort53 -Force").AssertNoErrors();
            Assert.Equal(1, Writes);
            PsResult again = _ps.RunConnected("Get-TcLighthouseInstance -Region * | Block-TcPort53 -Force -PassThru");
            again.AssertNoErrors();
            Assert.Equal(TcPort53ChangeStatus.NoChange, Changes(again).Single(c => c.Firewall == "lhins-gzdns001").Status);
            Assert.Equal(TcPort53ChangeStatus.NoChange, Changes(again).Single(c => c.Firewall == "lhins-bjblock1").Status);
            Assert.Equal(TcPort53ChangeStatus.NoChange, Changes(again).Single(c => c.Firewall == "lhins-hkweb001").Status);
            // Only the server with the seed's DROPs below its ACCEPT was still open.
            Assert.Equal(2, Writes);
            Assert.Equal(1, _ps.Server.Requests.Count(q => q.Action == "ModifyFirewallRules" && q.Region == "ap-shanghai"));
        }

        [Fact]
        public void The_seeds_drops_below_an_accept_move_up_in_the_same_write_and_unblock_puts_them_back()
        {
            var before = Firewall("ap-shanghai", "lhins-shlate01");
            PsResult r = _ps.RunConnected("Get-TcLighthouseInstance lhins-shlate01 -Region ap-shanghai | Block-TcPort53 -Force -PassThru");
            r.AssertNoErrors();
            TcPort53Change change = Changes(r).Single();
            Assert.Equal(new[] { "port53-block", "port53-block" }, change.RulesRemoved.Select(x => x.PolicyDescription));
            Assert.Equal(new long[] { 1, 2 }, change.RulesRemoved.Select(x => x.PolicyIndex));
            var after = Firewall("ap-shanghai", "lhins-shlate01");
            // The dated description would not fit Lighthouse's 64 characters with the user's; the undated form does.
            Assert.Equal(new[]
            {
                "UDP 53 0.0.0.0/0  DROP Port53: block public DNS (replaces +1: port53-block)",
                "TCP 53 0.0.0.0/0  DROP Port53: block public DNS (replaces +2: port53-block)",
                before.Rules[0],
            }, after.Rules);
            Assert.True(_ps.RunConnected("Get-TcLighthouseInstance lhins-shlate01 -Region ap-shanghai | Test-TcPort53 -Quiet").Output.Single().BaseObject is false);

            _ps.RunConnected("Get-TcLighthouseInstance lhins-shlate01 -Region ap-shanghai | Unblock-TcPort53 -Force").AssertNoErrors();
            Assert.Equal(before.Rules, Firewall("ap-shanghai", "lhins-shlate01").Rules);
        }

        [Fact]
        public void A_firewall_changed_between_the_audit_and_Block_is_read_again_and_the_colleagues_rule_kept()
        {
            Action edit = () => Lighthouse.CallAsync("CreateFirewallRules", "ap-guangzhou", new
            {
                InstanceId = "lhins-gzdns001",
                FirewallRules = new[] { new { Protocol = "TCP", Port = "8443", CidrBlock = "10.0.0.0/8", Action = "ACCEPT", FirewallRuleDescription = "colleague" } },
            }).GetAwaiter().GetResult().AssertOk();
            PsResult r = _ps.Run(EmulatorSession.Connect + "Get-TcLighthouseInstance lhins-gzdns001 | Test-TcPort53 | ForEach-Object -Process { $_ } -End { $edit.Invoke() } | " +
                                 "Block-TcPort53 -Force -PassThru", new Dictionary<string, object>
            {
                ["id"] = _ps.Server.SecretId, ["key"] = FleetSession.Secure(_ps.Server.SecretKey), ["ep"] = _ps.Server.BaseUrl.ToString(), ["edit"] = edit,
            });
            r.AssertNoErrors();
            // Block read at version 4 (before the colleague), was refused at it, read again at 5 and wrote at 5.
            Assert.Equal(new[] { "UnsupportedOperation.FirewallVersionMismatch", null },
                _ps.Server.Requests.Where(q => q.Action == "ModifyFirewallRules").Select(q => q.ErrorCode));
            TcPort53Change change = Changes(r).Single();
            Assert.Equal((2, "5", "6"), (change.Attempts, change.VersionBefore, change.VersionAfter));
            var after = Firewall("ap-guangzhou", "lhins-gzdns001");
            Assert.Contains(after.Rules, x => x.EndsWith("ACCEPT colleague"));
            Assert.False(Assert.IsType<TcPort53Exposure>(_ps.RunConnected("Get-TcLighthouseInstance lhins-gzdns001 | Test-TcPort53").Output.Single().BaseObject).Exposed);
        }

        [Fact]
        public void A_firewall_with_no_room_for_the_drops_is_a_quota_error_and_nothing_is_written()
        {
            // 98 rules of the user's and an ALL ACCEPT at the end: the two IPv4 DROPs would make 101.
            var rules = Enumerable.Range(1, 98).Select(i => new { Protocol = "TCP", Port = (10000 + i).ToString(), CidrBlock = "0.0.0.0/0", Action = "ACCEPT", FirewallRuleDescription = "app " + i })
                .Append(new { Protocol = "ALL", Port = "ALL", CidrBlock = "0.0.0.0/0", Action = "ACCEPT", FirewallRuleDescription = "everything" }).ToArray();
            Lighthouse.CallAsync("ModifyFirewallRules", "ap-hongkong", new { InstanceId = "lhins-hkweb001", FirewallRules = rules }).GetAwaiter().GetResult().AssertOk();
            var before = Firewall("ap-hongkong", "lhins-hkweb001");
            int logged = _ps.Server.Requests.Count;
            PsResult r = _ps.RunConnected("Get-TcLighthouseInstance lhins-hkweb001 -Region ap-hongkong | Block-TcPort53 -Force -PassThru");
            Assert.Empty(r.Output);
            var error = Assert.Single(r.Errors);
            Assert.Equal("Port53.FirewallRuleQuota,Port53.Cmdlets.BlockTcPort53Command", error.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.QuotaExceeded, error.CategoryInfo.Category);
            Assert.Contains("lhins-hkweb001", error.Exception.Message);
            Assert.Contains("100", error.Exception.Message);
            Assert.Equal(0, _ps.Server.Requests.Skip(logged).Count(q => FirewallWrites.Contains(q.Action)));
            Assert.Equal(before.Rules, Firewall("ap-hongkong", "lhins-hkweb001").Rules);
        }

        [Fact]
        public void The_journal_holds_an_intent_before_and_an_outcome_after_each_firewall_write()
        {
            string journal = Path.Combine(Path.GetTempPath(), "port53-lh-" + Guid.NewGuid().ToString("N") + ".jsonl");
            try
            {
                _ps.RunConnected("Get-TcLighthouseInstance lhins-gzdns001 | Block-TcPort53 -Force -JournalPath '" + journal + "'").AssertNoErrors();
                JObject[] lines = File.ReadAllLines(journal).Select(JObject.Parse).ToArray();
                Assert.Equal(new[] { "Intent", "Outcome" }, lines.Select(l => (string)l["Record"]));
                Assert.All(lines, l => Assert.Equal("lhins-gzdns001", (string)l["Firewall"]));
                Assert.Equal((string)lines[0]["Id"], (string)lines[1]["Id"]);
                Assert.Equal("4", (string)lines[0]["Version"]);
                Assert.Equal(3, ((JArray)lines[0]["RulesToAdd"]).Count);
                Assert.Equal(("Changed", "5"), ((string)lines[1]["Status"], (string)lines[1]["VersionAfter"]));
            }
            finally
            {
                File.Delete(journal);
            }
        }

        [Fact]
        public void A_garbled_reply_to_a_firewall_write_that_landed_is_recorded_as_the_change_it_was()
        {
            _ps.Server.UpdateFaults(f =>
            {
                f.GarbledReplyRate = 1;
                f.FaultActions = new List<string> { "ModifyFirewallRules" };
            });
            PsResult r = _ps.RunConnected("Get-TcLighthouseInstance lhins-gzdns001 | Block-TcPort53 -Force -PassThru");
            r.AssertNoErrors();
            TcPort53Change change = Changes(r).Single();
            // The re-read found the firewall exactly as sent, one version on: the write is not sent again.
            Assert.Equal((TcPort53ChangeStatus.Changed, 1, "4", "5", 3), (change.Status, change.Attempts, change.VersionBefore, change.VersionAfter, change.RulesAdded.Length));
            Assert.Null(change.RequestId);
            Assert.Equal(1, _ps.Server.Requests.Count(q => q.Action == "ModifyFirewallRules"));
            Assert.Contains(_ps.Server.Requests, q => q.Fault != null && q.Fault.StartsWith("garbled"));
        }

        [Fact]
        public void One_pipeline_closes_a_cvm_instance_and_a_lighthouse_server()
        {
            PsResult r = _ps.RunConnected("@(Get-TcInstance -InstanceId ins-gzweb001; Get-TcLighthouseInstance -InstanceId lhins-gzdns001) | Test-TcPort53 | " +
                                          "Where-Object Exposed | Block-TcPort53 -Force -PassThru");
            r.AssertNoErrors();
            TcPort53Change[] changes = Changes(r);
            Assert.Contains(changes, c => c.Firewall == "lhins-gzdns001" && c.Status == TcPort53ChangeStatus.Changed);
            Assert.Contains(changes, c => c.SecurityGroupId != null && c.AffectedInstanceIds.Contains("ins-gzweb001") && c.Status == TcPort53ChangeStatus.Changed);
            PsResult retest = _ps.RunConnected("@(Get-TcInstance -InstanceId ins-gzweb001; Get-TcLighthouseInstance -InstanceId lhins-gzdns001) | Test-TcPort53 -Quiet");
            Assert.Equal(false, retest.Output.Single().BaseObject);
        }
    }
}
