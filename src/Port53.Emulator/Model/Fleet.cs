using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

// The fleet file: Tencent's own record shapes (as the Describe* actions return them) plus `Region` where a
// record lives in a region. Every record keeps fields it does not know in Extra, so a fleet file taken from a
// real account (or written by a newer tool) round-trips through GET /_emulator/state unchanged.
namespace Port53.Emulator.Model
{
    public sealed class Fleet
    {
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
        [JsonExtensionData] public Dictionary<string, JsonElement> Extra { get; set; }
    }

    public sealed class Credential
    {
        public string SecretId { get; set; }
        public string SecretKey { get; set; }
        /// <summary>When set, requests signed with this key must carry it in X-TC-Token.</summary>
        public string Token { get; set; }
    }

    public sealed class RegionInfo
    {
        public string Region { get; set; }
        public string RegionName { get; set; }
        public string RegionState { get; set; }
        [JsonExtensionData] public Dictionary<string, JsonElement> Extra { get; set; }
    }

    public sealed class ZoneInfo
    {
        public string Region { get; set; }
        public string Zone { get; set; }
        public string ZoneName { get; set; }
        public string ZoneId { get; set; }
        public string ZoneState { get; set; }
        [JsonExtensionData] public Dictionary<string, JsonElement> Extra { get; set; }
    }

    public sealed partial class Tag
    {
        [JsonExtensionData] public Dictionary<string, JsonElement> Extra { get; set; }
    }

    public sealed class Placement
    {
        public string Zone { get; set; }
        public long? ProjectId { get; set; }
        [JsonExtensionData] public Dictionary<string, JsonElement> Extra { get; set; }
    }

    public sealed class VirtualPrivateCloud
    {
        public string VpcId { get; set; }
        public string SubnetId { get; set; }
        [JsonExtensionData] public Dictionary<string, JsonElement> Extra { get; set; }
    }

    public sealed class Instance
    {
        public string Region { get; set; }
        public string InstanceId { get; set; }
        public string InstanceName { get; set; }
        public string InstanceState { get; set; }
        public string InstanceType { get; set; }
        public string OsName { get; set; }
        public string CreatedTime { get; set; }
        public Placement Placement { get; set; }
        public List<string> PrivateIpAddresses { get; set; }
        public List<string> PublicIpAddresses { get; set; }
        public List<string> IPv6Addresses { get; set; }
        public List<string> SecurityGroupIds { get; set; }
        public VirtualPrivateCloud VirtualPrivateCloud { get; set; }
        public List<Tag> Tags { get; set; }
        [JsonExtensionData] public Dictionary<string, JsonElement> Extra { get; set; }
    }

    public sealed class SecurityGroup
    {
        public string Region { get; set; }
        public string SecurityGroupId { get; set; }
        public string SecurityGroupName { get; set; }
        public string SecurityGroupDesc { get; set; }
        public string ProjectId { get; set; }
        public bool IsDefault { get; set; }
        public string CreatedTime { get; set; }
        public string UpdateTime { get; set; }
        public List<Tag> TagSet { get; set; }
        public SecurityGroupPolicySet SecurityGroupPolicySet { get; set; }
        [JsonExtensionData] public Dictionary<string, JsonElement> Extra { get; set; }

        internal SecurityGroup ShallowCopy() => (SecurityGroup)MemberwiseClone();
    }

    /// <summary>
    /// A group's rules. The emulator treats a published set as immutable: every write builds a new set, so
    /// readers serialise a consistent snapshot without holding the write lock.
    /// </summary>
    public sealed class SecurityGroupPolicySet
    {
        public string Version { get; set; }
        public List<SecurityGroupPolicy> Ingress { get; set; }
        public List<SecurityGroupPolicy> Egress { get; set; }
        [JsonExtensionData] public Dictionary<string, JsonElement> Extra { get; set; }
    }

    public sealed class ServiceTemplateSpecification
    {
        public string ServiceId { get; set; }
        public string ServiceGroupId { get; set; }
        [JsonExtensionData] public Dictionary<string, JsonElement> Extra { get; set; }
    }

    public sealed class AddressTemplateSpecification
    {
        public string AddressId { get; set; }
        public string AddressGroupId { get; set; }
        [JsonExtensionData] public Dictionary<string, JsonElement> Extra { get; set; }
    }

    public sealed class SecurityGroupPolicy
    {
        /// <summary>In a fleet file only orders the rules; on the wire it is always the position.</summary>
        public long? PolicyIndex { get; set; }
        public string Protocol { get; set; }
        public string Port { get; set; }
        public ServiceTemplateSpecification ServiceTemplate { get; set; }
        public string CidrBlock { get; set; }
        public string Ipv6CidrBlock { get; set; }
        public string SecurityGroupId { get; set; }
        public AddressTemplateSpecification AddressTemplate { get; set; }
        public string Action { get; set; }
        public string PolicyDescription { get; set; }
        public string ModifyTime { get; set; }
        [JsonExtensionData] public Dictionary<string, JsonElement> Extra { get; set; }

        public SecurityGroupPolicy Clone() => (SecurityGroupPolicy)MemberwiseClone();
    }

    public sealed class ServiceTemplate
    {
        public string Region { get; set; }
        public string ServiceTemplateId { get; set; }
        public string ServiceTemplateName { get; set; }
        public List<string> ServiceSet { get; set; }
        public string CreatedTime { get; set; }
        [JsonExtensionData] public Dictionary<string, JsonElement> Extra { get; set; }
    }

    public sealed class ServiceTemplateGroup
    {
        public string Region { get; set; }
        public string ServiceTemplateGroupId { get; set; }
        public string ServiceTemplateGroupName { get; set; }
        public List<string> ServiceTemplateIdSet { get; set; }
        public string CreatedTime { get; set; }
        [JsonExtensionData] public Dictionary<string, JsonElement> Extra { get; set; }
    }

    public sealed class AddressTemplate
    {
        public string Region { get; set; }
        public string AddressTemplateId { get; set; }
        public string AddressTemplateName { get; set; }
        public List<string> AddressSet { get; set; }
        public string CreatedTime { get; set; }
        [JsonExtensionData] public Dictionary<string, JsonElement> Extra { get; set; }
    }

    public sealed class AddressTemplateGroup
    {
        public string Region { get; set; }
        public string AddressTemplateGroupId { get; set; }
        public string AddressTemplateGroupName { get; set; }
        public List<string> AddressTemplateIdSet { get; set; }
        public string CreatedTime { get; set; }
        [JsonExtensionData] public Dictionary<string, JsonElement> Extra { get; set; }
    }
}
