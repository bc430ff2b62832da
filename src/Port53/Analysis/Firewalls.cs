using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Port53.Api.Models;

namespace Port53.Analysis
{
    /// <summary>
    /// A Lighthouse firewall in the analysis' terms: each rule as a policy of a <see cref="RuleListKind.Firewall"/> list
    /// (its fields as read, so that a rule written back is the rule that was there), and back to the shape the writes take.
    /// </summary>
    internal static class Firewalls
    {
        public static SecurityGroupPolicy ToPolicy(FirewallRuleInfo rule) => new SecurityGroupPolicy
        {
            Protocol = rule.Protocol,
            Port = rule.Port,
            CidrBlock = rule.CidrBlock,
            Ipv6CidrBlock = rule.Ipv6CidrBlock,
            Action = rule.Action,
            PolicyDescription = rule.FirewallRuleDescription,
        };

        /// <summary>A rule as ModifyFirewallRules takes it; a blank field is left out (Tencent reads a blank CidrBlock as malformed, a missing one as 0.0.0.0/0).</summary>
        public static FirewallRule ToWire(SecurityGroupPolicy policy) => new FirewallRule
        {
            Protocol = Blank(policy.Protocol),
            Port = Blank(policy.Port),
            CidrBlock = Blank(policy.CidrBlock),
            Ipv6CidrBlock = Blank(policy.Ipv6CidrBlock),
            Action = Blank(policy.Action),
            FirewallRuleDescription = Blank(policy.PolicyDescription),
        };

        /// <summary>The firewall of <paramref name="instanceId"/> at <paramref name="firewallVersion"/>, parsed for evaluation.</summary>
        public static ParsedGroup Parse(string instanceId, long firewallVersion, IEnumerable<FirewallRuleInfo> rules) =>
            ParsedGroup.Parse(new GroupPolicies(instanceId, firewallVersion.ToString(CultureInfo.InvariantCulture), rules.Select(ToPolicy).ToList(), RuleListKind.Firewall),
                TemplateCatalog.Empty);

        private static string Blank(string value) => string.IsNullOrWhiteSpace(value) ? null : value;
    }
}
