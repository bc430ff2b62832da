using System;
using System.Collections.Generic;
using System.Linq;
using Port53.Benchmarks.Fleet;
using Xunit;

namespace Port53.Tests.BenchTooling
{
    /// <summary>The fleet benchmark's minimum-calls calculator on a fleet small enough to count by hand.</summary>
    public class MinimumCallsTests
    {
        // ap-guangzhou: 4 instances; sg-web shared by i1 and i2 (and i3), sg-svcgrp names a service template group,
        // sg-egress uses an address template group only in Egress, sg-unbound (an address template) is bound by no one.
        // ap-shanghai: available, no instances. ap-beijing: unavailable, so `-Region *` never looks at it.
        private const string Fleet = @"{
          ""Regions"": [
            { ""Region"": ""ap-guangzhou"", ""RegionState"": ""AVAILABLE"" },
            { ""Region"": ""ap-shanghai"", ""RegionState"": ""AVAILABLE"" },
            { ""Region"": ""ap-beijing"", ""RegionState"": ""UNAVAILABLE"" } ],
          ""Instances"": [
            { ""Region"": ""ap-guangzhou"", ""InstanceId"": ""ins-00000001"", ""SecurityGroupIds"": [ ""sg-svcgrp1"", ""sg-web0001"" ] },
            { ""Region"": ""ap-guangzhou"", ""InstanceId"": ""ins-00000002"", ""SecurityGroupIds"": [ ""sg-web0001"" ] },
            { ""Region"": ""ap-guangzhou"", ""InstanceId"": ""ins-00000003"", ""SecurityGroupIds"": [ ""sg-web0001"", ""sg-egress1"" ] },
            { ""Region"": ""ap-guangzhou"", ""InstanceId"": ""ins-00000004"", ""SecurityGroupIds"": [] },
            { ""Region"": ""ap-beijing"", ""InstanceId"": ""ins-00000005"", ""SecurityGroupIds"": [ ""sg-bjaddr1"" ] } ],
          ""SecurityGroups"": [
            { ""Region"": ""ap-guangzhou"", ""SecurityGroupId"": ""sg-web0001"", ""SecurityGroupPolicySet"": { ""Version"": ""1"",
                ""Ingress"": [ { ""Protocol"": ""ALL"", ""Port"": ""ALL"", ""CidrBlock"": ""0.0.0.0/0"", ""Action"": ""ACCEPT"" } ] } },
            { ""Region"": ""ap-guangzhou"", ""SecurityGroupId"": ""sg-svcgrp1"", ""SecurityGroupPolicySet"": { ""Version"": ""1"",
                ""Ingress"": [ { ""ServiceTemplate"": { ""ServiceId"": """", ""ServiceGroupId"": ""ppmg-dns00001"" }, ""CidrBlock"": ""0.0.0.0/0"", ""Action"": ""ACCEPT"" } ] } },
            { ""Region"": ""ap-guangzhou"", ""SecurityGroupId"": ""sg-egress1"", ""SecurityGroupPolicySet"": { ""Version"": ""1"",
                ""Ingress"": [ { ""Protocol"": ""UDP"", ""Port"": ""53"", ""CidrBlock"": ""10.0.0.0/8"", ""Action"": ""ACCEPT"" } ],
                ""Egress"": [ { ""Protocol"": ""ALL"", ""Port"": ""ALL"", ""AddressTemplate"": { ""AddressGroupId"": ""ipmg-any00001"" }, ""Action"": ""ACCEPT"" } ] } },
            { ""Region"": ""ap-guangzhou"", ""SecurityGroupId"": ""sg-unbound1"", ""SecurityGroupPolicySet"": { ""Version"": ""1"",
                ""Ingress"": [ { ""Protocol"": ""UDP"", ""Port"": ""53"", ""AddressTemplate"": { ""AddressId"": ""ipm-any00001"" }, ""Action"": ""ACCEPT"" } ] } },
            { ""Region"": ""ap-beijing"", ""SecurityGroupId"": ""sg-bjaddr1"", ""SecurityGroupPolicySet"": { ""Version"": ""1"",
                ""Ingress"": [ { ""Protocol"": ""UDP"", ""Port"": ""53"", ""AddressTemplate"": { ""AddressId"": ""ipm-bj000001"" }, ""Action"": ""ACCEPT"" } ] } } ],
          ""ServiceTemplates"": [ { ""Region"": ""ap-guangzhou"" }, { ""Region"": ""ap-guangzhou"" } ],
          ""ServiceTemplateGroups"": [ { ""Region"": ""ap-guangzhou"" } ],
          ""AddressTemplates"": [ { ""Region"": ""ap-guangzhou"" }, { ""Region"": ""ap-beijing"" } ],
          ""AddressTemplateGroups"": [ { ""Region"": ""ap-guangzhou"" } ],
        }";

        private static readonly FleetState State = FleetState.Parse(Fleet);

        private static Dictionary<string, int> Calls(CallPlan plan) => plan.Calls.ToDictionary(kv => kv.Key, kv => kv.Value);

        [Fact]
        public void InventoryReadsTheRegionsOnceAndEveryAvailableRegionAtLeastOnce()
        {
            CallPlan plan = MinimumCalls.Inventory(State);
            Assert.Equal(new Dictionary<string, int> { ["sts.GetCallerIdentity"] = 1, ["DescribeRegions"] = 1, ["DescribeInstances"] = 2 }, Calls(plan));
            Assert.Equal(2, plan.ChainDepth);
        }

        [Fact]
        public void AuditReadsEachBoundGroupOnceAndOnlyTheTemplatesInboundRulesName()
        {
            CallPlan plan = MinimumCalls.Audit(State);
            Assert.Equal(new Dictionary<string, int>
            {
                ["sts.GetCallerIdentity"] = 1,
                ["DescribeRegions"] = 1,
                ["DescribeInstances"] = 2,
                // sg-web0001 (three instances), sg-svcgrp1, sg-egress1; not the unbound group, not the unavailable region.
                ["DescribeSecurityGroupPolicies"] = 3,
                // The service template group, and its members' list; the address templates are named only in Egress or by unbound groups.
                ["DescribeServiceTemplateGroups"] = 1,
                ["DescribeServiceTemplates"] = 1,
            }, Calls(plan));
            Assert.Equal(4, plan.ChainDepth);
        }

        [Fact]
        public void AnAuditWithoutTemplatesIsOneRoundTripShorter()
        {
            var state = FleetState.Parse(Fleet);
            state.SecurityGroups.RemoveAll(g => g.SecurityGroupId == "sg-svcgrp1");
            state.Instances[0].SecurityGroupIds.Remove("sg-svcgrp1");
            CallPlan plan = MinimumCalls.Audit(state);
            Assert.Equal(0, plan["DescribeServiceTemplates"]);
            Assert.Equal(2, plan["DescribeSecurityGroupPolicies"]);
            Assert.Equal(3, plan.ChainDepth);
        }

        [Fact]
        public void BlockWritesTheDecidingGroupOfEachExposedInstanceOnceAtTheVersionTheAuditRead()
        {
            CallPlan plan = MinimumCalls.Block(State, new[] { "ins-00000001", "ins-00000002", "ins-00000003" });
            // ins-00000001 → sg-svcgrp1, whose template rule (not in the catalog, so uncertain) is reached before
            // sg-web0001's ALL/ALL ACCEPT; ins-00000002 and ins-00000003 share sg-web0001: two groups written.
            Assert.Equal(new[] { new FleetGroupKey("ap-guangzhou", "sg-svcgrp1"), new FleetGroupKey("ap-guangzhou", "sg-web0001") }, plan.WriteTargets);
            // The audit's reads only: each group is written at the Version the audit read, and not read back.
            Assert.Equal(3, plan["DescribeSecurityGroupPolicies"]);
            Assert.Equal(2, plan["CreateSecurityGroupPolicies"]);
            Assert.Equal(2, plan["DescribeInstances"]);
            Assert.Equal(1, plan["DescribeServiceTemplateGroups"]);
            // The audit's chain (regions, pages, rules, templates), then the write.
            Assert.Equal(4 + 1, plan.ChainDepth);
        }

        [Fact]
        public void BlockOfNothingExposedIsTheAudit()
        {
            CallPlan block = MinimumCalls.Block(State, new string[0]);
            Assert.Equal(Calls(MinimumCalls.Audit(State)), Calls(block));
            Assert.Empty(block.WriteTargets);
            Assert.Equal(4, block.ChainDepth);
        }

        [Fact]
        public void AnExposedInstanceTheFleetDoesNotHaveIsAnError()
        {
            Assert.Throws<ArgumentException>(() => MinimumCalls.Block(State, new[] { "ins-nothere1" }));
        }

        [Theory]
        [InlineData(0, 1)]
        [InlineData(1, 1)]
        [InlineData(100, 1)]
        [InlineData(101, 2)]
        [InlineData(250, 3)]
        public void PagesAreOfAHundredAndAnEmptyListStillTakesOneCall(int items, int calls) => Assert.Equal(calls, MinimumCalls.Pages(items));

        [Fact]
        public void ARegionWithManyInstancesOrTemplatesNeedsMorePages()
        {
            var state = FleetState.Parse(Fleet);
            for (int i = 0; i < 150; i++)
                state.Instances.Add(new FleetInstance { Region = "ap-shanghai", InstanceId = "ins-sh" + i.ToString("d6"), SecurityGroupIds = new List<string>() });
            for (int i = 0; i < 150; i++) state.ServiceTemplates.Add(new FleetTemplate { Region = "ap-guangzhou" });
            CallPlan plan = MinimumCalls.Audit(state);
            Assert.Equal(1 + 2, plan["DescribeInstances"]);
            Assert.Equal(2, plan["DescribeServiceTemplates"]);
        }

        private static int Limit(string action) => action == "DescribeInstances" ? 40 : action == "DescribeRegions" ? 20 : 100;

        [Fact]
        public void TheFloorIsTheSlowestActionAtItsLimitPlusTheDependentRoundTrips()
        {
            var plan = new CallPlan(new Dictionary<string, int> { ["DescribeInstances"] = 100, ["DescribeSecurityGroupPolicies"] = 150, ["DescribeRegions"] = 1 }, 3);
            RateBound bound = plan.RateBound(Limit);
            Assert.Equal(("DescribeInstances", "default", 100, 40, 2.5), (bound.Action, bound.AccessRegion, bound.Calls, bound.Limit, bound.Seconds));
            Assert.Equal(2.5 + 3 * 0.03, plan.FloorSeconds(Limit, 0.03), 9);
            Assert.Equal(251, plan.Total);
        }

        [Fact]
        public void EachAccessRegionHasItsOwnBudgetUnderAnyAccountCeiling()
        {
            // Tencent counts limits per action and access region: 300 rules reads in each of two regions take 3 s, not 6.
            var plan = new CallPlan(new Dictionary<string, IDictionary<string, int>>
            {
                ["DescribeSecurityGroupPolicies"] = new Dictionary<string, int> { ["ap-guangzhou"] = 300, ["ap-shanghai"] = 300 },
                ["DescribeInstances"] = new Dictionary<string, int> { ["ap-guangzhou"] = 20, ["ap-shanghai"] = 60 },
            }, 3);
            Assert.Equal(600, plan["DescribeSecurityGroupPolicies"]);
            RateBound bound = plan.RateBound(Limit);
            Assert.Equal(("DescribeSecurityGroupPolicies", 300, 100, 3.0), (bound.Action, bound.Calls, bound.Limit, bound.Seconds));
            // An account-wide ceiling of 150 per action makes the 600 reads take 4 s, wherever they go.
            bound = plan.RateBound(Limit, accountCeiling: 150);
            Assert.Equal(("DescribeSecurityGroupPolicies", (string)null, 600, 150, 4.0), (bound.Action, bound.AccessRegion, bound.Calls, bound.Limit, bound.Seconds));
            Assert.Equal(4.0 + 3 * 0.03, plan.FloorSeconds(Limit, 0.03, 150), 9);
        }

        [Fact]
        public void TheAuditsRulesReadsAreCountedInTheRegionOfTheirGroup()
        {
            CallPlan audit = MinimumCalls.Audit(State);
            foreach (IGrouping<string, FleetGroupKey> region in MinimumCalls.BoundGroups(State).GroupBy(k => k.Region, StringComparer.OrdinalIgnoreCase))
                Assert.Equal(region.Count(), audit.ByAccessRegion["DescribeSecurityGroupPolicies"][region.Key]);
            Assert.Equal(1, audit.ByAccessRegion["DescribeRegions"][CallPlan.DefaultAccessRegion]);
        }

        [Fact]
        public void RulesAreReadInPolicyIndexOrder()
        {
            FleetState state = FleetState.Parse(@"{ ""SecurityGroups"": [ { ""Region"": ""r"", ""SecurityGroupId"": ""sg-1"", ""SecurityGroupPolicySet"": {
                ""Ingress"": [ { ""PolicyIndex"": 1, ""Port"": ""b"" }, { ""PolicyIndex"": 0, ""Port"": ""a"" } ] } } ] }");
            Assert.Equal(new[] { "a", "b" }, state.SecurityGroups[0].SecurityGroupPolicySet.Ingress.Select(r => r.Port));
            Assert.Empty(state.SecurityGroups[0].SecurityGroupPolicySet.Egress);
            Assert.Empty(state.Instances);
        }
    }
}
