using System;
using Port53.Api;
using Port53.Credentials;
using Port53.Model;

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

        /// <summary>What Get-TcContext and Connect-TcAccount -PassThru show: the identity, masked, and where it came from.</summary>
        public TcContext ContextFor(TcCredential credential) => new TcContext
        {
            SecretId = credential.MaskedSecretId,
            Source = Credentials.Source,
            SourceDetail = Credentials.Detail,
            Region = Region,
            Endpoint = Endpoint.ToString(),
            TimeoutSec = (int)Math.Ceiling(Timeout.TotalSeconds),
            TokenPresent = credential.HasToken,
            ExpiresAt = credential.ExpiresAt?.UtcDateTime,
            AccountUin = (Credentials as AssumedRoleCredentialProvider)?.Role.AccountUin,
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
