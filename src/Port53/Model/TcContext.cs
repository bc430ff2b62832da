using System;
using Port53.Credentials;

namespace Port53.Model
{
    /// <summary>The identity a session uses, as Get-TcContext shows it. Holds no secret: SecretId is masked.</summary>
    public sealed class TcContext
    {
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
        /// <summary>The account the session acts in, where Port53 knows it without asking: the account of an assumed role.</summary>
        public long? AccountUin { get; set; }
        /// <summary>The CAM role assumed (Connect-TcAccount -RoleArn, a profile's role-arn, the role variables); null for none.</summary>
        public string RoleArn { get; set; }
        public string RoleSessionName { get; set; }

        public override string ToString() => SecretId + " (" + Source + ")";
    }
}
