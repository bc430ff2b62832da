using System;
using System.Collections.Generic;
using Port53.Api.Models;

namespace Port53.Analysis
{
    /// <summary>
    /// A security group's ingress rules (or a Lighthouse firewall) parsed and put in evaluation order. Build one per
    /// group (per Version) and reuse it for every instance that binds the group; it is immutable and thread-safe.
    /// </summary>
    internal sealed class ParsedGroup
    {
        private static readonly EvaluationWarning[] NoWarnings = new EvaluationWarning[0];

        private ParsedGroup(string securityGroupId, string version, RuleListKind kind, ParsedRule[] rules)
        {
            SecurityGroupId = securityGroupId;
            Version = version;
            Kind = kind;
            RuleArray = rules;
            var warnings = new List<EvaluationWarning>();
            foreach (ParsedRule r in rules) warnings.AddRange(r.Warnings);
            Warnings = warnings.Count == 0 ? NoWarnings : warnings.ToArray();
        }

        public string SecurityGroupId { get; }
        public string Version { get; }
        public RuleListKind Kind { get; }

        /// <summary>The rules in evaluation order.</summary>
        public IReadOnlyList<ParsedRule> Rules => RuleArray;

        /// <summary>Every rule's warnings, whether or not evaluation reaches the rule.</summary>
        public IReadOnlyList<EvaluationWarning> Warnings { get; }

        internal ParsedRule[] RuleArray { get; }

        public static ParsedGroup Parse(GroupPolicies group, TemplateCatalog catalog)
        {
            if (group == null) throw new ArgumentNullException(nameof(group));
            IReadOnlyList<SecurityGroupPolicy> ordered = Order(group.Ingress);
            var rules = new ParsedRule[ordered.Count];
            for (int i = 0; i < rules.Length; i++)
            {
                rules[i] = ParsedRule.Parse(ordered[i], group.SecurityGroupId, group.Version, i, catalog, group.Kind);
            }
            return new ParsedGroup(group.SecurityGroupId, group.Version, group.Kind, rules);
        }

        /// <summary>
        /// This group as it would be after <paramref name="edit"/> (made to the list this group was parsed from): rules
        /// kept are reused with their positions as read, added ones parsed at their new positions.
        /// </summary>
        public ParsedGroup With(RuleListEdit edit, TemplateCatalog catalog)
        {
            var parsed = new Dictionary<SecurityGroupPolicy, ParsedRule>(ReferenceEqualityComparer.Instance);
            foreach (ParsedRule r in RuleArray) parsed[r.Policy] = r;
            var rules = new ParsedRule[edit.After.Count];
            for (int i = 0; i < rules.Length; i++)
            {
                SecurityGroupPolicy p = edit.After[i];
                rules[i] = parsed.TryGetValue(p, out ParsedRule kept) ? kept : ParsedRule.Parse(p, SecurityGroupId, Version, i, catalog, Kind);
            }
            return new ParsedGroup(SecurityGroupId, Version, Kind, rules);
        }

        private sealed class ReferenceEqualityComparer : IEqualityComparer<SecurityGroupPolicy>
        {
            public static readonly ReferenceEqualityComparer Instance = new ReferenceEqualityComparer();
            public bool Equals(SecurityGroupPolicy x, SecurityGroupPolicy y) => ReferenceEquals(x, y);
            public int GetHashCode(SecurityGroupPolicy obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
        }

        /// <summary>
        /// Evaluation order: ascending PolicyIndex, ties in list order. A rule without PolicyIndex stays right
        /// after the rule listed before it (so a list without any PolicyIndex keeps its list order).
        /// </summary>
        internal static IReadOnlyList<SecurityGroupPolicy> Order(IReadOnlyList<SecurityGroupPolicy> policies)
        {
            int n = policies.Count;
            var keys = new long[n];
            var order = new int[n];
            long last = long.MinValue;
            bool sorted = true;
            for (int i = 0; i < n; i++)
            {
                SecurityGroupPolicy p = policies[i] ?? throw new ArgumentException("A policy list must not contain null.", nameof(policies));
                long key = p.PolicyIndex ?? last;
                if (key < last) sorted = false;
                keys[i] = last = key;
                order[i] = i;
            }
            if (sorted) return policies;
            Array.Sort(order, (a, b) => keys[a] != keys[b] ? keys[a].CompareTo(keys[b]) : a.CompareTo(b));
            var result = new SecurityGroupPolicy[n];
            for (int i = 0; i < n; i++) result[i] = policies[order[i]];
            return result;
        }
    }
}
