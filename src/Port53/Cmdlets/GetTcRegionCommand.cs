using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Port53.Api;
using Port53.Execution;
using Port53.Model;
using Port53.Resources;
using RegionInfo = Port53.Api.Models.RegionInfo;

namespace Port53.Cmdlets
{
    /// <summary>Lists the regions of the account (DescribeRegions), optionally only those whose name matches.</summary>
    [Cmdlet(VerbsCommon.Get, "TcRegion")]
    [OutputType(typeof(TcRegion))]
    public sealed class GetTcRegionCommand : TcCmdlet
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Region")]
        [SupportsWildcards]
        [ValidateNotBlank]
        [ArgumentCompleter(typeof(RegionCompleter))]
        public string[] Name { get; set; }

        /// <summary>The contexts (accounts) whose regions to list, piped or given; default: the session's default context.</summary>
        [Parameter(ValueFromPipeline = true)]
        [ArgumentCompleter(typeof(AccountCompleter))]
        [ValidateNotNullOrEmpty]
        public TcContext[] Account { get; set; }

        // Each account's list is read afresh once per command (the session's copy is refreshed with it).
        private readonly Dictionary<string, IReadOnlyList<RegionInfo>> _regions = new Dictionary<string, IReadOnlyList<RegionInfo>>(StringComparer.Ordinal);

        protected override void ProcessRecord()
        {
            // A piped context binds its own Name to -Name too (by property name, as TcRegion and TcInstance objects bind
            // their Region): that is the context's name, not a region's.
            string[] names = Account != null && Name != null && Name.All(n => Account.Any(a => string.Equals(a?.Name, n, StringComparison.OrdinalIgnoreCase)))
                ? null : Name;
            foreach (AccountScope account in ScopesOf(Account))
            {
                if (!_regions.TryGetValue(account.Key, out IReadOnlyList<RegionInfo> regions))
                    _regions[account.Key] = regions = AllRegions(refresh: true, account: account);
                if (names == null || names.Length == 0)
                {
                    foreach (RegionInfo region in regions) WriteObject(ToModel(region, account));
                    continue;
                }
                foreach (string name in names)
                {
                    var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
                    List<RegionInfo> matches = regions.Where(r => r.Region != null && pattern.IsMatch(r.Region)).ToList();
                    if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
                        WriteError(TcErrors.Create("RegionNotFound", ErrorCategory.ObjectNotFound, name, Strings.Core.Format("RegionNotFound", name)));
                    foreach (RegionInfo region in matches) WriteObject(ToModel(region, account));
                }
            }
        }

        private static TcRegion ToModel(RegionInfo region, AccountScope account) =>
            account.Stamp(new TcRegion { Region = region.Region, RegionName = region.RegionName, RegionState = region.RegionState?.ToUpperInvariant() });
    }
}
