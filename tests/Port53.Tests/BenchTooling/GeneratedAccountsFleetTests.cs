using System;
using System.Collections.Generic;
using System.Linq;
using Port53.Api;
using Port53.Benchmarks.Fleet;
using Port53.Tests.Cmdlets;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.BenchTooling
{
    /// <summary>A generated organization: the management account and two members, each with the same small fleet under ids of its own.</summary>
    public class GeneratedAccountsFleetFixture : GeneratedFleetFixture
    {
        protected override string Spec => "instances=60,regions=2,groups=12,exposed=0.3,accounts=3,seed=4";

        /// <summary>A fresh connection with the management account's keys, then $ctx as the fleet run makes it: the members' accounts.</summary>
        public List<long> ConnectMembers()
        {
            Connect();
            PsResult result = Session.Run(AccountPlans.ConnectMembers());
            result.AssertNoErrors();
            Server.ClearRequests();
            return result.Output.Select(o => Convert.ToInt64(o.BaseObject)).ToList();
        }

        /// <summary>The calls since <see cref="ConnectMembers"/> by account and action, keyed as the fleet run keys them.</summary>
        public IEnumerable<(long?, string)> AccountCallsMade() => Server.Requests.Select(r => (r.AccountUin, TencentRateLimits.Key(r.Service, r.Action)));
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
        public void TheMembersAuditTogetherMakesExactlyEachMembersMinimum()
        {
            FleetState fleet = FleetState.Parse(_f.Server.GetStateJson());
            List<long> members = _f.ConnectMembers();
            Assert.Equal(fleet.Accounts.Select(a => a.Uin.Value), members);
            PsResult result = _f.Session.Run("$n = 0; $ctx | Get-TcInstance -Region * | Test-TcPort53 | ForEach-Object { $n++ }; $n");
            result.AssertNoErrors();
            Assert.Equal(fleet.Accounts.Sum(a => a.Instances.Count), Convert.ToInt32(result.Output.Single().BaseObject));
            Assert.Empty(AccountPlans.Differences(_f.AccountCallsMade(), members.ToDictionary(uin => uin, uin => AccountPlans.AsAssumedRole(MinimumCalls.Audit(fleet.Account(uin))))));
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

    /// <summary>The members' block together, on a fleet of its own (it changes the groups the other tests read).</summary>
    public class GeneratedAccountsBlockTests : IClassFixture<GeneratedAccountsFleetFixture>
    {
        private readonly GeneratedAccountsFleetFixture _f;

        public GeneratedAccountsBlockTests(GeneratedAccountsFleetFixture fixture) => _f = fixture;

        [Fact]
        public void TheMembersBlockTogetherMakesExactlyEachMembersMinimumAndWritesEachGroupOnce()
        {
            FleetState before = FleetState.Parse(_f.Server.GetStateJson());
            List<long> members = _f.ConnectMembers();
            PsResult result = _f.Session.Run("$exposed = [System.Collections.Generic.List[string]]::new()\n" +
                "$ctx | Get-TcInstance -Region * | Test-TcPort53 | Where-Object Exposed | ForEach-Object { $exposed.Add($_.InstanceId); $_ } | Block-TcPort53 -Force\n" +
                "$exposed");
            result.AssertNoErrors();
            var exposed = new HashSet<string>(result.Output.Select(o => (string)o.BaseObject));
            Dictionary<long, CallPlan> plans = members.ToDictionary(uin => uin,
                uin => AccountPlans.AsAssumedRole(MinimumCalls.Block(before.Account(uin), before.Account(uin).Instances.Select(i => i.InstanceId).Where(exposed.Contains))));
            Assert.All(plans.Values, plan => Assert.NotEmpty(plan.WriteTargets));
            Assert.Empty(AccountPlans.Differences(_f.AccountCallsMade(), plans));
            FleetState after = FleetState.Parse(_f.Server.GetStateJson());
            foreach (long uin in members) Assert.Empty(FleetChecks.Port53RuleSetProblems(before.Account(uin), after.Account(uin), plans[uin].WriteTargets));
        }
    }
}
