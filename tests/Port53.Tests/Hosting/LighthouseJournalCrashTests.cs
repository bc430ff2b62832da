using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using Port53.Analysis;
using Port53.Benchmarks.Fleet;
using Port53.Emulator.Faults;
using Port53.Emulator.Hosting;
using Xunit;
using Xunit.Abstractions;

namespace Port53.Tests.Hosting
{
    /// <summary>
    /// The write-ahead journal for Lighthouse firewalls, at process level: Block-TcPort53 over 240 Lighthouse
    /// instances in Port53.Shell, killed while its ModifyFirewallRules calls are in flight, then run to the end with
    /// the same journal. Every firewall that then holds Port53 rules must have one record of the change that added them.
    /// </summary>
    public sealed class LighthouseJournalCrashTests : CrashRuns
    {
        public LighthouseJournalCrashTests(ITestOutputHelper output) : base(output) { }

        // Firewall calls are paced at 10 a second per region: the instances are spread over eight regions for the writes to start soon.
        protected override string Spec => "instances=10,regions=8,groups=8,exposed=0.5,lighthouse=240,seed=17";

        protected override string Script =>
            "Get-TcLighthouseInstance -Region * | Block-TcPort53 -Force -JournalPath '" + Journal + "' -WarningAction SilentlyContinue\n";

        protected override string WriteAction => "ModifyFirewallRules";

        [Fact]
        public void Killed_at_random_moments_and_run_again_every_firewall_with_Port53_rules_has_the_record_of_its_change()
        {
            int kills = KillThenFinish(3, 17, 400);
            // Nothing is left open (every intent has an outcome of its run, or a later run's reconciliation):
            (Dictionary<string, JObject> intents, List<JObject> outcomes) = ReadClosedJournal(Journal);
            Assert.Contains(outcomes, o => (bool)o["Reconciled"]);

            int checkedFirewalls = 0;
            foreach (FleetLighthouseInstance instance in FleetState.Parse(Server.GetStateJson()).LighthouseInstances)
            {
                JObject change = AssertChangeOnRecord("Firewall", instance.InstanceId, instance.FirewallRuleSet.Select(Firewalls.ToPolicy).ToList(),
                    RuleListKind.Firewall, outcomes, intents);
                if (change != null) checkedFirewalls++;
            }
            Assert.True(checkedFirewalls > 50, "only " + checkedFirewalls + " firewalls were changed");
            Output.WriteLine("{0} kills; {1} intents, {2} reconciled by a later run; {3} firewalls hold Port53 rules, each on record",
                kills, intents.Count, outcomes.Count(o => (bool)o["Reconciled"]), checkedFirewalls);
        }
    }
}
