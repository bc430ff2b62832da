using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Newtonsoft.Json.Linq;
using Port53.Model;
using Xunit;

namespace Port53.Tests.Cmdlets
{
    /// <summary>
    /// The -JournalPath journal is write-ahead: an intent before each write call, an outcome after it; a later run
    /// reconciles intents left without outcome; a reply that cannot be read is a lost reply, re-read and recorded.
    /// </summary>
    public sealed class BlockJournalTests : IClassFixture<RemediationSession>, IDisposable
    {
        private readonly RemediationSession _s;
        private readonly string _journal = Path.Combine(Path.GetTempPath(), "port53-wal-" + Guid.NewGuid().ToString("N") + ".jsonl");

        public BlockJournalTests(RemediationSession session)
        {
            _s = session;
            _s.Restore();
        }

        public void Dispose() => File.Delete(_journal);

        private string J => " -JournalPath '" + _journal + "'";

        private List<JObject> Records() => File.ReadAllLines(_journal).Select(JObject.Parse).ToList();

        private static IEnumerable<JObject> Of(IEnumerable<JObject> records, string kind) => records.Where(r => (string)r["Record"] == kind);

        [Fact]
        public void Every_write_has_an_intent_before_it_and_an_outcome_after_it()
        {
            _s.Server.UpdateFaults(f => f.UnauthorizedSecurityGroupIds = new List<string> { "sg-dnstcp01" });
            var r = _s.Run("Get-TcInstance -Region * | Block-TcPort53 -Force -PassThru" + J);
            Assert.Single(r.Errors);
            List<JObject> records = Records();
            TcPort53Change[] changed = RemediationSession.Changes(r).Where(c => c.Status == TcPort53ChangeStatus.Changed).ToArray();
            // Every write call had its intent, and every intent its outcome, paired by Id, the intent first.
            int writes = _s.WriteRequests;
            Assert.Equal(writes, Of(records, "Intent").Count());
            foreach (JObject intent in Of(records, "Intent"))
            {
                int at = records.IndexOf(intent);
                JObject outcome = Assert.Single(records.Skip(at + 1), o => (string)o["Record"] == "Outcome" && (string)o["Id"] == (string)intent["Id"]);
                Assert.Equal((string)intent["SecurityGroupId"], (string)outcome["SecurityGroupId"]);
                Assert.Equal((string)intent["Version"], (string)outcome["VersionBefore"]);
                // A change's outcome lists exactly what its intent announced; a refused write's, nothing.
                if ((string)outcome["Status"] == "Changed")
                {
                    Assert.Equal(intent["RulesToAdd"].Select(t => (string)t["Text"]), outcome["RulesAdded"].Select(t => (string)t["Text"]));
                    Assert.Equal(intent["RulesToRemove"].Select(t => (string)t["Text"]), outcome["RulesRemoved"].Select(t => (string)t["Text"]));
                }
                else
                {
                    Assert.Empty(outcome["RulesAdded"]);
                }
            }
            foreach (TcPort53Change change in changed)
            {
                JObject outcome = Assert.Single(Of(records, "Outcome"), o => (string)o["SecurityGroupId"] == change.SecurityGroupId);
                Assert.Equal("Changed", (string)outcome["Status"]);
                Assert.Equal(change.RequestId, (string)outcome["RequestId"]);
                Assert.Equal(change.VersionAfter, (string)outcome["VersionAfter"]);
                Assert.Equal(change.AffectedInstanceIds, outcome["AffectedInstanceIds"].Select(t => (string)t));
            }
            JObject refused = Assert.Single(Of(records, "Outcome"), o => (string)o["SecurityGroupId"] == "sg-dnstcp01");
            Assert.Equal("Failed", (string)refused["Status"]);
            Assert.Contains("UnauthorizedOperation", (string)refused["Error"]);
        }

        [Fact]
        public void A_garbled_reply_to_a_write_that_landed_is_recorded_as_the_change_it_was()
        {
            _s.Server.UpdateFaults(f =>
            {
                f.GarbledReplyRate = 1;
                f.FaultActions = new List<string> { "CreateSecurityGroupPolicies" };
            });
            var r = _s.Run("Block-TcPort53 -InstanceId ins-gzdns001 -Region ap-guangzhou -Force -PassThru" + J);
            r.AssertNoErrors();
            TcPort53Change change = Assert.Single(RemediationSession.Changes(r));
            Assert.Equal(("sg-dnsudp01", TcPort53ChangeStatus.Changed, 1), (change.SecurityGroupId, change.Status, change.Attempts));
            Assert.Contains(_s.Server.Requests, q => q.Fault != null && q.Fault.StartsWith("garbled"));
            JObject outcome = Assert.Single(Of(Records(), "Outcome"));
            Assert.Equal("Changed", (string)outcome["Status"]);
            Assert.Equal(new[] { "UDP 53 0.0.0.0/0 DROP" }, outcome["RulesAdded"].Select(t => (string)t["Text"]));

            _s.Server.UpdateFaults(f => f.GarbledReplyRate = 0);
            r = _s.Run("Block-TcPort53 -InstanceId ins-gzdns001 -Region ap-guangzhou -Force -PassThru\n" +
                       "Unblock-TcPort53 -InstanceId ins-gzdns001 -Region ap-guangzhou -Force -PassThru" + J);
            r.AssertNoErrors();
            TcPort53Change[] changes = RemediationSession.Changes(r);
            Assert.Equal(TcPort53ChangeStatus.NoChange, changes[0].Status);
            Assert.Equal(new[] { "UDP 53 0.0.0.0/0 DROP" }, changes[1].RulesRemoved.Select(x => x.Text));
            Assert.Equal(2, _s.Ingress("sg-dnsudp01").Count);
            // The Unblock is journaled the same way: its intent names the rule to remove, its outcome the rule removed.
            List<JObject> records = Records();
            JObject unblock = Assert.Single(Of(records, "Intent"), i => (string)i["Action"] == "Unblock");
            Assert.Equal(new[] { "UDP 53 0.0.0.0/0 DROP" }, unblock["RulesToRemove"].Select(t => (string)t["Text"]));
            JObject removed = Assert.Single(Of(records, "Outcome"), o => (string)o["Id"] == (string)unblock["Id"]);
            Assert.Equal(("Changed", changes[1].RequestId), ((string)removed["Status"], (string)removed["RequestId"]));
        }

        [Fact]
        public void An_intent_left_without_outcome_is_reconciled_by_the_next_run_and_a_torn_line_is_reported()
        {
            // A first run writes sg-dnsudp01; then its outcome is lost (as in a crash after the write) and the
            // journal ends in half a line. Also an intent whose write never went out: Version unchanged since.
            _s.Run("Block-TcPort53 -InstanceId ins-gzdns001 -Region ap-guangzhou -Force" + J).AssertNoErrors();
            List<string> lines = File.ReadAllLines(_journal).ToList();
            JObject landed = JObject.Parse(lines[0]);
            string version = _s.Server.GetPolicies("sg-dnstcp01").Version;
            var never = new JObject
            {
                ["Record"] = "Intent", ["Id"] = "never-sent-0001", ["Time"] = "2026-01-01T00:00:00Z", ["Action"] = "Block",
                ["Region"] = "ap-shanghai", ["SecurityGroupId"] = "sg-dnstcp01", ["Version"] = version,
                ["RulesToAdd"] = new JArray(new JObject { ["Text"] = "TCP 53 0.0.0.0/0 DROP" }), ["RulesToRemove"] = new JArray(),
            };
            File.WriteAllText(_journal, lines[0] + "\n" + never.ToString(Newtonsoft.Json.Formatting.None) + "\n{\"Record\":\"Outc");

            var r = _s.Run("Block-TcPort53 -InstanceId ins-hkweb001 -Region ap-hongkong -Force -PassThru" + J);
            r.AssertNoErrors();
            Assert.Contains(r.Warnings, w => w.Contains(_journal) && w.Contains("3"));
            Assert.Contains(r.Warnings, w => w.Contains("2") && w.Contains("reconciled"));
            string[] after = File.ReadAllLines(_journal);
            Assert.Equal("{\"Record\":\"Outc", after[2]);
            List<JObject> reconciled = after.Skip(3).Select(JObject.Parse).Where(o => (bool?)o["Reconciled"] == true).ToList();
            JObject yes = Assert.Single(reconciled, o => (string)o["Id"] == (string)landed["Id"]);
            Assert.Equal("Changed", (string)yes["Status"]);
            Assert.Equal(_s.Server.GetPolicies("sg-dnsudp01").Version, (string)yes["VersionAfter"]);
            JObject no = Assert.Single(reconciled, o => (string)o["Id"] == "never-sent-0001");
            Assert.Equal("Failed", (string)no["Status"]);
            Assert.Equal(version, (string)no["VersionAfter"]);

            // Reconciled once: the run after that finds nothing to do.
            r = _s.Run("Block-TcPort53 -InstanceId ins-hkweb001 -Region ap-hongkong -Force" + J);
            Assert.DoesNotContain(r.Warnings, w => w.Contains("reconciled"));
        }
    }
}
