using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Port53.Model;
using Port53.Tests.Emulator;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Cmdlets
{
    /// <summary>
    /// The demo's second account: an organization member the first account reaches through its
    /// OrganizationAccessControlRole, with a small fleet of its own (DemoExposure.MemberInstances).
    /// </summary>
    public class DemoMemberAccountTests : IClassFixture<EmulatorSession>
    {
        private readonly EmulatorSession _ps;

        public DemoMemberAccountTests(EmulatorSession ps)
        {
            _ps = ps;
            _ps.Restore();
        }

        [Fact]
        public async Task TheFirstAccountListsTheMemberAndAssumesItsRoleIntoItsFleet()
        {
            var org = new TcTestClient(_ps.Server) { ScopeService = "organization", Version = "2021-03-31" };
            TcResponse members = (await org.CallAsync("DescribeOrganizationMembers", null, new { Limit = 50 })).AssertOk();
            Assert.Equal(DemoExposure.MemberUin, (long)Assert.Single(members["Items"].AsArray())["MemberUin"]);

            var sts = new TcTestClient(_ps.Server) { ScopeService = "sts", Version = "2018-08-13" };
            TcResponse r = (await sts.CallAsync("AssumeRole", "ap-guangzhou", new
            {
                RoleArn = "qcs::cam::uin/" + DemoExposure.MemberUin + ":roleName/" + DemoExposure.MemberRole, RoleSessionName = "demo",
            })).AssertOk();
            var assumed = new TcTestClient(_ps.Server.BaseUrl, (string)r["Credentials"]["TmpSecretId"], (string)r["Credentials"]["TmpSecretKey"], (string)r["Credentials"]["Token"]);
            TcResponse instances = (await assumed.CallAsync("DescribeInstances", "ap-guangzhou", new { Limit = 100 })).AssertOk();
            Assert.Equal(DemoExposure.MemberInstances.Select(i => i.InstanceId), instances["InstanceSet"].AsArray().Select(i => (string)i["InstanceId"]));
        }

        [Fact]
        public void TheMembersInstancesHaveTheDocumentedExposure()
        {
            PsResult r = _ps.Run(EmulatorSession.Connect + "Get-TcInstance -Region * | Test-TcPort53", new Dictionary<string, object>
            {
                ["id"] = DemoExposure.MemberSecretId,
                ["key"] = FleetSession.Secure(DemoExposure.MemberSecretKey),
                ["ep"] = _ps.Server.BaseUrl.ToString(),
            });
            r.AssertNoErrors();
            TcPort53Exposure[] all = r.Output.Select(o => Assert.IsType<TcPort53Exposure>(o.BaseObject)).ToArray();
            Assert.Equal(DemoExposure.MemberInstances.Select(i => i.InstanceId), all.Select(e => e.InstanceId).OrderBy(x => x));
            foreach (TcPort53Exposure e in all) DemoExposure.AssertMatches(DemoExposure.MemberInstances.Single(m => m.InstanceId == e.InstanceId), e);
            Assert.Single(all, e => e.Exposed);
        }
    }
}
