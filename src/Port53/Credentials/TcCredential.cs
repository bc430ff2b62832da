using System;

namespace Port53.Credentials
{
    /// <summary>
    /// A SecretId/SecretKey pair, with a token and expiry when temporary. ToString and every property a user
    /// could print show the SecretId masked; the key and the token are reachable only by the signer.
    /// </summary>
    internal sealed class TcCredential
    {
        public TcCredential(string secretId, string secretKey, string token = null, DateTimeOffset? expiresAt = null)
        {
            if (string.IsNullOrWhiteSpace(secretId)) throw new ArgumentException(Resources.Strings.Core["SecretIdEmpty"], nameof(secretId));
            if (string.IsNullOrWhiteSpace(secretKey)) throw new ArgumentException(Resources.Strings.Core["SecretKeyEmpty"], nameof(secretKey));
            SecretId = secretId.Trim();
            SecretKey = secretKey.Trim();
            Token = string.IsNullOrWhiteSpace(token) ? null : token.Trim();
            ExpiresAt = expiresAt;
        }

        public string SecretId { get; }
        internal string SecretKey { get; }
        internal string Token { get; }
        public DateTimeOffset? ExpiresAt { get; }
        public bool HasToken => Token != null;
        public string MaskedSecretId => Mask(SecretId);

        /// <summary>AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE → AKID****MPLE; anything short enough to guess → ****.</summary>
        public static string Mask(string value)
        {
            if (string.IsNullOrEmpty(value)) return string.Empty;
            return value.Length < 12 ? "****" : value.Substring(0, 4) + "****" + value.Substring(value.Length - 4);
        }

        public override string ToString() =>
            Resources.Strings.Core.Format("CredentialToString", MaskedSecretId, HasToken);
    }
}
