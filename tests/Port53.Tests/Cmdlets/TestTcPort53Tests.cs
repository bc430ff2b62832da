using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Port53.Api;
using Port53.Api.Models;
using Port53.Model;
using Port53.Tests.Api;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Cmdlets
{
    /// <summary>Test-TcPort53 against the demo fleet: the exposure table of docs/emulator.md, read-once, narrowing, -Quiet, errors, streaming.</summary>
    public class TestTcPort53Tests : IClassFixture<EmulatorSession>
    {
        private const string Cmdlet = ",Port53.Cmdlets.TestTcPort53Command";
        private readonly EmulatorSession _ps;

        public TestTcPort53Tests(EmulatorSession ps)
        {
            _ps = ps;
            _ps.Restore();
        }

        private static TcPort53Exposure[] Exposures(PsResult r) => r.Output.Select(o => Assert.IsType<TcPort53Exposure>(o.BaseObject)).ToArray();

        private TcPort53Exposure[] AllInstances(string parameters = "")
        {
            PsResult r = _ps.RunConnected("Get-TcInstance -Region * | Test-TcPort53 " + parameters);
            r.AssertNoErrors();
            return Exposures(r);
        }

        [Fact]
        public void EveryDemoInstanceHasTheDocumentedExposureAndDecidingRule()
        {
            TcPort53Exposure[] all = AllInstances();
            Assert.Equal(DemoExposure.Instances.Select(i => i.InstanceId).OrderBy(x => x), all.Select(e => e.InstanceId).OrderBy(x => x));
            foreach (TcPort53Exposure e in all) DemoExposure.AssertMatches(DemoExposure.Instance(e.InstanceId), e);
            // The table's own count: 16 instances with an open column, ins-gznopub1 among them for lack of only an address.
            Assert.Equal(16, all.Count(e => e.Exposed));
            Assert.Equal(15, all.Count(e => e.Exposed && e.HasPublicAddress == true));
        }

        [Fact]
        public void TheReadmePipelineKeepsTheExposedInstancesOfTheDefaultRegion()
        {
            PsResult r = _ps.RunConnected("Get-TcInstance | Test-TcPort53 | Where-Object Exposed");
            r.AssertNoErrors();
            Assert.Equal(DemoExposure.Instances.Where(i => i.Region == "ap-guangzhou" && i.Exposed).Select(i => i.InstanceId).OrderBy(x => x),
                Exposures(r).Select(e => e.InstanceId).OrderBy(x => x));
        }

        [Fact]
        public void DecidingRulesReadLikeTheConsole()
        {
            TcPort53Exposure[] all = AllInstances();
            TcPort53Exposure shared = all.Single(e => e.InstanceId == "ins-gzshr002");
            Assert.Equal("UDP 53 0.0.0.0/0 ACCEPT", shared.UdpIPv4.Rule);
            Assert.Equal("open: sg-shared01#1", shared.UdpIPv4.ToString());
            Assert.Equal("closed: no rule", shared.UdpIPv6.ToString());
            Assert.Equal("ins-gzshr002: exposed", shared.ToString());
            TcPort53Exposure drop = all.Single(e => e.InstanceId == "ins-gzdrop01");
            Assert.Equal("closed: sg-firstdrp#1", drop.TcpIPv4.ToString());
            Assert.Equal("TCP 53 0.0.0.0/0 DROP", drop.TcpIPv4.Rule);
            // sg-dnstcp01 stores "tcp"; sg-svctmpl1#1 names a service template group; sg-addrtpl1#1 an address template group.
            Assert.Equal("TCP 53 0.0.0.0/0 ACCEPT", all.Single(e => e.InstanceId == "ins-shtcp001").TcpIPv4.Rule);
            Assert.Equal("ppmg-dnsall1 ::/0 ACCEPT", all.Single(e => e.InstanceId == "ins-shsvc001").TcpIPv6.Rule);
            Assert.Equal("TCP 53 ipmg-public1 ACCEPT", all.Single(e => e.InstanceId == "ins-bjaddr01").TcpIPv6.Rule);
        }

        [Fact]
        public void TheTableViewShowsTheVerdictsAndTheirRules()
        {
            PsResult r = _ps.RunConnected("Get-TcInstance -InstanceId ins-gzshr001, ins-gzdrop01 | Test-TcPort53 | Out-Default");
            r.AssertNoErrors();
            foreach (string text in new[] { "Target", "UDP/IPv4", "TCP/IPv6", "ins-gzshr001", "open: sg-shared01#1", "open: sg-shared01#2", "closed: sg-firstdrp#0", "closed: no rule" })
                Assert.Contains(text, r.HostText);
        }

        [Fact]
        public void EachSharedGroupIsReadOnceAndTemplatesOnceWhereUsed()
        {
            _ps.RunConnected("$global:demo = Get-TcInstance -Region *").AssertNoErrors();
            _ps.Server.ClearRequests();
            PsResult r = _ps.Run("$global:demo | Test-TcPort53");
            r.AssertNoErrors();
            Assert.Equal(21, r.Output.Count);
            // Piped instances are taken whole: nothing is described again.
            Assert.Equal(0, _ps.Count("DescribeInstances"));
            foreach (var g in DemoExposure.Groups) Assert.Equal(1, _ps.Count("DescribeSecurityGroupPolicies", g.Id));
            Assert.Equal(DemoExposure.Groups.Length, _ps.Count("DescribeSecurityGroupPolicies"));
            // Per region, each template kind its groups' rules name, and no other.
            foreach (var (action, kind) in new[] { ("DescribeServiceTemplates", "service"), ("DescribeServiceTemplateGroups", "service-group"),
                                                   ("DescribeAddressTemplates", "address"), ("DescribeAddressTemplateGroups", "address-group") })
            {
                var regions = DemoExposure.Groups.Where(g => g.Templates.Split(',').Any(t => t == kind || (kind == "service" && t == "service-group") || (kind == "address" && t == "address-group")))
                    .Select(g => g.Region).Distinct().ToList();
                Assert.Equal(regions.Count, _ps.Count(action));
                Assert.All(regions, region => Assert.Equal(1, _ps.Count(action, region: region)));
            }
        }

        [Fact]
        public void ProtocolAndAddressFamilyNarrowWhatIsTestedAndWhatCountsAsExposed()
        {
            TcPort53Exposure[] tcp6 = AllInstances("-Protocol TCP -AddressFamily IPv6");
            Assert.All(tcp6, e => Assert.True(e.UdpIPv4 == null && e.TcpIPv4 == null && e.UdpIPv6 == null && e.TcpIPv6 != null));
            Assert.Equal(DemoExposure.Instances.Where(i => i.TcpV6.StartsWith("open")).Select(i => i.InstanceId).OrderBy(x => x),
                tcp6.Where(e => e.Exposed).Select(e => e.InstanceId).OrderBy(x => x));

            TcPort53Exposure[] udp = AllInstances("-Protocol UDP");
            Assert.All(udp, e => Assert.True(e.UdpIPv4 != null && e.UdpIPv6 != null && e.TcpIPv4 == null && e.TcpIPv6 == null));
            Assert.Equal(DemoExposure.Instances.Where(i => i.UdpV4.StartsWith("open") || i.UdpV6.StartsWith("open")).Select(i => i.InstanceId).OrderBy(x => x),
                udp.Where(e => e.Exposed).Select(e => e.InstanceId).OrderBy(x => x));
            foreach (TcPort53Exposure e in udp)
            {
                DemoExposure.Row row = DemoExposure.Instance(e.InstanceId);
                Assert.Equal(new[] { row.UdpV4, row.UdpV6 }, e.Verdicts.Select(DemoExposure.Show));
            }
        }

        [Fact]
        public void QuietWritesOneBoolAndNothingElse()
        {
            PsResult exposed = _ps.RunConnected("Get-TcInstance -Region * | Test-TcPort53 -Quiet");
            exposed.AssertNoErrors();
            Assert.True((bool)Assert.Single(exposed.Output).BaseObject);

            PsResult closed = _ps.RunConnected("Get-TcInstance -Region * -InstanceId ins-gzdrop01, ins-hkweb001, ins-bjblock1 | Test-TcPort53 -Quiet");
            closed.AssertNoErrors();
            Assert.False((bool)Assert.Single(closed.Output).BaseObject);

            // Only TCP is asked about, and ins-gzdns001 is open on UDP alone.
            PsResult narrowed = _ps.RunConnected("Test-TcPort53 -InstanceId ins-gzdns001 -Protocol TCP -Quiet");
            narrowed.AssertNoErrors();
            Assert.False((bool)Assert.Single(narrowed.Output).BaseObject);

            PsResult runbook = _ps.RunConnected("if (Get-TcInstance -Region * | Test-TcPort53 -Quiet) { 'alert' } else { 'fine' }");
            Assert.Equal("alert", Assert.Single(runbook.Output).BaseObject);
        }

        [Fact]
        public void InstanceIdsAreLookedUpPerRegionAndMissingOnesAreReportedLikeGetItem()
        {
            PsResult r = _ps.RunConnected("Test-TcPort53 -InstanceId ins-gzdns001, ins-shtcp001, ins-0000dead -Region *");
            TcPort53Exposure[] found = Exposures(r).OrderBy(e => e.InstanceId).ToArray();
            Assert.Equal(new[] { "ins-gzdns001", "ins-shtcp001" }, found.Select(e => e.InstanceId));
            foreach (TcPort53Exposure e in found) DemoExposure.AssertMatches(DemoExposure.Instance(e.InstanceId), e);
            ErrorRecord missing = r.SingleFailure();
            Assert.Equal("Port53.InstanceNotFound" + Cmdlet, missing.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, missing.CategoryInfo.Category);
            Assert.Equal("ins-0000dead", missing.TargetObject);
            // All three ids go in one request per region searched.
            Assert.Equal(_ps.Server.GetState().Regions.Count, _ps.Count("DescribeInstances"));
        }

        [Fact]
        public void ObjectsWithInstanceIdAndRegionBindByPropertyName()
        {
            PsResult r = _ps.RunConnected(
                "[pscustomobject]@{ InstanceId = 'ins-bjblock1'; Region = 'ap-beijing' }, [pscustomobject]@{ InstanceId = 'ins-hkdns001'; Region = 'ap-hongkong' } | Test-TcPort53");
            r.AssertNoErrors();
            TcPort53Exposure[] found = Exposures(r);
            Assert.Equal(2, found.Length);
            foreach (TcPort53Exposure e in found) DemoExposure.AssertMatches(DemoExposure.Instance(e.InstanceId), e);
        }

        [Fact]
        public void AGroupAloneIsTestedAsIfBoundAlone()
        {
            // Each ap-beijing group is bound alone by one instance, so its own verdicts are that instance's.
            PsResult r = _ps.RunConnected("Get-TcSecurityGroup -Region ap-beijing | Test-TcPort53");
            r.AssertNoErrors();
            TcPort53Exposure[] groups = Exposures(r);
            Assert.Equal(new[] { "sg-addrtpl1", "sg-blocked1", "sg-ipv6only" }, groups.Select(e => e.SecurityGroupId).OrderBy(x => x));
            foreach (TcPort53Exposure e in groups)
            {
                DemoExposure.Row row = DemoExposure.Instances.Single(i => i.Groups == e.SecurityGroupId);
                Assert.Null(e.InstanceId);
                Assert.Null(e.HasPublicAddress);
                Assert.Equal("ap-beijing", e.Region);
                Assert.Equal(new[] { e.SecurityGroupId }, e.SecurityGroupIds);
                Assert.Equal(row.Verdicts, e.Verdicts.Select(DemoExposure.Show));
                Assert.Equal(row.Exposed, e.Exposed);
            }
        }

        [Fact]
        public void AGroupIdIsFoundInWhicheverRegionHoldsItAndAMissingOneIsObjectNotFound()
        {
            PsResult r = _ps.RunConnected("Test-TcPort53 -SecurityGroupId sg-hkdns001, sg-0000dead -Region *");
            TcPort53Exposure hk = Assert.Single(Exposures(r));
            Assert.Equal("ap-hongkong", hk.Region);
            Assert.Equal(DemoExposure.Instance("ins-hkdns001").Verdicts, hk.Verdicts.Select(DemoExposure.Show));
            ErrorRecord missing = r.SingleFailure();
            Assert.Equal("Port53.SecurityGroupNotFound" + Cmdlet, missing.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, missing.CategoryInfo.Category);
            Assert.Equal("sg-0000dead", missing.TargetObject);
            Assert.Contains("sg-0000dead", missing.Exception.Message);
            Assert.Contains("ap-hongkong", missing.Exception.Message);

            PsResult here = _ps.RunConnected("Test-TcPort53 -SecurityGroupId sg-hkdns001");
            ErrorRecord notHere = here.SingleFailure();
            Assert.Equal("Port53.SecurityGroupNotFound" + Cmdlet, notHere.FullyQualifiedErrorId);
            Assert.Contains("ap-guangzhou", notHere.Exception.Message);
            Assert.Empty(here.Output);
        }

        [Fact]
        public void AnInstanceWithoutGroupsAndAnUnreadableGroupAreOneErrorEachWhileTheOthersAreTested()
        {
            PsResult r = _ps.RunConnected(
                "$bare = [Port53.Model.TcInstance]@{ InstanceId = 'ins-bare0001'; Region = 'ap-guangzhou'; SecurityGroupIds = @() }\n" +
                "$gone = [Port53.Model.TcInstance]@{ InstanceId = 'ins-gone0001'; Region = 'ap-guangzhou'; SecurityGroupIds = @('sg-dnsudp01', 'sg-gone0001') }\n" +
                "@(Get-TcInstance -Region ap-guangzhou) + $bare + $gone | Test-TcPort53");
            Assert.Null(r.Terminating);
            TcPort53Exposure[] tested = Exposures(r);
            Assert.Equal(DemoExposure.Instances.Where(i => i.Region == "ap-guangzhou").Select(i => i.InstanceId).OrderBy(x => x), tested.Select(e => e.InstanceId).OrderBy(x => x));
            Assert.Equal(2, r.Errors.Count);

            ErrorRecord bare = r.Errors.Single(e => ((TcInstance)e.TargetObject).InstanceId == "ins-bare0001");
            Assert.Equal("Port53.NoSecurityGroup" + Cmdlet, bare.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidData, bare.CategoryInfo.Category);
            Assert.Contains("ins-bare0001", bare.Exception.Message);

            ErrorRecord gone = r.Errors.Single(e => ((TcInstance)e.TargetObject).InstanceId == "ins-gone0001");
            Assert.StartsWith("TencentCloud.ResourceNotFound", gone.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, gone.CategoryInfo.Category);
            Assert.Contains("sg-gone0001", gone.ErrorDetails.Message);
            Assert.Contains("ins-gone0001", gone.ErrorDetails.Message);
            // A failed read is not retried for the command, and the group that could be read was read once.
            Assert.Equal(1, _ps.Count("DescribeSecurityGroupPolicies", "sg-dnsudp01"));
        }

        [Fact]
        public void QuietStillReportsTheTargetsItCouldNotTest()
        {
            PsResult r = _ps.RunConnected(
                "[Port53.Model.TcInstance]@{ InstanceId = 'ins-bare0001'; Region = 'ap-guangzhou' }, (Get-TcInstance -InstanceId ins-gzpriv01) | Test-TcPort53 -Quiet");
            Assert.False((bool)Assert.Single(r.Output).BaseObject);
            Assert.Equal("Port53.NoSecurityGroup" + Cmdlet, r.SingleFailure().FullyQualifiedErrorId);
        }

        [Fact]
        public void ResultsStreamBeforeTheLastGroupIsRead()
        {
            // One target at a time: the cmdlet may hold only a few instances ahead of the one it is testing, so if
            // results stream, the first arrives while most of the 15 groups are still unread; a cmdlet that
            // gathered its input first would have read every group by then.
            _ps.RunConnected("$global:demo = Get-TcInstance -Region *").AssertNoErrors();
            _ps.Server.ClearRequests();
            PsResult r = _ps.RunConnected(
                "$global:readsAtFirst = $null\n" +
                "$global:demo | Test-TcPort53 -ThrottleLimit 1 | ForEach-Object { if ($null -eq $global:readsAtFirst) { $global:readsAtFirst = @($emu.Requests | Where-Object Action -eq 'DescribeSecurityGroupPolicies').Count } }\n" +
                "$global:readsAtFirst");
            r.AssertNoErrors();
            int readsAtFirst = Convert.ToInt32(Assert.Single(r.Output).BaseObject);
            Assert.InRange(readsAtFirst, 1, DemoExposure.Groups.Length - 1);
            Assert.Equal(DemoExposure.Groups.Length, _ps.Count("DescribeSecurityGroupPolicies"));
        }

        [Fact]
        public async Task EarlierResultsAreTestedAgainWithTheirGroupsRulesReadAfresh()
        {
            _ps.RunConnected("$global:exposed = Get-TcInstance -Region * | Test-TcPort53 | Where-Object Exposed\n" +
                             "$global:groups = Test-TcPort53 -SecurityGroupId sg-shared01, sg-firstdrp").AssertNoErrors();
            // Someone closes UDP 53 at the top of the shared group in the meantime.
            var vpc = new VpcService(ClientTestKit.For(_ps.Server.BaseUrl, secretId: _ps.Server.SecretId, secretKey: _ps.Server.SecretKey));
            await vpc.CreateSecurityGroupPoliciesAsync("ap-guangzhou", "sg-shared01", new SecurityGroupPolicySet
            {
                Version = "1",
                Ingress = new List<SecurityGroupPolicy> { new SecurityGroupPolicy { PolicyIndex = 0, Protocol = "UDP", Port = "53", CidrBlock = "0.0.0.0/0", Action = "DROP" } },
            }, CancellationToken.None);
            _ps.Server.ClearRequests();

            PsResult again = _ps.Run("$global:exposed | Test-TcPort53");
            again.AssertNoErrors();
            TcPort53Exposure[] retested = Exposures(again);
            Assert.Equal(DemoExposure.Instances.Where(i => i.Exposed).Select(i => i.InstanceId).OrderBy(x => x), retested.Select(e => e.InstanceId).OrderBy(x => x));
            Assert.Equal(0, _ps.Count("DescribeInstances"));
            foreach (TcPort53Exposure e in retested.Where(e => e.SecurityGroupIds.Contains("sg-shared01")))
            {
                // The DROP is #0 now, so the old ACCEPTs moved down by one.
                Assert.Equal(new[] { "closed sg-shared01#0", "open sg-shared01#3", "closed -", "closed -" }, e.Verdicts.Select(DemoExposure.Show));
                Assert.Equal("2", e.Versions["sg-shared01"]);
            }
            foreach (TcPort53Exposure e in retested.Where(e => !e.SecurityGroupIds.Contains("sg-shared01")))
                DemoExposure.AssertMatches(DemoExposure.Instance(e.InstanceId), e);

            PsResult groups = _ps.Run("$global:groups | Test-TcPort53");
            groups.AssertNoErrors();
            Assert.Equal(new[] { "sg-firstdrp closed sg-firstdrp#0", "sg-shared01 closed sg-shared01#0" },
                Exposures(groups).Select(e => e.SecurityGroupId + " " + DemoExposure.Show(e.UdpIPv4)).OrderBy(x => x));
        }

        [Fact]
        public void ProgressCountsTargetsWithAnOpenEnd()
        {
            PsResult r = _ps.RunConnected("$null = Get-TcInstance -Region ap-shanghai | Test-TcPort53");
            r.AssertNoErrors();
            // Piped instances name their context, which the activity names too (several accounts' bars are told apart).
            var progress = _ps.Host.Recorder.Progress.Where(p => p.Activity.StartsWith("Testing port 53 exposure", StringComparison.Ordinal)).ToList();
            Assert.Contains(progress, p => p.StatusDescription == "4 done");
            Assert.Contains(progress, p => p.RecordType == ProgressRecordType.Completed);
        }
    }
}
