using System;
using System.Threading;
using System.Threading.Tasks;
using Port53.Api;
using Port53.Api.Models;
using Port53.Resources;

namespace Port53.Credentials
{
    /// <summary>
    /// Temporary keys of a CAM role, obtained with STS AssumeRole using another identity's keys (the source), and
    /// renewed before they expire: five minutes before, or half-way through a lifetime shorter than ten minutes.
    /// </summary>
    internal sealed class AssumedRoleCredentialProvider : RenewingCredentialProvider
    {
        private readonly StsService _sts;
        private readonly string _region;
        private readonly AssumeRoleRequest _request;

        /// <param name="sts">STS over the source identity's keys.</param>
        /// <param name="region">The region STS is called in (it requires one).</param>
        public AssumedRoleCredentialProvider(StsService sts, string region, TcRoleArn role, string sessionName, long? durationSeconds = null,
            string externalId = null, Func<DateTimeOffset> now = null)
            : base(now)
        {
            _sts = sts ?? throw new ArgumentNullException(nameof(sts));
            Role = role ?? throw new ArgumentNullException(nameof(role));
            _region = region;
            _request = new AssumeRoleRequest
            {
                RoleArn = role.ToString(),
                RoleSessionName = TcRoleArn.CheckSessionToken(sessionName, "RoleSessionName"),
                DurationSeconds = durationSeconds,
                ExternalId = externalId == null ? null : TcRoleArn.CheckSessionToken(externalId, "ExternalId"),
            };
        }

        /// <summary>
        /// The role <paramref name="role"/> asks for, assumed with <paramref name="source"/>'s keys through STS at
        /// <paramref name="endpoint"/> in <paramref name="region"/> (STS requires one: else <see cref="StsService.FallbackRegion"/>).
        /// Nothing is called yet.
        /// </summary>
        public static AssumedRoleCredentialProvider For(ITcCredentialProvider source, TcEndpoint endpoint, TcClientOptions options, string region, TcRoleRequest role) =>
            new AssumedRoleCredentialProvider(new StsService(new TcClient(source, endpoint, options)), region ?? StsService.FallbackRegion,
                role.Role, role.SessionName, role.DurationSeconds, role.ExternalId);

        /// <summary>Which source and role (never a secret): a session keeps one provider per key, so each role is assumed once.</summary>
        public static string KeyOf(TcCredential source, TcEndpoint endpoint, TcRoleRequest role) =>
            endpoint + "\n" + source.SecretId + "\n" + role.Role + "\n" + role.SessionName + "\n" + role.DurationSeconds + "\n" + role.ExternalId;

        public TcRoleArn Role { get; }
        public string SessionName => _request.RoleSessionName;
        public override TcCredentialSource Source => TcCredentialSource.AssumedRole;
        public override string Detail => _request.RoleArn;

        protected override DateTimeOffset RenewAt(TcCredential fresh, DateTimeOffset asked)
        {
            TimeSpan lifetime = fresh.ExpiresAt.Value - asked;
            return fresh.ExpiresAt.Value - (lifetime < RenewBefore + RenewBefore ? TimeSpan.FromTicks(Math.Max(0, lifetime.Ticks / 2)) : RenewBefore);
        }

        protected override async Task<TcCredential> FetchAsync(CancellationToken cancellationToken)
        {
            AssumeRoleResponse reply;
            try
            {
                reply = await _sts.AssumeRoleAsync(_region, _request, cancellationToken).ConfigureAwait(false);
            }
            catch (TcApiException error)
            {
                throw new TcCredentialException("AssumeRoleFailed", TcErrors.CategoryFor(error.Code),
                    Strings.Core.Format("AssumeRoleFailed", _request.RoleArn, error.Code, error.Message), error);
            }
            AssumeRoleCredentials keys = reply.Credentials;
            if (keys == null || string.IsNullOrEmpty(keys.TmpSecretId) || string.IsNullOrEmpty(keys.TmpSecretKey) || reply.ExpiredTime <= 0)
                throw new TcCredentialException("AssumeRoleFailed", System.Management.Automation.ErrorCategory.InvalidResult,
                    Strings.Core.Format("AssumeRoleIncomplete", _request.RoleArn, reply.RequestId));
            return new TcCredential(keys.TmpSecretId, keys.TmpSecretKey, keys.Token, DateTimeOffset.FromUnixTimeSeconds(reply.ExpiredTime));
        }

        public override string ToString() => "AssumedRole " + Detail + " " + (Current?.ToString() ?? string.Empty);
    }
}
