using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;

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

        /// <summary>Parent: `import [--runs N] [--module path.psd1] [--cold]`.</summary>
        public static int RunParent(string[] args)
        {
            int runs = 10;
            string module = null;
            bool cold = false;
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                    case "--module": module = args[++i]; break;
                    case "--cold": cold = true; break;
                    default: Console.Error.WriteLine("unknown option " + args[i]); return 2;
                }
            }
            module = module ?? Paths.DefaultModuleManifest();
            if (!File.Exists(module))
            {
                Console.Error.WriteLine("Module manifest not found: " + module + "\nBuild it first: dotnet build Port53Cmdlets.sln -c Release");
                return 2;
            }

            Console.WriteLine("Import-Module " + module);
            Console.WriteLine(runs + " fresh child processes, " + Environment.ProcessorCount + " logical cores, " +
                (cold ? "import is the runspace's first pipeline (--cold)" : "one warm-up pipeline (Get-Module) before the import"));
            var open = new List<double>();
            var warm = new List<double>();
            var import = new List<double>();
            var wall = new List<double>();
            List<string> loaded = null;
            for (int run = 0; run < runs; run++)
            {
                var psi = Paths.SelfStartInfo();
                psi.ArgumentList.Add("import-child");
                psi.ArgumentList.Add(module);
                if (cold) psi.ArgumentList.Add("--cold");
                psi.RedirectStandardOutput = true;
                psi.RedirectStandardError = true;
                var sw = Stopwatch.StartNew();
                using (Process p = Process.Start(psi))
                {
                    string stdout = p.StandardOutput.ReadToEnd();
                    string stderr = p.StandardError.ReadToEnd();
                    p.WaitForExit();
                    wall.Add(sw.Elapsed.TotalMilliseconds);
                    if (p.ExitCode != 0)
                    {
                        Console.Error.WriteLine("child failed (" + p.ExitCode + "):\n" + stdout + stderr);
                        return 1;
                    }
                    var lines = stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
                    string result = lines.First(l => l.StartsWith(ResultTag, StringComparison.Ordinal)).Substring(ResultTag.Length);
                    Dictionary<string, double> values = result.Split(' ')
                        .Select(kv => kv.Split('='))
                        .ToDictionary(kv => kv[0], kv => double.Parse(kv[1], CultureInfo.InvariantCulture));
                    open.Add(values["open"]);
                    warm.Add(values["warmup"]);
                    import.Add(values["import"]);
                    var thisLoaded = lines.Where(l => l.StartsWith(LoadedTag, StringComparison.Ordinal)).Select(l => l.Substring(LoadedTag.Length)).ToList();
                    if (loaded == null) loaded = thisLoaded;
                    else if (!thisLoaded.Select(Name).SequenceEqual(loaded.Select(Name)))
                    {
                        Console.WriteLine("note: run " + (run + 1) + " loaded a different set: " + string.Join(", ", thisLoaded.Select(Name)));
                    }
                }
            }

            Console.WriteLine();
            Console.WriteLine("                                   min     median        max  (ms)");
            Row("runspace open (CreateDefault2)", open);
            if (!cold) Row("warm-up pipeline (Get-Module)", warm);
            Row("Import-Module Port53", import);
            Row("child process wall time", wall);
            Console.WriteLine();
            Console.WriteLine("Median import " + Format(Median(import)) + " ms; target < 150 ms: " + (Median(import) < 150 ? "MET" : "NOT MET"));
            Console.WriteLine();
            Console.WriteLine("Assemblies loaded by Import-Module (first run), with what triggered each load:");
            foreach (string l in loaded) Console.WriteLine("  " + l.Replace(" | ", "\n      "));
            bool newtonsoft = loaded.Any(l => Name(l) == "Newtonsoft.Json");
            Console.WriteLine();
            Console.WriteLine("Newtonsoft.Json loaded by the import: " + (newtonsoft ? "YES (see trigger above)" : "no"));
            return 0;
        }

        /// <summary>Child: one measurement in this fresh process.</summary>
        public static int RunChild(string[] args)
        {
            string module = args[0];
            bool cold = args.Length > 1 && args[1] == "--cold";

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

                var before = new HashSet<Assembly>(AppDomain.CurrentDomain.GetAssemblies());
                var triggers = new Dictionary<string, string>();
                AssemblyLoadEventHandler onLoad = (s, e) => triggers[e.LoadedAssembly.FullName] = Trigger();
                AppDomain.CurrentDomain.AssemblyLoad += onLoad;
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
                AppDomain.CurrentDomain.AssemblyLoad -= onLoad;

                Console.WriteLine(ResultTag + string.Format(CultureInfo.InvariantCulture, "open={0:F2} warmup={1:F2} import={2:F2}", openMs, warmMs, importMs));
                foreach (Assembly a in AppDomain.CurrentDomain.GetAssemblies().Where(a => !before.Contains(a)).OrderBy(a => a.GetName().Name, StringComparer.Ordinal))
                {
                    string location = a.IsDynamic ? "(dynamic)" : a.Location.Length == 0 ? "(in memory)" : a.Location;
                    triggers.TryGetValue(a.FullName, out string trigger);
                    Console.WriteLine(LoadedTag + a.GetName().Name + " " + a.GetName().Version + " | from " + location + " | by " + (trigger ?? "?"));
                }
                Console.WriteLine("IMPORT-MODULE " + imported.Name + " " + imported.Version + " exports " + imported.ExportedCmdlets.Count + " cmdlets");
            }
            return 0;
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

        private static void Row(string label, List<double> values)
        {
            Console.WriteLine("  " + label.PadRight(32) + Format(values.Min()).PadLeft(8) + Format(Median(values)).PadLeft(11) + Format(values.Max()).PadLeft(11));
        }

        internal static double Median(List<double> values)
        {
            var s = values.OrderBy(v => v).ToList();
            int n = s.Count;
            return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        }

        internal static string Format(double ms) => ms.ToString("F1", CultureInfo.InvariantCulture);
    }

    internal static class Paths
    {
        /// <summary>out/Port53/Port53.psd1 of the repository this program was built from.</summary>
        public static string DefaultModuleManifest()
        {
            for (DirectoryInfo d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "Port53Cmdlets.sln"))) return Path.Combine(d.FullName, "out", "Port53", "Port53.psd1");
            }
            return Path.GetFullPath(Path.Combine("out", "Port53", "Port53.psd1"));
        }

        /// <summary>Starts this same program again, whether it runs as an apphost or as `dotnet Port53.Benchmarks.dll`.</summary>
        public static ProcessStartInfo SelfStartInfo()
        {
            string processPath = Environment.ProcessPath;
            var psi = new ProcessStartInfo(processPath) { UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(processPath).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            {
                psi.ArgumentList.Add(typeof(Paths).Assembly.Location);
            }
            return psi;
        }
    }
}
