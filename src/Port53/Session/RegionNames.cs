using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Port53.Api.Models;

namespace Port53.Session
{
    /// <summary>What a -Region value names among the account's regions: `*`, wildcards and names, checked.</summary>
    internal static class RegionNames
    {
        /// <summary>
        /// The regions <paramref name="names"/> name in <paramref name="all"/>: `*` every AVAILABLE region, a wildcard
        /// the available regions it matches, a name itself as the account spells it. Distinct, in order; the names
        /// that are no region of the account go to <paramref name="unknown"/>.
        /// </summary>
        public static IReadOnlyList<string> Resolve(IEnumerable<string> names, IReadOnlyList<RegionInfo> all, out IReadOnlyList<string> unknown)
        {
            var resolved = new List<string>();
            var missing = new List<string>();
            foreach (string name in names)
            {
                if (WildcardPattern.ContainsWildcardCharacters(name))
                {
                    var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
                    resolved.AddRange(all.Where(r => IsAvailable(r) && pattern.IsMatch(r.Region)).Select(r => r.Region));
                    continue;
                }
                RegionInfo known = all.FirstOrDefault(r => string.Equals(r.Region, name, StringComparison.OrdinalIgnoreCase));
                if (known != null) resolved.Add(known.Region);
                else missing.Add(name);
            }
            unknown = missing;
            return resolved.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        }

        private static bool IsAvailable(RegionInfo region) =>
            string.IsNullOrEmpty(region.RegionState) || string.Equals(region.RegionState, "AVAILABLE", StringComparison.OrdinalIgnoreCase);
    }
}
