using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Port53.Api;
using Port53.Model;
using Port53.Resources;

namespace Port53.LocalEmulator
{
    /// <summary>What GET /_emulator/health reports: the size of the fleet being served.</summary>
    internal sealed class EmulatorHealth
    {
        public int Regions { get; set; }
        public int Instances { get; set; }
        public int SecurityGroups { get; set; }
        public int Requests { get; set; }
    }

    /// <summary>
    /// A change to the emulator's faults: only the properties that are set are sent (POST /_emulator/faults merges
    /// them into the current settings). Names are the emulator's (docs/emulator.md, Faults).
    /// </summary>
    internal sealed class EmulatorFaultPatch
    {
        public bool? RateLimitEnabled { get; set; }
        /// <summary>Requests per second by action; merged by key.</summary>
        public Dictionary<string, int> RateLimits { get; set; }
        /// <summary>Account-wide ceilings by action ("*": every other action); merged by key.</summary>
        public Dictionary<string, int> AccountRateLimits { get; set; }
        public int? LatencyMinMs { get; set; }
        public int? LatencyMaxMs { get; set; }
        public double? RequestLimitExceededRate { get; set; }
        public double? InternalErrorRate { get; set; }
        public double? BadGatewayRate { get; set; }
        public double? ConnectionResetRate { get; set; }
        public double? GarbledReplyRate { get; set; }
        /// <summary>Empty: the injected faults hit every action again.</summary>
        public List<string> FaultActions { get; set; }
        public double? ConcurrentEditorRate { get; set; }
        /// <summary>Empty: no group refuses writes any more.</summary>
        public List<string> UnauthorizedSecurityGroupIds { get; set; }
        public int? Seed { get; set; }

        public string ToJson() => JsonConvert.SerializeObject(this, new JsonSerializerSettings
        {
            NullValueHandling = NullValueHandling.Ignore,
            Formatting = Formatting.None,
            Culture = CultureInfo.InvariantCulture,
        });

        [JsonIgnore]
        public bool IsEmpty => ToJson() == "{}";
    }

    /// <summary>
    /// The emulator's control API (/_emulator/*: unsigned, loopback only) over the module's shared HttpClient.
    /// Every failure is an <see cref="EmulatorException"/>: EmulatorUnreachable (nothing answers), NotAnEmulator
    /// (something answers, but not the control API), EmulatorRejected (it refused the request, with its reason).
    /// </summary>
    internal sealed class EmulatorControlClient
    {
        private readonly HttpClient _http;
        private readonly TimeSpan _timeout;

        public EmulatorControlClient(Uri baseUrl, HttpClient http = null, TimeSpan? timeout = null)
        {
            BaseUrl = baseUrl ?? throw new ArgumentNullException(nameof(baseUrl));
            _http = http ?? TcHttp.Shared;
            _timeout = timeout ?? TcHttp.DefaultRequestTimeout;
        }

        public Uri BaseUrl { get; }

        public async Task<EmulatorHealth> GetHealthAsync(CancellationToken cancellationToken)
        {
            JToken health = await SendAsync(HttpMethod.Get, "health", null, cancellationToken).ConfigureAwait(false);
            return health.ToObject<EmulatorHealth>();
        }

        /// <summary>The request log, oldest first.</summary>
        public async Task<IReadOnlyList<TcEmulatorRequest>> GetRequestsAsync(CancellationToken cancellationToken)
        {
            JToken log = await SendAsync(HttpMethod.Get, "requests", null, cancellationToken).ConfigureAwait(false);
            return (log as JArray ?? new JArray()).OfType<JObject>().Select(ToRequest).ToList();
        }

        public Task ClearRequestsAsync(CancellationToken cancellationToken) =>
            SendAsync(HttpMethod.Delete, "requests", null, cancellationToken);

        public async Task<TcEmulatorFault> GetFaultsAsync(CancellationToken cancellationToken) =>
            ToFault(await SendAsync(HttpMethod.Get, "faults", null, cancellationToken).ConfigureAwait(false));

        /// <summary>Merges <paramref name="patch"/> into the running settings and returns the result.</summary>
        public async Task<TcEmulatorFault> SetFaultsAsync(EmulatorFaultPatch patch, CancellationToken cancellationToken) =>
            ToFault(await SendAsync(HttpMethod.Post, "faults", patch.ToJson(), cancellationToken).ConfigureAwait(false));

        private async Task<JToken> SendAsync(HttpMethod method, string endpoint, string body, CancellationToken cancellationToken)
        {
            var uri = new Uri(BaseUrl, "/_emulator/" + endpoint);
            using (var message = new HttpRequestMessage(method, uri))
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                if (body != null) message.Content = new StringContent(body, new UTF8Encoding(false), "application/json");
                timeout.CancelAfter(_timeout);
                int status;
                string text;
                try
                {
                    using (HttpResponseMessage response = await _http.SendAsync(message, timeout.Token).ConfigureAwait(false))
                    {
                        status = (int)response.StatusCode;
                        text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    throw Unreachable(Strings.Emulator.Format("TimedOut", (int)_timeout.TotalSeconds), ex);
                }
                catch (HttpRequestException ex)
                {
                    throw Unreachable(Innermost(ex).Message, ex);
                }
                catch (IOException ex)
                {
                    throw Unreachable(ex.Message, ex);
                }

                JToken json = null;
                try
                {
                    if (!string.IsNullOrWhiteSpace(text)) json = JToken.Parse(text);
                }
                catch (JsonException)
                {
                }
                // 400: a bad fault setting; 403 and 415: the emulator's guard against web pages (a host name that is not loopback, say).
                if ((status == 400 || status == 403 || status == 415) && json is JObject rejection && (string)rejection["Error"] is string reason)
                    throw new EmulatorException("EmulatorRejected", ErrorCategory.InvalidArgument, Strings.Emulator.Format("Rejected", BaseUrl.GetLeftPart(UriPartial.Authority), reason));
                bool expectsBody = status != 204;
                if (status < 200 || status > 299 || (expectsBody && json == null))
                    throw new EmulatorException("NotAnEmulator", ErrorCategory.InvalidResult,
                        Strings.Emulator.Format("NotAnEmulator", BaseUrl.GetLeftPart(UriPartial.Authority), method + " " + uri.AbsolutePath, status));
                return json;
            }
        }

        private EmulatorException Unreachable(string reason, Exception inner) =>
            new EmulatorException("EmulatorUnreachable", ErrorCategory.ConnectionError,
                Strings.Emulator.Format("Unreachable", BaseUrl.GetLeftPart(UriPartial.Authority), reason), inner);

        private static Exception Innermost(Exception ex)
        {
            while (ex.InnerException != null) ex = ex.InnerException;
            return ex;
        }

        /// <summary>An entry of the log, its time in local time as PowerShell shows times.</summary>
        private static TcEmulatorRequest ToRequest(JObject entry)
        {
            var request = entry.ToObject<TcEmulatorRequest>();
            request.Time = request.Time.ToLocalTime();
            return request;
        }

        /// <summary>The settings as sent; a list sent as null (FaultActions: every action) is shown empty.</summary>
        private static TcEmulatorFault ToFault(JToken json)
        {
            TcEmulatorFault settings = (json as JObject ?? new JObject()).ToObject<TcEmulatorFault>();
            settings.RateLimits = settings.RateLimits ?? new Dictionary<string, int>();
            settings.FaultActions = settings.FaultActions ?? new List<string>();
            return settings;
        }
    }
}
