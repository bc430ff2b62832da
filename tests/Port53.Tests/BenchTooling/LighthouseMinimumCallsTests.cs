using System.Collections.Generic;
using System.Linq;
using Port53.Api;
using Port53.Api.Models;
using Port53.Benchmarks.Fleet;
using Xunit;

namespace Port53.Tests.BenchTooling
{
    /// <summary>The fleet benchmark's Lighthouse minimum calls, floor and firewall checks on a fleet small enough to count by hand.</summary>
    public class LighthouseMinimumCallsTests
    {
        // ap-guangzhou: a resolver open to the world (the AdGuard Home case), one closed by DROPs above its ACCEPT ALL, one
        // whose DROP sits below an ACCEPT ALL (open), one that admits port 53 from the office only.
        // ap-shanghai: available, no Lighthouse instance. ap-beijing: unavailable, so `-Region *` never lists its instance.
        private const string Fleet = @"{
          ""Regions"": [
            { ""Region"": ""ap-guangzhou"", ""RegionState"": ""AVAILABLE"" },
            { ""Region"": ""ap-shanghai"", ""RegionState"": ""AVAILABLE"" },
            { ""Region"": ""ap-beijing"", ""RegionState"": ""UNAVAILABLE"" } ],
          ""LighthouseInstances"": [
            { ""Region"": ""ap-guangzhou"", ""InstanceId"": ""lhins-open0001"", ""FirewallVersion"": 3, ""FirewallRuleSet"": [
                { ""Protocol"": ""TCP"", ""Port"": ""22"", ""CidrBlock"": ""0.0.0.0/0"", ""Action"": ""ACCEPT"" },
                { ""Protocol"": ""UDP"", ""Port"": ""53"", ""CidrBlock"": ""0.0.0.0/0"", ""Action"": ""ACCEPT"", ""FirewallRuleDescription"": ""adguard"" },
                { ""Protocol"": ""TCP"", ""Port"": ""53"", ""CidrBlock"": ""0.0.0.0/0"", ""Action"": ""ACCEPT"", ""FirewallRuleDescription"": ""adguard"" } ] },
            { ""Region"": ""ap-guangzhou"", ""InstanceId"": ""lhins-closed01"", ""FirewallVersion"": 1, ""FirewallRuleSet"": [
                { ""Protocol"": ""UDP"", ""Port"": ""53"", ""CidrBlock"": ""0.0.0.0/0"", ""Action"": ""DROP"" },
                { ""Protocol"": ""TCP"", ""Port"": ""53"", ""CidrBlock"": ""0.0.0.0/0"", ""Action"": ""DROP"" },
                { ""Protocol"": ""ALL"", ""Port"": ""ALL"", ""CidrBlock"": ""0.0.0.0/0"", ""Action"": ""ACCEPT"" } ] },
            { ""Region"": ""ap-guangzhou"", ""InstanceId"": ""lhins-below001"", ""FirewallVersion"": 2, ""FirewallRuleSet"": [
                { ""Protocol"": ""ALL"", ""Port"": ""ALL"", ""CidrBlock"": ""0.0.0.0/0"", ""Action"": ""ACCEPT"" },
                { ""Protocol"": ""UDP"", ""Port"": ""53"", ""CidrBlock"": ""0.0.0.0/0"", ""Action"": ""DROP"" } ] },
            { ""Region"": ""ap-guangzhou"", ""InstanceId"": ""lhins-office01"", ""FirewallVersion"": 1, ""FirewallRuleSet"": [
                { ""Protocol"": ""UDP"", ""Port"": ""53"", ""CidrBlock"": ""10.0.0.0/8"", ""Action"": ""ACCEPT"" } ] },
            { ""Region"": ""ap-beijing"", ""InstanceId"": ""lhins-beijing1"", ""FirewallRuleSet"": [
                { ""Protocol"": ""UDP"", ""Port"": ""53"", ""CidrBlock"": ""0.0.0.0/0"", ""Action"": ""ACCEPT"" } ] } ]
        }";

        private static FleetState State() => FleetState.Parse(Fleet);

        private static Dictionary<string, int> Calls(CallPlan plan) => plan.Calls.ToDictionary(kv => kv.Key, kv => kv.Value);

        private static FirewallRuleInfo Rule(string protocol, string port, string action, string description = null) =>
            new FirewallRuleInfo { Protocol = protocol, Port = port, CidrBlock = "0.0.0.0/0", Action = action, FirewallRuleDescription = description };

        [Fact]
        public void InventoryReadsLighthousesOwnRegionListOnceAndEveryAvailableRegionAtLeastOnce()
        {
            FleetState state = State();
            // 150 more in Guangzhou: two pages of 100.
            for (int n = 0; n < 150; n++) state.LighthouseInstances.Add(new FleetLighthouseInstance { Region = "ap-guangzhou", InstanceId = "lhins-x" + n.ToString("D7") });
            CallPlan plan = MinimumCalls.LighthouseInventory(state);
            Assert.Equal(new Dictionary<string, int> { ["sts.GetCallerIdentity"] = 1, ["lighthouse.DescribeRegions"] = 1, ["lighthouse.DescribeInstances"] = 3 }, Calls(plan));
            Assert.Equal(2, plan.ByAccessRegion["lighthouse.DescribeInstances"]["ap-guangzhou"]);
            Assert.Equal(1, plan.ByAccessRegion["lighthouse.DescribeInstances"]["ap-shanghai"]);
            Assert.Equal(2, plan.ChainDepth);
        }

        [Fact]
        public void AuditReadsTheFirewallOfEachListedInstanceOnce()
        {
            CallPlan plan = MinimumCalls.LighthouseAudit(State());
            Assert.Equal(new Dictionary<string, int>
            {
                ["sts.GetCallerIdentity"] = 1,
                ["lighthouse.DescribeRegions"] = 1,
                ["lighthouse.DescribeInstances"] = 2,
                // The four in Guangzhou; not the one in the unavailable region.
                ["lighthouse.DescribeFirewallRules"] = 4,
            }, Calls(plan));
            Assert.Equal(3, plan.ChainDepth);
        }

        [Fact]
        public void TheAuditsFloorIsTheBusiestRegionsFirewallReadsAtTenPerSecond()
        {
            FleetState state = State();
            // 36 more in Guangzhou (40 firewalls there), 25 in Shanghai: Guangzhou's reads bound the floor, not the total.
            for (int n = 0; n < 36; n++) state.LighthouseInstances.Add(new FleetLighthouseInstance { Region = "ap-guangzhou", InstanceId = "lhins-g" + n.ToString("D7") });
            for (int n = 0; n < 25; n++) state.LighthouseInstances.Add(new FleetLighthouseInstance { Region = "ap-shanghai", InstanceId = "lhins-s" + n.ToString("D7") });
            CallPlan plan = MinimumCalls.LighthouseAudit(state);
            RateBound bound = plan.RateBound(TencentRateLimits.For);
            Assert.Equal("lighthouse.DescribeFirewallRules", bound.Action);
            Assert.Equal("ap-guangzhou", bound.AccessRegion);
            Assert.Equal(40, bound.Calls);
            Assert.Equal(10, bound.Limit);
            Assert.Equal(4.0 + 3 * 0.03, plan.FloorSeconds(TencentRateLimits.For, 0.03), 6);
        }

        [Fact]
        public void ExposedAreTheFirewallsThatLetPort53InFromTheInternet()
        {
            Assert.Equal(new[] { "lhins-open0001", "lhins-below001", "lhins-beijing1" }, BlockPlanning.ExposedLighthouse(State()));
        }

        [Fact]
        public void BlockWritesEachExposedFirewallOnceWithModifyFirewallRules()
        {
            FleetState state = State();
            CallPlan plan = MinimumCalls.LighthouseBlock(state, new[] { "lhins-open0001", "lhins-below001" });
            Assert.Equal(2, plan["lighthouse.ModifyFirewallRules"]);
            Assert.Equal(0, plan["lighthouse.CreateFirewallRules"]);
            Assert.Equal(4, plan["lighthouse.DescribeFirewallRules"]);
            Assert.Equal(new[] { "ap-guangzhou/lhins-below001", "ap-guangzhou/lhins-open0001" }, plan.WriteTargets.Select(k => k.ToString()));
            Assert.Equal(4, plan.ChainDepth);
        }

        [Fact]
        public void AFirewallThatWouldPassTheQuotaIsNotWritten()
        {
            // 99 user rules and port 53 open at the bottom: the two DROPs would make 101, so Block reports it and writes nothing.
            FleetState state = State();
            var full = new FleetLighthouseInstance { Region = "ap-guangzhou", InstanceId = "lhins-full0001" };
            for (int port = 1000; port < 1098; port++) full.FirewallRuleSet.Add(Rule("TCP", port.ToString(), "ACCEPT"));
            full.FirewallRuleSet.Add(Rule("ALL", "ALL", "ACCEPT"));
            state.LighthouseInstances.Add(full);
            Assert.Contains("lhins-full0001", BlockPlanning.ExposedLighthouse(state));
            CallPlan plan = MinimumCalls.LighthouseBlock(state, new[] { "lhins-full0001", "lhins-open0001" });
            Assert.Equal(new[] { "ap-guangzhou/lhins-open0001" }, plan.WriteTargets.Select(k => k.ToString()));
        }

        [Fact]
        public void AnIdThatIsNoLighthouseInstanceOfTheFleetIsAnError()
        {
            Assert.Throws<System.ArgumentException>(() => MinimumCalls.LighthouseBlock(State(), new[] { "ins-00000001" }));
        }

        [Fact]
        public void AWrittenFirewallMustHoldExactlyOneSetAndNoOtherFirewallMayChange()
        {
            FleetState initial = State(), final = State();
            string marker = FleetChecks.Port53Marker + " (added 2026-12-03)";
            FleetLighthouseInstance open = final.LighthouseInstances.Single(i => i.InstanceId == "lhins-open0001");
            open.FirewallRuleSet.InsertRange(0, new[] { Rule("UDP", "53", "DROP", marker), Rule("TCP", "53", "DROP", marker) });
            var targets = new[] { open.Key };
            Assert.Empty(FleetChecks.FirewallRuleSetProblems(initial, final, targets));

            // Written twice for UDP/IPv4.
            open.FirewallRuleSet.Insert(0, Rule("UDP", "53", "DROP", marker));
            Assert.Contains(FleetChecks.FirewallRuleSetProblems(initial, final, targets), p => p.Contains("2 Port53 rules for UDP/IPv4"));
            open.FirewallRuleSet.RemoveAt(0);

            // A firewall Block was not meant to write got Port53 rules.
            final.LighthouseInstances.Single(i => i.InstanceId == "lhins-office01").FirewallRuleSet.Insert(0, Rule("UDP", "53", "DROP", marker));
            Assert.Contains(FleetChecks.FirewallRuleSetProblems(initial, final, targets), p => p.StartsWith("ap-guangzhou/lhins-office01: Port53 rules changed in a firewall"));

            // A target that got nothing.
            Assert.Contains(FleetChecks.FirewallRuleSetProblems(initial, initial, targets), p => p == "ap-guangzhou/lhins-open0001: no Port53 rule");
        }
    }
}
