using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Port53.Emulator.Faults
{
    /// <summary>
    /// Everything that makes the emulator misbehave on purpose (the settings themselves: src/Port53.Wire/EmulatorFaults.cs). Settable at start (EmulatorOptions, CLI) and at
    /// run time (EmulatorServer.SetFaults, POST /_emulator/faults with any subset of these properties). Injected
    /// faults draw from one random sequence seeded by Seed, so a sequential test sees the same faults every run.
    /// </summary>
    public sealed partial class FaultSettings
    {
        /// <summary>Tencent's published per-action limits, requests per second (the client's pacing table, linked source).</summary>
        public static IReadOnlyDictionary<string, int> PublishedRateLimits => Port53.Api.TencentRateLimits.Published;

        /// <summary>The access region of a request whose Host names none.</summary>
        public const string DefaultAccessRegion = "default";

        /// <summary>The rate limits start as Tencent's published ones.</summary>
        public FaultSettings() => RateLimits = new Dictionary<string, int>(PublishedRateLimits, StringComparer.Ordinal);

        /// <summary>The account-wide ceiling of an action; 0 for none.</summary>
        public int AccountRateLimitOf(string action) =>
            AccountRateLimits == null ? 0
            : AccountRateLimits.TryGetValue(action, out int limit) ? limit
            : AccountRateLimits.TryGetValue("*", out limit) ? limit : 0;

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
