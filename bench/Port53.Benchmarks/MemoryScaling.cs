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
    /// and groups), each phase in a fresh process of its own (--runs of them per size), so each peak is what one
    /// run of that pipeline needs.
    /// A module that streams has the same peak at both sizes, up to the tolerance (bench/README.md says why 25 MB).
    /// </summary>
    internal static class MemoryScaling
    {
        public const int SmallFleet = 1000;
        public const double ToleranceMB = 25;

        public static int Run(FleetOptions options)
        {
            if (options.Instances <= SmallFleet)
            {
                Console.Error.WriteLine("fleet --memory-scaling: --instances must be above " + SmallFleet + ".");
                return 2;
            }
            string results = Path.Combine(Paths.RepoRoot(), "bench", "results");
            var checks = new List<Check>();
            var rows = new List<object>();
            foreach (string phase in new[] { FleetPhase.Inventory, FleetPhase.Audit })
            {
                var peaks = new Dictionary<int, double>();
                string skipped = null;
                foreach (int size in new[] { SmallFleet, options.Instances })
                {
                    var runPeaks = new List<double>();
                    for (int run = 1; run <= options.Runs && skipped == null; run++)
                    {
                        string output = Path.Combine(results, "memory-" + phase + "-" + size.ToString(CultureInfo.InvariantCulture) + ".json");
                        using (JsonDocument child = RunChild(options, phase, size, output))
                        {
                            if (child == null) return 1;
                            JsonElement report = child.RootElement.GetProperty("Phases")[0];
                            if (report.TryGetProperty("Skipped", out JsonElement s))
                            {
                                skipped = s.GetString();
                                break;
                            }
                            runPeaks.Add(report.GetProperty("PeakWorkingSetMB").GetDouble());
                            rows.Add(new
                            {
                                Phase = phase,
                                Instances = size,
                                Run = run,
                                PeakWorkingSetMB = runPeaks[runPeaks.Count - 1],
                                WorkingSetBeforeMB = report.GetProperty("WorkingSetBeforeMB").GetDouble(),
                                WallSeconds = report.GetProperty("WallSeconds").GetDouble(),
                                Output = report.GetProperty("OutputObjects").GetInt32(),
                            });
                        }
                    }
                    if (skipped != null) break;
                    // Garbage the GC has not yet returned only ever adds to a peak, so the least of the runs is the closest to what the work needs.
                    peaks[size] = runPeaks.Min();
                }
                string name = "memory: " + phase + " peak working set at " + options.Instances + " <= at " + SmallFleet + " + " + ToleranceMB + " MB";
                if (skipped != null)
                {
                    checks.Add(Check.Skipped(name, skipped));
                    continue;
                }
                double small = peaks[SmallFleet], large = peaks[options.Instances];
                checks.Add(Check.Of(name, large <= small + ToleranceMB,
                    string.Format(CultureInfo.InvariantCulture, "least of {3} runs: {0:F1} MB vs {1:F1} MB, {2:+0.0;-0.0} MB", large, small, large - small, options.Runs)));
            }
            string path = Path.Combine(results, "memory-scaling.json");
            File.WriteAllText(path, JsonSerializer.Serialize(new
            {
                Commit = Paths.GitCommit(),
                Date = DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture),
                Cores = Environment.ProcessorCount,
                Options = options,
                ToleranceMB,
                Runs = rows,
                Checks = checks,
            }, new JsonSerializerOptions { WriteIndented = true }) + "\n");
            Console.WriteLine();
            Console.WriteLine("Memory scaling (each phase in a fresh process; wrote " + path + "):");
            foreach (Check c in checks) Console.WriteLine("  " + c);
            return checks.Any(c => c.Outcome == Check.Fail) ? 1 : 0;
        }

        /// <summary>This program's `fleet` for one phase and size; null (after saying why) if it produced no report.</summary>
        private static JsonDocument RunChild(FleetOptions options, string phase, int instances, string output)
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
            Console.WriteLine(">>> " + phase + " at " + instances + " instances, in a fresh process");
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
