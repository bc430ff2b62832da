using System;
using System.Collections.Generic;
using Port53.Api.Models;

namespace Port53.Analysis
{
    /// <summary>
    /// One ingress rule reduced to what the port-53 question needs: for each of the four keys, does it match
    /// (known protocol/port covers 53, known action, some public source), does its public source cover all
    /// public space, and could something unresolved change the answer. Built once per group, read-only after.
    /// </summary>
    internal sealed class ParsedRule
    {
        public const int DnsPort = 53;

        private static readonly EvaluationWarning[] NoWarnings = new EvaluationWarning[0];
        private static readonly AddressSpec AnyIPv4 = new AddressSpec(AddressSet.All(IpFamily.IPv4), AddressSet.Empty(IpFamily.IPv6), false, false, null);

        private readonly int _matchMask;
        private readonly int _coversAllMask;
        private readonly int _uncertainMask;
        // The verdict this rule gives when it decides a key and nothing uncertain was reached before it.
        private readonly ExposureVerdict[] _verdicts = new ExposureVerdict[4];

        private ParsedRule(RuleReference reference, ServicePorts service, AddressSpec source, IReadOnlyList<EvaluationWarning> warnings)
        {
            Reference = reference;
            Service = service;
            Source = source;
            Warnings = warnings;
            PublicV4 = source.V4.Intersect(PublicAddressSpace.IPv4);
            PublicV6 = source.V6.Intersect(PublicAddressSpace.IPv6);
            bool actionKnown = reference.Action != RuleAction.Unknown;
            foreach (ExposureKey key in ExposureKey.All)
            {
                int bit = 1 << key.Index;
                bool knownP = service.For(key.Protocol).Contains(DnsPort), uncertainP = service.IsUncertain(key.Protocol);
                AddressSet pub = PublicSource(key.Family);
                bool knownF = !pub.IsEmpty, uncertainF = source.IsUncertain(key.Family);
                if (actionKnown && knownP && knownF) _matchMask |= bit;
                if (knownF && pub.IsSupersetOf(PublicAddressSpace.For(key.Family))) _coversAllMask |= bit;
                bool couldMatch = (knownP || uncertainP) && (knownF || uncertainF);
                if (couldMatch && (!actionKnown || uncertainP || uncertainF)) _uncertainMask |= bit;
                _verdicts[key.Index] = new ExposureVerdict(key, reference.Action == RuleAction.Accept, reference, null);
            }
        }

        public RuleReference Reference { get; }
        public RuleAction Action => Reference.Action;
        public SecurityGroupPolicy Policy => Reference.Policy;

        /// <summary>The TCP/UDP ports the rule covers (from Protocol/Port or its service template).</summary>
        public ServicePorts Service { get; }

        /// <summary>The rule's source addresses (empty for a source security group, which is never the internet).</summary>
        public AddressSpec Source { get; }

        public AddressSet PublicV4 { get; }
        public AddressSet PublicV6 { get; }

        /// <summary>Everything about this rule the evaluator could not resolve.</summary>
        public IReadOnlyList<EvaluationWarning> Warnings { get; }

        public AddressSet PublicSource(IpFamily family) => family == IpFamily.IPv4 ? PublicV4 : PublicV6;

        /// <summary>True when the rule applies to port 53 over this protocol from some public address of this family.</summary>
        public bool Matches(ExposureKey key) => (_matchMask & (1 << key.Index)) != 0;

        internal bool Matches(int bit) => (_matchMask & bit) != 0;
        internal bool CoversAllPublic(int bit) => (_coversAllMask & bit) != 0;
        internal bool IsUncertain(int bit) => (_uncertainMask & bit) != 0;
        internal ExposureVerdict CachedVerdict(int keyIndex) => _verdicts[keyIndex];

        public static ParsedRule Parse(SecurityGroupPolicy policy, string groupId, string groupVersion, int position, TemplateCatalog catalog,
            RuleListKind kind = RuleListKind.SecurityGroup)
        {
            if (policy == null) throw new ArgumentNullException(nameof(policy));
            catalog = catalog ?? TemplateCatalog.Empty;
            var warnings = new List<EvaluationWarning>();
            void Warn(WarningKind kind, string templateId, string detail) =>
                warnings.Add(new EvaluationWarning(kind, groupId, policy.PolicyIndex, position, templateId, detail, policy));

            RuleAction action = ParseAction(policy.Action, kind);
            if (action == RuleAction.Unknown) Warn(WarningKind.UnknownAction, null, policy.Action);

            ServicePorts service = ParseService(policy, catalog, Warn);
            AddressSpec source = kind == RuleListKind.Firewall && IsSourceless(policy)
                ? AnyIPv4
                : ParseSource(policy, catalog, Warn);

            var reference = new RuleReference(groupId, groupVersion, policy.PolicyIndex, position, action, policy, kind);
            return new ParsedRule(reference, service, source, warnings.Count == 0 ? NoWarnings : warnings.ToArray());
        }

        internal static RuleAction ParseAction(string action, RuleListKind kind = RuleListKind.SecurityGroup)
        {
            string a = action?.Trim() ?? "";
            if (a.Length == 0 && kind == RuleListKind.Firewall) return RuleAction.Accept;
            if (a.Equals("ACCEPT", StringComparison.OrdinalIgnoreCase)) return RuleAction.Accept;
            if (a.Equals("DROP", StringComparison.OrdinalIgnoreCase)) return RuleAction.Drop;
            return RuleAction.Unknown;
        }

        private static ServicePorts ParseService(SecurityGroupPolicy policy, TemplateCatalog catalog, Action<WarningKind, string, string> warn)
        {
            // A service template replaces Protocol/Port (Tencent returns those empty alongside it).
            ServiceTemplateSpecification st = policy.ServiceTemplate;
            if (st != null && (TemplateCatalog.Id(st.ServiceId) != null || TemplateCatalog.Id(st.ServiceGroupId) != null))
            {
                ServicePorts resolved = catalog.ResolveService(st);
                foreach (TemplateIssue issue in resolved.Issues) warn(issue.Kind, issue.TemplateId, issue.Detail);
                return resolved;
            }
            ServicePorts.ProtocolKind kind = ServicePorts.ClassifyProtocol(policy.Protocol);
            if (kind == ServicePorts.ProtocolKind.Unknown)
            {
                warn(WarningKind.UnknownProtocol, null, policy.Protocol);
                return new ServicePorts(PortSet.None, PortSet.None, true, true, null);
            }
            ServicePorts ports = ServicePorts.FromProtocolAndPort(kind, policy.Port);
            if (ports != null) return ports;
            warn(WarningKind.MalformedPort, null, policy.Port);
            return new ServicePorts(PortSet.None, PortSet.None,
                kind != ServicePorts.ProtocolKind.Udp, kind != ServicePorts.ProtocolKind.Tcp, null);
        }

        /// <summary>A rule naming no source of any kind: in a firewall, Tencent's 0.0.0.0/0.</summary>
        internal static bool IsSourceless(SecurityGroupPolicy policy) =>
            TemplateCatalog.Id(policy.CidrBlock) == null && TemplateCatalog.Id(policy.Ipv6CidrBlock) == null && TemplateCatalog.Id(policy.SecurityGroupId) == null
            && (policy.AddressTemplate == null || (TemplateCatalog.Id(policy.AddressTemplate.AddressId) == null && TemplateCatalog.Id(policy.AddressTemplate.AddressGroupId) == null));

        private static AddressSpec ParseSource(SecurityGroupPolicy policy, TemplateCatalog catalog, Action<WarningKind, string, string> warn)
        {
            string cidr = TemplateCatalog.Id(policy.CidrBlock);
            string cidr6 = TemplateCatalog.Id(policy.Ipv6CidrBlock);
            string group = TemplateCatalog.Id(policy.SecurityGroupId);
            AddressTemplateSpecification at = policy.AddressTemplate;
            bool template = at != null && (TemplateCatalog.Id(at.AddressId) != null || TemplateCatalog.Id(at.AddressGroupId) != null);
            int count = (cidr != null ? 1 : 0) + (cidr6 != null ? 1 : 0) + (group != null ? 1 : 0) + (template ? 1 : 0);
            if (count != 1)
            {
                warn(WarningKind.MalformedSource, null, count == 0 ? null : string.Join(" ", cidr, cidr6, group, at?.AddressId, at?.AddressGroupId).Trim());
                return new AddressSpec(AddressSet.Empty(IpFamily.IPv4), AddressSet.Empty(IpFamily.IPv6), true, true, null);
            }
            if (group != null) return AddressSpec.None;
            if (template)
            {
                AddressSpec resolved = catalog.ResolveAddress(at);
                foreach (TemplateIssue issue in resolved.Issues) warn(issue.Kind, issue.TemplateId, issue.Detail);
                return resolved;
            }
            IpFamily family = cidr != null ? IpFamily.IPv4 : IpFamily.IPv6;
            string text = cidr ?? cidr6;
            if (IpText.TryParseBlock(text, family, out AddressRange range)) return AddressSpec.Of(family, range);
            warn(WarningKind.MalformedSource, null, text);
            return family == IpFamily.IPv4
                ? new AddressSpec(AddressSet.Empty(IpFamily.IPv4), AddressSet.Empty(IpFamily.IPv6), true, false, null)
                : new AddressSpec(AddressSet.Empty(IpFamily.IPv4), AddressSet.Empty(IpFamily.IPv6), false, true, null);
        }
    }
}
