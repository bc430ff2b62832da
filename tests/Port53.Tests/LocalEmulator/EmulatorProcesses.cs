using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Threading;
using Port53.Model;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.LocalEmulator
{
    /// <summary>
    /// The tests that start emulator child processes of this test process run one at a time: some check that a
    /// failed start left no child behind, which another test starting one meanwhile would make unreliable.
    /// </summary>
    [CollectionDefinition(Name)]
    public sealed class EmulatorProcessCollection
    {
        public const string Name = "Emulator child processes";
    }

    /// <summary>Looks at emulator processes from outside, as a user with ps would.</summary>
    internal static class EmulatorProcesses
    {
        /// <summary>The emulator dll Start-TcEmulator runs: the one in the module folder, not the build output the CLI tests use.</summary>
        public static string ModuleEmulatorDll => Path.Combine(PowerShellSession.RepoRoot, "out", "Port53", "emulator", "Port53.Emulator.dll");

        public static bool CanListChildren => RuntimeInformation.IsOSPlatform(OSPlatform.Linux);

        /// <summary>Whether <paramref name="pid"/> is a running process of the module's emulator dll.</summary>
        public static bool IsRunning(int pid)
        {
            if (CanListChildren) return CommandLine(pid)?.Contains(ModuleEmulatorDll, StringComparison.Ordinal) == true;
            try
            {
                using Process p = Process.GetProcessById(pid);
                return !p.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        /// <summary>Waits (bounded) for the emulator process to be gone; true when it is.</summary>
        public static bool WaitUntilGone(int pid, TimeSpan? within = null)
        {
            var clock = Stopwatch.StartNew();
            while (IsRunning(pid))
            {
                if (clock.Elapsed > (within ?? TimeSpan.FromSeconds(15))) return false;
                Thread.Sleep(50);
            }
            return true;
        }

        /// <summary>Process ids of the module's emulators that are children of this test process (Linux; empty elsewhere).</summary>
        public static HashSet<int> Children()
        {
            var children = new HashSet<int>();
            if (!CanListChildren) return children;
            int self = Environment.ProcessId;
            foreach (string dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
                try
                {
                    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so count from the last ')'.
                    string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    string[] rest = stat.Substring(stat.LastIndexOf(')') + 2).Split(' ');
                    if (int.Parse(rest[1]) == self && IsRunning(pid)) children.Add(pid);
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
            return children;
        }

        private static string CommandLine(int pid)
        {
            try
            {
                return File.ReadAllText("/proc/" + pid + "/cmdline").Replace('\0', ' ');
            }
            catch (IOException)
            {
                return null;
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
        }

        /// <summary>A port on 127.0.0.1 that was free a moment ago.</summary>
        public static int FreePort()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        public static string Get(string url, string path)
        {
            using var http = new HttpClient();
            return http.GetStringAsync(new Uri(new Uri(url), path)).GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// One hosted engine with one emulator child process started by Start-TcEmulator (demo fleet, rate limits off),
    /// shared by a test class. Disposing closes the runspace, which must stop the child.
    /// </summary>
    public sealed class StartedEmulatorSession : PowerShellSession
    {
        public TcEmulator Emulator { get; }

        public StartedEmulatorSession()
        {
            var r = Run("Start-TcEmulator -Demo -NoRateLimit -PassThru");
            r.AssertNoErrors();
            Emulator = Assert.IsType<TcEmulator>(Assert.Single(r.Output).BaseObject);
        }

        /// <summary>Faults back to none (as the fixture started), through the control API directly.</summary>
        public void RestoreFaults()
        {
            using var http = new HttpClient();
            var body = new StringContent("{\"RateLimitEnabled\":false,\"LatencyMinMs\":0,\"LatencyMaxMs\":0,\"RequestLimitExceededRate\":0," +
                "\"InternalErrorRate\":0,\"BadGatewayRate\":0,\"ConnectionResetRate\":0,\"FaultActions\":[],\"ConcurrentEditorRate\":0," +
                "\"UnauthorizedSecurityGroupIds\":[],\"Seed\":1}", System.Text.Encoding.UTF8, "application/json");
            http.PostAsync(new Uri(new Uri(Emulator.Url), "/_emulator/faults"), body).GetAwaiter().GetResult().EnsureSuccessStatusCode();
        }

        public void ClearLog()
        {
            using var http = new HttpClient();
            http.DeleteAsync(new Uri(new Uri(Emulator.Url), "/_emulator/requests")).GetAwaiter().GetResult().EnsureSuccessStatusCode();
        }

        public override void Dispose()
        {
            base.Dispose();
            Assert.True(EmulatorProcesses.WaitUntilGone(Emulator.ProcessId), "closing the runspace left emulator process " + Emulator.ProcessId);
        }
    }
}
