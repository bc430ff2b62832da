using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Sockets;
using System.Text.Json;
using Port53.Emulator.Model;

namespace Port53.Emulator.Api
{
    /// <summary>
    /// Lighthouse 2020-03-24 (轻量应用服务器): its own DescribeRegions and DescribeInstances, and the per-instance
    /// firewall: DescribeFirewallRules and the three writes, each checked against FirewallVersion when one is given.
    /// </summary>
    internal static class LighthouseActions
    {
        private static readonly HashSet<string> InstanceFilters = new HashSet<string>(StringComparer.Ordinal)
        {
            "instance-name", "private-ip-address", "public-ip-address", "zone", "instance-state", "tag-key", "tag-value", "bundle-id",
        };

        private static readonly HashSet<string> Protocols = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "TCP", "UDP", "ICMP", "ICMPv6", "ALL" };

        private static readonly HashSet<string> RuleFields = new HashSet<string>(StringComparer.Ordinal)
        {
            "Protocol", "Port", "CidrBlock", "Ipv6CidrBlock", "Action", "FirewallRuleDescription",
        };

        /// <summary>The regions Tencent counts as mainland China (the rest of Lighthouse's regions are not).</summary>
        private static readonly HashSet<string> Mainland = new HashSet<string>(StringComparer.Ordinal)
        {
            "ap-beijing", "ap-shanghai", "ap-guangzhou", "ap-chengdu", "ap-chongqing", "ap-nanjing",
        };

        public static void DescribeRegions(ApiContext c, Utf8JsonWriter w)
        {
            var regions = c.Store.Fleet.Regions.Select(r => new LighthouseRegionInfo
            {
                Region = r.Region, RegionName = r.RegionName, RegionState = r.RegionState, IsChinaMainland = Mainland.Contains(r.Region),
            }).ToList();
            ActionTable.WritePage(w, "RegionSet", regions, 0, int.MaxValue);
        }

        public static void DescribeInstances(ApiContext c, Utf8JsonWriter w)
        {
            List<string> ids = Params.StringList(c.Body, "InstanceIds", 100, ErrorCodes.ValueLimitExceeded);
            List<Filter> filters = Params.Filters(c.Body, n => InstanceFilters.Contains(n) || (n.StartsWith("tag:", StringComparison.Ordinal) && n.Length > 4), ErrorCodes.FilterNotSupportedName);
            if (ids != null && ids.Count > 0 && filters != null && filters.Count > 0)
                throw new ApiException(ErrorCodes.ParameterConflict, "The parameters `InstanceIds` and `Filters` cannot be specified at the same time.");
            var (offset, limit) = Params.Page(Params.Integer(c.Body, "Offset"), Params.Integer(c.Body, "Limit"), ErrorCodes.ValueLimitExceeded);
            if (ids != null)
                foreach (string id in ids) RequireWellFormed(id, "InstanceIds");

            IReadOnlyList<LighthouseInstance> matches;
            if ((ids == null || ids.Count == 0) && (filters == null || filters.Count == 0)) matches = c.RegionData.LighthouseInstances;
            else if (ids != null && ids.Count > 0)
                matches = ids.Distinct(StringComparer.Ordinal)
                    .Select(id => c.Store.LighthouseInstances.TryGetValue(id, out LighthouseInstance i) && i.Region == c.Region ? i : null)
                    .Where(i => i != null).ToList();
            else matches = c.RegionData.LighthouseInstances.Where(i => filters.All(f => Matches(i, f))).ToList();
            ActionTable.WritePage(w, "InstanceSet", matches, offset, limit);
        }

        private static bool Matches(LighthouseInstance i, Filter f)
        {
            switch (f.Name)
            {
                case "instance-name": return f.Values.Contains(i.InstanceName);
                case "zone": return f.Values.Contains(i.Zone);
                case "instance-state": return f.Values.Contains(i.InstanceState);
                case "bundle-id": return f.Values.Contains(i.BundleId);
                case "private-ip-address": return i.PrivateAddresses != null && i.PrivateAddresses.Any(f.Values.Contains);
                case "public-ip-address": return i.PublicAddresses != null && i.PublicAddresses.Any(f.Values.Contains);
                default: return Params.TagsMatch(i.Tags, f);
            }
        }

        public static void DescribeFirewallRules(ApiContext c, Utf8JsonWriter w)
        {
            LighthouseInstance instance = FindInstance(c);
            var (offset, limit) = Params.Page(Params.Integer(c.Body, "Offset"), Params.Integer(c.Body, "Limit"), ErrorCodes.ValueLimitExceeded);
            LighthouseFirewall firewall = instance.Firewall;
            ActionTable.WritePage(w, "FirewallRuleSet", firewall.Rules, offset, limit);
            w.WriteNumber("FirewallVersion", firewall.Version);
        }

        /// <summary>Adds the rules at the end of the list (Tencent documents no position and takes none).</summary>
        public static void CreateFirewallRules(ApiContext c, Utf8JsonWriter w) =>
            Write(c, added =>
            {
                RejectRepeats(added);
                return current =>
                {
                    var existing = new HashSet<string>(current.Select(Identity), StringComparer.Ordinal);
                    for (int i = 0; i < added.Count; i++)
                        if (existing.Contains(Identity(added[i])))
                            throw new ApiException(ErrorCodes.FirewallRulesExist, "`FirewallRules." + i + "` (" + Describe(added[i]) + ") is already a rule of the firewall.");
                    RequireQuota(current.Count + added.Count);
                    return current.Concat(added).ToList();
                };
            });

        /// <summary>Removes the rules that equal the given ones (every field but the description and AppType).</summary>
        public static void DeleteFirewallRules(ApiContext c, Utf8JsonWriter w) =>
            Write(c, doomed => current =>
            {
                var remove = new HashSet<int>();
                for (int i = 0; i < doomed.Count; i++)
                {
                    string identity = Identity(doomed[i]);
                    int at = current.Select(Identity).ToList().IndexOf(identity);
                    if (at < 0)
                        throw new ApiException(ErrorCodes.FirewallRulesNotFound, "No rule of the firewall matches `FirewallRules." + i + "` (" + Describe(doomed[i]) + ").");
                    remove.Add(at);
                }
                return current.Where((_, i) => !remove.Contains(i)).ToList();
            });

        /// <summary>Replaces the whole list, as Tencent documents: every rule is deleted, then the given ones are added in order.</summary>
        public static void ModifyFirewallRules(ApiContext c, Utf8JsonWriter w) =>
            Write(c, rules =>
            {
                RejectRepeats(rules);
                RequireQuota(rules.Count);
                return _ => rules;
            }, allowEmpty: true);

        /// <summary>
        /// Every write: instance lookup and rule parsing; then, under the store's lock, the FirewallVersion check, the
        /// change and the version bump. A failed write changes nothing.
        /// </summary>
        private static void Write(ApiContext c, Func<List<FirewallRuleInfo>, Func<IReadOnlyList<FirewallRuleInfo>, List<FirewallRuleInfo>>> plan, bool allowEmpty = false)
        {
            LighthouseInstance instance = FindInstance(c);
            List<FirewallRuleInfo> rules = ReadRules(c.Body, allowEmpty);
            long? version = Params.Integer(c.Body, "FirewallVersion");
            Func<IReadOnlyList<FirewallRuleInfo>, List<FirewallRuleInfo>> change = plan(rules);
            lock (c.Store.Gate)
            {
                LighthouseFirewall current = instance.Firewall;
                if (version != null && version != current.Version)
                    throw new ApiException(ErrorCodes.FirewallVersionMismatch, "The firewall of `" + instance.InstanceId + "` is at FirewallVersion " + current.Version +
                        ", not " + version + ": it was changed since it was read.");
                instance.Firewall = new LighthouseFirewall(current.Version + 1, change(current.Rules));
            }
        }

        private static LighthouseInstance FindInstance(ApiContext c)
        {
            string id = Params.String(c.Body, "InstanceId", required: true);
            RequireWellFormed(id, "InstanceId");
            if (!c.Store.LighthouseInstances.TryGetValue(id, out LighthouseInstance instance) || instance.Region != c.Region)
                throw new ApiException(ErrorCodes.InstanceIdNotFound, "The Lighthouse instance `" + id + "` does not exist in " + c.Region + ".");
            return instance;
        }

        private static void RequireWellFormed(string id, string field)
        {
            if (!id.StartsWith("lhins-", StringComparison.Ordinal) || id.Length < 7 || !id.Skip(6).All(ch => (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')))
                throw new ApiException(ErrorCodes.InstanceIdMalformed, "The instance id `" + id + "` in `" + field + "` is malformed: Lighthouse ids look like lhins-xxxxxxxx.");
        }

        private static List<FirewallRuleInfo> ReadRules(JsonElement body, bool allowEmpty)
        {
            if (!Params.TryGet(body, "FirewallRules", out JsonElement list))
            {
                if (allowEmpty) return new List<FirewallRuleInfo>();
                throw ApiException.Missing("FirewallRules");
            }
            if (list.ValueKind != JsonValueKind.Array) throw ApiException.BadType("FirewallRules", "an array of FirewallRule");
            var rules = new List<FirewallRuleInfo>();
            int i = 0;
            foreach (JsonElement e in list.EnumerateArray())
                rules.Add(ReadRule(e, "FirewallRules." + i++));
            if (rules.Count == 0 && !allowEmpty) throw ApiException.Missing("FirewallRules.0");
            return rules;
        }

        /// <summary>One FirewallRule, validated and stored as Describe returns it: upper-case Protocol and Action, Port "ALL" when absent, 0.0.0.0/0 when no source is given.</summary>
        private static FirewallRuleInfo ReadRule(JsonElement e, string path)
        {
            Params.RequireObject(e, path, RuleFields, "a FirewallRule object");
            string protocol = Params.String(e, "Protocol", path + ".Protocol", required: true);
            if (!Protocols.Contains(protocol)) throw ApiException.BadValue(path + ".Protocol", "'" + protocol + "' is not one of TCP, UDP, ICMP, ICMPv6, ALL.");
            protocol = protocol.Equals("ICMPv6", StringComparison.OrdinalIgnoreCase) ? "ICMPv6" : protocol.ToUpperInvariant();
            string port = Params.String(e, "Port", path + ".Port");
            bool ported = protocol == "TCP" || protocol == "UDP";
            if (string.IsNullOrEmpty(port)) port = "ALL";
            else if (!PolicyRules.ValidPort(port.Replace(" ", "")) || (!ported && !port.Equals("ALL", StringComparison.OrdinalIgnoreCase)))
                throw ApiException.BadValue(path + ".Port", "'" + port + "' is not ALL, a port, a list or a range" + (ported ? "." : " (with " + protocol + " only ALL)."));
            string cidr = Params.String(e, "CidrBlock", path + ".CidrBlock");
            string cidr6 = Params.String(e, "Ipv6CidrBlock", path + ".Ipv6CidrBlock");
            if (!string.IsNullOrEmpty(cidr) && !string.IsNullOrEmpty(cidr6))
                throw new ApiException(ErrorCodes.InvalidParameter, "`" + path + "` gives both CidrBlock and Ipv6CidrBlock; a rule has one source.");
            if (!string.IsNullOrEmpty(cidr) && !PolicyRules.ValidCidr(cidr, AddressFamily.InterNetwork))
                throw ApiException.BadValue(path + ".CidrBlock", "'" + cidr + "' is not an IPv4 address or CIDR block.");
            if (!string.IsNullOrEmpty(cidr6) && !PolicyRules.ValidCidr(cidr6, AddressFamily.InterNetworkV6))
                throw ApiException.BadValue(path + ".Ipv6CidrBlock", "'" + cidr6 + "' is not an IPv6 address or CIDR block.");
            string action = Params.String(e, "Action", path + ".Action") ?? "ACCEPT";
            if (!action.Equals("ACCEPT", StringComparison.OrdinalIgnoreCase) && !action.Equals("DROP", StringComparison.OrdinalIgnoreCase))
                throw ApiException.BadValue(path + ".Action", "'" + action + "' is not ACCEPT or DROP.");
            string description = Params.String(e, "FirewallRuleDescription", path + ".FirewallRuleDescription") ?? "";
            if (description.Length > LighthouseLimits.DescriptionLength)
                throw ApiException.BadValue(path + ".FirewallRuleDescription", "at most " + LighthouseLimits.DescriptionLength + " characters, got " + description.Length + ".");
            return new FirewallRuleInfo
            {
                AppType = "Custom", Protocol = protocol, Port = port,
                CidrBlock = string.IsNullOrEmpty(cidr) && string.IsNullOrEmpty(cidr6) ? "0.0.0.0/0" : cidr ?? "",
                Ipv6CidrBlock = cidr6 ?? "", Action = action.ToUpperInvariant(), FirewallRuleDescription = description,
            };
        }

        /// <summary>What makes two rules the same rule: every field but the description and AppType.</summary>
        private static string Identity(FirewallRuleInfo r) => string.Join("|",
            r.Protocol?.ToUpperInvariant() ?? "", (r.Port ?? "ALL").Replace(" ", "").ToUpperInvariant(),
            (r.CidrBlock ?? "").ToLowerInvariant(), (r.Ipv6CidrBlock ?? "").ToLowerInvariant(), r.Action?.ToUpperInvariant() ?? "");

        private static string Describe(FirewallRuleInfo r) =>
            r.Action + " " + r.Protocol + " " + r.Port + " from " + (string.IsNullOrEmpty(r.Ipv6CidrBlock) ? r.CidrBlock : r.Ipv6CidrBlock);

        private static void RejectRepeats(List<FirewallRuleInfo> rules)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < rules.Count; i++)
                if (!seen.Add(Identity(rules[i])))
                    throw new ApiException(ErrorCodes.FirewallRulesDuplicated, "`FirewallRules." + i + "` (" + Describe(rules[i]) + ") repeats an earlier rule of the request.");
        }

        private static void RequireQuota(int count)
        {
            if (count > LighthouseLimits.RulesPerFirewall)
                throw new ApiException(ErrorCodes.FirewallRulesLimitExceeded, "The firewall would hold " + count + " rules; an instance's firewall holds at most " + LighthouseLimits.RulesPerFirewall + ".");
        }
    }
}
