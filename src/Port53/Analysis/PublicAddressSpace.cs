using System.Collections.Generic;

namespace Port53.Analysis
{
    /// <summary>
    /// The one place that says which addresses are "the internet". Everything not listed here is public:
    /// a rule whose source reaches any of it exposes the port.
    /// </summary>
    internal static class PublicAddressSpace
    {
        /// <summary>IPv4 blocks that are not reachable from the internet.</summary>
        public static readonly IReadOnlyList<string> NonPublicV4 = new[]
        {
            "0.0.0.0/8",        // "this network"
            "10.0.0.0/8",       // RFC 1918
            "100.64.0.0/10",    // carrier-grade NAT (RFC 6598)
            "127.0.0.0/8",      // loopback
            "169.254.0.0/16",   // link-local
            "172.16.0.0/12",    // RFC 1918
            "192.168.0.0/16",   // RFC 1918
            "224.0.0.0/4",      // multicast
            "240.0.0.0/4",      // reserved (includes 255.255.255.255)
        };

        /// <summary>IPv6 blocks that are not reachable from the internet.</summary>
        public static readonly IReadOnlyList<string> NonPublicV6 = new[]
        {
            "::/128",           // unspecified
            "::1/128",          // loopback
            "fc00::/7",         // unique local
            "fe80::/10",        // link-local
            "ff00::/8",         // multicast
        };

        public static readonly AddressSet NonPublicIPv4 = Build(IpFamily.IPv4, NonPublicV4);
        public static readonly AddressSet NonPublicIPv6 = Build(IpFamily.IPv6, NonPublicV6);
        public static readonly AddressSet IPv4 = NonPublicIPv4.Complement();
        public static readonly AddressSet IPv6 = NonPublicIPv6.Complement();

        public static AddressSet For(IpFamily family) => family == IpFamily.IPv4 ? IPv4 : IPv6;

        internal static bool IsPublic(IpFamily family, Address128 address) => For(family).Contains(address);

        private static AddressSet Build(IpFamily family, IReadOnlyList<string> blocks)
        {
            var ranges = new List<AddressRange>();
            foreach (string b in blocks)
            {
                IpText.TryParseBlock(b, family, out AddressRange r);
                ranges.Add(r);
            }
            return AddressSet.FromRanges(family, ranges);
        }
    }
}
