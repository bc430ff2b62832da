using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Port53.Api.Models;
using Port53.Execution;

namespace Port53.Cmdlets
{
    /// <summary>
    /// What the Lighthouse readers share: -Region resolved against Lighthouse's own region list (it is sold in fewer
    /// regions than CVM, so `-Region *` must not call it where it does not exist), and -ThrottleLimit.
    /// </summary>
    public abstract class TcLighthouseCmdlet : TcCmdlet
    {
        /// <summary>Region names, wildcards, or `*` for every region Lighthouse is available in; default: the session's region.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotBlank]
        [ArgumentCompleter(typeof(RegionCompleter))]
        public string[] Region { get; set; }

        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = TcWorkBatch.DefaultThrottle;

        internal IReadOnlyList<string> ResolveLighthouseRegions() => ResolveRegions(Region, LighthouseRegions);

        /// <summary>Lighthouse's regions, loaded once per session and connection like CVM's.</summary>
        private IReadOnlyList<RegionInfo> LighthouseRegions()
        {
            string key = "lighthouse\n" + RegionCacheKey(Connection);
            IReadOnlyList<RegionInfo> regions = Session.Regions.Get(key);
            if (regions != null) return regions;
            List<LighthouseRegionInfo> listed = AwaitOrTerminate(Lighthouse.DescribeRegionsAsync(CancellationToken, Connection.Region));
            regions = listed.Select(r => new RegionInfo { Region = r.Region, RegionName = r.RegionName, RegionState = r.RegionState }).ToList();
            Session.Regions.Set(key, regions);
            return regions;
        }
    }
}
