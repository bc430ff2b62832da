using System;
using System.Linq;
using System.Management.Automation;
using Port53.Model;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Cmdlets
{
    /// <summary>Get-TcSecurityGroup and Get-TcSecurityGroupRule against the demo fleet (docs/emulator.md's group table).</summary>
    public class SecurityGroupCmdletTests : IClassFixture<EmulatorSession>
    {
        private readonly EmulatorSession _ps;

        public SecurityGroupCmdletTests(EmulatorSession ps)
        {
            _ps = ps;
            _ps.Restore();
        }

        private static TcSecurityGroup[] Groups(PsResult r) => r.Output.Select(o => Assert.IsType<TcSecurityGroup>(o.BaseObject)).ToArray();
        private static TcSecurityGroupRule[] Rules(PsResult r) => r.Output.Select(o => Assert.IsType<TcSecurityGroupRule>(o.BaseObject)).ToArray();

        private TcSecurityGroupRule[] RulesOf(string script)
        {
            PsResult r = _ps.RunConnected(script);
            r.AssertNoErrors();
            return Rules(r);
        }

        [Fact]
        public void EveryRegionListsItsGroupsAsTypedObjects()
        {
            PsResult r = _ps.RunConnected("Get-TcSecurityGroup -Region *");
            r.AssertNoErrors();
            TcSecurityGroup[] all = Groups(r);
            Assert.Equal(DemoExposure.Groups.Select(g => g.Id + " " + g.Region + " " + g.Name).OrderBy(x => x),
                all.Select(g => g.SecurityGroupId + " " + g.Region + " " + g.Name).OrderBy(x => x));
            TcSecurityGroup shared = all.Single(g => g.SecurityGroupId == "sg-shared01");
            Assert.Equal("Shared by the gz-shared-* instances; opens 53 to the internet", shared.Description);
            Assert.False(shared.IsDefault);
            Assert.Equal("prod", shared.Tags["ENV"]);
            Assert.Equal("dns", shared.Tags["team"]);
            // The fleet's "2024-05-01 09:00:00" is Beijing time.
            Assert.Equal(new DateTime(2024, 5, 1, 1, 0, 0, DateTimeKind.Utc), shared.CreatedTime);
            Assert.Equal("sg-shared01", shared.ToString());
        }

        [Fact]
        public void WithoutRegionTheDefaultRegionIsListed()
        {
            PsResult r = _ps.RunConnected("Get-TcSecurityGroup");
            r.AssertNoErrors();
            Assert.Equal(DemoExposure.Groups.Where(g => g.Region == "ap-guangzhou").Select(g => g.Id).OrderBy(x => x), Groups(r).Select(g => g.SecurityGroupId).OrderBy(x => x));
        }

        [Fact]
        public void NamesMatchWithWildcardsOrExactly()
        {
            PsResult wild = _ps.RunConnected("Get-TcSecurityGroup -Region * -Name dns-*, *SHARED*");
            wild.AssertNoErrors();
            Assert.Equal(DemoExposure.Groups.Where(g => g.Name.StartsWith("dns-") || g.Name.Contains("shared")).Select(g => g.Id).OrderBy(x => x),
                Groups(wild).Select(g => g.SecurityGroupId).OrderBy(x => x));

            PsResult exact = _ps.RunConnected("Get-TcSecurityGroup -Region * -Name web-closed");
            exact.AssertNoErrors();
            Assert.Equal("sg-hkweb001", Assert.Single(Groups(exact)).SecurityGroupId);
        }

        [Fact]
        public void AMissingIdIsOneObjectNotFoundErrorAndTheOthersAreListed()
        {
            PsResult r = _ps.RunConnected("Get-TcSecurityGroup sg-dnsudp01, sg-0000dead");
            Assert.Equal("sg-dnsudp01", Assert.Single(Groups(r)).SecurityGroupId);
            ErrorRecord e = r.SingleFailure();
            Assert.Equal("Port53.SecurityGroupNotFound,Port53.Cmdlets.GetTcSecurityGroupCommand", e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, e.CategoryInfo.Category);
            Assert.Equal("sg-0000dead", e.TargetObject);
            Assert.Contains("ap-guangzhou", e.Exception.Message);

            PsResult anywhere = _ps.RunConnected("Get-TcSecurityGroup -SecurityGroupId sg-hkdns001, sg-ipv6only -Region *");
            anywhere.AssertNoErrors();
            Assert.Equal(new[] { "ap-beijing sg-ipv6only", "ap-hongkong sg-hkdns001" }, Groups(anywhere).Select(g => g.Region + " " + g.SecurityGroupId).OrderBy(x => x));
        }

        [Fact]
        public void InstancesGiveTheirGroupsInBindingOrderEachGroupOnce()
        {
            PsResult one = _ps.RunConnected("Get-TcInstance -InstanceId ins-gzdrop01 | Get-TcSecurityGroup");
            one.AssertNoErrors();
            Assert.Equal(DemoExposure.Instance("ins-gzdrop01").GroupIds, Groups(one).Select(g => g.SecurityGroupId));

            PsResult all = _ps.RunConnected("Get-TcInstance -Region * | Get-TcSecurityGroup");
            all.AssertNoErrors();
            string[] ids = Groups(all).Select(g => g.SecurityGroupId).ToArray();
            Assert.Equal(DemoExposure.Instances.SelectMany(i => i.GroupIds).Distinct().OrderBy(x => x), ids.OrderBy(x => x));

            PsResult named = _ps.RunConnected("Get-TcInstance -Region ap-guangzhou | Get-TcSecurityGroup -Name shared-*");
            named.AssertNoErrors();
            Assert.Equal("sg-shared01", Assert.Single(Groups(named)).SecurityGroupId);
        }

        [Fact]
        public void ABoundGroupThatNoLongerExistsIsAnErrorNamingTheInstance()
        {
            PsResult r = _ps.RunConnected("[Port53.Model.TcInstance]@{ InstanceId = 'ins-gone0001'; Region = 'ap-guangzhou'; SecurityGroupIds = @('sg-gone0001', 'sg-dnsudp01') } | Get-TcSecurityGroup");
            Assert.Equal("sg-dnsudp01", Assert.Single(Groups(r)).SecurityGroupId);
            ErrorRecord e = r.SingleFailure();
            Assert.Equal("Port53.SecurityGroupNotFound,Port53.Cmdlets.GetTcSecurityGroupCommand", e.FullyQualifiedErrorId);
            Assert.Equal("sg-gone0001", e.TargetObject);
            Assert.Contains("ins-gone0001", e.Exception.Message);
        }

        [Fact]
        public void RulesHaveTheConsolesFieldsWithProtocolsInUpperCase()
        {
            TcSecurityGroupRule rule = Assert.Single(RulesOf("Get-TcSecurityGroupRule -SecurityGroupId sg-dnstcp01 -Region ap-shanghai"));
            // The fleet stores "tcp".
            Assert.Equal("TCP", rule.Protocol);
            Assert.Equal("53", rule.Port);
            Assert.Equal("0.0.0.0/0", rule.Source);
            Assert.Equal(TcRuleSourceKind.Cidr, rule.SourceKind);
            Assert.Equal("ACCEPT", rule.Action);
            Assert.Equal(TcRuleDirection.Ingress, rule.Direction);
            Assert.Equal(0, rule.PolicyIndex);
            Assert.Equal("1", rule.Version);
            Assert.Equal("ap-shanghai", rule.Region);
            Assert.Equal("sg-dnstcp01", rule.SecurityGroupId);
            Assert.Null(rule.ServiceTemplate);
            Assert.Null(rule.InstanceId);
            Assert.Null(rule.BindingPosition);
            Assert.Equal(new DateTime(2024, 5, 20, 2, 0, 0, DateTimeKind.Utc), rule.ModifyTime);
            Assert.Equal("TCP 53 0.0.0.0/0 ACCEPT", rule.ToString());

            Assert.Equal(new[] { "UDP", "TCP", "UDP", "ALL" }, RulesOf("Get-TcSecurityGroupRule sg-private1").Select(r => r.Protocol));
            Assert.Equal("ALL", RulesOf("Get-TcSecurityGroupRule sg-hkweb001 -Region ap-hongkong")[2].Protocol);
        }

        [Theory]
        [InlineData("sg-private1", "ap-guangzhou", 0, "Cidr", "10.0.0.0/8")]
        [InlineData("sg-private1", "ap-guangzhou", 2, "AddressTemplate", "ipm-office01")]
        [InlineData("sg-srcgrp01", "ap-guangzhou", 0, "SecurityGroup", "sg-shared01")]
        [InlineData("sg-ipv6only", "ap-beijing", 0, "Ipv6Cidr", "::/0")]
        [InlineData("sg-addrtpl1", "ap-beijing", 0, "AddressTemplate", "ipm-public01")]
        [InlineData("sg-addrtpl1", "ap-beijing", 1, "AddressTemplateGroup", "ipmg-public1")]
        public void EverySourceKindOfTheDemoFleetIsNamed(string group, string region, int index, string kind, string source)
        {
            TcSecurityGroupRule rule = RulesOf("Get-TcSecurityGroupRule " + group + " -Region " + region).Single(r => r.PolicyIndex == index);
            Assert.Equal(kind, rule.SourceKind.ToString());
            Assert.Equal(source, rule.Source);
        }

        [Fact]
        public void ServiceTemplatesStandInForProtocolAndPort()
        {
            TcSecurityGroupRule[] rules = RulesOf("Get-TcSecurityGroupRule sg-svctmpl1 -Region ap-shanghai");
            Assert.Equal(new[] { "ppm-dnsudp01", "ppmg-dnsall1", "ppm-web00001" }, rules.Select(r => r.ServiceTemplate));
            Assert.All(rules, r => Assert.True(r.Protocol == null && r.Port == null));
            Assert.Equal("ppmg-dnsall1 ::/0 ACCEPT", rules[1].ToString());
        }

        [Fact]
        public void EgressIsListedWhenAskedFor()
        {
            TcSecurityGroupRule[] egress = RulesOf("Get-TcSecurityGroupRule sg-allopen1 -Direction Egress");
            Assert.Equal(new[] { "ALL ALL 0.0.0.0/0 ACCEPT", "ALL ALL ::/0 ACCEPT" }, egress.Select(r => r.ToString()));
            Assert.All(egress, r => Assert.Equal(TcRuleDirection.Egress, r.Direction));
            Assert.Equal(new TcRuleSourceKind?[] { TcRuleSourceKind.Cidr, TcRuleSourceKind.Ipv6Cidr }, egress.Select(r => r.SourceKind));

            TcSecurityGroupRule[] both = RulesOf("Get-TcSecurityGroupRule sg-allopen1 -Direction Ingress, Egress");
            Assert.Equal(new[] { TcRuleDirection.Ingress, TcRuleDirection.Egress, TcRuleDirection.Egress }, both.Select(r => r.Direction));
        }

        [Fact]
        public void FromAnInstanceRulesCarryItAndTheGroupsBindingPosition()
        {
            TcSecurityGroupRule[] rules = RulesOf("Get-TcInstance -InstanceId ins-gzshr002 | Get-TcSecurityGroupRule");
            // sg-private1 (4 rules) is bound first, sg-shared01 (3 rules) second.
            Assert.Equal(Enumerable.Repeat("sg-private1 0", 4).Concat(Enumerable.Repeat("sg-shared01 1", 3)),
                rules.Select(r => r.SecurityGroupId + " " + r.BindingPosition));
            Assert.All(rules, r => Assert.Equal("ins-gzshr002", r.InstanceId));
            Assert.Equal(new long[] { 0, 1, 2, 3, 0, 1, 2 }, rules.Select(r => r.PolicyIndex));
        }

        [Fact]
        public void EveryInstancesRulesAreListedAndEachGroupIsReadOnce()
        {
            PsResult r = _ps.RunConnected("Get-TcInstance -Region * | Get-TcSecurityGroupRule");
            r.AssertNoErrors();
            TcSecurityGroupRule[] rules = Rules(r);
            int expected = DemoExposure.Instances.Sum(i => i.GroupIds.Sum(g => DemoExposure.Groups.Single(x => x.Id == g).Ingress));
            Assert.Equal(expected, rules.Length);
            // sg-shared01's three rules once for each of the five instances that bind it.
            Assert.Equal(DemoExposure.Instances.Where(i => i.GroupIds.Contains("sg-shared01")).Select(i => i.InstanceId).OrderBy(x => x),
                rules.Where(x => x.SecurityGroupId == "sg-shared01").GroupBy(x => x.InstanceId).Where(g => g.Count() == 3).Select(g => g.Key).OrderBy(x => x));
            foreach (var g in DemoExposure.Groups) Assert.Equal(1, _ps.Count("DescribeSecurityGroupPolicies", g.Id));
        }

        [Fact]
        public void ExposuresGiveTheRulesAndGroupsOfWhatWasTested()
        {
            TcSecurityGroupRule[] rules = RulesOf("Get-TcInstance -InstanceId ins-gzdrop01 | Test-TcPort53 | Get-TcSecurityGroupRule");
            Assert.Equal(new[] { "sg-firstdrp 0", "sg-firstdrp 0", "sg-allopen1 1" }, rules.Select(r => r.SecurityGroupId + " " + r.BindingPosition));
            Assert.All(rules, r => Assert.Equal("ins-gzdrop01", r.InstanceId));

            PsResult groups = _ps.RunConnected("Get-TcInstance -Region * | Test-TcPort53 | Where-Object Exposed | Get-TcSecurityGroup");
            groups.AssertNoErrors();
            Assert.Equal(DemoExposure.Instances.Where(i => i.Exposed).SelectMany(i => i.GroupIds).Distinct().OrderBy(x => x),
                Groups(groups).Select(g => g.SecurityGroupId).OrderBy(x => x));

            TcSecurityGroupRule[] ofGroup = RulesOf("Test-TcPort53 -SecurityGroupId sg-dnsudp01 | Get-TcSecurityGroupRule");
            Assert.Equal(new[] { "UDP 53 0.0.0.0/0 ACCEPT", "TCP 22 10.0.0.0/8 ACCEPT" }, ofGroup.Select(r => r.ToString()));
            Assert.All(ofGroup, r => Assert.Null(r.InstanceId));
        }

        [Fact]
        public void GroupObjectsBindByPropertyName()
        {
            TcSecurityGroupRule[] rules = RulesOf("Get-TcSecurityGroup -Region * -Name shared* | Get-TcSecurityGroupRule");
            Assert.Equal(new[] { "TCP 22 0.0.0.0/0 ACCEPT", "UDP 53 0.0.0.0/0 ACCEPT", "TCP 53 0.0.0.0/0 ACCEPT" }, rules.Select(r => r.ToString()));
        }

        [Fact]
        public void AMissingGroupIdIsObjectNotFound()
        {
            PsResult r = _ps.RunConnected("Get-TcSecurityGroupRule sg-0000dead");
            ErrorRecord e = r.SingleFailure();
            Assert.Equal("Port53.SecurityGroupNotFound,Port53.Cmdlets.GetTcSecurityGroupRuleCommand", e.FullyQualifiedErrorId);
            Assert.Equal("sg-0000dead", e.TargetObject);
            Assert.Empty(r.Output);
        }

        [Fact]
        public void TheRuleTableReadsLikeTheConsole()
        {
            PsResult r = _ps.RunConnected("Get-TcInstance -InstanceId ins-gzshr002 | Get-TcSecurityGroupRule | Out-Default");
            r.AssertNoErrors();
            foreach (string text in new[] { "Index", "Protocol", "Port", "Source", "Action", "Description", "sg-private1 Ingress (ap-guangzhou, Version 1), ins-gzshr002 #0",
                                            "sg-shared01 Ingress (ap-guangzhou, Version 1), ins-gzshr002 #1", "ipm-office01", "172.16.0.0/12" })
                Assert.Contains(text, r.HostText);
        }
    }
}
