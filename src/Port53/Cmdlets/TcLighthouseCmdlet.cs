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

        /// <summary>How many regions (or instances) each account works on at once.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = TcWorkBatch.DefaultThrottle;

        internal IReadOnlyList<string> ResolveLighthouseRegions(AccountScope account) =>
            ResolveRegions(Region, () => LighthouseRegions(account), account);

        /// <summary>Lighthouse's regions, loaded once per session and account like CVM's.</summary>
        private IReadOnlyList<RegionInfo> LighthouseRegions(AccountScope account)
        {
            string key = "lighthouse\n" + account.Key;
            IReadOnlyList<RegionInfo> regions = Session.Regions.Get(key);
            if (regions != null) return regions;
            List<LighthouseRegionInfo> listed = AwaitInAccount(account, account.Lighthouse.DescribeRegionsAsync(CancellationToken, account.Connection.Region));
            if (listed == null) return new RegionInfo[0];
            regions = listed.Select(r => new RegionInfo { Region = r.Region, RegionName = r.RegionName, RegionState = r.RegionState }).ToList();
            Session.Regions.Set(key, regions);
            return regions;
        }
    }
}
