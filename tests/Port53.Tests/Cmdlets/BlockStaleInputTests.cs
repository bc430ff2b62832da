using System.Linq;
using System.Management.Automation;
using Port53.Model;
using Xunit;

namespace Port53.Tests.Cmdlets
{
    /// <summary>
    /// Block-TcPort53 acts on each instance's bindings as Tencent has them now: piped SecurityGroupIds count only when
    /// the same pipeline read them; anything else (saved, imported, hand-made objects) is checked against a fresh read.
    /// </summary>
    public class BlockStaleInputTests : IClassFixture<RemediationSession>
    {
        private readonly RemediationSession _s;

        public BlockStaleInputTests(RemediationSession session)
        {
            _s = session;
            _s.Restore();
        }

        private static void AssertStale(ErrorRecord error, string instance, string piped, string current)
        {
            Assert.Equal("Port53.StaleBindings,Port53.Cmdlets.BlockTcPort53Command", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
            Assert.Equal(instance, error.TargetObject);
            Assert.Contains(piped, error.Exception.Message);
            Assert.Contains(current, error.Exception.Message);
            Assert.Contains("Get-TcInstance", error.Exception.Message);
        }

        [Fact]
        public void A_hand_made_object_naming_a_group_the_instance_does_not_have_writes_nothing()
        {
            // ins-gzpriv01 is bound to sg-private1 only; sg-allopen1 is wide open, and someone else's.
            var r = _s.Run("[pscustomobject]@{ Region = 'ap-guangzhou'; InstanceId = 'ins-gzpriv01'; SecurityGroupIds = @('sg-allopen1') } |" +
                           " Block-TcPort53 -Force -PassThru");
            Assert.Null(r.Terminating);
            AssertStale(Assert.Single(r.Errors), "ins-gzpriv01", "sg-allopen1", "sg-private1");
            Assert.Equal(0, _s.WriteRequests);
            Assert.Empty(r.Output);
        }

        [Fact]
        public void A_saved_instance_whose_bindings_changed_since_is_an_error_and_a_fresh_read_is_acted_on()
        {
            _s.Run("$saved = Get-TcInstance -InstanceId ins-gzdns001 -Region ap-guangzhou").AssertNoErrors();
            // Since then someone moved the instance to the private-only group.
            Assert.True(_s.Server.BindSecurityGroups("ins-gzdns001", "sg-private1"));
            _s.Server.ClearRequests();

            var r = _s.Run("$saved | Block-TcPort53 -Force -PassThru");
            Assert.Null(r.Terminating);
            AssertStale(Assert.Single(r.Errors), "ins-gzdns001", "sg-dnsudp01", "sg-private1");
            Assert.Equal(0, _s.WriteRequests);

            _s.Server.ClearRequests();
            r = _s.Run("Get-TcInstance -InstanceId ins-gzdns001 -Region ap-guangzhou | Block-TcPort53 -Force -PassThru");
            r.AssertNoErrors();
            TcPort53Change change = Assert.Single(RemediationSession.Changes(r));
            Assert.Equal("sg-private1", change.SecurityGroupId);
            Assert.Equal(TcPort53ChangeStatus.NoChange, change.Status);
            // The pipeline's own read is current: Block does not describe the instance again.
            Assert.Equal(1, _s.Server.Requests.Count(q => q.Action == "DescribeInstances"));
        }

        [Fact]
        public void A_saved_instance_that_still_matches_is_blocked_after_one_lookup()
        {
            _s.Run("$saved = Get-TcInstance -InstanceId ins-gzdns001 -Region ap-guangzhou").AssertNoErrors();
            _s.Server.ClearRequests();
            var r = _s.Run("$saved | Test-TcPort53 | Block-TcPort53 -Force -PassThru");
            r.AssertNoErrors();
            TcPort53Change change = Assert.Single(RemediationSession.Changes(r));
            Assert.Equal(("sg-dnsudp01", TcPort53ChangeStatus.Changed), (change.SecurityGroupId, change.Status));
        }

        [Fact]
        public void Test_results_of_the_same_pipeline_are_current_and_a_row_without_groups_takes_the_current_ones()
        {
            var r = _s.Run("Get-TcInstance -Region ap-shanghai | Test-TcPort53 | Where-Object Exposed | Block-TcPort53 -Force -PassThru\n" +
                           "[pscustomobject]@{ Region = 'ap-hongkong'; InstanceId = 'ins-hkdns001' } | Block-TcPort53 -Force -PassThru");
            r.AssertNoErrors();
            Assert.Equal(new[] { "sg-dnstcp01", "sg-hkdns001", "sg-plist001", "sg-prange01", "sg-svctmpl1" }.OrderBy(g => g),
                RemediationSession.Changes(r).Select(c => c.SecurityGroupId).OrderBy(g => g));
            // ap-shanghai: the listing only, which also names each group's instances. ap-hongkong: the lookup of the
            // row that named no groups, and the listing of the instances bound to the group changed.
            Assert.Equal(new[] { "ap-hongkong", "ap-hongkong", "ap-shanghai" },
                _s.Server.Requests.Where(q => q.Action == "DescribeInstances").Select(q => q.Region).OrderBy(x => x));
        }
    }
}
