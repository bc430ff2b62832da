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
        /// <summary>Several accounts together may take a quarter longer than one of them alone (issue 18: 5 accounts of 2,000 instances).</summary>
        public const double AccountsWallTarget = 1.25;

        public static void WriteJson(string path, object document)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path));
            File.WriteAllText(path, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull }) + "\n");
            Console.WriteLine("wrote " + path);
        }

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

            Console.WriteLine("Port53 fleet benchmark: " + options.Spec + (options.Accounts > 0 ? " (" + options.Accounts + " members, each with this fleet, against the first alone)" : "") + ", latency " + options.LatencyMs + " ms, Tencent's rate limits on (per action, access region and SecretId" +
                (options.AccountRateLimit > 0 ? "; account-wide " + options.AccountRateLimit + " per s per action" : "") + "); " +
                Environment.ProcessorCount + " logical cores; module " + manifest);
            var checks = new List<Check>();
            try
            {
                if (options.Accounts > 0)
                {
                    // Each run on an emulator of its own, so both start from the same unblocked fleet; one member, then all
                    // of them, in turn, so that a busy stretch of a shared machine falls on both kinds alike.
                    var alone = new List<FleetRun>();
                    var together = new List<FleetRun>();
                    for (int run = 0; run < options.Runs; run++)
                    {
                        alone.Add(new FleetRun(options, manifest, emulator, withFaults: false, collectDigests: false, members: 1));
                        alone[run].Execute();
                        together.Add(new FleetRun(options, manifest, emulator, withFaults: false, collectDigests: false, members: options.Accounts));
                        together[run].Execute();
                        checks.AddRange(alone[run].Checks.Concat(together[run].Checks));
                    }
                    List<Check> compared = FleetRun.CompareAccounts(alone, together);
                    checks.AddRange(compared);
                    WriteJson(options.OutputPath(faults: false), new
                    {
                        Runs = alone.Zip(together, (a, t) => new { OneAccount = a.Document(), Accounts = t.Document() }).ToList(),
                        Comparison = compared,
                    });
                    return Summary(checks);
                }
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
            return Summary(checks);
        }

        private static int Summary(List<Check> checks)
        {
            Console.WriteLine();
            Console.WriteLine("Summary:");
            foreach (Check c in checks) Console.WriteLine("  " + c);
            return checks.Any(c => c.Outcome == Check.Fail) ? 1 : 0;
        }
    }

    internal sealed class FleetOptions
    {
        /// <summary>
        /// --accounts n: n member accounts of an organization, each with the fleet of the spec, audited and blocked together,
        /// against one of them alone (bench/README.md, "Several accounts"); 0 for the connected account alone.
        /// </summary>
        public int Accounts { get; set; }
        public int Instances { get; set; } = 10000;
        public int Regions { get; set; } = 20;
        public int Groups { get; set; } = 2000;
        /// <summary>
        /// Lighthouse instances beside the CVM ones (bench/README.md, "Lighthouse"): a tenth of the default fleet, the
        /// small servers a team keeps next to its CVM estate; 0 leaves the Lighthouse phases out.
        /// </summary>
        public int Lighthouse { get; set; } = 1000;
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
        /// <summary>Memory scaling: fresh processes per phase and size; several accounts: pairs of runs (one account, then all).</summary>
        public int Runs { get; set; } = 2;
        /// <summary>Which phases to run (the others are left out, not skipped): memory scaling runs one per process.</summary>
        public List<string> Phases { get; set; } = FleetPhase.Names.ToList();
        [JsonIgnore] public string Out { get; set; }
        [JsonIgnore] public string Module { get; set; }
        [JsonIgnore] public string Emulator { get; set; }

        /// <summary>The generator's spec; with members, the first account is the organization's management account, with a fleet of its own that no phase reads.</summary>
        public string Spec => string.Format(CultureInfo.InvariantCulture, "instances={0},regions={1},groups={2},exposed={3},{4}{6}seed={5}",
            Instances, Regions, Groups, Exposed, Lighthouse > 0 ? "lighthouse=" + Lighthouse.ToString(CultureInfo.InvariantCulture) + "," : "", Seed,
            Accounts > 0 ? "accounts=" + (Accounts + 1).ToString(CultureInfo.InvariantCulture) + "," : "");

        /// <summary>The phases this run makes: the chosen ones, the Lighthouse ones only with Lighthouse instances in the fleet.</summary>
        public bool Includes(FleetPhase phase) => Phases.Contains(phase.Name) && (!phase.IsLighthouse || Lighthouse > 0);

        public static string DefaultFileName(int instances, bool faults) =>
            "fleet-" + instances.ToString(CultureInfo.InvariantCulture) + "-" + (faults ? "faults" : "nofaults") + ".json";

        public string OutputPath(bool faults) =>
            Path.GetFullPath(Out ?? Path.Combine(Paths.RepoRoot(), "bench", "results", Accounts > 0
                ? string.Format(CultureInfo.InvariantCulture, "fleet-accounts-{0}x{1}.json", Accounts, Instances)
                : DefaultFileName(Instances, faults)));

        public static FleetOptions Parse(string[] args)
        {
            var o = new FleetOptions();
            var given = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < args.Length; i++)
            {
                string a = args[i];
                given.Add(a);
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException(a + " needs a value.");
                int Int(int min) => int.TryParse(Value(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n) && n >= min
                    ? n : throw new ArgumentException(a + " takes an integer >= " + min + ".");
                double Rate() => double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d >= 0 && d <= 1
                    ? d : throw new ArgumentException(a + " takes a number between 0 and 1.");
                switch (a)
                {
                    case "--accounts": o.Accounts = Int(1); break;
                    case "--instances": o.Instances = Int(0); break;
                    case "--regions": o.Regions = Int(1); break;
                    case "--groups": o.Groups = Int(0); break;
                    case "--lighthouse": o.Lighthouse = Int(0); break;
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
            if (o.Accounts > 0) o.ForAccounts(given);
            return o;
        }

        /// <summary>
        /// The several-accounts run's own defaults, where the command line gives none: per account a fifth of the 10,000
        /// run with its shape per region (2,000 instances, 4 regions, 400 groups: 500 instances and 100 groups a region),
        /// no Lighthouse, and the phases the comparison is about.
        /// </summary>
        private void ForAccounts(HashSet<string> given)
        {
            string alone = new[] { "--faults", "--memory-scaling", "--collecting", "--collateral-only", "--account-rate-limit" }.FirstOrDefault(given.Contains);
            if (alone != null) throw new ArgumentException("--accounts does not combine with " + alone + ".");
            if (!given.Contains("--instances")) Instances = 2000;
            if (!given.Contains("--regions")) Regions = 4;
            if (!given.Contains("--groups")) Groups = 400;
            if (!given.Contains("--lighthouse")) Lighthouse = 0;
            if (!given.Contains("--phases")) Phases = new List<string> { FleetPhase.Audit, FleetPhase.Block, FleetPhase.ReAudit };
            if (!given.Contains("--runs")) Runs = 1;
        }
    }

    /// <summary>The pipelines, in order (the four of CVM, then the same four of Lighthouse), and the cmdlets (and parameters) each needs.</summary>
    internal sealed class FleetPhase
    {
        public const string Inventory = "inventory", Audit = "audit", Block = "block", ReAudit = "reaudit";
        public const string LhInventory = "lh-inventory", LhAudit = "lh-audit", LhBlock = "lh-block", LhReAudit = "lh-reaudit";
        public static readonly string[] Names = { Inventory, Audit, Block, ReAudit, LhInventory, LhAudit, LhBlock, LhReAudit };

        private const string AuditScript = "Get-TcInstance -Region * | Test-TcPort53";
        private const string LhAuditScript = "Get-TcLighthouseInstance -Region * | Test-TcPort53";
        private static readonly (string, string[]) ListsLighthouse = ("Get-TcLighthouseInstance", new string[0]);
        /// <summary>--collecting: the audit as a pipeline that does not stream would run it, every instance held before the first test.</summary>
        public const string CollectingAuditScript = "$all = @(Get-TcInstance -Region *); $all | Test-TcPort53";

        public static readonly FleetPhase[] All =
        {
            new FleetPhase(Inventory, "Get-TcInstance -Region *"),
            new FleetPhase(Audit, AuditScript, ("Test-TcPort53", new string[0])),
            new FleetPhase(Block, AuditScript + " | Where-Object Exposed | Block-TcPort53 -Force", ("Test-TcPort53", new string[0]), ("Block-TcPort53", new[] { "Force" })),
            new FleetPhase(ReAudit, AuditScript, ("Test-TcPort53", new string[0]), ("Block-TcPort53", new[] { "Force" })),
            new FleetPhase(LhInventory, "Get-TcLighthouseInstance -Region *", ListsLighthouse),
            new FleetPhase(LhAudit, LhAuditScript, ListsLighthouse, ("Test-TcPort53", new[] { "LighthouseInstance" })),
            new FleetPhase(LhBlock, LhAuditScript + " | Where-Object Exposed | Block-TcPort53 -Force", ListsLighthouse, ("Test-TcPort53", new[] { "LighthouseInstance" }),
                ("Block-TcPort53", new[] { "Force" })),
            new FleetPhase(LhReAudit, LhAuditScript, ListsLighthouse, ("Test-TcPort53", new[] { "LighthouseInstance" }), ("Block-TcPort53", new[] { "Force" })),
        };

        private FleetPhase(string name, string script, params (string Cmdlet, string[] Parameters)[] needs)
        {
            Name = name;
            Script = script;
            Needs = needs;
        }

        public string Name { get; }
        public string Script { get; }
        public bool IsLighthouse => Name.StartsWith("lh-", StringComparison.Ordinal);
        public bool IsAudit => Name == Audit || Name == ReAudit || Name == LhAudit || Name == LhReAudit;
        public bool IsBlock => Name == Block || Name == LhBlock;
        /// <summary>Besides Get-TcInstance, which every build has. The re-audit needs Block-TcPort53 to have run first.</summary>
        public (string Cmdlet, string[] Parameters)[] Needs { get; }

        /// <summary>What every phase needs besides when it runs as several accounts: the members, their contexts, and listings that take them.</summary>
        public static readonly (string Cmdlet, string[] Parameters)[] AccountsNeed =
        {
            ("Get-TcOrganizationMember", new string[0]), ("Connect-TcAccount", new[] { "RoleName", "PassThru" }), ("Get-TcInstance", new[] { "Account" }),
        };
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
        private readonly HashSet<string> _lighthouseExposed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private Dictionary<string, string> _digests;
        private FleetState _initial, _final;
        private List<CollateralReport> _collateral;
        private List<FleetEdit> _edits;
        /// <summary>Per account (none: the connected account's whole fleet), the groups and the firewalls Block writes at the least.</summary>
        private List<(long? Account, IReadOnlyList<FleetGroupKey> Targets)> _writeTargets, _firewallWrites;
        private string _emulatorCommand;
        private readonly int _members;
        /// <summary>The members' accounts as the setup connected them (their contexts' AccountUin), in the organization's order.</summary>
        private List<long> _accountUins;

        /// <param name="members">0: the phases run as the account the emulator's keys belong to; n: as the first n members of its organization, together.</param>
        public FleetRun(FleetOptions options, string manifest, string emulatorDll, bool withFaults, bool collectDigests, int members = 0)
        {
            _options = options;
            _manifest = manifest;
            _emulatorDll = emulatorDll;
            WithFaults = withFaults;
            _collectDigests = collectDigests;
            _members = members;
        }

        public bool WithFaults { get; }
        public List<Check> Checks { get; } = new List<Check>();
        private string Label => WithFaults ? "faults" : _members == 1 ? "1 account" : _members > 1 ? _members + " accounts" : "no faults";
        /// <summary>What the check lines of this run add to a phase's name.</summary>
        private string Suffix => WithFaults || _members > 0 ? " (" + Label + ")" : "";

        /// <summary>Not timed, in each phase's fresh session after connecting with the management account's keys: $ctx, a context per member.</summary>
        private string SetupScript => AccountPlans.ConnectMembers(_members < _options.Accounts ? _members : (int?)null);

        /// <summary>The fleets the phases act on, and what a phase's minimum is computed from: the connected account's whole fleet, or each member's.</summary>
        private IEnumerable<(long? Account, Func<FleetState, FleetState> Of)> Scopes() => _members == 0
            ? new[] { ((long?)null, (Func<FleetState, FleetState>)(fleet => fleet)) }
            : _accountUins.Select(uin => ((long?)uin, (Func<FleetState, FleetState>)(fleet => fleet?.Account(uin))));
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
            Console.WriteLine("=== " + (WithFaults ? "with faults" : _members > 0 ? "as " + Label + " of the organization" : "without faults"));
            using (ChildEmulator emulator = ChildEmulator.Start(_emulatorDll, EmulatorArguments()))
            {
                _emulatorCommand = emulator.CommandLine;
                Console.WriteLine("emulator: " + _emulatorCommand + " -> " + emulator.BaseUrl);
                var (missing, firstRegion) = Probe(emulator);
                foreach (FleetPhase phase in FleetPhase.All.Where(_options.Includes))
                {
                    if (phase.IsBlock) LoadInitialState(emulator);
                    PhaseReport report = missing.TryGetValue(phase.Name, out string why)
                        ? PhaseReport.Skip(phase, why)
                        : RunPhase(phase, emulator, firstRegion);
                    _phases.Add(report);
                    if (phase.IsBlock && report.Skipped == null)
                    {
                        // The Lighthouse block runs after the CVM one and leaves groups alone: the state after it serves both re-audits.
                        _final = emulator.State();
                        if (phase.Name == FleetPhase.Block) _edits = emulator.ConcurrentEdits();
                    }
                }
                LoadInitialState(emulator);
                if (_final == null && _phases.Any(p => (p.Name == FleetPhase.ReAudit || p.Name == FleetPhase.LhReAudit) && p.Skipped == null)) _final = emulator.State();
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
                List<BlockPlanning.Result> r = Scopes().Select(scope => BlockPlanning.Plan(scope.Of(_initial), ExposedIn(scope.Of(_initial)), placement)).ToList();
                return new CollateralReport
                {
                    Placement = placement.ToString(), GroupsWritten = r.Sum(a => a.Writes.Count), WholeListWrites = r.Sum(a => a.Writes.Count(w => w.Value)),
                    Warnings = r.Sum(a => a.Warnings), RulesStopped = r.Sum(a => a.RulesStopped),
                };
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
                    foreach (var (cmdlet, parameters) in _members > 0 ? phase.Needs.Concat(FleetPhase.AccountsNeed) : phase.Needs)
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
            string script = _options.Collecting && phase.Name == FleetPhase.Audit ? FleetPhase.CollectingAuditScript
                : _members > 0 ? "$ctx | " + phase.Script : phase.Script;
            Console.WriteLine("running " + phase.Name + ": " + script);
            Action<PSObject> sink = null;
            int exposed = 0;
            bool isAudit = phase.IsAudit;
            HashSet<string> exposedIds = phase.Name == FleetPhase.Audit ? _exposed : phase.Name == FleetPhase.LhAudit ? _lighthouseExposed : null;
            if (isAudit)
            {
                if (phase.Name == FleetPhase.Audit && _collectDigests) _digests = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                sink = o =>
                {
                    bool isExposed = LanguagePrimitives.IsTrue(o.Properties["Exposed"]?.Value);
                    if (isExposed) exposed++;
                    if (exposedIds == null) return;
                    string id = ResultDigest.InstanceIdOf(o);
                    if (isExposed && id != null) exposedIds.Add(id);
                    if (phase.Name != FleetPhase.Audit) return;
                    if (_digests != null && id != null) _digests[id] = ResultDigest.Hash(o);
                };
            }
            using (var session = new HostedSession(_manifest))
            {
                session.Connect(emulator.BaseUrl, emulator.SecretId, emulator.SecretKey, firstRegion);
                if (_members > 0) ConnectMembers(session);
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

        /// <summary>Runs <see cref="SetupScript"/>; every phase must connect the same members, each context knowing its account.</summary>
        private void ConnectMembers(HostedSession session)
        {
            var uins = new List<long>();
            StreamCounts counts = session.Run(SetupScript, o => uins.Add(o?.BaseObject is long uin ? uin : 0));
            if (counts.Terminating != null || counts.Errors > 0)
                throw new InvalidOperationException("Connecting the members failed: " + (counts.Terminating ?? string.Join(" | ", counts.FirstErrors)));
            if (uins.Count != _members || uins.Contains(0))
                throw new InvalidOperationException("Connecting the members gave " + uins.Count + " contexts (" + string.Join(", ", uins) + ") where " + _members + " with an AccountUin each were expected: " + SetupScript);
            if (_accountUins != null && !_accountUins.SequenceEqual(uins))
                throw new InvalidOperationException("The members connected differ between phases: " + string.Join(", ", _accountUins) + " then " + string.Join(", ", uins));
            _accountUins = uins;
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
                // Members are contexts of an assumed role, whose ARN says which account they are.
                var plans = Scopes().Select(scope => (scope.Account, Plan: PlanOf(p.Name, scope.Of(_initial), scope.Of(_final))))
                    .Select(a => (a.Account, Plan: _members > 0 ? AccountPlans.AsAssumedRole(a.Plan) : a.Plan)).ToList();
                if (p.Name == FleetPhase.Block) _writeTargets = plans.Select(a => (a.Account, a.Plan.WriteTargets)).ToList();
                if (p.Name == FleetPhase.LhBlock) _firewallWrites = plans.Select(a => (a.Account, a.Plan.WriteTargets)).ToList();
                if (_members == 0)
                {
                    p.Account(plans[0].Plan, TencentRateLimits.For, latency, _options.AccountRateLimit);
                    continue;
                }
                Dictionary<long, CallPlan> byAccount = plans.ToDictionary(a => a.Account.Value, a => a.Plan);
                p.Account(AccountPlans.Combine(byAccount), TencentRateLimits.For, latency, 0, r => AccountPlans.Budget(r.AccountUin, r.AccessRegion));
                p.AccountDifferences = AccountPlans.Differences(p.Requests.Select(r => (r.AccountUin, TencentRateLimits.Key(r.Service, r.Action))), byAccount).ToList();
                if (p.Requests.Count == 0) continue;
                // Whether the accounts ran side by side or one after another.
                DateTimeOffset start = p.Requests.Min(r => r.Time);
                p.AccountSeconds = p.Requests.GroupBy(r => r.AccountUin?.ToString(CultureInfo.InvariantCulture) ?? "(none)").ToDictionary(g => g.Key,
                    g => string.Format(CultureInfo.InvariantCulture, "{0:F2}-{1:F2}", (g.Min(r => r.Time) - start).TotalSeconds, (g.Max(r => r.Time) - start).TotalSeconds));
            }
        }

        /// <summary>The instances of this fleet the audit found exposed (with several accounts, <see cref="_exposed"/> holds every account's).</summary>
        private IEnumerable<string> ExposedIn(FleetState fleet) => fleet.Instances.Select(i => i.InstanceId).Where(_exposed.Contains);

        /// <summary>A phase's minimum on one account's fleet, before (and, for a re-audit, after) the block; the exposed instances are those of this fleet.</summary>
        private CallPlan PlanOf(string phase, FleetState initial, FleetState final)
        {
            switch (phase)
            {
                case FleetPhase.Inventory: return MinimumCalls.Inventory(initial);
                case FleetPhase.Audit: return MinimumCalls.Audit(initial);
                case FleetPhase.Block: return MinimumCalls.Block(initial, ExposedIn(initial));
                case FleetPhase.ReAudit: return MinimumCalls.Audit(final);
                case FleetPhase.LhInventory: return MinimumCalls.LighthouseInventory(initial);
                case FleetPhase.LhAudit: return MinimumCalls.LighthouseAudit(initial);
                case FleetPhase.LhBlock: return MinimumCalls.LighthouseBlock(initial, initial.LighthouseInstances.Select(i => i.InstanceId).Where(_lighthouseExposed.Contains));
                default: return MinimumCalls.LighthouseAudit(final);
            }
        }

        private void Judge()
        {
            string suffix = Suffix;
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
                Checks.Add(Check.Of(p.Name + suffix + ": calls == minimum", off.Count == 0,
                    off.Count == 0 ? p.Calls.Values.Sum(c => c.Actual) + " calls" : string.Join(", ", off)));
                if (p.AccountDifferences != null)
                    Checks.Add(Check.Of(p.Name + suffix + ": calls == minimum in every account", p.AccountDifferences.Count == 0,
                        p.AccountDifferences.Count == 0 ? string.Join(", ", _accountUins) : string.Join(", ", p.AccountDifferences.Take(10))));
                Checks.Add(Check.Of(p.Name + suffix + ": wall <= " + Num(FleetBenchmark.WallTarget) + " x floor", p.Ratio <= FleetBenchmark.WallTarget,
                    string.Format(CultureInfo.InvariantCulture, "{0:F2} s / {1:F2} s = {2:F2}", p.WallSeconds, p.FloorSeconds, p.Ratio)));
            }
            foreach (PhaseReport reaudit in _phases.Where(p => (p.Name == FleetPhase.ReAudit || p.Name == FleetPhase.LhReAudit) && p.Skipped == null))
                Checks.Add(Check.Of(reaudit.Name + suffix + ": 0 exposed after the block", reaudit.Exposed == 0 && reaudit.Errors == 0,
                    reaudit.Exposed + " exposed, " + reaudit.Errors + " errors"));
            if (_final != null && _writeTargets != null)
                Checks.Add(RuleSetCheck("block" + suffix + ": every written group holds exactly one set of Port53 rules", "groups", _writeTargets, FleetChecks.Port53RuleSetProblems));
            if (_final != null && _firewallWrites != null)
                Checks.Add(RuleSetCheck("lh-block" + suffix + ": every written firewall holds exactly one set of Port53 rules", "firewalls", _firewallWrites, FleetChecks.FirewallRuleSetProblems));
        }

        /// <summary>A rule-set check over every account's fleet, each against its own write targets; a problem names its account.</summary>
        private Check RuleSetCheck(string name, string what, List<(long? Account, IReadOnlyList<FleetGroupKey> Targets)> targets,
            Func<FleetState, FleetState, IEnumerable<FleetGroupKey>, IReadOnlyList<string>> problemsOf)
        {
            List<string> problems = Scopes().Zip(targets, (scope, t) => problemsOf(scope.Of(_initial), scope.Of(_final), t.Targets)
                .Select(problem => t.Account.HasValue ? t.Account + " " + problem : problem)).SelectMany(p => p).ToList();
            return Check.Of(name, problems.Count == 0,
                problems.Count == 0 ? targets.Sum(t => t.Targets.Count) + " " + what : problems.Count + " problems: " + string.Join(" | ", problems.Take(5)));
        }

        /// <summary>
        /// Several accounts against one of them alone, phase by phase: every action's calls in each run against as many
        /// times one account's minimum, and the least wall time of the runs of each kind (a shared machine's noise only
        /// ever adds) against each other.
        /// </summary>
        public static List<Check> CompareAccounts(List<FleetRun> alone, List<FleetRun> together)
        {
            var checks = new List<Check>();
            int members = together[0]._members;
            string accounts = members + " accounts", runs = alone.Count > 1 ? ", least of " + alone.Count + " runs each" : "";
            double wall = 0, aloneWall = 0;
            foreach (string phase in together[0]._phases.Where(p => p.Skipped == null).Select(p => p.Name))
            {
                List<PhaseReport> many = together.Select(r => r._phases.Single(p => p.Name == phase)).ToList();
                List<PhaseReport> one = alone.Select(r => r._phases.FirstOrDefault(p => p.Name == phase && p.Skipped == null)).Where(p => p != null).ToList();
                if (one.Count == 0) continue;
                // One account's minimum is the same in every run: the same fleet, unblocked.
                SortedDictionary<string, ActionCalls> minimum = one[0].Calls;
                List<string> off = many.SelectMany((p, run) => p.Calls.Keys.Union(minimum.Keys).OrderBy(a => a, StringComparer.Ordinal)
                    .Select(a => (Action: a, Calls: p.Calls.TryGetValue(a, out ActionCalls c) ? c.Actual : 0, Minimum: minimum.TryGetValue(a, out ActionCalls m) ? m.Minimum : 0))
                    .Where(a => a.Calls != members * a.Minimum)
                    .Select(a => (many.Count > 1 ? "run " + (run + 1) + " " : "") + a.Action + " " + a.Calls + " vs " + members + " x " + a.Minimum)).ToList();
                checks.Add(Check.Of(phase + ": " + accounts + "' calls == " + members + " x one account's minimum", off.Count == 0,
                    string.Format(CultureInfo.InvariantCulture, "{0} vs {1} x {2}{3}", string.Join(", ", many.Select(p => p.Calls.Values.Sum(c => c.Actual))), members,
                        minimum.Values.Sum(c => c.Minimum), off.Count == 0 ? "" : ": " + string.Join(", ", off.Take(10)))));
                PhaseReport fastMany = many.OrderBy(p => p.WallSeconds).First(), fastOne = one.OrderBy(p => p.WallSeconds).First();
                double ratio = fastMany.WallSeconds / fastOne.WallSeconds;
                checks.Add(Check.Of(phase + ": " + accounts + "' wall <= " + Num(FleetBenchmark.AccountsWallTarget) + " x one account's", ratio <= FleetBenchmark.AccountsWallTarget,
                    string.Format(CultureInfo.InvariantCulture, "{0:F2} s vs {1:F2} s = {2:F2}{3}; every run: {4} vs {5}", fastMany.WallSeconds, fastOne.WallSeconds, ratio, runs,
                        string.Join(" ", many.Select(p => Num(p.WallSeconds))), string.Join(" ", one.Select(p => Num(p.WallSeconds))))));
                // The budgets are per account, the cores are not: what the processor time alone says the wall can be at best.
                double cpu = fastMany.CpuSeconds + fastMany.EmulatorCpuSeconds, oneCpu = fastOne.CpuSeconds + fastOne.EmulatorCpuSeconds;
                checks.Add(Check.Informational(phase + ": processor time, " + accounts + " against one", string.Format(CultureInfo.InvariantCulture,
                    "{0:F2} s (module {1:F2} + emulator {2:F2}) vs {3:F2} s (module {4:F2} + emulator {5:F2}) = {6:F2}; on {7} cores at least {8:F2} s = {9:F2} x one account's wall",
                    cpu, fastMany.CpuSeconds, fastMany.EmulatorCpuSeconds, oneCpu, fastOne.CpuSeconds, fastOne.EmulatorCpuSeconds, cpu / Math.Max(0.001, oneCpu),
                    Environment.ProcessorCount, cpu / Environment.ProcessorCount, cpu / Environment.ProcessorCount / fastOne.WallSeconds)));
                wall += fastMany.WallSeconds;
                aloneWall += fastOne.WallSeconds;
            }
            if (aloneWall > 0)
                checks.Add(Check.Informational("all phases: " + accounts + " against one", string.Format(CultureInfo.InvariantCulture, "{0:F2} s vs {1:F2} s = {2:F2}", wall, aloneWall, wall / aloneWall)));
            return checks;
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
            if (p.AccountDifferences != null)
                Console.WriteLine("  per account: " + (p.AccountDifferences.Count == 0 ? "every account at its own minimum (" + string.Join(", ", _accountUins) + ")"
                    : "off the minimum: " + string.Join(", ", p.AccountDifferences)));
            if (p.AccountSeconds != null)
                Console.WriteLine("  calls per account from-to (s): " + string.Join(", ", p.AccountSeconds.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + " " + kv.Value)));
        }

        public void Write(string path) => FleetBenchmark.WriteJson(path, Document());

        /// <summary>What the JSON result holds; the fleet's figures are summed over the accounts the phases ran as.</summary>
        public object Document()
        {
            bool known = _initial != null && (_members == 0 || _accountUins != null);
            int Sum(Func<FleetState, int> of) => Scopes().Sum(scope => of(scope.Of(_initial)));
            return new
            {
                Commit = Paths.GitCommit(),
                Date = DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture),
                Machine = new { Cores = Environment.ProcessorCount, Os = System.Runtime.InteropServices.RuntimeInformation.OSDescription, Runtime = Environment.Version.ToString() },
                Options = _options,
                Faults = WithFaults,
                Emulator = _emulatorCommand,
                Module = _manifest,
                SetupScript = _members > 0 ? SetupScript : null,
                Accounts = _accountUins,
                Fleet = !known ? null : new
                {
                    Regions = Sum(f => f.Regions.Count),
                    Instances = Sum(f => f.Instances.Count),
                    SecurityGroups = Sum(f => f.SecurityGroups.Count),
                    BoundSecurityGroups = Sum(f => MinimumCalls.BoundGroups(f).Count),
                    ExposedInstances = _phases.Any(p => p.Name == FleetPhase.Audit && p.Skipped == null) ? _exposed.Count : (int?)null,
                    WriteTargets = _writeTargets?.Sum(t => t.Targets.Count),
                    LighthouseInstances = Sum(f => f.LighthouseInstances.Count),
                    ExposedLighthouseInstances = _phases.Any(p => p.Name == FleetPhase.LhAudit && p.Skipped == null) ? _lighthouseExposed.Count : (int?)null,
                    FirewallWrites = _firewallWrites?.Sum(t => t.Targets.Count),
                    ConcurrentEdits = _edits?.Count,
                },
                Collateral = _collateral,
                AuditDigest = _digests == null ? null : Digest(_digests),
                Phases = _phases,
                Checks,
            };
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
        /// <summary>The floor's bounding calls per second as made, first to last, in the access region (or account) that bounds them.</summary>
        public double? BoundRate { get; set; }
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
        /// <summary>Run as several accounts: each (account, action) whose calls differ from that account's own minimum.</summary>
        public List<string> AccountDifferences { get; set; }
        /// <summary>Run as several accounts: each account's first and last call, in seconds from the phase's first request.</summary>
        public Dictionary<string, string> AccountSeconds { get; set; }
        [JsonIgnore] public IReadOnlyList<TcEmulatorRequest> Requests { get; set; }

        public static PhaseReport Skip(FleetPhase phase, string missing) => new PhaseReport { Name = phase.Name, Command = phase.Script, Skipped = missing };

        /// <param name="budgetOf">The budget a request was counted against, as the plan names budgets: by default its access region.</param>
        public void Account(CallPlan plan, Func<string, int> limitOf, double latencySeconds, int accountCeiling, Func<TcEmulatorRequest, string> budgetOf = null)
        {
            budgetOf = budgetOf ?? (r => r.AccessRegion);
            // Keyed as the rate-limit table is: Lighthouse's DescribeRegions and DescribeInstances apart from CVM's.
            string KeyOf(TcEmulatorRequest r) => TencentRateLimits.Key(r.Service, r.Action);
            foreach (string action in Requests.Select(KeyOf).Concat(plan.Calls.Keys).Distinct())
            {
                List<TcEmulatorRequest> of = Requests.Where(r => KeyOf(r) == action).ToList();
                Calls[action ?? "(none)"] = new ActionCalls
                {
                    Actual = of.Count,
                    Failed = of.Count(r => r.Failed),
                    Minimum = plan[action],
                };
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
            // How fast the bounding calls actually went where they are bound: below the limit's 85 % pacing, the
            // client or the pipeline feeding it held them back; at it, the rest of the wall time is elsewhere.
            List<TcEmulatorRequest> bounding = Requests.Where(r => KeyOf(r) == bound.Action && !r.Failed &&
                (bound.AccessRegion == null || string.Equals(budgetOf(r), bound.AccessRegion, StringComparison.OrdinalIgnoreCase))).ToList();
            if (bounding.Count > 1)
            {
                double span = (bounding.Max(r => r.Time) - bounding.Min(r => r.Time)).TotalSeconds;
                if (span > 0) BoundRate = Math.Round((bounding.Count - 1) / span, 2);
            }
            FloorDetail = string.Format(CultureInfo.InvariantCulture, "{0} {1} calls / {2} per s {3} = {4:F2} s + {5} dependent round trips x {6:F0} ms{7}",
                bound.Action, bound.Calls, bound.Limit, bound.AccessRegion == null ? "account-wide" : "in access region " + bound.AccessRegion,
                bound.Seconds, plan.ChainDepth, latencySeconds * 1000,
                BoundRate.HasValue ? string.Format(CultureInfo.InvariantCulture, "; measured {0:F2} per s there", BoundRate) : "");
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
