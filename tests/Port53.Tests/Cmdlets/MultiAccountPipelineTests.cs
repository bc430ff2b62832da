using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Port53.Model;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Cmdlets
{
    /// <summary>
    /// Several accounts in one pipeline, against the demo emulator over HTTP: the first (management) account's keys, and
    /// the member account reached through its OrganizationAccessControlRole (DemoExposure.MemberInstances).
    /// </summary>
    public class MultiAccountPipelineTests : IClassFixture<EmulatorSession>
    {
        private readonly EmulatorSession _ps;

        // The management account named "mgmt", then every organization member through its role ($members).
        private const string ConnectBoth =
            "Connect-TcAccount -SecretId $id -SecretKey $key -Endpoint $ep -Region ap-guangzhou -Name mgmt\n" +
            "$mgmt = Get-TcContext\n" +
            "$members = @(Get-TcOrganizationMember | Connect-TcAccount -RoleName " + DemoExposure.MemberRole + " -PassThru)\n";

        public MultiAccountPipelineTests(EmulatorSession ps)
        {
            _ps = ps;
            _ps.Restore();
            _ps.Run("Disconnect-TcAccount").AssertNoErrors();
        }

        private Dictionary<string, object> Variables() => new Dictionary<string, object>
        {
            ["id"] = _ps.Server.SecretId,
            ["key"] = FleetSession.Secure(_ps.Server.SecretKey),
            ["ep"] = _ps.Server.BaseUrl.ToString(),
        };

        private PsResult Run(string script)
        {
            Dictionary<string, object> variables = Variables();
            variables["emu"] = _ps.Server;
            return _ps.Run(ConnectBoth + script, variables);
        }

        [Fact]
        public void OrganizationMembersPipedIntoConnectBecomeContextsOfTheirAccountsAndTheLastIsTheDefault()
        {
            PsResult r = Run("$members\n'---'\nGet-TcContext -ListAvailable");
            r.AssertNoErrors();
            TcContext member = Assert.IsType<TcContext>(r.Output[0].BaseObject);
            Assert.Equal(DemoExposure.MemberName, member.Name);
            Assert.Equal(DemoExposure.MemberUin, member.AccountUin);
            Assert.Equal("qcs::cam::uin/" + DemoExposure.MemberUin + ":roleName/" + DemoExposure.MemberRole, member.RoleArn);
            Assert.True(member.IsDefault);
            Assert.DoesNotContain(_ps.Server.SecretKey, string.Join("\n", r.Output.Select(o => o.ToString())));
            List<TcContext> all = r.Output.SkipWhile(o => !"---".Equals(o.BaseObject)).Skip(1).Select(o => Assert.IsType<TcContext>(o.BaseObject)).ToList();
            Assert.Equal(new[] { "mgmt", DemoExposure.MemberName }, all.Select(c => c.Name));
            Assert.Equal(new[] { false, true }, all.Select(c => c.IsDefault));
            // The member's role was assumed with the management account's keys.
            var assume = Assert.Single(_ps.Server.Requests, q => q.Action == "AssumeRole");
            Assert.Equal(DemoExposure.DemoUin, assume.AccountUin);
        }

        [Fact]
        public void OneAuditSpansBothAccountsAndEveryResultCarriesItsAccount()
        {
            PsResult r = Run("$mgmt, $members | Get-TcInstance -Region * | Test-TcPort53");
            r.AssertNoErrors();
            List<TcPort53Exposure> all = r.Output.Select(o => Assert.IsType<TcPort53Exposure>(o.BaseObject)).ToList();
            List<TcPort53Exposure> member = all.Where(e => e.AccountUin == DemoExposure.MemberUin).ToList();
            Assert.Equal(DemoExposure.MemberInstances.Select(i => i.InstanceId), member.Select(e => e.InstanceId).OrderBy(x => x, StringComparer.Ordinal));
            Assert.All(member, e => Assert.Equal(DemoExposure.MemberName, e.ContextName));
            foreach (TcPort53Exposure e in member) DemoExposure.AssertMatches(DemoExposure.MemberInstances.Single(m => m.InstanceId == e.InstanceId), e);
            List<TcPort53Exposure> first = all.Where(e => e.AccountUin == DemoExposure.DemoUin).ToList();
            Assert.NotEmpty(first);
            Assert.All(first, e => Assert.Equal("mgmt", e.ContextName));
            Assert.Equal(all.Count, member.Count + first.Count);
            // Each account's rules were read with its own keys, in its own account.
            Assert.Contains(_ps.Server.Requests, q => q.Action == "DescribeSecurityGroupPolicies" && q.AccountUin == DemoExposure.MemberUin);
            Assert.DoesNotContain(_ps.Server.Requests, q => q.Action == "DescribeSecurityGroupPolicies" && q.AccountUin == DemoExposure.MemberUin &&
                                                              !DemoExposure.MemberInstances.SelectMany(i => i.GroupIds).Contains(q.SecurityGroupId));
        }

        [Fact]
        public void ObjectsPipedLaterAreTestedInTheAccountTheyCameFromNotTheDefault()
        {
            PsResult r = Run("$found = $members | Get-TcInstance -Region *\nConnect-TcAccount -SecretId $id -SecretKey $key -Endpoint $ep -Region ap-guangzhou -Name mgmt\n" +
                             "$emu.ClearRequests()\n$found | Test-TcPort53");
            r.AssertNoErrors();
            Assert.Equal(DemoExposure.MemberInstances.Length, r.Output.Count);
            Assert.All(_ps.Server.Requests.Where(q => q.Action == "DescribeSecurityGroupPolicies"), q => Assert.Equal(DemoExposure.MemberUin, q.AccountUin));
        }

        [Fact]
        public void AnObjectOfAContextTheSessionDoesNotHaveIsOneErrorAndNoCall()
        {
            PsResult r = Run("$one = $members | Get-TcInstance -Region * | Select-Object -First 1\nDisconnect-TcAccount -Name " + DemoExposure.MemberName +
                             "\n$emu.ClearRequests()\n$one | Test-TcPort53");
            ErrorRecord error = r.SingleFailure();
            Assert.Equal("Port53.AccountNotConnected,Port53.Cmdlets.TestTcPort53Command", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Contains(DemoExposure.MemberName, error.Exception.Message);
            Assert.Contains("Connect-TcAccount", error.Exception.Message);
            Assert.Empty(r.Output);
            Assert.DoesNotContain(_ps.Server.Requests, q => q.Action == "DescribeSecurityGroupPolicies");
        }

        [Fact]
        public void AnAccountWhoseKeysFailIsOneErrorNamingItAndTheOtherAccountGoesOn()
        {
            PsResult r = Run("$broken = Connect-TcAccount -SecretId AKIDPort53NoSuchKey0000000000000000 -SecretKey $key -Endpoint $ep -Region ap-guangzhou -Name broken -PassThru\n" +
                             "$broken, $members | Get-TcInstance -Region * | Test-TcPort53");
            ErrorRecord error = r.SingleFailure();
            Assert.Equal("broken", error.TargetObject);
            Assert.Contains("'broken'", error.ErrorDetails.Message);
            Assert.StartsWith("TencentCloud.AuthFailure", error.FullyQualifiedErrorId);
            Assert.Equal(DemoExposure.MemberInstances.Select(i => i.InstanceId),
                r.Output.Select(o => Assert.IsType<TcPort53Exposure>(o.BaseObject).InstanceId).OrderBy(x => x, StringComparer.Ordinal));
        }

        [Fact]
        public void AMemberWhoseRoleCannotBeAssumedIsOneErrorAndTheSessionKeepsItsDefault()
        {
            PsResult r = _ps.Run("Connect-TcAccount -SecretId $id -SecretKey $key -Endpoint $ep -Region ap-guangzhou -Name mgmt\n" +
                                 "[pscustomobject]@{ MemberUin = 300000000003; Name = 'nobody' }, (Get-TcOrganizationMember) | Connect-TcAccount -RoleName " +
                                 DemoExposure.MemberRole + " -PassThru\n'---'\n(Get-TcContext -ListAvailable).Name", Variables());
            ErrorRecord error = r.SingleFailure();
            Assert.Equal(300000000003L, error.TargetObject);
            Assert.Contains("AssumeRole", error.Exception.Message);
            Assert.Equal(new object[] { "mgmt", DemoExposure.MemberName }, r.Output.SkipWhile(o => !"---".Equals(o.BaseObject)).Skip(1).Select(o => o.BaseObject));
        }

        [Fact]
        public void PipedContextsListTheirRegionsGroupsAndLighthouseServersEachMarkedWithItsAccount()
        {
            PsResult r = Run("$members | Get-TcRegion\n'---'\n$members | Get-TcSecurityGroup -Region *");
            r.AssertNoErrors();
            List<TcRegion> regions = r.Output.TakeWhile(o => !"---".Equals(o.BaseObject)).Select(o => Assert.IsType<TcRegion>(o.BaseObject)).ToList();
            Assert.NotEmpty(regions);
            Assert.All(regions, g => Assert.Equal(DemoExposure.MemberUin, g.AccountUin));
            List<TcSecurityGroup> groups = r.Output.SkipWhile(o => !"---".Equals(o.BaseObject)).Skip(1).Select(o => Assert.IsType<TcSecurityGroup>(o.BaseObject)).ToList();
            Assert.Equal(DemoExposure.MemberInstances.SelectMany(i => i.GroupIds).Distinct().OrderBy(x => x, StringComparer.Ordinal),
                groups.Select(g => g.SecurityGroupId).OrderBy(x => x, StringComparer.Ordinal));
            Assert.All(groups, g => Assert.Equal(DemoExposure.MemberName, g.ContextName));
        }
    }
}
