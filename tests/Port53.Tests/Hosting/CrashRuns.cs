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
using Port53.Model;
using Port53.Emulator.Faults;
using Port53.Emulator.Hosting;
using Port53.LocalEmulator;
using Xunit;
using Xunit.Abstractions;

namespace Port53.Tests.Hosting
{
    /// <summary>
    /// What the process-level journal tests share: an emulator with a generated fleet whose every reply takes 20–80 ms
    /// (so that at any moment writes are on the wire) and no rate limits, and a Block script run in Port53.Shell
    /// against it, killed while its writes are in flight.
    /// </summary>
    public abstract class CrashRuns : IAsyncLifetime
    {
        protected CrashRuns(ITestOutputHelper output) => Output = output;

        protected ITestOutputHelper Output { get; }
        protected EmulatorServer Server { get; private set; }
        protected string Home { get; } = Path.Combine(Path.GetTempPath(), "port53-crash-" + Guid.NewGuid().ToString("N"));
        protected string Journal => Path.Combine(Home, "changes.jsonl");

        /// <summary>The generator spec of the fleet.</summary>
        protected abstract string Spec { get; }
        /// <summary>The script each run runs (writing to <see cref="Journal"/>).</summary>
        protected abstract string Script { get; }
        /// <summary>The write call whose first sight starts the countdown to a kill.</summary>
        protected abstract string WriteAction { get; }

        public async Task InitializeAsync()
        {
            Directory.CreateDirectory(Home);
            Server = await EmulatorServer.StartAsync(new EmulatorOptions
            {
                Generate = Spec,
                Faults = new FaultSettings { RateLimitEnabled = false, LatencyMinMs = 20, LatencyMaxMs = 80 },
            });
        }

        public async Task DisposeAsync()
        {
            await Server.DisposeAsync();
            Directory.Delete(Home, true);
        }

        protected int Writes => Server.Requests.Count(r => r.Action == WriteAction);

        protected Process StartBlock() => Start(Home, Script, Server);

        /// <summary>Runs killed while writing (see <see cref="KillWhileWriting(Func{Process}, Func{int}, int, Random, int)"/>), then one run to the end.</summary>
        protected int KillThenFinish(int rounds, int seed, int withinMs)
        {
            int kills = KillWhileWriting(StartBlock, () => Writes, rounds, new Random(seed), withinMs);
            RunToTheEnd(StartBlock);
            return kills;
        }

        /// <summary>
        /// Starts <paramref name="script"/> in Port53.Shell with the emulator's first account's keys in the environment
        /// (a home of its own, so no profile of the machine is read).
        /// </summary>
        private static Process Start(string home, string script, EmulatorServer server)
        {
            string file = Path.Combine(home, "block.ps1");
            File.WriteAllText(file, script);
            Assert.True(File.Exists(ShellTests.ShellDll), ShellTests.ShellDll + " is missing: build the solution first");
            var start = new ProcessStartInfo(DotnetHost.Find()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(ShellTests.ShellDll);
            start.ArgumentList.Add("-File");
            start.ArgumentList.Add(file);
            start.Environment["HOME"] = home;
            start.Environment["DOTNET_CLI_HOME"] = home;
            start.Environment["TENCENTCLOUD_SECRET_ID"] = server.SecretId;
            start.Environment["TENCENTCLOUD_SECRET_KEY"] = server.SecretKey;
            // Routed by region through the emulator, as calls to Tencent are: each region's endpoint has budgets of its own.
            start.Environment["TENCENTCLOUD_ENDPOINT"] = "regional+" + server.BaseUrl.ToString().TrimEnd('/');
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

        /// <summary>
        /// Up to <paramref name="rounds"/> runs, each killed (SIGKILL) at a random moment within <paramref name="withinMs"/>
        /// once its writes have started; returns how many were killed (a run that ended first ends the rounds).
        /// </summary>
        private static int KillWhileWriting(Func<Process> start, Func<int> writes, int rounds, Random random, int withinMs)
        {
            int kills = 0;
            for (int round = 0; round < rounds; round++)
            {
                int before = writes();
                using Process p = start();
                var clock = Stopwatch.StartNew();
                while (writes() == before && !p.HasExited && clock.Elapsed < TimeSpan.FromSeconds(30)) Thread.Sleep(5);
                Thread.Sleep(random.Next(0, withinMs));
                if (p.HasExited) break;
                p.Kill();
                p.WaitForExit();
                kills++;
            }
            Assert.True(kills > 0, "every run ended before it could be killed: the fleet is too small to test a crash");
            return kills;
        }

        /// <summary>Runs the script to its end; it must succeed.</summary>
        private static void RunToTheEnd(Func<Process> start)
        {
            using Process last = start();
            Assert.True(last.WaitForExit(60_000), "the last run did not finish");
            Assert.Equal(0, last.ExitCode);
        }

        /// <summary>
        /// Asserts that the group's Port53 rules (if it has any) are one set, and that exactly one Changed outcome in the
        /// journal added these very rules, with its intent on record; returns that outcome, or null for a group without them.
        /// </summary>
        protected static JObject AssertChangeOnRecord(Port53.Emulator.Model.SecurityGroup group, List<JObject> outcomes, IDictionary<string, JObject> intents) =>
            AssertChangeOnRecord("SecurityGroupId", group.SecurityGroupId, group.SecurityGroupPolicySet.Ingress
                .Select(p => new SecurityGroupPolicy { Protocol = p.Protocol, Port = p.Port, CidrBlock = p.CidrBlock, Ipv6CidrBlock = p.Ipv6CidrBlock, Action = p.Action, PolicyDescription = p.PolicyDescription })
                .ToList(), RuleListKind.SecurityGroup, outcomes, intents);

        /// <summary>The same for a rule list of either kind, the target named by <paramref name="field"/> (SecurityGroupId, Firewall) in the records.</summary>
        private protected static JObject AssertChangeOnRecord(string field, string target, List<SecurityGroupPolicy> rules, RuleListKind kind,
            List<JObject> outcomes, IDictionary<string, JObject> intents)
        {
            List<SecurityGroupPolicy> ours = rules.Where(p => Port53Rules.IsPort53Rule(p, kind)).ToList();
            if (ours.Count == 0) return null;
            // One set: each protocol and family once.
            var keys = ours.Select(p => { Port53Rules.TryGetKey(p, out ExposureKey k, kind); return k; }).ToList();
            Assert.Equal(keys.Count, keys.Distinct().Count());
            JObject change = Assert.Single(outcomes, o => (string)o[field] == target && (string)o["Status"] == "Changed");
            Assert.Equal(ours.Count, change["RulesAdded"].Count());
            if (kind == RuleListKind.SecurityGroup)
                Assert.Equal(ours.Select(TcPort53Verdict.Describe).OrderBy(t => t), change["RulesAdded"].Select(t => (string)t["Text"]).OrderBy(t => t));
            Assert.True(intents.ContainsKey((string)change["Id"]), "a Changed outcome without its intent: " + change);
            return change;
        }

        /// <summary>
        /// The journal, read as a user would (torn lines, a kill mid-append, are not records), checked that nothing is left
        /// open: every intent has an outcome of its run or a later run's reconciliation.
        /// </summary>
        protected static (Dictionary<string, JObject> Intents, List<JObject> Outcomes) ReadClosedJournal(string journal)
        {
            var records = new List<JObject>();
            foreach (string line in File.ReadAllLines(journal))
            {
                try { records.Add(JObject.Parse(line)); }
                catch (Newtonsoft.Json.JsonException) { }
            }
            var intents = records.Where(r => (string)r["Record"] == "Intent").ToDictionary(r => (string)r["Id"]);
            var outcomes = records.Where(r => (string)r["Record"] == "Outcome").ToList();
            Assert.All(intents.Keys, id => Assert.Contains(outcomes, o => (string)o["Id"] == id));
            return (intents, outcomes);
        }
    }
}
