using System;
using System.Diagnostics;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net.Http;
using System.Reflection;
using System.Threading;
using Port53.Benchmarks.Fleet;
using Port53.LocalEmulator;
using Port53.Model;

namespace Port53.Benchmarks
{
    /// <summary>
    /// Port53.Emulator as a child process (so the benchmark's own working set is the module's, not the server's),
    /// started and stopped the way Start-TcEmulator does it (the module's EmulatorProcess, with --exit-on-stdin-close
    /// so it cannot outlive this process, and the dotnet host the module finds), with the control API reads the
    /// benchmark needs: the request log as Get-TcEmulatorRequest reads it, the fleet state and the concurrent edits.
    /// </summary>
    internal sealed class ChildEmulator : IDisposable
    {
        /// <summary>The URL is flushed at once; the generator takes ~0.1 s per 10,000 instances, a busy machine several times that.</summary>
        private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
        private readonly EmulatorProcess _process;
        private readonly EmulatorControlClient _control;
        private readonly HttpClient _http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };

        private ChildEmulator(EmulatorProcess process, string commandLine)
        {
            _process = process;
            _control = new EmulatorControlClient(process.Url, _http);
            CommandLine = commandLine;
        }

        public Uri BaseUrl => _process.Url;
        public string SecretId => _process.SecretId;
        public string SecretKey => _process.SecretKey;
        public string CommandLine { get; }

        /// <summary>The child's processor time so far: it shares the machine's cores with the module.</summary>
        public TimeSpan ProcessorTime
        {
            get
            {
                using (Process child = Process.GetProcessById(_process.ProcessId)) return child.TotalProcessorTime;
            }
        }

        /// <summary>What the emulator wrote on stderr so far (it writes only on bad options and crashes).</summary>
        public string ErrorOutput => _process.ErrorOutput;

        /// <summary>The emulator the build put next to its project (recorded in this assembly at build time), or <paramref name="overridePath"/>.</summary>
        public static string Locate(string overridePath)
        {
            string path = overridePath ?? typeof(ChildEmulator).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "Port53.EmulatorPath")?.Value;
            if (path == null || !File.Exists(path))
                throw new FileNotFoundException("Port53.Emulator.dll not found (" + (path ?? "no path recorded") + "). Build first: dotnet build Port53Cmdlets.sln -c Release");
            return Path.GetFullPath(path);
        }

        /// <summary>Starts `dotnet &lt;emulator&gt; --port 0 &lt;arguments&gt; --exit-on-stdin-close` and waits until it answers.</summary>
        public static ChildEmulator Start(string emulatorDll, IEnumerable<string> arguments)
        {
            var all = new List<string> { emulatorDll, "--port", "0" };
            all.AddRange(arguments);
            all.Add("--exit-on-stdin-close");
            EmulatorProcess process = EmulatorProcess.StartAsync(Paths.Dotnet(), all, StartTimeout, ErrorCategory.InvalidData, CancellationToken.None)
                .GetAwaiter().GetResult();
            return new ChildEmulator(process, "dotnet " + Path.GetFileName(emulatorDll) + " " + string.Join(" ", all.Skip(1)));
        }

        public IReadOnlyList<TcEmulatorRequest> Requests() => _control.GetRequestsAsync(CancellationToken.None).GetAwaiter().GetResult();

        public void ClearRequests() => _control.ClearRequestsAsync(CancellationToken.None).GetAwaiter().GetResult();

        public FleetState State()
        {
            using (Stream body = Get("state")) return FleetState.Read(body);
        }

        public List<FleetEdit> ConcurrentEdits()
        {
            using (var reader = new StreamReader(Get("concurrent-edits"))) return FleetEdit.ParseList(reader.ReadToEnd());
        }

        /// <summary>A control endpoint's body as a stream: the state of a 10,000-instance fleet is ~10 MB of text.</summary>
        private Stream Get(string endpoint)
        {
            HttpResponseMessage response = _http.GetAsync(new Uri(BaseUrl, "/_emulator/" + endpoint), HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
            response.EnsureSuccessStatusCode();
            return response.Content.ReadAsStream();
        }

        public void Dispose()
        {
            _process.Stop();
            _http.Dispose();
        }
    }
}
