using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Newtonsoft.Json.Linq;
using Port53.Analysis;
using Port53.Api.Models;
using Port53.Model;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Cmdlets
{
    /// <summary>Block-TcPort53 in a hosted engine against the in-process emulator's demo fleet.</summary>
    public class BlockTcPort53Tests : IClassFixture<RemediationSession>
    {
        private readonly RemediationSession _s;

        public BlockTcPort53Tests(RemediationSession session)
        {
            _s = session;
            _s.Restore();
        }

        private static string Today => DateTime.UtcNow.ToString("yyyy-MM-dd");

        private static string Text(ExposureKey k) =>
            (k.Protocol == DnsProtocol.Udp ? "UDP" : "TCP") + " 53 " + (k.Family == IpFamily.IPv4 ? "0.0.0.0/0" : "::/0") + " DROP";

        [Fact]
        public void The_demo_fleet_is_blocked_end_to_end_and_re_audits_as_closed()
        {
            Dictionary<string, JObject> before = _s.RuleLists();
            var r = _s.Run("Get-TcInstance -Region * | Block-TcPort53 -Force -PassThru");
            r.AssertNoErrors();
            DemoFleet.AssertAllClosed(_s.Server);

            TcPort53Change[] changes = RemediationSession.Changes(r);
            Dictionary<string, ExposureKey[]> expected = DemoFleet.ExpectedBlocks();
            Dictionary<string, int> index = DemoFleet.ExpectedIndex();
            // One record per group holding a deciding rule (and per closed instance's first group), each once,
            // however many instances share it. sg-private1 admits no public DNS: it is never written.
            Assert.Equal(expected.Keys.OrderBy(g => g), changes.Select(c => c.SecurityGroupId).OrderBy(g => g));
            Assert.Empty(expected["sg-private1"]);
            foreach (TcPort53Change change in changes)
            {
                ExposureKey[] keys = expected[change.SecurityGroupId];
                bool replaces = change.SecurityGroupId == DemoFleet.DropBelowGroup;
                Assert.Equal(TcPort53ChangeAction.Block, change.Action);
                Assert.Equal(keys.Length == 0 ? TcPort53ChangeStatus.NoChange : TcPort53ChangeStatus.Changed, change.Status);
                Assert.Equal(keys.Select(Text), change.RulesAdded.Select(a => a.Text));
                // Only where the user's equal DROP sat below the deciding ACCEPT is a rule taken out (and named).
                Assert.Equal(replaces ? new[] { "UDP 53 0.0.0.0/0 DROP" } : new string[0], change.RulesRemoved.Select(x => x.Text));
                List<SecurityGroupPolicy> ingress = _s.Ingress(change.SecurityGroupId);
                // The new rules stand directly above the deciding rule, in order, marked with today's date; the rules
                // above them are untouched.
                for (int i = 0; i < keys.Length; i++)
                {
                    int at = index[change.SecurityGroupId] + i;
                    Assert.Equal(at, change.RulesAdded[i].PolicyIndex);
                    Assert.True(Port53Rules.TryGetKey(ingress[at], out ExposureKey k));
                    Assert.Equal(keys[i], k);
                    Assert.StartsWith("Port53: block public DNS (added " + Today, ingress[at].PolicyDescription);
                    Assert.Equal("DROP", change.RulesAdded[i].Action);
                    Assert.Equal("53", change.RulesAdded[i].Port);
                }
                for (int i = 0; i < (keys.Length == 0 ? 0 : index[change.SecurityGroupId]); i++)
                    Assert.Equal((string)before[change.SecurityGroupId]["Ingress"][i]["CidrBlock"], ingress[i].CidrBlock);
                Assert.Equal(before[change.SecurityGroupId]["Ingress"].Count() + keys.Length - change.RulesRemoved.Length, ingress.Count);
                if (change.Status == TcPort53ChangeStatus.Changed)
                {
                    Assert.Equal("1", change.VersionBefore);
                    Assert.Equal("2", change.VersionAfter);
                    Assert.False(string.IsNullOrEmpty(change.RequestId));
                    Assert.Equal(1, change.Attempts);
                    string call = replaces ? "ModifySecurityGroupPolicies" : "CreateSecurityGroupPolicies";
                    Assert.Contains(_s.Server.Requests, q => q.RequestId == change.RequestId && q.Action == call && q.ErrorCode == null);
                }
                Assert.Equal(DateTimeKind.Utc, change.Time.Kind);
                Assert.Equal(_s.Server.GetState().SecurityGroups.Single(g => g.SecurityGroupId == change.SecurityGroupId).Region, change.Region);
                Assert.StartsWith("AKID", change.ChangedBy);
                Assert.DoesNotContain(_s.Server.SecretKey, change.ChangedBy);
                Assert.NotEqual(_s.Server.SecretId, change.ChangedBy);
            }
            // Groups that were not exposed are not written at all; each written group is written once.
            Assert.Equal(expected.Count(kv => kv.Value.Length > 0), _s.WriteRequests);
        }

        [Fact]
        public void A_shared_group_is_changed_once_and_its_record_names_every_instance_bound_to_it()
        {
            var r = _s.Run("Get-TcInstance -Region ap-guangzhou | Block-TcPort53 -Force -PassThru");
            r.AssertNoErrors();
            TcPort53Change shared = RemediationSession.Changes(r).Single(c => c.SecurityGroupId == "sg-shared01");
            // docs/emulator.md: sg-shared01 is bound by ins-gzshr001…005 (002 binds it second).
            Assert.Equal(new[] { "ins-gzshr001", "ins-gzshr002", "ins-gzshr003", "ins-gzshr004", "ins-gzshr005" }, shared.AffectedInstanceIds);
            Assert.Equal(1, _s.Server.Requests.Count(q => q.Action == "CreateSecurityGroupPolicies" && q.SecurityGroupId == "sg-shared01"));
            // sg-private1 is ins-gzshr002's first group but admits no public DNS: the DROPs that close ins-gzshr002 go
            // to sg-shared01, which decides, and sg-private1 (ins-gzpriv01's internal resolvers) is left alone.
            TcPort53Change priv = RemediationSession.Changes(r).Single(c => c.SecurityGroupId == "sg-private1");
            Assert.Equal(TcPort53ChangeStatus.NoChange, priv.Status);
            Assert.Equal(0, _s.WriteRequests - _s.Server.Requests.Count(q => q.SecurityGroupId != "sg-private1" && q.Action.EndsWith("SecurityGroupPolicies") && !q.Action.StartsWith("Describe")));
        }

        [Fact]
        public void Behind_an_audit_in_the_same_pipeline_Block_reads_nothing_again_and_writes_each_group_once()
        {
            _s.Run("Get-TcInstance -Region * | Out-Null").AssertNoErrors();
            int listingPages = _s.Server.Requests.Count(q => q.Action == "DescribeInstances");
            _s.Server.ClearRequests();

            var r = _s.Run("Get-TcInstance -Region * | Test-TcPort53 | Where-Object Exposed | Block-TcPort53 -Force -PassThru");
            r.AssertNoErrors();
            DemoFleet.AssertAllClosed(_s.Server);
            string[] written = DemoFleet.ExpectedBlocks().Where(kv => kv.Value.Length > 0).Select(kv => kv.Key).OrderBy(g => g).ToArray();
            Assert.Equal(written, RemediationSession.Changes(r).Select(c => c.SecurityGroupId).OrderBy(g => g));
            Assert.All(RemediationSession.Changes(r), c => Assert.Equal(TcPort53ChangeStatus.Changed, c.Status));

            // The audit reads every bound group once. Block writes each group at the Version the audit read (the write's
            // Version check covers any change since), does not read it back (the success reply is authoritative), and
            // takes the other groups and the templates from the audit: no read of its own, one write per group.
            var requests = _s.Server.Requests;
            foreach (string group in _s.Server.GetState().Instances.SelectMany(i => i.SecurityGroupIds).Distinct())
                Assert.True(1 == requests.Count(q => q.Action == "DescribeSecurityGroupPolicies" && q.SecurityGroupId == group), group);
            foreach (string group in written)
                Assert.True(1 == requests.Count(q => q.SecurityGroupId == group && RemediationSession.IsWrite(q.Action)), group);
            Assert.Equal(written.Length, _s.WriteRequests);
            foreach (var kinds in requests.Where(q => q.Action.EndsWith("Templates") || q.Action.EndsWith("TemplateGroups")).GroupBy(q => (q.Action, q.Region)))
                Assert.True(kinds.Count() == 1, kinds.Key + " read " + kinds.Count() + " times");
            // The listing says which instances bind each group: no lookup follows it.
            Assert.Equal(listingPages, requests.Count(q => q.Action == "DescribeInstances"));
            // docs/emulator.md: sg-shared01 decides for five instances, ins-gzshr002 binding it second; only some of
            // them may reach Block, yet the change affects all. sg-private1 (ins-gzshr002's first group) is not written.
            Assert.DoesNotContain(RemediationSession.Changes(r), c => c.SecurityGroupId == "sg-private1");
            Assert.Equal(new[] { "ins-gzshr001", "ins-gzshr002", "ins-gzshr003", "ins-gzshr004", "ins-gzshr005" },
                RemediationSession.Changes(r).Single(c => c.SecurityGroupId == "sg-shared01").AffectedInstanceIds);
        }

        [Fact]
        public void Reads_of_an_earlier_pipeline_are_not_used()
        {
            _s.Run("$global:exposed = Get-TcInstance -Region * | Test-TcPort53 | Where-Object Exposed").AssertNoErrors();
            _s.Server.ClearRequests();
            var r = _s.Run("$global:exposed | Block-TcPort53 -Force -PassThru");
            r.AssertNoErrors();
            DemoFleet.AssertAllClosed(_s.Server);
            // Every group the exposed instances bind is read by Block itself, once: the group it writes is written at the
            // Version of that read. The instances bound to what it changes are looked up.
            var documented = DemoFleet.Documented().Values.Where(i => i.Open.Length > 0).ToList();
            foreach (string group in documented.SelectMany(i => i.Groups).Distinct())
                Assert.True(1 == _s.Server.Requests.Count(q => q.Action == "DescribeSecurityGroupPolicies" && q.SecurityGroupId == group), group);
            Assert.Equal(DemoFleet.ExpectedBlocks().Count(kv => kv.Value.Length > 0), _s.WriteRequests);
            Assert.Contains(_s.Server.Requests, q => q.Action == "DescribeInstances");
            Assert.Equal(new[] { "ins-gzshr001", "ins-gzshr002", "ins-gzshr003", "ins-gzshr004", "ins-gzshr005" },
                RemediationSession.Changes(r).Single(c => c.SecurityGroupId == "sg-shared01").AffectedInstanceIds);
            Assert.Null(Port53.Session.TcSessionState.For(_s.Ps.Runspace).PipelineReads.Current);
        }

        [Fact]
        public void A_group_changed_between_the_audit_and_Block_is_read_again_and_written_without_losing_the_change()
        {
            // A colleague adds a rule to sg-shared01 after the audit has read it, before Block writes: Block's write at
            // the audit's Version is refused (VersionMismatch), the group is read once more and the DROPs go in above the
            // deciding rule where it now stands, the colleague's rule kept.
            var colleague = new Port53.Tests.Emulator.TcTestClient(_s.Server);
            Action edit = () => colleague.CallAsync("CreateSecurityGroupPolicies", "ap-guangzhou", new
            {
                SecurityGroupId = "sg-shared01",
                SecurityGroupPolicySet = new { Ingress = new[] { new { PolicyIndex = 0, Protocol = "TCP", Port = "8080", CidrBlock = "10.0.0.0/8", Action = "ACCEPT", PolicyDescription = "colleague" } } },
            }).GetAwaiter().GetResult().AssertOk();
            int deciding = DemoFleet.ExpectedIndex()["sg-shared01"];
            var r = _s.Ps.Run("Get-TcInstance -Region * | Test-TcPort53 | Where-Object Exposed | ForEach-Object -Process { $_ } -End { $edit.Invoke() } | " +
                              "Block-TcPort53 -Force -PassThru", new Dictionary<string, object> { ["edit"] = edit });
            r.AssertNoErrors();
            DemoFleet.AssertAllClosed(_s.Server);

            var calls = _s.Server.Requests.Where(q => q.SecurityGroupId == "sg-shared01").ToList();
            Assert.Equal(2, calls.Count(q => q.Action == "DescribeSecurityGroupPolicies"));
            // The colleague's write, Block's at the audit's Version, Block's at the Version read again.
            Assert.Equal(new[] { null, "UnsupportedOperation.VersionMismatch", null },
                calls.Where(q => q.Action == "CreateSecurityGroupPolicies").Select(q => q.ErrorCode));
            Assert.Equal(calls.Count(q => q.Action == "CreateSecurityGroupPolicies"), calls.Count(q => RemediationSession.IsWrite(q.Action)));
            TcPort53Change change = RemediationSession.Changes(r).Single(c => c.SecurityGroupId == "sg-shared01");
            Assert.Equal((TcPort53ChangeStatus.Changed, 2, "2", "3"), (change.Status, change.Attempts, change.VersionBefore, change.VersionAfter));
            List<SecurityGroupPolicy> ingress = _s.Ingress("sg-shared01");
            Assert.Equal("colleague", ingress[0].PolicyDescription);
            for (int i = 0; i < change.RulesAdded.Length; i++)
            {
                Assert.Equal(deciding + 1 + i, change.RulesAdded[i].PolicyIndex);
                Assert.StartsWith("Port53: block public DNS", ingress[deciding + 1 + i].PolicyDescription);
            }
            Assert.Equal(_s.Server.GetPolicies("sg-shared01").Version, change.VersionAfter);
        }

        [Fact]
        public void A_filtered_listing_does_not_stand_for_the_region()
        {
            // Only one instance is listed, so which other instances bind its group must be looked up.
            var r = _s.Run("Get-TcInstance -Region ap-guangzhou -Name gz-shared-01 | Block-TcPort53 -Force -PassThru");
            r.AssertNoErrors();
            Assert.Equal(new[] { "ins-gzshr001", "ins-gzshr002", "ins-gzshr003", "ins-gzshr004", "ins-gzshr005" },
                Assert.Single(RemediationSession.Changes(r)).AffectedInstanceIds);
            Assert.Equal(2, _s.Server.Requests.Count(q => q.Action == "DescribeInstances"));
        }

        [Fact]
        public void A_record_of_a_group_named_on_its_own_names_the_instances_bound_to_it()
        {
            var r = _s.Run("Block-TcPort53 -SecurityGroupId sg-dnsudp01 -Region ap-guangzhou -Force -PassThru");
            r.AssertNoErrors();
            TcPort53Change change = Assert.Single(RemediationSession.Changes(r));
            Assert.Equal(new[] { "ins-gzdns001", "ins-gznopub1" }, change.AffectedInstanceIds);
            Assert.Equal(new[] { "UDP 53 0.0.0.0/0 DROP" }, change.RulesAdded.Select(a => a.Text));
        }

        [Fact]
        public void WhatIf_makes_no_write_and_states_the_exact_rules_and_instances()
        {
            Dictionary<string, JObject> before = _s.RuleLists();
            string journal = Path.Combine(Path.GetTempPath(), "port53-whatif-" + Guid.NewGuid().ToString("N") + ".jsonl");
            var r = _s.Run("Get-TcInstance -Region * | Block-TcPort53 -WhatIf -JournalPath '" + journal + "'\n" +
                           "Get-TcInstance -Region * | Block-TcPort53 -WhatIf -Force");
            r.AssertNoErrors();
            Assert.Empty(r.Output);
            Assert.Equal(0, _s.WriteRequests);
            // Each bound group is read once per command, though some are both written for one instance and evaluated for another.
            int bound = _s.Server.GetState().Instances.SelectMany(i => i.SecurityGroupIds).Distinct().Count();
            Assert.Equal(2 * bound, _s.Server.Requests.Count(q => q.Action == "DescribeSecurityGroupPolicies"));
            Assert.False(File.Exists(journal));
            Assert.Equal(before.ToDictionary(kv => kv.Key, kv => kv.Value.ToString()), _s.RuleLists().ToDictionary(kv => kv.Key, kv => kv.Value.ToString()));

            string[] lines = r.HostText.Split('\n').Where(l => l.StartsWith("What if:")).ToArray();
            var expected = DemoFleet.ExpectedBlocks().Where(kv => kv.Value.Length > 0).ToList();
            Dictionary<string, int> index = DemoFleet.ExpectedIndex();
            Assert.Equal(expected.Count * 2, lines.Length);
            foreach (var (group, keys) in expected)
            {
                string line = lines.First(l => l.Contains(" " + group + " "));
                Assert.Contains(string.Join("; ", keys.Select((k, i) => Text(k) + " at PolicyIndex " + (index[group] + i))), line);
            }
            // The user's DROP below the ACCEPT is named, with its description, as coming out in the same write.
            Assert.Contains("taking out the equal rule UDP 53 0.0.0.0/0 DROP at PolicyIndex 1 (\"manual DNS block (ticket 4711)\")",
                lines.First(l => l.Contains(" " + DemoFleet.DropBelowGroup + " ")));
            string shared = lines.First(l => l.Contains(" sg-shared01 "));
            Assert.Contains("ins-gzshr001, ins-gzshr002, ins-gzshr003, ins-gzshr004, ins-gzshr005", shared);
            Assert.Contains("Version 1", shared);
        }

        [Fact]
        public void Private_source_accepts_the_new_drops_would_stop_are_named_before_the_write()
        {
            // Least change: sg-shared01 decides for ins-gzshr002, so sg-private1 (its first group) is not written and
            // nothing internal stops: no warning.
            var least = _s.Run("Get-TcInstance -Region ap-guangzhou | Block-TcPort53 -WhatIf");
            least.AssertNoErrors();
            Assert.DoesNotContain(least.Warnings, w => w.Contains("rule(s) that open port 53 to private addresses"));

            // -Placement Top writes sg-private1, ins-gzshr002's first group (UDP and TCP over IPv4 are open through
            // sg-shared01). Three of sg-private1's rules open port 53 to private sources, and each stops working under a
            // DROP from 0.0.0.0/0: for ins-gzpriv01 too, which binds sg-private1 alone. The fourth, ALL ALL
            // 192.168.0.0/16, opens every port: an allow-all is not a DNS rule, and is not named.
            var r = _s.Run("Get-TcInstance -Region ap-guangzhou | Block-TcPort53 -WhatIf -Placement Top");
            r.AssertNoErrors();
            Assert.Equal(0, _s.WriteRequests);
            string[] shadowed = r.Warnings.Where(w => w.Contains("rule(s) that open port 53 to private addresses")).ToArray();
            string w = Assert.Single(shadowed);
            Assert.StartsWith("Blocking port 53 in sg-private1 also stops 3 rule(s) ", w);
            Assert.Contains("sg-private1#0 (UDP 53 10.0.0.0/8 ACCEPT) for UDP/IPv4; ", w);
            Assert.Contains("sg-private1#1 (TCP 53 172.16.0.0/12 ACCEPT) for TCP/IPv4; ", w);
            Assert.Contains("sg-private1#2 (UDP 53 ipm-office01 ACCEPT) for UDP/IPv4.", w);
            Assert.DoesNotContain("sg-private1#3", w);
            Assert.Contains("If ins-gzpriv01, ins-gzshr002 must still answer DNS", w);
            Assert.Contains("to security group sg-private1 ", r.HostText);
        }

        [Fact]
        public void A_second_block_adds_nothing()
        {
            _s.Run("Get-TcInstance -Region * | Block-TcPort53 -Force").AssertNoErrors();
            Dictionary<string, JObject> after = _s.RuleLists();
            _s.Server.ClearRequests();
            var r = _s.Run("Get-TcInstance -Region * | Block-TcPort53 -Force -PassThru");
            r.AssertNoErrors();
            Assert.Equal(0, _s.WriteRequests);
            Assert.All(RemediationSession.Changes(r), c =>
            {
                Assert.Equal(TcPort53ChangeStatus.NoChange, c.Status);
                Assert.Empty(c.RulesAdded);
                Assert.Equal(c.VersionBefore, c.VersionAfter);
                Assert.Null(c.RequestId);
            });
            Assert.Equal(after.ToDictionary(kv => kv.Key, kv => kv.Value.ToString()), _s.RuleLists().ToDictionary(kv => kv.Key, kv => kv.Value.ToString()));
        }

        [Fact]
        public void Protocol_UDP_and_AddressFamily_IPv4_add_exactly_Tencents_recommended_rule()
        {
            var r = _s.Run("Get-TcInstance -Region * | Block-TcPort53 -Protocol UDP -AddressFamily IPv4 -Force -PassThru");
            r.AssertNoErrors();
            Dictionary<string, ExposureKey[]> expected = DemoFleet.ExpectedBlocks(k => k.Equals(ExposureKey.UdpV4));
            foreach (TcPort53Change change in RemediationSession.Changes(r))
            {
                bool needed = expected[change.SecurityGroupId].Length > 0;
                Assert.Equal(needed ? new[] { "UDP 53 0.0.0.0/0 DROP" } : new string[0], change.RulesAdded.Select(a => a.Text));
            }
            List<SecurityGroupPolicy> dns = _s.Ingress("sg-dnsudp01");
            SecurityGroupPolicy rule = dns[0];
            Assert.Equal(("UDP", "53", "0.0.0.0/0", "DROP"), (rule.Protocol, rule.Port, rule.CidrBlock, rule.Action));
            // TCP-only exposure is left alone when only UDP is asked for.
            Assert.Empty(DemoFleet.Port53Keys(_s.Ingress("sg-dnstcp01")));
            Assert.True(DemoFleet.Audit(_s.Server)["ins-shtcp001"].TcpV4.Open);
            Assert.All(DemoFleet.Audit(_s.Server).Values, a => Assert.False(a.UdpV4.Open));
        }

        [Fact]
        public void Concurrent_edits_are_never_lost_or_duplicated()
        {
            _s.Server.UpdateFaults(f => { f.ConcurrentEditorRate = 0.3; f.Seed = 7; });
            var r = _s.Run("Get-TcInstance -Region * | Block-TcPort53 -Force -PassThru -ThrottleLimit 1");
            r.AssertNoErrors();
            AssertExactlyOneRuleSetAndEditsKept(RemediationSession.Changes(r));
            Assert.Contains(RemediationSession.Changes(r), c => c.Attempts > 1);
        }

        [Fact]
        public void Concurrent_edits_are_kept_when_groups_are_written_concurrently()
        {
            // The editor marks groups as they are read, and concurrent reads come in any order, so which groups it marks
            // varies: at a quarter of the reads a run in which no written group was edited happened in CI; at half it is
            // far rarer.
            _s.Server.UpdateFaults(f => { f.ConcurrentEditorRate = 0.5; f.Seed = 3; });
            var r = _s.Run("Get-TcInstance -Region * | Block-TcPort53 -Force -PassThru");
            r.AssertNoErrors();
            Assert.NotEmpty(_s.Server.ConcurrentEdits);
            AssertExactlyOneRuleSetAndEditsKept(RemediationSession.Changes(r));
        }

        [Fact]
        public void Throttling_and_server_faults_still_give_exactly_one_rule_set_per_group()
        {
            // On the write, where a lost reply leaves the outcome unknown: the client retries only throttling there.
            _s.Server.UpdateFaults(f =>
            {
                f.RequestLimitExceededRate = 0.3;
                f.InternalErrorRate = 0.2;
                f.BadGatewayRate = 0.2;
                f.ConnectionResetRate = 0.1;
                f.FaultActions = new List<string> { "CreateSecurityGroupPolicies" };
                f.Seed = 11;
            });
            var r = _s.Run("Get-TcInstance -Region * | Block-TcPort53 -Force -PassThru -ThrottleLimit 1");
            r.AssertNoErrors();
            var creates = _s.Server.Requests.Where(q => q.Action == "CreateSecurityGroupPolicies").ToList();
            Assert.Contains(creates, q => q.Fault == "http-502");
            Assert.Contains(creates, q => q.Fault == "connection-reset");
            Assert.Contains(creates, q => q.ErrorCode == "InternalError");
            Assert.Contains(creates, q => q.ErrorCode == "RequestLimitExceeded");
            AssertExactlyOneRuleSetAndEditsKept(RemediationSession.Changes(r));
        }

        private void AssertExactlyOneRuleSetAndEditsKept(TcPort53Change[] changes)
        {
            DemoFleet.AssertAllClosed(_s.Server);
            foreach (var (group, keys) in DemoFleet.ExpectedBlocks())
            {
                Assert.Equal(keys, DemoFleet.Port53Keys(_s.Ingress(group)).OrderBy(k => k.Index));
                Assert.Single(changes, c => c.SecurityGroupId == group);
            }
            foreach (var edit in _s.Server.ConcurrentEdits)
            {
                Assert.Contains(_s.Ingress(edit.SecurityGroupId), p =>
                    p.Protocol == edit.Protocol && p.Port == edit.Port && p.CidrBlock == edit.CidrBlock && p.PolicyDescription == edit.PolicyDescription);
            }
        }

        [Fact]
        public void Confirm_asks_once_per_group_and_writes_only_where_the_answer_is_yes()
        {
            // Prompts come in region, then group order: sg-allopen1 before sg-dnsudp01. 0 = Yes, 2 = No.
            var r = _s.Run("Get-TcInstance -InstanceId ins-gzweb001, ins-gzdns001, ins-gznopub1 | Block-TcPort53 -Confirm -PassThru", new[] { 0, 2 });
            r.AssertNoErrors();
            Assert.Equal(2, _s.Ps.Host.Recorder.Prompts.Count);
            Assert.Contains("sg-allopen1", _s.Ps.Host.Recorder.Prompts[0]);
            Assert.Contains("UDP 53 0.0.0.0/0 DROP at PolicyIndex 0; TCP 53 0.0.0.0/0 DROP at PolicyIndex 1", _s.Ps.Host.Recorder.Prompts[0]);
            Assert.Contains("sg-dnsudp01", _s.Ps.Host.Recorder.Prompts[1]);
            Assert.Contains("ins-gzdns001, ins-gznopub1", _s.Ps.Host.Recorder.Prompts[1]);
            Assert.Equal("sg-allopen1", Assert.Single(RemediationSession.Changes(r)).SecurityGroupId);
            Assert.Equal(2, DemoFleet.Port53Keys(_s.Ingress("sg-allopen1")).Count);
            Assert.Empty(DemoFleet.Port53Keys(_s.Ingress("sg-dnsudp01")));
            Assert.Equal(1, _s.WriteRequests);
        }

        [Fact]
        public void Without_Confirm_Block_does_not_prompt_and_Force_never_waits_on_a_prompt()
        {
            // ConfirmImpact Medium is below the default $ConfirmPreference (High); with it lowered, -Force still asks nothing.
            var r = _s.Run("Block-TcPort53 -SecurityGroupId sg-allopen1 -Region ap-guangzhou\n" +
                           "$ConfirmPreference = 'Low'; Block-TcPort53 -SecurityGroupId sg-dnstcp01 -Region ap-shanghai -Force; $ConfirmPreference = 'High'");
            r.AssertNoErrors();
            Assert.Empty(_s.Ps.Host.Recorder.Prompts);
            Assert.Equal(2, _s.WriteRequests);
            Assert.Empty(r.Output);
        }

        [Fact]
        public void An_explicit_Confirm_still_prompts_with_Force_and_WhatIf_with_Force_writes_nothing()
        {
            // 2 = No: the prompt was shown and refused, so nothing is written.
            var r = _s.Run("Block-TcPort53 -SecurityGroupId sg-dnstcp01 -Region ap-shanghai -Confirm -Force", new[] { 2 });
            r.AssertNoErrors();
            Assert.Contains("sg-dnstcp01", Assert.Single(_s.Ps.Host.Recorder.Prompts));
            Assert.Equal(0, _s.WriteRequests);

            var w = _s.Run("Block-TcPort53 -SecurityGroupId sg-dnstcp01 -Region ap-shanghai -WhatIf -Force -PassThru");
            w.AssertNoErrors();
            Assert.Empty(w.Output);
            Assert.Contains("What if:", w.HostText);
            Assert.Equal(0, _s.WriteRequests);
            Assert.Empty(_s.Ps.Host.Recorder.Prompts);
        }

        [Fact]
        public void Exposure_objects_and_ids_bind_by_property_name()
        {
            var r = _s.Run(
                "[pscustomobject]@{ Region = 'ap-shanghai'; InstanceId = 'ins-shtcp001'; SecurityGroupId = $null; SecurityGroupIds = @('sg-dnstcp01'); Exposed = $true }, " +
                "[pscustomobject]@{ Region = 'ap-beijing'; InstanceId = $null; SecurityGroupId = 'sg-ipv6only'; SecurityGroupIds = @('sg-ipv6only') } | Block-TcPort53 -Force -PassThru\n" +
                "Block-TcPort53 -InstanceId ins-hkdns001 -Region ap-hongkong -Force -PassThru");
            r.AssertNoErrors();
            TcPort53Change[] changes = RemediationSession.Changes(r);
            Assert.Equal(new[] { "sg-dnstcp01", "sg-hkdns001", "sg-ipv6only" }, changes.Select(c => c.SecurityGroupId).OrderBy(g => g));
            Assert.Equal(new[] { "TCP 53 0.0.0.0/0 DROP" }, changes.Single(c => c.SecurityGroupId == "sg-dnstcp01").RulesAdded.Select(a => a.Text));
            Assert.Equal(new[] { "UDP 53 ::/0 DROP", "TCP 53 ::/0 DROP" }, changes.Single(c => c.SecurityGroupId == "sg-ipv6only").RulesAdded.Select(a => a.Text));
            Assert.Equal(new[] { "UDP 53 0.0.0.0/0 DROP", "UDP 53 ::/0 DROP" }, changes.Single(c => c.SecurityGroupId == "sg-hkdns001").RulesAdded.Select(a => a.Text));
        }

        [Fact]
        public void A_named_group_that_would_not_close_the_instance_is_reported_and_not_written()
        {
            // sg-allopen1 (ALL ALL 0.0.0.0/0 ACCEPT) is evaluated before sg-dnsudp01.
            Assert.True(_s.Server.BindSecurityGroups("ins-gzdns001", "sg-allopen1", "sg-dnsudp01"));
            var r = _s.Run("Get-TcInstance -InstanceId ins-gzdns001 -Region ap-guangzhou | Block-TcPort53 -SecurityGroupId sg-dnsudp01 -Force -PassThru");
            Assert.Null(r.Terminating);
            Assert.Equal(2, r.Errors.Count);
            Assert.All(r.Errors, e =>
            {
                Assert.Equal("Port53.BlockWouldNotClose,Port53.Cmdlets.BlockTcPort53Command", e.FullyQualifiedErrorId);
                Assert.Equal("ins-gzdns001", e.TargetObject);
                Assert.Contains("sg-allopen1#0", e.Exception.Message);
                Assert.Contains("ALL ALL 0.0.0.0/0 ACCEPT", e.Exception.Message);
            });
            Assert.Equal(0, _s.WriteRequests);
            Assert.Equal(TcPort53ChangeStatus.NoChange, Assert.Single(RemediationSession.Changes(r)).Status);
        }

        [Fact]
        public void Bad_targets_are_one_error_each_and_the_others_go_on()
        {
            Assert.True(_s.Server.BindSecurityGroups("ins-gzpriv01"));
            var r = _s.Run("Block-TcPort53 -InstanceId ins-0000dead, ins-gzweb001 -Force -PassThru\n" +
                           "Block-TcPort53 -InstanceId ins-gzweb001 -SecurityGroupId sg-dnsudp01 -Force\n" +
                           "Block-TcPort53 -Force\n" +
                           "Block-TcPort53 -SecurityGroupId sg-allopen1 -Region 'ap-*' -Force\n" +
                           "Block-TcPort53 -InstanceId ins-gzpriv01 -Force");
            Assert.Null(r.Terminating);
            Assert.Equal(new[] { "Port53.InstanceNotFound", "Port53.GroupNotBound", "Port53.NoTarget", "Port53.RegionWildcard", "Port53.NoSecurityGroup" },
                r.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]));
            Assert.Equal("ap-*", r.Errors[3].TargetObject);
            Assert.Equal("ins-gzpriv01", r.Errors[4].TargetObject);
            Assert.Equal("ins-0000dead", r.Errors[0].TargetObject);
            Assert.Equal(ErrorCategory.ObjectNotFound, r.Errors[0].CategoryInfo.Category);
            Assert.Equal("sg-dnsudp01", r.Errors[1].TargetObject);
            Assert.Contains("sg-allopen1", r.Errors[1].Exception.Message);
            Assert.Equal("sg-allopen1", Assert.Single(RemediationSession.Changes(r)).SecurityGroupId);
        }

        [Fact]
        public void A_permission_error_fails_that_group_only_and_leaves_it_untouched()
        {
            _s.Server.UpdateFaults(f => f.UnauthorizedSecurityGroupIds = new List<string> { "sg-shared01" });
            Dictionary<string, JObject> before = _s.RuleLists();
            var r = _s.Run("Get-TcInstance -Region ap-guangzhou | Block-TcPort53 -Force -PassThru");
            Assert.Null(r.Terminating);
            ErrorRecord error = Assert.Single(r.Errors);
            Assert.Equal("TencentCloud.AuthFailure.UnauthorizedOperation,Port53.Cmdlets.BlockTcPort53Command", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
            Assert.Equal("sg-shared01", error.TargetObject);
            Assert.Contains("sg-shared01", error.ErrorDetails.Message);
            Assert.Contains("Nothing was changed", error.ErrorDetails.Message);
            Assert.Contains("CreateSecurityGroupPolicies", error.ErrorDetails.Message);
            Assert.Equal(before["sg-shared01"].ToString(), _s.RuleLists()["sg-shared01"].ToString());
            Assert.DoesNotContain(RemediationSession.Changes(r), c => c.SecurityGroupId == "sg-shared01");
            Assert.Contains(RemediationSession.Changes(r), c => c.SecurityGroupId == "sg-allopen1" && c.Status == TcPort53ChangeStatus.Changed);
            var audit = DemoFleet.Audit(_s.Server);
            Assert.False(audit["ins-gzweb001"].Exposed);
            // sg-shared01 decides for ins-gzshr002 too (its first group admits no public DNS), so both stay open.
            Assert.True(audit["ins-gzshr002"].Exposed);
            Assert.True(audit["ins-gzshr001"].Exposed);
        }

        [Fact]
        public void With_Force_behind_a_listing_groups_are_written_while_others_are_still_being_planned()
        {
            // Nothing is asked, so no write waits for every plan: one place, and each write takes a round trip, so the
            // planning progress goes on after the first write's.
            _s.Server.UpdateFaults(f => f.LatencyMinMs = f.LatencyMaxMs = 50);
            var r = _s.Run("Get-TcInstance -Region * | Block-TcPort53 -Force -ThrottleLimit 1");
            r.AssertNoErrors();
            DemoFleet.AssertAllClosed(_s.Server);
            List<ProgressRecord> progress = _s.Ps.Host.Recorder.Progress.ToList();
            int firstWrite = progress.FindIndex(p => p.Activity == "Adding DROP rules for port 53");
            int lastPlanned = progress.FindLastIndex(p => p.Activity == "Reading security groups" && p.RecordType == ProgressRecordType.Processing);
            Assert.True(firstWrite >= 0 && firstWrite < lastPlanned, "first write's progress at " + firstWrite + ", last planning progress at " + lastPlanned);
        }

        [Fact]
        public void Progress_is_shown_while_many_groups_are_written()
        {
            var r = _s.Run("Get-TcInstance -Region * | Block-TcPort53 -Force");
            r.AssertNoErrors();
            var progress = _s.Ps.Host.Recorder.Progress;
            Assert.Contains(progress, p => p.Activity == "Reading security groups");
            Assert.Contains(progress, p => p.Activity == "Adding DROP rules for port 53" && p.PercentComplete > 0);
            Assert.Contains(progress, p => p.Activity == "Adding DROP rules for port 53" && p.RecordType == ProgressRecordType.Completed);
        }

        [Fact]
        public void The_journal_gets_one_changed_outcome_per_real_change_and_only_those()
        {
            string journal = Path.Combine(Path.GetTempPath(), "port53-journal-" + Guid.NewGuid().ToString("N") + ".jsonl");
            try
            {
                var r = _s.Run("Get-TcInstance -Region * | Block-TcPort53 -Force -JournalPath '" + journal + "' -PassThru\n" +
                               "Get-TcInstance -Region * | Block-TcPort53 -Force -JournalPath '" + journal + "'");
                r.AssertNoErrors();
                string[] lines = File.ReadAllLines(journal);
                string[] outcomes = lines.Where(l => l.StartsWith("{\"Record\":\"Outcome\"", StringComparison.Ordinal)).ToArray();
                TcPort53Change[] changed = RemediationSession.Changes(r).Where(c => c.Status == TcPort53ChangeStatus.Changed).ToArray();
                Assert.Equal(DemoFleet.ExpectedBlocks().Count(kv => kv.Value.Length > 0), outcomes.Length);
                Assert.Equal(changed.Length * 2, lines.Length);
                foreach (string line in outcomes)
                {
                    JObject record = JObject.Parse(line);
                    TcPort53Change change = changed.Single(c => c.SecurityGroupId == (string)record["SecurityGroupId"]);
                    Assert.Equal("Block", (string)record["Action"]);
                    Assert.Equal("Changed", (string)record["Status"]);
                    Assert.Equal(change.RequestId, (string)record["RequestId"]);
                    Assert.Equal(change.VersionBefore, (string)record["VersionBefore"]);
                    Assert.Equal(change.VersionAfter, (string)record["VersionAfter"]);
                    Assert.Equal(change.AffectedInstanceIds, record["AffectedInstanceIds"].Select(t => (string)t));
                    Assert.Equal(change.RulesAdded.Select(a => a.Text), record["RulesAdded"].Select(t => (string)t["Text"]));
                    Assert.Equal(change.RulesAdded.Select(a => a.CidrBlock), record["RulesAdded"].Select(t => (string)t["CidrBlock"]));
                    Assert.Matches("\"Time\":\"\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z\"", line);
                }
            }
            finally
            {
                File.Delete(journal);
            }
        }

        [Fact]
        public void A_journal_path_that_cannot_be_written_stops_before_any_request()
        {
            string missing = Path.Combine(Path.GetTempPath(), "port53-no-such-folder-" + Guid.NewGuid().ToString("N"), "changes.jsonl");
            var r = _s.Run("Get-TcInstance -Region * | Block-TcPort53 -Force -JournalPath '" + missing + "'");
            ErrorRecord error = r.SingleFailure();
            Assert.Equal("Port53.JournalUnavailable,Port53.Cmdlets.BlockTcPort53Command", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.OpenError, error.CategoryInfo.Category);
            Assert.Contains("does not exist", error.Exception.Message);
            Assert.Equal(0, _s.Server.Requests.Count(q => q.Action.Contains("SecurityGroup")));
        }
    }
}
