using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading;

namespace Port53.Api
{
    /// <summary>
    /// TC3-HMAC-SHA256 request signing, as Tencent Cloud API 3.0 defines it. Shared (as a linked source file)
    /// by the module's client and the emulator's verifier, so both sides agree by construction and the
    /// published example vector pins them both.
    /// </summary>
    internal static class Tc3Signer
    {
        public const string Algorithm = "TC3-HMAC-SHA256";
        public const string SignedHeaders = "content-type;host";
        public const string JsonContentType = "application/json; charset=utf-8";

        /// <summary>UTC yyyy-MM-dd of a unix timestamp: the credential-scope date.</summary>
        public static string ScopeDate(long timestamp) =>
            DateTimeOffset.FromUnixTimeSeconds(timestamp).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        public static string Signature(string secretKey, string service, long timestamp, string host, string contentType, byte[] body)
        {
            string date = ScopeDate(timestamp);
            string canonicalRequest = "POST\n/\n\n" +
                "content-type:" + contentType + "\nhost:" + host + "\n\n" +
                SignedHeaders + "\n" + Hex(Sha256(body));
            string stringToSign = Algorithm + "\n" +
                timestamp.ToString(CultureInfo.InvariantCulture) + "\n" +
                date + "/" + service + "/tc3_request\n" +
                Hex(Sha256(Encoding.UTF8.GetBytes(canonicalRequest)));

            return Hex(Hmac(SigningKey(secretKey, date, service), stringToSign));
        }

        // The derived key changes only with the key, the UTC date and the service, so one serves a whole run's
        // requests: three HMACs fewer per request. It is as secret as the key it comes from and kept only in memory.
        private sealed class DerivedKey
        {
            public string SecretKey, Date, Service;
            public byte[] Key;
        }

        private static DerivedKey _lastKey;

        private static byte[] SigningKey(string secretKey, string date, string service)
        {
            DerivedKey last = Volatile.Read(ref _lastKey);
            if (last != null && string.Equals(last.SecretKey, secretKey, StringComparison.Ordinal) &&
                string.Equals(last.Date, date, StringComparison.Ordinal) && string.Equals(last.Service, service, StringComparison.Ordinal))
                return last.Key;
            byte[] kDate = Hmac(Encoding.UTF8.GetBytes("TC3" + secretKey), date);
            byte[] kService = Hmac(kDate, service);
            byte[] kSigning = Hmac(kService, "tc3_request");
            Volatile.Write(ref _lastKey, new DerivedKey { SecretKey = secretKey, Date = date, Service = service, Key = kSigning });
            return kSigning;
        }

        public static string Authorization(string secretId, string secretKey, string service, long timestamp, string host, string contentType, byte[] body) =>
            Algorithm + " Credential=" + secretId + "/" + ScopeDate(timestamp) + "/" + service + "/tc3_request, SignedHeaders=" +
            SignedHeaders + ", Signature=" + Signature(secretKey, service, timestamp, host, contentType, body);

        /// <summary>Constant-time comparison of two hex signatures.</summary>
        internal static bool SignaturesEqual(string a, string b)
        {
            if (a == null || b == null || a.Length != b.Length) return false;
            int diff = 0;
            for (int i = 0; i < a.Length; i++) diff |= a[i] ^ b[i];
            return diff == 0;
        }

        private static byte[] Sha256(byte[] data)
        {
            using (var sha = SHA256.Create()) return sha.ComputeHash(data);
        }

        private static byte[] Hmac(byte[] key, string message)
        {
            using (var hmac = new HMACSHA256(key)) return hmac.ComputeHash(Encoding.UTF8.GetBytes(message));
        }

        internal static string Hex(byte[] bytes)
        {
            const string digits = "0123456789abcdef";
            var chars = new char[bytes.Length * 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                chars[2 * i] = digits[bytes[i] >> 4];
                chars[2 * i + 1] = digits[bytes[i] & 0xF];
            }
            return new string(chars);
        }
    }
}
