using System.Collections.Generic;

// Wire models for Lighthouse 2020-03-24 (轻量应用服务器), field names as Tencent's API pages name them
// (cloud.tencent.com/document/api/1207; e.g. DescribeFirewallRules, tencentcloud.com/document/api/1103/42511). The class names carry "Lighthouse"
// where CVM has a shape of the same name, so both services' models live in one namespace without ambiguity.
// Compiled into the module and the emulator (see README.md in this folder); the emulator adds its bookkeeping
// (Region, the firewall) to LighthouseInstance in a partial part of its own.
#if PORT53_EMULATOR
namespace Port53.Emulator.Model
#else
namespace Port53.Api.Models
#endif
{
    /// <summary>A region as Lighthouse's own DescribeRegions lists it.</summary>
    internal sealed class LighthouseRegionInfo
    {
        public string Region { get; set; }
        public string RegionName { get; set; }
        public string RegionState { get; set; }
        public bool? IsChinaMainland { get; set; }
    }

    /// <summary>One instance of DescribeInstances' InstanceSet; ids look like lhins-xxxxxxxx.</summary>
    sealed partial class LighthouseInstance
    {
        public string InstanceId { get; set; }
        public string InstanceName { get; set; }
        public string Zone { get; set; }
        /// <summary>PENDING, LAUNCH_FAILED, RUNNING, STOPPED, STARTING, STOPPING, REBOOTING, SHUTDOWN, TERMINATING, DELETING, FREEZING, ENTER_RESCUE_MODE, RESCUE_MODE, EXIT_RESCUE_MODE.</summary>
        public string InstanceState { get; set; }
        public string BundleId { get; set; }
        public string BlueprintId { get; set; }
        public string OsName { get; set; }
        public string CreatedTime { get; set; }
        public List<string> PrivateAddresses { get; set; } = new List<string>();
        public List<string> PublicAddresses { get; set; } = new List<string>();
        public List<string> PublicIpv6Addresses { get; set; } = new List<string>();
        public List<Tag> Tags { get; set; } = new List<Tag>();
    }

    /// <summary>
    /// One rule as Create/Delete/ModifyFirewallRules take it. CidrBlock and Ipv6CidrBlock exclude each other;
    /// neither means 0.0.0.0/0.
    /// </summary>
    partial class FirewallRule
    {
        /// <summary>TCP, UDP, ICMP, ICMPv6 or ALL.</summary>
        public string Protocol { get; set; }
        /// <summary>"ALL", "53", "53,80" or "50-60".</summary>
        public string Port { get; set; }
        public string CidrBlock { get; set; }
        public string Ipv6CidrBlock { get; set; }
        /// <summary>ACCEPT or DROP.</summary>
        public string Action { get; set; }
        public string FirewallRuleDescription { get; set; }
    }

    /// <summary>One rule as DescribeFirewallRules returns it, in the firewall's order (first match decides).</summary>
    sealed partial class FirewallRuleInfo : FirewallRule
    {
        /// <summary>The console's application label (e.g. "Custom", "HTTP(80)"); not part of a rule's identity.</summary>
        public string AppType { get; set; }
    }

    internal sealed class DescribeLighthouseRegionsRequest
    {
    }

    internal sealed class DescribeLighthouseRegionsResponse : TcResponse
    {
        public long TotalCount { get; set; }
        public List<LighthouseRegionInfo> RegionSet { get; set; } = new List<LighthouseRegionInfo>();
    }

    /// <summary>
    /// InstanceIds (at most 100) or Filters (instance-name, private-ip-address, public-ip-address, zone,
    /// instance-state, tag-key, tag-value, tag:&lt;key&gt;, bundle-id), not both; integer paging, Limit default 20, max 100.
    /// </summary>
    internal sealed class DescribeLighthouseInstancesRequest
    {
        public List<string> InstanceIds { get; set; } = new List<string>();
        public List<Filter> Filters { get; set; } = new List<Filter>();
        public long Offset { get; set; }
        public long Limit { get; set; }
    }

    internal sealed class DescribeLighthouseInstancesResponse : TcPagedResponse<LighthouseInstance>
    {
        public List<LighthouseInstance> InstanceSet { get; set; } = new List<LighthouseInstance>();
        public override List<LighthouseInstance> Items => InstanceSet;
    }

    /// <summary>One instance's firewall, paged by integers (Limit at most 100, a firewall's quota).</summary>
    internal sealed class DescribeFirewallRulesRequest
    {
        public string InstanceId { get; set; }
        public long Offset { get; set; }
        public long Limit { get; set; }
    }

    internal sealed class DescribeFirewallRulesResponse : TcPagedResponse<FirewallRuleInfo>
    {
        /// <summary>Increases by one on every change of the firewall; the writes' optimistic lock.</summary>
        public long FirewallVersion { get; set; }
        public List<FirewallRuleInfo> FirewallRuleSet { get; set; } = new List<FirewallRuleInfo>();
        public override List<FirewallRuleInfo> Items => FirewallRuleSet;
    }

    /// <summary>
    /// CreateFirewallRules (appends; no position), DeleteFirewallRules (by the rules' fields) and
    /// ModifyFirewallRules (replaces the whole list, at most 100 rules) share this shape; each replies with
    /// nothing but its RequestId (TcEmptyResponse). FirewallVersion left out skips the version check; a value
    /// other than the current one fails with UnsupportedOperation.FirewallVersionMismatch.
    /// </summary>
    internal sealed class FirewallRulesRequest
    {
        public string InstanceId { get; set; }
        public List<FirewallRule> FirewallRules { get; set; } = new List<FirewallRule>();
        public long? FirewallVersion { get; set; }
    }
}
