using System.Collections.Generic;

// Wire models for Organization 2021-03-31 (cloud.tencent.com/document/api/850/67101, DescribeOrganizationMembers),
// named as Tencent names them. The reply counts in Total and lists in Items, not TotalCount and a *Set as the
// CVM and VPC actions do, and MemberUin is an integer on the wire. A member is also a fleet record of the emulator
// (partial, like the other records a fleet file holds; see README.md in this folder).
#if PORT53_EMULATOR
namespace Port53.Emulator.Model
#else
namespace Port53.Api.Models
#endif
{
    internal sealed class DescribeOrganizationMembersRequest
    {
        public long Offset { get; set; }
        public long Limit { get; set; }
    }

    sealed partial class OrganizationMember
    {
        public long MemberUin { get; set; }
        public string Name { get; set; }
        public string MemberType { get; set; }
        public long? NodeId { get; set; }
        public string NodeName { get; set; }
        public string PermissionStatus { get; set; }
        public string CreateTime { get; set; }
    }

    internal sealed class DescribeOrganizationMembersResponse : TcResponse
    {
        public long Total { get; set; }
        public List<OrganizationMember> Items { get; set; } = new List<OrganizationMember>();
    }
}
