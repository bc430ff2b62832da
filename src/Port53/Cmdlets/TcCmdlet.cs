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
using Port53.Resources;
using Port53.Session;
using RegionInfo = Port53.Api.Models.RegionInfo;

namespace Port53.Cmdlets
{
    /// <summary>
    /// The base of every Port53 cmdlet: it supplies the session, the connection and the client, resolves -Region,
    /// and turns failures it cannot go on after into terminating errors. How work off the pipeline thread reaches
    /// it is in Execution/ (<see cref="OutboxPump"/>, <see cref="TcWorkBatch"/>); what outlives a command is in
    /// Session/.
    ///
    /// Threading rule: only the pipeline thread calls Write*. Work running elsewhere (worker tasks, the client's
    /// log) posts to the <see cref="Outbox"/>, which <see cref="Await{T}"/> and <see cref="TcWorkBatch"/> drain on
    /// the pipeline thread, so output streams as it is ready.
    /// </summary>
    public abstract class TcCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly List<IDisposable> _held = new List<IDisposable>();
        private TcSessionState _session;
        private TcConnection _connection;
        private AccountScope _account;
        // The accounts this command works in, by account key: one client (and one batch of work) per account.
        private readonly Dictionary<string, AccountScope> _scopes = new Dictionary<string, AccountScope>(StringComparer.Ordinal);
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
            if (chosen != null) return _connection = Complete(chosen);
            ITcCredentialProvider credentials = AwaitOrTerminate(Chain.ResolveAsync(CancellationToken));
            if (credentials == null) return null;
            TcEndpoint endpoint = EndpointOr(null);
            credentials = RoleOfTheEnvironment(credentials, endpoint) ?? credentials;
            return _connection = TcConnection.WithDefaults(null, credentials, endpoint, Chain);
        }

        /// <summary>A context of the session with its defaults filled in (region and endpoint from the environment where it chose none).</summary>
        internal TcConnection Complete(TcConnection chosen) => TcConnection.WithDefaults(chosen, chosen.Credentials, EndpointOr(chosen.Endpoint), Chain);

        /// <summary>
        /// <paramref name="chosen"/>, else TENCENTCLOUD_ENDPOINT, else each region's own endpoint at Tencent; a variable
        /// that holds no valid endpoint terminates.
        /// </summary>
        internal TcEndpoint EndpointOr(TcEndpoint chosen)
        {
            if (chosen != null) return chosen;
            if (TcConnection.TryEnvironmentEndpoint(Chain, out TcEndpoint endpoint)) return endpoint;
            ThrowTerminatingError(TcErrors.Create("InvalidEndpoint", ErrorCategory.InvalidArgument, Chain.EnvironmentEndpoint,
                Strings.Core.Format("EndpointInvalidVariable", TcCredentialChain.EndpointVariable, Chain.EnvironmentEndpoint)));
            return null;
        }

        /// <summary>
        /// Without Connect-TcAccount, the role tccli's or Terraform's variables name, assumed with the chain's keys (as
        /// those tools do: acting with the keys alone would act in another account). The session keeps it, so the role
        /// is assumed once and renewed, not once per command.
        /// </summary>
        private ITcCredentialProvider RoleOfTheEnvironment(ITcCredentialProvider source, TcEndpoint endpoint)
        {
            try
            {
                TcRoleRequest role = Chain.RoleFromEnvironment();
                if (role == null) return null;
                string key = AssumedRoleCredentialProvider.KeyOf(AwaitOrTerminate(source.GetCredentialAsync(CancellationToken)), endpoint, role);
                AssumedRoleCredentialProvider assumed = Session.ChainRoles.GetOrAdd(key,
                    _ => AssumedRoleCredentialProvider.For(source, endpoint, RoleClientOptions(TcHttp.DefaultRequestTimeout), Chain.EnvironmentRegion, role));
                AwaitOrTerminate(assumed.GetCredentialAsync(CancellationToken));
                return assumed;
            }
            catch (TcCredentialException ex)
            {
                ThrowTerminatingError(TcErrors.ToErrorRecord(ex, null));
                return null;
            }
        }

        /// <summary>
        /// The options of the client that assumes a role: it outlives this command (the keys are renewed later), so it
        /// logs nowhere.
        /// </summary>
        internal TcClientOptions RoleClientOptions(TimeSpan timeout) => new TcClientOptions
        {
            Retry = Session.Retry,
            RequestTimeout = timeout,
            Language = TcHttp.LanguageFor(CultureInfo.CurrentUICulture),
        };

        /// <summary>The connection's credential now (renewed if it expires); a failure to get one terminates.</summary>
        internal TcCredential CredentialOf(TcConnection connection) => CredentialOf(connection.Credentials);

        internal TcCredential CredentialOf(ITcCredentialProvider credentials) => AwaitOrTerminate(credentials.GetCredentialAsync(CancellationToken));

        /// <summary>
        /// What Get-TcContext and Connect-TcAccount -PassThru show of a context: <paramref name="completed"/> (its defaults
        /// filled in), with its account where the session learnt it, and pointing back at the session's
        /// <paramref name="chosen"/> connection (null for the credential chain, which the session does not hold).
        /// </summary>
        internal Model.TcContext ContextOf(TcConnection completed, TcConnection chosen, bool isDefault)
        {
            TcCredential credential = CredentialOf(completed);
            Session.AccountUins.TryGetValue(RegionCache.Key(completed, credential), out long uin);
            Model.TcContext context = completed.ContextFor(credential, uin == 0 ? (long?)null : uin, isDefault);
            if (chosen != null) context.Connection = chosen;
            return context;
        }

        /// <summary>The account of the default context: where a command acts when nothing names another.</summary>
        internal AccountScope DefaultAccount => _account ?? (_account = ScopeOf(Connection, named: false));

        /// <summary>The default account's client for this invocation.</summary>
        internal TcClient Client => DefaultAccount.Client;

        internal CvmService Cvm => DefaultAccount.Cvm;
        internal VpcService Vpc => DefaultAccount.Vpc;
        internal LighthouseService Lighthouse => DefaultAccount.Lighthouse;

        /// <summary>
        /// This command's scope for the account of <paramref name="connection"/> (defaults filled in), made once per
        /// account: its client logs to the outbox in the UI culture's language. The account itself is asked for here
        /// (once per session, alongside the command's first calls), so that every object read there can carry it.
        /// </summary>
        internal AccountScope ScopeOf(TcConnection connection, bool named)
        {
            TcCredential credential = CredentialOf(connection);
            string key = RegionCache.Key(connection, credential);
            if (_scopes.TryGetValue(key, out AccountScope scope))
            {
                if (named) scope.Named = true;
                return scope;
            }
            var client = new TcClient(connection.Credentials, connection.Endpoint, new TcClientOptions
            {
                Retry = Session.Retry,
                RequestTimeout = connection.Timeout,
                Language = TcHttp.LanguageFor(CultureInfo.CurrentUICulture),
                Log = line => Outbox.Post(c => c.WriteVerbose(line)),
            });
            _scopes[key] = scope = new AccountScope(connection, credential, client, key, named);
            scope.LearnUin(Session, line => Outbox.Post(c => c.WriteVerbose(line)), CancellationToken);
            return scope;
        }

        /// <summary>The scopes of the contexts given (-Account, or piped); none given → the default account.</summary>
        internal IReadOnlyList<AccountScope> ScopesOf(IEnumerable<Model.TcContext> contexts)
        {
            List<AccountScope> scopes = contexts?.Where(c => c != null).Select(ScopeOf).Distinct().ToList();
            return scopes == null || scopes.Count == 0 ? new[] { DefaultAccount } : (IReadOnlyList<AccountScope>)scopes;
        }

        /// <summary>
        /// The scope of a context object: the session connection it was made from, else the session's context of its name.
        /// A context the session no longer has terminates, naming Connect-TcAccount.
        /// </summary>
        internal AccountScope ScopeOf(Model.TcContext context)
        {
            TcConnection connection = context.Connection ?? Session.Context(context.Name);
            if (connection == null)
                ThrowTerminatingError(TcErrors.Create("AccountNotConnected", ErrorCategory.ObjectNotFound, context.Name,
                    Strings.Core.Format("AccountNotConnected", context.Name, context.AccountUin)));
            return ScopeOf(Complete(connection), named: true);
        }

        /// <summary>
        /// The accounts a record is for: the contexts given (-Account), else the one a piped object names by its
        /// properties (ContextName, AccountUin), else the default; none, with the error written, when the session cannot
        /// act in the account the object names.
        /// </summary>
        internal IReadOnlyList<AccountScope> AccountsFor(IEnumerable<Model.TcContext> given, string contextName, long? accountUin)
        {
            if (given != null) return ScopesOf(given);
            AccountScope scope = ScopeOf(new Model.AccountReference { ContextName = contextName, AccountUin = accountUin }, out ErrorRecord error);
            if (scope != null) return new[] { scope };
            WriteError(error);
            return new AccountScope[0];
        }

        /// <summary>
        /// The scope an object read by an earlier command belongs to: the session's context its ContextName names (else one
        /// of its AccountUin); an object that names no account is the default's. Null, with <paramref name="error"/>, when
        /// the session has no such context, or the context of that name is now another account.
        /// </summary>
        internal AccountScope ScopeOf(Model.ITcAccountObject value, out ErrorRecord error)
        {
            error = null;
            string name = value.ContextName;
            long? uin = value.AccountUin;
            if (string.IsNullOrWhiteSpace(name) && uin == null) return DefaultAccount;
            AccountScope scope = null;
            if (!string.IsNullOrWhiteSpace(name))
            {
                TcConnection context = Session.Context(name);
                if (context != null) scope = ScopeOf(Complete(context), named: true);
                else if (string.Equals(DefaultAccount.Name, name, StringComparison.OrdinalIgnoreCase)) scope = DefaultAccount;
            }
            else
            {
                // The accounts this command already works in first, then the session's contexts, newest first.
                scope = _scopes.Values.FirstOrDefault(s => s.KnownUin() == uin)
                    ?? (DefaultAccount.KnownUin() == uin ? DefaultAccount : null)
                    ?? Session.Contexts.Reverse().Select(c => ScopeOf(Complete(c), named: true)).FirstOrDefault(s => s.KnownUin() == uin);
            }
            if (scope != null && (uin == null || scope.KnownUin() == null || scope.KnownUin() == uin)) return scope;
            error = scope == null
                ? TcErrors.Create("AccountNotConnected", ErrorCategory.ObjectNotFound, value, Strings.Core.Format("AccountNotConnected", name ?? "-", uin))
                : TcErrors.Create("AccountMismatch", ErrorCategory.InvalidData, value, Strings.Core.Format("AccountMismatch", name, uin, scope.KnownUin()));
            return null;
        }

        /// <summary>Which account a connection is (endpoint and SecretId): the key of its region list and of its pipeline reads.</summary>
        internal string RegionCacheKey(TcConnection connection) => RegionCache.Key(connection, CredentialOf(connection));

        /// <summary>Every region of the account (the default's when none is given), loaded once per session and account.</summary>
        internal IReadOnlyList<RegionInfo> AllRegions(bool refresh = false, AccountScope account = null)
        {
            account = account ?? DefaultAccount;
            IReadOnlyList<RegionInfo> regions = refresh ? null : Session.Regions.Get(account.Key);
            if (regions != null) return regions;
            regions = AwaitInAccount(account, account.Cvm.DescribeRegionsAsync(CancellationToken, account.Connection.Region));
            if (regions == null) return new RegionInfo[0];
            Session.Regions.Set(account.Key, regions);
            return regions;
        }

        /// <summary>
        /// The regions a -Region value names (see <see cref="RegionNames.Resolve"/>); none → the default region.
        /// One UnknownRegion error per name the account does not have, naming Get-TcRegion. The regions are CVM's
        /// unless <paramref name="regions"/> gives a product's own list (Lighthouse's).
        /// </summary>
        internal IReadOnlyList<string> ResolveRegions(IEnumerable<string> requested, Func<IReadOnlyList<RegionInfo>> regions = null, AccountScope account = null)
        {
            List<string> names = requested?.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim()).ToList() ?? new List<string>();
            if (names.Count == 0) return new[] { DefaultRegion(account) };
            IReadOnlyList<RegionInfo> listed = regions == null ? AllRegions(account: account) : regions();
            // An account that failed has had its one error; its regions are not "unknown".
            if (account != null && account.Failed) return new string[0];
            IReadOnlyList<string> resolved = RegionNames.Resolve(names, listed, out IReadOnlyList<string> unknown);
            foreach (string name in unknown)
                WriteError(TcErrors.Create("UnknownRegion", ErrorCategory.InvalidArgument, name, Strings.Core.Format("UnknownRegion", name)));
            return resolved;
        }

        /// <summary>The default region: Connect-TcAccount -Region, TENCENTCLOUD_REGION, the profile's region; else a terminating error.</summary>
        internal string DefaultRegion(AccountScope account = null)
        {
            string region = account != null ? account.Connection.Region : Connection.Region;
            if (region == null)
                ThrowTerminatingError(TcErrors.Create("NoRegion", ErrorCategory.InvalidArgument, null, Strings.Core["NoRegion"]));
            return region;
        }

        /// <summary>
        /// As <see cref="AwaitOrTerminate{T}"/> for what an account's work cannot go on without (its region list): in an
        /// account the user named, a failure is that account's one error (<see cref="TcWorkBatch.AccountFailed"/>), the
        /// account is marked failed and the result is the default; the other accounts go on.
        /// </summary>
        internal T AwaitInAccount<T>(AccountScope account, Task<T> task)
        {
            if (!account.Named) return AwaitOrTerminate(task);
            if (account.Failed) return default(T);
            Outbox.DrainUntil(task);
            try
            {
                return task.GetAwaiter().GetResult();
            }
            catch (Exception ex) when (!(ex is OperationCanceledException) && !(ex is PipelineStoppedException))
            {
                if (account.MarkFailed()) WriteError(TcWorkBatch.AccountFailed(account, ex));
                return default(T);
            }
        }

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
    }
}
