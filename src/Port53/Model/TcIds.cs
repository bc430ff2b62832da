using System;
using System.Collections.Generic;
using System.Linq;

namespace Port53.Model
{
    /// <summary>
    /// Tencent resource ids (ins-…, sg-…) as Port53 compares and sends them: trimmed and lower-case, so that an id
    /// typed, piped or listed in any letter case is one key.
    /// </summary>
    internal static class TcIds
    {
        public static string Normalise(string id) => id?.Trim().ToLowerInvariant();

        /// <summary>A Lighthouse instance's id (lhins-…): its firewall, not security groups, decides what reaches it.</summary>
        public static bool IsLighthouseInstance(string id) => id != null && id.TrimStart().StartsWith("lhins-", StringComparison.OrdinalIgnoreCase);

        /// <summary>The non-blank ids, normalised, in their order (repeats kept).</summary>
        public static IEnumerable<string> Normalised(IEnumerable<string> ids) =>
            (ids ?? Enumerable.Empty<string>()).Where(i => !string.IsNullOrWhiteSpace(i)).Select(Normalise);

        /// <summary>The non-blank ids, normalised, each once, in the order first seen.</summary>
        public static string[] Distinct(IEnumerable<string> ids) => Normalised(ids).Distinct(StringComparer.Ordinal).ToArray();
    }
}
