using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Port53.Benchmarks.Fleet;

namespace Port53.Benchmarks
{
    /// <summary>
    /// Port53.Emulator as a child process (so the benchmark's own working set is the module's, not the server's),
    /// started with --exit-on-stdin-close so it cannot outlive this process, and its control API.
    /// </summary>
    internal sealed class EmulatorProcess : IDisposable
    {
        private static readonly JsonSerializerOptions JsonOptions = new JsonSerializerOptions { PropertyNameCaseInsensitive = true };
        private readonly Process _process;
        private readonly StringBuilder _stderr;
        private readonly HttpClient _http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };

        private EmulatorProcess(Process process, StringBuilder stderr, Uri baseUrl, string secretId, string secretKey)
        {
            _process = process;
            _stderr = stderr;
            BaseUrl = baseUrl;
            SecretId = secretId;
            SecretKey = secretKey;
        }

        public Uri BaseUrl { get; }
        public string SecretId { get; }
        public string SecretKey { get; }
        public string CommandLine { get; private set; }

        /// <summary>What the emulator wrote on stderr so far (it writes only on bad options and crashes).</summary>
        public string ErrorOutput
        {
            get { lock (_stderr) return _stderr.ToString(); }
        }

        /// <summary>The emulator the build put next to its project (recorded in this assembly at build time), or <paramref name="overridePath"/>.</summary>
        public static string Locate(string overridePath)
        {
            string path = overridePath ?? typeof(EmulatorProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "Port53.EmulatorPath")?.Value;
            if (path == null || !File.Exists(path))
                throw new FileNotFoundException("Port53.Emulator.dll not found (" + (path ?? "no path recorded") + "). Build first: dotnet build Port53Cmdlets.sln -c Release");
            return Path.GetFullPath(path);
        }

        /// <summary>Starts `dotnet &lt;emulator&gt; --port 0 &lt;arguments&gt; --exit-on-stdin-close` and waits for its URL line.</summary>
        /// <summary>The child's processor time so far.</summary>
        public TimeSpan ProcessorTime
        {
            get
            {
                _process.Refresh();
                return _process.TotalProcessorTime;
            }
        }

        public static EmulatorProcess Start(string emulatorDll, IEnumerable<string> arguments)
        {
            var psi = new ProcessStartInfo(Paths.DotnetMuxer())
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            psi.ArgumentList.Add(emulatorDll);
            psi.ArgumentList.Add("--port");
            psi.ArgumentList.Add("0");
            foreach (string a in arguments) psi.ArgumentList.Add(a);
            psi.ArgumentList.Add("--exit-on-stdin-close");
            Process process = Process.Start(psi);
            var stderr = new StringBuilder();
            process.ErrorDataReceived += (s, e) =>
            {
                if (e.Data == null) return;
                lock (stderr) stderr.AppendLine(e.Data);
            };
            process.BeginErrorReadLine();

            // The URL is flushed at once; the generator takes ~0.1 s per 10,000 instances, a busy machine several times that.
            Task<string> first = process.StandardOutput.ReadLineAsync();
            if (!first.Wait(TimeSpan.FromSeconds(120)) || first.Result == null)
            {
                Stop(process);
                lock (stderr) throw new InvalidOperationException("The emulator did not start (exit " + (process.HasExited ? process.ExitCode.ToString() : "none") + "): " + stderr);
            }
            string credentialsLine = process.StandardOutput.ReadLine();
            using (JsonDocument credentials = JsonDocument.Parse(credentialsLine))
            {
                var emulator = new EmulatorProcess(process, stderr, new Uri(first.Result.Trim()),
                    credentials.RootElement.GetProperty("SecretId").GetString(), credentials.RootElement.GetProperty("SecretKey").GetString())
                {
                    CommandLine = "dotnet " + Path.GetFileName(emulatorDll) + " " + string.Join(" ", psi.ArgumentList.Skip(1)),
                };
                // Nothing else is printed on stdout; drain it anyway so a chatty build can never block the server.
                process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
                return emulator;
            }
        }

        public IReadOnlyList<RequestRecord> Requests()
        {
            using (Stream body = Get("requests"))
                return JsonSerializer.Deserialize<List<RequestRecord>>(body, JsonOptions);
        }

        public void ClearRequests()
        {
            using (HttpResponseMessage r = _http.DeleteAsync(Control("requests")).GetAwaiter().GetResult()) r.EnsureSuccessStatusCode();
        }

        public FleetState State()
        {
            using (Stream body = Get("state")) return FleetState.Read(body);
        }

        public List<FleetEdit> ConcurrentEdits()
        {
            using (var reader = new StreamReader(Get("concurrent-edits"))) return FleetEdit.ParseList(reader.ReadToEnd());
        }

        private Stream Get(string endpoint)
        {
            HttpResponseMessage response = _http.GetAsync(Control(endpoint), HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
            response.EnsureSuccessStatusCode();
            return response.Content.ReadAsStream();
        }

        private Uri Control(string endpoint) => new Uri(BaseUrl, "/_emulator/" + endpoint);

        public void Dispose()
        {
            _http.Dispose();
            Stop(_process);
            _process.Dispose();
        }

        private static void Stop(Process process)
        {
            try
            {
                process.StandardInput.Close();
                if (!process.WaitForExit(10_000)) process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
    }

    /// <summary>One entry of GET /_emulator/requests.</summary>
    internal sealed class RequestRecord
    {
        /// <summary>When the emulator received it.</summary>
        public DateTimeOffset Time { get; set; }
        public string Action { get; set; }
        public string Region { get; set; }
        public string SecurityGroupId { get; set; }
        public string ErrorCode { get; set; }
        public string Fault { get; set; }

        public bool Succeeded => ErrorCode == null && Fault == null;
    }
}
