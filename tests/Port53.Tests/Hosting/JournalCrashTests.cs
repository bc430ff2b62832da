using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using Port53.Analysis;
using Port53.Api.Models;
using Port53.LocalEmulator;
using Port53.Model;
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
    public sealed class JournalCrashTests : IAsyncLifetime
    {
        private readonly ITestOutputHelper _output;
        private readonly string _home = Path.Combine(Path.GetTempPath(), "port53-crash-" + Guid.NewGuid().ToString("N"));
        private EmulatorServer _server;

        public JournalCrashTests(ITestOutputHelper output) => _output = output;

        public async Task InitializeAsync()
        {
            Directory.CreateDirectory(_home);
            var options = new EmulatorOptions
            {
                Generate = "instances=400,regions=2,groups=300,exposed=0.9,seed=53",
                // Each reply takes a while, so that at any moment many writes are on the wire.
                Faults = new FaultSettings { RateLimitEnabled = false, LatencyMinMs = 20, LatencyMaxMs = 80 },
            };
            _server = await EmulatorServer.StartAsync(options);
        }

        public async Task DisposeAsync()
        {
            await _server.DisposeAsync();
            Directory.Delete(_home, true);
        }

        private string Journal => Path.Combine(_home, "changes.jsonl");

        private Process StartBlock()
        {
            string script = Path.Combine(_home, "block.ps1");
            File.WriteAllText(script, "Get-TcInstance -Region * | Block-TcPort53 -Force -JournalPath '" + Journal + "' -WarningAction SilentlyContinue\n");
            Assert.True(File.Exists(ShellTests.ShellDll), ShellTests.ShellDll + " is missing: build the solution first");
            var start = new ProcessStartInfo(DotnetHost.Find())
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(ShellTests.ShellDll);
            start.ArgumentList.Add("-File");
            start.ArgumentList.Add(script);
            start.Environment["HOME"] = _home;
            start.Environment["DOTNET_CLI_HOME"] = _home;
            start.Environment["TENCENTCLOUD_SECRET_ID"] = _server.SecretId;
            start.Environment["TENCENTCLOUD_SECRET_KEY"] = _server.SecretKey;
            start.Environment["TENCENTCLOUD_ENDPOINT"] = _server.BaseUrl.ToString().TrimEnd('/');
            start.Environment["TENCENTCLOUD_REGION"] = "ap-guangzhou";
            start.Environment.Remove("TENCENTCLOUD_SESSION_TOKEN");
            start.Environment.Remove("TENCENTCLOUD_CREDENTIALS_FILE");
            Process p = Process.Start(start);
            p.OutputDataReceived += (_, _) => { };
            p.ErrorDataReceived += (_, _) => { };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            return p;
        }

        private int Writes => _server.Requests.Count(r => r.Action == "CreateSecurityGroupPolicies");

        [Fact]
        public void Killed_at_random_moments_and_run_again_every_group_with_Port53_rules_has_the_record_of_its_change()
        {
            var random = new Random(53);
            int kills = 0;
            for (int round = 0; round < 4; round++)
            {
                int writesBefore = Writes;
                using Process p = StartBlock();
                // Once this run's writes have started, a random moment within the next ~0.6 s.
                var clock = Stopwatch.StartNew();
                while (Writes == writesBefore && !p.HasExited && clock.Elapsed < TimeSpan.FromSeconds(30)) Thread.Sleep(5);
                Thread.Sleep(random.Next(0, 600));
                if (p.HasExited) break;
                p.Kill();
                p.WaitForExit();
                kills++;
            }
            Assert.True(kills > 0, "every run ended before it could be killed: the fleet is too small to test a crash");

            using (Process last = StartBlock())
            {
                Assert.True(last.WaitForExit(60_000), "the last run did not finish");
                Assert.Equal(0, last.ExitCode);
            }

            // The journal, read as a user would: torn lines (a kill mid-append) are not records.
            var records = new List<JObject>();
            foreach (string line in File.ReadAllLines(Journal))
            {
                try { records.Add(JObject.Parse(line)); }
                catch (Newtonsoft.Json.JsonException) { }
            }
            var intents = records.Where(r => (string)r["Record"] == "Intent").ToDictionary(r => (string)r["Id"]);
            var outcomes = records.Where(r => (string)r["Record"] == "Outcome").ToList();
            // Nothing is left open: every intent has an outcome of its run, or a later run's reconciliation.
            Assert.All(intents.Keys, id => Assert.Contains(outcomes, o => (string)o["Id"] == id));
            Assert.Contains(outcomes, o => (bool)o["Reconciled"]);

            var state = _server.GetState();
            int checkedGroups = 0;
            foreach (var group in state.SecurityGroups)
            {
                List<SecurityGroupPolicy> ours = group.SecurityGroupPolicySet.Ingress
                    .Select(p => new SecurityGroupPolicy { Protocol = p.Protocol, Port = p.Port, CidrBlock = p.CidrBlock, Ipv6CidrBlock = p.Ipv6CidrBlock, Action = p.Action, PolicyDescription = p.PolicyDescription })
                    .Where(Port53Rules.IsPort53Rule).ToList();
                if (ours.Count == 0) continue;
                checkedGroups++;
                // One set: each protocol and family once.
                var keys = ours.Select(p => { Port53Rules.TryGetKey(p, out ExposureKey k); return k; }).ToList();
                Assert.Equal(keys.Count, keys.Distinct().Count());
                // The change that added them is on record, with these very rules.
                List<JObject> changes = outcomes.Where(o => (string)o["SecurityGroupId"] == group.SecurityGroupId && (string)o["Status"] == "Changed").ToList();
                JObject change = Assert.Single(changes);
                Assert.Equal(ours.Select(TcPort53Verdict.Describe).OrderBy(t => t), change["RulesAdded"].Select(t => (string)t["Text"]).OrderBy(t => t));
                Assert.True(intents.ContainsKey((string)change["Id"]), "a Changed outcome without its intent: " + change);
            }
            Assert.True(checkedGroups > 100, "only " + checkedGroups + " groups were changed");
            _output.WriteLine("{0} kills; {1} intents, {2} reconciled by a later run, {3} torn lines; {4} groups hold Port53 rules, each on record",
                kills, intents.Count, outcomes.Count(o => (bool)o["Reconciled"]), File.ReadAllLines(Journal).Length - records.Count, checkedGroups);
        }
    }
}
