using System.Collections.Generic;

namespace Port53.Analysis
{
    /// <summary>
    /// The source addresses of a rule, per family. Uncertain* says part of the source could not be resolved
    /// (unknown template, malformed entry); the known part is still exact.
    /// </summary>
    internal sealed class AddressSpec
    {
        private static readonly TemplateIssue[] NoIssues = new TemplateIssue[0];

        public static readonly AddressSpec None = new AddressSpec(AddressSet.Empty(IpFamily.IPv4), AddressSet.Empty(IpFamily.IPv6), false, false, NoIssues);

        public AddressSpec(AddressSet v4, AddressSet v6, bool uncertainV4, bool uncertainV6, IReadOnlyList<TemplateIssue> issues)
        {
            V4 = v4;
            V6 = v6;
            UncertainV4 = uncertainV4;
            UncertainV6 = uncertainV6;
            Issues = issues ?? NoIssues;
        }

        public AddressSet V4 { get; }
        public AddressSet V6 { get; }
        public bool UncertainV4 { get; }
        public bool UncertainV6 { get; }
        public IReadOnlyList<TemplateIssue> Issues { get; }

        public AddressSet For(IpFamily family) => family == IpFamily.IPv4 ? V4 : V6;

        public bool IsUncertain(IpFamily family) => family == IpFamily.IPv4 ? UncertainV4 : UncertainV6;

        public static AddressSpec Uncertain(TemplateIssue issue) =>
            new AddressSpec(AddressSet.Empty(IpFamily.IPv4), AddressSet.Empty(IpFamily.IPv6), true, true, new[] { issue });

        public static AddressSpec Of(IpFamily family, AddressRange range)
        {
            AddressSet set = AddressSet.FromRange(family, range);
            return family == IpFamily.IPv4
                ? new AddressSpec(set, AddressSet.Empty(IpFamily.IPv6), false, false, null)
                : new AddressSpec(AddressSet.Empty(IpFamily.IPv4), set, false, false, null);
        }

        public AddressSpec Union(AddressSpec other)
        {
            var issues = new List<TemplateIssue>(Issues);
            issues.AddRange(other.Issues);
            return new AddressSpec(V4.Union(other.V4), V6.Union(other.V6),
                UncertainV4 || other.UncertainV4, UncertainV6 || other.UncertainV6, issues);
        }

        /// <summary>Parses an address template's AddressSet: addresses, CIDR blocks and ranges of either family.</summary>
        internal static AddressSpec FromAddressSet(string templateId, IEnumerable<string> entries)
        {
            var v4 = new List<AddressRange>();
            var v6 = new List<AddressRange>();
            var issues = new List<TemplateIssue>();
            bool uncertainV4 = false, uncertainV6 = false;
            foreach (string entry in entries ?? new string[0])
            {
                if (IpText.TryParseBlock(entry, out IpFamily family, out AddressRange range))
                {
                    (family == IpFamily.IPv4 ? v4 : v6).Add(range);
                    continue;
                }
                issues.Add(new TemplateIssue(WarningKind.MalformedAddressEntry, templateId, entry));
                // Only an entry that looks like IPv6 can be IPv6, and vice versa.
                if (entry != null && entry.IndexOf(':') >= 0) uncertainV6 = true;
                else uncertainV4 = true;
            }
            return new AddressSpec(AddressSet.FromRanges(IpFamily.IPv4, v4), AddressSet.FromRanges(IpFamily.IPv6, v6),
                uncertainV4, uncertainV6, issues);
        }
    }
}
