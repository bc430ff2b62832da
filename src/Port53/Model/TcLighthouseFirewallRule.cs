using Port53.Analysis;
using Port53.Api.Models;

namespace Port53.Model
{
    /// <summary>
    /// One rule of a Lighthouse instance's firewall as Get-TcLighthouseFirewallRule emits it, in the console's terms
    /// and order (the first rule that matches decides). FirewallVersion is the firewall's when the rule was read, which
    /// a write must pass back.
    /// </summary>
    public sealed class TcLighthouseFirewallRule : ITcAccountObject
    {
        public string Region { get; set; }
        /// <summary>The account it was read from (or changed in); null when Port53 could not learn it.</summary>
        public long? AccountUin { get; set; }
        /// <summary>The session context it was read with: commands it is piped to act in that context.</summary>
        public string ContextName { get; set; }
        public string InstanceId { get; set; }
        /// <summary>The rule's place in the firewall, from 0 (the top, evaluated first).</summary>
        public int Position { get; set; }
        /// <summary>The console's application label (AppType), e.g. "Linux登录"; not part of what the rule matches.</summary>
        public string AppType { get; set; }
        /// <summary>TCP, UDP, ICMP, ICMPv6 or ALL.</summary>
        public string Protocol { get; set; }
        /// <summary>"ALL", "53", "50-60" or "53,80".</summary>
        public string Port { get; set; }
        /// <summary>CidrBlock or Ipv6CidrBlock; a rule naming neither admits 0.0.0.0/0, which is shown here.</summary>
        public string Source { get; set; }
        /// <summary>ACCEPT or DROP (a rule without one is an ACCEPT).</summary>
        public string Action { get; set; }
        public string Description { get; set; }
        /// <summary>True for a DROP rule Block-TcPort53 added (Unblock-TcPort53 removes these).</summary>
        public bool IsPort53Rule { get; set; }
        public long FirewallVersion { get; set; }

        /// <summary>The rule as the console lists it, e.g. "UDP 53 0.0.0.0/0 ACCEPT".</summary>
        public override string ToString() => (Protocol ?? "ALL") + " " + (Port ?? "ALL") + " " + Source + " " + Action;

        internal static TcLighthouseFirewallRule From(string region, string instanceId, long firewallVersion, FirewallRuleInfo rule, int position)
        {
            SecurityGroupPolicy policy = Firewalls.ToPolicy(rule);
            return new TcLighthouseFirewallRule
            {
                Region = region,
                InstanceId = instanceId,
                Position = position,
                AppType = Clean(rule.AppType),
                Protocol = TcSecurityGroupRule.NormaliseProtocol(rule.Protocol),
                Port = Clean(rule.Port),
                Source = Clean(rule.CidrBlock) ?? Clean(rule.Ipv6CidrBlock) ?? RuleLists.FirewallDefaultSource,
                Action = Clean(rule.Action)?.ToUpperInvariant() ?? "ACCEPT",
                Description = Clean(rule.FirewallRuleDescription),
                IsPort53Rule = Port53Rules.IsPort53Rule(policy, RuleListKind.Firewall),
                FirewallVersion = firewallVersion,
            };
        }

        private static string Clean(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
