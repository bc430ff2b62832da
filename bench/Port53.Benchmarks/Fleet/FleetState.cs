using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Port53.Api.Models;

namespace Port53.Benchmarks.Fleet
{
    /// <summary>
    /// The parts of an emulator fleet that the fleet benchmark and its xunit counterpart reason about, read from
    /// the emulator's fleet-file JSON (GET /_emulator/state, EmulatorServer.GetStateJson()). The rules are Tencent's
    /// shapes as the module binds them (src/Port53.Wire), so Block's planner reads them as they are; the records
    /// around them are small views with the fleet file's Region. This file is compiled into both
    /// bench/Port53.Benchmarks and tests/Port53.Tests.
    /// </summary>
    internal sealed class FleetState
    {
        private static readonly JsonSerializerOptions Options = new JsonSerializerOptions
        {
            PropertyNameCaseInsensitive = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        };

        private Dictionary<FleetGroupKey, FleetGroup> _groups;

        /// <summary>The account's uin as the fleet file gives it; a single-account file's top level usually has none.</summary>
        public long? Uin { get; set; }
        public string Name { get; set; }
        /// <summary>A multi-account fleet's further accounts (the file's Accounts), each with resources of its own.</summary>
        public List<FleetState> Accounts { get; set; } = new List<FleetState>();
        public List<FleetRegion> Regions { get; set; } = new List<FleetRegion>();
        public List<FleetInstance> Instances { get; set; } = new List<FleetInstance>();
        public List<FleetGroup> SecurityGroups { get; set; } = new List<FleetGroup>();
        public List<FleetTemplate> ServiceTemplates { get; set; } = new List<FleetTemplate>();
        public List<FleetTemplate> ServiceTemplateGroups { get; set; } = new List<FleetTemplate>();
        public List<FleetTemplate> AddressTemplates { get; set; } = new List<FleetTemplate>();
        public List<FleetTemplate> AddressTemplateGroups { get; set; } = new List<FleetTemplate>();
        public List<FleetLighthouseInstance> LighthouseInstances { get; set; } = new List<FleetLighthouseInstance>();

        public static FleetState Parse(string json) => Normalise(JsonSerializer.Deserialize<FleetState>(json, Options));

        /// <summary>Streams the JSON rather than buffering it: at 10,000 instances the text alone is ~10 MB.</summary>
        public static FleetState Read(Stream utf8Json) => Normalise(JsonSerializer.Deserialize<FleetState>(utf8Json, Options));

        /// <summary>The group with this id in this region, or null.</summary>
        public FleetGroup Group(FleetGroupKey key)
        {
            if (_groups == null)
            {
                _groups = new Dictionary<FleetGroupKey, FleetGroup>();
                foreach (FleetGroup g in SecurityGroups) _groups[g.Key] = g;
            }
            return _groups.TryGetValue(key, out FleetGroup group) ? group : null;
        }

        /// <summary>The account with this uin: the top level when it names it, else one of <see cref="Accounts"/>; null if none has it.</summary>
        public FleetState Account(long uin) => Uin == uin ? this : Accounts.FirstOrDefault(a => a.Uin == uin);

        private static FleetState Normalise(FleetState state)
        {
            if (state == null) throw new InvalidDataException("The fleet JSON is empty.");
            state.Accounts = state.Accounts ?? new List<FleetState>();
            foreach (FleetState account in state.Accounts) Normalise(account ?? throw new InvalidDataException("The fleet's Accounts list holds an empty item."));
            state.Regions = state.Regions ?? new List<FleetRegion>();
            state.Instances = state.Instances ?? new List<FleetInstance>();
            state.SecurityGroups = state.SecurityGroups ?? new List<FleetGroup>();
            state.ServiceTemplates = state.ServiceTemplates ?? new List<FleetTemplate>();
            state.ServiceTemplateGroups = state.ServiceTemplateGroups ?? new List<FleetTemplate>();
            state.AddressTemplates = state.AddressTemplates ?? new List<FleetTemplate>();
            state.AddressTemplateGroups = state.AddressTemplateGroups ?? new List<FleetTemplate>();
            foreach (FleetInstance i in state.Instances) i.SecurityGroupIds = i.SecurityGroupIds ?? new List<string>();
            state.LighthouseInstances = state.LighthouseInstances ?? new List<FleetLighthouseInstance>();
            foreach (FleetLighthouseInstance i in state.LighthouseInstances) i.FirewallRuleSet = i.FirewallRuleSet ?? new List<FirewallRuleInfo>();
            foreach (FleetGroup g in state.SecurityGroups)
            {
                g.SecurityGroupPolicySet = g.SecurityGroupPolicySet ?? new SecurityGroupPolicySet();
                g.SecurityGroupPolicySet.Ingress = Ordered(g.SecurityGroupPolicySet.Ingress);
                g.SecurityGroupPolicySet.Egress = Ordered(g.SecurityGroupPolicySet.Egress);
            }
            return state;
        }

        // The emulator orders by PolicyIndex when every rule has one, else by position (docs/emulator.md, Fleet file).
        private static List<SecurityGroupPolicy> Ordered(List<SecurityGroupPolicy> rules)
        {
            if (rules == null) return new List<SecurityGroupPolicy>();
            return rules.All(r => r.PolicyIndex.HasValue) ? rules.OrderBy(r => r.PolicyIndex.Value).ToList() : rules;
        }
    }

    internal sealed class FleetRegion
    {
        public string Region { get; set; }
        public string RegionState { get; set; }

        /// <summary>What `-Region *` covers: Tencent lists a state per region; none given counts as available.</summary>
        public bool IsAvailable => string.IsNullOrEmpty(RegionState) || string.Equals(RegionState, "AVAILABLE", StringComparison.OrdinalIgnoreCase);
    }

    internal sealed class FleetInstance
    {
        public string Region { get; set; }
        public string InstanceId { get; set; }
        /// <summary>In binding order: the first is where Block-TcPort53 writes.</summary>
        public List<string> SecurityGroupIds { get; set; } = new List<string>();
    }

    /// <summary>A Lighthouse instance and its firewall: the rules in order (the top one decides first), and the version a write carries.</summary>
    internal sealed class FleetLighthouseInstance
    {
        public string Region { get; set; }
        public string InstanceId { get; set; }
        public long FirewallVersion { get; set; } = 1;
        public List<FirewallRuleInfo> FirewallRuleSet { get; set; } = new List<FirewallRuleInfo>();

        /// <summary>A firewall belongs to one instance: the pair names it in the checks as it names a group.</summary>
        public FleetGroupKey Key => new FleetGroupKey(Region, InstanceId);
    }

    internal sealed class FleetGroup
    {
        public string Region { get; set; }
        public string SecurityGroupId { get; set; }
        public SecurityGroupPolicySet SecurityGroupPolicySet { get; set; } = new SecurityGroupPolicySet();

        public FleetGroupKey Key => new FleetGroupKey(Region, SecurityGroupId);
    }

    /// <summary>How the checks show and compare a rule's fields.</summary>
    internal static class FleetRules
    {
        public static string Show(SecurityGroupPolicy r) =>
            "#" + r.PolicyIndex + " " + r.Protocol + " " + r.Port + " " + (Blank(r.CidrBlock) ?? Blank(r.Ipv6CidrBlock) ?? Blank(r.SecurityGroupId) ?? "template") + " " + r.Action +
            (string.IsNullOrEmpty(r.PolicyDescription) ? "" : " \"" + r.PolicyDescription + "\"");

        /// <summary>A field as the fleet file may leave it: null, empty or blank all mean unset.</summary>
        public static string Blank(string text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    /// <summary>
    /// Any of the four template kinds: where it lives (how many pages a region's list takes), and its id and entries,
    /// which Block's planner needs to evaluate the rules that name it.
    /// </summary>
    internal sealed class FleetTemplate
    {
        public string Region { get; set; }
        public string ServiceTemplateId { get; set; }
        public string ServiceTemplateGroupId { get; set; }
        public string AddressTemplateId { get; set; }
        public string AddressTemplateGroupId { get; set; }
        public List<string> ServiceSet { get; set; }
        public List<string> ServiceTemplateIdSet { get; set; }
        public List<string> AddressSet { get; set; }
        public List<string> AddressTemplateIdSet { get; set; }
    }

    /// <summary>Group ids are unique per region; the pair names a group (or a Lighthouse firewall, by its instance id) everywhere in these checks.</summary>
    internal readonly struct FleetGroupKey : IEquatable<FleetGroupKey>, IComparable<FleetGroupKey>
    {
        public FleetGroupKey(string region, string securityGroupId)
        {
            Region = region;
            SecurityGroupId = securityGroupId;
        }

        public string Region { get; }
        public string SecurityGroupId { get; }

        public bool Equals(FleetGroupKey other) =>
            string.Equals(Region, other.Region, StringComparison.OrdinalIgnoreCase) &&
            string.Equals(SecurityGroupId, other.SecurityGroupId, StringComparison.OrdinalIgnoreCase);

        public override bool Equals(object obj) => obj is FleetGroupKey k && Equals(k);

        public override int GetHashCode() =>
            StringComparer.OrdinalIgnoreCase.GetHashCode(Region ?? "") * 31 + StringComparer.OrdinalIgnoreCase.GetHashCode(SecurityGroupId ?? "");

        public int CompareTo(FleetGroupKey other)
        {
            int c = string.Compare(Region, other.Region, StringComparison.OrdinalIgnoreCase);
            return c != 0 ? c : string.Compare(SecurityGroupId, other.SecurityGroupId, StringComparison.OrdinalIgnoreCase);
        }

        public override string ToString() => Region + "/" + SecurityGroupId;
    }

    /// <summary>
    /// One change of the emulator's concurrent editor (GET /_emulator/concurrent-edits, EmulatorServer.ConcurrentEdits):
    /// the rule another administrator added between a client's read and its write.
    /// </summary>
    internal sealed class FleetEdit
    {
        private static readonly JsonSerializerOptions Options = new JsonSerializerOptions { PropertyNameCaseInsensitive = true };

        public string Region { get; set; }
        public string SecurityGroupId { get; set; }
        public string Direction { get; set; }
        public string Protocol { get; set; }
        public string Port { get; set; }
        public string CidrBlock { get; set; }
        public string Action { get; set; }
        public string PolicyDescription { get; set; }

        public static List<FleetEdit> ParseList(string json) => JsonSerializer.Deserialize<List<FleetEdit>>(json, Options) ?? new List<FleetEdit>();

        public override string ToString() => Region + "/" + SecurityGroupId + " " + Direction + " " + Protocol + " " + Port + " " + CidrBlock + " " + Action + " \"" + PolicyDescription + "\"";
    }
}
