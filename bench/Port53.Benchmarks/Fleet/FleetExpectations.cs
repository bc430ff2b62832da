using System;
using System.Collections.Generic;
using System.Linq;
using Port53.Analysis;
using Port53.Api.Models;
using Port53.Model;

namespace Port53.Benchmarks.Fleet
{
    /// <summary>
    /// What a piece of work needs at the least: API calls per action, and how many round trips must follow one
    /// another (a call that needs the answer of another cannot start before it). Derived from the fleet alone.
    /// </summary>
    internal sealed class CallPlan
    {
        /// <summary>The access region of calls that name no region of their own, and of a plan given without regions.</summary>
        public const string DefaultAccessRegion = "default";

        /// <summary>A plan whose calls all go to one access region.</summary>
        public CallPlan(IDictionary<string, int> calls, int chainDepth, IReadOnlyList<FleetGroupKey> writeTargets = null)
            : this(calls.ToDictionary(kv => kv.Key, kv => (IDictionary<string, int>)new Dictionary<string, int> { [DefaultAccessRegion] = kv.Value }), chainDepth, writeTargets)
        {
        }

        /// <param name="callsByRegion">Action → access region → calls: each region-scoped call goes to its region's own endpoint.</param>
        public CallPlan(IDictionary<string, IDictionary<string, int>> callsByRegion, int chainDepth, IReadOnlyList<FleetGroupKey> writeTargets = null)
        {
            ByAccessRegion = new SortedDictionary<string, IReadOnlyDictionary<string, int>>(
                callsByRegion.Where(kv => kv.Value.Values.Sum() > 0).ToDictionary(kv => kv.Key,
                    kv => (IReadOnlyDictionary<string, int>)new SortedDictionary<string, int>(kv.Value.Where(r => r.Value > 0).ToDictionary(r => r.Key, r => r.Value), StringComparer.Ordinal)),
                StringComparer.Ordinal);
            Calls = new SortedDictionary<string, int>(ByAccessRegion.ToDictionary(kv => kv.Key, kv => kv.Value.Values.Sum()), StringComparer.Ordinal);
            ChainDepth = chainDepth;
            WriteTargets = writeTargets ?? new FleetGroupKey[0];
        }

        /// <summary>Action → calls; actions the work does not need are absent (their minimum is 0).</summary>
        public IReadOnlyDictionary<string, int> Calls { get; }

        /// <summary>Action → access region → calls.</summary>
        public IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> ByAccessRegion { get; }

        public int Total => Calls.Values.Sum();

        /// <summary>Round trips that depend on each other, e.g. DescribeRegions → DescribeInstances → DescribeSecurityGroupPolicies.</summary>
        public int ChainDepth { get; }

        /// <summary>For a block: the groups written, one write each.</summary>
        public IReadOnlyList<FleetGroupKey> WriteTargets { get; }

        public int this[string action] => Calls.TryGetValue(action, out int n) ? n : 0;

        /// <summary>
        /// The least wall time the work can take: each action's calls at that action's rate limit, which Tencent
        /// counts per access region (so the regions' calls overlap and the busiest region bounds the action), and
        /// at the account-wide ceiling when there is one; actions are limited independently, so the slowest one
        /// bounds; plus the dependent round trips, which no amount of parallelism hides.
        /// </summary>
        public double FloorSeconds(Func<string, int> limitPerSecond, double latencySeconds, int accountCeiling = 0) =>
            RateBound(limitPerSecond, accountCeiling).Seconds + ChainDepth * latencySeconds;

        /// <summary>The action whose calls take longest at its limits, where it is bound (an access region, or the account), and how long.</summary>
        public RateBound RateBound(Func<string, int> limitPerSecond, int accountCeiling = 0)
        {
            var bound = new RateBound(null, null, 0, 0, 0);
            foreach (KeyValuePair<string, IReadOnlyDictionary<string, int>> kv in ByAccessRegion)
            {
                foreach (KeyValuePair<string, int> region in kv.Value)
                {
                    double s = region.Value / (double)limitPerSecond(kv.Key);
                    if (s > bound.Seconds) bound = new RateBound(kv.Key, region.Key, region.Value, limitPerSecond(kv.Key), s);
                }
                int total = kv.Value.Values.Sum();
                if (accountCeiling > 0 && total / (double)accountCeiling > bound.Seconds)
                    bound = new RateBound(kv.Key, null, total, accountCeiling, total / (double)accountCeiling);
            }
            return bound;
        }
    }

    /// <summary>What bounds a plan's rate term: <see cref="Calls"/> calls of <see cref="Action"/> at <see cref="Limit"/> per second, in one access region or (null) account-wide.</summary>
    internal sealed class RateBound
    {
        public RateBound(string action, string accessRegion, int calls, int limit, double seconds)
        {
            Action = action;
            AccessRegion = accessRegion;
            Calls = calls;
            Limit = limit;
            Seconds = seconds;
        }

        public string Action { get; }
        public string AccessRegion { get; }
        public int Calls { get; }
        public int Limit { get; }
        public double Seconds { get; }
    }

    /// <summary>
    /// The fewest API calls each fleet-benchmark phase needs, computed from the fleet (bench/README.md, "Minimum
    /// calls", states the definitions and why). Every phase starts in a fresh session, so each reads the region list once.
    /// </summary>
    internal static class MinimumCalls
    {
        /// <summary>The largest Limit Tencent's Describe actions take.</summary>
        public const int PageSize = 100;

        public const string DescribeRegions = "DescribeRegions";
        public const string DescribeInstances = "DescribeInstances";
        public const string DescribeSecurityGroupPolicies = "DescribeSecurityGroupPolicies";
        public const string CreateSecurityGroupPolicies = "CreateSecurityGroupPolicies";
        public const string ModifySecurityGroupPolicies = "ModifySecurityGroupPolicies";
        public const string DescribeServiceTemplates = "DescribeServiceTemplates";
        public const string DescribeServiceTemplateGroups = "DescribeServiceTemplateGroups";
        public const string DescribeAddressTemplates = "DescribeAddressTemplates";
        public const string DescribeAddressTemplateGroups = "DescribeAddressTemplateGroups";
        // Lighthouse has its own DescribeRegions and DescribeInstances: its actions are counted under TencentRateLimits' keys.
        public const string LighthouseDescribeRegions = "lighthouse.DescribeRegions";
        public const string LighthouseDescribeInstances = "lighthouse.DescribeInstances";
        public const string DescribeFirewallRules = "lighthouse.DescribeFirewallRules";
        /// <summary>Which account the session's keys are: asked once per session, alongside the region list, so that every object carries its AccountUin.</summary>
        public const string GetCallerIdentity = "sts.GetCallerIdentity";
        public const string ModifyFirewallRules = "lighthouse.ModifyFirewallRules";

        /// <summary>`Get-TcInstance -Region *`: the region list, then every page of every available region (an empty region still takes one call to learn it is empty).</summary>
        public static CallPlan Inventory(FleetState fleet)
        {
            var calls = new Dictionary<string, IDictionary<string, int>>(StringComparer.Ordinal);
            Add(calls, GetCallerIdentity, CallPlan.DefaultAccessRegion, 1);
            Add(calls, DescribeRegions, CallPlan.DefaultAccessRegion, 1);
            foreach (FleetRegion region in AvailableRegions(fleet))
            {
                int instances = fleet.Instances.Count(i => Same(i.Region, region.Region));
                Add(calls, DescribeInstances, region.Region, Pages(instances));
            }
            return new CallPlan(calls, 2);
        }

        /// <summary>
        /// `Get-TcInstance -Region * | Test-TcPort53`: the inventory, one rules read per distinct group that some
        /// instance binds, and per region the template lists its bound groups' inbound rules refer to.
        /// </summary>
        public static CallPlan Audit(FleetState fleet)
        {
            var calls = Copy(Inventory(fleet));
            List<FleetGroupKey> bound = BoundGroups(fleet);
            bool templates = false;
            foreach (IGrouping<string, FleetGroupKey> region in bound.GroupBy(k => k.Region, StringComparer.OrdinalIgnoreCase))
            {
                Add(calls, DescribeSecurityGroupPolicies, region.Key, region.Count());
                var rules = region.Select(fleet.Group).Where(g => g != null).SelectMany(g => g.SecurityGroupPolicySet.Ingress).ToList();
                foreach (string action in TemplateActions(rules))
                {
                    Add(calls, action, region.Key, Pages(TemplatesOf(fleet, action).Count(t => Same(t.Region, region.Key))));
                    templates = true;
                }
            }
            // Regions → instance pages → rules; a template list is known to be needed only once a rule names one.
            return new CallPlan(calls, templates ? 4 : 3);
        }

        /// <summary>
        /// `... | Test-TcPort53 | Where-Object Exposed | Block-TcPort53 -Force`: the audit, then one write per written
        /// group, at the Version the audit read (no read of Block's own, no read-back). The written groups are those
        /// that hold an exposed instance's deciding rules, each once however many instances share it; the write is one
        /// CreateSecurityGroupPolicies, or one ModifySecurityGroupPolicies where the DROPs go to two places or an equal
        /// user rule comes out (<see cref="BlockPlanning"/>). The write needs its group's read and the evaluation it
        /// rests on: one round trip after the audit's chain.
        /// </summary>
        public static CallPlan Block(FleetState fleet, IEnumerable<string> exposedInstanceIds)
        {
            BlockPlanning.Result planned = BlockPlanning.Plan(fleet, exposedInstanceIds, TcPort53Placement.AboveDecidingRule);
            CallPlan audit = Audit(fleet);
            var calls = Copy(audit);
            foreach (KeyValuePair<FleetGroupKey, bool> write in planned.Writes)
                Add(calls, write.Value ? ModifySecurityGroupPolicies : CreateSecurityGroupPolicies, write.Key.Region, 1);
            return new CallPlan(calls, audit.ChainDepth + (planned.Writes.Count > 0 ? 1 : 0), planned.Writes.Keys.ToList());
        }

        /// <summary>
        /// `Get-TcLighthouseInstance -Region *`: Lighthouse's own region list once (in the session's region), then every page
        /// of every available region it lists, an empty one included (one call to learn it is empty).
        /// </summary>
        public static CallPlan LighthouseInventory(FleetState fleet)
        {
            var calls = new Dictionary<string, IDictionary<string, int>>(StringComparer.Ordinal);
            Add(calls, GetCallerIdentity, CallPlan.DefaultAccessRegion, 1);
            Add(calls, LighthouseDescribeRegions, CallPlan.DefaultAccessRegion, 1);
            foreach (FleetRegion region in AvailableRegions(fleet))
                Add(calls, LighthouseDescribeInstances, region.Region, Pages(fleet.LighthouseInstances.Count(i => Same(i.Region, region.Region))));
            return new CallPlan(calls, 2);
        }

        /// <summary>`Get-TcLighthouseInstance -Region * | Test-TcPort53`: the inventory, then each listed instance's firewall, every page of it.</summary>
        public static CallPlan LighthouseAudit(FleetState fleet)
        {
            var calls = Copy(LighthouseInventory(fleet));
            foreach (FleetLighthouseInstance instance in LighthouseListed(fleet))
                Add(calls, DescribeFirewallRules, instance.Region, Pages(instance.FirewallRuleSet.Count));
            // Regions → instance pages → firewalls.
            return new CallPlan(calls, 3);
        }

        /// <summary>
        /// `... | Where-Object Exposed | Block-TcPort53 -Force` on Lighthouse instances: the audit, then one ModifyFirewallRules per
        /// firewall Block's planner changes, at the FirewallVersion the audit read (no read of Block's own). One round trip
        /// after the audit's chain.
        /// </summary>
        public static CallPlan LighthouseBlock(FleetState fleet, IEnumerable<string> exposedInstanceIds)
        {
            List<FleetGroupKey> writes = BlockPlanning.FirewallWrites(fleet, exposedInstanceIds);
            CallPlan audit = LighthouseAudit(fleet);
            var calls = Copy(audit);
            foreach (FleetGroupKey write in writes) Add(calls, ModifyFirewallRules, write.Region, 1);
            return new CallPlan(calls, audit.ChainDepth + (writes.Count > 0 ? 1 : 0), writes);
        }

        /// <summary>The Lighthouse instances `-Region *` lists: those of available regions.</summary>
        public static IEnumerable<FleetLighthouseInstance> LighthouseListed(FleetState fleet)
        {
            var available = new HashSet<string>(AvailableRegions(fleet).Select(r => r.Region), StringComparer.OrdinalIgnoreCase);
            return fleet.LighthouseInstances.Where(i => available.Contains(i.Region));
        }

        /// <summary>The groups Block writes for these exposed instances, sorted. An id the fleet does not have is an error.</summary>
        public static IReadOnlyList<FleetGroupKey> BlockTargets(FleetState fleet, IEnumerable<string> exposedInstanceIds) =>
            BlockPlanning.Plan(fleet, exposedInstanceIds, TcPort53Placement.AboveDecidingRule).Writes.Keys.ToList();

        /// <summary>Distinct groups bound by some instance of an available region.</summary>
        public static List<FleetGroupKey> BoundGroups(FleetState fleet)
        {
            var available = new HashSet<string>(AvailableRegions(fleet).Select(r => r.Region), StringComparer.OrdinalIgnoreCase);
            var bound = new SortedSet<FleetGroupKey>();
            foreach (FleetInstance i in fleet.Instances)
            {
                if (!available.Contains(i.Region)) continue;
                foreach (string g in i.SecurityGroupIds) bound.Add(new FleetGroupKey(i.Region, g));
            }
            return bound.ToList();
        }

        /// <summary>
        /// The template actions a set of rules needs. A template group names its members by id
        /// (ServiceTemplateIdSet, AddressTemplateIdSet), so a group reference needs the member list as well.
        /// </summary>
        public static IReadOnlyList<string> TemplateActions(IEnumerable<SecurityGroupPolicy> rules)
        {
            var actions = new SortedSet<string>(StringComparer.Ordinal);
            foreach (SecurityGroupPolicy r in rules)
            {
                if (FleetRules.Blank(r.ServiceTemplate?.ServiceId) != null) actions.Add(DescribeServiceTemplates);
                if (FleetRules.Blank(r.ServiceTemplate?.ServiceGroupId) != null)
                {
                    actions.Add(DescribeServiceTemplateGroups);
                    actions.Add(DescribeServiceTemplates);
                }
                if (FleetRules.Blank(r.AddressTemplate?.AddressId) != null) actions.Add(DescribeAddressTemplates);
                if (FleetRules.Blank(r.AddressTemplate?.AddressGroupId) != null)
                {
                    actions.Add(DescribeAddressTemplateGroups);
                    actions.Add(DescribeAddressTemplates);
                }
            }
            return actions.ToList();
        }

        /// <summary>Calls to page through <paramref name="items"/> items: at least one, which tells an empty list apart.</summary>
        public static int Pages(int items) => Math.Max(1, (items + PageSize - 1) / PageSize);

        private static IEnumerable<FleetRegion> AvailableRegions(FleetState fleet) => fleet.Regions.Where(r => r.IsAvailable);

        private static List<FleetTemplate> TemplatesOf(FleetState fleet, string action)
        {
            switch (action)
            {
                case DescribeServiceTemplates: return fleet.ServiceTemplates;
                case DescribeServiceTemplateGroups: return fleet.ServiceTemplateGroups;
                case DescribeAddressTemplates: return fleet.AddressTemplates;
                case DescribeAddressTemplateGroups: return fleet.AddressTemplateGroups;
                default: throw new ArgumentOutOfRangeException(nameof(action), action, "not a template action");
            }
        }

        private static void Add(Dictionary<string, IDictionary<string, int>> calls, string action, string accessRegion, int n)
        {
            if (!calls.TryGetValue(action, out IDictionary<string, int> regions)) calls[action] = regions = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            regions[accessRegion] = (regions.TryGetValue(accessRegion, out int had) ? had : 0) + n;
        }

        private static Dictionary<string, IDictionary<string, int>> Copy(CallPlan plan) =>
            plan.ByAccessRegion.ToDictionary(kv => kv.Key, kv => (IDictionary<string, int>)kv.Value.ToDictionary(r => r.Key, r => r.Value, StringComparer.OrdinalIgnoreCase), StringComparer.Ordinal);

        private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Checks of a fleet after Block-TcPort53 ran, for the benchmark's fault run and the xunit one.</summary>
    internal static class FleetChecks
    {
        /// <summary>How Port53 marks the rules it adds (Analysis/Port53Rules.MarkerPrefix; a test pins the two together).</summary>
        public const string Port53Marker = "Port53: block public DNS";

        /// <summary>
        /// What is wrong with the Port53 rules in <paramref name="final"/>: each written group must hold exactly one
        /// set, i.e. at least one Port53 rule and never two for the same protocol and family, each a DROP of port 53
        /// from 0.0.0.0/0 or ::/0; any other group must hold the Port53 rules it held in <paramref name="initial"/>.
        /// Empty when all is well.
        /// </summary>
        public static IReadOnlyList<string> Port53RuleSetProblems(FleetState initial, FleetState final, IEnumerable<FleetGroupKey> writeTargets) =>
            RuleSetProblems(Lists(initial.SecurityGroups, g => g.Key, g => g.SecurityGroupPolicySet.Ingress), Lists(final.SecurityGroups, g => g.Key, g => g.SecurityGroupPolicySet.Ingress),
                writeTargets, "group");

        /// <summary>The same for Lighthouse firewalls: each written firewall holds exactly one set, every other firewall the Port53 rules it held.</summary>
        public static IReadOnlyList<string> FirewallRuleSetProblems(FleetState initial, FleetState final, IEnumerable<FleetGroupKey> writeTargets) =>
            RuleSetProblems(Lists(initial.LighthouseInstances, i => i.Key, Rules), Lists(final.LighthouseInstances, i => i.Key, Rules), writeTargets, "firewall");

        private static List<SecurityGroupPolicy> Rules(FleetLighthouseInstance instance) => instance.FirewallRuleSet.Select(Firewalls.ToPolicy).ToList();

        private static Dictionary<FleetGroupKey, List<SecurityGroupPolicy>> Lists<T>(IEnumerable<T> owners, Func<T, FleetGroupKey> key, Func<T, List<SecurityGroupPolicy>> rules) =>
            owners.ToDictionary(key, rules);

        private static IReadOnlyList<string> RuleSetProblems(Dictionary<FleetGroupKey, List<SecurityGroupPolicy>> initial, Dictionary<FleetGroupKey, List<SecurityGroupPolicy>> final,
            IEnumerable<FleetGroupKey> writeTargets, string kind)
        {
            var problems = new List<string>();
            var targets = new HashSet<FleetGroupKey>(writeTargets);
            foreach (FleetGroupKey key in targets.OrderBy(k => k))
            {
                if (!final.TryGetValue(key, out List<SecurityGroupPolicy> rules))
                {
                    problems.Add(key + ": not in the fleet");
                    continue;
                }
                List<SecurityGroupPolicy> marked = Marked(rules);
                if (marked.Count == 0)
                {
                    problems.Add(key + ": no Port53 rule");
                    continue;
                }
                foreach (SecurityGroupPolicy r in marked.Where(r => BlockKey(r) == null)) problems.Add(key + ": not a Port53 DROP of port 53 from the internet: " + FleetRules.Show(r));
                foreach (IGrouping<string, SecurityGroupPolicy> twice in marked.Where(r => BlockKey(r) != null).GroupBy(BlockKey).Where(g => g.Count() > 1))
                    problems.Add(key + ": " + twice.Count() + " Port53 rules for " + twice.Key);
            }
            foreach (KeyValuePair<FleetGroupKey, List<SecurityGroupPolicy>> other in final.Where(kv => !targets.Contains(kv.Key)))
            {
                string now = string.Join("; ", Marked(other.Value).Select(FleetRules.Show));
                string then = initial.TryGetValue(other.Key, out List<SecurityGroupPolicy> before) ? string.Join("; ", Marked(before).Select(FleetRules.Show)) : "";
                if (now != then) problems.Add(other.Key + ": Port53 rules changed in a " + kind + " that is not a write target: " + now);
            }
            return problems;
        }

        /// <summary>The concurrent editor's changes that <paramref name="final"/> no longer holds (someone overwrote them).</summary>
        public static IReadOnlyList<FleetEdit> LostEdits(FleetState final, IEnumerable<FleetEdit> edits)
        {
            var lost = new List<FleetEdit>();
            foreach (FleetEdit e in edits)
            {
                FleetGroup group = final.Group(new FleetGroupKey(e.Region, e.SecurityGroupId));
                List<SecurityGroupPolicy> rules = group == null ? new List<SecurityGroupPolicy>()
                    : string.Equals(e.Direction, "Egress", StringComparison.OrdinalIgnoreCase) ? group.SecurityGroupPolicySet.Egress : group.SecurityGroupPolicySet.Ingress;
                bool kept = rules.Any(r =>
                    string.Equals(r.Protocol, e.Protocol, StringComparison.OrdinalIgnoreCase) &&
                    string.Equals(r.Port, e.Port, StringComparison.OrdinalIgnoreCase) &&
                    string.Equals(FleetRules.Blank(r.CidrBlock), FleetRules.Blank(e.CidrBlock), StringComparison.OrdinalIgnoreCase) &&
                    string.Equals(r.Action, e.Action, StringComparison.OrdinalIgnoreCase) &&
                    string.Equals(r.PolicyDescription, e.PolicyDescription, StringComparison.Ordinal));
                if (!kept) lost.Add(e);
            }
            return lost;
        }

        private static List<SecurityGroupPolicy> Marked(List<SecurityGroupPolicy> rules) =>
            rules.Where(r => r.PolicyDescription != null && r.PolicyDescription.StartsWith(Port53Marker, StringComparison.Ordinal)).ToList();

        /// <summary>"UDP/IPv4" etc. for a DROP of port 53 from the whole internet of one family; null for anything else.</summary>
        private static string BlockKey(SecurityGroupPolicy r)
        {
            string protocol = (r.Protocol ?? "").Trim().ToUpperInvariant();
            if (protocol != "UDP" && protocol != "TCP") return null;
            if (!string.Equals((r.Action ?? "").Trim(), "DROP", StringComparison.OrdinalIgnoreCase) || (r.Port ?? "").Trim() != "53") return null;
            string v4 = FleetRules.Blank(r.CidrBlock), v6 = FleetRules.Blank(r.Ipv6CidrBlock);
            if (v4 == "0.0.0.0/0" && v6 == null) return protocol + "/IPv4";
            if (v4 == null && v6 == "::/0") return protocol + "/IPv6";
            return null;
        }
    }
}
