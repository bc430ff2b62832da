using System.Linq;
using System.Management.Automation;
using Newtonsoft.Json.Linq;
using Port53.Model;
using Port53.Tests.Api;
using Xunit;

namespace Port53.Tests.Cmdlets
{
    /// <summary>Get-TcOrganizationMember in the hosted engine over HTTP, against the fake fleet answering DescribeOrganizationMembers.</summary>
    public class GetTcOrganizationMemberTests : IClassFixture<FleetSession>
    {
        private readonly FleetSession _ps;

        public GetTcOrganizationMemberTests(FleetSession ps)
        {
            _ps = ps;
            _ps.Fleet.Override = null;
        }

        /// <summary>An organization of <paramref name="count"/> members, paged as Tencent pages it; or the error a non-manager gets.</summary>
        private void Organization(int count, string error = null)
        {
            _ps.Fleet.Override = request =>
            {
                if (request.Action != "DescribeOrganizationMembers") return null;
                if (error != null) return FakeReply.Error(error, "The organization does not exist.");
                int offset = (int)request.Body["Offset"], limit = (int)request.Body["Limit"];
                var items = Enumerable.Range(offset, System.Math.Max(0, System.Math.Min(limit, count - offset))).Select(i => new JObject
                {
                    ["MemberUin"] = 100000000100L + i,
                    ["Name"] = (i % 2 == 0 ? "prod-" : "test-") + i,
                    ["MemberType"] = i == 0 ? "Invite" : "Create",
                    ["NodeName"] = "Root",
                    ["PermissionStatus"] = "Confirmed",
                    ["CreateTime"] = "2026-01-02 03:04:05",
                });
                return FakeReply.Ok(new JObject { ["Total"] = count, ["Items"] = new JArray(items) });
            };
        }

        [Fact]
        public void EveryMemberOfEveryPageIsListedWithItsUin()
        {
            Organization(57);
            int before = _ps.CountOf("DescribeOrganizationMembers");
            var r = _ps.RunConnected("Get-TcOrganizationMember");
            r.AssertNoErrors();
            var members = r.Output.Select(o => Assert.IsType<TcOrganizationMember>(o.BaseObject)).ToList();
            Assert.Equal(Enumerable.Range(0, 57).Select(i => 100000000100L + i), members.Select(m => m.MemberUin));
            Assert.Equal(("prod-0", "Invite", "Root", "Confirmed"), (members[0].Name, members[0].MemberType, members[0].NodeName, members[0].PermissionStatus));
            Assert.Equal(2, _ps.CountOf("DescribeOrganizationMembers") - before);
        }

        [Fact]
        public void NameSelectsWithWildcards()
        {
            Organization(6);
            var r = _ps.RunConnected("Get-TcOrganizationMember -Name 'PROD-*', 'test-3' | ForEach-Object Name");
            r.AssertNoErrors();
            Assert.Equal(new object[] { "prod-0", "prod-2", "test-3", "prod-4" }, r.Output.Select(o => o.BaseObject));
        }

        [Fact]
        public void AnAccountThatManagesNoOrganizationGetsTencentsErrorOnce()
        {
            Organization(0, "ResourceNotFound.OrganizationNotExist");
            var r = _ps.RunConnected("Get-TcOrganizationMember");
            ErrorRecord error = r.SingleFailure();
            Assert.StartsWith("TencentCloud.ResourceNotFound.OrganizationNotExist,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Empty(r.Output);
        }

        [Theory]
        [InlineData("-Name ''")]
        [InlineData("-Name ' '")]
        public void ABlankNameIsABindingErrorNotEveryMember(string parameters)
        {
            Organization(3);
            int before = _ps.CountOf("DescribeOrganizationMembers");
            var r = _ps.RunConnected("Get-TcOrganizationMember " + parameters);
            Assert.NotEmpty(r.Errors);
            Assert.Empty(r.Output);
            Assert.Equal(before, _ps.CountOf("DescribeOrganizationMembers"));
        }
    }
}
