using System;
using System.Collections.Generic;
using System.Text;

namespace Port53.Analysis
{
    /// <summary>
    /// An immutable set of addresses of one family, kept as sorted, disjoint, non-adjacent inclusive ranges.
    /// Exposure is computed with these so that "is any public address still undecided" is exact rather than
    /// sampled. Overlaps and Contains do not allocate; the set operations allocate one array.
    /// </summary>
    internal sealed class AddressSet : IEquatable<AddressSet>
    {
        private static readonly AddressRange[] NoRanges = new AddressRange[0];
        private static readonly AddressSet EmptyV4 = new AddressSet(IpFamily.IPv4, NoRanges);
        private static readonly AddressSet EmptyV6 = new AddressSet(IpFamily.IPv6, NoRanges);
        private static readonly AddressSet AllV4 = new AddressSet(IpFamily.IPv4, new[] { new AddressRange(Address128.Zero, Address128.MaxV4) });
        private static readonly AddressSet AllV6 = new AddressSet(IpFamily.IPv6, new[] { new AddressRange(Address128.Zero, Address128.MaxV6) });

        private readonly AddressRange[] _ranges;

        private AddressSet(IpFamily family, AddressRange[] normalizedRanges)
        {
            Family = family;
            _ranges = normalizedRanges;
        }

        public IpFamily Family { get; }

        public IReadOnlyList<AddressRange> Ranges => _ranges;

        public bool IsEmpty => _ranges.Length == 0;

        public static AddressSet Empty(IpFamily family) => family == IpFamily.IPv4 ? EmptyV4 : EmptyV6;

        public static AddressSet All(IpFamily family) => family == IpFamily.IPv4 ? AllV4 : AllV6;

        public static AddressSet FromRange(IpFamily family, AddressRange range) => FromRanges(family, new[] { range });

        public static AddressSet FromRanges(IpFamily family, IEnumerable<AddressRange> ranges)
        {
            Address128 max = Address128.Max(family);
            var list = new List<AddressRange>(ranges);
            foreach (AddressRange r in list)
            {
                if (r.Last > max) throw new ArgumentException("Range is outside the " + family + " address space.", nameof(ranges));
            }
            if (list.Count == 0) return Empty(family);
            list.Sort((a, b) => a.First.CompareTo(b.First));
            var merged = new List<AddressRange>(list.Count);
            AddressRange cur = list[0];
            for (int i = 1; i < list.Count; i++)
            {
                AddressRange next = list[i];
                // Merge overlapping and adjacent ranges; cur.Last == max means cur already reaches the end.
                if (cur.Last == max || next.First <= cur.Last.Increment())
                {
                    if (next.Last > cur.Last) cur = new AddressRange(cur.First, next.Last);
                }
                else
                {
                    merged.Add(cur);
                    cur = next;
                }
            }
            merged.Add(cur);
            return new AddressSet(family, merged.ToArray());
        }

        public bool Contains(Address128 address)
        {
            int lo = 0, hi = _ranges.Length - 1;
            while (lo <= hi)
            {
                int mid = (lo + hi) >> 1;
                if (address < _ranges[mid].First) hi = mid - 1;
                else if (address > _ranges[mid].Last) lo = mid + 1;
                else return true;
            }
            return false;
        }

        /// <summary>True when the two sets share at least one address.</summary>
        public bool Overlaps(AddressSet other)
        {
            CheckFamily(other);
            AddressRange[] a = _ranges, b = other._ranges;
            int i = 0, j = 0;
            while (i < a.Length && j < b.Length)
            {
                if (a[i].Last < b[j].First) i++;
                else if (b[j].Last < a[i].First) j++;
                else return true;
            }
            return false;
        }

        public AddressSet Intersect(AddressSet other)
        {
            CheckFamily(other);
            AddressRange[] a = _ranges, b = other._ranges;
            // Each step emits at most one piece and advances i or j: a.Length + b.Length bounds the count.
            var result = new AddressRange[a.Length + b.Length];
            int count = 0;
            int i = 0, j = 0;
            while (i < a.Length && j < b.Length)
            {
                Address128 first = a[i].First > b[j].First ? a[i].First : b[j].First;
                Address128 last = a[i].Last < b[j].Last ? a[i].Last : b[j].Last;
                if (first <= last) result[count++] = new AddressRange(first, last);
                if (a[i].Last < b[j].Last) i++;
                else j++;
            }
            return Wrap(result, count);
        }

        /// <summary>The addresses of this set that are not in <paramref name="other"/>.</summary>
        public AddressSet Subtract(AddressSet other)
        {
            CheckFamily(other);
            AddressRange[] a = _ranges, b = other._ranges;
            // Every range of b splits at most one piece off; a.Length + b.Length bounds the count.
            var result = new AddressRange[a.Length + b.Length];
            int count = 0;
            int j = 0;
            foreach (AddressRange r in a)
            {
                while (j < b.Length && b[j].Last < r.First) j++;
                Address128 cur = r.First;
                bool remains = true;
                for (int k = j; k < b.Length && b[k].First <= r.Last; k++)
                {
                    if (b[k].First > cur) result[count++] = new AddressRange(cur, b[k].First.Decrement());
                    if (b[k].Last >= r.Last)
                    {
                        remains = false;
                        break;
                    }
                    cur = b[k].Last.Increment();
                }
                if (remains) result[count++] = new AddressRange(cur, r.Last);
            }
            return Wrap(result, count);
        }

        public AddressSet Union(AddressSet other)
        {
            CheckFamily(other);
            if (other.IsEmpty) return this;
            if (IsEmpty) return other;
            var all = new List<AddressRange>(_ranges.Length + other._ranges.Length);
            all.AddRange(_ranges);
            all.AddRange(other._ranges);
            return FromRanges(Family, all);
        }

        public AddressSet Complement() => All(Family).Subtract(this);

        /// <summary>True when every address of <paramref name="other"/> is in this set.</summary>
        public bool IsSupersetOf(AddressSet other) => other.Subtract(this).IsEmpty;

        public bool Equals(AddressSet other)
        {
            if (ReferenceEquals(this, other)) return true;
            if (other is null || other.Family != Family || other._ranges.Length != _ranges.Length) return false;
            for (int i = 0; i < _ranges.Length; i++)
            {
                if (!_ranges[i].Equals(other._ranges[i])) return false;
            }
            return true;
        }

        public override bool Equals(object obj) => Equals(obj as AddressSet);

        public override int GetHashCode()
        {
            int h = (int)Family;
            foreach (AddressRange r in _ranges) h = h * 31 + r.GetHashCode();
            return h;
        }

        public override string ToString()
        {
            if (IsEmpty) return "{}";
            var sb = new StringBuilder();
            foreach (AddressRange r in _ranges)
            {
                if (sb.Length > 0) sb.Append(", ");
                sb.Append(r.ToString(Family));
            }
            return sb.ToString();
        }

        private AddressSet Wrap(AddressRange[] sortedDisjoint, int count)
        {
            // Results of intersect/subtract of normalized sets are sorted, disjoint and never adjacent.
            if (count == 0) return Empty(Family);
            if (count < sortedDisjoint.Length) Array.Resize(ref sortedDisjoint, count);
            return new AddressSet(Family, sortedDisjoint);
        }

        private void CheckFamily(AddressSet other)
        {
            if (other.Family != Family) throw new ArgumentException("Address sets of different families cannot be combined.");
        }
    }
}
