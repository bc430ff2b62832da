using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using System.Reflection.PortableExecutable;
using System.Text.Json.Nodes;

namespace Port53.Benchmarks
{
    /// <summary>
    /// Start-up cost of the module as a user pays it: a fresh process, a fresh runspace
    /// (InitialSessionState.CreateDefault2, no execution policy set), then Import-Module of the built folder.
    /// The parent spawns this same program N times with the child sub-command, because only the first import in a
    /// process is cold (JIT, assembly loading, type caches).
    /// </summary>
    internal static class ImportProbe
    {
        private const string ResultTag = "IMPORT-RESULT ";
        private const string LoadedTag = "IMPORT-LOADED ";
        private const string ModuleTag = "IMPORT-MODULE ";
        private const string NewtonsoftTag = "IMPORT-NEWTONSOFT-BEFORE ";
        private const string ReadyToRunTag = "IMPORT-SMA-R2R ";

        /// <summary>Parent: `import [--runs N] [--module path.psd1] [--cold] [--no-baseline]`.</summary>
        public static int RunParent(string[] args)
        {
            int runs = 10;
            string module = null;
            bool cold = false, baseline = true;
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                    case "--module": module = args[++i]; break;
                    case "--cold": cold = true; break;
                    case "--no-baseline": baseline = false; break;
                    default: Console.Error.WriteLine("unknown option " + args[i]); return 2;
                }
            }
            module = Path.GetFullPath(module ?? Paths.DefaultModuleManifest());
            if (!File.Exists(module))
            {
                Console.Error.WriteLine("Module manifest not found: " + module + "\nBuild it first: dotnet build Port53Cmdlets.sln -c Release");
                return 2;
            }
            string depsFile = Paths.DepsWithoutPort53();
            string empty = baseline ? Paths.EmptyModuleManifest() : null;

            Console.WriteLine("Import-Module " + module);
            Console.WriteLine(runs + " fresh child processes per module, " + Environment.ProcessorCount + " logical cores, " +
                (cold ? "the import is the runspace's first pipeline (--cold)" : "one warm-up pipeline (Get-Module) before the import") +
                (baseline ? "; interleaved with an empty manifest as the baseline" : ""));
            var port53 = new List<ChildResult>();
            var empties = new List<ChildResult>();
            for (int run = 0; run < runs; run++)
            {
                ChildResult r = RunChildProcess(depsFile, module, cold);
                if (r == null) return 1;
                port53.Add(r);
                if (!baseline) continue;
                r = RunChildProcess(depsFile, empty, cold);
                if (r == null) return 1;
                empties.Add(r);
            }

            ChildResult first = port53[0];
            Console.WriteLine(first.ModuleLine);
            Console.WriteLine("System.Management.Automation ReadyToRun: " + first.SmaReadyToRun);
            Console.WriteLine();
            Console.WriteLine("                                          min     median        max  (ms)");
            Row("runspace open (CreateDefault2)", port53.Select(r => r.Open));
            if (!cold) Row("warm-up pipeline (Get-Module)", port53.Select(r => r.Warmup));
            Row("Import-Module Port53", port53.Select(r => r.Import));
            if (baseline) Row("Import-Module empty manifest (baseline)", empties.Select(r => r.Import));
            Row("child process wall time (Port53)", port53.Select(r => r.Wall));
            Row("Import-Module Port53, CPU time", port53.Select(r => r.ImportCpu));
            if (baseline) Row("Import-Module empty manifest, CPU time", empties.Select(r => r.ImportCpu));
            Console.WriteLine();
            double median = Median(port53.Select(r => r.Import));
            Console.WriteLine("Median Port53 import " + Format(median) + " ms; target < 150 ms: " + (median < 150 ? "MET" : "NOT MET"));
            if (baseline)
            {
                Console.WriteLine("Port53's own share (median Port53 import - median empty-manifest import): " +
                    Format(median - Median(empties.Select(r => r.Import))) + " ms wall, " +
                    Format(Median(port53.Select(r => r.ImportCpu)) - Median(empties.Select(r => r.ImportCpu))) + " ms CPU");
            }
            foreach (ChildResult r in port53.Skip(1))
            {
                if (!r.Loaded.Select(Name).SequenceEqual(first.Loaded.Select(Name)))
                {
                    Console.WriteLine("note: a later run loaded a different set: " + string.Join(", ", r.Loaded.Select(Name)));
                }
            }
            Console.WriteLine();
            Console.WriteLine("Assemblies loaded by Import-Module Port53 (first run), with what triggered each load:");
            foreach (string l in first.Loaded) Console.WriteLine("  " + l.Replace(" | ", "\n      "));
            Console.WriteLine();
            Console.WriteLine("Newtonsoft.Json loaded by the import: " + (first.Loaded.Any(l => Name(l) == "Newtonsoft.Json") ? "YES (see trigger above)" : "no"));
            Console.WriteLine("Newtonsoft.Json already loaded before the import: " + first.NewtonsoftBefore);
            return 0;
        }

        private sealed class ChildResult
        {
            public double Open, Warmup, Import, ImportCpu, Wall;
            public List<string> Loaded;
            public string ModuleLine, NewtonsoftBefore, SmaReadyToRun;
        }

        private static ChildResult RunChildProcess(string depsFile, string module, bool cold)
        {
            ProcessStartInfo psi = Paths.ChildStartInfo(depsFile);
            psi.ArgumentList.Add("import-child");
            psi.ArgumentList.Add(module);
            if (cold) psi.ArgumentList.Add("--cold");
            psi.RedirectStandardOutput = true;
            psi.RedirectStandardError = true;
            var sw = Stopwatch.StartNew();
            using (Process p = Process.Start(psi))
            {
                // stderr is small; read it after stdout is drained.
                string stdout = p.StandardOutput.ReadToEnd();
                string stderr = p.StandardError.ReadToEnd();
                p.WaitForExit();
                double wall = sw.Elapsed.TotalMilliseconds;
                if (p.ExitCode != 0)
                {
                    Console.Error.WriteLine("child failed (" + p.ExitCode + "):\n" + stdout + stderr);
                    return null;
                }
                List<string> lines = stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
                string Tagged(string tag) => lines.Where(l => l.StartsWith(tag, StringComparison.Ordinal)).Select(l => l.Substring(tag.Length)).FirstOrDefault();
                Dictionary<string, double> values = Tagged(ResultTag).Split(' ')
                    .Select(kv => kv.Split('='))
                    .ToDictionary(kv => kv[0], kv => double.Parse(kv[1], CultureInfo.InvariantCulture));
                return new ChildResult
                {
                    Open = values["open"],
                    Warmup = values["warmup"],
                    Import = values["import"],
                    ImportCpu = values["importcpu"],
                    Wall = wall,
                    Loaded = lines.Where(l => l.StartsWith(LoadedTag, StringComparison.Ordinal)).Select(l => l.Substring(LoadedTag.Length)).ToList(),
                    ModuleLine = Tagged(ModuleTag),
                    NewtonsoftBefore = Tagged(NewtonsoftTag),
                    SmaReadyToRun = Tagged(ReadyToRunTag),
                };
            }
        }

        /// <summary>Child: one measurement in this fresh process.</summary>
        public static int RunChild(string[] args)
        {
            string module = args[0];
            bool cold = args.Length > 1 && args[1] == "--cold";

            // Only Newtonsoft.Json's load is traced before the import: a stack walk per load would inflate the open time.
            string newtonsoftTrigger = null;
            AssemblyLoadEventHandler onEarlyLoad = (s, e) =>
            {
                if (e.LoadedAssembly.GetName().Name == "Newtonsoft.Json") newtonsoftTrigger = Trigger();
            };
            AppDomain.CurrentDomain.AssemblyLoad += onEarlyLoad;

            var sw = Stopwatch.StartNew();
            InitialSessionState iss = InitialSessionState.CreateDefault2();
            using (Runspace runspace = RunspaceFactory.CreateRunspace(iss))
            {
                runspace.Open();
                double openMs = sw.Elapsed.TotalMilliseconds;

                double warmMs = 0;
                if (!cold)
                {
                    sw.Restart();
                    using (PowerShell ps = PowerShell.Create())
                    {
                        ps.Runspace = runspace;
                        ps.AddCommand("Get-Module").Invoke();
                    }
                    warmMs = sw.Elapsed.TotalMilliseconds;
                }
                AppDomain.CurrentDomain.AssemblyLoad -= onEarlyLoad;

                // Load what the probe itself needs (stack walking, LINQ sorting) now, so the diff holds only the import's loads.
                Trigger();
                new[] { "b", "a" }.OrderBy(x => x, StringComparer.Ordinal).ToList();
                var before = new HashSet<Assembly>(AppDomain.CurrentDomain.GetAssemblies());
                bool newtonsoftBefore = before.Any(a => a.GetName().Name == "Newtonsoft.Json");
                var triggers = new Dictionary<string, string>();
                AssemblyLoadEventHandler onLoad = (s, e) => triggers[e.LoadedAssembly.FullName] = Trigger();
                AppDomain.CurrentDomain.AssemblyLoad += onLoad;
                TimeSpan cpuBefore = ProcessorTime();
                sw.Restart();
                PSModuleInfo imported;
                using (PowerShell ps = PowerShell.Create())
                {
                    ps.Runspace = runspace;
                    ps.AddCommand("Import-Module").AddParameter("Name", module).AddParameter("PassThru");
                    imported = ps.Invoke<PSModuleInfo>().FirstOrDefault();
                    if (ps.HadErrors || imported == null)
                    {
                        foreach (ErrorRecord e in ps.Streams.Error) Console.Error.WriteLine(e);
                        Console.Error.WriteLine("Import-Module did not return the module.");
                        return 1;
                    }
                }
                double importMs = sw.Elapsed.TotalMilliseconds;
                double importCpuMs = (ProcessorTime() - cpuBefore).TotalMilliseconds;
                AppDomain.CurrentDomain.AssemblyLoad -= onLoad;

                Console.WriteLine(ResultTag + string.Format(CultureInfo.InvariantCulture, "open={0:F2} warmup={1:F2} import={2:F2} importcpu={3:F2}", openMs, warmMs, importMs, importCpuMs));
                foreach (Assembly a in AppDomain.CurrentDomain.GetAssemblies().Where(a => !before.Contains(a)).OrderBy(a => a.GetName().Name, StringComparer.Ordinal))
                {
                    string location = a.IsDynamic ? "(dynamic)" : a.Location.Length == 0 ? "(in memory)" : a.Location;
                    triggers.TryGetValue(a.FullName, out string trigger);
                    Console.WriteLine(LoadedTag + a.GetName().Name + " " + a.GetName().Version + " | from " + location + " | by " + (trigger ?? "?"));
                }
                Console.WriteLine(ModuleTag + imported.Name + " " + imported.Version + " exports " + imported.ExportedCmdlets.Count + " cmdlets");
                Console.WriteLine(NewtonsoftTag + (newtonsoftBefore ? "yes, by " + (newtonsoftTrigger ?? "?") : "no"));
                Console.WriteLine(ReadyToRunTag + IsReadyToRun(typeof(PowerShell).Assembly.Location));
            }
            return 0;
        }

        /// <summary>
        /// CPU time of every thread of this process (JIT and GC included). On a shared machine wall time also counts
        /// waiting for a core; CPU time does not, so it is the steadier measure of what the import itself costs.
        /// </summary>
        internal static TimeSpan ProcessorTime()
        {
            using (Process self = Process.GetCurrentProcess()) return self.TotalProcessorTime;
        }

        /// <summary>Whether an assembly carries precompiled (crossgen/ReadyToRun) code; if not, its start-up is all JIT.</summary>
        private static bool IsReadyToRun(string path)
        {
            using (var pe = new PEReader(File.OpenRead(path)))
            {
                return pe.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
            }
        }

        /// <summary>
        /// The frames that asked for the assembly: the first few outside the loader and this probe, plus the first
        /// Port53 frame if any (a static initialiser or attribute in the module shows up there).
        /// </summary>
        private static string Trigger()
        {
            var frames = new StackTrace(2, false).GetFrames()
                .Select(f => f.GetMethod())
                .Where(m => m != null && m.DeclaringType != null)
                .Where(m => m.DeclaringType.Namespace != typeof(ImportProbe).Namespace)
                .Where(m => !(m.DeclaringType.Namespace ?? "").StartsWith("System.Runtime.Loader", StringComparison.Ordinal))
                .Where(m => m.DeclaringType != typeof(AppDomain))
                .Select(m => (m.DeclaringType.FullName ?? m.DeclaringType.Name) + "." + m.Name)
                .ToList();
            var shown = frames.Take(4).ToList();
            string port53 = frames.FirstOrDefault(f => f.StartsWith("Port53.", StringComparison.Ordinal));
            if (port53 != null && !shown.Contains(port53)) shown.Add("... " + port53);
            return shown.Count == 0 ? "(runtime)" : string.Join(" <- ", shown);
        }

        private static string Name(string loadedLine) => loadedLine.Substring(0, loadedLine.IndexOf(' '));

        internal static void Row(string label, IEnumerable<double> values)
        {
            Console.WriteLine("  " + label.PadRight(39) + Format(values.Min()).PadLeft(8) + Format(Median(values)).PadLeft(11) + Format(values.Max()).PadLeft(11));
        }

        internal static double Median(IEnumerable<double> values)
        {
            var s = values.OrderBy(v => v).ToList();
            int n = s.Count;
            return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        }

        internal static string Format(double ms) => ms.ToString("F1", CultureInfo.InvariantCulture);
    }

    internal static class Paths
    {
        /// <summary>The repository this program was built from (the folder with Port53Cmdlets.sln), else the current directory.</summary>
        public static string RepoRoot()
        {
            for (DirectoryInfo d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "Port53Cmdlets.sln"))) return d.FullName;
            }
            return Directory.GetCurrentDirectory();
        }

        /// <summary>out/Port53/Port53.psd1 of the repository this program was built from.</summary>
        public static string DefaultModuleManifest() => Path.Combine(RepoRoot(), "out", "Port53", "Port53.psd1");

        /// <summary>`git rev-parse HEAD` of the repository, "+dirty" with uncommitted changes; null without git.</summary>
        public static string GitCommit()
        {
            string Git(string arguments)
            {
                var psi = new ProcessStartInfo("git", arguments) { WorkingDirectory = RepoRoot(), UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
                try
                {
                    using (Process p = Process.Start(psi))
                    {
                        string text = p.StandardOutput.ReadToEnd();
                        p.StandardError.ReadToEnd();
                        p.WaitForExit();
                        return p.ExitCode == 0 ? text.Trim() : null;
                    }
                }
                catch (System.ComponentModel.Win32Exception)
                {
                    return null;
                }
            }
            string head = Git("rev-parse HEAD");
            if (head == null) return null;
            return head + (string.IsNullOrEmpty(Git("status --porcelain --untracked-files=no")) ? "" : "+dirty");
        }

        /// <summary>An importable manifest with nothing in it: what Import-Module costs before any module content.</summary>
        public static string EmptyModuleManifest()
        {
            string dir = Path.Combine(Path.GetDirectoryName(typeof(Paths).Assembly.Location), "import-probe-empty", "Empty");
            Directory.CreateDirectory(dir);
            string path = Path.Combine(dir, "Empty.psd1");
            File.WriteAllText(path, "@{ ModuleVersion = '0.0.1'; GUID = '00000000-0000-0000-0000-000000000053'; CmdletsToExport = @(); FunctionsToExport = @() }\n");
            return path;
        }

        /// <summary>
        /// Starts this same program again through `dotnet exec` with <paramref name="depsFile"/>, so the child sees
        /// the runtime, SMA and Newtonsoft.Json as pwsh does but not the Port53.dll this program references.
        /// </summary>
        public static ProcessStartInfo ChildStartInfo(string depsFile)
        {
            string self = typeof(Paths).Assembly.Location;
            var psi = new ProcessStartInfo(Dotnet()) { UseShellExecute = false };
            psi.ArgumentList.Add("exec");
            psi.ArgumentList.Add("--depsfile");
            psi.ArgumentList.Add(depsFile);
            psi.ArgumentList.Add("--runtimeconfig");
            psi.ArgumentList.Add(Path.ChangeExtension(self, ".runtimeconfig.json"));
            psi.ArgumentList.Add(self);
            return psi;
        }

        /// <summary>
        /// This program's deps.json without the Port53 project. With Port53.dll on the trusted platform assembly list,
        /// PowerShell's by-name load would bind the copy next to this program instead of out/Port53/Port53.dll;
        /// in pwsh the module is not on that list, so the import must find it by path as it does here.
        /// </summary>
        public static string DepsWithoutPort53()
        {
            string self = typeof(Paths).Assembly.Location;
            JsonNode deps = JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(self, ".deps.json")));
            foreach (KeyValuePair<string, JsonNode> target in deps["targets"].AsObject())
            {
                JsonObject libraries = target.Value.AsObject();
                foreach (string key in libraries.Select(l => l.Key).ToList())
                {
                    if (key.StartsWith("Port53/", StringComparison.Ordinal)) libraries.Remove(key);
                    else if (libraries[key]?["dependencies"] is JsonObject d) d.Remove("Port53");
                }
            }
            JsonObject all = deps["libraries"].AsObject();
            foreach (string key in all.Select(l => l.Key).Where(k => k.StartsWith("Port53/", StringComparison.Ordinal)).ToList()) all.Remove(key);
            // Next to the program: the host resolves the listed assemblies relative to the deps file's folder.
            string path = Path.ChangeExtension(self, ".import-probe.deps.json");
            File.WriteAllText(path, deps.ToJsonString());
            return path;
        }

        /// <summary>The dotnet host, found as Start-TcEmulator finds it (the module's DotnetHost).</summary>
        public static string Dotnet() =>
            Port53.LocalEmulator.DotnetHost.Find() ?? throw new FileNotFoundException("The dotnet host was not found (DOTNET_HOST_PATH, DOTNET_ROOT, PATH).");
    }
}
