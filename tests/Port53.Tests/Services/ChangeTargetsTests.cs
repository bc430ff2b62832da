using System.Collections.Generic;
using System.Linq;
using Port53.Services;
using Port53.Session;
using Xunit;

namespace Port53.Tests.Services
{
    /// <summary>What a change command acts on, decided without PowerShell and without a call where the pipeline read it already.</summary>
    public class ChangeTargetsTests
    {
        private const string Account = "https://vpc.tencentcloudapi.com/\nAKIDEXAMPLE";
        private const string Region = "ap-guangzhou";

        private static IEnumerable<string> FirstGroup(string[] bound) => bound.Take(1);

        [Fact]
        public void Piped_bindings_this_pipeline_read_are_trusted_and_contradicted_ones_are_stale_at_once()
        {
            var reads = new PipelineReads();
            reads.AddBinding(Account, Region, "ins-00000001", new[] { "sg-0000000a", "sg-0000000b" });
            reads.AddBinding(Account, Region, "ins-00000002", new[] { "sg-0000000c" });
            var targets = new ChangeTargets(reads, "Block-TcPort53");
            targets.AddInstances(Region, new[] { "ins-00000001" }, new[] { "sg-0000000a", "sg-0000000b" }, new string[0]);
            // Saved before a colleague moved the instance to another group: the pipeline's own read says otherwise.
            targets.AddInstances(Region, new[] { "ins-00000002" }, new[] { "sg-0000000a" }, new string[0]);

            ServiceProblem stale = Assert.Single(targets.TrustOnlyThisPipeline(Account));
            Assert.Equal(("StaleBindings", ProblemCategory.InvalidData, "ins-00000002"), (stale.ErrorId, stale.Category, stale.Target));
            Assert.Contains("Block-TcPort53", stale.MessageArgs);
            Assert.Empty(targets.Unbound());
            RemediationTarget only = Assert.Single(targets.Targets(FirstGroup, new List<ServiceProblem>()));
            Assert.Equal(("ins-00000001", "sg-0000000a"), (only.InstanceId, only.GroupId));
        }

        [Fact]
        public void A_claim_no_read_vouches_for_is_looked_up_and_rejected_when_the_lookup_disagrees()
        {
            var targets = new ChangeTargets(new PipelineReads(), "Unblock-TcPort53");
            targets.AddInstances(Region, new[] { "ins-00000003" }, new[] { "sg-0000000a" }, new string[0]);
            Assert.Empty(targets.TrustOnlyThisPipeline(Account));

            ChangeRequest looked = Assert.Single(Assert.Single(targets.Unbound()));
            looked.Bound = new[] { "sg-0000000d" };
            ServiceProblem stale = Assert.Single(targets.RejectStaleClaims());
            Assert.Equal(("StaleBindings", "ins-00000003"), (stale.ErrorId, stale.Target));
            Assert.Empty(targets.Targets(FirstGroup, new List<ServiceProblem>()));
        }

        [Fact]
        public void Targets_name_each_instance_and_group_once_and_report_what_cannot_be_a_target()
        {
            var targets = new ChangeTargets(new PipelineReads(), "Block-TcPort53");
            targets.AddInstances(Region, new[] { "ins-00000004", "ins-00000005" }, null, new[] { "sg-0000000a" });
            targets.AddInstances(Region, new[] { "ins-00000006" }, null, new[] { "sg-0000000f" });
            targets.AddInstances(Region, new[] { "ins-00000007" }, null, new string[0]);
            targets.AddGroups(Region, new[] { "sg-0000000e" });
            targets.AddGroups(Region, new[] { "sg-0000000e" });
            foreach (ChangeRequest request in targets.Unbound().SelectMany(r => r))
                request.Bound = request.InstanceId == "ins-00000007" ? new string[0] : new[] { "sg-0000000a", "sg-0000000b" };

            var problems = new List<ServiceProblem>();
            List<RemediationTarget> made = targets.Targets(FirstGroup, problems);

            Assert.Equal(new[] { "ins-00000004/sg-0000000a", "ins-00000005/sg-0000000a", "/sg-0000000e" },
                made.Select(t => t.InstanceId + "/" + t.GroupId));
            Assert.Equal(new[] { ("GroupNotBound", "sg-0000000f"), ("NoSecurityGroup", "ins-00000007") },
                problems.Select(p => (p.ErrorId, p.Target)));
        }

        [Fact]
        public void A_region_this_pipeline_listed_in_full_names_the_affected_instances_without_another_call()
        {
            var reads = new PipelineReads();
            PipelineReads.RegionListing listing = reads.StartListing(Account, Region);
            listing.Add("ins-00000008", new[] { "sg-0000000a" });
            listing.Add("ins-00000009", new[] { "sg-0000000b", "sg-0000000a" });
            listing.Complete();
            var targets = new ChangeTargets(reads, "Block-TcPort53");
            var listed = new GroupChangePlan { Region = Region, SecurityGroupId = "sg-0000000a" };
            var elsewhere = new GroupChangePlan { Region = "ap-shanghai", SecurityGroupId = "sg-0000000a" };

            IGrouping<string, GroupChangePlan> left = Assert.Single(targets.AddListedInstances(Account, new[] { listed, elsewhere }));

            Assert.Equal(new[] { "ins-00000008", "ins-00000009" }, listed.AffectedInstanceIds);
            Assert.Equal("ap-shanghai", left.Key);
            Assert.Empty(elsewhere.AffectedInstanceIds);
        }
    }
}
