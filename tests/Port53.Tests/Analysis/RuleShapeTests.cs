using System.Linq;
using Port53.Analysis;
using Xunit;
using static Port53.Tests.Analysis.Rules;

namespace Port53.Tests.Analysis
{
    /// <summary>One ACCEPT rule of each shape, alone in a group: which of the four keys does it open?</summary>
    public class RuleShapeTests
    {
        [Theory]
        [InlineData("TCP", false, true)]
        [InlineData("UDP", true, false)]
        [InlineData("ALL", true, true)]
        [InlineData("tcp", false, true)]
        [InlineData("udp", true, false)]
        [InlineData("all", true, true)]
        [InlineData(" Udp ", true, false)]
        [InlineData("ICMP", false, false)]
        [InlineData("icmp", false, false)]
        [InlineData("ICMPv6", false, false)]
        [InlineData("icmpv6", false, false)]
        [InlineData("GRE", false, false)]
        [InlineData("gre", false, false)]
        public void Protocols(string protocol, bool udp, bool tcp)
        {
            ExposureResult r = Eval(Accept(protocol, "ALL", "0.0.0.0/0"));
            Assert.Equal(udp, r.UdpV4.Open);
            Assert.Equal(tcp, r.TcpV4.Open);
            Assert.False(r.UdpV6.Open);
            Assert.False(r.TcpV6.Open);
            Assert.True(r.IsCertain);
            Assert.Equal(udp || tcp, r.Exposed);
        }

        [Theory]
        [InlineData("ICMP", "53")]
        [InlineData("GRE", "53")]
        [InlineData("ICMPv6", "ALL")]
        public void PortIsIgnoredForNonPortProtocols(string protocol, string port)
        {
            ExposureResult r = Eval(Accept(protocol, port, "0.0.0.0/0"));
            Assert.False(r.Exposed);
            Assert.True(r.IsCertain);
        }

        [Theory]
        [InlineData("SCTP")]
        [InlineData("")]
        [InlineData(null)]
        [InlineData("TPC")]
        public void UnknownProtocolIsSurfacedNotSilentlyIgnored(string protocol)
        {
            ExposureResult r = Eval(Accept(protocol, "53", "0.0.0.0/0"));
            Assert.False(r.Exposed);
            Assert.All(r.Verdicts.Take(2), v => Assert.Equal(WarningKind.UnknownProtocol, Assert.Single(v.Warnings).Kind));
            // The source is IPv4 only, so the IPv6 verdicts could not have changed.
            Assert.True(r.UdpV6.IsCertain);
        }

        [Theory]
        [InlineData("ALL", true)]
        [InlineData("all", true)]
        [InlineData("", true)]
        [InlineData(null, true)]
        [InlineData("53", true)]
        [InlineData(" 53 ", true)]
        [InlineData("52", false)]
        [InlineData("54", false)]
        [InlineData("1-100", true)]
        [InlineData("54-60", false)]
        [InlineData("53-53", true)]
        [InlineData("53,80", true)]
        [InlineData("80,53", true)]
        [InlineData("22,50-60", true)]
        [InlineData("22, 50-60", true)]
        [InlineData("22,54-60", false)]
        public void Ports(string port, bool open)
        {
            foreach (string protocol in new[] { "UDP", "TCP", "ALL" })
            {
                ExposureResult r = Eval(Accept(protocol, port, "0.0.0.0/0"));
                Assert.Equal(open && protocol != "TCP", r.UdpV4.Open);
                Assert.Equal(open && protocol != "UDP", r.TcpV4.Open);
                Assert.True(r.IsCertain);
            }
        }

        [Theory]
        [InlineData("abc")]
        [InlineData("60-50")]
        [InlineData("70000")]
        [InlineData("53,")]
        [InlineData("5 3")]
        public void MalformedPortIsAWarningOnThatProtocol(string port)
        {
            ExposureResult r = Eval(Accept("UDP", port, "0.0.0.0/0"));
            Assert.False(r.Exposed);
            EvaluationWarning w = Assert.Single(r.UdpV4.Warnings);
            Assert.Equal(WarningKind.MalformedPort, w.Kind);
            Assert.Equal(port, w.Detail);
            Assert.True(r.TcpV4.IsCertain);
        }

        [Theory]
        [InlineData("0.0.0.0/0", true)]
        [InlineData("0.0.0.0/0 ", true)]
        [InlineData(" 0.0.0.0/0", true)]
        [InlineData("8.8.8.8", true)]
        [InlineData("8.8.8.8/32", true)]
        [InlineData("203.0.113.0/24", true)]
        [InlineData("10.0.0.0/8", false)]
        [InlineData("10.1.2.3", false)]
        [InlineData("172.16.0.0/12", false)]
        [InlineData("172.20.0.0/16", false)]
        [InlineData("192.168.0.0/16", false)]
        [InlineData("192.168.1.0/24", false)]
        [InlineData("100.64.0.0/10", false)]
        [InlineData("127.0.0.0/8", false)]
        [InlineData("169.254.0.0/16", false)]
        [InlineData("0.0.0.0/8", false)]
        [InlineData("224.0.0.0/4", false)]
        [InlineData("240.0.0.0/4", false)]
        [InlineData("224.0.0.0/3", false)]
        [InlineData("10.0.0.0/7", true)]      // also 11/8
        [InlineData("172.16.0.0/11", true)]   // 172.0-172.31: 172.0-15 is public
        [InlineData("100.64.0.0/9", true)]    // 100.0-100.127: 100.0-63 is public
        [InlineData("192.168.0.0/15", true)]  // 192.169/16 is public
        [InlineData("0.0.0.0/7", true)]       // 1/8 is public
        public void Ipv4CidrSources(string cidr, bool open)
        {
            ExposureResult r = Eval(Accept("UDP", "53", cidr));
            Assert.Equal(open, r.UdpV4.Open);
            Assert.False(r.UdpV6.Open);
            Assert.True(r.IsCertain);
            if (!open) Assert.True(r.UdpV4.NoRuleMatched);
        }

        [Theory]
        [InlineData("::/0", true)]
        [InlineData(" ::/0 ", true)]
        [InlineData("2000::/3", true)]
        [InlineData("2001:DB8::/32", true)]
        [InlineData("2400:CB00::1", true)]
        [InlineData("::2", true)]
        [InlineData("fc00::/6", true)]   // f800::/7 is public
        [InlineData("fe00::/7", true)]   // fe00::-fe7f:: and fec0::/10 are public
        [InlineData("FC00::/7", false)]
        [InlineData("fd12:3456::/32", false)]
        [InlineData("fe80::/10", false)]
        [InlineData("FE80::1", false)]
        [InlineData("ff00::/8", false)]
        [InlineData("FF02::1", false)]
        [InlineData("::1", false)]
        [InlineData("::1/128", false)]
        [InlineData("::", false)]
        [InlineData("::/128", false)]
        public void Ipv6CidrSources(string cidr6, bool open)
        {
            ExposureResult r = Eval(Rule6("UDP", "53", cidr6));
            Assert.Equal(open, r.UdpV6.Open);
            Assert.False(r.UdpV4.Open);
            Assert.True(r.IsCertain);
        }

        [Fact]
        public void CidrBlockAppliesOnlyToIpv4AndIpv6CidrBlockOnlyToIpv6()
        {
            ExposureResult v4 = Eval(Accept("ALL", "ALL", "0.0.0.0/0"));
            Assert.True(v4.UdpV4.Open && v4.TcpV4.Open);
            Assert.False(v4.UdpV6.Open || v4.TcpV6.Open);
            ExposureResult v6 = Eval(Rule6("ALL", "ALL", "::/0"));
            Assert.False(v6.UdpV4.Open || v6.TcpV4.Open);
            Assert.True(v6.UdpV6.Open && v6.TcpV6.Open);
        }

        [Theory]
        [InlineData("::/0", null)]
        [InlineData(null, "0.0.0.0/0")]
        [InlineData("not-a-cidr", null)]
        [InlineData("1.2.3.4/40", null)]
        [InlineData(null, "fe80::1%eth0")]
        public void MalformedCidrIsAWarningForItsFamily(string cidr, string cidr6)
        {
            var p = Accept("UDP", "53", cidr);
            p.Ipv6CidrBlock = cidr6;
            ExposureResult r = Eval(p);
            Assert.False(r.Exposed);
            IpFamily family = cidr != null ? IpFamily.IPv4 : IpFamily.IPv6;
            IpFamily other = cidr != null ? IpFamily.IPv6 : IpFamily.IPv4;
            Assert.Equal(WarningKind.MalformedSource, Assert.Single(r.Get(DnsProtocol.Udp, family).Warnings).Kind);
            Assert.True(r.Get(DnsProtocol.Udp, other).IsCertain);
            Assert.True(r.Get(DnsProtocol.Tcp, family).IsCertain);
        }

        [Fact]
        public void SourceSecurityGroupIsNeverTheInternet()
        {
            ExposureResult r = Eval(FromGroup("ALL", "ALL", "sg-peer"));
            Assert.False(r.Exposed);
            Assert.True(r.IsCertain);
            Assert.All(r.Verdicts, v => Assert.True(v.NoRuleMatched));
            // ...and a DROP from a source group closes nothing either.
            ExposureResult r2 = Eval(FromGroup("UDP", "53", "sg-peer", "DROP"), Accept("UDP", "53", "0.0.0.0/0"));
            Assert.True(r2.UdpV4.Open);
        }

        [Fact]
        public void NoSourceOrTwoSourcesIsMalformed()
        {
            var none = new Port53.Api.Models.SecurityGroupPolicy { Protocol = "UDP", Port = "53", Action = "ACCEPT", CidrBlock = "", Ipv6CidrBlock = " " };
            ExposureResult r = Eval(none);
            Assert.False(r.Exposed);
            Assert.Equal(WarningKind.MalformedSource, r.UdpV4.Warnings.Single().Kind);
            Assert.Equal(WarningKind.MalformedSource, r.UdpV6.Warnings.Single().Kind);

            var two = Accept("UDP", "53", "0.0.0.0/0");
            two.SecurityGroupId = "sg-peer";
            Assert.Equal(WarningKind.MalformedSource, Eval(two).UdpV4.Warnings.Single().Kind);
        }

        [Theory]
        [InlineData("accept", true)]
        [InlineData(" Accept ", true)]
        [InlineData("drop", false)]
        [InlineData("DROP", false)]
        public void ActionsAreCaseInsensitive(string action, bool open)
        {
            ExposureResult r = Eval(Rule("udp", "53", "0.0.0.0/0", action));
            Assert.Equal(open, r.UdpV4.Open);
            Assert.Equal(action.Trim().ToUpperInvariant() == "DROP" ? RuleAction.Drop : RuleAction.Accept, r.UdpV4.DecidingRule.Action);
        }

        [Theory]
        [InlineData("REJECT")]
        [InlineData("")]
        [InlineData(null)]
        public void UnknownActionIsAWarningAndDecidesNothing(string action)
        {
            ExposureResult r = Eval(Rule("UDP", "53", "0.0.0.0/0", action), Accept("UDP", "53", "0.0.0.0/0"));
            Assert.True(r.UdpV4.Open);
            Assert.Equal(1, r.UdpV4.DecidingRule.Position);
            Assert.Equal(WarningKind.UnknownAction, Assert.Single(r.UdpV4.Warnings).Kind);
            Assert.True(r.TcpV4.IsCertain);
        }

        [Fact]
        public void WhitespaceAndCaseEverywhere()
        {
            ExposureResult r = Eval(Rule(" udp ", " 53 , 80 ", " 0.0.0.0/0 ", " accept "), Rule6(" Tcp", "ALL ", " 2001:DB8:: / 32 ", "Accept"));
            Assert.True(r.UdpV4.Open);
            Assert.True(r.TcpV6.Open);
            Assert.False(r.TcpV4.Open);
            Assert.False(r.UdpV6.Open);
            Assert.True(r.IsCertain);
        }

        [Fact]
        public void AllProtocolWithExplicitPortHonoursThePort()
        {
            // Tencent documents Port ALL with protocol ALL; if a port comes back anyway it is honoured, not ignored.
            Assert.True(Eval(Accept("ALL", "53", "0.0.0.0/0")).Exposed);
            Assert.False(Eval(Accept("ALL", "80", "0.0.0.0/0")).Exposed);
        }
    }
}
