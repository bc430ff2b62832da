using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Port53.Api;
using Port53.LocalEmulator;
using Port53.Model;
using Port53.Resources;
using RegionInfo = Port53.Api.Models.RegionInfo;

namespace Port53.Cmdlets
{
    /// <summary>
    /// Starts the emulator shipped in the module folder (emulator/Port53.Emulator.dll) as a child process, waits
    /// until it answers, and points the session at it with the keys it accepts. One emulator per session: a
    /// second start replaces the first. Closing the runspace, or PowerShell exiting, stops it.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "TcEmulator", DefaultParameterSetName = DemoSet)]
    [OutputType(typeof(TcEmulator))]
    public sealed class StartTcEmulatorCommand : TcEmulatorFaultCmdlet
    {
        private const string DemoSet = "Demo";
        private const string FleetPathSet = "FleetPath";
        private const string GenerateSet = "Generate";
        internal const string PreferredRegion = "ap-guangzhou";

        /// <summary>The port on 127.0.0.1; 0 picks a free one.</summary>
        [Parameter]
        [ValidateRange(0, 65535)]
        public int Port { get; set; }

        /// <summary>Serve the built-in demo fleet (the default).</summary>
        [Parameter(ParameterSetName = DemoSet)]
        public SwitchParameter Demo { get; set; }

        /// <summary>Serve a fleet file (docs/emulator.md, Fleet file).</summary>
        [Parameter(ParameterSetName = FleetPathSet, Mandatory = true, Position = 0)]
        [Alias("Path")]
        [ValidateNotNullOrEmpty]
        public string FleetPath { get; set; }

        /// <summary>Serve a generated fleet: 'instances=N,regions=N,groups=N,exposed=0.3,seed=N'.</summary>
        [Parameter(ParameterSetName = GenerateSet, Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string Generate { get; set; }

        /// <summary>The session's default region; without it ap-guangzhou, or the fleet's first region when it has no ap-guangzhou.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RegionCompleter))]
        public string Region { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>How long the child may take to answer; internal so tests can force a timeout.</summary>
        internal static TimeSpan StartTimeout { get; set; } = EmulatorProcess.DefaultStartTimeout;

        protected override void EndProcessing()
        {
            (string fleet, string source, List<string> fleetArguments) = Fleet();
            if (Port != 0 && !PortIsFree(Port))
                ThrowTerminatingError(TcErrors.Create("PortInUse", ErrorCategory.ResourceUnavailable, Port, Strings.Emulator.Format("PortInUse", Port)));
            EmulatorFaultPatch faults = FaultPatch();
            string dll = EmulatorDll();
            string host = DotnetHost.Find();
            if (host == null)
                ThrowTerminatingError(TcErrors.Create("DotnetNotFound", ErrorCategory.NotInstalled, null,
                    Strings.Emulator.Format("DotnetNotFound", DotnetHost.HostPathVariable, DotnetHost.RootVariable)));

            EmulatorProcess previous = Session.Emulator;
            if (previous != null)
            {
                WriteVerbose(Strings.Emulator.Format("VerboseReplacing", previous.Url, previous.ProcessId));
                StopSessionEmulator();
            }

            var arguments = new List<string> { dll, "--port", Port.ToString(CultureInfo.InvariantCulture) };
            arguments.AddRange(fleetArguments);
            arguments.Add("--exit-on-stdin-close");
            WriteVerbose(Strings.Emulator.Format("VerboseStarting", EmulatorProcess.CommandLineOf(host, arguments)));
            ErrorCategory loadFailure = ParameterSetName == GenerateSet ? ErrorCategory.InvalidArgument
                : ParameterSetName == FleetPathSet ? ErrorCategory.InvalidData : ErrorCategory.ResourceUnavailable;
            Task<EmulatorProcess> starting = EmulatorProcess.StartAsync(host, arguments, StartTimeout, loadFailure, CancellationToken);
            EmulatorProcess emulator;
            try
            {
                emulator = Call(starting, source ?? fleet);
            }
            catch (PipelineStoppedException)
            {
                // Ctrl+C stops the wait at once; a child that still finishes starting must not be left running.
                starting.ContinueWith(t => t.Result.Stop(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
                throw;
            }

            bool started = false;
            try
            {
                emulator.AttachCleanup(Session.Cleanup.Register(emulator.Stop));
                string region = ChooseRegion(emulator);
                if (!faults.IsEmpty)
                {
                    // After the region check, so the faults asked for hit the user's calls from the first one on.
                    Call(new EmulatorControlClient(emulator.Url).SetFaultsAsync(faults, CancellationToken), emulator.Url.ToString());
                    WriteVerbose(Strings.Emulator.Format("VerboseFaults", emulator.Url, faults.ToJson()));
                }
                Session.ExchangeEmulator(emulator);
                started = true;
                WriteVerbose(Strings.Emulator.Format("VerboseStarted", emulator.Url, emulator.ProcessId, region));
                if (PassThru)
                {
                    WriteObject(new TcEmulator
                    {
                        Url = emulator.Url.ToString(),
                        Port = emulator.Port,
                        ProcessId = emulator.ProcessId,
                        Fleet = fleet,
                        FleetSource = source ?? string.Empty,
                        Regions = emulator.Health.Regions,
                        Instances = emulator.Health.Instances,
                        SecurityGroups = emulator.Health.SecurityGroups,
                        Region = region,
                        SecretId = emulator.SecretId,
                        StartTime = emulator.StartTime,
                    });
                }
            }
            finally
            {
                if (!started)
                {
                    emulator.Stop();
                    DisconnectIfUsing(emulator);
                }
            }
        }

        /// <summary>
        /// Whether 127.0.0.1:<paramref name="port"/> can be listened on, so that the common mistake (an emulator from
        /// another shell on the same port) gets its own error; a port taken a moment later still fails in the child.
        /// </summary>
        private static bool PortIsFree(int port)
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            try
            {
                listener.Start();
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
            finally
            {
                listener.Stop();
            }
        }

        /// <summary>The fleet's kind, its source (path or spec; null for the demo) and the emulator's options for it.</summary>
        private (string Kind, string Source, List<string> Arguments) Fleet()
        {
            switch (ParameterSetName)
            {
                case FleetPathSet:
                    string path = FleetFile(FleetPath);
                    return ("File", path, new List<string> { "--fleet", path });
                case GenerateSet:
                    string spec = Generate.Trim();
                    return ("Generated", spec, new List<string> { "--generate", spec });
                default:
                    return ("Demo", null, new List<string> { "--demo" });
            }
        }

        /// <summary>The fleet file's full path; a path that names no file fails before any process starts.</summary>
        private string FleetFile(string path)
        {
            string full = null;
            try
            {
                full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out PSDriveInfo _);
                if (provider.Name != "FileSystem") full = null;
            }
            catch (Exception ex) when (ex is ItemNotFoundException || ex is System.Management.Automation.DriveNotFoundException || ex is ProviderNotFoundException || ex is NotSupportedException || ex is ArgumentException)
            {
            }
            if (full == null || !File.Exists(full))
                ThrowTerminatingError(TcErrors.Create("FleetNotFound", ErrorCategory.ObjectNotFound, path, Strings.Emulator.Format("FleetNotFound", path)));
            return full;
        }

        /// <summary>emulator/Port53.Emulator.dll beside the module (its folder as PowerShell loaded it).</summary>
        private string EmulatorDll()
        {
            string moduleBase = MyInvocation.MyCommand.Module?.ModuleBase;
            if (string.IsNullOrEmpty(moduleBase)) moduleBase = Path.GetDirectoryName(typeof(StartTcEmulatorCommand).Assembly.Location);
            string dll = Path.Combine(moduleBase, "emulator", "Port53.Emulator.dll");
            if (!File.Exists(dll))
                ThrowTerminatingError(TcErrors.Create("EmulatorNotInstalled", ErrorCategory.NotInstalled, dll, Strings.Emulator.Format("EmulatorNotInstalled", dll)));
            return dll;
        }

        /// <summary>
        /// Connects the session to the emulator and picks its default region: -Region, which the fleet must have;
        /// else ap-guangzhou when the fleet has it; else the fleet's first available region. Asking the emulator
        /// for its regions also proves that signed calls work before the cmdlet returns.
        /// </summary>
        private string ChooseRegion(EmulatorProcess emulator)
        {
            // DescribeRegions needs no region, so the first connection has none.
            Session.UseEndpoint(emulator.Url, emulator.SecretId, emulator.SecretKey, null, emulator.Token);
            List<RegionInfo> regions = AwaitOrTerminate(new CvmService(Client).DescribeRegionsAsync(CancellationToken), emulator.Url.ToString());
            List<string> names = regions.Where(r => !string.IsNullOrEmpty(r.Region)).Select(r => r.Region).ToList();
            string region;
            if (Region != null)
            {
                region = names.FirstOrDefault(n => string.Equals(n, Region.Trim(), StringComparison.OrdinalIgnoreCase));
                if (region == null)
                    ThrowTerminatingError(TcErrors.Create("UnknownRegion", ErrorCategory.InvalidArgument, Region,
                        Strings.Emulator.Format("RegionNotInFleet", Region, string.Join(", ", names))));
            }
            else
            {
                region = names.FirstOrDefault(n => n == PreferredRegion)
                    ?? regions.Where(r => string.Equals(r.RegionState, "AVAILABLE", StringComparison.OrdinalIgnoreCase)).Select(r => r.Region).FirstOrDefault()
                    ?? names.FirstOrDefault();
            }
            Session.UseEndpoint(emulator.Url, emulator.SecretId, emulator.SecretKey, region, emulator.Token);
            // Connecting cleared the cache; the list just read is the one `-Region *` would ask for next.
            Session.Regions.Set(RegionCacheKey(Session.Connection), regions);
            return region;
        }
    }
}
