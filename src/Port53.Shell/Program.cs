using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text;

namespace Port53.Shell
{
    /// <summary>
    /// A small PowerShell host for machines without pwsh: runs a command or a script file with the Port53 module
    /// already imported, renders output through the module's format views, writes errors to stderr and exits
    /// non-zero when the script ends in a terminating error (or with the code given to <c>exit</c>).
    /// </summary>
    public static class Program
    {
        private const string Usage =
            "usage: Port53.Shell -Command '<script>'\n" +
            "       Port53.Shell -File <path.ps1> [arguments]\n" +
            "The Port53 module is imported before the script runs (override its path with PORT53_MODULE_PATH).";

        private const string LastStatusVariable = "Port53ShellLastStatementSucceeded";

        public static int Main(string[] args)
        {
            Console.OutputEncoding = new UTF8Encoding(false);
            if (!TryBuildScript(args, out string script, out string problem))
            {
                Console.Error.WriteLine(problem);
                Console.Error.WriteLine(Usage);
                return 2;
            }

            string modulePath = FindModule();
            if (modulePath == null)
            {
                Console.Error.WriteLine("Port53 module not found. Build it first: dotnet build Port53Cmdlets.sln -c Release");
                return 2;
            }

            var host = new ConsoleHost();
            AddOwnModuleFolder();
            // CreateDefault loads the built-in cmdlets (Select-Object, ConvertTo-Json, Format-Table ...) from their
            // assemblies; CreateDefault2 would look for the built-in modules' .psd1 files, which a runtime-specific
            // build does not put beside the program.
            var iss = InitialSessionState.CreateDefault();
            // Windows applies execution policy to scripts (-File, Pester's test files); other systems have none to set.
            if (OperatingSystem.IsWindows()) iss.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.RemoteSigned;
            iss.ImportPSModule(new[] { modulePath });
            using (Runspace runspace = RunspaceFactory.CreateRunspace(host, iss))
            {
                runspace.Open();
                using (PowerShell ps = PowerShell.Create())
                {
                    ps.Runspace = runspace;
                    // As pwsh: the exit code says whether the last statement succeeded ($?), so a script that ends in
                    // an error (a cmdlet's terminating error, say) exits 1 even though the engine itself did not fail.
                    ps.AddScript(script + "\n$global:" + LastStatusVariable + " = $?");
                    // Errors travel with the output so Out-Default renders them in order, through the host (stderr).
                    ps.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Error, PipelineResultTypes.Output);
                    ps.AddCommand("Out-Default");
                    ConsoleCancelEventHandler onCancel = (s, e) => { e.Cancel = true; ps.BeginStop(null, null); };
                    Console.CancelKeyPress += onCancel;
                    try
                    {
                        ps.Invoke();
                    }
                    catch (PipelineStoppedException)
                    {
                        host.UI.WriteErrorLine("The pipeline was stopped.");
                        return 130;
                    }
                    catch (RuntimeException ex)
                    {
                        host.UI.WriteErrorLine(ex.ErrorRecord?.ToString() ?? ex.Message);
                        return host.ExitCode ?? 1;
                    }
                    finally
                    {
                        Console.CancelKeyPress -= onCancel;
                    }
                    if (host.ExitCode.HasValue) return host.ExitCode.Value;
                    if (ps.InvocationStateInfo.State == PSInvocationState.Failed) return 1;
                    return runspace.SessionStateProxy.GetVariable(LastStatusVariable) is bool ok && !ok ? 1 : 0;
                }
            }
        }

        internal static bool TryBuildScript(string[] args, out string script, out string problem)
        {
            script = null;
            problem = null;
            if (args.Length >= 2 && IsSwitch(args[0], "Command"))
            {
                script = string.Join(" ", args.Skip(1));
                return true;
            }
            if (args.Length >= 1 && IsSwitch(args[0], "File"))
            {
                if (args.Length < 2) { problem = "-File needs a script path."; return false; }
                string path = Path.GetFullPath(args[1]);
                if (!File.Exists(path)) { problem = "Script not found: " + path; return false; }
                var sb = new StringBuilder("& ").Append(Quote(path));
                foreach (string arg in args.Skip(2))
                {
                    sb.Append(' ');
                    // -Name and -Name: stay parameter names, as pwsh -File passes them; everything else is a literal string.
                    bool isParameterName = arg.Length > 1 && arg[0] == '-' && char.IsLetter(arg[1]) &&
                        arg.Skip(1).All(c => char.IsLetterOrDigit(c) || c == '_' || c == ':');
                    sb.Append(isParameterName ? arg : Quote(arg));
                }
                script = sb.ToString();
                return true;
            }
            problem = args.Length == 0 ? "Nothing to run." : "Unknown argument: " + args[0];
            return false;
        }

        private static bool IsSwitch(string arg, string name) =>
            arg.StartsWith("-", StringComparison.Ordinal) && arg.Length > 1 &&
            name.StartsWith(arg.Substring(1), StringComparison.OrdinalIgnoreCase);

        private static string Quote(string value) => "'" + value.Replace("'", "''") + "'";

        /// <summary>
        /// Modules/ beside the shell (Pester ships there) goes on PSModulePath, so `Import-Module Pester` finds the
        /// copy the build restored. The engine reads PSModulePath from the process environment when it opens.
        /// </summary>
        private static void AddOwnModuleFolder()
        {
            string own = Path.Combine(AppContext.BaseDirectory, "Modules");
            string current = Environment.GetEnvironmentVariable("PSModulePath");
            Environment.SetEnvironmentVariable("PSModulePath",
                string.IsNullOrEmpty(current) ? own : own + Path.PathSeparator + current);
        }

        /// <summary>PORT53_MODULE_PATH, else the nearest out/Port53 above the shell (the folder the build assembles).</summary>
        private static string FindModule()
        {
            string overridden = Environment.GetEnvironmentVariable("PORT53_MODULE_PATH");
            if (!string.IsNullOrEmpty(overridden)) return overridden;
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "out", "Port53", "Port53.psd1");
                if (File.Exists(candidate)) return candidate;
            }
            return null;
        }
    }
}
