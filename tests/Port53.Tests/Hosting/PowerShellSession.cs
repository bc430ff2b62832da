using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace Port53.Tests.Hosting
{
    /// <summary>
    /// One PowerShell engine with the built module (out/Port53) imported as a user would import it.
    /// Opening a runspace costs about half a second, so a test class shares one through IClassFixture.
    /// Calls are serialised: xunit runs the tests of one class one at a time.
    /// </summary>
    public class PowerShellSession : IDisposable
    {
        public TestHost Host { get; } = new TestHost();
        public Runspace Runspace { get; }

        public PowerShellSession() : this(ModuleManifest) { }

        /// <summary>An engine with the module imported from <paramref name="manifest"/> instead of out/Port53.</summary>
        protected PowerShellSession(string manifest)
        {
            // The full engine, as in the shell: every built-in cmdlet (Select-Object, Format-Table, ConvertTo-Json ...).
            var iss = InitialSessionState.CreateDefault();
            iss.ImportPSModule(new[] { manifest });
            Runspace = RunspaceFactory.CreateRunspace(Host, iss);
            Runspace.Open();
        }

        public static string RepoRoot { get; } = FindRepoRoot();
        public static string ModuleManifest => Path.Combine(RepoRoot, "out", "Port53", "Port53.psd1");

        private static string FindRepoRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Port53Cmdlets.sln"))) return dir.FullName;
            throw new InvalidOperationException("Port53Cmdlets.sln not found above " + AppContext.BaseDirectory);
        }

        /// <summary>
        /// Runs a script; non-terminating errors are collected, terminating ones captured in Terminating.
        /// <paramref name="answers"/> are the choices the host gives to -Confirm prompts, in order (0 = Yes, 2 = No).
        /// </summary>
        public PsResult Run(string script, IDictionary<string, object> variables = null, IEnumerable<int> answers = null)
        {
            Host.Recorder.Clear();
            foreach (int answer in answers ?? Enumerable.Empty<int>()) Host.Recorder.ChoiceAnswers.Enqueue(answer);
            using (PowerShell ps = PowerShell.Create())
            {
                ps.Runspace = Runspace;
                if (variables != null)
                    foreach (var kv in variables) Runspace.SessionStateProxy.SetVariable(kv.Key, kv.Value);
                ps.AddScript(script);
                var result = new PsResult();
                try
                {
                    result.Output = ps.Invoke();
                }
                catch (RuntimeException ex)
                {
                    result.Terminating = ex.ErrorRecord;
                    result.Output = new Collection<PSObject>();
                }
                result.Errors = ps.Streams.Error.ToList();
                result.Warnings = ps.Streams.Warning.Select(w => w.Message).ToList();
                result.Verbose = ps.Streams.Verbose.Select(v => v.Message).ToList();
                result.Debug = ps.Streams.Debug.Select(d => d.Message).ToList();
                result.HostText = Host.Recorder.Text;
                return result;
            }
        }

        public virtual void Dispose() => Runspace.Dispose();
    }

    public sealed class PsResult
    {
        public Collection<PSObject> Output { get; set; }
        public List<ErrorRecord> Errors { get; set; }
        public ErrorRecord Terminating { get; set; }
        public List<string> Warnings { get; set; }
        public List<string> Verbose { get; set; }
        public List<string> Debug { get; set; }
        public string HostText { get; set; }

        /// <summary>Everything a user could see, for checks that a secret never leaks.</summary>
        public string AllText() => string.Join("\n", new[] { HostText }
            .Concat(Output.Select(o => o?.ToString()))
            .Concat(Errors.Select(e => e.ToString() + " " + e.Exception))
            .Concat(Terminating == null ? new string[0] : new[] { Terminating.ToString() + " " + Terminating.Exception })
            .Concat(Warnings).Concat(Verbose).Concat(Debug));

        public object Property(int index, string name) => Output[index].Properties[name]?.Value;

        public void AssertNoErrors()
        {
            if (Terminating != null) throw new Xunit.Sdk.XunitException("Terminating error: " + Terminating + "\n" + Terminating.ScriptStackTrace);
            if (Errors.Count > 0) throw new Xunit.Sdk.XunitException("Errors: " + string.Join("\n", Errors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        }
    }
}
