using System;
using System.Globalization;
using System.Management.Automation;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using Port53.Api;
using Port53.Resources;

namespace Port53.Credentials
{
    /// <summary>
    /// Temporary credentials of the CAM role bound to the CVM instance we run on, read from the metadata
    /// service and renewed five minutes before they expire. The metadata timeout is short so that a machine
    /// that is not a CVM instance learns it quickly.
    /// </summary>
    internal sealed class InstanceRoleCredentialProvider : RenewingCredentialProvider
    {
        public const string DefaultMetadataBase = "http://metadata.tencentyun.com";
        public const string MetadataEndpointVariable = "PORT53_METADATA_ENDPOINT";
        private const string CredentialsPath = "/latest/meta-data/cam/security-credentials/";
        /// <summary>Without an ExpiredTime, ask again this often.</summary>
        private static readonly TimeSpan UnknownLifetime = TimeSpan.FromMinutes(5);

        private readonly Uri _base;
        private readonly HttpClient _http;

        public InstanceRoleCredentialProvider(string metadataBase = null, HttpClient http = null, Func<DateTimeOffset> now = null)
            : base(now)
        {
            _base = new Uri(string.IsNullOrWhiteSpace(metadataBase) ? DefaultMetadataBase : metadataBase.Trim());
            _http = http ?? TcHttp.Shared;
        }

        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

        public override TcCredentialSource Source => TcCredentialSource.InstanceRole;

        /// <summary>The role name once known.</summary>
        public override string Detail => _role;

        private string _role = string.Empty;

        protected override DateTimeOffset RenewAt(TcCredential fresh, DateTimeOffset asked) =>
            fresh.ExpiresAt.HasValue ? fresh.ExpiresAt.Value - RenewBefore : asked + UnknownLifetime;

        protected override async Task<TcCredential> FetchAsync(CancellationToken cancellationToken)
        {
            string roles = await GetAsync(CredentialsPath, cancellationToken).ConfigureAwait(false);
            string role = FirstLine(roles);
            if (role.Length == 0) throw Unavailable(Strings.Core["InstanceRoleNone"], null);
            string body = await GetAsync(CredentialsPath + Uri.EscapeDataString(role), cancellationToken).ConfigureAwait(false);
            JObject json;
            try
            {
                json = JObject.Parse(body);
            }
            catch (Newtonsoft.Json.JsonException ex)
            {
                throw Unavailable(Strings.Core.Format("InstanceRoleUnreadable", role), ex);
            }
            string id = (string)TcJson.Get(json, "TmpSecretId");
            string key = (string)TcJson.Get(json, "TmpSecretKey");
            string token = (string)TcJson.Get(json, "Token");
            if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(key))
                throw Unavailable(Strings.Core.Format("InstanceRoleUnreadable", role), null);
            DateTimeOffset? expires = null;
            JToken expired = TcJson.Get(json, "ExpiredTime");
            if (expired != null && long.TryParse(expired.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long unix))
                expires = DateTimeOffset.FromUnixTimeSeconds(unix);
            _role = role;
            return new TcCredential(id, key, token, expires);
        }

        private async Task<string> GetAsync(string path, CancellationToken cancellationToken)
        {
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(Timeout);
                try
                {
                    using (HttpResponseMessage response = await _http.GetAsync(new Uri(_base, path), timeout.Token).ConfigureAwait(false))
                    {
                        if (!response.IsSuccessStatusCode)
                            throw Unavailable(Strings.Core.Format("InstanceRoleHttp", _base, (int)response.StatusCode), null);
                        return await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw Unavailable(Strings.Core.Format("InstanceRoleUnreachable", _base), null);
                }
                catch (HttpRequestException ex)
                {
                    throw Unavailable(Strings.Core.Format("InstanceRoleUnreachable", _base), ex);
                }
            }
        }

        private static string FirstLine(string text)
        {
            foreach (string line in (text ?? string.Empty).Split('\n'))
                if (line.Trim().Length > 0) return line.Trim().TrimEnd('/');
            return string.Empty;
        }

        private static TcCredentialException Unavailable(string message, Exception inner) =>
            new TcCredentialException("InstanceRoleUnavailable", ErrorCategory.AuthenticationError, message, inner);

        public override string ToString() => "InstanceRole " + Detail + " " + (Current?.ToString() ?? string.Empty);
    }
}
