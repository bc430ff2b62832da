using System;
using System.Collections.Generic;
using Port53.Analysis;

namespace Port53.Services
{
    /// <summary>
    /// An ACCEPT that opens port 53 from private addresses or from a source security group, below the place Block writes
    /// to: the DROP from 0.0.0.0/0 (or ::/0) matches those sources too, so the ACCEPT no longer takes effect.
    /// That is Tencent's recommended rule working as written, but it also ends DNS inside the VPC, which the
    /// user should hear about before, not after.
    /// </summary>
    internal sealed class ShadowedAccept
    {
        public RuleReference Rule { get; set; }
        /// <summary>The rule is in the group being written (so it stops for every instance bound to it), not in a group bound after it.</summary>
        public bool InWrittenGroup { get; set; }
        public SortedSet<string> Keys { get; } = new SortedSet<string>(StringComparer.Ordinal);
        public SortedSet<string> Members { get; } = new SortedSet<string>(StringComparer.Ordinal);
    }
}
