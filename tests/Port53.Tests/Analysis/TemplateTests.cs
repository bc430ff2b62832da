using System.Linq;
using Port53.Analysis;
using Port53.Api.Models;
using Xunit;
using static Port53.Tests.Analysis.Rules;

namespace Port53.Tests.Analysis
{
    public class TemplateTests
    {
        private static readonly TemplateCatalog Catalog = Rules.Catalog(
            new[]
            {
                Svc("ppm-dns", "udp:53"),
                Svc("ppm-tcpweb", "tcp:53,80"),
                Svc("ppm-all", "all"),
                Svc("ppm-icmp", "icmp"),
                Svc("ppm-udprange", " UDP:50-60 "),
                Svc("ppm-udpall", "udp:all"),
                Svc("ppm-tcpbare", "tcp"),
                Svc("ppm-tcp80", "tcp:80"),
                Svc("ppm-udp5460", "udp:54-60", "tcp:22"),
                Svc("ppm-mixed", "tcp:22,50-60", "icmp", "udp:1-52"),
                Svc("ppm-bad", "xyz:53"),
                Svc("ppm-badport", "udp:5x"),
                Svc("ppm-empty"),
            },
            new[]
            {
                SvcGroup("ppmg-mix", "ppm-tcp80", "ppm-dns"),
                SvcGroup("ppmg-nodns", "ppm-tcp80", "ppm-icmp"),
                SvcGroup("ppmg-missing", "ppm-tcp80", "ppm-nope"),
                SvcGroup("ppmg-missing-but-dns", "ppm-dns", "ppm-nope"),
            },
            new[]
            {
                Addr("ipm-pub", "8.8.8.8"),
                Addr("ipm-priv", "10.0.0.0/8", "192.168.0.1-192.168.0.100", "172.16.0.1"),
                Addr("ipm-pubrange", "1.1.1.1-1.1.1.10"),
                Addr("ipm-cross", "9.255.255.255-10.0.0.5"),
                Addr("ipm-mixed", "10.0.0.0/8", "2001:DB8::/32"),
                Addr("ipm-v6priv", "fd00::/8", "FE80::1", "fe80::10-fe80::20"),
                Addr("ipm-v6pubrange", "2001:db8::1-2001:db8::ff"),
                Addr("ipm-any", " 0.0.0.0/0 ", "::/0"),
                Addr("ipm-bad", "not-an-ip", "10.0.0.1"),
                Addr("ipm-bad6", "2001:db8::zz"),
                Addr("ipm-empty"),
            },
            new[]
            {
                AddrGroup("ipmg-privonly", "ipm-priv", "ipm-v6priv"),
                AddrGroup("ipmg-withpub", "ipm-priv", "ipm-pub"),
                AddrGroup("ipmg-missing", "ipm-priv", "ipm-nope"),
            });

        [Theory]
        [InlineData("ppm-dns", null, true, false)]
        [InlineData("ppm-tcpweb", null, false, true)]
        [InlineData("ppm-all", null, true, true)]
        [InlineData("ppm-icmp", null, false, false)]
        [InlineData("ppm-udprange", null, true, false)]
        [InlineData("ppm-udpall", null, true, false)]
        [InlineData("ppm-tcpbare", null, false, true)]
        [InlineData("ppm-tcp80", null, false, false)]
        [InlineData("ppm-udp5460", null, false, false)]
        [InlineData("ppm-mixed", null, false, true)]
        [InlineData("ppm-empty", null, false, false)]
        [InlineData(null, "ppmg-mix", true, false)]
        [InlineData(null, "ppmg-nodns", false, false)]
        [InlineData(" ppm-dns ", "", true, false)]
        public void ServiceTemplates(string serviceId, string serviceGroupId, bool udp, bool tcp)
        {
            ExposureResult r = Eval(Catalog, Service(serviceId, serviceGroupId, "0.0.0.0/0"));
            Assert.Equal(udp, r.UdpV4.Open);
            Assert.Equal(tcp, r.TcpV4.Open);
            Assert.True(r.IsCertain);
        }

        [Fact]
        public void ServiceTemplateReplacesProtocolAndPort()
        {
            SecurityGroupPolicy p = Service("ppm-dns", null, "0.0.0.0/0");
            p.Protocol = "TCP";
            p.Port = "80";
            ExposureResult r = Eval(Catalog, p);
            Assert.True(r.UdpV4.Open);
            Assert.False(r.TcpV4.Open);
        }

        [Theory]
        [InlineData("ppm-nope", null, "ppm-nope")]
        [InlineData(null, "ppmg-nope", "ppmg-nope")]
        [InlineData(null, "ppmg-missing", "ppm-nope")]
        public void UnknownServiceTemplateIsAWarningNotASilentNoMatch(string serviceId, string serviceGroupId, string reported)
        {
            ExposureResult r = Eval(Catalog, Service(serviceId, serviceGroupId, "0.0.0.0/0"));
            Assert.False(r.Exposed);
            foreach (ExposureVerdict v in new[] { r.UdpV4, r.TcpV4 })
            {
                Assert.False(v.IsCertain);
                EvaluationWarning w = Assert.Single(v.Warnings);
                Assert.Equal(WarningKind.UnknownServiceTemplate, w.Kind);
                Assert.Equal(reported, w.TemplateId);
                Assert.Equal("sg-1", w.GroupId);
            }
            Assert.True(r.UdpV6.IsCertain);
            Assert.Single(r.Warnings);
        }

        [Fact]
        public void KnownMembersOfAGroupWithAMissingMemberStillDecide()
        {
            ExposureResult r = Eval(Catalog, Service(null, "ppmg-missing-but-dns", "0.0.0.0/0"));
            Assert.True(r.UdpV4.Open);
            Assert.False(r.TcpV4.Open);
            Assert.False(r.TcpV4.IsCertain);
        }

        [Fact]
        public void MalformedServiceEntriesAreWarnings()
        {
            ExposureResult bad = Eval(Catalog, Service("ppm-bad", null, "0.0.0.0/0"));
            Assert.Equal(WarningKind.MalformedServiceEntry, bad.UdpV4.Warnings.Single().Kind);
            Assert.Equal("xyz:53", bad.TcpV4.Warnings.Single().Detail);

            ExposureResult badPort = Eval(Catalog, Service("ppm-badport", null, "0.0.0.0/0"));
            Assert.Equal(WarningKind.MalformedServiceEntry, badPort.UdpV4.Warnings.Single().Kind);
            Assert.True(badPort.TcpV4.IsCertain);
        }

        [Fact]
        public void ServiceReferenceWithBothOrNeitherIdIsMalformed()
        {
            ExposureResult both = Eval(Catalog, Service("ppm-dns", "ppmg-mix", "0.0.0.0/0"));
            Assert.False(both.Exposed);
            Assert.Equal(WarningKind.MalformedTemplateReference, both.UdpV4.Warnings.Single().Kind);

            // Neither id: Tencent returns an empty ServiceTemplate object next to Protocol/Port, which then apply.
            SecurityGroupPolicy neither = Accept("UDP", "53", "0.0.0.0/0");
            neither.ServiceTemplate = new ServiceTemplateSpecification { ServiceId = "", ServiceGroupId = "" };
            Assert.True(Eval(Catalog, neither).UdpV4.Open);
        }

        [Theory]
        [InlineData("ipm-pub", null, true, false)]
        [InlineData("ipm-priv", null, false, false)]
        [InlineData("ipm-pubrange", null, true, false)]
        [InlineData("ipm-cross", null, true, false)]
        [InlineData("ipm-mixed", null, false, true)]
        [InlineData("ipm-v6priv", null, false, false)]
        [InlineData("ipm-v6pubrange", null, false, true)]
        [InlineData("ipm-any", null, true, true)]
        [InlineData("ipm-empty", null, false, false)]
        [InlineData(null, "ipmg-privonly", false, false)]
        [InlineData(null, "ipmg-withpub", true, false)]
        [InlineData("IPM-PUB", "", true, false)]
        public void AddressTemplates(string addressId, string addressGroupId, bool v4, bool v6)
        {
            ExposureResult r = Eval(Catalog, Address("UDP", "53", addressId, addressGroupId));
            Assert.Equal(v4, r.UdpV4.Open);
            Assert.Equal(v6, r.UdpV6.Open);
            Assert.False(r.TcpV4.Open || r.TcpV6.Open);
            Assert.True(r.IsCertain);
        }

        [Fact]
        public void AddressTemplateDropClosesBothFamilies()
        {
            ExposureResult r = Eval(Catalog, Address("ALL", "ALL", "ipm-any", null, "DROP"), Accept("ALL", "ALL", "0.0.0.0/0"), Rule6("ALL", "ALL", "::/0"));
            Assert.False(r.Exposed);
            Assert.All(r.Verdicts, v => Assert.Equal(0, v.DecidingRule.Position));
        }

        [Theory]
        [InlineData("ipm-nope", null, "ipm-nope")]
        [InlineData(null, "ipmg-nope", "ipmg-nope")]
        [InlineData(null, "ipmg-missing", "ipm-nope")]
        public void UnknownAddressTemplateIsAWarningOnBothFamilies(string addressId, string addressGroupId, string reported)
        {
            ExposureResult r = Eval(Catalog, Address("UDP", "53", addressId, addressGroupId));
            Assert.False(r.Exposed);
            foreach (ExposureVerdict v in new[] { r.UdpV4, r.UdpV6 })
            {
                EvaluationWarning w = Assert.Single(v.Warnings);
                Assert.Equal(WarningKind.UnknownAddressTemplate, w.Kind);
                Assert.Equal(reported, w.TemplateId);
            }
            // The rule is UDP-only, so the TCP verdicts are unaffected.
            Assert.True(r.TcpV4.IsCertain && r.TcpV6.IsCertain);
        }

        [Fact]
        public void MalformedAddressEntriesWarnOnTheirFamilyAndTheRestStillApplies()
        {
            ExposureResult r = Eval(Catalog, Address("UDP", "53", "ipm-bad", null, "DROP"), Accept("UDP", "53", "10.0.0.0/8"));
            Assert.Equal(WarningKind.MalformedAddressEntry, r.UdpV4.Warnings.Single().Kind);
            Assert.Equal("not-an-ip", r.UdpV4.Warnings.Single().Detail);
            Assert.True(r.UdpV6.IsCertain);

            ExposureResult r6 = Eval(Catalog, Address("UDP", "53", "ipm-bad6", null));
            Assert.False(r6.UdpV6.IsCertain);
            Assert.True(r6.UdpV4.IsCertain);
        }

        [Fact]
        public void WarningsOnlyForRulesReachedBeforeTheDecision()
        {
            ExposureResult r = Eval(Catalog, Drop("UDP", "53", "0.0.0.0/0"), Service("ppm-nope", null, "0.0.0.0/0"));
            Assert.False(r.UdpV4.Open);
            Assert.True(r.UdpV4.IsCertain);
            // TCP is not decided by the DROP, so the unknown template is reached there.
            Assert.False(r.TcpV4.IsCertain);
            // The group still lists every rule's warnings.
            Assert.Single(ParsedGroup.Parse(Group("sg-1", Service("ppm-nope", null, "0.0.0.0/0")), Catalog).Warnings);
        }

        [Fact]
        public void MissingCatalogMeansEveryTemplateIsUnknown()
        {
            ExposureResult r = Eval(TemplateCatalog.Empty, Service("ppm-dns", null, "0.0.0.0/0"));
            Assert.False(r.IsCertain);
            Assert.True(Catalog.HasServiceTemplate("ppm-dns"));
            Assert.True(Catalog.HasServiceTemplateGroup("ppmg-mix"));
            Assert.True(Catalog.HasAddressTemplate("ipm-pub"));
            Assert.True(Catalog.HasAddressTemplateGroup("ipmg-withpub"));
            Assert.False(Catalog.HasAddressTemplate("ipm-nope"));
        }

        [Fact]
        public void CollectsReferencedTemplateIds()
        {
            TemplateReferences refs = TemplateReferences.Collect(new[]
            {
                Service("ppm-a", null, "0.0.0.0/0"), Service(null, "ppmg-b", "0.0.0.0/0"), Service(" ppm-a ", "", "0.0.0.0/0"),
                Address("UDP", "53", "ipm-c", null), Address("UDP", "53", null, "ipmg-d"), Accept("UDP", "53", "0.0.0.0/0"),
            });
            Assert.Equal(new[] { "ppm-a" }, refs.ServiceIds);
            Assert.Equal(new[] { "ppmg-b" }, refs.ServiceGroupIds);
            Assert.Equal(new[] { "ipm-c" }, refs.AddressIds);
            Assert.Equal(new[] { "ipmg-d" }, refs.AddressGroupIds);
            Assert.True(TemplateReferences.Collect(new SecurityGroupPolicy[0]).IsEmpty);
        }
    }
}
