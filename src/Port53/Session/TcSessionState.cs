using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using System.Threading;
using Port53.Api;
using Port53.Api.Models;
using Port53.Cmdlets;
using Port53.Credentials;
using Port53.LocalEmulator;
using Port53.Model;
using Port53.Services;

namespace Port53.Session
{
    /// <summary>What Connect-TcAccount (or Start-TcEmulator) chose: immutable, swapped as a whole.</summary>
    internal sealed class TcConnection
    {
        public TcConnection(ITcCredentialProvider credentials, string region, TcEndpoint endpoint, TimeSpan? timeout = null)
        {
            Credentials = credentials;
            Region = string.IsNullOrWhiteSpace(region) ? null : region.Trim();
            Endpoint = endpoint;
            Timeout = timeout ?? TcHttp.DefaultRequestTimeout;
        }

        public ITcCredentialProvider Credentials { get; }
        /// <summary>The default region; null to fall back to TENCENTCLOUD_REGION.</summary>
        public string Region { get; }
        /// <summary>Null to fall back to TENCENTCLOUD_ENDPOINT, then each region's own endpoint at Tencent.</summary>
        public TcEndpoint Endpoint { get; }
        /// <summary>How long one attempt of a call waits for its reply (Connect-TcAccount -TimeoutSec).</summary>
        public TimeSpan Timeout { get; }

        /// <summary>
        /// What a session runs with: the credentials found, the region the session chose or else
        /// TENCENTCLOUD_REGION (or, for profile credentials, the default profile's region), and the endpoint.
        /// </summary>
        public static TcConnection WithDefaults(TcConnection chosen, ITcCredentialProvider credentials, TcEndpoint endpoint, TcCredentialChain chain)
        {
            string region = chosen?.Region ?? chain.EnvironmentRegion;
            if (region == null && (credentials.Source == TcCredentialSource.ProfileFile || credentials.Source == TcCredentialSource.TccliProfile))
                region = chain.ProfileRegion(TcCredentialChain.DefaultProfile);
            return new TcConnection(credentials, region, endpoint, chosen?.Timeout);
        }

        /// <summary>TENCENTCLOUD_ENDPOINT, or each region's own endpoint at Tencent when unset; false when the variable holds no valid endpoint.</summary>
        public static bool TryEnvironmentEndpoint(TcCredentialChain chain, out TcEndpoint endpoint)
        {
            string text = chain.EnvironmentEndpoint;
            if (text != null) return TcEndpoint.TryParse(text, out endpoint);
            endpoint = TcEndpoint.Regional;
            return true;
        }
    }

    /// <summary>
    /// The Port53 state of one runspace: connection, default region, endpoint, cached region list, recently
    /// seen ids (for tab completion, see <see cref="Recent"/>), the reads of the pipeline a change command runs
    /// in (<see cref="PipelineReads"/>), the retry policy and cleanup actions. Kept per runspace, not per process, because several runspaces (jobs, hosts, parallel tests)
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
        private readonly ConcurrentDictionary<string, DateTime> _regionMisses = new ConcurrentDictionary<string, DateTime>(StringComparer.Ordinal);
        private TcConnection _connection;
        private EmulatorProcess _emulator;
        private PipelineReads _pipelineReads;
        private int _pipelineReadsUsers;
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

        /// <summary>
        /// Ids this session has seen, offered by tab completion of -InstanceId and -SecurityGroupId without any
        /// API call. Every cmdlet that emits or reads Tencent objects records them here, from any thread:
        /// <c>Session.Recent.Remember(TcIdKind.SecurityGroup, group.SecurityGroupId, group.SecurityGroupName, region)</c>
        /// (a null name keeps the one already known), or <c>Session.Recent.Remember(tcInstance)</c> for an
        /// instance and its groups. Read <c>Session.Recent</c> on the pipeline thread and hand the store to
        /// workers, or use <see cref="WorkerOutput.Recent"/>. Connecting or disconnecting forgets them: they belong
        /// to the account they came from.
        /// </summary>
        public TcRecentIds Recent { get; } = new TcRecentIds();

        public void Connect(TcConnection connection)
        {
            Volatile.Write(ref _connection, connection ?? throw new ArgumentNullException(nameof(connection)));
            Forget();
        }

        public void Disconnect()
        {
            Volatile.Write(ref _connection, null);
            Forget();
        }

        private void Forget()
        {
            _regions.Clear();
            _regionMisses.Clear();
            Recent.Clear();
        }

        /// <summary>
        /// Points the session at an emulator with the keys it accepts, routing by region through it as calls to
        /// Tencent would be routed (regional+); used by Start-TcEmulator.
        /// </summary>
        public void UseEndpoint(Uri endpoint, string secretId, string secretKey, string region, string token = null)
        {
            var credential = new TcCredential(secretId, secretKey, token);
            Connect(new TcConnection(new StaticCredentialProvider(credential, TcCredentialSource.Emulator, endpoint.GetLeftPart(UriPartial.Authority)),
                region, TcEndpoint.Custom(endpoint, routeByRegion: true)));
        }

        /// <summary>
        /// The reads of the pipeline a change command (Block-TcPort53, Unblock-TcPort53) is running in, or null when
        /// none is: commands before it record there what it may use instead of reading again (see <see cref="PipelineReads"/>).
        /// </summary>
        public PipelineReads PipelineReads
        {
            get
            {
                lock (_gate) return _pipelineReads;
            }
        }

        /// <summary>
        /// Opens the pipeline's reads (or joins the ones already open, for a second change command in the same
        /// pipeline); disposing the result closes them once the last command is done, so no later pipeline sees them.
        /// </summary>
        public IDisposable OpenPipelineReads(out PipelineReads reads)
        {
            lock (_gate)
            {
                if (_pipelineReadsUsers++ == 0) _pipelineReads = new PipelineReads();
                reads = _pipelineReads;
            }
            return new PipelineReadsUse(this);
        }

        private sealed class PipelineReadsUse : IDisposable
        {
            private TcSessionState _owner;

            public PipelineReadsUse(TcSessionState owner) => _owner = owner;

            public void Dispose()
            {
                TcSessionState owner = Interlocked.Exchange(ref _owner, null);
                if (owner == null) return;
                lock (owner._gate)
                {
                    if (--owner._pipelineReadsUsers == 0) owner._pipelineReads = null;
                }
            }
        }

        /// <summary>
        /// How this session's clients and change commands retry. Users get <see cref="TcRetryPolicy.Default"/>;
        /// tests shorten the delays of their own session (keeping the attempt and fault budgets) so that a run with
        /// injected faults takes seconds.
        /// </summary>
        public TcRetryPolicy Retry { get; set; } = TcRetryPolicy.Default;

        /// <summary>The emulator child process Start-TcEmulator runs for this runspace, or null.</summary>
        public EmulatorProcess Emulator => Volatile.Read(ref _emulator);

        /// <summary>Swaps in <paramref name="next"/> (or null) and returns the one it replaces, so each is stopped exactly once.</summary>
        public EmulatorProcess ExchangeEmulator(EmulatorProcess next) => Interlocked.Exchange(ref _emulator, next);

        /// <summary>The region list of an (endpoint, SecretId), loaded once per connection.</summary>
        public IReadOnlyList<RegionInfo> CachedRegions(string key) => _regions.TryGetValue(key, out var regions) ? regions : null;

        public void CacheRegions(string key, IReadOnlyList<RegionInfo> regions) => _regions[key] = regions;

        /// <summary>The key of <see cref="CachedRegions"/>: the account (SecretId) at an endpoint.</summary>
        public static string RegionKey(TcConnection connection, TcCredential credential) => connection.Endpoint + "\n" + credential.SecretId;

        /// <summary>
        /// Whether tab completion failed to load the region list for <paramref name="key"/> less than
        /// <paramref name="within"/> ago; it then offers the built-in list rather than wait on every Tab.
        /// </summary>
        public bool MissedRegionsRecently(string key, TimeSpan within) =>
            _regionMisses.TryGetValue(key, out DateTime at) && DateTime.UtcNow - at < within;

        public void NoteRegionsMissed(string key) => _regionMisses[key] = DateTime.UtcNow;

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

    /// <summary>The kinds of id tab completion offers from <see cref="TcSessionState.Recent"/>.</summary>
    internal enum TcIdKind
    {
        Instance,
        SecurityGroup,
        LighthouseInstance,
    }

    /// <summary>An id as last seen: what it is called and where it lives, either of them possibly unknown.</summary>
    internal sealed class TcRecentId
    {
        public TcRecentId(string id, string name, string region)
        {
            Id = id;
            Name = name;
            Region = region;
        }

        public string Id { get; }
        public string Name { get; }
        public string Region { get; }

        /// <summary>"name (region)", or as much of it as is known; the id itself when nothing is.</summary>
        public string Label
        {
            get
            {
                bool named = !string.IsNullOrEmpty(Name), placed = !string.IsNullOrEmpty(Region);
                if (named && placed) return Name + " (" + Region + ")";
                if (named) return Name;
                return placed ? "(" + Region + ")" : Id;
            }
        }
    }

    /// <summary>
    /// The ids a session saw most recently, per kind, at most <see cref="Capacity"/> of each: seeing an id
    /// again makes it the newest, and the oldest goes when the store is full. Thread-safe, because workers of
    /// <see cref="TcCmdlet.RunConcurrently{T}"/> record what they find as they find it.
    /// </summary>
    internal sealed class TcRecentIds
    {
        public const int DefaultCapacity = 1000;

        private readonly object _gate = new object();
        private readonly Recency[] _kinds;

        public TcRecentIds(int capacity = DefaultCapacity)
        {
            if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity));
            Capacity = capacity;
            _kinds = Enum.GetValues(typeof(TcIdKind)).Cast<TcIdKind>().Select(_ => new Recency()).ToArray();
        }

        public int Capacity { get; }

        /// <summary>Records <paramref name="id"/> as just seen; a null name or region keeps what was known before.</summary>
        public void Remember(TcIdKind kind, string id, string name, string region)
        {
            if (string.IsNullOrWhiteSpace(id)) return;
            id = id.Trim();
            lock (_gate)
            {
                Recency recency = _kinds[(int)kind];
                if (recency.Index.TryGetValue(id, out LinkedListNode<TcRecentId> known))
                {
                    name = string.IsNullOrEmpty(name) ? known.Value.Name : name;
                    region = string.IsNullOrEmpty(region) ? known.Value.Region : region;
                    recency.Order.Remove(known);
                }
                recency.Index[id] = recency.Order.AddFirst(new TcRecentId(id, name, region));
                if (recency.Order.Count > Capacity)
                {
                    recency.Index.Remove(recency.Order.Last.Value.Id);
                    recency.Order.RemoveLast();
                }
            }
        }

        /// <summary>An instance and the security groups bound to it (whose names an instance does not carry).</summary>
        public void Remember(TcInstance instance)
        {
            if (instance == null) return;
            Remember(TcIdKind.Instance, instance.InstanceId, instance.InstanceName, instance.Region);
            foreach (string group in instance.SecurityGroupIds ?? new string[0]) Remember(TcIdKind.SecurityGroup, group, null, instance.Region);
        }

        /// <summary>A snapshot of the ids of one kind, newest first.</summary>
        public IReadOnlyList<TcRecentId> Recall(TcIdKind kind)
        {
            lock (_gate) return _kinds[(int)kind].Order.ToList();
        }

        public void Clear()
        {
            lock (_gate)
            {
                foreach (Recency recency in _kinds)
                {
                    recency.Order.Clear();
                    recency.Index.Clear();
                }
            }
        }

        private sealed class Recency
        {
            public readonly LinkedList<TcRecentId> Order = new LinkedList<TcRecentId>();
            public readonly Dictionary<string, LinkedListNode<TcRecentId>> Index = new Dictionary<string, LinkedListNode<TcRecentId>>(StringComparer.OrdinalIgnoreCase);
        }
    }
}
