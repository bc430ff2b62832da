using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Port53.Analysis
{
    /// <summary>
    /// An immutable set of TCP/UDP ports as Tencent writes them: "ALL", "53", "1-100", "53,80", "22,50-60".
    /// </summary>
    internal sealed class PortSet : IEquatable<PortSet>
    {
        public const int MaxPort = 65535;

        public static readonly PortSet None = new PortSet(new int[0]);
        public static readonly PortSet All = new PortSet(new[] { 0, MaxPort });

        // Pairs first,last: sorted, disjoint, non-adjacent.
        private readonly int[] _bounds;

        private PortSet(int[] bounds)
        {
            _bounds = bounds;
        }

        public bool IsEmpty => _bounds.Length == 0;

        public bool IsAll => _bounds.Length == 2 && _bounds[0] == 0 && _bounds[1] == MaxPort;

        public bool Contains(int port)
        {
            for (int i = 0; i < _bounds.Length; i += 2)
            {
                if (port < _bounds[i]) return false;
                if (port <= _bounds[i + 1]) return true;
            }
            return false;
        }

        /// <summary>
        /// Parses a Port value. Null, empty and "ALL" (any case) mean every port; otherwise a comma list of
        /// single ports and "first-last" ranges, spaces around items ignored. Anything else is malformed.
        /// </summary>
        public static bool TryParse(string text, out PortSet ports)
        {
            ports = null;
            if (text == null) { ports = All; return true; }
            string s = text.Trim();
            if (s.Length == 0 || string.Equals(s, "ALL", StringComparison.OrdinalIgnoreCase)) { ports = All; return true; }
            var ranges = new List<int[]>();
            foreach (string raw in s.Split(','))
            {
                string item = raw.Trim();
                int dash = item.IndexOf('-');
                int first, last;
                if (dash < 0)
                {
                    if (!TryPort(item, out first)) return false;
                    last = first;
                }
                else if (!TryPort(item.Substring(0, dash), out first) || !TryPort(item.Substring(dash + 1), out last) || first > last)
                {
                    return false;
                }
                ranges.Add(new[] { first, last });
            }
            ports = FromRanges(ranges);
            return true;
        }

        public static PortSet Parse(string text)
        {
            if (!TryParse(text, out PortSet p)) throw new FormatException("Not a port list: '" + text + "'.");
            return p;
        }

        public static PortSet Single(int port) => FromRanges(new[] { new[] { port, port } });

        public PortSet Union(PortSet other)
        {
            if (other.IsEmpty || IsAll) return this;
            if (IsEmpty || other.IsAll) return other;
            var ranges = new List<int[]>();
            for (int i = 0; i < _bounds.Length; i += 2) ranges.Add(new[] { _bounds[i], _bounds[i + 1] });
            for (int i = 0; i < other._bounds.Length; i += 2) ranges.Add(new[] { other._bounds[i], other._bounds[i + 1] });
            return FromRanges(ranges);
        }

        private static PortSet FromRanges(IEnumerable<int[]> ranges)
        {
            var list = new List<int[]>(ranges);
            list.Sort((a, b) => a[0].CompareTo(b[0]));
            var bounds = new List<int>();
            foreach (int[] r in list)
            {
                int n = bounds.Count;
                if (n > 0 && r[0] <= bounds[n - 1] + 1)
                {
                    if (r[1] > bounds[n - 1]) bounds[n - 1] = r[1];
                }
                else
                {
                    bounds.Add(r[0]);
                    bounds.Add(r[1]);
                }
            }
            if (bounds.Count == 2 && bounds[0] == 0 && bounds[1] == MaxPort) return All;
            return new PortSet(bounds.ToArray());
        }

        private static bool TryPort(string text, out int port)
        {
            port = 0;
            string s = text.Trim();
            if (s.Length == 0 || s.Length > 5) return false;
            foreach (char c in s)
            {
                if (c < '0' || c > '9') return false;
                port = port * 10 + (c - '0');
            }
            return port <= MaxPort;
        }

        public bool Equals(PortSet other)
        {
            if (other is null || other._bounds.Length != _bounds.Length) return false;
            for (int i = 0; i < _bounds.Length; i++)
            {
                if (_bounds[i] != other._bounds[i]) return false;
            }
            return true;
        }

        public override bool Equals(object obj) => Equals(obj as PortSet);

        public override int GetHashCode()
        {
            int h = 17;
            foreach (int b in _bounds) h = h * 31 + b;
            return h;
        }

        public override string ToString()
        {
            if (IsAll) return "ALL";
            var sb = new StringBuilder();
            for (int i = 0; i < _bounds.Length; i += 2)
            {
                if (sb.Length > 0) sb.Append(',');
                sb.Append(_bounds[i].ToString(CultureInfo.InvariantCulture));
                if (_bounds[i + 1] != _bounds[i]) sb.Append('-').Append(_bounds[i + 1].ToString(CultureInfo.InvariantCulture));
            }
            return sb.ToString();
        }
    }
}
