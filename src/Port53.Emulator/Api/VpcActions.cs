using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using Port53.Emulator.Model;

namespace Port53.Emulator.Api
{
    /// <summary>VPC 2017-03-12 security groups and their rules ("policies").</summary>
    internal static class VpcActions
    {
        private static readonly HashSet<string> GroupFilters = new HashSet<string>(StringComparer.Ordinal)
        {
            "security-group-id", "security-group-name", "tag-key", "project-id", "is-default",
        };

        public static void DescribeSecurityGroups(ApiContext c, Utf8JsonWriter w)
        {
            List<string> ids = Params.StringList(c.Body, "SecurityGroupIds", 100, ErrorCodes.ValueLimitExceeded);
            List<Filter> filters = Params.Filters(c.Body, n => GroupFilters.Contains(n) || (n.StartsWith("tag:", StringComparison.Ordinal) && n.Length > 4), ErrorCodes.FilterInvalidKey);
            if (ids != null && ids.Count > 0 && filters != null && filters.Count > 0)
                throw new ApiException(ErrorCodes.InvalidParameter, "The parameters `SecurityGroupIds` and `Filters` cannot be specified at the same time.");
            var (offset, limit) = Params.Page(Params.IntegerString(c.Body, "Offset"), Params.IntegerString(c.Body, "Limit"), ErrorCodes.ValueRange);

            IReadOnlyList<SecurityGroup> matches;
            if (ids != null && ids.Count > 0)
            {
                var list = new List<SecurityGroup>();
                foreach (string id in ids.Distinct(StringComparer.Ordinal))
                    list.Add(FindGroup(c, id, "SecurityGroupIds"));
                matches = list;
            }
            else if (filters == null || filters.Count == 0) matches = c.RegionData.SecurityGroups;
            else matches = c.Store.Cached(Params.Key(c.Region, "sg", null, filters), () => c.RegionData.SecurityGroups.Where(g => filters.All(f => Matches(g, f))).ToList());
            ActionTable.WritePage(w, "SecurityGroupSet", matches, offset, limit);
        }

        private static bool Matches(SecurityGroup g, Filter f)
        {
            switch (f.Name)
            {
                case "security-group-id": return f.Values.Contains(g.SecurityGroupId);
                case "security-group-name": return f.Values.Contains(g.SecurityGroupName);
                case "project-id": return f.Values.Contains(g.ProjectId);
                case "is-default": return f.Values.Any(v => string.Equals(v, g.IsDefault ? "true" : "false", StringComparison.OrdinalIgnoreCase));
                default: return Params.TagsMatch(g.TagSet, f);
            }
        }

        /// <summary>A security group of the request's region, or the error the real service gives.</summary>
        internal static SecurityGroup FindGroup(ApiContext c, string id, string field)
        {
            if (!id.StartsWith("sg-", StringComparison.Ordinal) || id.Length < 4)
                throw new ApiException(ErrorCodes.ValueMalformed, "The security group id `" + id + "` in `" + field + "` is malformed.");
            if (!c.Store.SecurityGroups.TryGetValue(id, out SecurityGroup g) || g.Region != c.Region)
                throw new ApiException(ErrorCodes.ResourceNotFound, "The security group `" + id + "` (" + field + ") does not exist in " + c.Region + ".");
            return g;
        }

        public static void DescribeSecurityGroupPolicies(ApiContext c, Utf8JsonWriter w)
        {
            string id = Params.String(c.Body, "SecurityGroupId", required: true);
            SecurityGroup g = FindGroup(c, id, "SecurityGroupId");
            SecurityGroupPolicySet set = g.SecurityGroupPolicySet;
            w.WriteStartObject("SecurityGroupPolicySet");
            w.WriteString("Version", set.Version);
            WriteRules(w, "Ingress", set.Ingress);
            WriteRules(w, "Egress", set.Egress);
            w.WriteEndObject();
            c.Engine.ConcurrentEditor.AfterRead(c.Store, g);
        }

        private static void WriteRules(Utf8JsonWriter w, string name, List<SecurityGroupPolicy> rules)
        {
            w.WriteStartArray(name);
            for (int i = 0; i < rules.Count; i++) PolicyRules.Write(w, rules[i], i);
            w.WriteEndArray();
        }

        public static void CreateSecurityGroupPolicies(ApiContext c, Utf8JsonWriter w) =>
            Write(c, (set, store, g) =>
            {
                var (direction, rules, path) = OneDirection(set);
                long? index = rules[0].PolicyIndex;
                if (rules.Any(r => r.PolicyIndex != index))
                    throw new ApiException(ErrorCodes.InvalidParameter, "All policies of `" + path + "` must give the same PolicyIndex (or none).");
                var added = rules.Select((r, i) => PolicyRules.Validate(r, path + "." + i, store, c.Region)).ToList();
                return current =>
                {
                    List<SecurityGroupPolicy> existing = Pick(current, direction);
                    if (index < 0 || index > existing.Count)
                        throw ApiException.BadValue(path + ".0.PolicyIndex", "must be between 0 and " + existing.Count + ", got " + index + ".", ErrorCodes.ValueRange);
                    RejectDuplicates(existing, added, path);
                    if (existing.Count + added.Count > c.Engine.Options.PolicyLimitPerDirection)
                        throw new ApiException(ErrorCodes.PolicyLimitExceeded, "The security group `" + g.SecurityGroupId + "` would have " + (existing.Count + added.Count) +
                            " " + direction + " rules; the quota is " + c.Engine.Options.PolicyLimitPerDirection + ".");
                    var next = new List<SecurityGroupPolicy>(existing);
                    next.InsertRange((int)(index ?? existing.Count), added.Select(r => Stamp(r, c)));
                    return With(current, direction, next);
                };
            });

        public static void DeleteSecurityGroupPolicies(ApiContext c, Utf8JsonWriter w) =>
            Write(c, (set, store, g) =>
            {
                var (direction, rules, path) = OneDirection(set);
                bool byIndex = rules[0].PolicyIndex != null;
                if (rules.Any(r => (r.PolicyIndex != null) != byIndex))
                    throw new ApiException(ErrorCodes.InvalidParameter, "`" + path + "` must delete either by PolicyIndex or by rule fields, not both.");
                return current =>
                {
                    List<SecurityGroupPolicy> existing = Pick(current, direction);
                    var doomed = new HashSet<int>();
                    for (int i = 0; i < rules.Count; i++)
                    {
                        int at;
                        if (byIndex)
                        {
                            long index = rules[i].PolicyIndex.Value;
                            if (index < 0 || index >= existing.Count)
                                throw ApiException.BadValue(path + "." + i + ".PolicyIndex", "there is no " + direction + " rule " + index + " (the group has " + existing.Count + ").", ErrorCodes.ValueRange);
                            at = (int)index;
                        }
                        else
                        {
                            string identity = PolicyRules.Identity(Normalised(rules[i]));
                            at = existing.FindIndex(p => PolicyRules.Identity(p) == identity);
                            if (at < 0)
                                throw new ApiException(ErrorCodes.ResourceNotFound, "No " + direction + " rule of `" + g.SecurityGroupId + "` matches `" + path + "." + i + "`.");
                        }
                        doomed.Add(at);
                    }
                    return With(current, direction, existing.Where((_, i) => !doomed.Contains(i)).ToList());
                };
            });

        public static void ReplaceSecurityGroupPolicies(ApiContext c, Utf8JsonWriter w) =>
            Write(c, (set, store, g) =>
            {
                var (direction, rules, path) = OneDirection(set);
                if (rules.Count != 1) throw ApiException.BadValue(path, "Replace takes exactly one policy, got " + rules.Count + ".");
                long index = rules[0].PolicyIndex ?? throw ApiException.Missing(path + ".0.PolicyIndex");
                SecurityGroupPolicy replacement = PolicyRules.Validate(rules[0], path + ".0", store, c.Region);
                return current =>
                {
                    List<SecurityGroupPolicy> existing = Pick(current, direction);
                    if (index < 0 || index >= existing.Count)
                        throw ApiException.BadValue(path + ".0.PolicyIndex", "there is no " + direction + " rule " + index + " (the group has " + existing.Count + ").", ErrorCodes.ValueRange);
                    RejectDuplicates(existing.Where((_, i) => i != index), new[] { replacement }, path);
                    var next = new List<SecurityGroupPolicy>(existing);
                    next[(int)index] = Stamp(replacement, c);
                    return With(current, direction, next);
                };
            });

        public static void ModifySecurityGroupPolicies(ApiContext c, Utf8JsonWriter w) =>
            Write(c, (set, store, g) =>
            {
                // Whole-set semantics: a direction left out (or empty) is cleared, as the real API documents.
                var ingress = (set.Ingress ?? new List<SecurityGroupPolicy>()).Select((r, i) => PolicyRules.Validate(r, "SecurityGroupPolicySet.Ingress." + i, store, c.Region)).ToList();
                var egress = (set.Egress ?? new List<SecurityGroupPolicy>()).Select((r, i) => PolicyRules.Validate(r, "SecurityGroupPolicySet.Egress." + i, store, c.Region)).ToList();
                int quota = c.Engine.Options.PolicyLimitPerDirection;
                foreach (var (name, list) in new[] { ("Ingress", ingress), ("Egress", egress) })
                {
                    RejectDuplicates(Array.Empty<SecurityGroupPolicy>(), list, "SecurityGroupPolicySet." + name);
                    if (list.Count > quota)
                        throw new ApiException(ErrorCodes.PolicyLimitExceeded, "`SecurityGroupPolicySet." + name + "` has " + list.Count + " rules; the quota is " + quota + ".");
                }
                return current => new SecurityGroupPolicySet
                {
                    Version = current.Version, Extra = current.Extra,
                    Ingress = ingress.Select(r => Stamp(r, c)).ToList(),
                    Egress = egress.Select(r => Stamp(r, c)).ToList(),
                };
            });

        /// <summary>
        /// The shared shape of every write: permission fault, group lookup, rule parsing; then, under the store's
        /// lock, the concurrent editor's pending change, the Version check, the change itself and the Version bump.
        /// </summary>
        private static void Write(ApiContext c, Func<PolicyRules.PolicySetParam, FleetStore, SecurityGroup, Func<SecurityGroupPolicySet, SecurityGroupPolicySet>> plan)
        {
            string id = Params.String(c.Body, "SecurityGroupId", required: true);
            if (c.Engine.Faults.Settings.UnauthorizedSecurityGroupIds?.Contains(id) == true)
                throw new ApiException(ErrorCodes.UnauthorizedOperation, "The request is not authorized to " + c.Action + " on `" + id + "` (an emulator permission fault).");
            SecurityGroup g = FindGroup(c, id, "SecurityGroupId");
            PolicyRules.PolicySetParam set = PolicyRules.ReadSet(c.Body, "SecurityGroupPolicySet", required: true);
            Func<SecurityGroupPolicySet, SecurityGroupPolicySet> change = plan(set, c.Store, g);
            lock (c.Store.Gate)
            {
                c.Engine.ConcurrentEditor.BeforeWrite(c.Store, g, c.Now);
                SecurityGroupPolicySet current = g.SecurityGroupPolicySet;
                if (set.Version != null && set.Version != current.Version)
                    throw new ApiException(ErrorCodes.VersionMismatch, "The security group `" + id + "` is at Version " + current.Version + ", not " + set.Version + ": it was changed since it was read.");
                Publish(g, change(current), c.NowText);
            }
        }

        /// <summary>Makes a new rule set current; callers hold the store's Gate.</summary>
        internal static void Publish(SecurityGroup g, SecurityGroupPolicySet next, string now)
        {
            next.Version = NextVersion(g.SecurityGroupPolicySet.Version);
            g.UpdateTime = now;
            g.SecurityGroupPolicySet = next;
        }

        private static string NextVersion(string version) =>
            long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out long v) ? (v + 1).ToString(CultureInfo.InvariantCulture) : "1";

        private static SecurityGroupPolicy Stamp(SecurityGroupPolicy rule, ApiContext c)
        {
            SecurityGroupPolicy r = rule.Clone();
            r.ModifyTime = c.NowText;
            return r;
        }

        private static (string Direction, List<SecurityGroupPolicy> Rules, string Path) OneDirection(PolicyRules.PolicySetParam set)
        {
            bool ingress = set.Ingress != null && set.Ingress.Count > 0, egress = set.Egress != null && set.Egress.Count > 0;
            if (ingress && egress)
                throw new ApiException(ErrorCodes.InvalidParameter, "One request changes one direction: give `SecurityGroupPolicySet.Ingress` or `SecurityGroupPolicySet.Egress`, not both.");
            if (!ingress && !egress) throw ApiException.Missing("SecurityGroupPolicySet.Ingress (or SecurityGroupPolicySet.Egress)");
            return ingress ? ("Ingress", set.Ingress, "SecurityGroupPolicySet.Ingress") : ("Egress", set.Egress, "SecurityGroupPolicySet.Egress");
        }

        private static List<SecurityGroupPolicy> Pick(SecurityGroupPolicySet set, string direction) => direction == "Ingress" ? set.Ingress : set.Egress;

        private static SecurityGroupPolicySet With(SecurityGroupPolicySet current, string direction, List<SecurityGroupPolicy> rules) => new SecurityGroupPolicySet
        {
            Version = current.Version, Extra = current.Extra,
            Ingress = direction == "Ingress" ? rules : current.Ingress,
            Egress = direction == "Egress" ? rules : current.Egress,
        };

        private static SecurityGroupPolicy Normalised(SecurityGroupPolicy p)
        {
            SecurityGroupPolicy n = p.Clone();
            n.Action = p.Action?.ToUpperInvariant();
            return n;
        }

        /// <summary>DuplicatePolicy when an added rule equals a kept one or another added one.</summary>
        private static void RejectDuplicates(IEnumerable<SecurityGroupPolicy> kept, IEnumerable<SecurityGroupPolicy> added, string path)
        {
            var seen = new HashSet<string>(kept.Select(PolicyRules.Identity), StringComparer.Ordinal);
            foreach (SecurityGroupPolicy r in added)
                if (!seen.Add(PolicyRules.Identity(r)))
                    throw new ApiException(ErrorCodes.DuplicatePolicy, "`" + path + "` would create a rule that already exists: " +
                        (r.Action + " " + (r.Protocol ?? r.ServiceTemplate?.ServiceId ?? r.ServiceTemplate?.ServiceGroupId) + " " + r.Port + " from " +
                        (r.CidrBlock ?? r.Ipv6CidrBlock ?? r.SecurityGroupId ?? r.AddressTemplate?.AddressId ?? r.AddressTemplate?.AddressGroupId)).Replace("  ", " ") + ".");
        }
    }
}
