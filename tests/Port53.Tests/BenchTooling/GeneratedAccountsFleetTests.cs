using System.Collections.Generic;
using System.Linq;
using Port53.Benchmarks.Fleet;
using Xunit;

namespace Port53.Tests.BenchTooling
{
    /// <summary>A generated organization: the management account and two members, each with the same small fleet under ids of its own.</summary>
    public class GeneratedAccountsFleetFixture : GeneratedFleetFixture
    {
        protected override string Spec => "instances=60,regions=2,groups=12,exposed=0.3,accounts=3,seed=4";
    }

    /// <summary>The multi-account fleet run's premises and counting against the real emulator (and, where it can, the module).</summary>
    public class GeneratedAccountsFleetTests : IClassFixture<GeneratedAccountsFleetFixture>
    {
        private readonly GeneratedAccountsFleetFixture _f;

        public GeneratedAccountsFleetTests(GeneratedAccountsFleetFixture fixture) => _f = fixture;

        private static Dictionary<string, int> Calls(CallPlan plan) => plan.Calls.ToDictionary(kv => kv.Key, kv => kv.Value);

        [Fact]
        public void TheStateReaderSeesEveryMembersOwnFleet()
        {
            FleetState read = FleetState.Parse(_f.Server.GetStateJson());
            Port53.Emulator.Model.Fleet model = _f.Server.GetState();
            Assert.Equal(2, model.Accounts.Count);
            Assert.Equal(model.Accounts.Select(a => a.Uin), read.Accounts.Select(a => a.Uin));
            foreach (Port53.Emulator.Model.FleetAccount account in model.Accounts)
            {
                FleetState mine = read.Account(account.Uin.Value);
                Assert.Equal(account.Instances.Select(i => i.InstanceId + ":" + string.Join(",", i.SecurityGroupIds)),
                    mine.Instances.Select(i => i.InstanceId + ":" + string.Join(",", i.SecurityGroupIds)));
                Assert.Equal(account.SecurityGroups.Select(g => g.SecurityGroupId), mine.SecurityGroups.Select(g => g.SecurityGroupId));
            }
            // The top level is the management account's own fleet, not a member's.
            Assert.Equal(model.Instances.Select(i => i.InstanceId), read.Instances.Select(i => i.InstanceId));
            Assert.Empty(read.Instances.Select(i => i.InstanceId).Intersect(read.Accounts.SelectMany(a => a.Instances).Select(i => i.InstanceId)));
        }

        [Fact]
        public void EveryMemberNeedsWhatOneMemberNeeds()
        {
            // What makes "calls = N x one account's minimum" the right target: each member's fleet has the same shape.
            FleetState read = FleetState.Parse(_f.Server.GetStateJson());
            FleetState first = read.Accounts[0], second = read.Accounts[1];
            Assert.NotEqual(first.Uin, second.Uin);
            Assert.Equal(Calls(MinimumCalls.Audit(first)), Calls(MinimumCalls.Audit(second)));
            List<string> exposedFirst = BlockPlanning.Exposed(first), exposedSecond = BlockPlanning.Exposed(second);
            Assert.NotEmpty(exposedFirst);
            Assert.Equal(exposedFirst.Count, exposedSecond.Count);
            Assert.Equal(Calls(MinimumCalls.Block(first, exposedFirst)), Calls(MinimumCalls.Block(second, exposedSecond)));
        }
    }
}
