using System;
using System.Collections.Generic;
using Port53.Api.Models;

namespace Port53.Analysis
{
    /// <summary>The two transport protocols DNS uses.</summary>
    internal enum DnsProtocol
    {
        Udp = 0,
        Tcp = 1,
    }

    internal enum RuleAction
    {
        Unknown = 0,
        Accept = 1,
        Drop = 2,
    }

    /// <summary>One of the four questions: (UDP|TCP) × (IPv4|IPv6).</summary>
    internal readonly struct ExposureKey : IEquatable<ExposureKey>
    {
        public static readonly ExposureKey UdpV4 = new ExposureKey(DnsProtocol.Udp, IpFamily.IPv4);
        public static readonly ExposureKey TcpV4 = new ExposureKey(DnsProtocol.Tcp, IpFamily.IPv4);
        public static readonly ExposureKey UdpV6 = new ExposureKey(DnsProtocol.Udp, IpFamily.IPv6);
        public static readonly ExposureKey TcpV6 = new ExposureKey(DnsProtocol.Tcp, IpFamily.IPv6);

        /// <summary>All four, in report order: UDP/IPv4, TCP/IPv4, UDP/IPv6, TCP/IPv6.</summary>
        public static readonly IReadOnlyList<ExposureKey> All = new[] { UdpV4, TcpV4, UdpV6, TcpV6 };

        public ExposureKey(DnsProtocol protocol, IpFamily family)
        {
            Protocol = protocol;
            Family = family;
        }

        public DnsProtocol Protocol { get; }
        public IpFamily Family { get; }

        /// <summary>0..3 in report order; used to index per-key arrays and bit masks.</summary>
        internal int Index => ((int)Family << 1) | (int)Protocol;

        public bool Equals(ExposureKey other) => Protocol == other.Protocol && Family == other.Family;
        public override bool Equals(object obj) => obj is ExposureKey k && Equals(k);
        public override int GetHashCode() => Index;
        public override string ToString() => (Protocol == DnsProtocol.Udp ? "UDP" : "TCP") + "/" + Family;
    }

    /// <summary>A rule as it takes part in evaluation: where it lives and what it says.</summary>
    internal sealed class RuleReference
    {
        public RuleReference(string groupId, string groupVersion, long? policyIndex, int position, RuleAction action, SecurityGroupPolicy policy,
            RuleListKind kind = RuleListKind.SecurityGroup)
        {
            Kind = kind;
            GroupId = groupId;
            GroupVersion = groupVersion;
            PolicyIndex = policyIndex;
            Position = position;
            Action = action;
            Policy = policy;
        }

        /// <summary>The security group's id, or for a firewall the Lighthouse instance's.</summary>
        public string GroupId { get; }
        public string GroupVersion { get; }
        public RuleListKind Kind { get; }
        /// <summary>PolicyIndex as Tencent returned it; null when it had none.</summary>
        public long? PolicyIndex { get; }
        /// <summary>0-based position in the group's evaluation order.</summary>
        public int Position { get; }
        public RuleAction Action { get; }
        public SecurityGroupPolicy Policy { get; }

        public override string ToString() => GroupId + "#" + (PolicyIndex.HasValue ? PolicyIndex.Value : Position) + " " + Action;
    }

    /// <summary>The answer to one question: is port 53 reachable from some public address, and which rule said so.</summary>
    internal sealed class ExposureVerdict
    {
        private static readonly EvaluationWarning[] NoWarnings = new EvaluationWarning[0];

        public ExposureVerdict(ExposureKey key, bool open, RuleReference decidingRule, IReadOnlyList<EvaluationWarning> warnings)
        {
            if (open && decidingRule == null) throw new ArgumentException("An open verdict always has a deciding rule.", nameof(decidingRule));
            Key = key;
            Open = open;
            DecidingRule = decidingRule;
            Warnings = warnings ?? NoWarnings;
        }

        public ExposureKey Key { get; }
        public DnsProtocol Protocol => Key.Protocol;
        public IpFamily Family => Key.Family;

        /// <summary>True when some public address's first matching rule for this protocol and port 53 is ACCEPT.</summary>
        public bool Open { get; }

        /// <summary>
        /// Open: the first ACCEPT that is the first match for some public address. Closed: the DROP that denied the
        /// last still-undecided public address. Null when closed because some public addresses match no rule.
        /// </summary>
        public RuleReference DecidingRule { get; }

        public bool NoRuleMatched => DecidingRule == null;

        /// <summary>Problems with rules reached before the verdict was decided that could have changed it.</summary>
        public IReadOnlyList<EvaluationWarning> Warnings { get; }

        /// <summary>False when a reached rule could not be fully understood; the verdict then rests on the known parts.</summary>
        public bool IsCertain => Warnings.Count == 0;

        public override string ToString() => Key + ": " + (Open ? "open" : "closed") + " by " + (DecidingRule?.ToString() ?? "no rule");
    }

    /// <summary>The four verdicts for one target (an instance's bound groups, in binding order).</summary>
    internal sealed class ExposureResult
    {
        private readonly ExposureVerdict[] _verdicts;

        public ExposureResult(ExposureVerdict udpV4, ExposureVerdict tcpV4, ExposureVerdict udpV6, ExposureVerdict tcpV6)
        {
            _verdicts = new[] { udpV4, tcpV4, udpV6, tcpV6 };
            for (int i = 0; i < 4; i++)
            {
                if (_verdicts[i] == null || _verdicts[i].Key.Index != i) throw new ArgumentException("Verdicts must be given in report order.");
            }
        }

        public ExposureVerdict UdpV4 => _verdicts[0];
        public ExposureVerdict TcpV4 => _verdicts[1];
        public ExposureVerdict UdpV6 => _verdicts[2];
        public ExposureVerdict TcpV6 => _verdicts[3];

        /// <summary>The four verdicts in report order.</summary>
        public IReadOnlyList<ExposureVerdict> Verdicts => _verdicts;

        public ExposureVerdict this[ExposureKey key] => _verdicts[key.Index];

        public ExposureVerdict Get(DnsProtocol protocol, IpFamily family) => _verdicts[new ExposureKey(protocol, family).Index];

        /// <summary>True when any of the four is open.</summary>
        public bool Exposed => _verdicts[0].Open || _verdicts[1].Open || _verdicts[2].Open || _verdicts[3].Open;

        /// <summary>What Block's idempotency check asks: is this protocol and family already denied from the internet?</summary>
        internal bool IsDenied(DnsProtocol protocol, IpFamily family) => !Get(protocol, family).Open;

        public bool IsCertain => _verdicts[0].IsCertain && _verdicts[1].IsCertain && _verdicts[2].IsCertain && _verdicts[3].IsCertain;

        /// <summary>The keys whose verdict is open.</summary>
        internal IEnumerable<ExposureKey> OpenKeys
        {
            get
            {
                foreach (ExposureVerdict v in _verdicts)
                {
                    if (v.Open) yield return v.Key;
                }
            }
        }

        /// <summary>The distinct warnings of all four verdicts.</summary>
        public IReadOnlyList<EvaluationWarning> Warnings
        {
            get
            {
                var seen = new HashSet<EvaluationWarning>();
                var all = new List<EvaluationWarning>();
                foreach (ExposureVerdict v in _verdicts)
                {
                    foreach (EvaluationWarning w in v.Warnings)
                    {
                        if (seen.Add(w)) all.Add(w);
                    }
                }
                return all;
            }
        }

        public override string ToString() => string.Join("; ", Array.ConvertAll(_verdicts, v => v.ToString()));
    }
}
