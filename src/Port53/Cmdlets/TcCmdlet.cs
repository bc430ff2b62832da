using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Port53.Api;
using Port53.Credentials;
using Port53.Execution;
using Port53.Model;
using Port53.Resources;
using Port53.Session;
using RegionInfo = Port53.Api.Models.RegionInfo;

namespace Port53.Cmdlets
{
    /// <summary>
    /// The plumbing every Port53 cmdlet shares: cancellation on Ctrl+C, the session's connection and client,
    /// -Region resolution (with `*` and wildcards), bounded concurrent work whose results stream back through
    /// the pipeline thread, and the mapping of failures to ErrorRecords.
    ///
    /// Threading rule: only the pipeline thread calls Write*. Work running elsewhere (worker tasks, the
    /// client's log) posts actions to the <see cref="Outbox"/>, which <see cref="RunConcurrently{T}"/> and
    /// <see cref="Await{T}"/> drain on the pipeline thread, so output streams as it is ready.
    /// </summary>
    public abstract class TcCmdlet : PSCmdlet, IDisposable
    {
        /// <summary>
        /// How many regions or targets are worked on at once unless a cmdlet says otherwise. The client's pacing
        /// keeps the request rate within Tencent's limits however many run; this only has to be enough to keep
        /// the pacing busy while calls wait: on a round trip (tens to hundreds of milliseconds), and on the backoff
        /// after a throttled or failed attempt, which holds its target meanwhile.
        /// </summary>
        internal const int DefaultThrottle = 32;

        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private TcSessionState _session;
        private TcConnection _connection;
        private TcClient _client;
        private readonly List<IDisposable> _held = new List<IDisposable>();
        private ProgressThrottle _progress;

        protected TcCmdlet() => Outbox = new OutboxPump(this);

        /// <summary>Where work off the pipeline thread posts what the pipeline thread is to write.</summary>
        internal OutboxPump Outbox { get; }

        /// <summary>This command's progress records, throttled; pipeline thread only.</summary>
        internal ProgressThrottle Progress => _progress ?? (_progress = new ProgressThrottle(this));

        /// <summary>Cancelled by StopProcessing (Ctrl+C): pass it to every call.</summary>
        internal CancellationToken CancellationToken => _stopping.Token;

        protected override void StopProcessing()
        {
            _stopping.Cancel();
            base.StopProcessing();
        }

        public void Dispose()
        {
            // A pipeline can end early (Select-Object -First, a terminating error downstream) while a batch fed by
            // pipeline input still has workers in flight: cancelling stops them instead of letting them run on.
            _stopping.Cancel();
            _stopping.Dispose();
            Outbox.Dispose();
            foreach (IDisposable held in _held) held.Dispose();
            _held.Clear();
            GC.SuppressFinalize(this);
        }

        /// <summary>
        /// Disposes <paramref name="resource"/> with the command. PowerShell disposes every command of a pipeline
        /// when the pipeline ends, also after a terminating error or Ctrl+C, when EndProcessing never runs.
        /// </summary>
        internal void DisposeWithCommand(IDisposable resource) => _held.Add(resource);

        /// <summary>This runspace's state; first read on the pipeline thread, where DefaultRunspace is ours.</summary>
        internal TcSessionState Session => _session ?? (_session = TcSessionState.Current);

        /// <summary>Credential chain of the process (environment, profile files, instance role).</summary>
        internal static TcCredentialChain Chain => TcCredentialChain.Process;

        /// <summary>
        /// The connection to use, defaults filled in: the session's, else the credential chain with
        /// TENCENTCLOUD_REGION and TENCENTCLOUD_ENDPOINT. No credentials anywhere is a terminating error.
        /// </summary>
        internal TcConnection Connection
        {
            get
            {
                TcConnection connection = TryGetConnection();
                if (connection == null)
                    ThrowTerminatingError(TcErrors.Create("NoCredentials", ErrorCategory.AuthenticationError, null, Strings.Core["NoCredentials"]));
                return connection;
            }
        }

        /// <summary>As <see cref="Connection"/>, but null instead of an error when there are no credentials.</summary>
        internal TcConnection TryGetConnection()
        {
            if (_connection != null) return _connection;
            TcConnection chosen = Session.Connection;
            ITcCredentialProvider credentials = chosen?.Credentials ?? AwaitOrTerminate(Chain.ResolveAsync(CancellationToken));
            if (credentials == null) return null;
            TcEndpoint endpoint = chosen?.Endpoint ?? EndpointFromEnvironment();
            return _connection = TcConnection.WithDefaults(chosen, credentials, endpoint, Chain);
        }

        /// <summary>What Get-TcContext and Connect-TcAccount -PassThru show: the identity, masked, and where it came from.</summary>
        internal TcContext ContextOf(TcConnection connection)
        {
            TcCredential credential = AwaitOrTerminate(connection.Credentials.GetCredentialAsync(CancellationToken));
            return new TcContext
            {
                SecretId = credential.MaskedSecretId,
                Source = connection.Credentials.Source,
                SourceDetail = connection.Credentials.Detail,
                Region = connection.Region,
                Endpoint = connection.Endpoint.ToString(),
                TimeoutSec = (int)Math.Ceiling(connection.Timeout.TotalSeconds),
                TokenPresent = credential.HasToken,
                ExpiresAt = credential.ExpiresAt?.UtcDateTime,
            };
        }

        private TcEndpoint EndpointFromEnvironment()
        {
            TcCredentialChain chain = Chain;
            if (TcConnection.TryEnvironmentEndpoint(chain, out TcEndpoint endpoint)) return endpoint;
            string text = chain.EnvironmentEndpoint;
            ThrowTerminatingError(TcErrors.Create("InvalidEndpoint", ErrorCategory.InvalidArgument, text,
                Strings.Core.Format("EndpointInvalidVariable", TcCredentialChain.EndpointVariable, text)));
            return null;
        }

        /// <summary>The client for this invocation: its verbose log goes to the outbox, its language is the UI culture's.</summary>
        internal TcClient Client => _client ?? (_client = new TcClient(Connection.Credentials, Connection.Endpoint, new TcClientOptions
        {
            Retry = Session.Retry,
            RequestTimeout = Connection.Timeout,
            Language = TcHttp.LanguageFor(CultureInfo.CurrentUICulture),
            Log = line => Outbox.Post(c => c.WriteVerbose(line)),
        }));

        internal CvmService Cvm => new CvmService(Client);
        internal VpcService Vpc => new VpcService(Client);

        /// <summary>Every region of the account, loaded once per session and connection.</summary>
        internal IReadOnlyList<RegionInfo> AllRegions(bool refresh = false)
        {
            string key = RegionCacheKey(Connection);
            IReadOnlyList<RegionInfo> regions = refresh ? null : Session.CachedRegions(key);
            if (regions == null)
            {
                regions = AwaitOrTerminate(Cvm.DescribeRegionsAsync(CancellationToken, Connection.Region));
                Session.CacheRegions(key, regions);
            }
            return regions;
        }

        /// <summary>Which cached region list belongs to a connection: one per endpoint and SecretId.</summary>
        internal string RegionCacheKey(TcConnection connection) =>
            TcSessionState.RegionKey(connection, AwaitOrTerminate(connection.Credentials.GetCredentialAsync(CancellationToken)));

        /// <summary>
        /// The regions a -Region value names: none → the default region (terminating error if there is none);
        /// `*` → every AVAILABLE region; a wildcard → the available regions it matches; a name → itself, after
        /// checking it exists (one UnknownRegion error per unknown name, naming Get-TcRegion). Distinct, in order.
        /// </summary>
        internal IReadOnlyList<string> ResolveRegions(IEnumerable<string> requested)
        {
            List<string> names = requested?.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim()).ToList() ?? new List<string>();
            if (names.Count == 0) return new[] { DefaultRegion() };
            var resolved = new List<string>();
            IReadOnlyList<RegionInfo> all = AllRegions();
            foreach (string name in names)
            {
                if (WildcardPattern.ContainsWildcardCharacters(name))
                {
                    var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
                    resolved.AddRange(all.Where(r => IsAvailable(r) && pattern.IsMatch(r.Region)).Select(r => r.Region));
                }
                else if (all.Any(r => string.Equals(r.Region, name, StringComparison.OrdinalIgnoreCase)))
                {
                    resolved.Add(all.First(r => string.Equals(r.Region, name, StringComparison.OrdinalIgnoreCase)).Region);
                }
                else
                {
                    WriteError(TcErrors.Create("UnknownRegion", ErrorCategory.InvalidArgument, name, Strings.Core.Format("UnknownRegion", name)));
                }
            }
            return resolved.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        }

        /// <summary>The default region: Connect-TcAccount -Region, TENCENTCLOUD_REGION, the profile's region; else a terminating error.</summary>
        internal string DefaultRegion()
        {
            string region = Connection.Region;
            if (region == null)
                ThrowTerminatingError(TcErrors.Create("NoRegion", ErrorCategory.InvalidArgument, null, Strings.Core["NoRegion"]));
            return region;
        }

        private static bool IsAvailable(RegionInfo region) =>
            string.IsNullOrEmpty(region.RegionState) || string.Equals(region.RegionState, "AVAILABLE", StringComparison.OrdinalIgnoreCase);

        /// <summary>
        /// Waits on the pipeline thread for a task while writing what workers and the client post meanwhile.
        /// Ctrl+C stops the wait at once; a failure comes back as its own exception (not an AggregateException).
        /// </summary>
        internal T Await<T>(Task<T> task)
        {
            Outbox.DrainUntil(task);
            return task.GetAwaiter().GetResult();
        }

        internal void Await(Task task)
        {
            Outbox.DrainUntil(task);
            task.GetAwaiter().GetResult();
        }

        /// <summary>
        /// As <see cref="Await{T}"/> for something the cmdlet cannot go on without (credentials, the region
        /// list): any failure becomes a terminating error.
        /// </summary>
        internal T AwaitOrTerminate<T>(Task<T> task, object target = null)
        {
            Outbox.DrainUntil(task);
            try
            {
                return task.GetAwaiter().GetResult();
            }
            catch (Exception ex) when (!(ex is OperationCanceledException) && !(ex is PipelineStoppedException))
            {
                ThrowTerminatingError(TcErrors.ToErrorRecord(ex, target));
                throw;
            }
        }

        /// <summary>
        /// Runs <paramref name="work"/> for every item, at most <paramref name="throttle"/> at once, on worker
        /// tasks that post output through their <see cref="WorkerOutput"/>. A failure becomes one error for that
        /// item (target: <paramref name="targetOf"/>(item), else the item) and the others go on, except a fatal
        /// one (bad credentials), which cancels the rest and terminates. With <paramref name="activity"/>,
        /// progress is shown per finished item. Returns when all items are done.
        /// </summary>
        internal void RunConcurrently<T>(IEnumerable<T> items, Func<T, WorkerOutput, Task> work, Func<T, object> targetOf = null,
            int throttle = DefaultThrottle, string activity = null)
        {
            List<T> list = items.ToList();
            if (list.Count == 0) return;
            using (var batch = new TcWorkBatch(this, throttle, activity, list.Count))
            {
                foreach (T item in list) batch.Start(item, work, targetOf);
                batch.Finish();
            }
        }

        /// <summary>
        /// A batch for work that arrives one pipeline record at a time: start it in ProcessRecord
        /// (<see cref="TcWorkBatch.Start{T}"/> writes what is ready and waits only when too much is in flight),
        /// finish it in EndProcessing. Results stream in the order they are ready.
        /// </summary>
        internal TcWorkBatch StartBatch(int throttle = DefaultThrottle, string activity = null, int? window = null) => new TcWorkBatch(this, throttle, activity, 0, window);

        /// <summary>A failure for one target: a terminating error if nothing else can succeed, else one WriteError.</summary>
        internal void WriteFailure(Exception exception, object target)
        {
            ErrorRecord record = TcErrors.ToErrorRecord(exception, target);
            if (TcErrors.IsFatal(exception)) ThrowTerminatingError(record);
            WriteError(record);
        }
    }
}
