using System;
using System.Collections.Generic;
using System.Linq;
using Port53.Benchmarks.Fleet;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.BenchTooling
{
    /// <summary>A generated fleet with Lighthouse instances (every kind the generator makes, in three regions).</summary>
    public class GeneratedLighthouseFleetFixture : GeneratedFleetFixture
    {
        protected override string Spec => "instances=20,regions=3,groups=6,exposed=0.3,lighthouse=60,seed=4";
    }

    /// <summary>The fleet benchmark's Lighthouse phases, small: the real cmdlets make exactly the calls the calculator says.</summary>
    public class GeneratedLighthouseFleetTests : IClassFixture<GeneratedLighthouseFleetFixture>
    {
        private readonly GeneratedLighthouseFleetFixture _f;

        public GeneratedLighthouseFleetTests(GeneratedLighthouseFleetFixture fixture) => _f = fixture;

        [Fact]
        public void TheLighthouseAuditMakesExactlyItsMinimumAndFindsWhatTheRulesExpose()
        {
            FleetState fleet = FleetState.Parse(_f.Server.GetStateJson());
            Assert.Equal(60, fleet.LighthouseInstances.Count);
            _f.Connect();
            PsResult result = _f.Session.Run("Get-TcLighthouseInstance -Region * | Test-TcPort53 | Where-Object Exposed | ForEach-Object InstanceId");
            result.AssertNoErrors();
            Assert.Equal(BlockPlanning.ExposedLighthouse(fleet).OrderBy(id => id, StringComparer.Ordinal),
                result.Output.Select(o => (string)o.BaseObject).OrderBy(id => id, StringComparer.Ordinal));
            Assert.Equal(MinimumCalls.LighthouseAudit(fleet).Calls.ToDictionary(kv => kv.Key, kv => kv.Value), _f.CallsMade());
        }

        [Fact]
        public void TheLighthouseBlockMakesExactlyItsMinimumAndLeavesOneSetPerWrittenFirewall()
        {
            FleetState fleet = FleetState.Parse(_f.Server.GetStateJson());
            _f.Connect();
            PsResult result = _f.Session.Run("$exposed = [System.Collections.Generic.List[string]]::new()\n" +
                "Get-TcLighthouseInstance -Region * | Test-TcPort53 | Where-Object Exposed | ForEach-Object { $exposed.Add($_.InstanceId); $_ } | Block-TcPort53 -Force | Out-Null\n" +
                "$exposed");
            result.AssertNoErrors();
            string[] exposed = result.Output.Select(o => (string)o.BaseObject).ToArray();
            CallPlan plan = MinimumCalls.LighthouseBlock(fleet, exposed);
            Assert.NotEmpty(plan.WriteTargets);
            Assert.Equal(plan.Calls.ToDictionary(kv => kv.Key, kv => kv.Value), _f.CallsMade());
            Assert.Empty(FleetChecks.FirewallRuleSetProblems(fleet, FleetState.Parse(_f.Server.GetStateJson()), plan.WriteTargets));
        }
    }
}
