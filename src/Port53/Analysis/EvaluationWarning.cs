using System.Globalization;
using Port53.Api.Models;

namespace Port53.Analysis
{
    /// <summary>Why a rule could not be fully understood. The evaluator treats such a rule (or the part of it
    /// that is unknown) as not matching, and reports the warning on every verdict the rule could have changed.</summary>
    internal enum WarningKind
    {
        /// <summary>A ServiceId (ppm-) or a member of a ServiceGroupId (ppmg-) that the catalog does not hold.</summary>
        UnknownServiceTemplate,
        /// <summary>An AddressId (ipm-) or a member of an AddressGroupId (ipmg-) that the catalog does not hold.</summary>
        UnknownAddressTemplate,
        /// <summary>A ServiceTemplate or AddressTemplate reference with neither or both ids set.</summary>
        MalformedTemplateReference,
        /// <summary>A service template ServiceSet entry that is not "proto", "proto:ports" or "all".</summary>
        MalformedServiceEntry,
        /// <summary>An address template AddressSet entry that is not an address, CIDR block or range.</summary>
        MalformedAddressEntry,
        /// <summary>A Protocol that is empty or not one Tencent documents.</summary>
        UnknownProtocol,
        /// <summary>A Port value that is not ALL, a port, a range or a comma list of those.</summary>
        MalformedPort,
        /// <summary>No source, several sources, or a CidrBlock/Ipv6CidrBlock that does not parse as its family.</summary>
        MalformedSource,
        /// <summary>An Action other than ACCEPT or DROP.</summary>
        UnknownAction,
    }

    /// <summary>A problem found in a template while building the catalog, before any rule refers to it.</summary>
    internal sealed class TemplateIssue
    {
        public TemplateIssue(WarningKind kind, string templateId, string detail)
        {
            Kind = kind;
            TemplateId = templateId;
            Detail = detail;
        }

        public WarningKind Kind { get; }
        public string TemplateId { get; }
        public string Detail { get; }
    }

    /// <summary>A problem with one rule, with enough context for the caller to report it.</summary>
    internal sealed class EvaluationWarning
    {
        public EvaluationWarning(WarningKind kind, string groupId, long? policyIndex, int position, string templateId, string detail, SecurityGroupPolicy policy)
        {
            Kind = kind;
            GroupId = groupId;
            PolicyIndex = policyIndex;
            Position = position;
            TemplateId = templateId;
            Detail = detail;
            Policy = policy;
        }

        public WarningKind Kind { get; }
        public string GroupId { get; }
        /// <summary>The rule's PolicyIndex as Tencent returned it (null if it had none).</summary>
        public long? PolicyIndex { get; }
        /// <summary>The rule's 0-based position in its group's evaluation order.</summary>
        public int Position { get; }
        /// <summary>The template id concerned, or null.</summary>
        public string TemplateId { get; }
        /// <summary>The offending text (entry, port, protocol…), or null.</summary>
        public string Detail { get; }
        public SecurityGroupPolicy Policy { get; }

        /// <summary>Diagnostic text; cmdlets format user-facing messages from Kind and the fields via the resx tables.</summary>
        public override string ToString() =>
            string.Format(CultureInfo.InvariantCulture, "{0} in {1} rule {2}{3}{4}", Kind, GroupId,
                PolicyIndex.HasValue ? PolicyIndex.Value.ToString(CultureInfo.InvariantCulture) : "#" + Position.ToString(CultureInfo.InvariantCulture),
                TemplateId == null ? "" : " (" + TemplateId + ")",
                Detail == null ? "" : ": '" + Detail + "'");
    }
}
