using System.Collections.Generic;

// Wire models for VPC 2017-03-12 security groups and templates, named as Tencent names them. Compiled into the
// module and the emulator (see README.md in this folder), like CvmModels.cs.
#if PORT53_EMULATOR
namespace Port53.Emulator.Model
#else
namespace Port53.Api.Models
#endif
{
    sealed partial class SecurityGroup
    {
        public string SecurityGroupId { get; set; }
        public string SecurityGroupName { get; set; }
        public string SecurityGroupDesc { get; set; }
        public string ProjectId { get; set; }
        public bool IsDefault { get; set; }
        public string CreatedTime { get; set; }
        public string UpdateTime { get; set; }
        public List<Tag> TagSet { get; set; } = new List<Tag>();
    }

    sealed partial class ServiceTemplateSpecification
    {
        public string ServiceId { get; set; }
        public string ServiceGroupId { get; set; }
    }

    sealed partial class AddressTemplateSpecification
    {
        public string AddressId { get; set; }
        public string AddressGroupId { get; set; }
    }

    /// <summary>One security-group rule ("policy") as DescribeSecurityGroupPolicies returns it.</summary>
    sealed partial class SecurityGroupPolicy
    {
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
    }

    sealed partial class SecurityGroupPolicySet
    {
        public string Version { get; set; }
        public List<SecurityGroupPolicy> Ingress { get; set; } = new List<SecurityGroupPolicy>();
        public List<SecurityGroupPolicy> Egress { get; set; } = new List<SecurityGroupPolicy>();
    }

    sealed partial class ServiceTemplate
    {
        public string ServiceTemplateId { get; set; }
        public string ServiceTemplateName { get; set; }
        public List<string> ServiceSet { get; set; } = new List<string>();
        public string CreatedTime { get; set; }
    }

    sealed partial class ServiceTemplateGroup
    {
        public string ServiceTemplateGroupId { get; set; }
        public string ServiceTemplateGroupName { get; set; }
        public List<string> ServiceTemplateIdSet { get; set; } = new List<string>();
        public string CreatedTime { get; set; }
    }

    sealed partial class AddressTemplate
    {
        public string AddressTemplateId { get; set; }
        public string AddressTemplateName { get; set; }
        public List<string> AddressSet { get; set; } = new List<string>();
        public string CreatedTime { get; set; }
    }

    sealed partial class AddressTemplateGroup
    {
        public string AddressTemplateGroupId { get; set; }
        public string AddressTemplateGroupName { get; set; }
        public List<string> AddressTemplateIdSet { get; set; } = new List<string>();
        public string CreatedTime { get; set; }
    }

    internal sealed class DescribeSecurityGroupsResponse : TcPagedResponse<SecurityGroup>
    {
        public List<SecurityGroup> SecurityGroupSet { get; set; } = new List<SecurityGroup>();
        public override List<SecurityGroup> Items => SecurityGroupSet;
    }

    internal sealed class DescribeSecurityGroupPoliciesResponse : TcResponse
    {
        public SecurityGroupPolicySet SecurityGroupPolicySet { get; set; }
    }

    internal sealed class DescribeServiceTemplatesResponse : TcPagedResponse<ServiceTemplate>
    {
        public List<ServiceTemplate> ServiceTemplateSet { get; set; } = new List<ServiceTemplate>();
        public override List<ServiceTemplate> Items => ServiceTemplateSet;
    }

    internal sealed class DescribeServiceTemplateGroupsResponse : TcPagedResponse<ServiceTemplateGroup>
    {
        public List<ServiceTemplateGroup> ServiceTemplateGroupSet { get; set; } = new List<ServiceTemplateGroup>();
        public override List<ServiceTemplateGroup> Items => ServiceTemplateGroupSet;
    }

    internal sealed class DescribeAddressTemplatesResponse : TcPagedResponse<AddressTemplate>
    {
        public List<AddressTemplate> AddressTemplateSet { get; set; } = new List<AddressTemplate>();
        public override List<AddressTemplate> Items => AddressTemplateSet;
    }

    internal sealed class DescribeAddressTemplateGroupsResponse : TcPagedResponse<AddressTemplateGroup>
    {
        public List<AddressTemplateGroup> AddressTemplateGroupSet { get; set; } = new List<AddressTemplateGroup>();
        public override List<AddressTemplateGroup> Items => AddressTemplateGroupSet;
    }

    /// <summary>The Describe requests VPC pages; VPC takes Offset and Limit as strings.</summary>
    internal sealed class DescribeSecurityGroupsRequest
    {
        public List<string> SecurityGroupIds { get; set; } = new List<string>();
        public List<Filter> Filters { get; set; } = new List<Filter>();
        public string Offset { get; set; }
        public string Limit { get; set; }
    }

    internal sealed class DescribeSecurityGroupPoliciesRequest
    {
        public string SecurityGroupId { get; set; }
    }

    /// <summary>CreateSecurityGroupPolicies and DeleteSecurityGroupPolicies share this shape.</summary>
    internal sealed class SecurityGroupPoliciesRequest
    {
        public string SecurityGroupId { get; set; }
        public SecurityGroupPolicySet SecurityGroupPolicySet { get; set; }
    }

    /// <summary>DescribeServiceTemplates/Groups and DescribeAddressTemplates/Groups: filters plus string paging.</summary>
    internal sealed class DescribeTemplatesRequest
    {
        public List<Filter> Filters { get; set; } = new List<Filter>();
        public string Offset { get; set; }
        public string Limit { get; set; }
    }
}
