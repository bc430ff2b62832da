using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace Port53.Benchmarks
{
    /// <summary>
    /// `fleet --memory-scaling`: the inventory and the audit at 1,000 and at --instances instances (same regions
    /// and groups), each phase in a fresh process of its own (--runs of them per size and kind of run), so each
    /// peak is what one run of that pipeline needs.
    ///
    /// The check is on the live managed heap (runs with --live-heap: a full GC every 200 ms, then the bytes still
    /// referenced): a module that streams keeps about the same at both sizes, up to what grows with the groups and
    /// regions rather than the instances (bench/README.md says why 6 MB). The working set is measured in runs of its
    /// own, without forced GCs, and reported with what drives it (bytes allocated, GCs), not judged: until the GC's
    /// gen0 budget is spent it grows with every byte allocated, reachable or not (bench/README.md, "Memory scaling").
    /// </summary>
    internal static class MemoryScaling
    {
        public const int SmallFleet = 1000;
        public const double LiveToleranceMB = 6;

        public static int Run(FleetOptions options)
        {
            if (options.Instances <= SmallFleet)
            {
                Console.Error.WriteLine("fleet --memory-scaling: --instances must be above " + SmallFleet + ".");
                return 2;
            }
            string results = Path.Combine(Paths.RepoRoot(), "bench", "results");
            var checks = new List<Check>();
            var rows = new List<ScalingRun>();
            foreach (string phase in new[] { FleetPhase.Inventory, FleetPhase.Audit })
            {
                string skipped = null;
                foreach (bool live in new[] { true, false })
                {
                    foreach (int size in new[] { SmallFleet, options.Instances })
                    {
                        for (int run = 1; run <= options.Runs && skipped == null; run++)
                        {
                            string output = Path.Combine(results, "memory-" + phase + "-" + size.ToString(CultureInfo.InvariantCulture) + (live ? "-live" : "") + ".json");
                            using (JsonDocument child = RunChild(options, phase, size, live, output))
                            {
                                if (child == null) return 1;
                                JsonElement report = child.RootElement.GetProperty("Phases")[0];
                                if (report.TryGetProperty("Skipped", out JsonElement s))
                                {
                                    skipped = s.GetString();
                                    break;
                                }
                                rows.Add(ScalingRun.From(phase, size, run, live, report));
                            }
                        }
                    }
                }
                string name = "memory: " + phase + " live heap peak at " + options.Instances + " <= at " + SmallFleet + " + " + LiveToleranceMB + " MB";
                if (skipped != null)
                {
                    checks.Add(Check.Skipped(name, skipped));
                    continue;
                }
                // The least of the runs: garbage and timing only ever add to a peak, so the least is closest to what the work needs.
                ScalingRun Least(int size, bool live, Func<ScalingRun, double> of) =>
                    rows.Where(r => r.Phase == phase && r.Instances == size && r.LiveHeap == live).OrderBy(of).First();
                ScalingRun smallLive = Least(SmallFleet, true, r => r.Report.PeakLiveHeapMB ?? 0), largeLive = Least(options.Instances, true, r => r.Report.PeakLiveHeapMB ?? 0);
                double small = smallLive.Report.PeakLiveHeapMB ?? 0, large = largeLive.Report.PeakLiveHeapMB ?? 0;
                checks.Add(Check.Of(name, large <= small + LiveToleranceMB,
                    string.Format(CultureInfo.InvariantCulture, "least of {3} runs: {0:F1} MB vs {1:F1} MB, {2:+0.0;-0.0} MB", large, small, large - small, options.Runs)));
                PhaseReport smallWs = Least(SmallFleet, false, r => r.Report.PeakWorkingSetMB).Report, largeWs = Least(options.Instances, false, r => r.Report.PeakWorkingSetMB).Report;
                checks.Add(Check.Informational("memory: " + phase + " peak working set at " + options.Instances + " vs " + SmallFleet,
                    string.Format(CultureInfo.InvariantCulture,
                        "least of {0} runs: {1:F1} MB vs {2:F1} MB, {3:+0.0;-0.0} MB; allocated {4:F1} MB vs {5:F1} MB, GCs {6} vs {7}: the GC's timing, not what is kept (bench/README.md)",
                        options.Runs, largeWs.PeakWorkingSetMB, smallWs.PeakWorkingSetMB, largeWs.PeakWorkingSetMB - smallWs.PeakWorkingSetMB,
                        largeWs.AllocatedMB, smallWs.AllocatedMB, string.Join("/", largeWs.Collections), string.Join("/", smallWs.Collections))));
            }
            string path = Path.Combine(results, "memory-scaling.json");
            File.WriteAllText(path, JsonSerializer.Serialize(new
            {
                Commit = Paths.GitCommit(),
                Date = DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture),
                Cores = Environment.ProcessorCount,
                Options = options,
                LiveToleranceMB,
                LiveHeapSampleMs = LiveHeapSampler.IntervalMs,
                Runs = rows,
                Checks = checks,
            }, new JsonSerializerOptions { WriteIndented = true }) + "\n");
            Console.WriteLine();
            Console.WriteLine("Memory scaling (each phase in a fresh process; wrote " + path + "):");
            foreach (Check c in checks) Console.WriteLine("  " + c);
            return checks.Any(c => c.Outcome == Check.Fail) ? 1 : 0;
        }

        /// <summary>One child run: which, and its phase report as the child wrote it.</summary>
        internal sealed class ScalingRun
        {
            public string Phase { get; set; }
            public int Instances { get; set; }
            public int Run { get; set; }
            /// <summary>A --live-heap run (forced full GCs), or a plain one.</summary>
            public bool LiveHeap { get; set; }
            public PhaseReport Report { get; set; }

            public static ScalingRun From(string phase, int size, int run, bool live, JsonElement report) => new ScalingRun
            {
                Phase = phase,
                Instances = size,
                Run = run,
                LiveHeap = live,
                Report = report.Deserialize<PhaseReport>(),
            };
        }

        /// <summary>This program's `fleet` for one phase and size; null (after saying why) if it produced no report.</summary>
        private static JsonDocument RunChild(FleetOptions options, string phase, int instances, bool liveHeap, string output)
        {
            string self = typeof(MemoryScaling).Assembly.Location;
            ProcessStartInfo psi = Paths.ChildStartInfo(Path.ChangeExtension(self, ".deps.json"));
            string[] arguments =
            {
                "fleet", "--instances", instances.ToString(CultureInfo.InvariantCulture),
                "--regions", options.Regions.ToString(CultureInfo.InvariantCulture), "--groups", options.Groups.ToString(CultureInfo.InvariantCulture),
                "--exposed", options.Exposed.ToString(CultureInfo.InvariantCulture), "--latency", options.LatencyMs.ToString(CultureInfo.InvariantCulture),
                "--seed", options.Seed.ToString(CultureInfo.InvariantCulture), "--phases", phase, "--out", output,
            };
            foreach (string a in arguments) psi.ArgumentList.Add(a);
            if (liveHeap) psi.ArgumentList.Add("--live-heap");
            if (options.Collecting) psi.ArgumentList.Add("--collecting");
            if (options.Module != null)
            {
                psi.ArgumentList.Add("--module");
                psi.ArgumentList.Add(options.Module);
            }
            if (options.Emulator != null)
            {
                psi.ArgumentList.Add("--emulator");
                psi.ArgumentList.Add(options.Emulator);
            }
            Console.WriteLine();
            Console.WriteLine(">>> " + phase + " at " + instances + " instances, in a fresh process" + (liveHeap ? ", sampling the live heap" : ""));
            if (File.Exists(output)) File.Delete(output);
            using (Process p = Process.Start(psi))
            {
                p.WaitForExit();
                // 1 = some check failed, which is the child's own verdict on calls and wall time; the report is still there.
                if ((p.ExitCode != 0 && p.ExitCode != 1) || !File.Exists(output))
                {
                    Console.Error.WriteLine("fleet child for " + phase + " at " + instances + " failed (exit " + p.ExitCode + ")");
                    return null;
                }
            }
            return JsonDocument.Parse(File.ReadAllText(output));
        }
    }
}
