using System;
using System.Collections.Generic;

namespace Port53.Analysis
{
    /// <summary>
    /// The TCP and UDP ports a rule's protocol/port (or its service template) covers. Uncertain* says the
    /// protocol may be covered by something that could not be resolved; the known part is still exact.
    /// </summary>
    internal sealed class ServicePorts
    {
        private static readonly TemplateIssue[] NoIssues = new TemplateIssue[0];

        public static readonly ServicePorts None = new ServicePorts(PortSet.None, PortSet.None, false, false, NoIssues);

        public ServicePorts(PortSet tcp, PortSet udp, bool uncertainTcp, bool uncertainUdp, IReadOnlyList<TemplateIssue> issues)
        {
            Tcp = tcp;
            Udp = udp;
            UncertainTcp = uncertainTcp;
            UncertainUdp = uncertainUdp;
            Issues = issues ?? NoIssues;
        }

        public PortSet Tcp { get; }
        public PortSet Udp { get; }
        public bool UncertainTcp { get; }
        public bool UncertainUdp { get; }
        public IReadOnlyList<TemplateIssue> Issues { get; }

        public PortSet For(DnsProtocol protocol) => protocol == DnsProtocol.Udp ? Udp : Tcp;

        public bool IsUncertain(DnsProtocol protocol) => protocol == DnsProtocol.Udp ? UncertainUdp : UncertainTcp;

        public static ServicePorts Uncertain(TemplateIssue issue) =>
            new ServicePorts(PortSet.None, PortSet.None, true, true, new[] { issue });

        public ServicePorts Union(ServicePorts other)
        {
            var issues = new List<TemplateIssue>(Issues);
            issues.AddRange(other.Issues);
            return new ServicePorts(Tcp.Union(other.Tcp), Udp.Union(other.Udp),
                UncertainTcp || other.UncertainTcp, UncertainUdp || other.UncertainUdp, issues);
        }

        /// <summary>Protocol classification shared by rules ("TCP") and service template entries ("tcp:53").</summary>
        internal enum ProtocolKind { Tcp, Udp, All, OtherKnown, Unknown }

        internal static ProtocolKind ClassifyProtocol(string protocol)
        {
            string p = protocol?.Trim() ?? "";
            if (p.Equals("TCP", StringComparison.OrdinalIgnoreCase)) return ProtocolKind.Tcp;
            if (p.Equals("UDP", StringComparison.OrdinalIgnoreCase)) return ProtocolKind.Udp;
            if (p.Equals("ALL", StringComparison.OrdinalIgnoreCase)) return ProtocolKind.All;
            if (p.Equals("ICMP", StringComparison.OrdinalIgnoreCase)
                || p.Equals("ICMPv6", StringComparison.OrdinalIgnoreCase)
                || p.Equals("GRE", StringComparison.OrdinalIgnoreCase)) return ProtocolKind.OtherKnown;
            return ProtocolKind.Unknown;
        }

        /// <summary>
        /// Ports for a protocol kind and a port text. Port only matters for TCP, UDP and ALL; for ICMP, ICMPv6
        /// and GRE it is ignored. Returns null when the port text is malformed.
        /// </summary>
        internal static ServicePorts FromProtocolAndPort(ProtocolKind kind, string port)
        {
            if (kind == ProtocolKind.OtherKnown) return None;
            if (!PortSet.TryParse(port, out PortSet ports)) return null;
            switch (kind)
            {
                case ProtocolKind.Tcp: return new ServicePorts(ports, PortSet.None, false, false, null);
                case ProtocolKind.Udp: return new ServicePorts(PortSet.None, ports, false, false, null);
                default: return new ServicePorts(ports, ports, false, false, null);
            }
        }

        /// <summary>Parses one ServiceSet entry: "tcp:53", "udp:50-60", "tcp:53,80", "udp:all", "tcp", "all", "icmp".</summary>
        internal static ServicePorts ParseServiceEntry(string templateId, string entry)
        {
            string e = entry?.Trim() ?? "";
            int colon = e.IndexOf(':');
            string proto = colon < 0 ? e : e.Substring(0, colon);
            string port = colon < 0 ? null : e.Substring(colon + 1);
            ProtocolKind kind = ClassifyProtocol(proto);
            var issue = new TemplateIssue(WarningKind.MalformedServiceEntry, templateId, entry);
            if (kind == ProtocolKind.Unknown) return Uncertain(issue);
            // "tcp:" is malformed rather than "all ports" (a bare "tcp" is all ports).
            ServicePorts result = colon >= 0 && port.Trim().Length == 0 ? null : FromProtocolAndPort(kind, port);
            if (result != null) return result;
            return new ServicePorts(PortSet.None, PortSet.None, kind != ProtocolKind.Udp, kind != ProtocolKind.Tcp, new[] { issue });
        }
    }
}
