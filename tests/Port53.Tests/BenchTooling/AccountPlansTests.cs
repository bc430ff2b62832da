using System.Collections.Generic;
using System.Linq;
using Port53.Benchmarks.Fleet;
using Xunit;

namespace Port53.Tests.BenchTooling
{
    /// <summary>The multi-account fleet run's counting: each account's minimum from its own fleet, calls judged per account.</summary>
    public class AccountPlansTests
    {
        private const long Management = 100000000001, Web = 100000000002, Shop = 100000000003;

        // The management account (top level) and two members of the same shape: in each member, ap-guangzhou holds two
        // instances sharing one group, ap-shanghai one instance with a group of its own. So each member's audit needs
        // DescribeRegions 1, DescribeInstances 2 (a page per region) and DescribeSecurityGroupPolicies 2 (one per region).
        private static string Member(long uin, string suffix) => @"{
              ""Uin"": " + uin + @", ""Name"": ""member-" + suffix + @""",
              ""Regions"": [ { ""Region"": ""ap-guangzhou"" }, { ""Region"": ""ap-shanghai"" } ],
              ""Instances"": [
                { ""Region"": ""ap-guangzhou"", ""InstanceId"": ""ins-gz1" + suffix + @""", ""SecurityGroupIds"": [ ""sg-gz" + suffix + @""" ] },
                { ""Region"": ""ap-guangzhou"", ""InstanceId"": ""ins-gz2" + suffix + @""", ""SecurityGroupIds"": [ ""sg-gz" + suffix + @""" ] },
                { ""Region"": ""ap-shanghai"", ""InstanceId"": ""ins-sh1" + suffix + @""", ""SecurityGroupIds"": [ ""sg-sh" + suffix + @""" ] } ],
              ""SecurityGroups"": [
                { ""Region"": ""ap-guangzhou"", ""SecurityGroupId"": ""sg-gz" + suffix + @""", ""SecurityGroupPolicySet"": { ""Ingress"": [ { ""Protocol"": ""UDP"", ""Port"": ""53"", ""CidrBlock"": ""0.0.0.0/0"", ""Action"": ""ACCEPT"" } ] } },
                { ""Region"": ""ap-shanghai"", ""SecurityGroupId"": ""sg-sh" + suffix + @""", ""SecurityGroupPolicySet"": { ""Ingress"": [] } } ] }";

        private static readonly FleetState Fleet = FleetState.Parse(@"{
              ""Uin"": " + Management + @",
              ""Regions"": [ { ""Region"": ""ap-guangzhou"" } ],
              ""Instances"": [ { ""Region"": ""ap-guangzhou"", ""InstanceId"": ""ins-mgmt0001"", ""SecurityGroupIds"": [] } ],
              ""Accounts"": [ " + Member(Web, "w") + ", " + Member(Shop, "s") + " ] }");

        /// <summary>Each member's audit as a context of its assumed role makes it.</summary>
        private static Dictionary<long, CallPlan> Audits() => new[] { Web, Shop }.ToDictionary(uin => uin, uin => AccountPlans.AsAssumedRole(MinimumCalls.Audit(Fleet.Account(uin))));

        /// <summary>One member's audit at its minimum, call by call, as the request log names them.</summary>
        private static IEnumerable<(long?, string)> AuditCalls(long? account) => new[]
        {
            (account, "DescribeRegions"), (account, "DescribeInstances"), (account, "DescribeInstances"),
            (account, "DescribeSecurityGroupPolicies"), (account, "DescribeSecurityGroupPolicies"),
        };

        [Fact]
        public void TheStateReaderKeepsEachAccountsResourcesApart()
        {
            Assert.Equal(new[] { "ins-mgmt0001" }, Fleet.Account(Management).Instances.Select(i => i.InstanceId));
            Assert.Equal(new[] { "ins-gz1w", "ins-gz2w", "ins-sh1w" }, Fleet.Account(Web).Instances.Select(i => i.InstanceId));
            Assert.Equal(new[] { "ins-gz1s", "ins-gz2s", "ins-sh1s" }, Fleet.Account(Shop).Instances.Select(i => i.InstanceId));
            Assert.NotNull(Fleet.Account(Shop).Group(new FleetGroupKey("ap-shanghai", "sg-shs")));
            Assert.Null(Fleet.Account(Web).Group(new FleetGroupKey("ap-shanghai", "sg-shs")));
            Assert.Null(Fleet.Account(100000000009));
        }

        [Fact]
        public void EachMembersMinimumComesFromItsOwnFleetWithoutAskingWhoItIs()
        {
            Assert.Equal(new Dictionary<string, int> { ["DescribeRegions"] = 1, ["DescribeInstances"] = 2, ["DescribeSecurityGroupPolicies"] = 2 },
                Audits()[Web].Calls.ToDictionary(kv => kv.Key, kv => kv.Value));
            Assert.Equal(Audits()[Web].Total + 1, MinimumCalls.Audit(Fleet.Account(Web)).Total);
            Assert.Equal(MinimumCalls.Audit(Fleet.Account(Web)).FloorSeconds(action => 1, 0.03), Audits()[Web].FloorSeconds(action => 1, 0.03), 6);
        }

        [Fact]
        public void AccountsTogetherNeedTheSumOfTheirCallsButOnlyTheSlowestAccountsTime()
        {
            CallPlan one = Audits()[Web];
            CallPlan both = AccountPlans.Combine(Audits());
            Assert.Equal(new Dictionary<string, int> { ["DescribeRegions"] = 2, ["DescribeInstances"] = 4, ["DescribeSecurityGroupPolicies"] = 4 },
                both.Calls.ToDictionary(kv => kv.Key, kv => kv.Value));
            // At one call per second, each account's ap-guangzhou takes a second for its page and a second for its group:
            // on a budget shared by both accounts it would take two.
            Assert.Equal(one.FloorSeconds(action => 1, 0.03), both.FloorSeconds(action => 1, 0.03), 6);
            Assert.Equal(1.0 + 3 * 0.03, both.FloorSeconds(action => 1, 0.03), 6);
            Assert.Equal(one.ChainDepth, both.ChainDepth);
            Assert.StartsWith(Web + "/", both.RateBound(action => 1).AccessRegion);
        }

        [Fact]
        public void EveryAccountAtItsMinimumMakesNoDifference()
        {
            Assert.Empty(AccountPlans.Differences(AuditCalls(Web).Concat(AuditCalls(Shop)), Audits()));
        }

        [Fact]
        public void ACallTooManyOrTooFewIsNamedWithItsAccount()
        {
            IEnumerable<(long?, string)> calls = AuditCalls(Web).Skip(1)
                .Concat(AuditCalls(Shop)).Append((Shop, "DescribeSecurityGroupPolicies"));
            Assert.Equal(new[] { Web + " DescribeRegions 0 vs 1", Shop + " DescribeSecurityGroupPolicies 3 vs 2" }, AccountPlans.Differences(calls, Audits()));
        }

        [Fact]
        public void ACallMadeInTheWrongAccountIsFoundThoughTheTotalsAreRight()
        {
            // A group read sent with the other account's keys: the same calls per action in all, wrong in both accounts.
            IEnumerable<(long?, string)> calls = AuditCalls(Web).Take(4).Concat(AuditCalls(Shop)).Append((Shop, "DescribeSecurityGroupPolicies"));
            Assert.Equal(AuditCalls(Web).Concat(AuditCalls(Shop)).Count(), calls.Count());
            Assert.Equal(new[] { Web + " DescribeSecurityGroupPolicies 1 vs 2", Shop + " DescribeSecurityGroupPolicies 3 vs 2" }, AccountPlans.Differences(calls, Audits()));
        }

        [Fact]
        public void CallsOfAnAccountWithoutAPlanOrOfNoKnownAccountAreOverTheMinimum()
        {
            IEnumerable<(long?, string)> calls = AuditCalls(Web).Concat(AuditCalls(Shop))
                .Append((Management, "DescribeRegions")).Append((null, "DescribeInstances"));
            Assert.Equal(new[] { "(no account) DescribeInstances 1 vs 0", Management + " DescribeRegions 1 vs 0" }, AccountPlans.Differences(calls, Audits()));
        }
    }
}
