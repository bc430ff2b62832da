using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using Port53.Emulator.Faults;
using Port53.Emulator.Hosting;
using Xunit;
using Xunit.Abstractions;

namespace Port53.Tests.Hosting
{
    /// <summary>
    /// The write-ahead journal at process level: Block-TcPort53 over a few hundred instances in Port53.Shell,
    /// killed (SIGKILL) at random moments while its writes are in flight, then run to the end with the same journal.
    /// Every group that then holds Port53 rules must have a record of the change that added them.
    /// </summary>
    public sealed class JournalCrashTests : CrashRuns
    {
        public JournalCrashTests(ITestOutputHelper output) : base(output) { }

        protected override string Spec => "instances=400,regions=2,groups=300,exposed=0.9,seed=53";

        protected override string Script =>
            "Get-TcInstance -Region * | Block-TcPort53 -Force -JournalPath '" + Journal + "' -WarningAction SilentlyContinue\n";

        protected override string WriteAction => "CreateSecurityGroupPolicies";

        [Fact]
        public void Killed_at_random_moments_and_run_again_every_group_with_Port53_rules_has_the_record_of_its_change()
        {
            int kills = KillThenFinish(4, 53, 600);
            // Nothing is left open (every intent has an outcome of its run, or a later run's reconciliation):
            (Dictionary<string, JObject> intents, List<JObject> outcomes) = ReadClosedJournal(Journal);
            Assert.Contains(outcomes, o => (bool)o["Reconciled"]);

            var state = Server.GetState();
            int checkedGroups = 0;
            foreach (var group in state.SecurityGroups)
                if (AssertChangeOnRecord(group, outcomes, intents) != null) checkedGroups++;
            Assert.True(checkedGroups > 100, "only " + checkedGroups + " groups were changed");
            Output.WriteLine("{0} kills; {1} intents, {2} reconciled by a later run, {3} torn lines; {4} groups hold Port53 rules, each on record",
                kills, intents.Count, outcomes.Count(o => (bool)o["Reconciled"]), File.ReadAllLines(Journal).Length - intents.Count - outcomes.Count, checkedGroups);
        }
    }
}
