using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Newtonsoft.Json.Linq;
using Port53.Model;
using Xunit;

namespace Port53.Tests.Cmdlets
{
    /// <summary>Block-TcPort53 against groups whose rule quota (four inbound rules here) leaves no room for the DROPs.</summary>
    public class BlockQuotaTests : IClassFixture<SmallQuotaSession>
    {
        private readonly SmallQuotaSession _s;

        public BlockQuotaTests(SmallQuotaSession session)
        {
            _s = session;
            _s.Restore();
        }

        [Fact]
        public void A_full_group_and_a_permission_error_fail_only_their_group_while_the_rest_succeed()
        {
            _s.Server.UpdateFaults(f => f.UnauthorizedSecurityGroupIds = new List<string> { "sg-dnstcp01" });
            Dictionary<string, JObject> before = _s.RuleLists();
            Dictionary<string, Port53.Analysis.ExposureKey[]> expected = DemoFleet.ExpectedBlocks();
            // Groups that would exceed the quota with the rules the documentation says they need.
            var full = expected.Where(kv => kv.Value.Length > 0 && before[kv.Key]["Ingress"].Count() + kv.Value.Length > SmallQuotaSession.Quota)
                .Select(kv => kv.Key).OrderBy(g => g).ToList();
            Assert.Contains("sg-shared01", full);
            Assert.DoesNotContain("sg-dnstcp01", full);

            var r = _s.Run("Get-TcInstance -Region * | Block-TcPort53 -Force -PassThru");
            Assert.Null(r.Terminating);
            var quota = r.Errors.Where(e => e.FullyQualifiedErrorId.StartsWith("TencentCloud.LimitExceeded.SecurityGroupPolicySet,")).ToList();
            Assert.Equal(full, quota.Select(e => (string)e.TargetObject).OrderBy(g => g));
            Assert.All(quota, e =>
            {
                Assert.Equal(ErrorCategory.QuotaExceeded, e.CategoryInfo.Category);
                Assert.Contains("quota", e.ErrorDetails.Message);
                Assert.Contains("Nothing was changed in it", e.ErrorDetails.Message);
                Assert.Contains((string)e.TargetObject, e.ErrorDetails.Message);
            });
            ErrorRecord denied = Assert.Single(r.Errors, e => e.CategoryInfo.Category == ErrorCategory.PermissionDenied);
            Assert.Equal("sg-dnstcp01", denied.TargetObject);
            Assert.Equal(full.Count + 1, r.Errors.Count);

            TcPort53Change[] changes = RemediationSession.Changes(r);
            foreach (var (group, keys) in expected)
            {
                bool failed = full.Contains(group) || group == "sg-dnstcp01";
                if (failed) Assert.Equal(before[group].ToString(), _s.RuleLists()[group].ToString());
                else Assert.Equal(keys.Length, DemoFleet.Port53Keys(_s.Ingress(group)).Count);
                Assert.Equal(failed ? 0 : 1, changes.Count(c => c.SecurityGroupId == group));
            }
            Assert.Contains(changes, c => c.Status == TcPort53ChangeStatus.Changed);
        }
    }
}
