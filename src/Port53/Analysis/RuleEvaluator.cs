using System;
using System.Collections.Generic;
using Port53.Api.Models;

namespace Port53.Analysis
{
    /// <summary>
    /// First-match evaluation of an instance's ingress rules for port 53 from the internet.
    ///
    /// For each key (protocol, family) it walks the rules of the bound groups in binding order, keeping the set of
    /// public addresses whose first match has not been found yet. A matching rule decides the undecided part of its
    /// public source: an ACCEPT that decides anything makes the key open (and is the deciding rule); a DROP removes
    /// that part, and the DROP that removes the last of it closes the key. If rules run out first, the remaining
    /// public addresses match nothing and are denied (closed, no deciding rule).
    /// </summary>
    internal static class RuleEvaluator
    {
        private static readonly ExposureVerdict[] NoRuleVerdicts =
        {
            new ExposureVerdict(ExposureKey.UdpV4, false, null, null),
            new ExposureVerdict(ExposureKey.TcpV4, false, null, null),
            new ExposureVerdict(ExposureKey.UdpV6, false, null, null),
            new ExposureVerdict(ExposureKey.TcpV6, false, null, null),
        };

        /// <summary>Evaluates parsed groups (in binding order). The hot path: parse each group once and reuse it.</summary>
        public static ExposureResult Evaluate(IReadOnlyList<ParsedGroup> groupsInBindingOrder)
        {
            if (groupsInBindingOrder == null) throw new ArgumentNullException(nameof(groupsInBindingOrder));
            return new ExposureResult(
                Evaluate(groupsInBindingOrder, ExposureKey.UdpV4),
                Evaluate(groupsInBindingOrder, ExposureKey.TcpV4),
                Evaluate(groupsInBindingOrder, ExposureKey.UdpV6),
                Evaluate(groupsInBindingOrder, ExposureKey.TcpV6));
        }

        /// <summary>Parses and evaluates in one go; prefer parsing groups once when many instances share them.</summary>
        public static ExposureResult Evaluate(IReadOnlyList<GroupPolicies> groupsInBindingOrder, TemplateCatalog catalog)
        {
            if (groupsInBindingOrder == null) throw new ArgumentNullException(nameof(groupsInBindingOrder));
            var parsed = new ParsedGroup[groupsInBindingOrder.Count];
            for (int i = 0; i < parsed.Length; i++) parsed[i] = ParsedGroup.Parse(groupsInBindingOrder[i], catalog);
            return Evaluate(parsed);
        }

        public static ExposureVerdict Evaluate(IReadOnlyList<ParsedGroup> groupsInBindingOrder, ExposureKey key)
        {
            int index = key.Index;
            int bit = 1 << index;
            IpFamily family = key.Family;
            AddressSet publicSpace = PublicAddressSpace.For(family);
            // null while no DROP has decided anything yet, i.e. all public space is undecided.
            AddressSet undecided = null;
            List<EvaluationWarning> warnings = null;
            for (int g = 0; g < groupsInBindingOrder.Count; g++)
            {
                ParsedRule[] rules = groupsInBindingOrder[g].RuleArray;
                for (int i = 0; i < rules.Length; i++)
                {
                    ParsedRule rule = rules[i];
                    if (rule.IsUncertain(bit)) (warnings ?? (warnings = new List<EvaluationWarning>())).AddRange(rule.Warnings);
                    if (!rule.Matches(bit)) continue;
                    AddressSet source = rule.PublicSource(family);
                    if (undecided == null)
                    {
                        if (rule.Action == RuleAction.Accept || rule.CoversAllPublic(bit)) return Decided(rule, index, warnings);
                        undecided = publicSpace.Subtract(source);
                        continue;
                    }
                    if (!source.Overlaps(undecided)) continue;
                    if (rule.Action == RuleAction.Accept) return Decided(rule, index, warnings);
                    undecided = undecided.Subtract(source);
                    if (undecided.IsEmpty) return Decided(rule, index, warnings);
                }
            }
            return warnings == null ? NoRuleVerdicts[index] : new ExposureVerdict(key, false, null, warnings);
        }

        private static ExposureVerdict Decided(ParsedRule rule, int index, List<EvaluationWarning> warnings)
        {
            ExposureVerdict cached = rule.CachedVerdict(index);
            return warnings == null ? cached : new ExposureVerdict(cached.Key, cached.Open, cached.DecidingRule, warnings);
        }
    }
}
