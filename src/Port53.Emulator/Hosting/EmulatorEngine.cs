using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Port53.Api;
using Port53.Emulator.Api;
using Port53.Emulator.Faults;
using Port53.Emulator.Model;

namespace Port53.Emulator.Hosting
{
    /// <summary>
    /// The request pipeline: control API, transport faults, TC3 verification, action and region checks, rate limits,
    /// injected errors, then the action. Independent of how it is hosted.
    /// </summary>
    internal sealed class EmulatorEngine
    {
        private const long MaxBodyBytes = 8 * 1024 * 1024;
        private static readonly byte[] BadGatewayBody = Encoding.UTF8.GetBytes("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>");

        private static readonly byte[] ProxyPageBody = Encoding.UTF8.GetBytes("<html><head><title>Gateway</title></head><body><p>The upstream reply could not be delivered.</p></body></html>");

        private readonly Func<Fleet> _initialFleet;
        private volatile FleetAccounts _accounts;

        public EmulatorEngine(EmulatorOptions options)
        {
            Options = options;
            Time = options.TimeProvider ?? TimeProvider.System;
            _initialFleet = options.FleetFactory();
            _accounts = new FleetAccounts(_initialFleet(), EmulatorOptions.DefaultAccountUin);
            Faults = new FaultEngine(options.Faults, Time);
            Log = new RequestLog(options.RequestLogCapacity);
            ConcurrentEditor = new ConcurrentEditor(this);
            Control = new ControlApi(this);
        }

        public EmulatorOptions Options { get; }
        public TimeProvider Time { get; }
        public FaultEngine Faults { get; }
        public RequestLog Log { get; }
        public ConcurrentEditor ConcurrentEditor { get; }
        public ControlApi Control { get; }
        /// <summary>The first account: the one Start-TcEmulator connects with.</summary>
        public FleetStore Store => _accounts.First;
        public FleetAccounts Accounts => _accounts;

        /// <summary>Back to the initial fleet; also restarts the fault sequence and rate-limit buckets.</summary>
        public void Reset()
        {
            _accounts = new FleetAccounts(_initialFleet(), EmulatorOptions.DefaultAccountUin);
            ConcurrentEditor.Reset();
            Faults.Restart();
        }

        public async Task HandleAsync(HttpContext http)
        {
            string path = http.Request.Path.Value ?? "/";
            if (path.StartsWith("/_emulator", StringComparison.Ordinal))
            {
                await Control.HandleAsync(http, path).ConfigureAwait(false);
                return;
            }
            if (path != "/")
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            if (!HttpMethods.IsPost(http.Request.Method))
            {
                http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                http.Response.Headers.Allow = "POST";
                return;
            }

            byte[] body = await ReadBodyAsync(http.Request).ConfigureAwait(false);
            var entry = new RequestLogEntry
            {
                Time = Time.GetUtcNow(),
                Action = Header(http.Request, "X-TC-Action"),
                Region = Header(http.Request, "X-TC-Region"),
                AccessRegion = AccessRegionOf(http.Request.Headers.Host.ToString()),
                HttpStatus = 200,
            };

            int latency = Faults.LatencyMs();
            if (latency > 0) await Task.Delay(latency).ConfigureAwait(false);
            FaultSettings faults = Faults.Settings;
            if (Faults.Roll(faults.ConnectionResetRate, entry.Action))
            {
                entry.Fault = "connection-reset";
                entry.HttpStatus = 0;
                Log.Add(entry);
                http.Abort();
                return;
            }
            if (Faults.Roll(faults.BadGatewayRate, entry.Action))
            {
                entry.Fault = "http-502";
                entry.HttpStatus = 502;
                Log.Add(entry);
                http.Response.StatusCode = StatusCodes.Status502BadGateway;
                http.Response.ContentType = "text/html";
                await http.Response.Body.WriteAsync(BadGatewayBody).ConfigureAwait(false);
                return;
            }

            entry.RequestId = Guid.NewGuid().ToString();
            var buffer = new ArrayBufferWriter<byte>(4096);
            try
            {
                Answer(http.Request, body, entry, buffer);
            }
            catch (Exception ex)
            {
                var error = ex as ApiException ?? new ApiException(ErrorCodes.InternalError, "An internal error occurred: " + ex.GetType().Name + ".");
                entry.ErrorCode = error.Code;
                buffer = new ArrayBufferWriter<byte>(256);
                using (var w = new Utf8JsonWriter(buffer))
                {
                    w.WriteStartObject();
                    w.WriteStartObject("Response");
                    w.WriteStartObject("Error");
                    w.WriteString("Code", error.Code);
                    w.WriteString("Message", error.Message);
                    w.WriteEndObject();
                    w.WriteString("RequestId", entry.RequestId);
                    w.WriteEndObject();
                    w.WriteEndObject();
                }
            }
            if (entry.ErrorCode == null && Faults.Roll(Faults.Settings.GarbledReplyRate, entry.Action)) buffer = Garble(buffer, entry);
            Log.Add(entry);
            http.Response.StatusCode = 200;
            http.Response.ContentType = "application/json";
            http.Response.ContentLength = buffer.WrittenCount;
            await http.Response.Body.WriteAsync(buffer.WrittenMemory).ConfigureAwait(false);
        }

        /// <summary>The reply a client gets when a proxy mangles it after the action ran: the JSON cut in half, or an HTML page.</summary>
        private ArrayBufferWriter<byte> Garble(ArrayBufferWriter<byte> reply, RequestLogEntry entry)
        {
            bool html = Faults.Roll(0.5, entry.Action);
            entry.Fault = html ? "garbled-html" : "garbled-json";
            ReadOnlySpan<byte> body = html ? ProxyPageBody : reply.WrittenSpan.Slice(0, reply.WrittenCount / 2);
            var garbled = new ArrayBufferWriter<byte>(body.Length);
            garbled.Write(body);
            return garbled;
        }

        private void Answer(HttpRequest request, byte[] body, RequestLogEntry entry, IBufferWriter<byte> output)
        {
            JsonDocument document = null;
            Exception bodyError = null;
            try
            {
                document = JsonDocument.Parse(body.Length == 0 ? Encoding.UTF8.GetBytes("{}") : body);
                if (document.RootElement.ValueKind == JsonValueKind.Object &&
                    document.RootElement.TryGetProperty("SecurityGroupId", out JsonElement sg) && sg.ValueKind == JsonValueKind.String)
                    entry.SecurityGroupId = sg.GetString();
            }
            catch (JsonException ex) { bodyError = ex; }

            using (document)
            {
                FleetAccounts accounts = _accounts;
                (string scopeService, string secretId, FleetStore store, TemporaryKey temporary) = Authenticate(request, body, accounts);
                entry.Service = scopeService;
                entry.AccountUin = store.Uin;
                string action = entry.Action;
                if (string.IsNullOrEmpty(action)) throw ApiException.Missing("Action (header X-TC-Action)");
                string version = Header(request, "X-TC-Version");
                string namedService = TencentApiVersions.Of(scopeService) != null ? scopeService : ServiceOfHost(request.Headers.Host.ToString());
                ActionDefinition def = ActionTable.Find(action, namedService, version);
                if (def == null)
                    throw new ApiException(ErrorCodes.InvalidAction, "The action `" + action + "` is not supported" + (namedService != null ? " by service " + namedService : "") + ".");
                entry.Service = def.Service;

                string expected = TencentApiVersions.Of(def.Service);
                if (string.IsNullOrEmpty(version)) throw ApiException.Missing("Version (header X-TC-Version)");
                if (version != expected) throw new ApiException(ErrorCodes.NoSuchVersion, "The API version `" + version + "` of " + def.Service + " does not exist; use " + expected + ".");

                string region = entry.Region;
                RegionData regionData = null;
                if (string.IsNullOrEmpty(region))
                {
                    if (def.NeedsRegion) throw ApiException.Missing("Region (header X-TC-Region)");
                }
                else if (def.FleetRegion && !store.Regions.TryGetValue(region, out regionData))
                    throw new ApiException(ErrorCodes.UnsupportedRegion, "The region `" + region + "` is not supported.");

                string refused = Faults.TryAcquire(TencentRateLimits.Key(def.Service, action), entry.AccessRegion, secretId, store.Uin);
                if (refused != null) throw new ApiException(ErrorCodes.RequestLimitExceeded, refused);
                FaultSettings faults = Faults.Settings;
                if (Faults.Roll(faults.RequestLimitExceededRate, action))
                {
                    entry.Fault = "injected";
                    throw new ApiException(ErrorCodes.RequestLimitExceeded, "The request frequency exceeded the limit (an injected emulator fault).");
                }
                if (Faults.Roll(faults.InternalErrorRate, action))
                {
                    entry.Fault = "injected";
                    throw new ApiException(ErrorCodes.InternalError, "An internal error occurred (an injected emulator fault).");
                }

                if (bodyError != null || document.RootElement.ValueKind != JsonValueKind.Object)
                    throw new ApiException(ErrorCodes.InvalidParameter, "The request body is not a JSON object.");
                foreach (JsonProperty p in document.RootElement.EnumerateObject())
                    if (!def.Parameters.Contains(p.Name))
                        throw new ApiException(ErrorCodes.UnknownParameter, "The parameter `" + p.Name + "` is not defined for " + action + ".");

                var context = new ApiContext
                {
                    Engine = this, Accounts = accounts, Store = store, SecretId = secretId, Temporary = temporary,
                    Action = action, Region = region, RegionData = regionData, Body = document.RootElement, Now = Time.GetUtcNow(),
                };
                using (var w = new Utf8JsonWriter(output))
                {
                    w.WriteStartObject();
                    w.WriteStartObject("Response");
                    def.Handler(context, w);
                    w.WriteString("RequestId", entry.RequestId);
                    w.WriteEndObject();
                    w.WriteEndObject();
                }
            }
        }

        /// <summary>
        /// TC3-HMAC-SHA256, verified with the service named in the request's own credential scope and the Host
        /// header as received — or that host without its port, which is how official SDKs sign for a custom endpoint.
        /// Returns the scope's service, the SecretId, the account it belongs to and, for keys STS gave out, their record.
        /// </summary>
        private (string Service, string SecretId, FleetStore Account, TemporaryKey Temporary) Authenticate(HttpRequest request, byte[] body, FleetAccounts accounts)
        {
            string authorization = Header(request, "Authorization");
            if (string.IsNullOrEmpty(authorization)) throw new ApiException(ErrorCodes.InvalidAuthorization, "The request has no Authorization header.");
            if (!authorization.StartsWith(Tc3Signer.Algorithm + " ", StringComparison.Ordinal))
                throw new ApiException(ErrorCodes.InvalidAuthorization, "The Authorization header must use " + Tc3Signer.Algorithm + ".");
            string credential = null, signedHeaders = null, signature = null;
            foreach (string part in authorization.Substring(Tc3Signer.Algorithm.Length + 1).Split(','))
            {
                string p = part.Trim();
                if (p.StartsWith("Credential=", StringComparison.Ordinal)) credential = p.Substring(11);
                else if (p.StartsWith("SignedHeaders=", StringComparison.Ordinal)) signedHeaders = p.Substring(14);
                else if (p.StartsWith("Signature=", StringComparison.Ordinal)) signature = p.Substring(10);
            }
            string[] scope = credential?.Split('/');
            if (scope == null || scope.Length != 4 || scope[3] != "tc3_request" || signedHeaders == null || string.IsNullOrEmpty(signature))
                throw new ApiException(ErrorCodes.InvalidAuthorization, "The Authorization header is malformed: it needs Credential=<SecretId>/<date>/<service>/tc3_request, SignedHeaders and Signature.");

            string timestampText = Header(request, "X-TC-Timestamp");
            if (string.IsNullOrEmpty(timestampText)) throw ApiException.Missing("Timestamp (header X-TC-Timestamp)");
            if (!long.TryParse(timestampText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long timestamp))
                throw ApiException.BadValue("Timestamp", "'" + timestampText + "' is not unix seconds.");
            long now = Time.GetUtcNow().ToUnixTimeSeconds();
            if (Math.Abs(now - timestamp) > (long)Options.MaxClockSkew.TotalSeconds)
                throw new ApiException(ErrorCodes.SignatureExpire, "Signature expired: the request timestamp " + timestamp + " is more than " + (long)Options.MaxClockSkew.TotalSeconds + " seconds from the server time " + now + ".");

            if (!accounts.TryFindKey(scope[0], out FleetStore account, out Credential key, out TemporaryKey temporary))
                throw new ApiException(ErrorCodes.SecretIdNotFound, "The SecretId is not found; please make sure it is correct.");
            string service = scope[2];
            if (signedHeaders != Tc3Signer.SignedHeaders || scope[1] != Tc3Signer.ScopeDate(timestamp))
                throw new ApiException(ErrorCodes.SignatureFailure, "The provided credentials could not be validated: the credential date must be the UTC date of X-TC-Timestamp and SignedHeaders must be content-type;host.");

            string host = request.Headers.Host.ToString();
            string contentType = request.Headers.ContentType.ToString();
            bool ok = false;
            foreach (string candidate in HostForms(host))
                if (Tc3Signer.SignaturesEqual(Tc3Signer.Signature(key.SecretKey, service, timestamp, candidate, contentType, body), signature)) ok = true;
            if (!ok) throw new ApiException(ErrorCodes.SignatureFailure, "The provided credentials could not be validated. Please check your signature is correct.");

            if (!string.IsNullOrEmpty(key.Token) && Header(request, "X-TC-Token") != key.Token)
                throw new ApiException(ErrorCodes.TokenFailure, "The token is missing or invalid for this SecretId.");
            // Tencent's common error codes have no separate one for expired temporary keys: their token is no longer valid.
            if (temporary != null && Time.GetUtcNow() >= temporary.Expires)
                throw new ApiException(ErrorCodes.TokenFailure, "The temporary credentials expired at " + temporary.Expires.ToUnixTimeSeconds() + " (" + temporary.Expires.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) + "); assume the role again.");
            return (service, scope[0], account, temporary);
        }

        /// <summary>
        /// The access region a request reached, as Tencent counts rate limits: the region of a Host of the form
        /// &lt;service&gt;.&lt;region&gt;.tencentcloudapi.com, else the one default access region (the global name, an
        /// address, intl).
        /// </summary>
        internal static string AccessRegionOf(string host)
        {
            string[] labels = TencentLabels(host);
            if (labels == null || labels.Length != 2 || labels[0].Length == 0 || labels[1].Length == 0 || labels[1] == "intl" ||
                !labels[1].All(c => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
                return FaultSettings.DefaultAccessRegion;
            return labels[1];
        }

        /// <summary>The service a Host of the form &lt;service&gt;[.&lt;region&gt;|.intl].tencentcloudapi.com names, if the emulator serves it.</summary>
        internal static string ServiceOfHost(string host)
        {
            string service = TencentLabels(host)?[0];
            return TencentApiVersions.Of(service) != null ? service : null;
        }

        /// <summary>The labels of a Host under tencentcloudapi.com, port left out (cvm.ap-guangzhou.tencentcloudapi.com: cvm, ap-guangzhou); null for any other host.</summary>
        private static string[] TencentLabels(string host)
        {
            const string domain = ".tencentcloudapi.com";
            string name = (host ?? string.Empty).Trim().ToLowerInvariant();
            int colon = name.LastIndexOf(':');
            if (colon >= 0 && name.IndexOf(']') < colon) name = name.Substring(0, colon);
            return name.EndsWith(domain, StringComparison.Ordinal) ? name.Substring(0, name.Length - domain.Length).Split('.') : null;
        }

        private static IEnumerable<string> HostForms(string host)
        {
            yield return host;
            int colon = host.LastIndexOf(':');
            if (colon > 0 && host.IndexOf(']') < colon && host.Substring(colon + 1).All(char.IsDigit))
                yield return host.Substring(0, colon);
        }

        private static string Header(HttpRequest request, string name) =>
            request.Headers.TryGetValue(name, out var v) ? v.ToString() : null;

        private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
        {
            if (request.ContentLength > MaxBodyBytes) throw new BadHttpRequestException("Request body too large.", 413);
            using (var ms = new MemoryStream(request.ContentLength is long n ? (int)n : 1024))
            {
                await request.Body.CopyToAsync(ms).ConfigureAwait(false);
                return ms.ToArray();
            }
        }
    }
}
