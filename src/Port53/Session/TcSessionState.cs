using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using System.Threading;
using Port53.Api;
using Port53.Credentials;
using Port53.Execution;
using Port53.LocalEmulator;

namespace Port53.Session
{
    /// <summary>
    /// The Port53 state of one runspace: the connection, and the parts that live as long as the runspace, each its
    /// own type: recently seen ids for tab completion (<see cref="Recent"/>), loaded region lists
    /// (<see cref="Regions"/>), the reads of the pipeline a change command runs in (<see cref="PipelineReads"/>),
    /// the emulator Start-TcEmulator runs, and what to do when the runspace ends (<see cref="Cleanup"/>). Kept per
    /// runspace, not per process, because several runspaces (jobs, hosts, parallel tests) share a process and must
    /// not see each other's credentials. Read <see cref="Current"/> on the pipeline thread:
    /// Runspace.DefaultRunspace is thread-affine.
    /// </summary>
    internal sealed class TcSessionState
    {
        private static readonly ConditionalWeakTable<Runspace, TcSessionState> States = new ConditionalWeakTable<Runspace, TcSessionState>();
        /// <summary>For code that runs with no runspace on the thread (API tests, other hosts).</summary>
        private static readonly TcSessionState Detached = new TcSessionState(null);

        private readonly object _gate = new object();
        // The session's contexts, oldest first; the default is the last connected (_connection), if any is left.
        private readonly List<TcConnection> _contexts = new List<TcConnection>();
        private TcConnection _connection;
        private EmulatorProcess _emulator;

        private TcSessionState(Runspace runspace) => Cleanup = new RunspaceCleanup(runspace);

        public static TcSessionState Current => For(Runspace.DefaultRunspace);

        public static TcSessionState For(Runspace runspace) =>
            runspace == null ? Detached : States.GetValue(runspace, r => new TcSessionState(r));

        /// <summary>The default context's connection (the last connected); null means "use the credential chain".</summary>
        public TcConnection Connection => Volatile.Read(ref _connection);

        /// <summary>Every context connected in this session, oldest first.</summary>
        public IReadOnlyList<TcConnection> Contexts
        {
            get
            {
                lock (_gate) return _contexts.ToArray();
            }
        }

        /// <summary>The context of that name (case-insensitive), or null.</summary>
        public TcConnection Context(string name)
        {
            lock (_gate) return _contexts.FirstOrDefault(c => SameName(c.Name, name));
        }

        /// <summary>
        /// The account each context's keys belong to, by account key (<see cref="RegionCache.Key"/>), as STS
        /// GetCallerIdentity named it: asked once per session, not once per command.
        /// </summary>
        public ConcurrentDictionary<string, long> AccountUins { get; } = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);

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

        /// <summary>The region lists of the accounts this session used since it connected.</summary>
        public RegionCache Regions { get; } = new RegionCache();

        /// <summary>
        /// The reads of the pipeline a change command (Block-TcPort53, Unblock-TcPort53) is running in:
        /// <c>PipelineReads.Current</c> is null when none is, and commands before it record there what it may use
        /// instead of reading again (see <see cref="PipelineReadsSlot"/>).
        /// </summary>
        public PipelineReadsSlot PipelineReads { get; } = new PipelineReadsSlot();

        /// <summary>What runs when the runspace closes or breaks.</summary>
        public RunspaceCleanup Cleanup { get; }

        /// <summary>
        /// How this session's clients and change commands retry: <see cref="TcRetryPolicy.Default"/>; tests shorten
        /// the delays of their own session (keeping the attempt and fault budgets) so that a run with injected
        /// faults takes seconds.
        /// </summary>
        public TcRetryPolicy Retry { get; internal set; } = TcRetryPolicy.Default;

        /// <summary>
        /// Roles the environment's role variables named, assumed for commands run without Connect-TcAccount, by source
        /// keys and role (<see cref="AssumedRoleCredentialProvider.KeyOf"/>): each assumed once, then renewed.
        /// </summary>
        public ConcurrentDictionary<string, AssumedRoleCredentialProvider> ChainRoles { get; } =
            new ConcurrentDictionary<string, AssumedRoleCredentialProvider>(StringComparer.Ordinal);

        /// <summary>Adds the context (replacing one of the same name) and makes it the default.</summary>
        public void Connect(TcConnection connection)
        {
            if (connection == null) throw new ArgumentNullException(nameof(connection));
            lock (_gate)
            {
                _contexts.RemoveAll(c => SameName(c.Name, connection.Name));
                _contexts.Add(connection);
                Volatile.Write(ref _connection, connection);
            }
            Forget();
        }

        /// <summary>Forgets every context: the credential chain applies again.</summary>
        public void Disconnect()
        {
            lock (_gate)
            {
                _contexts.Clear();
                Volatile.Write(ref _connection, null);
            }
            Forget();
        }

        /// <summary>Forgets one context; when it was the default, the one connected before it becomes the default. False when there is none of that name.</summary>
        public bool Disconnect(TcConnection context)
        {
            lock (_gate)
            {
                if (!_contexts.Remove(context)) return false;
                if (ReferenceEquals(_connection, context)) Volatile.Write(ref _connection, _contexts.LastOrDefault());
            }
            Forget();
            return true;
        }

        private static bool SameName(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

        private void Forget()
        {
            Regions.Clear();
            Recent.Clear();
            ChainRoles.Clear();
        }

        /// <summary>The name of the context Start-TcEmulator connects.</summary>
        public const string EmulatorContextName = "emulator";

        /// <summary>
        /// Points the session at an emulator with the keys it accepts, routing by region through it as calls to
        /// Tencent would be routed (regional+); used by Start-TcEmulator.
        /// </summary>
        public void UseEndpoint(Uri endpoint, string secretId, string secretKey, string region, string token = null)
        {
            var credential = new TcCredential(secretId, secretKey, token);
            Connect(new TcConnection(new StaticCredentialProvider(credential, TcCredentialSource.Emulator, endpoint.GetLeftPart(UriPartial.Authority)),
                region, TcEndpoint.Custom(endpoint, routeByRegion: true), name: EmulatorContextName));
        }

        /// <summary>The emulator child process Start-TcEmulator runs for this runspace, or null.</summary>
        public EmulatorProcess Emulator => Volatile.Read(ref _emulator);

        /// <summary>Swaps in <paramref name="next"/> (or null) and returns the one it replaces, so each is stopped exactly once.</summary>
        public EmulatorProcess ExchangeEmulator(EmulatorProcess next) => Interlocked.Exchange(ref _emulator, next);
    }
}
