using System;
using System.Collections.Generic;
using Port53.Api.Models;

namespace Port53.Analysis
{
    /// <summary>
    /// A security group's ingress rules parsed and put in evaluation order. Build one per group (per Version)
    /// and reuse it for every instance that binds the group; it is immutable and thread-safe.
    /// </summary>
    internal sealed class ParsedGroup
    {
        private static readonly EvaluationWarning[] NoWarnings = new EvaluationWarning[0];

        private ParsedGroup(string securityGroupId, string version, ParsedRule[] rules)
        {
            SecurityGroupId = securityGroupId;
            Version = version;
            RuleArray = rules;
            var warnings = new List<EvaluationWarning>();
            foreach (ParsedRule r in rules) warnings.AddRange(r.Warnings);
            Warnings = warnings.Count == 0 ? NoWarnings : warnings.ToArray();
        }

        public string SecurityGroupId { get; }
        public string Version { get; }

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
                rules[i] = ParsedRule.Parse(ordered[i], group.SecurityGroupId, group.Version, i, catalog);
            }
            return new ParsedGroup(group.SecurityGroupId, group.Version, rules);
        }

        /// <summary>
        /// This group as it would be with <paramref name="policies"/> inserted at PolicyIndex 0 (in the given
        /// order, above every existing rule). Existing rules keep their positions as read.
        /// </summary>
        public ParsedGroup WithPrepended(IReadOnlyList<SecurityGroupPolicy> policies, TemplateCatalog catalog)
        {
            var rules = new ParsedRule[policies.Count + RuleArray.Length];
            for (int i = 0; i < policies.Count; i++)
            {
                rules[i] = ParsedRule.Parse(policies[i], SecurityGroupId, Version, i, catalog);
            }
            Array.Copy(RuleArray, 0, rules, policies.Count, RuleArray.Length);
            return new ParsedGroup(SecurityGroupId, Version, rules);
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
