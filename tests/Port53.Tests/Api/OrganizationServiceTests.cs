using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using Port53.Api;
using Xunit;

namespace Port53.Tests.Api
{
    public class OrganizationServiceTests
    {
        private static FakeServer Members(int count, int? reportedTotal = null) =>
            new FakeServer(request =>
            {
                int offset = (int)request.Body["Offset"], limit = (int)request.Body["Limit"];
                var items = Enumerable.Range(offset, System.Math.Max(0, System.Math.Min(limit, count - offset)))
                    .Select(i => new JObject { ["MemberUin"] = 100000000000L + i, ["Name"] = "member-" + i, ["MemberType"] = "Create" });
                return FakeReply.Ok(new JObject { ["Total"] = reportedTotal ?? count, ["Items"] = new JArray(items) });
            });

        [Fact]
        public async Task MembersArePagedFiftyAtATimeWithOffsetsThatAreMultiplesOfTheLimit()
        {
            using (var server = Members(120))
            {
                var seen = new List<long>();
                long total = await new OrganizationService(ClientTestKit.For(server.BaseUri))
                    .DescribeMembersAsync(page => seen.AddRange(page.Select(m => m.MemberUin)), CancellationToken.None);

                Assert.Equal(120, total);
                Assert.Equal(Enumerable.Range(0, 120).Select(i => 100000000000L + i), seen);
                var sent = server.Requests.ToList();
                Assert.Equal(new long[] { 0, 50, 100 }, sent.Select(r => (long)r.Body["Offset"]));
                Assert.All(sent, r => Assert.Equal(50, (int)r.Body["Limit"]));
                Assert.All(sent, r => Assert.Equal("DescribeOrganizationMembers", r.Action));
                Assert.All(sent, r => Assert.Equal("2021-03-31", r.Version));
                Assert.All(sent, r => Assert.Equal("organization", r.ScopeService));
                // The action is global: no region header.
                Assert.All(sent, r => Assert.Equal(string.Empty, r.Region));
            }
        }

        [Fact]
        public async Task AnExactMultipleOfTheLimitStopsAtTotal()
        {
            using (var server = Members(100))
            {
                long total = await new OrganizationService(ClientTestKit.For(server.BaseUri)).DescribeMembersAsync(_ => { }, CancellationToken.None);
                Assert.Equal(100, total);
                Assert.Equal(2, server.RequestCount);
            }
        }
    }
}
