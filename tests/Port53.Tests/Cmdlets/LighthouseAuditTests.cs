using System.Linq;
using System.Management.Automation;
using Port53.Model;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Cmdlets
{
    /// <summary>
    /// Get-TcLighthouseInstance, Get-TcLighthouseFirewallRule and Test-TcPort53 on Lighthouse instances, in the hosted
    /// engine against the emulator's demo fleet (four Lighthouse servers: an AdGuard box open to the world, the seed's
    /// DROPs below an ACCEPT, one already closed, one with Tencent's default firewall).
    /// </summary>
    public class LighthouseAuditTests : IClassFixture<EmulatorSession>
    {
        private readonly EmulatorSession _ps;

        public LighthouseAuditTests(EmulatorSession ps)
        {
            _ps = ps;
            _ps.Restore();
        }

        private static T[] Of<T>(PsResult r) => r.Output.Select(o => Assert.IsType<T>(o.BaseObject)).ToArray();

        private TcPort53Exposure[] TestAll(string script = "Get-TcLighthouseInstance -Region * | Test-TcPort53")
        {
            PsResult r = _ps.RunConnected(script);
            r.AssertNoErrors();
            return Of<TcPort53Exposure>(r);
        }

        [Fact]
        public void Every_region_lighthouse_is_sold_in_is_listed_from_its_own_region_list()
        {
            PsResult r = _ps.RunConnected("Get-TcLighthouseInstance -Region *");
            r.AssertNoErrors();
            TcLighthouseInstance[] all = Of<TcLighthouseInstance>(r);
            Assert.Equal(new[] { "lhins-bjblock1", "lhins-gzdns001", "lhins-hkweb001", "lhins-shlate01" }, all.Select(i => i.InstanceId).OrderBy(x => x));
            TcLighthouseInstance adguard = all.Single(i => i.InstanceId == "lhins-gzdns001");
            Assert.Equal(("ap-guangzhou", "lh-adguard-open", "RUNNING"), (adguard.Region, adguard.InstanceName, adguard.State));
            Assert.Equal(new[] { "43.139.1.10" }, adguard.PublicIpAddresses);
            Assert.Equal(new[] { "240d:c000:1010:1::10" }, adguard.Ipv6Addresses);
            // Regions come from Lighthouse's DescribeRegions, and every call names lighthouse.
            Assert.Equal(1, _ps.Server.Requests.Count(q => q.Action == "DescribeRegions" && q.Service == "lighthouse"));
            Assert.All(_ps.Server.Requests.Where(q => q.Action == "DescribeInstances"), q => Assert.Equal("lighthouse", q.Service));
        }

        [Fact]
        public void Ids_and_filters_narrow_and_an_id_found_nowhere_is_one_error()
        {
            PsResult byName = _ps.RunConnected("Get-TcLighthouseInstance -Region * -Name 'lh-adguard*'");
            byName.AssertNoErrors();
            Assert.Equal(new[] { "lhins-gzdns001" }, Of<TcLighthouseInstance>(byName).Select(i => i.InstanceId));

            PsResult both = _ps.RunConnected("Get-TcLighthouseInstance -Region * -InstanceId lhins-shlate01, lhins-bjblock1 -State RUNNING");
            both.AssertNoErrors();
            Assert.Equal(new[] { "lhins-bjblock1", "lhins-shlate01" }, Of<TcLighthouseInstance>(both).Select(i => i.InstanceId).OrderBy(x => x));

            PsResult missing = _ps.RunConnected("Get-TcLighthouseInstance lhins-gzdns001, lhins-00000000");
            Assert.Equal(new[] { "lhins-gzdns001" }, Of<TcLighthouseInstance>(missing).Select(i => i.InstanceId));
            ErrorRecord error = Assert.Single(missing.Errors);
            Assert.Equal("Port53.InstanceNotFound,Port53.Cmdlets.GetTcLighthouseInstanceCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);

            PsResult typo = _ps.RunConnected("Get-TcLighthouseInstance ins-12345678");
            Assert.Contains("lhins-xxxxxxxx", typo.SingleFailure().Exception.Message);
        }

        [Fact]
        public void The_firewall_is_listed_in_order_with_positions_and_its_version()
        {
            PsResult r = _ps.RunConnected("Get-TcLighthouseInstance -Region ap-shanghai | Get-TcLighthouseFirewallRule");
            r.AssertNoErrors();
            TcLighthouseFirewallRule[] rules = Of<TcLighthouseFirewallRule>(r);
            Assert.Equal(new[] { "ALL ALL 0.0.0.0/0 ACCEPT", "UDP 53 0.0.0.0/0 DROP", "TCP 53 0.0.0.0/0 DROP" }, rules.Select(x => x.ToString()));
            Assert.Equal(new[] { 0, 1, 2 }, rules.Select(x => x.Position));
            Assert.All(rules, x => Assert.Equal((7L, "lhins-shlate01", "ap-shanghai"), (x.FirewallVersion, x.InstanceId, x.Region)));
            Assert.Equal("port53-block", rules[1].Description);
            Assert.All(rules, x => Assert.False(x.IsPort53Rule));

            PsResult nowhere = _ps.RunConnected("Get-TcLighthouseFirewallRule lhins-00000000 -Region ap-guangzhou, ap-shanghai");
            Assert.Empty(nowhere.Output);
            Assert.Equal("Port53.InstanceNotFound,Port53.Cmdlets.GetTcLighthouseFirewallRuleCommand", Assert.Single(nowhere.Errors).FullyQualifiedErrorId);
        }

        [Fact]
        public void Test_gives_each_lighthouse_server_its_verdicts_and_deciding_rule_positions()
        {
            TcPort53Exposure[] all = TestAll();
            Assert.Equal(4, all.Length);

            TcPort53Exposure adguard = all.Single(e => e.InstanceId == "lhins-gzdns001");
            Assert.True(adguard.Exposed);
            Assert.True(adguard.HasPublicAddress);
            Assert.Empty(adguard.SecurityGroupIds);
            Assert.Equal(4L, adguard.FirewallVersion);
            Assert.Equal(("lhins-gzdns001", (long?)2, "ACCEPT", "UDP 53 0.0.0.0/0 ACCEPT"), (adguard.UdpIPv4.Firewall, adguard.UdpIPv4.PolicyIndex, adguard.UdpIPv4.Action, adguard.UdpIPv4.Rule));
            Assert.Null(adguard.UdpIPv4.SecurityGroupId);
            Assert.Equal("open: lhins-gzdns001#2", adguard.UdpIPv4.ToString());
            Assert.Equal("open: lhins-gzdns001#3", adguard.TcpIPv4.ToString());
            Assert.Equal("open: lhins-gzdns001#4", adguard.UdpIPv6.ToString());
            Assert.True(adguard.TcpIPv6.NoRuleMatched);

            TcPort53Exposure late = all.Single(e => e.InstanceId == "lhins-shlate01");
            Assert.Equal(("open: lhins-shlate01#0", "open: lhins-shlate01#0"), (late.UdpIPv4.ToString(), late.TcpIPv4.ToString()));
            Assert.False(late.UdpIPv6.Open);

            TcPort53Exposure closed = all.Single(e => e.InstanceId == "lhins-bjblock1");
            Assert.False(closed.Exposed);
            Assert.Equal(("closed: lhins-bjblock1#0", "closed: lhins-bjblock1#1"), (closed.UdpIPv4.ToString(), closed.TcpIPv4.ToString()));

            TcPort53Exposure web = all.Single(e => e.InstanceId == "lhins-hkweb001");
            Assert.False(web.Exposed);
            Assert.All(web.Verdicts, v => Assert.True(v.NoRuleMatched));
            Assert.Equal(4, _ps.Count("DescribeFirewallRules"));
        }

        [Fact]
        public void A_mixed_pipeline_tests_cvm_and_lighthouse_instances_alike_and_a_result_tests_again()
        {
            TcPort53Exposure[] mixed = TestAll("@(Get-TcInstance -InstanceId ins-gzweb001; Get-TcLighthouseInstance -InstanceId lhins-gzdns001) | Test-TcPort53");
            Assert.Equal(new[] { "ins-gzweb001", "lhins-gzdns001" }, mixed.Select(e => e.InstanceId).OrderBy(x => x));
            Assert.All(mixed, e => Assert.True(e.Exposed));
            Assert.NotEmpty(mixed.Single(e => e.InstanceId == "ins-gzweb001").SecurityGroupIds);

            TcPort53Exposure again = Assert.Single(TestAll("Get-TcLighthouseInstance lhins-gzdns001 | Test-TcPort53 | Test-TcPort53 -Protocol UDP"));
            Assert.Equal("open: lhins-gzdns001#2", again.UdpIPv4.ToString());
            Assert.Null(again.TcpIPv4);
        }

        [Fact]
        public void Lighthouse_ids_complete_from_the_ones_listed()
        {
            _ps.RunConnected("Get-TcLighthouseInstance -Region * | Out-Null").AssertNoErrors();
            PsResult r = _ps.Run("(TabExpansion2 -inputScript 'Get-TcLighthouseFirewallRule -InstanceId lhins-gz' -cursorColumn 45).CompletionMatches.CompletionText");
            Assert.Equal(new[] { "lhins-gzdns001" }, r.Output.Select(o => o.ToString()));
        }
    }
}
