using System;
using Port53.Credentials;
using Port53.Session;

namespace Port53.Model
{
    /// <summary>
    /// One identity a session can act as (a context), as Connect-TcAccount -PassThru and Get-TcContext show it. Holds
    /// no secret: SecretId is masked. Pipe it (or pass it to -Account) to make a command act in its account.
    /// </summary>
    public sealed class TcContext
    {
        /// <summary>
        /// The context's name in the session: Connect-TcAccount -Name, else the organization member's name, the profile,
        /// the role ARN, or the masked SecretId. Objects the context reads carry it as ContextName.
        /// </summary>
        public string Name { get; set; }
        /// <summary>Whether commands that name no account use this one (the last connected).</summary>
        public bool IsDefault { get; set; }
        /// <summary>Masked, e.g. AKID****MPLE.</summary>
        public string SecretId { get; set; }
        public TcCredentialSource Source { get; set; }
        /// <summary>Profile and file, role name or emulator address; empty for parameters and environment.</summary>
        public string SourceDetail { get; set; }
        /// <summary>The default region; null when cmdlets need an explicit -Region.</summary>
        public string Region { get; set; }
        public string Endpoint { get; set; }
        /// <summary>How long one attempt of an API call waits for its reply, in seconds (Connect-TcAccount -TimeoutSec).</summary>
        public int TimeoutSec { get; set; }
        /// <summary>Whether the credentials are temporary (carry a token).</summary>
        public bool TokenPresent { get; set; }
        /// <summary>When temporary credentials expire (UTC); null for permanent keys.</summary>
        public DateTime? ExpiresAt { get; set; }
        /// <summary>
        /// The account the context acts in: an assumed role's account, or (for keys) the account STS GetCallerIdentity
        /// named the first time a command used them; null until then.
        /// </summary>
        public long? AccountUin { get; set; }
        /// <summary>The CAM role assumed (Connect-TcAccount -RoleArn / -RoleName, a profile's role-arn, the role variables); null for none.</summary>
        public string RoleArn { get; set; }
        public string RoleSessionName { get; set; }

        /// <summary>The session's connection this object was made from (not serialised): a command given it acts with exactly that one.</summary>
        internal TcConnection Connection { get; set; }

        public override string ToString() => Name ?? SecretId + " (" + Source + ")";
    }
}
