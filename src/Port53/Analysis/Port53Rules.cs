using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using Port53.Api.Models;

namespace Port53.Analysis
{
    /// <summary>
    /// The DROP rules Block-TcPort53 inserts and Unblock-TcPort53 removes. The marker in PolicyDescription and the
    /// exact fields together identify them, so Unblock never touches a user's own look-alike rule.
    /// </summary>
    internal static class Port53Rules
    {
        /// <summary>The marker text before the date; PolicyDescription is "{MarkerPrefix} (added yyyy-MM-dd)".</summary>
        public const string MarkerPrefix = "Port53: block public DNS";

        private const string DateFormat = "yyyy-MM-dd";
        private const string AnyIPv4 = "0.0.0.0/0";
        private const string AnyIPv6 = "::/0";

        private static readonly Regex MarkerPattern = new Regex(
            "^" + Regex.Escape(MarkerPrefix) + @" \(added (\d{4}-\d{2}-\d{2})\)$", RegexOptions.CultureInvariant);

        /// <summary>The PolicyDescription for a rule added on <paramref name="addedOn"/> (its date part, as given).</summary>
        public static string Marker(DateTime addedOn) =>
            MarkerPrefix + " (added " + addedOn.ToString(DateFormat, CultureInfo.InvariantCulture) + ")";

        /// <summary>Recognises a Port53 marker (surrounding spaces ignored) and returns its date.</summary>
        public static bool TryParseMarker(string description, out DateTime addedOn)
        {
            addedOn = default(DateTime);
            if (description == null) return false;
            Match m = MarkerPattern.Match(description.Trim());
            return m.Success && DateTime.TryParseExact(m.Groups[1].Value, DateFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.None, out addedOn);
        }

        /// <summary>The DROP rule for one key: Protocol UDP|TCP, Port 53, source 0.0.0.0/0 or ::/0, PolicyIndex 0.</summary>
        public static SecurityGroupPolicy Build(ExposureKey key, DateTime addedOn)
        {
            return new SecurityGroupPolicy
            {
                PolicyIndex = 0,
                Protocol = key.Protocol == DnsProtocol.Udp ? "UDP" : "TCP",
                Port = "53",
                CidrBlock = key.Family == IpFamily.IPv4 ? AnyIPv4 : null,
                Ipv6CidrBlock = key.Family == IpFamily.IPv6 ? AnyIPv6 : null,
                Action = "DROP",
                PolicyDescription = Marker(addedOn),
            };
        }

        /// <summary>One DROP rule per distinct key, in report order (UDP/IPv4, TCP/IPv4, UDP/IPv6, TCP/IPv6).</summary>
        public static IReadOnlyList<SecurityGroupPolicy> Build(IEnumerable<ExposureKey> keys, DateTime addedOn)
        {
            var wanted = new bool[4];
            foreach (ExposureKey k in keys) wanted[k.Index] = true;
            var rules = new List<SecurityGroupPolicy>();
            foreach (ExposureKey k in ExposureKey.All)
            {
                if (wanted[k.Index]) rules.Add(Build(k, addedOn));
            }
            return rules;
        }

        /// <summary>True only for a rule Port53 added: the marker AND exactly the fields Build writes.</summary>
        public static bool IsPort53Rule(SecurityGroupPolicy policy) => TryGetKey(policy, out _);

        /// <summary>Recognises a Port53 rule and says which key it blocks.</summary>
        public static bool TryGetKey(SecurityGroupPolicy policy, out ExposureKey key)
        {
            key = default(ExposureKey);
            if (policy == null || !TryParseMarker(policy.PolicyDescription, out _)) return false;
            if (ParsedRule.ParseAction(policy.Action) != RuleAction.Drop) return false;
            if (TemplateCatalog.Id(policy.Port) != "53") return false;
            if (TemplateCatalog.Id(policy.SecurityGroupId) != null) return false;
            if (policy.ServiceTemplate != null && (TemplateCatalog.Id(policy.ServiceTemplate.ServiceId) != null || TemplateCatalog.Id(policy.ServiceTemplate.ServiceGroupId) != null)) return false;
            if (policy.AddressTemplate != null && (TemplateCatalog.Id(policy.AddressTemplate.AddressId) != null || TemplateCatalog.Id(policy.AddressTemplate.AddressGroupId) != null)) return false;
            DnsProtocol protocol;
            switch (ServicePorts.ClassifyProtocol(policy.Protocol))
            {
                case ServicePorts.ProtocolKind.Udp: protocol = DnsProtocol.Udp; break;
                case ServicePorts.ProtocolKind.Tcp: protocol = DnsProtocol.Tcp; break;
                default: return false;
            }
            string v4 = TemplateCatalog.Id(policy.CidrBlock), v6 = TemplateCatalog.Id(policy.Ipv6CidrBlock);
            if (v4 == AnyIPv4 && v6 == null) key = new ExposureKey(protocol, IpFamily.IPv4);
            else if (v4 == null && v6 != null && IsAnyIPv6(v6)) key = new ExposureKey(protocol, IpFamily.IPv6);
            else return false;
            return true;
        }

        /// <summary>
        /// The keys of <paramref name="wanted"/> that Block must act on: open ones, and uncertain ones (a closed
        /// verdict that rests on an unresolved rule is not proof; an explicit DROP on top makes it certain).
        /// </summary>
        public static IReadOnlyList<ExposureKey> KeysNeedingBlock(ExposureResult result, IEnumerable<ExposureKey> wanted)
        {
            var keys = new List<ExposureKey>();
            var seen = new bool[4];
            foreach (ExposureKey k in wanted)
            {
                if (seen[k.Index]) continue;
                seen[k.Index] = true;
                ExposureVerdict v = result[k];
                if (v.Open || !v.IsCertain) keys.Add(k);
            }
            keys.Sort((a, b) => a.Index.CompareTo(b.Index));
            return keys;
        }

        /// <summary>
        /// Everything Block needs for one target: the current result, the rules to insert at the top of
        /// <paramref name="targetGroupId"/>, and the simulated result with them in place.
        /// </summary>
        public static BlockPlan PlanBlock(IReadOnlyList<ParsedGroup> groupsInBindingOrder, string targetGroupId,
            IEnumerable<ExposureKey> wanted, DateTime addedOn, TemplateCatalog catalog)
        {
            var wantedList = new List<ExposureKey>(wanted);
            ExposureResult before = RuleEvaluator.Evaluate(groupsInBindingOrder);
            IReadOnlyList<ExposureKey> keys = KeysNeedingBlock(before, wantedList);
            IReadOnlyList<SecurityGroupPolicy> rules = Build(keys, addedOn);
            ExposureResult after = rules.Count == 0 ? before : RuleEvaluator.Simulate(groupsInBindingOrder, targetGroupId, rules, catalog);
            return new BlockPlan(targetGroupId, wantedList, keys, rules, before, after);
        }

        private static bool IsAnyIPv6(string text) =>
            IpText.TryParseBlock(text, IpFamily.IPv6, out AddressRange r) && r.First == Address128.Zero && r.Last == Address128.MaxV6
            && text.IndexOf('/') >= 0;
    }

    /// <summary>What Block-TcPort53 would do for one target, proven by simulation before anything is written.</summary>
    internal sealed class BlockPlan
    {
        public BlockPlan(string targetGroupId, IReadOnlyList<ExposureKey> wanted, IReadOnlyList<ExposureKey> keysToBlock,
            IReadOnlyList<SecurityGroupPolicy> rulesToInsert, ExposureResult before, ExposureResult after)
        {
            TargetGroupId = targetGroupId;
            Wanted = wanted;
            KeysToBlock = keysToBlock;
            RulesToInsert = rulesToInsert;
            Before = before;
            After = after;
        }

        public string TargetGroupId { get; }
        public IReadOnlyList<ExposureKey> Wanted { get; }
        public IReadOnlyList<ExposureKey> KeysToBlock { get; }
        /// <summary>In insertion order; empty when every wanted key is already denied (Block is then a no-op).</summary>
        public IReadOnlyList<SecurityGroupPolicy> RulesToInsert { get; }
        public ExposureResult Before { get; }
        public ExposureResult After { get; }

        public bool IsNoOp => RulesToInsert.Count == 0;

        /// <summary>True when, after the insert, every wanted key is denied. Block must not write when this is false.</summary>
        public bool Closes
        {
            get
            {
                foreach (ExposureKey k in Wanted)
                {
                    if (After[k].Open) return false;
                }
                return true;
            }
        }
    }
}
