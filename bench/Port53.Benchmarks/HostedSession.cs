using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;

namespace Port53.Benchmarks
{
    /// <summary>
    /// A PowerShell engine in this process with the built module imported, as a user's session would have it.
    /// Output is handed to a callback object by object and then dropped, and the other streams are counted and
    /// dropped too, so the host never holds the fleet: what the process keeps is what the module keeps.
    /// </summary>
    internal sealed class HostedSession : IDisposable
    {
        private readonly Runspace _runspace;

        public HostedSession(string moduleManifest)
        {
            _runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            _runspace.Open();
            Invoke(ps => ps.AddCommand("Import-Module").AddParameter("Name", moduleManifest).AddParameter("ErrorAction", "Stop"));
        }

        /// <summary>Whether the imported Port53 exports <paramref name="cmdlet"/> (with every parameter named).</summary>
        public bool Has(string cmdlet, params string[] parameters)
        {
            CommandInfo command = Invoke(ps => ps.AddCommand("Get-Command").AddParameter("Name", cmdlet).AddParameter("Module", "Port53")
                .AddParameter("ErrorAction", "SilentlyContinue"), failOnError: false).Select(o => o.BaseObject).OfType<CommandInfo>().FirstOrDefault();
            return command != null && parameters.All(p => command.Parameters.ContainsKey(p));
        }

        /// <summary>
        /// Connect-TcAccount -SecretId -SecretKey (SecureString) -Endpoint regional+&lt;emulator&gt; [-Region]: calls are routed
        /// by region through the emulator, as they would be to Tencent, so each region's calls have budgets of their own.
        /// </summary>
        public void Connect(Uri endpoint, string secretId, string secretKey, string region)
        {
            SecureString key = Secure(secretKey);
            Invoke(ps =>
            {
                ps.AddCommand("Connect-TcAccount").AddParameter("SecretId", secretId).AddParameter("SecretKey", key)
                    .AddParameter("Endpoint", "regional+" + endpoint.GetLeftPart(UriPartial.Authority)).AddParameter("ErrorAction", "Stop");
                return region == null ? ps : ps.AddParameter("Region", region);
            });
        }

        public static SecureString Secure(string text)
        {
            var secure = new SecureString();
            foreach (char c in text) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }

        /// <summary>The first region Get-TcRegion lists (one DescribeRegions).</summary>
        public string FirstRegion() =>
            Invoke(ps => ps.AddCommand("Get-TcRegion")).Select(o => o.Properties["Region"]?.Value as string).First(r => r != null);

        /// <summary>
        /// Runs <paramref name="script"/>; each output object goes to <paramref name="onOutput"/> on the pipeline
        /// thread as it is written. A terminating error is returned in the result, not thrown.
        /// </summary>
        public StreamCounts Run(string script, Action<PSObject> onOutput)
        {
            var counts = new StreamCounts();
            using (PowerShell ps = PowerShell.Create())
            using (var output = new PSDataCollection<PSObject>())
            {
                ps.Runspace = _runspace;
                ps.AddScript(script);
                output.DataAdded += (s, e) =>
                {
                    foreach (PSObject o in output.ReadAll())
                    {
                        counts.Output++;
                        onOutput?.Invoke(o);
                    }
                };
                ps.Streams.Error.DataAdded += (s, e) =>
                {
                    foreach (ErrorRecord r in ps.Streams.Error.ReadAll()) counts.AddError(r.FullyQualifiedErrorId + ": " + r);
                };
                ps.Streams.Warning.DataAdded += (s, e) =>
                {
                    foreach (WarningRecord w in ps.Streams.Warning.ReadAll()) counts.AddWarning(w.Message);
                };
                // A console host renders and forgets these; a hosted PowerShell would keep every record.
                ps.Streams.Progress.DataAdded += (s, e) => ps.Streams.Progress.ReadAll();
                ps.Streams.Verbose.DataAdded += (s, e) => ps.Streams.Verbose.ReadAll();
                ps.Streams.Information.DataAdded += (s, e) => ps.Streams.Information.ReadAll();
                ps.Streams.Debug.DataAdded += (s, e) => ps.Streams.Debug.ReadAll();
                try
                {
                    ps.Invoke(null, output);
                }
                catch (RuntimeException ex)
                {
                    counts.Terminating = ex.ErrorRecord?.FullyQualifiedErrorId + ": " + ex.Message;
                }
            }
            return counts;
        }

        private List<PSObject> Invoke(Func<PowerShell, PowerShell> build, bool failOnError = true)
        {
            using (PowerShell ps = PowerShell.Create())
            {
                ps.Runspace = _runspace;
                List<PSObject> result = build(ps).Invoke().ToList();
                if (failOnError && ps.Streams.Error.Count > 0)
                    throw new InvalidOperationException(string.Join("\n", ps.Streams.Error.Select(e => e.ToString())));
                return result;
            }
        }

        public void Dispose() => _runspace.Dispose();
    }

    /// <summary>What one script run produced, besides its output objects.</summary>
    internal sealed class StreamCounts
    {
        private const int Kept = 5;

        public int Output { get; set; }
        public int Errors { get; private set; }
        public int Warnings { get; private set; }
        public string Terminating { get; set; }
        /// <summary>The first few, for the report.</summary>
        public List<string> FirstErrors { get; } = new List<string>();
        public List<string> FirstWarnings { get; } = new List<string>();

        public void AddError(string text)
        {
            Errors++;
            if (FirstErrors.Count < Kept) FirstErrors.Add(text);
        }

        public void AddWarning(string text)
        {
            Warnings++;
            if (FirstWarnings.Count < Kept) FirstWarnings.Add(text);
        }
    }
}
