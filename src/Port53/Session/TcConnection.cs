using System;
using Port53.Api;
using Port53.Credentials;
using Port53.Model;

namespace Port53.Session
{
    /// <summary>What Connect-TcAccount (or Start-TcEmulator) chose: immutable, swapped as a whole.</summary>
    internal sealed class TcConnection
    {
        public TcConnection(ITcCredentialProvider credentials, string region, TcEndpoint endpoint, TimeSpan? timeout = null, string name = null)
        {
            Credentials = credentials;
            Name = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
            Region = string.IsNullOrWhiteSpace(region) ? null : region.Trim();
            Endpoint = endpoint;
            Timeout = timeout ?? TcHttp.DefaultRequestTimeout;
        }

        public ITcCredentialProvider Credentials { get; }
        /// <summary>The context's name as chosen (Connect-TcAccount -Name and its defaults); null: see <see cref="NameFor"/>.</summary>
        public string Name { get; }
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
            return new TcConnection(credentials, region, endpoint, chosen?.Timeout, chosen?.Name);
        }

        /// <summary>
        /// The context's name: the one chosen, else what says which identity it is without a secret: the role ARN, "emulator",
        /// the instance role's name, or the masked SecretId.
        /// </summary>
        public string NameFor(TcCredential credential) => Name ?? DefaultName(Credentials, credential);

        public static string DefaultName(ITcCredentialProvider credentials, TcCredential credential)
        {
            switch (credentials.Source)
            {
                case TcCredentialSource.AssumedRole: return credentials.Detail;
                case TcCredentialSource.Emulator: return "emulator";
                case TcCredentialSource.InstanceRole: return "instance-role/" + credentials.Detail;
                default: return credential.MaskedSecretId;
            }
        }

        /// <summary>The account of an assumed role, known from its ARN without a call; null for keys.</summary>
        public long? RoleAccountUin => (Credentials as AssumedRoleCredentialProvider)?.Role.AccountUin;

        /// <summary>What Get-TcContext and Connect-TcAccount -PassThru show: the identity, masked, and where it came from.</summary>
        /// <param name="accountUin">The account, where the session learned it (keys); an assumed role's is taken from its ARN.</param>
        public TcContext ContextFor(TcCredential credential, long? accountUin = null, bool isDefault = true) => new TcContext
        {
            Name = NameFor(credential),
            IsDefault = isDefault,
            Connection = this,
            SecretId = credential.MaskedSecretId,
            Source = Credentials.Source,
            SourceDetail = Credentials.Detail,
            Region = Region,
            Endpoint = Endpoint.ToString(),
            TimeoutSec = (int)Math.Ceiling(Timeout.TotalSeconds),
            TokenPresent = credential.HasToken,
            ExpiresAt = credential.ExpiresAt?.UtcDateTime,
            AccountUin = RoleAccountUin ?? accountUin,
            RoleArn = (Credentials as AssumedRoleCredentialProvider)?.Detail,
            RoleSessionName = (Credentials as AssumedRoleCredentialProvider)?.SessionName,
        };

        /// <summary>TENCENTCLOUD_ENDPOINT, or each region's own endpoint at Tencent when unset; false when the variable holds no valid endpoint.</summary>
        public static bool TryEnvironmentEndpoint(TcCredentialChain chain, out TcEndpoint endpoint)
        {
            string text = chain.EnvironmentEndpoint;
            if (text != null) return TcEndpoint.TryParse(text, out endpoint);
            endpoint = TcEndpoint.Regional;
            return true;
        }
    }
}
