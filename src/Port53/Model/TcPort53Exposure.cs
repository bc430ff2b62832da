using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Port53.Analysis;
using Port53.Api.Models;
using Port53.Resources;

namespace Port53.Model
{
    /// <summary>The transport protocols DNS uses, as -Protocol takes them.</summary>
    public enum TcDnsProtocol
    {
        UDP,
        TCP,
    }

    /// <summary>The address families, as -AddressFamily takes them.</summary>
    public enum TcAddressFamily
    {
        IPv4,
        IPv6,
    }

    /// <summary>
    /// Whether one protocol and family of port 53 is reachable from the internet, and the rule that decided it:
    /// for an open verdict the first ACCEPT that matches some public address; for a closed one the DROP that
    /// denied the last public address, or no rule at all (Tencent denies what no rule matches).
    /// </summary>
    public sealed class TcPort53Verdict
    {
        public TcDnsProtocol Protocol { get; set; }
        public TcAddressFamily AddressFamily { get; set; }
        public bool Open { get; set; }
        /// <summary>True when no rule matched and Tencent's implicit deny decided.</summary>
        public bool NoRuleMatched { get; set; }
        /// <summary>The deciding rule's group, PolicyIndex and Action; null when no rule matched.</summary>
        public string SecurityGroupId { get; set; }
        /// <summary>For a Lighthouse instance: the instance whose firewall holds the deciding rule (PolicyIndex is then its position, from 0).</summary>
        public string Firewall { get; set; }
        public long? PolicyIndex { get; set; }
        public string Action { get; set; }
        /// <summary>The deciding rule as the console shows it, e.g. "UDP 53 0.0.0.0/0 ACCEPT".</summary>
        public string Rule { get; set; }
        /// <summary>False when a rule reached before the decision could not be fully understood (see Warnings).</summary>
        public bool IsCertain { get; set; } = true;
        public string[] Warnings { get; set; } = new string[0];

        /// <summary>
        /// "open: sg-1#0", "closed: sg-1#2" (a firewall's: "closed: lhins-1#2"), or "closed: no rule" when no rule matched: what the table view shows,
        /// short enough for four columns of it to fit a console.
        /// </summary>
        public override string ToString()
        {
            string by = NoRuleMatched ? Strings.Audit["VerdictNoRule"] : (SecurityGroupId ?? Firewall) + "#" + (PolicyIndex?.ToString(CultureInfo.InvariantCulture) ?? "?");
            string text = Strings.Audit.Format(Open ? "VerdictOpen" : "VerdictClosed", by);
            return IsCertain ? text : Strings.Audit.Format("VerdictUncertain", text);
        }

        internal static TcPort53Verdict From(ExposureVerdict verdict)
        {
            RuleReference rule = verdict.DecidingRule;
            return new TcPort53Verdict
            {
                Protocol = verdict.Protocol == DnsProtocol.Udp ? TcDnsProtocol.UDP : TcDnsProtocol.TCP,
                AddressFamily = verdict.Family == IpFamily.IPv4 ? TcAddressFamily.IPv4 : TcAddressFamily.IPv6,
                Open = verdict.Open,
                NoRuleMatched = rule == null,
                SecurityGroupId = rule?.Kind == RuleListKind.SecurityGroup ? rule.GroupId : null,
                Firewall = rule?.Kind == RuleListKind.Firewall ? rule.GroupId : null,
                PolicyIndex = rule == null ? (long?)null : rule.PolicyIndex ?? rule.Position,
                Action = rule?.Policy?.Action?.Trim().ToUpperInvariant(),
                Rule = rule == null ? null : Describe(rule.Policy),
                IsCertain = verdict.IsCertain,
                Warnings = verdict.Warnings.Select(WarningText).ToArray(),
            };
        }

        /// <summary>A rule in the console's words: protocol, port or service template, source, action.</summary>
        internal static string Describe(SecurityGroupPolicy p) => TcSecurityGroupRule.Text(p);

        /// <summary>What a warning means for the user: the rule, what is unclear about it, and that verdicts it reaches are uncertain.</summary>
        internal static string WarningText(EvaluationWarning w)
        {
            string rule = (w.PolicyIndex ?? w.Position).ToString(CultureInfo.InvariantCulture);
            string what = Strings.Audit.Format("Warning" + w.Kind, w.TemplateId, w.Detail);
            return Strings.Audit.Format("UncertainRule", w.GroupId, rule, what);
        }
    }

    /// <summary>
    /// Test-TcPort53's answer for one target (an instance, evaluated over its groups in binding order; a Lighthouse
    /// instance, over its firewall; or one security group on its own): whether port 53 is reachable from the internet, per protocol and family,
    /// and why. Region, InstanceId and SecurityGroupIds bind by property name to Block-TcPort53.
    /// </summary>
    public sealed class TcPort53Exposure : ITcAccountObject
    {
        public string Region { get; set; }
        /// <summary>The account it was read from (or changed in); null when Port53 could not learn it.</summary>
        public long? AccountUin { get; set; }
        /// <summary>The session context it was read with: commands it is piped to act in that context.</summary>
        public string ContextName { get; set; }
        /// <summary>The instance tested; null when a security group was tested on its own.</summary>
        public string InstanceId { get; set; }
        public string InstanceName { get; set; }
        /// <summary>The group tested on its own; null for an instance.</summary>
        public string SecurityGroupId { get; set; }
        /// <summary>The groups evaluated, in binding order (for a group target, just that group).</summary>
        public string[] SecurityGroupIds { get; set; } = new string[0];

        /// <summary>True when any protocol and family tested is open to the internet by the rules.</summary>
        public bool Exposed { get; set; }
        /// <summary>Whether the instance has a public IPv4 or an IPv6 address now; null for a group target.
        /// Rules that admit port 53 are reported as Exposed either way: an address can be bound at any time.</summary>
        public bool? HasPublicAddress { get; set; }
        public string[] PublicIpAddresses { get; set; } = new string[0];
        public string[] Ipv6Addresses { get; set; } = new string[0];

        /// <summary>The four verdicts; null for a protocol or family that -Protocol / -AddressFamily left out.</summary>
        public TcPort53Verdict UdpIPv4 { get; set; }
        public TcPort53Verdict TcpIPv4 { get; set; }
        public TcPort53Verdict UdpIPv6 { get; set; }
        public TcPort53Verdict TcpIPv6 { get; set; }

        /// <summary>The verdicts tested, in the order UDP/IPv4, TCP/IPv4, UDP/IPv6, TCP/IPv6.</summary>
        public TcPort53Verdict[] Verdicts => new[] { UdpIPv4, TcpIPv4, UdpIPv6, TcpIPv6 }.Where(v => v != null).ToArray();

        /// <summary>True when every verdict tested rests on rules that were fully understood.</summary>
        public bool IsCertain => Verdicts.All(v => v.IsCertain);

        /// <summary>For a Lighthouse instance: the FirewallVersion its firewall was read at; null otherwise.</summary>
        public long? FirewallVersion { get; set; }

        /// <summary>The group Versions the verdicts were computed from (group id → Version), for change records.</summary>
        public Dictionary<string, string> Versions { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        public DateTime TestedAt { get; set; }

        public override string ToString() => Strings.Audit.Format(Exposed ? "ExposureExposed" : "ExposureClosed", InstanceId ?? SecurityGroupId);

        /// <summary>
        /// The exposure object for a result. <paramref name="keys"/> are the protocol/family pairs that were
        /// asked about; the others stay null and do not count towards Exposed.
        /// </summary>
        internal static TcPort53Exposure From(ExposureResult result, IReadOnlyCollection<ExposureKey> keys, DateTime testedAt)
        {
            var exposure = new TcPort53Exposure { TestedAt = testedAt };
            foreach (ExposureKey key in keys)
            {
                TcPort53Verdict v = TcPort53Verdict.From(result[key]);
                if (key.Equals(ExposureKey.UdpV4)) exposure.UdpIPv4 = v;
                else if (key.Equals(ExposureKey.TcpV4)) exposure.TcpIPv4 = v;
                else if (key.Equals(ExposureKey.UdpV6)) exposure.UdpIPv6 = v;
                else exposure.TcpIPv6 = v;
                exposure.Exposed |= v.Open;
            }
            return exposure;
        }

        /// <summary>The instance as it was tested: its region, groups in binding order and addresses, for testing it again.</summary>
        internal TcInstance ToInstance() => new TcInstance
        {
            Region = Region,
            InstanceId = InstanceId,
            InstanceName = InstanceName,
            SecurityGroupIds = SecurityGroupIds ?? new string[0],
            PublicIpAddresses = PublicIpAddresses ?? new string[0],
            Ipv6Addresses = Ipv6Addresses ?? new string[0],
            AccountUin = AccountUin,
            ContextName = ContextName,
        };

        /// <summary>The keys -Protocol and -AddressFamily select (null = both), in report order.</summary>
        internal static IReadOnlyList<ExposureKey> Keys(TcDnsProtocol[] protocols, TcAddressFamily[] families) =>
            ExposureKey.All.Where(k =>
                (protocols == null || protocols.Contains(k.Protocol == DnsProtocol.Udp ? TcDnsProtocol.UDP : TcDnsProtocol.TCP)) &&
                (families == null || families.Contains(k.Family == IpFamily.IPv4 ? TcAddressFamily.IPv4 : TcAddressFamily.IPv6))).ToList();
    }
}
