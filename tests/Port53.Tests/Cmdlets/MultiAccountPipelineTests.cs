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

        private PsResult Run(string script) => _ps.Run(ConnectBoth + script, _ps.Variables());

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
                                 DemoExposure.MemberRole + " -PassThru\n'---'\n(Get-TcContext -ListAvailable).Name", _ps.Variables());
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
    
        [Fact]
        public void BlockClosesEachAccountWithItsOwnKeysAndEveryRecordSaysWhichAccountAndRole()
        {
            string journal = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "port53-accounts-" + Guid.NewGuid().ToString("N") + ".jsonl");
            try
            {
                PsResult r = Run("$mgmt, $members | Get-TcInstance -Region * | Test-TcPort53 | Where-Object Exposed | Block-TcPort53 -Force -PassThru -JournalPath '" + journal +
                                 "'\n'---'\n$mgmt, $members | Get-TcInstance -Region * | Test-TcPort53 | Where-Object Exposed");
                r.AssertNoErrors();
                List<TcPort53Change> changes = r.Output.TakeWhile(o => !"---".Equals(o.BaseObject)).Select(o => Assert.IsType<TcPort53Change>(o.BaseObject)).ToList();
                Assert.Empty(r.Output.SkipWhile(o => !"---".Equals(o.BaseObject)).Skip(1));
                TcPort53Change member = Assert.Single(changes, c => c.AccountUin == DemoExposure.MemberUin);
                Assert.Equal(DemoExposure.MemberName, member.ContextName);
                Assert.Equal("qcs::cam::uin/" + DemoExposure.MemberUin + ":roleName/" + DemoExposure.MemberRole, member.RoleArn);
                Assert.StartsWith("AKID", member.ChangedBy);
                Assert.Contains("*", member.ChangedBy);
                Assert.All(changes.Where(c => c != member), c =>
                {
                    Assert.Equal(DemoExposure.DemoUin, c.AccountUin);
                    Assert.Equal("mgmt", c.ContextName);
                    Assert.Null(c.RoleArn);
                });
                // The member's group was written in the member's account, and nothing of the member's in the first account.
                var writes = _ps.Server.Requests.Where(q => q.Action.EndsWith("SecurityGroupPolicies", StringComparison.Ordinal) && !q.Action.StartsWith("Describe", StringComparison.Ordinal)).ToList();
                Assert.Contains(writes, q => q.AccountUin == DemoExposure.MemberUin && q.SecurityGroupId == member.SecurityGroupId);
                Assert.Equal(changes.Count, writes.Count(q => q.ErrorCode == null && q.Fault == null));
                // The journal says the same, intent and outcome alike.
                string[] lines = System.IO.File.ReadAllLines(journal);
                Assert.Equal(2, lines.Count(l => l.Contains("\"RoleArn\":\"qcs::cam::uin/" + DemoExposure.MemberUin)));
                Assert.Equal(2, lines.Count(l => l.Contains("\"AccountUin\":" + DemoExposure.MemberUin)));
                Assert.DoesNotContain(lines, l => l.Contains(_ps.Server.SecretKey));
            }
            finally
            {
                System.IO.File.Delete(journal);
            }
        }

        [Fact]
        public void BlockGoesOnInTheOtherAccountsWhenOneAccountsKeysFail()
        {
            PsResult r = Run("Connect-TcAccount -SecretId AKIDPort53NoSuchKey0000000000000000 -SecretKey $key -Endpoint $ep -Region ap-guangzhou -Name broken\n" +
                             "$bad = [pscustomobject]@{ InstanceId = 'ins-gzdns001'; Region = 'ap-guangzhou'; ContextName = 'broken' }\n" +
                             "$exposed = @($members | Get-TcInstance -Region * | Test-TcPort53 | Where-Object Exposed)\n" +
                             "@($bad) + $exposed | Block-TcPort53 -Force -PassThru");
            ErrorRecord error = r.SingleFailure();
            Assert.Equal("broken", error.TargetObject);
            Assert.Contains("'broken'", error.ErrorDetails.Message);
            TcPort53Change change = Assert.IsType<TcPort53Change>(Assert.Single(r.Output).BaseObject);
            Assert.Equal(DemoExposure.MemberUin, change.AccountUin);
            Assert.Equal(TcPort53ChangeStatus.Changed, change.Status);
        }
    
        [Fact]
        public void AnObjectThatNamesOnlyItsAccountIsTestedInTheContextOfThatAccount()
        {
            PsResult r = Run("$found = @($members | Get-TcInstance -Region *)\n$found | ForEach-Object { $_.ContextName = $null }\n" +
                             "Connect-TcAccount -SecretId $id -SecretKey $key -Endpoint $ep -Region ap-guangzhou -Name mgmt\n$emu.ClearRequests()\n$found | Test-TcPort53");
            r.AssertNoErrors();
            List<TcPort53Exposure> all = r.Output.Select(o => Assert.IsType<TcPort53Exposure>(o.BaseObject)).ToList();
            Assert.Equal(DemoExposure.MemberInstances.Length, all.Count);
            Assert.All(all, e => Assert.Equal(DemoExposure.MemberName, e.ContextName));
            Assert.All(_ps.Server.Requests.Where(q => q.Action == "DescribeSecurityGroupPolicies"), q => Assert.Equal(DemoExposure.MemberUin, q.AccountUin));
        }

        [Fact]
        public void AnObjectWhoseContextNowActsInAnotherAccountIsRefused()
        {
            PsResult r = Run("$one = $members | Get-TcInstance -Region * | Select-Object -First 1\n$one.ContextName = 'mgmt'\n$emu.ClearRequests()\n$one | Test-TcPort53");
            ErrorRecord error = r.SingleFailure();
            Assert.Equal("Port53.AccountMismatch,Port53.Cmdlets.TestTcPort53Command", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
            Assert.Contains(DemoExposure.MemberUin.ToString(), error.Exception.Message);
            Assert.Contains(DemoExposure.DemoUin.ToString(), error.Exception.Message);
            Assert.DoesNotContain(_ps.Server.Requests, q => q.Action == "DescribeSecurityGroupPolicies");
        }
    
        [Fact]
        public void ObjectsBoundByPropertyNameTakeTheirAccountToTheNextCommand()
        {
            // Regions into Get-TcInstance, groups into Get-TcSecurityGroupRule and Test-TcPort53: bound by their
            // Region and SecurityGroupId, and by their ContextName, while the default is the first account.
            PsResult r = Run("Connect-TcAccount -SecretId $id -SecretKey $key -Endpoint $ep -Region ap-guangzhou -Name mgmt\n" +
                             "$members | Get-TcRegion -Name ap-guangzhou | Get-TcInstance\n'---'\n" +
                             "$members | Get-TcSecurityGroup -Region ap-guangzhou | Get-TcSecurityGroupRule\n'---'\n" +
                             "$members | Get-TcSecurityGroup -Region ap-guangzhou | Test-TcPort53");
            r.AssertNoErrors();
            List<List<object>> parts = new List<List<object>> { new List<object>() };
            foreach (PSObject o in r.Output)
            {
                if ("---".Equals(o.BaseObject)) parts.Add(new List<object>());
                else parts[parts.Count - 1].Add(o.BaseObject);
            }
            Assert.Equal(DemoExposure.MemberInstances.Select(i => i.InstanceId), parts[0].Cast<TcInstance>().Select(i => i.InstanceId).OrderBy(x => x, StringComparer.Ordinal));
            List<TcSecurityGroupRule> rules = parts[1].Cast<TcSecurityGroupRule>().ToList();
            Assert.NotEmpty(rules);
            Assert.All(rules, g => Assert.Equal(DemoExposure.MemberUin, g.AccountUin));
            List<TcPort53Exposure> groups = parts[2].Cast<TcPort53Exposure>().ToList();
            Assert.Equal(DemoExposure.MemberInstances.SelectMany(i => i.GroupIds).Distinct().OrderBy(x => x, StringComparer.Ordinal),
                groups.Select(g => g.SecurityGroupId).OrderBy(x => x, StringComparer.Ordinal));
            Assert.All(groups, g => Assert.Equal(DemoExposure.MemberName, g.ContextName));
        }
    
        [Fact]
        public void UnblockGivesEachAccountItsRulesBackWithItsOwnKeys()
        {
            long member = DemoExposure.MemberUin;
            // The member's exposed DNS server's group.
            const string memberGroup = "sg-mbdns001";
            Assert.Contains(memberGroup, DemoExposure.MemberInstances.SelectMany(i => i.GroupIds));
            string before = string.Join("|", _ps.Server.GetPolicies(memberGroup, member).Ingress.Select(p => p.Protocol + " " + p.Port + " " + p.CidrBlock + " " + p.Action));
            PsResult r = Run("$mgmt, $members | Get-TcInstance -Region * | Block-TcPort53 -Force\n" +
                             "$emu.ClearRequests()\n$mgmt, $members | Get-TcInstance -Region * | Unblock-TcPort53 -Force -PassThru");
            r.AssertNoErrors();
            List<TcPort53Change> undone = r.Output.Select(o => Assert.IsType<TcPort53Change>(o.BaseObject)).Where(c => c.Status == TcPort53ChangeStatus.Changed).ToList();
            TcPort53Change inMember = Assert.Single(undone, c => c.AccountUin == member);
            Assert.Equal(TcPort53ChangeAction.Unblock, inMember.Action);
            Assert.Equal(memberGroup, inMember.SecurityGroupId);
            Assert.Contains(undone, c => c.AccountUin == DemoExposure.DemoUin);
            Assert.Equal(before, string.Join("|", _ps.Server.GetPolicies(memberGroup, member).Ingress.Select(p => p.Protocol + " " + p.Port + " " + p.CidrBlock + " " + p.Action)));
            Assert.All(_ps.Server.Requests.Where(q => q.SecurityGroupId == memberGroup), q => Assert.Equal(member, q.AccountUin));
        }
    
        [Fact]
        public void EachAccountsProgressIsItsOwnBarNamedAfterItsContext()
        {
            Run("$mgmt, $members | Get-TcInstance -Region * | Test-TcPort53 | Out-Null").AssertNoErrors();
            List<ProgressRecord> progress = _ps.Host.Recorder.Progress.ToList();
            ProgressRecord[] tests = { progress.First(p => p.Activity == "Testing port 53 exposure (mgmt)"),
                                       progress.First(p => p.Activity == "Testing port 53 exposure (" + DemoExposure.MemberName + ")") };
            Assert.NotEqual(tests[0].ActivityId, tests[1].ActivityId);
            // Each bar is completed on its own.
            Assert.All(tests, t => Assert.Contains(progress, p => p.Activity == t.Activity && p.ActivityId == t.ActivityId && p.RecordType == ProgressRecordType.Completed));
        }
    }
}
