using System;
using System.Collections.Generic;
using System.Linq;
using Port53.Api.Models;

namespace Port53.Analysis
{
    /// <summary>A rule with the PolicyIndex it has (added: right after the write) or had (removed: when it was read).</summary>
    internal readonly struct IndexedRule
    {
        public IndexedRule(long index, SecurityGroupPolicy rule)
        {
            Index = index;
            Rule = rule;
        }

        public long Index { get; }
        public SecurityGroupPolicy Rule { get; }
    }

    /// <summary>
    /// One change to one security group's ingress list, as a whole: the list as read (evaluation order), the list it
    /// becomes, and the rules added and removed on the way. Immutable. It says which single API call makes it
    /// (<see cref="CreateIndex"/>, <see cref="IsDeleteOnly"/>, otherwise a whole-list write), so a group is always
    /// changed by exactly one call and never passes through a state between the two lists.
    /// </summary>
    internal sealed class RuleListEdit
    {
        private RuleListEdit(IReadOnlyList<SecurityGroupPolicy> before, IReadOnlyList<SecurityGroupPolicy> after,
            IReadOnlyList<IndexedRule> added, IReadOnlyList<IndexedRule> removed, long? createIndex)
        {
            Before = before;
            After = after;
            Added = added;
            Removed = removed;
            CreateIndex = createIndex;
        }

        public IReadOnlyList<SecurityGroupPolicy> Before { get; }
        public IReadOnlyList<SecurityGroupPolicy> After { get; }
        /// <summary>In the order they stand in <see cref="After"/>, each with its index there.</summary>
        public IReadOnlyList<IndexedRule> Added { get; }
        /// <summary>In the order they stood in <see cref="Before"/>, each with its index there.</summary>
        public IReadOnlyList<IndexedRule> Removed { get; }

        /// <summary>
        /// When the edit only inserts one run of rules at one place: the PolicyIndex CreateSecurityGroupPolicies takes
        /// for it (null together with <see cref="IsAppend"/> for the end of the list). Otherwise meaningless.
        /// </summary>
        public long? CreateIndex { get; }

        public bool IsEmpty => Added.Count == 0 && Removed.Count == 0;
        public bool IsDeleteOnly => Added.Count == 0 && Removed.Count > 0;
        /// <summary>Only one contiguous run of rules is inserted and nothing removed: one CreateSecurityGroupPolicies call.</summary>
        public bool IsInsertOnly { get; private set; }
        public bool IsAppend => IsInsertOnly && CreateIndex == null;

        public static readonly RuleListEdit None = new RuleListEdit(new SecurityGroupPolicy[0], new SecurityGroupPolicy[0], new IndexedRule[0], new IndexedRule[0], null);

        /// <summary>
        /// The edit that removes the rules at <paramref name="removedPositions"/> of <paramref name="before"/> and inserts
        /// each of <paramref name="inserts"/> directly above the rule at its position in <paramref name="before"/>
        /// (<c>before.Count</c>: at the end), inserts at one position in the given order; and then, counted in the
        /// resulting list, <paramref name="restores"/> at their indices (ascending; past the end: at the end).
        /// </summary>
        public static RuleListEdit Build(IReadOnlyList<SecurityGroupPolicy> before, IEnumerable<int> removedPositions,
            IReadOnlyList<(int Position, SecurityGroupPolicy Rule)> inserts, IReadOnlyList<(long Index, SecurityGroupPolicy Rule)> restores = null)
        {
            var removed = new HashSet<int>(removedPositions);
            var after = new List<SecurityGroupPolicy>();
            var isNew = new List<bool>();
            for (int i = 0; i <= before.Count; i++)
            {
                foreach (var insert in inserts.Where(x => x.Position == i))
                {
                    after.Add(insert.Rule);
                    isNew.Add(true);
                }
                if (i == before.Count || removed.Contains(i)) continue;
                after.Add(before[i]);
                isNew.Add(false);
            }
            foreach (var restore in (restores ?? new (long, SecurityGroupPolicy)[0]).OrderBy(r => r.Index))
            {
                int at = (int)Math.Min(Math.Max(0, restore.Index), after.Count);
                after.Insert(at, restore.Rule);
                isNew.Insert(at, true);
            }
            var added = new List<IndexedRule>();
            for (int i = 0; i < after.Count; i++)
                if (isNew[i]) added.Add(new IndexedRule(i, after[i]));
            List<IndexedRule> gone = Enumerable.Range(0, before.Count).Where(removed.Contains).Select(i => new IndexedRule(IndexOf(before, i), before[i])).ToList();

            int first = added.Count == 0 ? -1 : (int)added[0].Index;
            bool oneRun = gone.Count == 0 && added.Count > 0 && added[added.Count - 1].Index - first == added.Count - 1;
            long? createIndex = null;
            if (oneRun && first < before.Count) createIndex = IndexOf(before, first);
            return new RuleListEdit(before, after, added, gone, createIndex) { IsInsertOnly = oneRun };
        }

        /// <summary>Where a rule of a list as read stands: its PolicyIndex, or its position when Tencent gave none.</summary>
        public static long IndexOf(IReadOnlyList<SecurityGroupPolicy> ordered, int position) => ordered[position].PolicyIndex ?? position;

        /// <summary>
        /// What Tencent compares to refuse a new rule as UnsupportedOperation.DuplicatePolicy (a firewall's:
        /// FirewallRulesExist, FirewallRulesDuplicated): every field but the description (protocol, port and action in
        /// any case, addresses in any case, spaces in a port list ignored); in a firewall an unnamed source is 0.0.0.0/0
        /// and an unnamed action ACCEPT, as Tencent reads them.
        /// </summary>
        public static string DuplicateIdentity(SecurityGroupPolicy p, RuleListKind kind = RuleListKind.SecurityGroup)
        {
            string protocol = Field(p.Protocol).ToUpperInvariant();
            string port = Field(p.Port).Replace(" ", string.Empty).ToUpperInvariant();
            if (protocol != "TCP" && protocol != "UDP" && port == "ALL") port = string.Empty;
            string cidr = Field(p.CidrBlock).ToLowerInvariant(), action = Field(p.Action).ToUpperInvariant();
            if (kind == RuleListKind.Firewall)
            {
                if (ParsedRule.IsSourceless(p)) cidr = RuleLists.FirewallDefaultSource;
                if (action.Length == 0) action = "ACCEPT";
            }
            return string.Join("\u001f", protocol, port, Field(p.ServiceTemplate?.ServiceId), Field(p.ServiceTemplate?.ServiceGroupId),
                cidr, Field(p.Ipv6CidrBlock).ToLowerInvariant(), Field(p.SecurityGroupId),
                Field(p.AddressTemplate?.AddressId), Field(p.AddressTemplate?.AddressGroupId), action);
        }

        private static string Field(string value) => value?.Trim() ?? string.Empty;
    }
}
