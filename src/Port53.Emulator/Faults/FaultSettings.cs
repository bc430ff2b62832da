using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Port53.Emulator.Faults
{
    /// <summary>
    /// Everything that makes the emulator misbehave on purpose. Settable at start (EmulatorOptions, CLI) and at
    /// run time (EmulatorServer.SetFaults, POST /_emulator/faults with any subset of these properties). Injected
    /// faults draw from one random sequence seeded by Seed, so a sequential test sees the same faults every run.
    /// </summary>
    public sealed class FaultSettings
    {
        /// <summary>Tencent's published per-action limits, requests per second (the client's pacing table, linked source).</summary>
        public static IReadOnlyDictionary<string, int> PublishedRateLimits => Port53.Api.TencentRateLimits.Published;

        /// <summary>
        /// Rate limiting (token bucket: burst = limit, refill = limit per second), counted as Tencent documents it:
        /// per action, access region (the region named by a Host of the form &lt;service&gt;.&lt;region&gt;.tencentcloudapi.com;
        /// any other Host is the one <see cref="DefaultAccessRegion"/>) and SecretId.
        /// </summary>
        public bool RateLimitEnabled { get; set; } = true;

        /// <summary>The access region of a request whose Host names none.</summary>
        public const string DefaultAccessRegion = "default";

        /// <summary>Requests per second by action, per access region and SecretId; starts as PublishedRateLimits. A POST merges keys.</summary>
        public Dictionary<string, int> RateLimits { get; set; } = new Dictionary<string, int>(PublishedRateLimits, StringComparer.Ordinal);

        /// <summary>
        /// Requests per second by action across every access region and SecretId: the main-account limit Tencent
        /// applies on top without publishing it. Key "*" covers the actions not named. Empty (the default): none.
        /// A POST merges keys.
        /// </summary>
        public Dictionary<string, int> AccountRateLimits { get; set; } = new Dictionary<string, int>(StringComparer.Ordinal);

        /// <summary>The account-wide ceiling of an action; 0 for none.</summary>
        public int AccountRateLimitOf(string action) =>
            AccountRateLimits == null ? 0
            : AccountRateLimits.TryGetValue(action, out int limit) ? limit
            : AccountRateLimits.TryGetValue("*", out limit) ? limit : 0;

        /// <summary>Added latency: fixed when LatencyMaxMs &lt;= LatencyMinMs, otherwise uniform in [min, max].</summary>
        public int LatencyMinMs { get; set; }
        public int LatencyMaxMs { get; set; }

        /// <summary>Probability per request of an injected RequestLimitExceeded error response.</summary>
        public double RequestLimitExceededRate { get; set; }
        /// <summary>Probability per request of an injected InternalError error response.</summary>
        public double InternalErrorRate { get; set; }
        /// <summary>Probability per request of an HTTP 502 with an HTML body (a gateway in front failing).</summary>
        public double BadGatewayRate { get; set; }
        /// <summary>Probability per request of the connection being reset with no response.</summary>
        public double ConnectionResetRate { get; set; }
        /// <summary>
        /// Probability per request that the action runs (a write is applied) and its reply then arrives garbled, as
        /// from a proxy: HTTP 200 with the JSON cut off halfway, or with an HTML page instead (one or the other at
        /// random). Only successful replies are garbled, so the client cannot tell from the reply what happened.
        /// </summary>
        public double GarbledReplyRate { get; set; }
        /// <summary>Injected faults (the rates above) hit only these actions; null or empty: every action.</summary>
        public List<string> FaultActions { get; set; }

        /// <summary>
        /// Probability that a successful DescribeSecurityGroupPolicies is followed, before the client's next write
        /// to that group, by another editor's change (an ACCEPT TCP 8080 from 10.0.0.0/8 inserted at the top, with
        /// PolicyDescription "concurrent-editor"), which bumps Version.
        /// </summary>
        public double ConcurrentEditorRate { get; set; }

        /// <summary>Writes to these security groups fail with AuthFailure.UnauthorizedOperation.</summary>
        public List<string> UnauthorizedSecurityGroupIds { get; set; } = new List<string>();

        /// <summary>Seed of the fault random sequence; setting it (or a reset) restarts the sequence.</summary>
        public int Seed { get; set; } = 1;

        public static FaultSettings NoRateLimits() => new FaultSettings { RateLimitEnabled = false };

        public FaultSettings Clone()
        {
            var c = (FaultSettings)MemberwiseClone();
            c.RateLimits = new Dictionary<string, int>(RateLimits ?? new Dictionary<string, int>(), StringComparer.Ordinal);
            c.AccountRateLimits = new Dictionary<string, int>(AccountRateLimits ?? new Dictionary<string, int>(), StringComparer.Ordinal);
            c.FaultActions = FaultActions?.ToList();
            c.UnauthorizedSecurityGroupIds = UnauthorizedSecurityGroupIds?.ToList() ?? new List<string>();
            return c;
        }

        public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

        /// <summary>These settings with the properties a JSON object names replaced (RateLimits and AccountRateLimits merged by key).</summary>
        public FaultSettings Merge(string patchJson)
        {
            JsonNode patch;
            try { patch = JsonNode.Parse(patchJson); }
            catch (JsonException ex) { throw new ArgumentException("The fault settings are not valid JSON: " + ex.Message); }
            if (patch is not JsonObject patchObject) throw new ArgumentException("The fault settings must be a JSON object.");

            var current = JsonSerializer.SerializeToNode(this, JsonOptions).AsObject();
            foreach (KeyValuePair<string, JsonNode> kv in patchObject)
            {
                string name = typeof(FaultSettings).GetProperties().Select(p => p.Name)
                    .FirstOrDefault(n => string.Equals(n, kv.Key, StringComparison.OrdinalIgnoreCase));
                if (name == null || name == nameof(PublishedRateLimits)) throw new ArgumentException("Unknown fault setting '" + kv.Key + "'.");
                if ((name == nameof(RateLimits) || name == nameof(AccountRateLimits)) && kv.Value is JsonObject limits)
                {
                    var merged = current[name] as JsonObject ?? new JsonObject();
                    foreach (KeyValuePair<string, JsonNode> l in limits) merged[l.Key] = l.Value?.DeepClone();
                    current[name] = merged.DeepClone();
                }
                else current[name] = kv.Value?.DeepClone();
            }
            FaultSettings result;
            try { result = current.Deserialize<FaultSettings>(JsonOptions); }
            catch (JsonException ex) { throw new ArgumentException("Invalid fault settings: " + ex.Message); }
            result.Validate();
            return result;
        }

        public void Validate()
        {
            foreach (var (name, rate) in new[] { (nameof(RequestLimitExceededRate), RequestLimitExceededRate), (nameof(InternalErrorRate), InternalErrorRate),
                (nameof(BadGatewayRate), BadGatewayRate), (nameof(ConnectionResetRate), ConnectionResetRate), (nameof(GarbledReplyRate), GarbledReplyRate),
                (nameof(ConcurrentEditorRate), ConcurrentEditorRate) })
                if (double.IsNaN(rate) || rate < 0 || rate > 1) throw new ArgumentException(name + " must be between 0 and 1.");
            if (LatencyMinMs < 0 || LatencyMaxMs < 0) throw new ArgumentException("Latency must not be negative.");
            foreach (var (name, limits) in new[] { (nameof(RateLimits), RateLimits), (nameof(AccountRateLimits), AccountRateLimits) })
                if (limits != null)
                    foreach (var kv in limits)
                        if (kv.Value < 1) throw new ArgumentException(name + "." + kv.Key + " must be at least 1 request per second.");
        }

        internal static readonly JsonSerializerOptions JsonOptions = new JsonSerializerOptions
        {
            PropertyNameCaseInsensitive = true,
            WriteIndented = true,
            IgnoreReadOnlyProperties = true,
        };
    }
}
