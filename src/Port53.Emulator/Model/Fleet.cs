using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

// The fleet file: Tencent's own record shapes (as the Describe* actions return them; defined once, in
// src/Port53.Wire, for the module's client and the emulator) plus `Region` where a record lives in a region. The
// parts below add what only the emulator keeps: that Region, a group's rules, and every field a record does not
// know, in Extra, so a fleet file taken from a real account (or written by a newer tool) round-trips through
// GET /_emulator/state unchanged.
namespace Port53.Emulator.Model
{
    /// <summary>
    /// A fleet file. Its top-level keys are one account (a single-account file is nothing else); <see cref="Accounts"/>
    /// lists further accounts. A file whose top level has no Regions but an Accounts list is only that list.
    /// </summary>
    public sealed class Fleet : AccountFleet
    {
        [JsonPropertyOrder(2)] public List<FleetAccount> Accounts { get; set; }
        [JsonPropertyOrder(2)] public FleetOrganization Organization { get; set; }

        /// <summary>Whether the top-level keys are an account: a file without Accounts always is, else it needs Regions.</summary>
        internal bool TopLevelIsAccount => Accounts == null || Accounts.Count == 0 || (Regions != null && Regions.Count > 0);

        /// <summary>Every account, the top-level one (if it is one) first.</summary>
        internal IEnumerable<AccountFleet> AllAccounts()
        {
            if (TopLevelIsAccount) yield return this;
            foreach (FleetAccount a in Accounts ?? new List<FleetAccount>()) yield return a;
        }
    }

    /// <summary>One item of a fleet file's Accounts list.</summary>
    public sealed class FleetAccount : AccountFleet
    {
    }

    /// <summary>What one account holds: its identity, keys and roles, and its resources in Tencent's record shapes.</summary>
    public abstract class AccountFleet : FleetRecord
    {
        /// <summary>The account's uin (an integer, as Tencent gives it); absent: <see cref="Hosting.EmulatorOptions.DefaultAccountUin"/> for the first account.</summary>
        [JsonPropertyOrder(-2)] public long? Uin { get; set; }
        [JsonPropertyOrder(-2)] public string Name { get; set; }
        /// <summary>CAM roles other accounts (or this one) may assume with STS AssumeRole.</summary>
        [JsonPropertyOrder(-2)] public List<FleetRole> Roles { get; set; }
        public List<RegionInfo> Regions { get; set; } = new List<RegionInfo>();
        /// <summary>Optional; when absent, DescribeZones lists the zones the region's instances use.</summary>
        public List<ZoneInfo> Zones { get; set; }
        public List<Instance> Instances { get; set; } = new List<Instance>();
        public List<SecurityGroup> SecurityGroups { get; set; } = new List<SecurityGroup>();
        public List<ServiceTemplate> ServiceTemplates { get; set; } = new List<ServiceTemplate>();
        public List<ServiceTemplateGroup> ServiceTemplateGroups { get; set; } = new List<ServiceTemplateGroup>();
        public List<AddressTemplate> AddressTemplates { get; set; } = new List<AddressTemplate>();
        public List<AddressTemplateGroup> AddressTemplateGroups { get; set; } = new List<AddressTemplateGroup>();
        /// <summary>Lighthouse (轻量应用服务器) instances, each with its own firewall (LighthouseRecords.cs).</summary>
        public List<LighthouseInstance> LighthouseInstances { get; set; } = new List<LighthouseInstance>();
        public List<Credential> Credentials { get; set; } = new List<Credential>();

        /// <summary>The lists a file leaves out become empty, so the store reads every account alike.</summary>
        internal void FillAbsentLists()
        {
            Regions ??= new List<RegionInfo>();
            Instances ??= new List<Instance>();
            SecurityGroups ??= new List<SecurityGroup>();
            ServiceTemplates ??= new List<ServiceTemplate>();
            ServiceTemplateGroups ??= new List<ServiceTemplateGroup>();
            AddressTemplates ??= new List<AddressTemplate>();
            AddressTemplateGroups ??= new List<AddressTemplateGroup>();
            LighthouseInstances ??= new List<LighthouseInstance>();
            Credentials ??= new List<Credential>();
        }
    }

    /// <summary>A CAM role: who may assume it (TrustedUins, the role's trust policy reduced to account uins).</summary>
    public sealed class FleetRole : FleetRecord
    {
        public string RoleName { get; set; }
        /// <summary>Optional; absent, one is derived from the account and the name (GetCallerIdentity shows it).</summary>
        public string RoleId { get; set; }
        public List<long> TrustedUins { get; set; }
    }

    /// <summary>A Tencent Cloud Organization: its management account and its members (DescribeOrganizationMembers).</summary>
    public sealed class FleetOrganization : FleetRecord
    {
        public long ManagementUin { get; set; }
        public List<OrganizationMember> Members { get; set; }
    }

    /// <summary>A member as DescribeOrganizationMembers lists it (src/Port53.Wire); fields a file leaves out are answered with defaults.</summary>
    public sealed partial class OrganizationMember : FleetRecord
    {
    }

    public sealed class Credential
    {
        public string SecretId { get; set; }
        public string SecretKey { get; set; }
        /// <summary>When set, requests signed with this key must carry it in X-TC-Token.</summary>
        public string Token { get; set; }
    }

    /// <summary>A fleet record: every field it does not know is kept, for GET /_emulator/state to give back.</summary>
    public abstract class FleetRecord
    {
        [JsonExtensionData] public Dictionary<string, JsonElement> Extra { get; set; }
    }

    /// <summary>A fleet record that lives in one region (a field of the fleet file, never of Tencent's replies).</summary>
    public abstract class RegionalRecord : FleetRecord
    {
        [JsonPropertyOrder(-1)] public string Region { get; set; }
    }

    public sealed partial class RegionInfo : FleetRecord
    {
    }

    public sealed partial class ZoneInfo : RegionalRecord
    {
    }

    public sealed partial class Tag : FleetRecord
    {
    }

    public sealed partial class Placement : FleetRecord
    {
    }

    public sealed partial class VirtualPrivateCloud : FleetRecord
    {
    }

    public sealed partial class Instance : RegionalRecord
    {
    }

    public sealed partial class SecurityGroup : RegionalRecord
    {
        /// <summary>The group's rules: the emulator keeps them with the group; DescribeSecurityGroupPolicies serves them.</summary>
        [JsonPropertyOrder(1)] public SecurityGroupPolicySet SecurityGroupPolicySet { get; set; }

        internal SecurityGroup ShallowCopy() => (SecurityGroup)MemberwiseClone();
    }

    /// <summary>
    /// A group's rules. The emulator treats a published set as immutable: every write builds a new set, so
    /// readers serialise a consistent snapshot without holding the write lock.
    /// </summary>
    public sealed partial class SecurityGroupPolicySet : FleetRecord
    {
    }

    public sealed partial class ServiceTemplateSpecification : FleetRecord
    {
    }

    public sealed partial class AddressTemplateSpecification : FleetRecord
    {
    }

    /// <summary>A rule; in a fleet file PolicyIndex only orders the rules, on the wire it is always the position.</summary>
    public sealed partial class SecurityGroupPolicy : FleetRecord
    {

        public SecurityGroupPolicy Clone() => (SecurityGroupPolicy)MemberwiseClone();
    }

    public sealed partial class ServiceTemplate : RegionalRecord
    {
    }

    public sealed partial class ServiceTemplateGroup : RegionalRecord
    {
    }

    public sealed partial class AddressTemplate : RegionalRecord
    {
    }

    public sealed partial class AddressTemplateGroup : RegionalRecord
    {
    }
}
