using System.Net;
using System.Net.Sockets;

namespace Port53.Analysis
{
    /// <summary>
    /// Parses the address forms Tencent returns in CidrBlock, Ipv6CidrBlock and address-template AddressSet
    /// entries: a single address ("1.2.3.4", no /32 needed), a CIDR block ("10.0.0.0/8", host bits ignored) and
    /// a range ("10.0.0.1-10.0.0.100"), in either family, tolerating surrounding spaces and uppercase IPv6.
    /// </summary>
    internal static class IpText
    {
        public static bool TryParseAddress(string text, out IpFamily family, out Address128 address)
        {
            family = IpFamily.IPv4;
            address = Address128.Zero;
            if (text == null) return false;
            string s = text.Trim();
            if (s.Length == 0) return false;
            if (s.IndexOf(':') >= 0)
            {
                family = IpFamily.IPv6;
                // A zone index ("fe80::1%eth0") has no meaning in a rule.
                if (s.IndexOf('%') >= 0) return false;
                if (!IPAddress.TryParse(s, out IPAddress ip) || ip.AddressFamily != AddressFamily.InterNetworkV6) return false;
                byte[] b = ip.GetAddressBytes();
                ulong hi = 0, lo = 0;
                for (int i = 0; i < 8; i++)
                {
                    hi = (hi << 8) | b[i];
                    lo = (lo << 8) | b[8 + i];
                }
                address = new Address128(hi, lo);
                return true;
            }
            return TryParseIPv4(s, out address);
        }

        /// <summary>Strict dotted quad: four decimal parts 0-255 (IPAddress.TryParse would also take "10" or "10.1").</summary>
        private static bool TryParseIPv4(string s, out Address128 address)
        {
            address = Address128.Zero;
            uint value = 0;
            int parts = 0, digits = 0, part = 0;
            for (int i = 0; i <= s.Length; i++)
            {
                if (i == s.Length || s[i] == '.')
                {
                    if (digits == 0 || part > 255) return false;
                    value = (value << 8) | (uint)part;
                    parts++;
                    digits = 0;
                    part = 0;
                    continue;
                }
                char c = s[i];
                if (c < '0' || c > '9' || ++digits > 3) return false;
                part = part * 10 + (c - '0');
            }
            if (parts != 4) return false;
            address = Address128.FromIPv4(value);
            return true;
        }

        /// <summary>A single address, CIDR block or "first-last" range.</summary>
        public static bool TryParseBlock(string text, out IpFamily family, out AddressRange range)
        {
            family = IpFamily.IPv4;
            range = default(AddressRange);
            if (text == null) return false;
            string s = text.Trim();
            int slash = s.IndexOf('/');
            if (slash >= 0)
            {
                if (!TryParseAddress(s.Substring(0, slash), out family, out Address128 a)) return false;
                string p = s.Substring(slash + 1).Trim();
                if (p.Length == 0 || p.Length > 3) return false;
                int prefix = 0;
                foreach (char c in p)
                {
                    if (c < '0' || c > '9') return false;
                    prefix = prefix * 10 + (c - '0');
                }
                if (prefix > Address128.Bits(family)) return false;
                range = AddressRange.FromPrefix(family, a, prefix);
                return true;
            }
            int dash = s.IndexOf('-');
            if (dash >= 0)
            {
                if (!TryParseAddress(s.Substring(0, dash), out family, out Address128 first)) return false;
                if (!TryParseAddress(s.Substring(dash + 1), out IpFamily family2, out Address128 last)) return false;
                if (family2 != family || first > last) return false;
                range = new AddressRange(first, last);
                return true;
            }
            if (!TryParseAddress(s, out family, out Address128 single)) return false;
            range = new AddressRange(single, single);
            return true;
        }

        /// <summary>Parses a block and requires the given family (CidrBlock is IPv4 only, Ipv6CidrBlock IPv6 only).</summary>
        public static bool TryParseBlock(string text, IpFamily requiredFamily, out AddressRange range) =>
            TryParseBlock(text, out IpFamily family, out range) && family == requiredFamily;
    }
}
