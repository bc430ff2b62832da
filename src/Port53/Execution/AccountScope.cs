using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Port53.Api;
using Port53.Credentials;
using Port53.Model;
using Port53.Session;

namespace Port53.Execution
{
    /// <summary>
    /// One account a command works in: the context's connection (defaults filled in), the command's client for it, and
    /// what each object read there carries (<see cref="Stamp{T}"/>). A command has one per context it acts in, made on
    /// the pipeline thread by <see cref="Cmdlets.TcCmdlet.ScopeOf(TcConnection, bool)"/>; its work runs in batches of its
    /// own, so each account has its own working places and, at Tencent, its own rate-limit budgets (keyed by SecretId).
    /// </summary>
    internal sealed class AccountScope
    {
        public AccountScope(TcConnection connection, TcCredential credential, TcClient client, string key, bool named)
        {
            Connection = connection;
            Client = client;
            Key = key;
            Named = named;
            Name = connection.NameFor(credential);
            MaskedSecretId = credential.MaskedSecretId;
            Uin = connection.RoleAccountUin;
        }

        public TcConnection Connection { get; }
        public TcClient Client { get; }
        /// <summary>Which account at which endpoint (<see cref="RegionCache.Key"/>): of its region list, its pipeline reads, its scope in a command.</summary>
        public string Key { get; }
        /// <summary>The context's name, which objects read here carry as ContextName.</summary>
        public string Name { get; }
        /// <summary>The account, once known (an assumed role's from its ARN, keys' from STS); null when it could not be learnt.</summary>
        public long? Uin { get; private set; }
        /// <summary>The SecretId the calls are signed with, masked: who made a change.</summary>
        public string MaskedSecretId { get; }
        /// <summary>The CAM role the keys are of; null for keys of the account itself.</summary>
        public string RoleArn => (Connection.Credentials as AssumedRoleCredentialProvider)?.Detail;
        /// <summary>
        /// Whether the user named this account (a context piped or given to -Account, or an object that carries its
        /// context): then a failure of its credentials is one error for it and the other accounts go on.
        /// </summary>
        public bool Named { get; set; }

        /// <summary>Whether the account's credentials failed in this command (its one error is written): nothing more is done there.</summary>
        public bool Failed => Volatile.Read(ref _failed) != 0;

        private int _failed;

        /// <summary>Marks the account failed; true only for the first failure, whose error is the one to write.</summary>
        public bool MarkFailed() => Interlocked.Exchange(ref _failed, 1) == 0;

        /// <summary>
        /// A progress activity of work in this account: with the context's name when the user named the account, so that
        /// several accounts' activities are told apart (and shown side by side).
        /// </summary>
        public string Activity(string activity) => activity == null || !Named ? activity : Resources.Strings.Core.Format("ProgressInAccount", activity, Name);

        public CvmService Cvm => new CvmService(Client);
        public VpcService Vpc => new VpcService(Client);
        public LighthouseService Lighthouse => new LighthouseService(Client);

        /// <summary>
        /// Starts learning the account of the keys (STS GetCallerIdentity, which any key may call) unless it is known,
        /// alongside the command's first calls: the session remembers it per account key, so it is asked once per session.
        /// A failure leaves it unknown (said in <paramref name="verbose"/>): the command's own calls then report what is
        /// wrong with the keys.
        /// </summary>
        public void LearnUin(TcSessionState session, Action<string> verbose, CancellationToken cancellationToken)
        {
            if (Uin != null) return;
            if (session.AccountUins.TryGetValue(Key, out long known))
            {
                Uin = known;
                return;
            }
            _learning = LearnAsync(session, verbose, cancellationToken);
        }

        private Task _learning;

        private async Task LearnAsync(TcSessionState session, Action<string> verbose, CancellationToken cancellationToken)
        {
            try
            {
                var reply = await new StsService(Client).GetCallerIdentityAsync(Connection.Region ?? StsService.FallbackRegion, cancellationToken).ConfigureAwait(false);
                if (long.TryParse(reply.AccountId, NumberStyles.None, CultureInfo.InvariantCulture, out long uin))
                {
                    session.AccountUins[Key] = uin;
                    Uin = uin;
                }
            }
            catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                verbose(Resources.Strings.Core.Format("VerboseAccountUnknown", Name, ex.Message));
            }
        }

        /// <summary>
        /// Marks <paramref name="value"/> as read in (or changed in) this account; returns it. The first objects of a
        /// session may wait here for the account to be learnt (one round trip, asked when the command began).
        /// </summary>
        public T Stamp<T>(T value) where T : ITcAccountObject
        {
            value.AccountUin = KnownUin();
            value.ContextName = Name;
            return value;
        }

        /// <summary>The account, once the question asked when the command began is answered; null when it could not be learnt.</summary>
        public long? KnownUin()
        {
            Task learning = _learning;
            if (learning != null && !learning.IsCompleted)
            {
                try { learning.Wait(); } catch (AggregateException) { }
            }
            return Uin;
        }
    }
}
