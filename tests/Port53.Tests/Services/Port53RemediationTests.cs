using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using Port53.Analysis;
using Port53.Api;
using Port53.Model;
using Port53.Services;
using Port53.Tests.Api;
using Xunit;

namespace Port53.Tests.Services
{
    /// <summary>
    /// The remediation engine against a one-group fake whose writes land even when their reply is lost, which the
    /// emulator's injected faults never do (they refuse before applying).
    /// </summary>
    public class Port53RemediationTests
    {
        private const string Group = "sg-test0001";

        /// <summary>A group at a Version; Create applies at the top and bumps it, then answers as <see cref="CreateReply"/> says.</summary>
        private sealed class OneGroup
        {
            public int Version = 1;
            public List<JObject> Ingress = new List<JObject> { Rule("UDP", "53", "0.0.0.0/0", "ACCEPT", "resolver") };
            public Func<int, FakeReply> CreateReply = _ => FakeReply.Ok();
            public int Creates;

            public static JObject Rule(string protocol, string port, string cidr, string action, string description) => new JObject
            {
                ["Protocol"] = protocol, ["Port"] = port, ["CidrBlock"] = cidr, ["Action"] = action, ["PolicyDescription"] = description,
            };

            public FakeReply Handle(FakeRequest request)
            {
                lock (this)
                {
                    if (request.Action == "DescribeSecurityGroupPolicies")
                        return FakeReply.Ok(new JObject
                        {
                            ["SecurityGroupPolicySet"] = new JObject
                            {
                                ["Version"] = Version.ToString(),
                                ["Ingress"] = new JArray(Ingress.Select((r, i) => { var c = (JObject)r.DeepClone(); c["PolicyIndex"] = i; return c; })),
                                ["Egress"] = new JArray(),
                            },
                        });
                    if (request.Action != "CreateSecurityGroupPolicies") return FakeReply.Error("InvalidAction");
                    JObject set = (JObject)request.Body["SecurityGroupPolicySet"];
                    if ((string)set["Version"] != Version.ToString()) return FakeReply.Error("UnsupportedOperation.VersionMismatch");
                    Ingress.InsertRange(0, set["Ingress"].Select(r => { var c = (JObject)r.DeepClone(); c.Remove("PolicyIndex"); return c; }));
                    Version++;
                    return CreateReply(++Creates);
                }
            }
        }

        private static async Task<RemediationOutcome> BlockAsync(OneGroup group, Func<FakeRequest, FakeReply> handler = null)
        {
            using (var server = new FakeServer(handler ?? group.Handle))
            {
                TcClient client = ClientTestKit.For(server.BaseUri);
                var engine = new Port53Remediation(new VpcService(client), new CvmService(client), ExposureKey.All, "AKID****MPLE",
                    new DateTime(2026, 11, 23, 0, 0, 0, DateTimeKind.Utc), ClientTestKit.FastOptions().Retry);
                var target = new RemediationTarget("ap-guangzhou", null, new[] { Group }, Group);
                GroupChangePlan plan = await engine.PlanBlockAsync("ap-guangzhou", Group, new[] { target }, CancellationToken.None);
                Assert.Equal(new[] { "UDP 53 0.0.0.0/0 DROP" }, plan.Edit.Added.Select(a => TcPort53Verdict.Describe(a.Rule)));
                return await engine.ApplyAsync(plan, CancellationToken.None);
            }
        }

        [Fact]
        public async Task A_whole_list_write_at_Version_0_is_refused_and_nothing_is_sent()
        {
            // Tencent's DROP below an ACCEPT needs ModifySecurityGroupPolicies, which at Version 0 would clear the group.
            var group = new OneGroup { Version = 0 };
            group.Ingress = new List<JObject> { OneGroup.Rule("ALL", "ALL", "0.0.0.0/0", "ACCEPT", ""), OneGroup.Rule("UDP", "53", "0.0.0.0/0", "DROP", "manual") };
            int writes = 0;
            using (var server = new FakeServer(request =>
            {
                if (request.Action != "DescribeSecurityGroupPolicies") Interlocked.Increment(ref writes);
                return group.Handle(request);
            }))
            {
                TcClient client = ClientTestKit.For(server.BaseUri);
                var engine = new Port53Remediation(new VpcService(client), new CvmService(client), ExposureKey.All, "AKID****MPLE",
                    new DateTime(2026, 11, 23, 0, 0, 0, DateTimeKind.Utc), ClientTestKit.FastOptions().Retry);
                var target = new RemediationTarget("ap-guangzhou", null, new[] { Group }, Group);
                GroupChangePlan plan = await engine.PlanBlockAsync("ap-guangzhou", Group, new[] { target }, CancellationToken.None);
                Assert.Single(plan.Edit.Removed);
                RemediationOutcome outcome = await engine.ApplyAsync(plan, CancellationToken.None);
                ErrorRecord error = TcErrors.ToErrorRecord(Assert.Single(outcome.Problems));
                Assert.Equal("Port53.WholeListWriteUnsafe", error.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
                Assert.Contains("at Version 0", error.Exception.Message);
                Assert.Null(outcome.Change);
                Assert.Equal(0, writes);
            }
        }

        /// <summary>Replies that say nothing of a write's outcome: faults, and bodies a proxy cut off or replaced.</summary>
        private static FakeReply LostReply(string kind) => kind switch
        {
            "reset" => FakeReply.ConnectionReset(),
            "502" => FakeReply.HttpStatus(502),
            "403 page" => FakeReply.Raw("<html><body>Forbidden by proxy</body></html>", 403),
            "200 page" => FakeReply.Raw("<html><body>Please log in to the proxy</body></html>"),
            "cut JSON" => FakeReply.Raw("{\"Response\":{\"RequestId\":\"6f1c"),
            "empty" => FakeReply.Raw(""),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        [Theory]
        [InlineData("502")]
        [InlineData("reset")]
        [InlineData("403 page")]
        [InlineData("200 page")]
        [InlineData("cut JSON")]
        [InlineData("empty")]
        public async Task A_write_that_landed_although_its_reply_was_lost_is_recorded_once_and_not_repeated(string reply)
        {
            var group = new OneGroup { CreateReply = n => n == 1 ? LostReply(reply) : FakeReply.Ok() };
            RemediationOutcome outcome = await BlockAsync(group);
            Assert.Empty(outcome.Problems);
            Assert.Equal(1, group.Creates);
            Assert.Equal(2, group.Ingress.Count);
            TcPort53Change change = outcome.Change;
            Assert.Equal(TcPort53ChangeStatus.Changed, change.Status);
            Assert.Equal(("1", "2"), (change.VersionBefore, change.VersionAfter));
            Assert.Null(change.RequestId);
            Assert.Equal(new[] { "UDP 53 0.0.0.0/0 DROP" }, change.RulesAdded.Select(r => r.Text));
            Assert.Equal("AKID****MPLE", change.ChangedBy);
        }

        [Fact]
        public async Task A_write_that_landed_unseen_is_recognised_although_someone_else_changed_the_group_since()
        {
            var group = new OneGroup();
            group.CreateReply = n =>
            {
                // Another administrator's rule goes in on top right after ours, before Port53 reads the group again.
                group.Ingress.Insert(0, OneGroup.Rule("TCP", "8080", "10.0.0.0/8", "ACCEPT", "someone else"));
                group.Version++;
                return n == 1 ? FakeReply.ConnectionReset() : FakeReply.Ok();
            };
            RemediationOutcome outcome = await BlockAsync(group);
            Assert.Empty(outcome.Problems);
            Assert.Equal(1, group.Creates);
            Assert.Equal(TcPort53ChangeStatus.Changed, outcome.Change.Status);
            Assert.Equal(("1", "3"), (outcome.Change.VersionBefore, outcome.Change.VersionAfter));
            Assert.Single(group.Ingress, r => (string)r["Action"] == "DROP");
            Assert.Contains(group.Ingress, r => (string)r["PolicyDescription"] == "someone else");
        }

        [Fact]
        public async Task A_lost_reply_that_cannot_be_checked_is_reported_as_unknown_and_not_repeated()
        {
            var group = new OneGroup { CreateReply = _ => FakeReply.ConnectionReset() };
            RemediationOutcome outcome = await BlockAsync(group, request =>
                request.Action == "DescribeSecurityGroupPolicies" && group.Creates > 0 ? FakeReply.Error("InternalError") : group.Handle(request));
            Assert.Null(outcome.Change);
            ErrorRecord error = TcErrors.ToErrorRecord(Assert.Single(outcome.Problems));
            Assert.Equal(Group, error.TargetObject);
            Assert.Contains("cannot tell whether the change was made", error.ErrorDetails.Message);
            Assert.Equal(1, group.Creates);
        }

        [Fact]
        public async Task A_write_refused_every_time_is_one_error_for_the_group_after_the_last_attempt()
        {
            // Someone else bumps the Version before each of our writes.
            var racing = new OneGroup();
            Func<FakeRequest, FakeReply> handler = request =>
            {
                if (request.Action == "CreateSecurityGroupPolicies") lock (racing) racing.Version++;
                return racing.Handle(request);
            };
            using (var server = new FakeServer(handler))
            {
                TcClient client = ClientTestKit.For(server.BaseUri);
                var engine = new Port53Remediation(new VpcService(client), new CvmService(client), ExposureKey.All, null, DateTime.UtcNow, ClientTestKit.FastOptions().Retry);
                var target = new RemediationTarget("ap-guangzhou", null, new[] { Group }, Group);
                GroupChangePlan plan = await engine.PlanBlockAsync("ap-guangzhou", Group, new[] { target }, CancellationToken.None);
                RemediationOutcome outcome = await engine.ApplyAsync(plan, CancellationToken.None);
                Assert.Null(outcome.Change);
                ErrorRecord error = TcErrors.ToErrorRecord(Assert.Single(outcome.Problems));
                Assert.Equal("TencentCloud.UnsupportedOperation.VersionMismatch", error.FullyQualifiedErrorId);
                Assert.Equal(Group, error.TargetObject);
                Assert.Contains(Port53Remediation.MaxAttempts + " attempts", error.ErrorDetails.Message);
                Assert.Equal(Port53Remediation.MaxAttempts, server.Requests.Count(r => r.Action == "CreateSecurityGroupPolicies"));
                Assert.Single(racing.Ingress);
            }
        }
    }
}
