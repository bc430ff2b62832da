using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Port53.Api;
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

        private IReadOnlyList<RegionInfo> _regions;

        protected override void BeginProcessing()
        {
            _regions = AllRegions(refresh: true);
        }

        protected override void ProcessRecord()
        {
            if (Name == null || Name.Length == 0)
            {
                foreach (RegionInfo region in _regions) WriteObject(ToModel(region));
                return;
            }
            foreach (string name in Name)
            {
                var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
                List<RegionInfo> matches = _regions.Where(r => r.Region != null && pattern.IsMatch(r.Region)).ToList();
                if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
                    WriteError(TcErrors.Create("RegionNotFound", ErrorCategory.ObjectNotFound, name, Strings.Core.Format("RegionNotFound", name)));
                foreach (RegionInfo region in matches) WriteObject(ToModel(region));
            }
        }

        private static TcRegion ToModel(RegionInfo region) =>
            new TcRegion { Region = region.Region, RegionName = region.RegionName, RegionState = region.RegionState?.ToUpperInvariant() };
    }
}
