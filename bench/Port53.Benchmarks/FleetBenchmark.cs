using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading;
using Port53.Api;
using Port53.Benchmarks.Fleet;
using Port53.Model;

namespace Port53.Benchmarks
{
    /// <summary>`fleet`: the pipelines a user runs, at fleet scale, against the emulator with Tencent's rate limits (bench/README.md).</summary>
    internal static class FleetBenchmark
    {
        /// <summary>Wall time may exceed the floor by a quarter (bench/README.md, "Targets").</summary>
        public const double WallTarget = 1.25;
        /// <summary>With faults the same work may take at most twice as long.</summary>
        public const double FaultWallTarget = 2.0;

        /// <summary>
        /// `--collateral-only`: the generated fleet's exposure and what Block's planner would write and stop under each
        /// placement, without running any phase (no module, one state read from the emulator): cheap at any size.
        /// </summary>
        private static int Collateral(FleetOptions options)
        {
            FleetState fleet;
            using (ChildEmulator emulator = ChildEmulator.Start(ChildEmulator.Locate(options.Emulator), new[] { "--generate", options.Spec, "--latency", "0" }))
                fleet = emulator.State();
            List<string> exposed = BlockPlanning.Exposed(fleet);
            Console.WriteLine("fleet " + options.Spec + ": " + fleet.Instances.Count + " instances, " + exposed.Count + " exposed by the rules");
            foreach (TcPort53Placement placement in new[] { TcPort53Placement.Top, TcPort53Placement.AboveDecidingRule })
            {
                BlockPlanning.Result r = BlockPlanning.Plan(fleet, exposed, placement);
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "-Placement {0}: {1} groups written ({2} whole-list), {3} warnings, {4} private-source DNS rules stopped",
                    placement, r.Writes.Count, r.Writes.Count(w => w.Value), r.Warnings, r.RulesStopped));
            }
            return 0;
        }

        public static int Run(string[] args)
        {
            FleetOptions options;
            try
            {
                options = FleetOptions.Parse(args);
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine("fleet: " + ex.Message);
                return 2;
            }
            if (options.MemoryScaling) return MemoryScaling.Run(options);
            if (options.CollateralOnly) return Collateral(options);

            string manifest = Path.GetFullPath(options.Module ?? Paths.DefaultModuleManifest());
            string emulator;
            try
            {
                if (!File.Exists(manifest)) throw new FileNotFoundException("Module manifest not found: " + manifest + ". Build first: dotnet build Port53Cmdlets.sln -c Release");
                emulator = ChildEmulator.Locate(options.Emulator);
            }
            catch (FileNotFoundException ex)
            {
                Console.Error.WriteLine("fleet: " + ex.Message);
                return 2;
            }

            Console.WriteLine("Port53 fleet benchmark: " + options.Spec + ", latency " + options.LatencyMs + " ms, Tencent's rate limits on (per action, access region and SecretId" +
                (options.AccountRateLimit > 0 ? "; account-wide " + options.AccountRateLimit + " per s per action" : "") + "); " +
                Environment.ProcessorCount + " logical cores; module " + manifest);
            var checks = new List<Check>();
            try
            {
                FleetRun baseline = new FleetRun(options, manifest, emulator, withFaults: false, collectDigests: options.Faults);
                baseline.Execute();
                checks.AddRange(baseline.Checks);
                if (options.Faults)
                {
                    FleetRun faulty = new FleetRun(options, manifest, emulator, withFaults: true, collectDigests: true);
                    faulty.Execute();
                    faulty.CompareWith(baseline);
                    checks.AddRange(faulty.Checks);
                    faulty.Write(options.OutputPath(faults: true));
                    baseline.Write(Path.Combine(Path.GetDirectoryName(options.OutputPath(faults: true)), FleetOptions.DefaultFileName(options.Instances, faults: false)));
                }
                else
                {
                    baseline.Write(options.OutputPath(faults: false));
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is RuntimeException || ex is System.Net.Http.HttpRequestException || ex is IOException)
            {
                // The emulator did not start, the module did not import or connect, the control API failed: nothing to measure.
                Console.Error.WriteLine("fleet: " + ex.Message);
                return 1;
            }
            Console.WriteLine();
            Console.WriteLine("Summary:");
            foreach (Check c in checks) Console.WriteLine("  " + c);
            return checks.Any(c => c.Outcome == Check.Fail) ? 1 : 0;
        }
    }

    internal sealed class FleetOptions
    {
        public int Instances { get; set; } = 10000;
        public int Regions { get; set; } = 20;
        public int Groups { get; set; } = 2000;
        public double Exposed { get; set; } = 0.3;
        public int LatencyMs { get; set; } = 30;
        public int Seed { get; set; } = 1;
        /// <summary>--account-rate-limit n: the emulator's account-wide ceiling per action across access regions; 0 for none (Tencent publishes none).</summary>
        public int AccountRateLimit { get; set; }
        public bool Faults { get; set; }
        /// <summary>--concurrent-editor p of the fault run.</summary>
        public double EditorRate { get; set; } = 0.2;
        public bool MemoryScaling { get; set; }
        /// <summary>Also sample the live managed heap: a full blocking GC every <see cref="LiveHeapSampler.IntervalMs"/> ms (slows the run; memory scaling uses it in runs of its own).</summary>
        public bool LiveHeap { get; set; }
        /// <summary>Run the audit phase as <see cref="FleetPhase.CollectingAuditScript"/>: what not streaming costs, for comparison.</summary>
        public bool Collecting { get; set; }
        /// <summary>Only plan Block on the generated fleet and report what each placement writes and stops (no phase runs).</summary>
        public bool CollateralOnly { get; set; }
        /// <summary>Memory scaling: fresh processes per phase and size.</summary>
        public int Runs { get; set; } = 2;
        /// <summary>Which phases to run (the others are left out, not skipped): memory scaling runs one per process.</summary>
        public List<string> Phases { get; set; } = FleetPhase.Names.ToList();
        [JsonIgnore] public string Out { get; set; }
        [JsonIgnore] public string Module { get; set; }
        [JsonIgnore] public string Emulator { get; set; }

        public string Spec => string.Format(CultureInfo.InvariantCulture, "instances={0},regions={1},groups={2},exposed={3},seed={4}",
            Instances, Regions, Groups, Exposed, Seed);

        public static string DefaultFileName(int instances, bool faults) =>
            "fleet-" + instances.ToString(CultureInfo.InvariantCulture) + "-" + (faults ? "faults" : "nofaults") + ".json";

        public string OutputPath(bool faults) =>
            Path.GetFullPath(Out ?? Path.Combine(Paths.RepoRoot(), "bench", "results", DefaultFileName(Instances, faults)));

        public static FleetOptions Parse(string[] args)
        {
            var o = new FleetOptions();
            for (int i = 0; i < args.Length; i++)
            {
                string a = args[i];
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException(a + " needs a value.");
                int Int(int min) => int.TryParse(Value(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n) && n >= min
                    ? n : throw new ArgumentException(a + " takes an integer >= " + min + ".");
                double Rate() => double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d >= 0 && d <= 1
                    ? d : throw new ArgumentException(a + " takes a number between 0 and 1.");
                switch (a)
                {
                    case "--instances": o.Instances = Int(0); break;
                    case "--regions": o.Regions = Int(1); break;
                    case "--groups": o.Groups = Int(0); break;
                    case "--exposed": o.Exposed = Rate(); break;
                    case "--latency": o.LatencyMs = Int(0); break;
                    case "--seed": o.Seed = Int(int.MinValue); break;
                    case "--account-rate-limit": o.AccountRateLimit = Int(1); break;
                    case "--faults": o.Faults = true; break;
                    case "--concurrent-editor": o.EditorRate = Rate(); break;
                    case "--memory-scaling": o.MemoryScaling = true; break;
                    case "--runs": o.Runs = Int(1); break;
                    case "--live-heap": o.LiveHeap = true; break;
                    case "--collecting": o.Collecting = true; break;
                    case "--collateral-only": o.CollateralOnly = true; break;
                    case "--phases":
                        o.Phases = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
                        string unknown = o.Phases.FirstOrDefault(p => !FleetPhase.Names.Contains(p));
                        if (unknown != null) throw new ArgumentException("unknown phase " + unknown + " (" + string.Join(", ", FleetPhase.Names) + ").");
                        break;
                    case "--out": o.Out = Value(); break;
                    case "--module": o.Module = Value(); break;
                    case "--emulator": o.Emulator = Value(); break;
                    default: throw new ArgumentException("unknown option " + a);
                }
            }
            if (o.Faults && o.MemoryScaling) throw new ArgumentException("--faults and --memory-scaling are separate runs.");
            return o;
        }
    }

    /// <summary>The four pipelines, in order, and the cmdlets (and parameters) each needs.</summary>
    internal sealed class FleetPhase
    {
        public const string Inventory = "inventory", Audit = "audit", Block = "block", ReAudit = "reaudit";
        public static readonly string[] Names = { Inventory, Audit, Block, ReAudit };

        private const string AuditScript = "Get-TcInstance -Region * | Test-TcPort53";
        /// <summary>--collecting: the audit as a pipeline that does not stream would run it, every instance held before the first test.</summary>
        public const string CollectingAuditScript = "$all = @(Get-TcInstance -Region *); $all | Test-TcPort53";

        public static readonly FleetPhase[] All =
        {
            new FleetPhase(Inventory, "Get-TcInstance -Region *"),
            new FleetPhase(Audit, AuditScript, ("Test-TcPort53", new string[0])),
            new FleetPhase(Block, AuditScript + " | Where-Object Exposed | Block-TcPort53 -Force", ("Test-TcPort53", new string[0]), ("Block-TcPort53", new[] { "Force" })),
            new FleetPhase(ReAudit, AuditScript, ("Test-TcPort53", new string[0]), ("Block-TcPort53", new[] { "Force" })),
        };

        private FleetPhase(string name, string script, params (string Cmdlet, string[] Parameters)[] needs)
        {
            Name = name;
            Script = script;
            Needs = needs;
        }

        public string Name { get; }
        public string Script { get; }
        /// <summary>Besides Get-TcInstance, which every build has. The re-audit needs Block-TcPort53 to have run first.</summary>
        public (string Cmdlet, string[] Parameters)[] Needs { get; }
    }

    /// <summary>One emulator, the phases against it, and what they measured.</summary>
    internal sealed class FleetRun
    {
        private readonly FleetOptions _options;
        private readonly string _manifest;
        private readonly string _emulatorDll;
        private readonly bool _collectDigests;
        private readonly List<PhaseReport> _phases = new List<PhaseReport>();
        private readonly HashSet<string> _exposed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private Dictionary<string, string> _digests;
        private FleetState _initial, _final;
        private List<CollateralReport> _collateral;
        private List<FleetEdit> _edits;
        private IReadOnlyList<FleetGroupKey> _writeTargets;
        private string _emulatorCommand;

        public FleetRun(FleetOptions options, string manifest, string emulatorDll, bool withFaults, bool collectDigests)
        {
            _options = options;
            _manifest = manifest;
            _emulatorDll = emulatorDll;
            WithFaults = withFaults;
            _collectDigests = collectDigests;
        }

        public bool WithFaults { get; }
        public List<Check> Checks { get; } = new List<Check>();
        private string Label => WithFaults ? "faults" : "no faults";
        private double TotalWall => _phases.Where(p => p.Skipped == null).Sum(p => p.WallSeconds);

        private List<string> EmulatorArguments()
        {
            var args = new List<string> { "--generate", _options.Spec, "--latency", _options.LatencyMs.ToString(CultureInfo.InvariantCulture) };
            if (_options.AccountRateLimit > 0) args.AddRange(new[] { "--account-rate-limit", _options.AccountRateLimit.ToString(CultureInfo.InvariantCulture) });
            if (WithFaults)
            {
                args.AddRange(new[]
                {
                    "--fault-rate-limit", "0.3", "--fault-internal-error", "0.05", "--fault-reset", "0.02",
                    "--concurrent-editor", _options.EditorRate.ToString(CultureInfo.InvariantCulture),
                    "--seed", _options.Seed.ToString(CultureInfo.InvariantCulture),
                });
            }
            return args;
        }

        public void Execute()
        {
            Console.WriteLine();
            Console.WriteLine("=== " + (WithFaults ? "with faults" : "without faults"));
            using (ChildEmulator emulator = ChildEmulator.Start(_emulatorDll, EmulatorArguments()))
            {
                _emulatorCommand = emulator.CommandLine;
                Console.WriteLine("emulator: " + _emulatorCommand + " -> " + emulator.BaseUrl);
                var (missing, firstRegion) = Probe(emulator);
                foreach (FleetPhase phase in FleetPhase.All.Where(p => _options.Phases.Contains(p.Name)))
                {
                    if (phase.Name == FleetPhase.Block) LoadInitialState(emulator);
                    PhaseReport report = missing.TryGetValue(phase.Name, out string why)
                        ? PhaseReport.Skip(phase, why)
                        : RunPhase(phase, emulator, firstRegion);
                    _phases.Add(report);
                    if (phase.Name == FleetPhase.Block && report.Skipped == null)
                    {
                        _final = emulator.State();
                        _edits = emulator.ConcurrentEdits();
                    }
                }
                LoadInitialState(emulator);
                if (_final == null && _phases.Any(p => p.Name == FleetPhase.ReAudit && p.Skipped == null)) _final = emulator.State();
            }
            Account();
            foreach (PhaseReport p in _phases) Print(p);
            PrintCollateral();
            Judge();
        }

        /// <summary>
        /// The private-source DNS rules Block's DROPs stop on this fleet, and the warnings that name them, for the least
        /// change (what the block phase did) and for Tencent's literal placement (-Placement Top), by Block's own planner.
        /// </summary>
        private void PrintCollateral()
        {
            if (_initial == null || _exposed == null || _exposed.Count == 0) return;
            _collateral = new[] { TcPort53Placement.Top, TcPort53Placement.AboveDecidingRule }.Select(placement =>
            {
                BlockPlanning.Result r = BlockPlanning.Plan(_initial, _exposed, placement);
                return new CollateralReport { Placement = placement.ToString(), GroupsWritten = r.Writes.Count, WholeListWrites = r.Writes.Count(w => w.Value), Warnings = r.Warnings, RulesStopped = r.RulesStopped };
            }).ToList();
            Console.WriteLine();
            foreach (CollateralReport c in _collateral)
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "collateral, -Placement {0}: {1} groups written ({2} whole-list), {3} warnings, {4} private-source DNS rules stopped",
                    c.Placement, c.GroupsWritten, c.WholeListWrites, c.Warnings, c.RulesStopped));
        }

        /// <summary>Phases 0 and 1 only read, so the fleet they ran against is the one read after them; reading it later keeps its ~10 MB out of their working set.</summary>
        private void LoadInitialState(ChildEmulator emulator)
        {
            if (_initial == null) _initial = emulator.State();
        }

        /// <summary>Which phases this build cannot run (phase → the missing cmdlet), and the fleet's first region for Connect-TcAccount.</summary>
        private (Dictionary<string, string> Missing, string FirstRegion) Probe(ChildEmulator emulator)
        {
            var missing = new Dictionary<string, string>(StringComparer.Ordinal);
            using (var session = new HostedSession(_manifest))
            {
                session.Connect(emulator.BaseUrl, emulator.SecretId, emulator.SecretKey, null);
                string firstRegion = session.FirstRegion();
                foreach (FleetPhase phase in FleetPhase.All)
                {
                    foreach (var (cmdlet, parameters) in phase.Needs)
                    {
                        if (session.Has(cmdlet, parameters)) continue;
                        missing[phase.Name] = session.Has(cmdlet) ? cmdlet + " -" + string.Join(" -", parameters) : cmdlet;
                        break;
                    }
                }
                return (missing, firstRegion);
            }
        }

        private PhaseReport RunPhase(FleetPhase phase, ChildEmulator emulator, string firstRegion)
        {
            string script = _options.Collecting && phase.Name == FleetPhase.Audit ? FleetPhase.CollectingAuditScript : phase.Script;
            Console.WriteLine("running " + phase.Name + ": " + script);
            Action<PSObject> sink = null;
            int exposed = 0;
            bool isAudit = phase.Name == FleetPhase.Audit || phase.Name == FleetPhase.ReAudit;
            if (isAudit)
            {
                if (phase.Name == FleetPhase.Audit && _collectDigests) _digests = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                sink = o =>
                {
                    bool isExposed = LanguagePrimitives.IsTrue(o.Properties["Exposed"]?.Value);
                    if (isExposed) exposed++;
                    if (phase.Name != FleetPhase.Audit) return;
                    string id = ResultDigest.InstanceIdOf(o);
                    if (isExposed && id != null) _exposed.Add(id);
                    if (_digests != null && id != null) _digests[id] = ResultDigest.Hash(o);
                };
            }
            using (var session = new HostedSession(_manifest))
            {
                session.Connect(emulator.BaseUrl, emulator.SecretId, emulator.SecretKey, firstRegion);
                emulator.ClearRequests();
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
                var report = new PhaseReport { Name = phase.Name, Command = script, WorkingSetBeforeMB = Mb(Environment.WorkingSet) };
                StreamCounts counts;
                long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                int[] collectionsBefore = Collections();
                TimeSpan cpuBefore = ProcessorTime(), emulatorCpuBefore = emulator.ProcessorTime;
                var clock = Stopwatch.StartNew();
                using (var sampler = new WorkingSetSampler())
                using (LiveHeapSampler live = _options.LiveHeap ? new LiveHeapSampler() : null)
                {
                    counts = session.Run(script, sink);
                    report.WallSeconds = clock.Elapsed.TotalSeconds;
                    report.CpuSeconds = Math.Round((ProcessorTime() - cpuBefore).TotalSeconds, 2);
                    report.EmulatorCpuSeconds = Math.Round((emulator.ProcessorTime - emulatorCpuBefore).TotalSeconds, 2);
                    report.PeakWorkingSetMB = Mb(sampler.Peak);
                    if (live != null)
                    {
                        report.PeakLiveHeapMB = Mb(live.Peak);
                        report.LiveHeapSamples = live.Samples;
                    }
                }
                int[] collectionsAfter = Collections();
                report.AllocatedMB = Mb(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore);
                report.Collections = collectionsAfter.Select((n, g) => n - collectionsBefore[g]).ToArray();
                using (Process self = Process.GetCurrentProcess()) report.ProcessPeakWorkingSetMB = Mb(self.PeakWorkingSet64);
                report.LoadAverage = LoadAverage();
                report.Requests = emulator.Requests();
                report.OutputObjects = counts.Output;
                report.Exposed = isAudit ? exposed : (int?)null;
                report.Errors = counts.Errors;
                report.Warnings = counts.Warnings;
                report.FirstErrors = counts.FirstErrors;
                report.FirstWarnings = counts.FirstWarnings;
                report.Terminating = counts.Terminating;
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "  done in {0:F2} s, {1} objects", report.WallSeconds, report.OutputObjects));
                return report;
            }
        }

        private static string LoadAverage() =>
            File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : null;

        private static TimeSpan ProcessorTime()
        {
            using (Process self = Process.GetCurrentProcess()) return self.TotalProcessorTime;
        }

        private static int[] Collections() => new[] { GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2) };

        /// <summary>Minimum calls and floors, once the fleet is known.</summary>
        private void Account()
        {
            double latency = _options.LatencyMs / 1000.0;
            foreach (PhaseReport p in _phases.Where(p => p.Skipped == null))
            {
                CallPlan plan;
                switch (p.Name)
                {
                    case FleetPhase.Inventory: plan = MinimumCalls.Inventory(_initial); break;
                    case FleetPhase.Audit: plan = MinimumCalls.Audit(_initial); break;
                    case FleetPhase.Block:
                        plan = MinimumCalls.Block(_initial, _exposed);
                        _writeTargets = plan.WriteTargets;
                        break;
                    default: plan = MinimumCalls.Audit(_final); break;
                }
                p.Account(plan, TencentRateLimits.For, latency, _options.AccountRateLimit);
            }
        }

        private void Judge()
        {
            string suffix = WithFaults ? " (faults)" : "";
            foreach (PhaseReport p in _phases)
            {
                if (p.Skipped != null)
                {
                    Checks.Add(Check.Skipped(p.Name + suffix, p.Skipped));
                    continue;
                }
                if (p.Terminating != null) Checks.Add(Check.Of(p.Name + suffix + ": no terminating error", false, p.Terminating));
                if (WithFaults) continue;
                List<string> off = p.Calls.Where(kv => kv.Value.Actual != kv.Value.Minimum)
                    .Select(kv => kv.Key + " " + kv.Value.Actual + " vs " + kv.Value.Minimum).ToList();
                Checks.Add(Check.Of(p.Name + ": calls == minimum", off.Count == 0,
                    off.Count == 0 ? p.Calls.Values.Sum(c => c.Actual) + " calls" : string.Join(", ", off)));
                Checks.Add(Check.Of(p.Name + ": wall <= " + Num(FleetBenchmark.WallTarget) + " x floor", p.Ratio <= FleetBenchmark.WallTarget,
                    string.Format(CultureInfo.InvariantCulture, "{0:F2} s / {1:F2} s = {2:F2}", p.WallSeconds, p.FloorSeconds, p.Ratio)));
            }
            PhaseReport reaudit = _phases.FirstOrDefault(p => p.Name == FleetPhase.ReAudit && p.Skipped == null);
            if (reaudit != null)
                Checks.Add(Check.Of("reaudit" + suffix + ": 0 exposed after the block", reaudit.Exposed == 0 && reaudit.Errors == 0,
                    reaudit.Exposed + " exposed, " + reaudit.Errors + " errors"));
            if (_final != null && _writeTargets != null)
            {
                IReadOnlyList<string> problems = FleetChecks.Port53RuleSetProblems(_initial, _final, _writeTargets);
                Checks.Add(Check.Of("block" + suffix + ": every written group holds exactly one set of Port53 rules", problems.Count == 0,
                    problems.Count == 0 ? _writeTargets.Count + " groups" : problems.Count + " problems: " + string.Join(" | ", problems.Take(5))));
            }
        }

        /// <summary>The fault run's own checks, against the fault-free run of the same fleet.</summary>
        public void CompareWith(FleetRun baseline)
        {
            PhaseReport audit = _phases.FirstOrDefault(p => p.Name == FleetPhase.Audit);
            if (audit?.Skipped != null)
            {
                Checks.Add(Check.Skipped("faults: audit equals the fault-free audit", audit.Skipped));
            }
            else if (audit != null)
            {
                List<string> differ = baseline._digests.Keys.Union(_digests.Keys, StringComparer.OrdinalIgnoreCase)
                    .Where(id => !baseline._digests.TryGetValue(id, out string a) || !_digests.TryGetValue(id, out string b) || a != b)
                    .OrderBy(id => id, StringComparer.Ordinal).ToList();
                Checks.Add(Check.Of("faults: audit equals the fault-free audit", differ.Count == 0,
                    differ.Count == 0 ? _digests.Count + " instances, digest " + Digest(_digests).Substring(0, 16)
                        : differ.Count + " instances differ or are missing, e.g. " + string.Join(", ", differ.Take(5))));
            }
            PhaseReport block = _phases.FirstOrDefault(p => p.Name == FleetPhase.Block);
            if (block?.Skipped != null)
            {
                Checks.Add(Check.Skipped("faults: no concurrent edit lost", block.Skipped));
            }
            else if (block != null)
            {
                IReadOnlyList<FleetEdit> lost = FleetChecks.LostEdits(_final, _edits);
                Checks.Add(Check.Of("faults: no concurrent edit lost", lost.Count == 0,
                    lost.Count == 0 ? _edits.Count + " edits, all kept" : lost.Count + " of " + _edits.Count + " lost, e.g. " + string.Join(" | ", lost.Take(3))));
            }
            Checks.Add(Check.Of("faults: wall <= " + Num(FleetBenchmark.FaultWallTarget) + " x fault-free", TotalWall <= FleetBenchmark.FaultWallTarget * baseline.TotalWall,
                string.Format(CultureInfo.InvariantCulture, "{0:F1} s vs {1:F1} s = {2:F2} (phases run: {3})", TotalWall, baseline.TotalWall,
                    TotalWall / Math.Max(0.001, baseline.TotalWall), string.Join(", ", _phases.Where(p => p.Skipped == null).Select(p => p.Name)))));
        }

        private void Print(PhaseReport p)
        {
            Console.WriteLine();
            if (p.Skipped != null)
            {
                Console.WriteLine("SKIP " + p.Name + ": " + p.Skipped + " not in this build");
                return;
            }
            Console.WriteLine("--- " + p.Name + " (" + Label + "): " + p.Command);
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "  wall {0:F2} s; floor {1:F2} s = {2}; wall/floor {3:F2}",
                p.WallSeconds, p.FloorSeconds, p.FloorDetail, p.Ratio));
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "  CPU {0:F2} s in this process (the module and PowerShell), {1:F2} s in the emulator; {2} cores, load average {3}",
                p.CpuSeconds, p.EmulatorCpuSeconds, Environment.ProcessorCount, p.LoadAverage ?? "?"));
            Console.WriteLine("  output " + p.OutputObjects + " objects" + (p.Exposed.HasValue ? ", " + p.Exposed + " exposed" : "") +
                "; " + p.Errors + " errors, " + p.Warnings + " warnings" + (p.Terminating != null ? "; TERMINATED: " + p.Terminating : ""));
            foreach (string e in p.FirstErrors) Console.WriteLine("    error: " + e);
            foreach (string w in p.FirstWarnings) Console.WriteLine("    warning: " + w);
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "  working set: {0:F1} MB before, peak {1:F1} MB during the phase (process peak so far {2:F1} MB)",
                p.WorkingSetBeforeMB, p.PeakWorkingSetMB, p.ProcessPeakWorkingSetMB));
            // Process-wide: with --faults the benchmark's own digest of every audit result is in it too.
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "  allocated {0:F1} MB{1}; GCs gen0/gen1/gen2 {2}{3}",
                p.AllocatedMB, p.OutputObjects > 0 ? string.Format(CultureInfo.InvariantCulture, " ({0:F1} KB per output object)", p.AllocatedMB * 1024 / p.OutputObjects) : "",
                string.Join("/", p.Collections ?? new int[0]),
                p.PeakLiveHeapMB.HasValue ? string.Format(CultureInfo.InvariantCulture, "; live heap peak {0:F1} MB ({1} samples)", p.PeakLiveHeapMB, p.LiveHeapSamples) : ""));
            Console.WriteLine("  " + "action".PadRight(32) + "calls".PadLeft(7) + "failed".PadLeft(8) + "minimum".PadLeft(9) + "calls/min".PadLeft(11) + "  limit/s" + "  from-to (s)");
            foreach (KeyValuePair<string, ActionCalls> kv in p.Calls)
            {
                Console.WriteLine("  " + kv.Key.PadRight(32) + kv.Value.Actual.ToString(CultureInfo.InvariantCulture).PadLeft(7) +
                    kv.Value.Failed.ToString(CultureInfo.InvariantCulture).PadLeft(8) + kv.Value.Minimum.ToString(CultureInfo.InvariantCulture).PadLeft(9) +
                    (kv.Value.Minimum == 0 ? "-" : Num(kv.Value.Actual / (double)kv.Value.Minimum)).PadLeft(11) + "  " + TencentRateLimits.For(kv.Key).ToString(CultureInfo.InvariantCulture).PadLeft(7) +
                    (kv.Value.FirstSeconds.HasValue ? string.Format(CultureInfo.InvariantCulture, "  {0:F2}-{1:F2}", kv.Value.FirstSeconds, kv.Value.LastSeconds) : ""));
            }
            foreach (KeyValuePair<string, int> kv in p.FailuresByCode) Console.WriteLine("    failed with " + kv.Key + ": " + kv.Value);
        }

        public void Write(string path)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path));
            var document = new
            {
                Commit = Paths.GitCommit(),
                Date = DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture),
                Machine = new { Cores = Environment.ProcessorCount, Os = System.Runtime.InteropServices.RuntimeInformation.OSDescription, Runtime = Environment.Version.ToString() },
                Options = _options,
                Faults = WithFaults,
                Emulator = _emulatorCommand,
                Module = _manifest,
                Fleet = _initial == null ? null : new
                {
                    Regions = _initial.Regions.Count,
                    Instances = _initial.Instances.Count,
                    SecurityGroups = _initial.SecurityGroups.Count,
                    BoundSecurityGroups = MinimumCalls.BoundGroups(_initial).Count,
                    ExposedInstances = _phases.Any(p => p.Name == FleetPhase.Audit && p.Skipped == null) ? _exposed.Count : (int?)null,
                    WriteTargets = _writeTargets?.Count,
                    ConcurrentEdits = _edits?.Count,
                },
                Collateral = _collateral,
                AuditDigest = _digests == null ? null : Digest(_digests),
                Phases = _phases,
                Checks,
            };
            File.WriteAllText(path, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull }) + "\n");
            Console.WriteLine("wrote " + path);
        }

        /// <summary>One hash over every instance's digest, for comparing runs across commits.</summary>
        private static string Digest(Dictionary<string, string> digests)
        {
            var text = new StringBuilder();
            foreach (KeyValuePair<string, string> kv in digests.OrderBy(kv => kv.Key, StringComparer.Ordinal)) text.Append(kv.Key).Append(' ').Append(kv.Value).Append('\n');
            using (var sha = SHA256.Create()) return BitConverter.ToString(sha.ComputeHash(Encoding.UTF8.GetBytes(text.ToString()))).Replace("-", "").ToLowerInvariant();
        }

        private static double Mb(long bytes) => Math.Round(bytes / (1024.0 * 1024.0), 1);

        internal static string Num(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
    }

    internal sealed class ActionCalls
    {
        public int Actual { get; set; }
        public int Failed { get; set; }
        public int Minimum { get; set; }
        /// <summary>Seconds from the phase's first request to this action's first and last.</summary>
        public double? FirstSeconds { get; set; }
        public double? LastSeconds { get; set; }
    }

    /// <summary>One phase's measurements, as printed and as written to JSON.</summary>
    /// <summary>What one placement of Block's DROPs writes and stops on the fleet (<see cref="BlockPlanning"/>).</summary>
    internal sealed class CollateralReport
    {
        public string Placement { get; set; }
        public int GroupsWritten { get; set; }
        public int WholeListWrites { get; set; }
        public int Warnings { get; set; }
        public int RulesStopped { get; set; }
    }

    internal sealed class PhaseReport
    {
        public string Name { get; set; }
        public string Command { get; set; }
        /// <summary>The missing cmdlet when the phase did not run.</summary>
        public string Skipped { get; set; }
        public double WallSeconds { get; set; }
        /// <summary>Processor time of the benchmark process (module, PowerShell, the sinks) while the phase ran.</summary>
        public double CpuSeconds { get; set; }
        /// <summary>Processor time of the emulator child while the phase ran: it shares the machine's cores.</summary>
        public double EmulatorCpuSeconds { get; set; }
        /// <summary>The 1-minute load average when the phase ended (/proc/loadavg), where the OS has one.</summary>
        public string LoadAverage { get; set; }
        public double FloorSeconds { get; set; }
        public string FloorDetail { get; set; }
        public double Ratio { get; set; }
        public int OutputObjects { get; set; }
        public int? Exposed { get; set; }
        public int Errors { get; set; }
        public int Warnings { get; set; }
        public List<string> FirstErrors { get; set; } = new List<string>();
        public List<string> FirstWarnings { get; set; } = new List<string>();
        public string Terminating { get; set; }
        public double WorkingSetBeforeMB { get; set; }
        /// <summary>Highest working set sampled (every 25 ms) while the phase ran.</summary>
        public double PeakWorkingSetMB { get; set; }
        /// <summary>Process.PeakWorkingSet64 at the end of the phase: the peak of everything so far.</summary>
        public double ProcessPeakWorkingSetMB { get; set; }
        /// <summary>Managed bytes allocated by the whole process while the phase ran (GC.GetTotalAllocatedBytes).</summary>
        public double AllocatedMB { get; set; }
        /// <summary>Garbage collections of generation 0, 1 and 2 while the phase ran.</summary>
        public int[] Collections { get; set; }
        /// <summary>With --live-heap: the most managed memory still reachable after any of the forced full GCs.</summary>
        public double? PeakLiveHeapMB { get; set; }
        public int? LiveHeapSamples { get; set; }
        public SortedDictionary<string, ActionCalls> Calls { get; set; } = new SortedDictionary<string, ActionCalls>(StringComparer.Ordinal);
        public SortedDictionary<string, int> FailuresByCode { get; set; } = new SortedDictionary<string, int>(StringComparer.Ordinal);
        [JsonIgnore] public IReadOnlyList<TcEmulatorRequest> Requests { get; set; }

        public static PhaseReport Skip(FleetPhase phase, string missing) => new PhaseReport { Name = phase.Name, Command = phase.Script, Skipped = missing };

        public void Account(CallPlan plan, Func<string, int> limitOf, double latencySeconds, int accountCeiling)
        {
            foreach (string action in Requests.Select(r => r.Action).Concat(plan.Calls.Keys).Distinct())
            {
                Calls[action ?? "(none)"] = new ActionCalls
                {
                    Actual = Requests.Count(r => r.Action == action),
                    Failed = Requests.Count(r => r.Action == action && r.Failed),
                    Minimum = plan[action],
                };
                List<TcEmulatorRequest> of = Requests.Where(r => r.Action == action).ToList();
                if (of.Count > 0 && Requests.Count > 0)
                {
                    // When the phase's calls of this action came, from its first request: which action ends a phase.
                    DateTimeOffset start = Requests.Min(r => r.Time);
                    Calls[action ?? "(none)"].FirstSeconds = Math.Round((of.Min(r => r.Time) - start).TotalSeconds, 2);
                    Calls[action ?? "(none)"].LastSeconds = Math.Round((of.Max(r => r.Time) - start).TotalSeconds, 2);
                }
            }
            foreach (IGrouping<string, TcEmulatorRequest> g in Requests.Where(r => r.Failed).GroupBy(r => r.ErrorCode ?? r.Fault))
                FailuresByCode[g.Key] = g.Count();
            FloorSeconds = plan.FloorSeconds(limitOf, latencySeconds, accountCeiling);
            RateBound bound = plan.RateBound(limitOf, accountCeiling);
            FloorDetail = string.Format(CultureInfo.InvariantCulture, "{0} {1} calls / {2} per s {3} = {4:F2} s + {5} dependent round trips x {6:F0} ms",
                bound.Action, bound.Calls, bound.Limit, bound.AccessRegion == null ? "account-wide" : "in access region " + bound.AccessRegion,
                bound.Seconds, plan.ChainDepth, latencySeconds * 1000);
            Ratio = FloorSeconds > 0 ? WallSeconds / FloorSeconds : double.PositiveInfinity;
        }
    }

    internal sealed class Check
    {
        public const string Pass = "PASS", Fail = "FAIL", Skip = "SKIP", Info = "INFO";

        public string Outcome { get; set; }
        public string Name { get; set; }
        public string Detail { get; set; }

        public static Check Of(string name, bool pass, string detail) => new Check { Outcome = pass ? Pass : Fail, Name = name, Detail = detail };

        /// <summary>A figure reported beside the checks, not judged.</summary>
        public static Check Informational(string name, string detail) => new Check { Outcome = Info, Name = name, Detail = detail };

        public static Check Skipped(string name, string missing) => new Check { Outcome = Skip, Name = name, Detail = missing + " not in this build" };

        public override string ToString() => Outcome + " " + Name + (string.IsNullOrEmpty(Detail) ? "" : " (" + Detail + ")");
    }

    /// <summary>
    /// The live managed heap: every <see cref="IntervalMs"/> ms a full, blocking, compacting GC, then the bytes
    /// still in use. What remains after a full GC is what something still references, so its peak is what the
    /// pipeline keeps, free of when the GC would have chosen to run (working set is not: see bench/README.md).
    /// </summary>
    internal sealed class LiveHeapSampler : IDisposable
    {
        public const int IntervalMs = 200;
        private readonly Timer _timer;
        private long _peak;
        private int _samples;
        private int _busy;

        public LiveHeapSampler()
        {
            _timer = new Timer(Sample, null, IntervalMs, IntervalMs);
        }

        public long Peak
        {
            get
            {
                Sample(null);
                return Interlocked.Read(ref _peak);
            }
        }

        public int Samples => Volatile.Read(ref _samples);

        private void Sample(object state)
        {
            if (Interlocked.Exchange(ref _busy, 1) == 1) return;
            try
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                Interlocked.Increment(ref _samples);
                WorkingSetSampler.RaisePeak(ref _peak, GC.GetTotalMemory(forceFullCollection: false));
            }
            finally
            {
                Volatile.Write(ref _busy, 0);
            }
        }

        public void Dispose() => _timer.Dispose();
    }

    /// <summary>The highest working set seen while it is alive: Process.PeakWorkingSet64 only ever grows, so a phase's own peak needs sampling.</summary>
    internal sealed class WorkingSetSampler : IDisposable
    {
        private readonly Timer _timer;
        private long _peak;

        public WorkingSetSampler()
        {
            Sample(null);
            _timer = new Timer(Sample, null, 25, 25);
        }

        public long Peak
        {
            get
            {
                Sample(null);
                return Interlocked.Read(ref _peak);
            }
        }

        private void Sample(object state)
        {
            RaisePeak(ref _peak, Environment.WorkingSet);
        }

        /// <summary>Sets <paramref name="peak"/> to <paramref name="value"/> if that is higher; safe from any thread.</summary>
        internal static void RaisePeak(ref long peak, long value)
        {
            long seen;
            while (value > (seen = Interlocked.Read(ref peak)) && Interlocked.CompareExchange(ref peak, value, seen) != seen) { }
        }

        public void Dispose() => _timer.Dispose();
    }
}
