using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using System.Threading;
using Port53.Api;
using Port53.Api.Models;
using Port53.Credentials;
using Port53.Emulation;

namespace Port53.Cmdlets
{
    /// <summary>What Connect-TcAccount (or Start-TcEmulator) chose: immutable, swapped as a whole.</summary>
    internal sealed class TcConnection
    {
        public TcConnection(ITcCredentialProvider credentials, string region, TcEndpoint endpoint)
        {
            Credentials = credentials;
            Region = string.IsNullOrWhiteSpace(region) ? null : region.Trim();
            Endpoint = endpoint;
        }

        public ITcCredentialProvider Credentials { get; }
        /// <summary>The default region; null to fall back to TENCENTCLOUD_REGION.</summary>
        public string Region { get; }
        /// <summary>Null to fall back to TENCENTCLOUD_ENDPOINT, then Tencent's public endpoint.</summary>
        public TcEndpoint Endpoint { get; }
    }

    /// <summary>
    /// The Port53 state of one runspace: connection, default region, endpoint, cached region list and cleanup
    /// actions. Kept per runspace, not per process, because several runspaces (jobs, hosts, parallel tests)
    /// share a process and must not see each other's credentials. Read <see cref="Current"/> on the pipeline
    /// thread: Runspace.DefaultRunspace is thread-affine.
    /// </summary>
    internal sealed class TcSessionState
    {
        private static readonly ConditionalWeakTable<Runspace, TcSessionState> States = new ConditionalWeakTable<Runspace, TcSessionState>();
        /// <summary>For code that runs with no runspace on the thread (API tests, other hosts).</summary>
        private static readonly TcSessionState Detached = new TcSessionState(null);

        private readonly object _gate = new object();
        private readonly List<Action> _cleanups = new List<Action>();
        private readonly ConcurrentDictionary<string, IReadOnlyList<RegionInfo>> _regions = new ConcurrentDictionary<string, IReadOnlyList<RegionInfo>>(StringComparer.Ordinal);
        private TcConnection _connection;
        private EmulatorProcess _emulator;
        private int _closed;

        private TcSessionState(Runspace runspace)
        {
            if (runspace != null) runspace.StateChanged += OnStateChanged;
        }

        public static TcSessionState Current => For(Runspace.DefaultRunspace);

        public static TcSessionState For(Runspace runspace) =>
            runspace == null ? Detached : States.GetValue(runspace, r => new TcSessionState(r));

        /// <summary>The connection chosen in this runspace; null means "use the credential chain".</summary>
        public TcConnection Connection => Volatile.Read(ref _connection);

        public void Connect(TcConnection connection)
        {
            Volatile.Write(ref _connection, connection ?? throw new ArgumentNullException(nameof(connection)));
            _regions.Clear();
        }

        public void Disconnect()
        {
            Volatile.Write(ref _connection, null);
            _regions.Clear();
        }

        /// <summary>
        /// Points the session at an endpoint (an emulator) with the keys it accepts; used by Start-TcEmulator.
        /// </summary>
        public void UseEndpoint(Uri endpoint, string secretId, string secretKey, string region, string token = null)
        {
            var credential = new TcCredential(secretId, secretKey, token);
            Connect(new TcConnection(new StaticCredentialProvider(credential, TcCredentialSource.Emulator, endpoint.GetLeftPart(UriPartial.Authority)),
                region, TcEndpoint.Custom(endpoint)));
        }

        /// <summary>The emulator child process Start-TcEmulator runs for this runspace, or null.</summary>
        public EmulatorProcess Emulator => Volatile.Read(ref _emulator);

        /// <summary>Swaps in <paramref name="next"/> (or null) and returns the one it replaces, so each is stopped exactly once.</summary>
        public EmulatorProcess ExchangeEmulator(EmulatorProcess next) => Interlocked.Exchange(ref _emulator, next);

        /// <summary>The region list of an (endpoint, SecretId), loaded once per connection.</summary>
        public IReadOnlyList<RegionInfo> CachedRegions(string key) => _regions.TryGetValue(key, out var regions) ? regions : null;

        public void CacheRegions(string key, IReadOnlyList<RegionInfo> regions) => _regions[key] = regions;

        /// <summary>
        /// Runs <paramref name="cleanup"/> once when the runspace closes or breaks (Start-TcEmulator stops its
        /// child process this way). Dispose the result to unregister, e.g. after stopping it explicitly.
        /// </summary>
        public IDisposable RegisterCleanup(Action cleanup)
        {
            if (cleanup == null) throw new ArgumentNullException(nameof(cleanup));
            lock (_gate)
            {
                if (_closed == 0)
                {
                    _cleanups.Add(cleanup);
                    return new Registration(this, cleanup);
                }
            }
            RunQuietly(cleanup);
            return new Registration(this, cleanup);
        }

        private void OnStateChanged(object sender, RunspaceStateEventArgs e)
        {
            RunspaceState state = e.RunspaceStateInfo.State;
            if (state != RunspaceState.Closed && state != RunspaceState.Broken) return;
            if (Interlocked.Exchange(ref _closed, 1) != 0) return;
            Action[] pending;
            lock (_gate)
            {
                pending = _cleanups.ToArray();
                _cleanups.Clear();
            }
            for (int i = pending.Length - 1; i >= 0; i--) RunQuietly(pending[i]);
        }

        // The runspace is going away and nobody is left to see an error; a failed cleanup must not stop the others.
        private static void RunQuietly(Action action)
        {
            try
            {
                action();
            }
            catch (Exception)
            {
            }
        }

        private sealed class Registration : IDisposable
        {
            private readonly TcSessionState _owner;
            private readonly Action _cleanup;

            public Registration(TcSessionState owner, Action cleanup)
            {
                _owner = owner;
                _cleanup = cleanup;
            }

            public void Dispose()
            {
                lock (_owner._gate) _owner._cleanups.Remove(_cleanup);
            }
        }
    }
}
