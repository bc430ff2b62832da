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
    public sealed class LighthouseJournalCrashTests : IAsyncLifetime
    {
        private readonly ITestOutputHelper _output;
        private readonly string _home = Path.Combine(Path.GetTempPath(), "port53-crash-lighthouse-" + Guid.NewGuid().ToString("N"));
        private EmulatorServer _server;

        public LighthouseJournalCrashTests(ITestOutputHelper output) => _output = output;

        public async Task InitializeAsync()
        {
            Directory.CreateDirectory(_home);
            _server = await EmulatorServer.StartAsync(new EmulatorOptions
            {
                Generate = "instances=10,regions=8,groups=8,exposed=0.5,lighthouse=240,seed=17",
                // Each reply takes a while, so that at any moment writes are on the wire. Firewall calls are paced at 10 a
                // second per region, so the instances are spread over eight regions for the writes to start soon.
                Faults = new FaultSettings { RateLimitEnabled = false, LatencyMinMs = 20, LatencyMaxMs = 80 },
            });
        }

        public async Task DisposeAsync()
        {
            await _server.DisposeAsync();
            Directory.Delete(_home, true);
        }

        private string Journal => Path.Combine(_home, "changes.jsonl");

        private Process StartBlock() => CrashRuns.Start(_home,
            "Get-TcLighthouseInstance -Region * | Block-TcPort53 -Force -JournalPath '" + Journal + "' -WarningAction SilentlyContinue\n", _server);

        private int Writes => _server.Requests.Count(r => r.Action == "ModifyFirewallRules");

        [Fact]
        public void Killed_at_random_moments_and_run_again_every_firewall_with_Port53_rules_has_the_record_of_its_change()
        {
            int kills = CrashRuns.KillWhileWriting(StartBlock, () => Writes, 3, new Random(17), 400);
            CrashRuns.RunToTheEnd(StartBlock);
            // Nothing is left open (every intent has an outcome of its run, or a later run's reconciliation):
            (Dictionary<string, JObject> intents, List<JObject> outcomes) = CrashRuns.ReadClosedJournal(Journal);
            Assert.Contains(outcomes, o => (bool)o["Reconciled"]);

            int checkedFirewalls = 0;
            foreach (FleetLighthouseInstance instance in FleetState.Parse(_server.GetStateJson()).LighthouseInstances)
            {
                JObject change = CrashRuns.AssertChangeOnRecord("Firewall", instance.InstanceId, instance.FirewallRuleSet.Select(Firewalls.ToPolicy).ToList(),
                    RuleListKind.Firewall, outcomes, intents);
                if (change != null) checkedFirewalls++;
            }
            Assert.True(checkedFirewalls > 50, "only " + checkedFirewalls + " firewalls were changed");
            _output.WriteLine("{0} kills; {1} intents, {2} reconciled by a later run; {3} firewalls hold Port53 rules, each on record",
                kills, intents.Count, outcomes.Count(o => (bool)o["Reconciled"]), checkedFirewalls);
        }
    }
}
