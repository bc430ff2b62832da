using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Port53.Api.Models;
using Port53.Model;

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

        /// <summary>
        /// The longest PolicyDescription Port53 writes. The emulator refuses longer ones; Tencent's API pages state no
        /// limit, so staying within the emulator's keeps a replacing rule's description whole.
        /// </summary>
        public const int MaxDescriptionLength = 100;

        // "(added yyyy-MM-dd)", or for a rule that took a user rule's place "(added yyyy-MM-dd; replaces +N: its
        // description)", +N saying how many rules below this one's place the user rule stood. A distance, not an index,
        // so that rules others add above the group's Port53 rules later do not send the user rule elsewhere on Unblock.
        // Where that does not fit the list's description length (a Lighthouse firewall holds 64 characters), the date
        // is left out: "(replaces +N: its description)".
        private static readonly Regex MarkerPattern = new Regex(
            "^" + Regex.Escape(MarkerPrefix) + @" \((?:added (?<date>\d{4}-\d{2}-\d{2})(?:; replaces \+(?<below>\d{1,9})(?:: (?<desc>.*))?)?"
            + @"|replaces \+(?<below>\d{1,9})(?:: (?<desc>.*))?)\)$",
            RegexOptions.CultureInvariant | RegexOptions.Singleline);

        /// <summary>The PolicyDescription for a rule added on <paramref name="addedOn"/> (its date part, as given).</summary>
        public static string Marker(DateTime addedOn) =>
            MarkerPrefix + " (added " + addedOn.ToString(DateFormat, CultureInfo.InvariantCulture) + ")";

        /// <summary>
        /// The description of a rule that replaces the user's equal rule <paramref name="below"/> rules below its place:
        /// the marker, that distance and the user's own description, all Unblock needs to put that rule back. Without
        /// the date when only that fits in <paramref name="maxLength"/>; null when not even that fits.
        /// </summary>
        public static string ReplacingMarker(DateTime addedOn, long below, string userDescription, int maxLength = MaxDescriptionLength)
        {
            string replaces = "replaces +" + below.ToString(CultureInfo.InvariantCulture) + (string.IsNullOrEmpty(userDescription) ? string.Empty : ": " + userDescription) + ")";
            string dated = MarkerPrefix + " (added " + addedOn.ToString(DateFormat, CultureInfo.InvariantCulture) + "; " + replaces;
            if (dated.Length <= maxLength) return dated;
            string undated = MarkerPrefix + " (" + replaces;
            return undated.Length <= maxLength ? undated : null;
        }

        /// <summary>For a rule Block wrote in place of a user's rule: how far below it that rule stood, and its description ("" when it had none).</summary>
        public static bool TryParseReplaced(string description, out long below, out string userDescription)
        {
            below = -1;
            userDescription = null;
            Match m = description == null ? Match.Empty : MarkerPattern.Match(description.Trim());
            if (!m.Success || !m.Groups["below"].Success) return false;
            below = long.Parse(m.Groups["below"].Value, CultureInfo.InvariantCulture);
            userDescription = m.Groups["desc"].Success ? m.Groups["desc"].Value : string.Empty;
            return true;
        }

        /// <summary>Recognises a Port53 marker (surrounding spaces ignored) and returns its date (default when it names none).</summary>
        public static bool TryParseMarker(string description, out DateTime addedOn)
        {
            addedOn = default(DateTime);
            if (description == null) return false;
            Match m = MarkerPattern.Match(description.Trim());
            if (!m.Success) return false;
            return !m.Groups["date"].Success || DateTime.TryParseExact(m.Groups["date"].Value, DateFormat, CultureInfo.InvariantCulture,
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

        /// <summary>True only for a rule Port53 added: the marker AND exactly the fields Build writes.</summary>
        public static bool IsPort53Rule(SecurityGroupPolicy policy) => TryGetKey(policy, out _);

        /// <summary>As <see cref="IsPort53Rule(SecurityGroupPolicy)"/> in a list of <paramref name="kind"/>.</summary>
        public static bool IsPort53Rule(SecurityGroupPolicy policy, RuleListKind kind) => TryGetKey(policy, out _, kind);

        /// <summary>
        /// Recognises a Port53 rule and says which key it blocks. In a firewall a rule that replaced a user's rule naming
        /// no source (Tencent's 0.0.0.0/0) keeps that spelling, so there it counts as 0.0.0.0/0.
        /// </summary>
        public static bool TryGetKey(SecurityGroupPolicy policy, out ExposureKey key, RuleListKind kind = RuleListKind.SecurityGroup)
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
            if (kind == RuleListKind.Firewall && v4 == null && v6 == null) v4 = RuleLists.FirewallDefaultSource;
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
        /// Where a DROP for <paramref name="key"/> must go for these groups (in binding order) to change the least:
        /// directly above the first rule that admits port 53 from a public address for the key (the deciding ACCEPT
        /// Test-TcPort53 names), or above an unresolved rule reached before it (a DROP below that one would leave the
        /// verdict uncertain, and the next Block would add another). Null when the key is certainly closed.
        /// </summary>
        public static (int Group, int Position)? DecidingPlace(IReadOnlyList<ParsedGroup> groupsInBindingOrder, ExposureKey key)
        {
            ExposureVerdict verdict = RuleEvaluator.Evaluate(groupsInBindingOrder, key);
            if (!verdict.Open && verdict.IsCertain) return null;
            int bit = 1 << key.Index;
            for (int g = 0; g < groupsInBindingOrder.Count; g++)
            {
                ParsedRule[] rules = groupsInBindingOrder[g].RuleArray;
                for (int i = 0; i < rules.Length; i++)
                {
                    if (rules[i].IsUncertain(bit) || (verdict.Open && ReferenceEquals(rules[i].Reference, verdict.DecidingRule))) return (g, i);
                }
            }
            return null;
        }

        /// <summary>
        /// Block's plan for one target (its groups in binding order) writing into <paramref name="targetGroupId"/>:
        /// the keys that need a DROP, where each goes in that group, the edit and the result it is proven to give.
        /// AboveDecidingRule puts each DROP directly above <see cref="DecidingPlace"/> when that is in the target group
        /// (at its top when the deciding rule is in a group bound later); Top puts every DROP at index 0.
        /// </summary>
        public static BlockPlan PlanBlock(IReadOnlyList<ParsedGroup> groupsInBindingOrder, string targetGroupId,
            IEnumerable<ExposureKey> wanted, DateTime addedOn, TemplateCatalog catalog, TcPort53Placement placement = TcPort53Placement.AboveDecidingRule)
        {
            var wantedList = new List<ExposureKey>(wanted);
            int target = IndexOfGroup(groupsInBindingOrder, targetGroupId);
            ExposureResult before = RuleEvaluator.Evaluate(groupsInBindingOrder);
            var places = new List<(ExposureKey Key, int Position)>();
            foreach (ExposureKey key in KeysNeedingBlock(before, wantedList))
            {
                (int Group, int Position)? deciding = placement == TcPort53Placement.Top ? null : DecidingPlace(groupsInBindingOrder, key);
                places.Add((key, deciding.HasValue && deciding.Value.Group == target ? deciding.Value.Position : 0));
            }
            RuleListEdit edit = EditForBlock(groupsInBindingOrder[target], places, addedOn, out IReadOnlyList<ExposureKey> unmovable);
            places.RemoveAll(p => unmovable.Contains(p.Key));
            ExposureResult after = edit.IsEmpty ? before : Simulate(groupsInBindingOrder, target, edit, catalog);
            return new BlockPlan(targetGroupId, wantedList, places, unmovable, edit, before, after);
        }

        /// <summary>The result with <paramref name="edit"/> made to the group at <paramref name="target"/> of the binding.</summary>
        public static ExposureResult Simulate(IReadOnlyList<ParsedGroup> groupsInBindingOrder, int target, RuleListEdit edit, TemplateCatalog catalog)
        {
            if (edit.IsEmpty) return RuleEvaluator.Evaluate(groupsInBindingOrder);
            ParsedGroup[] groups = groupsInBindingOrder.ToArray();
            groups[target] = groups[target].With(edit, catalog);
            return RuleEvaluator.Evaluate(groups);
        }

        /// <summary>
        /// As <see cref="EditForBlock(IReadOnlyList{SecurityGroupPolicy}, IEnumerable{ValueTuple{ExposureKey, int}}, DateTime, out IReadOnlyList{ExposureKey})"/>
        /// for a parsed group, with the DROPs gathered at one place where that changes nothing: a DROP for one key may
        /// go up past rules that cannot match traffic of that key (the TCP DROP past a UDP-only ACCEPT), so the usual
        /// case, UDP and TCP decided by neighbouring rules, is one CreateSecurityGroupPolicies call at one index.
        /// </summary>
        public static RuleListEdit EditForBlock(ParsedGroup group, IEnumerable<(ExposureKey Key, int Position)> places, DateTime addedOn,
            out IReadOnlyList<ExposureKey> unmovable)
        {
            var list = places.ToList();
            if (list.Count > 0)
            {
                int top = list.Min(p => p.Position);
                for (int i = 0; i < list.Count; i++)
                {
                    var (key, position) = list[i];
                    bool free = true;
                    for (int r = top; r < position && r < group.Rules.Count && free; r++) free = !Touches(group.Rules[r], key);
                    if (free) list[i] = (key, top);
                }
            }
            return EditForBlock(group.Rules.Select(r => r.Policy).ToList(), list, addedOn, out unmovable, group.Kind);
        }

        /// <summary>
        /// Whether a rule can match traffic to port 53 over the key's protocol from any address of its family (public
        /// or not; a source group counts as IPv4 peers), or might (a rule not fully understood).
        /// </summary>
        internal static bool Touches(ParsedRule rule, ExposureKey key)
        {
            if (rule.IsUncertain(1 << key.Index)) return true;
            if (!rule.Service.For(key.Protocol).Contains(ParsedRule.DnsPort)) return false;
            if (TemplateCatalog.Id(rule.Policy.SecurityGroupId) != null) return key.Family == IpFamily.IPv4;
            return !rule.Source.For(key.Family).IsEmpty;
        }

        /// <summary>
        /// The edit that puts a DROP for each key directly above the rule at its position in <paramref name="ordered"/>
        /// (a list of <paramref name="kind"/>)
        /// (one DROP per key, at the highest position asked for it; DROPs at one position in report order).
        ///
        /// Tencent refuses a rule equal to one already in the group but for its description (DuplicatePolicy), and a
        /// group can hold that equal rule below the place the DROP must go: a user followed Tencent's guide but left
        /// the new rule below an ACCEPT. That lower rule is a DROP of exactly the traffic the new one drops, so taking it
        /// out in the same write as the new one goes in above it never lets through anything it stopped. A user's rule
        /// so replaced is named in the new rule's description (its index and own description), from which Unblock puts
        /// it back; a key whose user rule cannot be named within the description's length is left out and returned in
        /// <paramref name="unmovable"/>.
        /// </summary>
        public static RuleListEdit EditForBlock(IReadOnlyList<SecurityGroupPolicy> ordered, IEnumerable<(ExposureKey Key, int Position)> places,
            DateTime addedOn, out IReadOnlyList<ExposureKey> unmovable, RuleListKind kind = RuleListKind.SecurityGroup)
        {
            var highest = new int?[4];
            foreach (var (key, position) in places)
                highest[key.Index] = Math.Min(highest[key.Index] ?? int.MaxValue, Math.Max(0, Math.Min(position, ordered.Count)));
            var inserts = new List<(int Position, SecurityGroupPolicy Rule)>();
            var removed = new List<int>();
            var refused = new List<ExposureKey>();
            foreach (ExposureKey key in ExposureKey.All)
            {
                if (!highest[key.Index].HasValue) continue;
                int position = highest[key.Index].Value;
                SecurityGroupPolicy rule = Build(key, addedOn);
                string identity = RuleListEdit.DuplicateIdentity(rule, kind);
                int equal = -1;
                for (int i = 0; i < ordered.Count && equal < 0; i++)
                    if (RuleListEdit.DuplicateIdentity(ordered[i], kind) == identity) equal = i;
                if (equal >= 0 && equal < position) continue;
                if (equal >= 0)
                {
                    if (!IsPort53Rule(ordered[equal], kind))
                    {
                        string description = ReplacingMarker(addedOn, equal - position, ordered[equal].PolicyDescription, kind.MaxDescriptionLength());
                        if (description == null)
                        {
                            refused.Add(key);
                            continue;
                        }
                        // The user's own field spelling, so that putting the rule back gives it exactly.
                        rule = WithDescription(ordered[equal], description);
                    }
                    removed.Add(equal);
                }
                inserts.Add((position, rule));
            }
            unmovable = refused;
            return RuleListEdit.Build(ordered, removed, inserts);
        }

        /// <summary>
        /// Unblock's edit for a group: every Port53 rule of the wanted keys out, and each user rule one of them replaced
        /// back where it stood (as many rules below the Port53 rule's place as its marker says), with its own
        /// description, so the list is again what it was before Block.
        /// </summary>
        public static RuleListEdit EditForUnblock(IReadOnlyList<SecurityGroupPolicy> ordered, IEnumerable<ExposureKey> wanted,
            Func<SecurityGroupPolicy, bool> approved = null, RuleListKind kind = RuleListKind.SecurityGroup)
        {
            var keys = new HashSet<ExposureKey>(wanted);
            var removed = new List<int>();
            var restores = new List<(long Index, SecurityGroupPolicy Rule)>();
            for (int i = 0; i < ordered.Count; i++)
            {
                if (!TryGetKey(ordered[i], out ExposureKey key, kind) || !keys.Contains(key) || (approved != null && !approved(ordered[i]))) continue;
                removed.Add(i);
                // Counted in the list without the rules removed: the place the Port53 rule held, then the distance.
                if (TryParseReplaced(ordered[i].PolicyDescription, out long below, out string description))
                    restores.Add((i - removed.Count + 1 + below, WithDescription(ordered[i], description)));
            }
            // A rule equal to one being put back may have been added since: the group then has it already.
            var kept = new HashSet<string>(ordered.Where((_, i) => !removed.Contains(i)).Select(p => RuleListEdit.DuplicateIdentity(p, kind)), StringComparer.Ordinal);
            restores.RemoveAll(r => kept.Contains(RuleListEdit.DuplicateIdentity(r.Rule, kind)));
            return RuleListEdit.Build(ordered, removed, new (int, SecurityGroupPolicy)[0], restores);
        }

        /// <summary>The rule's fields (not its index or time) with another description.</summary>
        private static SecurityGroupPolicy WithDescription(SecurityGroupPolicy p, string description) => new SecurityGroupPolicy
        {
            Protocol = p.Protocol,
            Port = p.Port,
            CidrBlock = p.CidrBlock,
            Ipv6CidrBlock = p.Ipv6CidrBlock,
            Action = p.Action,
            PolicyDescription = description,
        };

        private static int IndexOfGroup(IReadOnlyList<ParsedGroup> groups, string groupId)
        {
            for (int i = 0; i < groups.Count; i++)
                if (string.Equals(groups[i].SecurityGroupId, groupId, StringComparison.OrdinalIgnoreCase)) return i;
            throw new ArgumentException("The target group '" + groupId + "' is not bound.", nameof(groupId));
        }

        private static bool IsAnyIPv6(string text) =>
            IpText.TryParseBlock(text, IpFamily.IPv6, out AddressRange r) && r.First == Address128.Zero && r.Last == Address128.MaxV6
            && text.IndexOf('/') >= 0;
    }

    /// <summary>What Block-TcPort53 would do for one target, proven by simulation before anything is written.</summary>
    internal sealed class BlockPlan
    {
        public BlockPlan(string targetGroupId, IReadOnlyList<ExposureKey> wanted, IReadOnlyList<(ExposureKey Key, int Position)> places,
            IReadOnlyList<ExposureKey> unmovable, RuleListEdit edit, ExposureResult before, ExposureResult after)
        {
            TargetGroupId = targetGroupId;
            Wanted = wanted;
            Places = places;
            Unmovable = unmovable;
            Edit = edit;
            Before = before;
            After = after;
        }

        public string TargetGroupId { get; }
        public IReadOnlyList<ExposureKey> Wanted { get; }
        /// <summary>Each key to block, in report order, and the position in the target group (as read) its DROP goes above.</summary>
        public IReadOnlyList<(ExposureKey Key, int Position)> Places { get; }
        internal IReadOnlyList<ExposureKey> KeysToBlock => Places.Select(p => p.Key).ToList();
        /// <summary>Keys left out because the user rule their DROP would replace cannot be named in its description.</summary>
        public IReadOnlyList<ExposureKey> Unmovable { get; }
        public RuleListEdit Edit { get; }
        public ExposureResult Before { get; }
        public ExposureResult After { get; }

        public bool IsNoOp => Edit.IsEmpty;

        /// <summary>True when the list after the edit holds more rules than a Lighthouse firewall may (security groups' quotas can be raised).</summary>
        public bool OverFirewallQuota => Edit.After.Count > RuleLists.FirewallMaxRules;

        /// <summary>True when, after the edit, every wanted key is denied. Block must not write when this is false.</summary>
        public bool Closes => Wanted.All(k => !After[k].Open);
    }
}
