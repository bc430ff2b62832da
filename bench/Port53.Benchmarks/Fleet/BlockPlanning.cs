using System;
using System.Collections.Generic;
using System.Linq;
using Port53.Analysis;
using Port53.Api.Models;
using Port53.Model;
using Port53.Services;

namespace Port53.Benchmarks.Fleet
{
    /// <summary>
    /// What Block-TcPort53 writes on a fleet, worked out offline with its own planner (Port53Rules, and the warning's
    /// ShadowedAccepts): the groups it writes and with which call, and the private-source ACCEPTs its DROPs stop
    /// collaterally, for either placement. The placement itself is proven in tests/Port53.Tests (Analysis and the
    /// realistic rule states); here it only counts calls and collateral on a generated fleet.
    /// </summary>
    internal static class BlockPlanning
    {
        internal sealed class Result
        {
            /// <summary>Each written group, and whether its write is the whole list (ModifySecurityGroupPolicies) rather than one Create.</summary>
            public SortedDictionary<FleetGroupKey, bool> Writes { get; } = new SortedDictionary<FleetGroupKey, bool>();
            /// <summary>Groups Block warns about (one warning each).</summary>
            public int Warnings { get; set; }
            /// <summary>Private-source ACCEPTs of port 53 the DROPs stop.</summary>
            public int RulesStopped { get; set; }
        }

        public static Result Plan(FleetState fleet, IEnumerable<string> exposedInstanceIds, TcPort53Placement placement)
        {
            var groups = new ParsedGroups(fleet);

            var byId = fleet.Instances.ToDictionary(i => i.InstanceId, StringComparer.OrdinalIgnoreCase);
            var plans = new Dictionary<FleetGroupKey, GroupChangePlan>();
            foreach (string id in exposedInstanceIds)
            {
                if (!byId.TryGetValue(id, out FleetInstance instance))
                    throw new ArgumentException("Instance " + id + " is not in the fleet.", nameof(exposedInstanceIds));
                if (instance.SecurityGroupIds.Count == 0) continue;
                ParsedGroup[] binding = groups.Binding(instance);
                // As Block chooses: the group of each open key's deciding rule, or the first group (-Placement Top).
                foreach (var perGroup in Port53Rules.KeysNeedingBlock(RuleEvaluator.Evaluate(binding), ExposureKey.All)
                    .GroupBy(k => placement == TcPort53Placement.Top ? 0 : Port53Rules.DecidingPlace(binding, k)?.Group ?? 0))
                {
                    var key = new FleetGroupKey(instance.Region, instance.SecurityGroupIds[perGroup.Key]);
                    if (!plans.TryGetValue(key, out GroupChangePlan plan))
                        plans[key] = plan = new GroupChangePlan { Action = TcPort53ChangeAction.Block, Region = key.Region, SecurityGroupId = key.SecurityGroupId };
                    var member = new RemediationTarget(instance.Region, instance.InstanceId, instance.SecurityGroupIds, key.SecurityGroupId, perGroup.ToList());
                    BlockPlan one = Port53Rules.PlanBlock(binding, key.SecurityGroupId, perGroup, DateTime.UtcNow, TemplateCatalog.Empty, placement);
                    plan.Members.Add(member);
                    plan.MemberBindings[member] = binding;
                    plan.MemberKeys[member] = one.KeysToBlock;
                    foreach (var (k, position) in one.Places)
                        plan.KeyPositions[k.Index] = Math.Min(plan.KeyPositions[k.Index] ?? int.MaxValue, position);
                }
            }

            var result = new Result();
            foreach (var (key, plan) in plans)
            {
                var places = Enumerable.Range(0, 4).Where(i => plan.KeyPositions[i].HasValue).Select(i => (ExposureKey.All[i], plan.KeyPositions[i].Value));
                RuleListEdit edit = Port53Rules.EditForBlock(groups.Get(key), places, DateTime.UtcNow, out _);
                if (edit.IsEmpty) continue;
                result.Writes[key] = !edit.IsInsertOnly;
                IReadOnlyList<ShadowedAccept> shadowed = Port53Remediation.ShadowedAccepts(plan);
                if (shadowed.Count > 0) result.Warnings++;
                result.RulesStopped += shadowed.Count;
            }
            return result;
        }

        /// <summary>The instances some protocol and family of which is open by the rules (what `Where-Object Exposed` keeps).</summary>
        public static List<string> Exposed(FleetState fleet)
        {
            var groups = new ParsedGroups(fleet);
            return fleet.Instances.Where(i => RuleEvaluator.Evaluate(groups.Binding(i)).Exposed).Select(i => i.InstanceId).ToList();
        }

        /// <summary>
        /// The Lighthouse firewalls Block-TcPort53 writes for these exposed instances, by its own planner (FirewallRemediation:
        /// one plan per firewall from the audit's read, written with one ModifyFirewallRules unless the plan changes nothing
        /// or would pass the 100-rule quota, which Block reports instead of writing).
        /// </summary>
        public static List<FleetGroupKey> FirewallWrites(FleetState fleet, IEnumerable<string> exposedInstanceIds)
        {
            var byId = fleet.LighthouseInstances.ToDictionary(i => i.InstanceId, StringComparer.OrdinalIgnoreCase);
            var writes = new SortedSet<FleetGroupKey>();
            foreach (string id in exposedInstanceIds)
            {
                if (!byId.TryGetValue(id, out FleetLighthouseInstance instance))
                    throw new ArgumentException("Lighthouse instance " + id + " is not in the fleet.", nameof(exposedInstanceIds));
                BlockPlan plan = Port53Rules.PlanBlock(new[] { Firewall(instance) }, instance.InstanceId, ExposureKey.All, DateTime.UtcNow, TemplateCatalog.Empty,
                    TcPort53Placement.AboveDecidingRule);
                if (!plan.Edit.IsEmpty && !plan.OverFirewallQuota) writes.Add(instance.Key);
            }
            return writes.ToList();
        }

        /// <summary>The Lighthouse instances whose firewall lets port 53 in from the internet (what `Where-Object Exposed` keeps).</summary>
        public static List<string> ExposedLighthouse(FleetState fleet) =>
            fleet.LighthouseInstances.Where(i => RuleEvaluator.Evaluate(new[] { Firewall(i) }).Exposed).Select(i => i.InstanceId).ToList();

        private static ParsedGroup Firewall(FleetLighthouseInstance instance) => Firewalls.Parse(instance.InstanceId, instance.FirewallVersion, instance.FirewallRuleSet);

        /// <summary>The fleet's groups parsed for evaluation, each once, against its region's templates.</summary>
        private sealed class ParsedGroups
        {
            private readonly FleetState _fleet;
            private readonly Dictionary<string, TemplateCatalog> _catalogs = new Dictionary<string, TemplateCatalog>(StringComparer.OrdinalIgnoreCase);
            private readonly Dictionary<FleetGroupKey, ParsedGroup> _parsed = new Dictionary<FleetGroupKey, ParsedGroup>();

            public ParsedGroups(FleetState fleet) => _fleet = fleet;

            public ParsedGroup[] Binding(FleetInstance instance) => instance.SecurityGroupIds.Select(g => Get(new FleetGroupKey(instance.Region, g))).ToArray();

            public ParsedGroup Get(FleetGroupKey key)
            {
                if (_parsed.TryGetValue(key, out ParsedGroup parsed)) return parsed;
                if (!_catalogs.TryGetValue(key.Region, out TemplateCatalog catalog)) _catalogs[key.Region] = catalog = Catalog(_fleet, key.Region);
                FleetGroup group = _fleet.Group(key) ?? throw new ArgumentException("Group " + key + " is not in the fleet.");
                return _parsed[key] = ParsedGroup.Parse(new GroupPolicies(key.SecurityGroupId, group.SecurityGroupPolicySet.Version,
                    group.SecurityGroupPolicySet.Ingress), catalog);
            }
        }

        private static TemplateCatalog Catalog(FleetState fleet, string region)
        {
            IEnumerable<FleetTemplate> In(List<FleetTemplate> all) => all.Where(t => string.Equals(t.Region, region, StringComparison.OrdinalIgnoreCase));
            return new TemplateCatalog(
                In(fleet.ServiceTemplates).Select(t => new ServiceTemplate { ServiceTemplateId = t.ServiceTemplateId, ServiceSet = t.ServiceSet ?? new List<string>() }).ToList(),
                In(fleet.ServiceTemplateGroups).Select(t => new ServiceTemplateGroup { ServiceTemplateGroupId = t.ServiceTemplateGroupId, ServiceTemplateIdSet = t.ServiceTemplateIdSet ?? new List<string>() }).ToList(),
                In(fleet.AddressTemplates).Select(t => new AddressTemplate { AddressTemplateId = t.AddressTemplateId, AddressSet = t.AddressSet ?? new List<string>() }).ToList(),
                In(fleet.AddressTemplateGroups).Select(t => new AddressTemplateGroup { AddressTemplateGroupId = t.AddressTemplateGroupId, AddressTemplateIdSet = t.AddressTemplateIdSet ?? new List<string>() }).ToList());
        }
    }
}
