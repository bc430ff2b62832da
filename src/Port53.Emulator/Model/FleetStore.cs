using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Port53.Emulator.Model
{
    /// <summary>One region's records, in fleet order.</summary>
    internal sealed class RegionData
    {
        public RegionInfo Info;
        public readonly List<Instance> Instances = new List<Instance>();
        public readonly List<SecurityGroup> SecurityGroups = new List<SecurityGroup>();
        public readonly List<ServiceTemplate> ServiceTemplates = new List<ServiceTemplate>();
        public readonly List<ServiceTemplateGroup> ServiceTemplateGroups = new List<ServiceTemplateGroup>();
        public readonly List<AddressTemplate> AddressTemplates = new List<AddressTemplate>();
        public readonly List<AddressTemplateGroup> AddressTemplateGroups = new List<AddressTemplateGroup>();
        public readonly List<ZoneInfo> Zones = new List<ZoneInfo>();
        public readonly List<LighthouseInstance> LighthouseInstances = new List<LighthouseInstance>();
    }

    /// <summary>
    /// One account's live fleet, indexed by region and id (ids are unique within an account, not across accounts). Only security-group rules and Lighthouse firewalls change at run
    /// time: they change under Gate, by publishing a new SecurityGroupPolicySet or LighthouseFirewall, so reads need
    /// no lock. A reset builds a new store.
    /// </summary>
    internal sealed class FleetStore
    {
        public readonly object Gate = new object();
        public readonly AccountFleet Fleet;
        public readonly long Uin;
        /// <summary>The account's roles by name, each with its RoleId (the file's, or one derived from uin and name).</summary>
        public readonly Dictionary<string, (FleetRole Role, string RoleId)> Roles = new Dictionary<string, (FleetRole, string)>(StringComparer.Ordinal);
        public readonly Dictionary<string, RegionData> Regions = new Dictionary<string, RegionData>(StringComparer.Ordinal);
        public readonly Dictionary<string, Instance> Instances = new Dictionary<string, Instance>(StringComparer.Ordinal);
        public readonly Dictionary<string, SecurityGroup> SecurityGroups = new Dictionary<string, SecurityGroup>(StringComparer.Ordinal);
        public readonly Dictionary<string, ServiceTemplate> ServiceTemplates = new Dictionary<string, ServiceTemplate>(StringComparer.Ordinal);
        public readonly Dictionary<string, ServiceTemplateGroup> ServiceTemplateGroups = new Dictionary<string, ServiceTemplateGroup>(StringComparer.Ordinal);
        public readonly Dictionary<string, AddressTemplate> AddressTemplates = new Dictionary<string, AddressTemplate>(StringComparer.Ordinal);
        public readonly Dictionary<string, AddressTemplateGroup> AddressTemplateGroups = new Dictionary<string, AddressTemplateGroup>(StringComparer.Ordinal);
        public readonly Dictionary<string, LighthouseInstance> LighthouseInstances = new Dictionary<string, LighthouseInstance>(StringComparer.Ordinal);
        public readonly Dictionary<string, Credential> Credentials = new Dictionary<string, Credential>(StringComparer.Ordinal);

        /// <summary>
        /// Filtered result lists by query, so paging through a filtered DescribeInstances/DescribeSecurityGroups
        /// filters once per run, not once per page. Valid until an instance is bound anew (<see cref="Rebind"/>),
        /// the only change to what they list.
        /// </summary>
        private readonly ConcurrentDictionary<string, IReadOnlyList<object>> QueryCache = new ConcurrentDictionary<string, IReadOnlyList<object>>(StringComparer.Ordinal);

        public IReadOnlyList<T> Cached<T>(string key, Func<IReadOnlyList<T>> query)
        {
            if (QueryCache.TryGetValue(key, out IReadOnlyList<object> hit)) return (IReadOnlyList<T>)hit;
            if (QueryCache.Count > 512) QueryCache.Clear();
            IReadOnlyList<T> result = query();
            QueryCache[key] = (IReadOnlyList<object>)result;
            return result;
        }

        /// <summary>Gives the instance a new list of security groups, in binding order, as the console's "configure security group" does.</summary>
        public bool Rebind(string instanceId, IEnumerable<string> securityGroupIds)
        {
            lock (Gate)
            {
                if (!Instances.TryGetValue(instanceId, out Instance instance)) return false;
                instance.SecurityGroupIds = securityGroupIds.ToList();
                QueryCache.Clear();
                return true;
            }
        }

        public FleetStore(AccountFleet fleet, long uin)
        {
            Fleet = fleet;
            Uin = uin;
            foreach (FleetRole role in fleet.Roles ?? new List<FleetRole>())
            {
                Require(role?.RoleName, "Roles[].RoleName");
                if (Roles.ContainsKey(role.RoleName)) throw Invalid("account " + uin + " lists role " + role.RoleName + " twice");
                Roles.Add(role.RoleName, (role, role.RoleId ?? (4611686018427387904L + (uint)StableHash(uin + "/" + role.RoleName)).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
            foreach (RegionInfo r in fleet.Regions)
            {
                Require(r.Region, "Regions[].Region");
                if (Regions.ContainsKey(r.Region)) throw Invalid("region " + r.Region + " is listed twice");
                r.RegionState ??= "AVAILABLE";
                r.RegionName ??= r.Region;
                Regions.Add(r.Region, new RegionData { Info = r });
            }
            foreach (Credential c in fleet.Credentials)
            {
                Require(c.SecretId, "Credentials[].SecretId");
                Require(c.SecretKey, "Credentials[].SecretKey");
                Credentials[c.SecretId] = c;
            }

            foreach (Instance i in fleet.Instances)
                Add(Instances, i.InstanceId, i, RegionOf(i.Region, "instance " + i.InstanceId).Instances, "Instances[].InstanceId");
            foreach (SecurityGroup g in fleet.SecurityGroups)
            {
                Add(SecurityGroups, g.SecurityGroupId, g, RegionOf(g.Region, "security group " + g.SecurityGroupId).SecurityGroups, "SecurityGroups[].SecurityGroupId");
                g.SecurityGroupPolicySet = Ordered(g.SecurityGroupPolicySet);
            }
            foreach (ServiceTemplate t in fleet.ServiceTemplates)
                Add(ServiceTemplates, t.ServiceTemplateId, t, RegionOf(t.Region, "service template " + t.ServiceTemplateId).ServiceTemplates, "ServiceTemplates[].ServiceTemplateId");
            foreach (ServiceTemplateGroup t in fleet.ServiceTemplateGroups)
                Add(ServiceTemplateGroups, t.ServiceTemplateGroupId, t, RegionOf(t.Region, "service template group " + t.ServiceTemplateGroupId).ServiceTemplateGroups, "ServiceTemplateGroups[].ServiceTemplateGroupId");
            foreach (AddressTemplate t in fleet.AddressTemplates)
                Add(AddressTemplates, t.AddressTemplateId, t, RegionOf(t.Region, "address template " + t.AddressTemplateId).AddressTemplates, "AddressTemplates[].AddressTemplateId");
            foreach (AddressTemplateGroup t in fleet.AddressTemplateGroups)
                Add(AddressTemplateGroups, t.AddressTemplateGroupId, t, RegionOf(t.Region, "address template group " + t.AddressTemplateGroupId).AddressTemplateGroups, "AddressTemplateGroups[].AddressTemplateGroupId");

            foreach (LighthouseInstance i in fleet.LighthouseInstances)
            {
                Add(LighthouseInstances, i.InstanceId, i, RegionOf(i.Region, "Lighthouse instance " + i.InstanceId).LighthouseInstances, "LighthouseInstances[].InstanceId");
                i.Firewall = LoadFirewall(i);
            }

            foreach (Instance i in fleet.Instances)
                foreach (string sg in i.SecurityGroupIds ?? new List<string>())
                    if (!SecurityGroups.TryGetValue(sg, out SecurityGroup g) || g.Region != i.Region)
                        throw Invalid("instance " + i.InstanceId + " is bound to " + sg + ", which is not a security group of " + i.Region);

            BuildZones(fleet);
        }

        private void BuildZones(AccountFleet fleet)
        {
            if (fleet.Zones != null && fleet.Zones.Count > 0)
            {
                foreach (ZoneInfo z in fleet.Zones) RegionOf(z.Region, "zone " + z.Zone).Zones.Add(z);
                return;
            }
            // Derived: the zones the region's instances use, or one "<region>-1" for an empty region.
            foreach (RegionData r in Regions.Values)
            {
                var names = r.Instances.Select(i => i.Placement?.Zone).Where(z => !string.IsNullOrEmpty(z)).Distinct().OrderBy(z => z, StringComparer.Ordinal).ToList();
                if (names.Count == 0) names.Add(r.Info.Region + "-1");
                foreach (string z in names)
                    r.Zones.Add(new ZoneInfo { Region = r.Info.Region, Zone = z, ZoneName = z, ZoneId = (100000 + Math.Abs(StableHash(z)) % 900000).ToString(System.Globalization.CultureInfo.InvariantCulture), ZoneState = "AVAILABLE" });
            }
        }

        private static int StableHash(string s)
        {
            unchecked
            {
                int h = 17;
                foreach (char c in s) h = h * 31 + c;
                return h == int.MinValue ? 0 : h;
            }
        }

        /// <summary>Fleet files may give PolicyIndex to order rules; on the wire the position is the index.</summary>
        private static SecurityGroupPolicySet Ordered(SecurityGroupPolicySet set)
        {
            set ??= new SecurityGroupPolicySet();
            set.Version ??= "1";
            set.Ingress = Order(set.Ingress);
            set.Egress = Order(set.Egress);
            return set;
        }

        private static List<SecurityGroupPolicy> Order(List<SecurityGroupPolicy> rules)
        {
            if (rules == null) return new List<SecurityGroupPolicy>();
            var ordered = rules.Select((p, i) => (p, i)).OrderBy(x => x.p.PolicyIndex ?? long.MaxValue).ThenBy(x => x.i).Select(x => x.p).ToList();
            foreach (SecurityGroupPolicy p in ordered) p.PolicyIndex = null;
            return ordered;
        }

        /// <summary>A fleet file's firewall: version 1 when absent; a rule without a source admits 0.0.0.0/0, as Tencent shows it.</summary>
        private static LighthouseFirewall LoadFirewall(LighthouseInstance instance)
        {
            var rules = new List<FirewallRuleInfo>();
            foreach (FirewallRuleInfo r in instance.FirewallRuleSet ?? new List<FirewallRuleInfo>())
            {
                if (string.IsNullOrEmpty(r.Protocol)) throw Invalid("a firewall rule of Lighthouse instance " + instance.InstanceId + " has no Protocol");
                r.Port ??= "ALL";
                r.Action ??= "ACCEPT";
                r.AppType ??= "Custom";
                if (string.IsNullOrEmpty(r.CidrBlock) && string.IsNullOrEmpty(r.Ipv6CidrBlock)) r.CidrBlock = "0.0.0.0/0";
                r.CidrBlock ??= "";
                r.Ipv6CidrBlock ??= "";
                r.FirewallRuleDescription ??= "";
                rules.Add(r);
            }
            if (rules.Count > LighthouseLimits.RulesPerFirewall)
                throw Invalid("Lighthouse instance " + instance.InstanceId + " has " + rules.Count + " firewall rules; a firewall holds at most " + LighthouseLimits.RulesPerFirewall);
            return new LighthouseFirewall(instance.FirewallVersion ?? 1, rules);
        }

        private RegionData RegionOf(string region, string what)
        {
            if (string.IsNullOrEmpty(region))
            {
                if (Regions.Count == 1) return Regions.Values.First();
                throw Invalid(what + " has no Region");
            }
            if (!Regions.TryGetValue(region, out RegionData data)) throw Invalid(what + " is in " + region + ", which Regions does not list");
            return data;
        }

        private static void Add<T>(Dictionary<string, T> index, string id, T record, List<T> regional, string field)
        {
            Require(id, field);
            if (index.ContainsKey(id)) throw Invalid(field + " " + id + " is listed twice");
            index.Add(id, record);
            regional.Add(record);
        }

        private static void Require(string value, string field)
        {
            if (string.IsNullOrEmpty(value)) throw Invalid(field + " is missing");
        }

        internal static InvalidDataException Invalid(string message) => new InvalidDataException("Fleet: " + message + ".");

        /// <summary>The account as a fleet file holds it, rules numbered by position. Safe to call while requests run.</summary>
        public T Snapshot<T>() where T : AccountFleet, new()
        {
            var copy = new T
            {
                Uin = Fleet.Uin, Name = Fleet.Name, Roles = Fleet.Roles,
                Regions = Fleet.Regions, Zones = Fleet.Zones, Instances = Fleet.Instances,
                ServiceTemplates = Fleet.ServiceTemplates, ServiceTemplateGroups = Fleet.ServiceTemplateGroups,
                AddressTemplates = Fleet.AddressTemplates, AddressTemplateGroups = Fleet.AddressTemplateGroups,
                Credentials = Fleet.Credentials, Extra = Fleet.Extra,
                SecurityGroups = new List<SecurityGroup>(Fleet.SecurityGroups.Count),
                LighthouseInstances = new List<LighthouseInstance>(Fleet.LighthouseInstances.Count),
            };
            foreach (LighthouseInstance i in Fleet.LighthouseInstances)
            {
                LighthouseFirewall firewall = i.Firewall;
                LighthouseInstance clone = i.ShallowCopy();
                clone.FirewallVersion = firewall.Version;
                clone.FirewallRuleSet = new List<FirewallRuleInfo>(firewall.Rules);
                copy.LighthouseInstances.Add(clone);
            }
            foreach (SecurityGroup g in Fleet.SecurityGroups)
            {
                SecurityGroupPolicySet set = g.SecurityGroupPolicySet;
                SecurityGroup clone = g.ShallowCopy();
                clone.SecurityGroupPolicySet = new SecurityGroupPolicySet
                {
                    Version = set.Version, Extra = set.Extra,
                    Ingress = Numbered(set.Ingress), Egress = Numbered(set.Egress),
                };
                copy.SecurityGroups.Add(clone);
            }
            return copy;
        }

        private static List<SecurityGroupPolicy> Numbered(List<SecurityGroupPolicy> rules)
        {
            var list = new List<SecurityGroupPolicy>(rules.Count);
            for (int i = 0; i < rules.Count; i++)
            {
                SecurityGroupPolicy p = rules[i].Clone();
                p.PolicyIndex = i;
                list.Add(p);
            }
            return list;
        }
    }
}
