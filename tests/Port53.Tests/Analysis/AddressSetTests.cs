using System;
using System.Linq;
using Port53.Analysis;
using Xunit;

namespace Port53.Tests.Analysis
{
    public class AddressSetTests
    {
        private static AddressSet V4(params string[] blocks) =>
            AddressSet.FromRanges(IpFamily.IPv4, blocks.Select(b => { Assert.True(IpText.TryParseBlock(b, IpFamily.IPv4, out AddressRange r), b); return r; }));

        private static AddressSet V6(params string[] blocks) =>
            AddressSet.FromRanges(IpFamily.IPv6, blocks.Select(b => { Assert.True(IpText.TryParseBlock(b, IpFamily.IPv6, out AddressRange r), b); return r; }));

        private static Address128 A(string text)
        {
            Assert.True(IpText.TryParseAddress(text, out _, out Address128 a), text);
            return a;
        }

        [Theory]
        [InlineData("0.0.0.0/0", "v4", "0.0.0.0", "255.255.255.255")]
        [InlineData(" 0.0.0.0/0 ", "v4", "0.0.0.0", "255.255.255.255")]
        [InlineData("10.0.0.0/8", "v4", "10.0.0.0", "10.255.255.255")]
        [InlineData("10.1.2.3/8", "v4", "10.0.0.0", "10.255.255.255")]
        [InlineData("1.2.3.4", "v4", "1.2.3.4", "1.2.3.4")]
        [InlineData("1.2.3.4/32", "v4", "1.2.3.4", "1.2.3.4")]
        [InlineData("10.0.0.1-10.0.0.100", "v4", "10.0.0.1", "10.0.0.100")]
        [InlineData("10.0.0.1 - 10.0.0.100", "v4", "10.0.0.1", "10.0.0.100")]
        [InlineData("172.16.0.0 / 12", "v4", "172.16.0.0", "172.31.255.255")]
        [InlineData("::/0", "v6", "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
        [InlineData("FC00::/7", "v6", "fc00::", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
        [InlineData("2001:DB8::1", "v6", "2001:db8::1", "2001:db8::1")]
        [InlineData("2001:db8::/64", "v6", "2001:db8::", "2001:db8::ffff:ffff:ffff:ffff")]
        [InlineData("2001:db8::/65", "v6", "2001:db8::", "2001:db8::7fff:ffff:ffff:ffff")]
        [InlineData("2001:db8::/63", "v6", "2001:db8::", "2001:db8:0:1:ffff:ffff:ffff:ffff")]
        [InlineData("2001:db8::1-2001:db8::ff", "v6", "2001:db8::1", "2001:db8::ff")]
        [InlineData("::ffff:1.2.3.4", "v6", "::ffff:1.2.3.4", "::ffff:1.2.3.4")]
        public void ParsesBlocks(string text, string family, string first, string last)
        {
            Assert.True(IpText.TryParseBlock(text, out IpFamily f, out AddressRange r));
            Assert.Equal(family == "v4" ? IpFamily.IPv4 : IpFamily.IPv6, f);
            Assert.Equal(A(first), r.First);
            Assert.Equal(A(last), r.Last);
        }

        [Theory]
        [InlineData("")]
        [InlineData("  ")]
        [InlineData(null)]
        [InlineData("10")]
        [InlineData("10.1")]
        [InlineData("1.2.3")]
        [InlineData("1.2.3.4.5")]
        [InlineData("256.1.1.1")]
        [InlineData("1.2.3.4/33")]
        [InlineData("1.2.3.4/")]
        [InlineData("1.2.3.4/-1")]
        [InlineData("1.2.3.4/a")]
        [InlineData("::/129")]
        [InlineData("10.0.0.9-10.0.0.1")]
        [InlineData("10.0.0.1-::1")]
        [InlineData("fe80::1%eth0")]
        [InlineData("gggg::1")]
        [InlineData("example.com")]
        [InlineData("1.2.3.4 5")]
        public void RejectsMalformedBlocks(string text)
        {
            Assert.False(IpText.TryParseBlock(text, out _, out _));
        }

        [Fact]
        public void FamilyIsEnforcedWhenRequired()
        {
            Assert.False(IpText.TryParseBlock("::/0", IpFamily.IPv4, out _));
            Assert.False(IpText.TryParseBlock("0.0.0.0/0", IpFamily.IPv6, out _));
            Assert.True(IpText.TryParseBlock("::/0", IpFamily.IPv6, out _));
        }

        [Fact]
        public void NormalisesMergingOverlapsAndNeighbours()
        {
            AddressSet s = V4("10.0.0.0/24", "10.0.1.0/24", "10.0.0.128/25", "9.0.0.0/8");
            Assert.Equal("9.0.0.0-10.0.1.255", s.ToString());
            Assert.Equal(AddressSet.All(IpFamily.IPv4), V4("0.0.0.0/1", "128.0.0.0/1"));
            Assert.Equal(AddressSet.All(IpFamily.IPv6), V6("::/1", "8000::/1"));
            Assert.Equal(AddressSet.All(IpFamily.IPv4), V4("255.255.255.255", "0.0.0.0/0"));
        }

        [Fact]
        public void SetOperations()
        {
            AddressSet a = V4("10.0.0.0/8");
            AddressSet b = V4("10.1.0.0/16", "11.0.0.0/8");
            Assert.Equal(V4("10.1.0.0/16"), a.Intersect(b));
            Assert.Equal(V4("10.0.0.0-10.0.255.255", "10.2.0.0-10.255.255.255"), a.Subtract(b));
            Assert.Equal(V4("10.0.0.0/7"), a.Union(b));
            Assert.True(a.Overlaps(b));
            Assert.False(a.Overlaps(V4("12.0.0.0/8")));
            Assert.True(a.Subtract(a).IsEmpty);
            Assert.Equal(a, a.Subtract(AddressSet.Empty(IpFamily.IPv4)));
            Assert.True(AddressSet.All(IpFamily.IPv4).Subtract(AddressSet.All(IpFamily.IPv4)).IsEmpty);
            Assert.Equal(V4("0.0.0.0-9.255.255.255", "11.0.0.0-255.255.255.255"), a.Complement());
            Assert.True(V4("0.0.0.0/0").IsSupersetOf(a));
            Assert.False(a.IsSupersetOf(b));
            Assert.Throws<ArgumentException>(() => a.Union(AddressSet.Empty(IpFamily.IPv6)));
        }

        [Fact]
        public void SubtractSeveralHolesFromOneRange()
        {
            AddressSet s = V4("0.0.0.0/0").Subtract(V4("0.0.0.0", "1.0.0.0/8", "3.0.0.0/8", "255.255.255.255"));
            Assert.Equal("0.0.0.1-0.255.255.255, 2.0.0.0-2.255.255.255, 4.0.0.0-255.255.255.254", s.ToString());
            AddressSet v6 = V6("::/0").Subtract(V6("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
            Assert.Equal(V6("::1-ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"), v6);
        }

        [Fact]
        public void Carries128BitArithmeticAcrossTheWordBoundary()
        {
            Address128 a = A("::ffff:ffff:ffff:ffff");
            Assert.Equal(A("0:0:0:1::"), a.Increment());
            Assert.Equal(a, A("0:0:0:1::").Decrement());
            AddressSet s = V6("::/64").Union(V6("0:0:0:1::/64"));
            Assert.Equal(V6("::/63"), s);
        }

        [Fact]
        public void Contains()
        {
            AddressSet s = V4("10.0.0.0/8", "192.168.0.0/16", "8.8.8.8");
            Assert.True(s.Contains(A("10.255.255.255")));
            Assert.True(s.Contains(A("8.8.8.8")));
            Assert.False(s.Contains(A("8.8.8.9")));
            Assert.False(s.Contains(A("11.0.0.0")));
            Assert.False(AddressSet.Empty(IpFamily.IPv4).Contains(A("1.1.1.1")));
        }

        [Theory]
        [InlineData("8.8.8.8", true)]
        [InlineData("1.1.1.1", true)]
        [InlineData("9.255.255.255", true)]
        [InlineData("10.0.0.0", false)]
        [InlineData("10.255.255.255", false)]
        [InlineData("11.0.0.0", true)]
        [InlineData("172.15.255.255", true)]
        [InlineData("172.16.0.0", false)]
        [InlineData("172.31.255.255", false)]
        [InlineData("172.32.0.0", true)]
        [InlineData("192.167.255.255", true)]
        [InlineData("192.168.0.1", false)]
        [InlineData("192.169.0.0", true)]
        [InlineData("100.63.255.255", true)]
        [InlineData("100.64.0.0", false)]
        [InlineData("100.127.255.255", false)]
        [InlineData("100.128.0.0", true)]
        [InlineData("127.0.0.1", false)]
        [InlineData("169.254.1.1", false)]
        [InlineData("0.1.2.3", false)]
        [InlineData("1.0.0.0", true)]
        [InlineData("223.255.255.255", true)]
        [InlineData("224.0.0.1", false)]
        [InlineData("239.255.255.255", false)]
        [InlineData("240.0.0.1", false)]
        [InlineData("255.255.255.255", false)]
        [InlineData("2001:4860:4860::8888", true)]
        [InlineData("2400:cb00::1", true)]
        [InlineData("::", false)]
        [InlineData("::1", false)]
        [InlineData("::2", true)]
        [InlineData("fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true)]
        [InlineData("fc00::1", false)]
        [InlineData("FD12:3456::1", false)]
        [InlineData("fe80::1", false)]
        [InlineData("febf::1", false)]
        [InlineData("fec0::1", true)]
        [InlineData("ff02::1", false)]
        public void PublicAddressSpaceIsTheOneList(string address, bool isPublic)
        {
            Assert.True(IpText.TryParseAddress(address, out IpFamily family, out Address128 a));
            Assert.Equal(isPublic, PublicAddressSpace.IsPublic(family, a));
        }

        [Fact]
        public void FormatsAddresses()
        {
            Assert.Equal("10.0.0.1", A("10.0.0.1").ToString(IpFamily.IPv4));
            Assert.Equal("2001:db8::1", A("2001:DB8:0::1").ToString(IpFamily.IPv6));
        }
    }
}
