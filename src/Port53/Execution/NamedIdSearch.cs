using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Port53.Api;
using Port53.Model;
using Port53.Resources;

namespace Port53.Execution
{
    /// <summary>
    /// The instance ids a Get command is asked for, gathered per region over its pipeline records so that they are
    /// looked up at the end, 100 per request, and which of them were found: an id found in none of the regions it was
    /// looked for in is one InstanceNotFound error, as Get-Item reports a missing path, unless a region could not be
    /// read or another filter may rightly have left it out.
    /// </summary>
    internal sealed class NamedIdSearch
    {
        private readonly Dictionary<string, HashSet<string>> _idsByRegion = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
        private readonly List<string> _idsInOrder = new List<string>();

        /// <summary>Ids seen in a reply (filled from worker threads).</summary>
        public ConcurrentDictionary<string, bool> Found { get; } = new ConcurrentDictionary<string, bool>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Regions whose lookup failed: an id looked for there may exist (filled from worker threads).</summary>
        public ConcurrentDictionary<string, bool> Failed { get; } = new ConcurrentDictionary<string, bool>(StringComparer.OrdinalIgnoreCase);

        public bool IsEmpty => _idsByRegion.Count == 0;

        public void Add(IEnumerable<string> ids, IEnumerable<string> regions)
        {
            List<string> normalised = ids.Select(TcIds.Normalise).ToList();
            foreach (string region in regions)
            {
                if (!_idsByRegion.TryGetValue(region, out var inRegion)) _idsByRegion[region] = inRegion = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (string id in normalised)
                    if (inRegion.Add(id) && !_idsInOrder.Contains(id)) _idsInOrder.Add(id);
            }
        }

        /// <summary>One lookup per region, with the ids named there.</summary>
        public List<(string Region, IEnumerable<string> Ids)> Lookups() =>
            _idsByRegion.Select(kv => (kv.Key, (IEnumerable<string>)kv.Value)).ToList();

        /// <summary>An error for each id found in none of its regions (in the order named), once the lookups are done.</summary>
        public IEnumerable<ErrorRecord> NotFound()
        {
            foreach (string id in _idsInOrder)
            {
                List<string> regions = _idsByRegion.Where(kv => kv.Value.Contains(id)).Select(kv => kv.Key).ToList();
                if (Found.ContainsKey(id) || regions.Any(Failed.ContainsKey)) continue;
                yield return TcErrors.Create("InstanceNotFound", ErrorCategory.ObjectNotFound, id, Strings.Core.Format("InstanceNotFound", id, string.Join(", ", regions)));
            }
        }
    }
}
