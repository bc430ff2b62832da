using System.Collections.Generic;
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
    /// <summary>Unblock-TcPort53 (and Block then Unblock) in a hosted engine against the emulator's demo fleet.</summary>
    public class UnblockTcPort53Tests : IClassFixture<RemediationSession>
    {
        private readonly RemediationSession _s;

        public UnblockTcPort53Tests(RemediationSession session)
        {
            _s = session;
            _s.Restore();
        }

        /// <summary>
        /// Each group's rules, every field, except the Version (which moves on with every write) and, in the groups
        /// named, each rule's ModifyTime: a whole-list write (ModifySecurityGroupPolicies) stamps every rule anew.
        /// </summary>
        private Dictionary<string, string> RulesWithoutVersion(params string[] rewritten) =>
            _s.RuleLists().ToDictionary(kv => kv.Key, kv =>
            {
                var copy = (JObject)kv.Value.DeepClone();
                copy.Remove("Version");
                if (rewritten.Contains(kv.Key))
                    foreach (JObject rule in copy["Ingress"].Concat(copy["Egress"]).Cast<JObject>()) rule.Remove("ModifyTime");
                return copy.ToString();
            });

        [Fact]
        public void Block_then_Unblock_restores_every_rule_list_exactly()
        {
            string below = DemoFleet.DropBelowGroup;
            Dictionary<string, string> original = RulesWithoutVersion(below);
            _s.Run("Get-TcInstance -Region * | Block-TcPort53 -Force").AssertNoErrors();
            Assert.NotEqual(original, RulesWithoutVersion(below));

            var r = _s.Run("Get-TcInstance -Region * | Unblock-TcPort53 -Force -PassThru");
            r.AssertNoErrors();
            Assert.Equal(original, RulesWithoutVersion(below));
            TcPort53Change[] changed = RemediationSession.Changes(r).Where(c => c.Status == TcPort53ChangeStatus.Changed).ToArray();
            var blocked = DemoFleet.ExpectedBlocks().Where(kv => kv.Value.Length > 0).ToList();
            Assert.Equal(blocked.Select(kv => kv.Key).OrderBy(g => g), changed.Select(c => c.SecurityGroupId).OrderBy(g => g));
            foreach (TcPort53Change change in changed)
            {
                bool restores = change.SecurityGroupId == below;
                Assert.Equal(TcPort53ChangeAction.Unblock, change.Action);
                // The user's own DROP that Block had replaced comes back, with its description, where it stood.
                Assert.Equal(restores ? new[] { "UDP 53 0.0.0.0/0 DROP at 1: manual DNS block (ticket 4711)" } : new string[0],
                    change.RulesAdded.Select(a => a.Text + " at " + a.PolicyIndex + ": " + a.PolicyDescription));
                Assert.Equal(blocked.Single(kv => kv.Key == change.SecurityGroupId).Value.Length, change.RulesRemoved.Length);
                Assert.All(change.RulesRemoved, rule => Assert.StartsWith("Port53: block public DNS (added ", rule.PolicyDescription));
                Assert.Equal("2", change.VersionBefore);
                Assert.Equal("3", change.VersionAfter);
                string call = restores ? "ModifySecurityGroupPolicies" : "DeleteSecurityGroupPolicies";
                Assert.Contains(_s.Server.Requests, q => q.RequestId == change.RequestId && q.Action == call);
            }
            // The user's own look-alike DROPs in sg-blocked1 ("port53-block") are not Port53's and stay.
            Assert.Equal(2, _s.Ingress("sg-blocked1").Count(p => p.PolicyDescription == "port53-block"));
            Assert.Equal(0, _s.Server.Requests.Count(q => q.Action == "DeleteSecurityGroupPolicies" && q.SecurityGroupId == "sg-blocked1"));
        }

        [Fact]
        public void Unblock_asks_first_because_it_deletes_and_no_removes_nothing()
        {
            _s.Run("Block-TcPort53 -SecurityGroupId sg-dnsudp01, sg-allopen1 -Force").AssertNoErrors();
            _s.Server.ClearRequests();
            var r = _s.Run("Unblock-TcPort53 -SecurityGroupId sg-dnsudp01, sg-allopen1 -PassThru", new[] { 2, 0 });
            r.AssertNoErrors();
            Assert.Equal(2, _s.Ps.Host.Recorder.Prompts.Count);
            Assert.Contains("sg-allopen1", _s.Ps.Host.Recorder.Prompts[0]);
            Assert.Contains("UDP 53 0.0.0.0/0 DROP at PolicyIndex 0; TCP 53 0.0.0.0/0 DROP at PolicyIndex 1", _s.Ps.Host.Recorder.Prompts[0]);
            Assert.Contains("sg-dnsudp01", _s.Ps.Host.Recorder.Prompts[1]);
            Assert.Equal(2, DemoFleet.Port53Keys(_s.Ingress("sg-allopen1")).Count);
            Assert.Empty(DemoFleet.Port53Keys(_s.Ingress("sg-dnsudp01")));
            Assert.Equal("sg-dnsudp01", Assert.Single(RemediationSession.Changes(r)).SecurityGroupId);
            Assert.Equal(1, _s.WriteRequests);
        }

        [Fact]
        public void Force_never_prompts_though_Unblock_deletes_but_an_explicit_Confirm_does()
        {
            _s.Run("Block-TcPort53 -SecurityGroupId sg-dnsudp01, sg-allopen1 -Force").AssertNoErrors();
            _s.Server.ClearRequests();
            // 2 = No: asked although -Force is there, and refused, so nothing is removed.
            var asked = _s.Run("Unblock-TcPort53 -SecurityGroupId sg-dnsudp01 -Force -Confirm -PassThru", new[] { 2 });
            asked.AssertNoErrors();
            Assert.Contains("sg-dnsudp01", Assert.Single(_s.Ps.Host.Recorder.Prompts));
            Assert.Equal(0, _s.WriteRequests);

            // ConfirmImpact High meets the default $ConfirmPreference, so without -Force this would ask; with it, never.
            var r = _s.Run("Unblock-TcPort53 -SecurityGroupId sg-dnsudp01, sg-allopen1 -Force -PassThru");
            r.AssertNoErrors();
            Assert.Empty(_s.Ps.Host.Recorder.Prompts);
            Assert.Equal(2, _s.WriteRequests);
            Assert.Equal(2, RemediationSession.Changes(r).Length);
        }

        [Fact]
        public void WhatIf_makes_no_write()
        {
            _s.Run("Get-TcInstance -Region * | Block-TcPort53 -Force").AssertNoErrors();
            Dictionary<string, string> blocked = RulesWithoutVersion();
            _s.Server.ClearRequests();
            var r = _s.Run("Get-TcInstance -Region * | Unblock-TcPort53 -WhatIf\nGet-TcInstance -Region * | Unblock-TcPort53 -WhatIf -Force");
            r.AssertNoErrors();
            Assert.Equal(0, _s.WriteRequests);
            Assert.Equal(blocked, RulesWithoutVersion());
            string shared = r.HostText.Split('\n').First(l => l.StartsWith("What if:") && l.Contains(" sg-shared01 "));
            Assert.Contains("Remove 2 Port53 rule(s)", shared);
            Assert.Contains("ins-gzshr001, ins-gzshr002, ins-gzshr003, ins-gzshr004, ins-gzshr005", shared);
            Assert.Empty(_s.Ps.Host.Recorder.Prompts);
        }

        [Fact]
        public void Protocol_limits_what_is_removed()
        {
            _s.Run("Block-TcPort53 -SecurityGroupId sg-hkdns001 -Region ap-hongkong -Force").AssertNoErrors();
            var r = _s.Run("Unblock-TcPort53 -SecurityGroupId sg-hkdns001 -Region ap-hongkong -AddressFamily IPv6 -Force -PassThru");
            r.AssertNoErrors();
            Assert.Equal(new[] { "UDP 53 ::/0 DROP" }, Assert.Single(RemediationSession.Changes(r)).RulesRemoved.Select(x => x.Text));
            Assert.Equal(new[] { ExposureKey.UdpV4 }, DemoFleet.Port53Keys(_s.Ingress("sg-hkdns001")));
        }

        [Fact]
        public void Concurrent_edits_are_kept_while_rules_are_removed_by_index()
        {
            Dictionary<string, string> original = RulesWithoutVersion();
            _s.Run("Get-TcInstance -Region * | Block-TcPort53 -Force").AssertNoErrors();
            _s.Server.UpdateFaults(f => { f.ConcurrentEditorRate = 0.3; f.Seed = 5; });
            var r = _s.Run("Get-TcInstance -Region * | Unblock-TcPort53 -Force -PassThru -ThrottleLimit 1");
            r.AssertNoErrors();
            Assert.NotEmpty(_s.Server.ConcurrentEdits);
            Assert.Contains(RemediationSession.Changes(r), c => c.Attempts > 1);
            foreach (var (group, _) in DemoFleet.ExpectedBlocks())
            {
                List<SecurityGroupPolicy> ingress = _s.Ingress(group);
                Assert.Empty(DemoFleet.Port53Keys(ingress));
                // What is left is the original list plus the other editor's rules at the top.
                var edits = _s.Server.ConcurrentEdits.Where(e => e.SecurityGroupId == group).ToList();
                Assert.Equal(edits.Count, ingress.Count(p => p.PolicyDescription == "concurrent-editor"));
                var rest = ingress.Where(p => p.PolicyDescription != "concurrent-editor").ToList();
                var before = JObject.Parse(original[group])["Ingress"].ToObject<List<SecurityGroupPolicy>>();
                Assert.Equal(before.Select(TcPort53Verdict.Describe), rest.Select(TcPort53Verdict.Describe));
            }
        }

        [Fact]
        public void Unblock_reads_each_group_once_and_writes_it_once()
        {
            _s.Run("Block-TcPort53 -SecurityGroupId sg-dnsudp01, sg-allopen1 -Force").AssertNoErrors();
            _s.Server.ClearRequests();
            var r = _s.Run("Unblock-TcPort53 -SecurityGroupId sg-dnsudp01, sg-allopen1 -Force -PassThru");
            r.AssertNoErrors();
            // The write's success reply is authoritative: the group is not read back, and the record's VersionAfter is
            // the Version the write was accepted at plus one, as Tencent documents for every update.
            foreach (string group in new[] { "sg-dnsudp01", "sg-allopen1" })
            {
                Assert.Equal(new[] { "DescribeSecurityGroupPolicies", "DeleteSecurityGroupPolicies" },
                    _s.Server.Requests.Where(q => q.SecurityGroupId == group).Select(q => q.Action));
                TcPort53Change change = RemediationSession.Changes(r).Single(c => c.SecurityGroupId == group);
                Assert.Equal(_s.Server.GetPolicies(group).Version, change.VersionAfter);
                Assert.Equal(int.Parse(change.VersionBefore) + 1, int.Parse(change.VersionAfter));
            }
        }

        [Fact]
        public void Nothing_to_remove_is_no_change_and_no_write()
        {
            var r = _s.Run("Get-TcInstance -Region * | Unblock-TcPort53 -PassThru");
            r.AssertNoErrors();
            Assert.Equal(0, _s.WriteRequests);
            Assert.Empty(_s.Ps.Host.Recorder.Prompts);
            Assert.All(RemediationSession.Changes(r), c => Assert.Equal(TcPort53ChangeStatus.NoChange, c.Status));
            // Every group bound to some instance is checked: the first group and any later one.
            Assert.Contains(RemediationSession.Changes(r), c => c.SecurityGroupId == "sg-shared01");
            Assert.Contains(RemediationSession.Changes(r), c => c.SecurityGroupId == "sg-allopen1");
        }

        [Fact]
        public void A_permission_error_on_delete_fails_that_group_only()
        {
            _s.Run("Block-TcPort53 -SecurityGroupId sg-dnsudp01, sg-allopen1 -Force").AssertNoErrors();
            _s.Server.UpdateFaults(f => f.UnauthorizedSecurityGroupIds = new List<string> { "sg-allopen1" });
            var r = _s.Run("Unblock-TcPort53 -SecurityGroupId sg-dnsudp01, sg-allopen1 -Force -PassThru");
            ErrorRecord error = Assert.Single(r.Errors);
            Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
            Assert.Equal("sg-allopen1", error.TargetObject);
            Assert.Contains("DeleteSecurityGroupPolicies", error.ErrorDetails.Message);
            Assert.Equal("sg-dnsudp01", Assert.Single(RemediationSession.Changes(r)).SecurityGroupId);
            Assert.Equal(2, DemoFleet.Port53Keys(_s.Ingress("sg-allopen1")).Count);
        }
    }
}
