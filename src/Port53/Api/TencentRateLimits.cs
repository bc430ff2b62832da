using System;
using System.Collections.Generic;

namespace Port53.Api
{
    /// <summary>
    /// Tencent's published per-action API rate limits (requests per second), as each action's API page states them
    /// (e.g. DescribeInstances, cloud.tencent.com/document/api/213/15728: 40/s; security-group actions, product 215: 100/s). Linked into the
    /// emulator as source, like Tc3Signer, so the client's pacing and the emulator's enforcement share one table.
    /// Keys are <see cref="Key"/>s: CVM's and VPC's action names are unique across both and stand alone; other
    /// services' actions carry the service, because Lighthouse also has a DescribeRegions and a DescribeInstances.
    /// </summary>
    internal static class TencentRateLimits
    {
        public static readonly IReadOnlyDictionary<string, int> Published = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["DescribeRegions"] = 20,
            ["DescribeZones"] = 20,
            ["DescribeInstances"] = 40,
            ["DescribeSecurityGroups"] = 100,
            ["DescribeSecurityGroupPolicies"] = 100,
            ["CreateSecurityGroupPolicies"] = 100,
            ["DeleteSecurityGroupPolicies"] = 100,
            ["ReplaceSecurityGroupPolicies"] = 20,
            ["ModifySecurityGroupPolicies"] = 50,
            ["DescribeServiceTemplates"] = 100,
            ["DescribeServiceTemplateGroups"] = 100,
            ["DescribeAddressTemplates"] = 100,
            ["DescribeAddressTemplateGroups"] = 100,
            // Lighthouse 2020-03-24, product 1207 (tencentcloud.com/document/api/1103: DescribeFirewallRules 10/s, ...).
            ["lighthouse.DescribeRegions"] = 10,
            ["lighthouse.DescribeInstances"] = 100,
            ["lighthouse.DescribeFirewallRules"] = 10,
            ["lighthouse.CreateFirewallRules"] = 10,
            ["lighthouse.DeleteFirewallRules"] = 10,
            ["lighthouse.ModifyFirewallRules"] = 20,
            // STS 2018-08-13, product 1312 (AssumeRole, cloud.tencent.com/document/api/1312/48197: 600/s; GetCallerIdentity, /66098: 20/s).
            ["sts.AssumeRole"] = 600,
            ["sts.GetCallerIdentity"] = 20,
        };

        /// <summary>The limit assumed for an action the table does not name.</summary>
        public const int UnknownAction = 20;

        /// <summary>The table's key of an action of a service: the bare action for cvm and vpc, "service.Action" otherwise.</summary>
        public static string Key(string service, string action) =>
            service == null || service == "cvm" || service == "vpc" ? action : service + "." + action;

        public static int For(string service, string action) => For(Key(service, action));

        /// <param name="action">A <see cref="Key"/>.</param>
        public static int For(string action) => action != null && Published.TryGetValue(action, out int limit) ? limit : UnknownAction;
    }
}
