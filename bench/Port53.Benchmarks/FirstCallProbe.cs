using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;

namespace Port53.Benchmarks
{
    /// <summary>
    /// Time from a fresh process to the first Get-TcInstance result, the wait a user has before anything shows:
    /// runtime start, runspace, Import-Module, Connect-TcAccount, then DescribeRegions (to check the region name)
    /// and the first DescribeInstances page. Like `import`, each run is a child process that sees the module only
    /// through out/Port53; the emulator (demo fleet, Tencent's rate limits) is one child process for all runs.
    /// </summary>
    internal static class FirstCallProbe
    {
        private const string FirstTag = "FIRST-RESULT";
        private const string ResultTag = "FIRST-CALL ";
        private const string Region = "ap-guangzhou";

        /// <summary>Parent: `first-call [--runs N] [--module path.psd1] [--latency ms]`.</summary>
        public static int RunParent(string[] args)
        {
            int runs = 10, latency = 0;
            string module = null;
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                    case "--module": module = args[++i]; break;
                    case "--latency": latency = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                    default: Console.Error.WriteLine("unknown option " + args[i]); return 2;
                }
            }
            module = Path.GetFullPath(module ?? Paths.DefaultModuleManifest());
            string emulatorDll;
            try
            {
                if (!File.Exists(module)) throw new FileNotFoundException("Module manifest not found: " + module + "\nBuild it first: dotnet build Port53Cmdlets.sln -c Release");
                emulatorDll = ChildEmulator.Locate(null);
            }
            catch (FileNotFoundException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 2;
            }
            string depsFile = Paths.DepsWithoutPort53();
            using (ChildEmulator emulator = ChildEmulator.Start(emulatorDll, new[] { "--demo", "--latency", latency.ToString(CultureInfo.InvariantCulture) }))
            {
                Console.WriteLine("Get-TcInstance -Region " + Region + " against " + emulator.CommandLine + " (" + emulator.BaseUrl + ")");
                Console.WriteLine(runs + " fresh child processes, " + Environment.ProcessorCount + " logical cores; module " + module);
                var results = new List<Dictionary<string, double>>();
                for (int run = 0; run < runs; run++)
                {
                    Dictionary<string, double> r = RunChildProcess(depsFile, module, emulator);
                    if (r == null) return 1;
                    results.Add(r);
                }
                Console.WriteLine();
                Console.WriteLine("                                          min     median        max  (ms)");
                ImportProbe.Row("process start to Main", results.Select(r => r["main"]));
                ImportProbe.Row("runspace open (CreateDefault2)", results.Select(r => r["open"]));
                ImportProbe.Row("Import-Module Port53", results.Select(r => r["import"]));
                ImportProbe.Row("Connect-TcAccount", results.Select(r => r["connect"]));
                ImportProbe.Row("Get-TcInstance to first object", results.Select(r => r["call"]));
                ImportProbe.Row("fresh process to first object", results.Select(r => r["first"]));
                ImportProbe.Row("CPU time of the child to first object", results.Select(r => r["cpu"]));
                Console.WriteLine();
                Console.WriteLine("Median time from a fresh process to the first Get-TcInstance result: " +
                    ImportProbe.Format(ImportProbe.Median(results.Select(r => r["first"]))) + " ms (measured by the parent, from Process.Start to the child's first-object line)");
            }
            return 0;
        }

        private static Dictionary<string, double> RunChildProcess(string depsFile, string module, ChildEmulator emulator)
        {
            ProcessStartInfo psi = Paths.ChildStartInfo(depsFile);
            foreach (string a in new[] { "first-call-child", module, emulator.BaseUrl.GetLeftPart(UriPartial.Authority), emulator.SecretId, emulator.SecretKey })
                psi.ArgumentList.Add(a);
            psi.RedirectStandardOutput = true;
            psi.RedirectStandardError = true;
            var clock = Stopwatch.StartNew();
            using (Process p = Process.Start(psi))
            {
                var stderr = p.StandardError.ReadToEndAsync();
                double first = -1;
                var lines = new List<string>();
                string line;
                while ((line = p.StandardOutput.ReadLine()) != null)
                {
                    if (line == FirstTag && first < 0) first = clock.Elapsed.TotalMilliseconds;
                    lines.Add(line);
                }
                p.WaitForExit();
                string result = lines.FirstOrDefault(l => l.StartsWith(ResultTag, StringComparison.Ordinal));
                if (p.ExitCode != 0 || result == null || first < 0)
                {
                    Console.Error.WriteLine("child failed (" + p.ExitCode + "):\n" + string.Join("\n", lines) + stderr.Result);
                    return null;
                }
                Dictionary<string, double> values = result.Substring(ResultTag.Length).Split(' ')
                    .Select(kv => kv.Split('='))
                    .ToDictionary(kv => kv[0], kv => double.Parse(kv[1], CultureInfo.InvariantCulture));
                values["first"] = first;
                return values;
            }
        }

        /// <summary>Child: `first-call-child &lt;psd1&gt; &lt;endpoint&gt; &lt;secretId&gt; &lt;secretKey&gt;`, one measurement.</summary>
        public static int RunChild(string[] args)
        {
            double main;
            using (Process self = Process.GetCurrentProcess()) main = (DateTime.Now - self.StartTime).TotalMilliseconds;
            string module = args[0], endpoint = args[1], secretId = args[2], secretKeyText = args[3];
            var clock = Stopwatch.StartNew();
            using (Runspace runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2()))
            {
                runspace.Open();
                double open = clock.Elapsed.TotalMilliseconds;

                clock.Restart();
                Invoke(runspace, ps => ps.AddCommand("Import-Module").AddParameter("Name", module));
                double import = clock.Elapsed.TotalMilliseconds;

                SecureString secretKey = HostedSession.Secure(secretKeyText);
                clock.Restart();
                Invoke(runspace, ps => ps.AddCommand("Connect-TcAccount").AddParameter("SecretId", secretId).AddParameter("SecretKey", secretKey)
                    .AddParameter("Endpoint", "regional+" + endpoint).AddParameter("Region", Region));
                double connect = clock.Elapsed.TotalMilliseconds;

                double call = -1, cpu = -1;
                clock.Restart();
                using (PowerShell ps = PowerShell.Create())
                using (var output = new PSDataCollection<PSObject>())
                {
                    ps.Runspace = runspace;
                    output.DataAdded += (s, e) =>
                    {
                        if (call >= 0) return;
                        call = clock.Elapsed.TotalMilliseconds;
                        cpu = ImportProbe.ProcessorTime().TotalMilliseconds;
                        Console.Out.WriteLine(FirstTag);
                        Console.Out.Flush();
                    };
                    ps.AddCommand("Get-TcInstance").AddParameter("Region", Region);
                    ps.Invoke(null, output);
                    if (ps.Streams.Error.Count > 0 || call < 0)
                    {
                        foreach (ErrorRecord e in ps.Streams.Error) Console.Error.WriteLine(e);
                        Console.Error.WriteLine("Get-TcInstance returned nothing.");
                        return 1;
                    }
                }
                Console.WriteLine(ResultTag + string.Format(CultureInfo.InvariantCulture, "main={0:F2} open={1:F2} import={2:F2} connect={3:F2} call={4:F2} cpu={5:F2}",
                    main, open, import, connect, call, cpu));
            }
            return 0;
        }

        private static void Invoke(Runspace runspace, Func<PowerShell, PowerShell> build)
        {
            using (PowerShell ps = PowerShell.Create())
            {
                ps.Runspace = runspace;
                build(ps).Invoke();
                if (ps.Streams.Error.Count > 0) throw new InvalidOperationException(string.Join("\n", ps.Streams.Error.Select(e => e.ToString())));
            }
        }
    }
}
