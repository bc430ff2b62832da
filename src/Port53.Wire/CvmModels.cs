using System.Collections.Generic;

// Wire models for CVM 2017-03-12, named as Tencent names them. Newtonsoft matches JSON keys
// case-insensitively, so lowercase keys from proxies or older endpoints still bind; every collection
// may arrive as null and consumers must treat null as empty. Compiled into the module and the emulator (see
// README.md in this folder): the records a fleet file holds are partial, the emulator adds its bookkeeping.
#if PORT53_EMULATOR
namespace Port53.Emulator.Model
#else
namespace Port53.Api.Models
#endif
{
    sealed partial class RegionInfo
    {
        public string Region { get; set; }
        public string RegionName { get; set; }
        public string RegionState { get; set; }
    }

    sealed partial class ZoneInfo
    {
        public string Zone { get; set; }
        public string ZoneName { get; set; }
        public string ZoneId { get; set; }
        public string ZoneState { get; set; }
    }

    sealed partial class Placement
    {
        public string Zone { get; set; }
        public long? ProjectId { get; set; }
    }

    sealed partial class VirtualPrivateCloud
    {
        public string VpcId { get; set; }
        public string SubnetId { get; set; }
    }

    sealed partial class Instance
    {
        public string InstanceId { get; set; }
        public string InstanceName { get; set; }
        public string InstanceState { get; set; }
        public string InstanceType { get; set; }
        public string OsName { get; set; }
        public string CreatedTime { get; set; }
        public Placement Placement { get; set; }
        public List<string> PrivateIpAddresses { get; set; } = new List<string>();
        public List<string> PublicIpAddresses { get; set; } = new List<string>();
        public List<string> IPv6Addresses { get; set; } = new List<string>();
        public List<string> SecurityGroupIds { get; set; } = new List<string>();
        public VirtualPrivateCloud VirtualPrivateCloud { get; set; }
        public List<Tag> Tags { get; set; } = new List<Tag>();
    }

    internal sealed class DescribeRegionsRequest
    {
    }

    internal sealed class DescribeInstancesRequest
    {
        public List<string> InstanceIds { get; set; } = new List<string>();
        public List<Filter> Filters { get; set; } = new List<Filter>();
        /// <summary>CVM pages with integers.</summary>
        public long Offset { get; set; }
        public long Limit { get; set; }
    }

    internal sealed class DescribeRegionsResponse : TcResponse
    {
        public long TotalCount { get; set; }
        public List<RegionInfo> RegionSet { get; set; } = new List<RegionInfo>();
    }

    internal sealed class DescribeZonesResponse : TcResponse
    {
        public long TotalCount { get; set; }
        public List<ZoneInfo> ZoneSet { get; set; } = new List<ZoneInfo>();
    }

    internal sealed class DescribeInstancesResponse : TcPagedResponse<Instance>
    {
        public List<Instance> InstanceSet { get; set; } = new List<Instance>();
        public override List<Instance> Items => InstanceSet;
    }
}
