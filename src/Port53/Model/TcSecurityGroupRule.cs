using System;
using System.Globalization;
using Port53.Api.Models;

namespace Port53.Model
{
    /// <summary>Which traffic a rule governs, as -Direction takes it.</summary>
    public enum TcRuleDirection
    {
        Ingress,
        Egress,
    }

    /// <summary>What a rule's Source names (for an Egress rule: its destination).</summary>
    public enum TcRuleSourceKind
    {
        /// <summary>An IPv4 address or CIDR block (CidrBlock).</summary>
        Cidr,
        /// <summary>An IPv6 address or CIDR block (Ipv6CidrBlock).</summary>
        Ipv6Cidr,
        /// <summary>The members of another security group (SecurityGroupId); never the internet.</summary>
        SecurityGroup,
        /// <summary>An address template, ipm-… (AddressTemplate.AddressId).</summary>
        AddressTemplate,
        /// <summary>An address template group, ipmg-… (AddressTemplate.AddressGroupId).</summary>
        AddressTemplateGroup,
    }

    /// <summary>
    /// One security-group rule as Get-TcSecurityGroupRule emits it, in the console's terms. Version is the
    /// group's Version when the rule was read, which a write must pass back. From an instance, InstanceId and
    /// BindingPosition say which instance binds the group and where in its binding order.
    /// </summary>
    public sealed class TcSecurityGroupRule : ITcAccountObject
    {
        public string Region { get; set; }
        /// <summary>The account it was read from (or changed in); null when Port53 could not learn it.</summary>
        public long? AccountUin { get; set; }
        /// <summary>The session context it was read with: commands it is piped to act in that context.</summary>
        public string ContextName { get; set; }
        public string SecurityGroupId { get; set; }
        public TcRuleDirection Direction { get; set; }
        /// <summary>The rule's place in its group and direction, from 0 (the top, evaluated first).</summary>
        public long PolicyIndex { get; set; }
        /// <summary>TCP, UDP, ICMP, ICMPv6, GRE or ALL in Tencent's spelling, whatever case the API returned; null when a service template is used.</summary>
        public string Protocol { get; set; }
        /// <summary>"ALL", "53", "50-60" or "53,80"; null when a service template is used.</summary>
        public string Port { get; set; }
        /// <summary>The service template (ppm-…) or service template group (ppmg-…) used instead of Protocol and Port.</summary>
        public string ServiceTemplate { get; set; }
        /// <summary>The CIDR block, source group id or address template id; for Egress, the destination.</summary>
        public string Source { get; set; }
        public TcRuleSourceKind? SourceKind { get; set; }
        /// <summary>ACCEPT or DROP.</summary>
        public string Action { get; set; }
        public string Description { get; set; }
        /// <summary>UTC.</summary>
        public DateTime? ModifyTime { get; set; }
        /// <summary>The group's Version the rule was read at.</summary>
        public string Version { get; set; }
        /// <summary>The instance the rule was listed for; null when the group was asked for directly.</summary>
        public string InstanceId { get; set; }
        /// <summary>The group's position in the instance's SecurityGroupIds (0 = evaluated first); null without an instance.</summary>
        public int? BindingPosition { get; set; }

        /// <summary>The rule as the console lists it, e.g. "UDP 53 0.0.0.0/0 ACCEPT".</summary>
        public override string ToString() => Text(Protocol, Port, ServiceTemplate, Source, Action);

        internal static TcSecurityGroupRule From(string region, string securityGroupId, string version, TcRuleDirection direction,
            SecurityGroupPolicy policy, int position)
        {
            (string source, TcRuleSourceKind? kind) = SourceOf(policy);
            return new TcSecurityGroupRule
            {
                Region = region,
                SecurityGroupId = securityGroupId,
                Direction = direction,
                PolicyIndex = policy.PolicyIndex ?? position,
                Protocol = NormaliseProtocol(policy.Protocol),
                Port = Clean(policy.Port),
                ServiceTemplate = ServiceOf(policy),
                Source = source,
                SourceKind = kind,
                Action = Clean(policy.Action)?.ToUpperInvariant(),
                Description = Clean(policy.PolicyDescription),
                ModifyTime = TcTime.Parse(policy.ModifyTime),
                Version = version,
            };
        }

        /// <summary>A rule in the console's words: protocol and port or service template, source, action.</summary>
        internal static string Text(SecurityGroupPolicy policy) =>
            Text(NormaliseProtocol(policy.Protocol), Clean(policy.Port), ServiceOf(policy), SourceOf(policy).Source, Clean(policy.Action)?.ToUpperInvariant());

        private static string Text(string protocol, string port, string service, string source, string action) =>
            (service ?? ((protocol ?? "ALL") + " " + (port ?? "ALL"))) + " " + (source ?? "?") + " " + (action ?? "?");

        private static readonly string[] KnownProtocols = { "TCP", "UDP", "ICMP", "ICMPv6", "GRE", "ALL" };

        /// <summary>Tencent's own spelling of a protocol it documents (the API may return "udp" or "all"); others upper-cased.</summary>
        internal static string NormaliseProtocol(string protocol)
        {
            string p = Clean(protocol);
            if (p == null) return null;
            foreach (string known in KnownProtocols)
            {
                if (string.Equals(known, p, StringComparison.OrdinalIgnoreCase)) return known;
            }
            return p.ToUpper(CultureInfo.InvariantCulture);
        }

        private static string ServiceOf(SecurityGroupPolicy p) => Clean(p.ServiceTemplate?.ServiceId) ?? Clean(p.ServiceTemplate?.ServiceGroupId);

        private static (string Source, TcRuleSourceKind? Kind) SourceOf(SecurityGroupPolicy p)
        {
            if (Clean(p.CidrBlock) is string v4) return (v4, TcRuleSourceKind.Cidr);
            if (Clean(p.Ipv6CidrBlock) is string v6) return (v6, TcRuleSourceKind.Ipv6Cidr);
            if (Clean(p.SecurityGroupId) is string group) return (group, TcRuleSourceKind.SecurityGroup);
            if (Clean(p.AddressTemplate?.AddressId) is string address) return (address, TcRuleSourceKind.AddressTemplate);
            if (Clean(p.AddressTemplate?.AddressGroupId) is string addressGroup) return (addressGroup, TcRuleSourceKind.AddressTemplateGroup);
            return (null, null);
        }

        private static string Clean(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
