using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using Port53.Api;
using Port53.Api.Models;
using Xunit;

namespace Port53.Tests.Api
{
    public class PagingAndServiceTests
    {
        /// <summary>A server holding <paramref name="count"/> items of a set, reporting <paramref name="reportedTotal"/> as TotalCount.</summary>
        private static FakeServer PagedServer(int count, string setName, int? reportedTotal = null)
        {
            return new FakeServer(request =>
            {
                int offset = (int)request.Body["Offset"], limit = (int)request.Body["Limit"];
                var items = Enumerable.Range(offset, System.Math.Max(0, System.Math.Min(limit, count - offset)))
                    .Select(i => new JObject { ["InstanceId"] = "ins-" + i.ToString("x8"), ["SecurityGroupId"] = "sg-" + i.ToString("x8") }).ToList();
                var fields = new JObject { ["TotalCount"] = reportedTotal ?? count, [setName] = new JArray(items) };
                return FakeReply.Ok(fields);
            });
        }

        [Fact]
        public async Task PagesArriveOneAtATimeAndStopAtTotalCount()
        {
            using (var server = PagedServer(250, "InstanceSet"))
            {
                var cvm = new CvmService(ClientTestKit.For(server.BaseUri));
                var pages = new List<int>();
                var requestsSeenAtEachPage = new List<int>();
                long total = await cvm.DescribeInstancesAsync("ap-guangzhou", null, page =>
                {
                    pages.Add(page.Count);
                    requestsSeenAtEachPage.Add(server.RequestCount);
                }, CancellationToken.None);

                Assert.Equal(250, total);
                Assert.Equal(new[] { 100, 100, 50 }, pages);
                // Each page is handed over before the next one is asked for: the caller can stream.
                Assert.Equal(new[] { 1, 2, 3 }, requestsSeenAtEachPage);
                var bodies = server.Requests.Select(r => r.Body).ToList();
                Assert.Equal(new long[] { 0, 100, 200 }, bodies.Select(b => (long)b["Offset"]));
                Assert.All(bodies, b => Assert.Equal(JTokenType.Integer, b["Limit"].Type));
                Assert.All(bodies, b => Assert.Equal(100, (int)b["Limit"]));
                Assert.All(bodies, b => Assert.Null(b["Filters"]));
                Assert.All(bodies, b => Assert.Null(b["InstanceIds"]));
            }
        }

        [Fact]
        public async Task AnExactMultipleOfThePageSizeNeedsNoExtraRequest()
        {
            using (var server = PagedServer(200, "InstanceSet"))
            {
                long total = await new CvmService(ClientTestKit.For(server.BaseUri)).DescribeInstancesAsync("ap-guangzhou", null, _ => { }, CancellationToken.None);
                Assert.Equal(200, total);
                Assert.Equal(2, server.RequestCount);
            }
        }

        [Fact]
        public async Task AShortPageEndsPagingEvenIfTotalCountSaysMore()
        {
            using (var server = PagedServer(130, "InstanceSet", reportedTotal: 1000))
            {
                long total = await new CvmService(ClientTestKit.For(server.BaseUri)).DescribeInstancesAsync("ap-guangzhou", null, _ => { }, CancellationToken.None);
                Assert.Equal(130, total);
                Assert.Equal(2, server.RequestCount);
            }
        }

        [Fact]
        public async Task NothingFoundMeansNoPageAndOneRequest()
        {
            using (var server = PagedServer(0, "InstanceSet"))
            {
                int pages = 0;
                long total = await new CvmService(ClientTestKit.For(server.BaseUri)).DescribeInstancesAsync("ap-guangzhou", null, _ => pages++, CancellationToken.None);
                Assert.Equal(0, total);
                Assert.Equal(0, pages);
                Assert.Equal(1, server.RequestCount);
            }
        }

        [Fact]
        public async Task VpcPagesWithStringOffsetAndLimit()
        {
            using (var server = new FakeServer(request =>
            {
                int offset = int.Parse((string)request.Body["Offset"]);
                var items = Enumerable.Range(offset, System.Math.Max(0, System.Math.Min(100, 120 - offset)))
                    .Select(i => new JObject { ["SecurityGroupId"] = "sg-" + i.ToString("x8") });
                return FakeReply.Ok(new JObject { ["TotalCount"] = 120, ["SecurityGroupSet"] = new JArray(items) });
            }))
            {
                var ids = new List<string>();
                await new VpcService(ClientTestKit.For(server.BaseUri)).DescribeSecurityGroupsAsync("ap-guangzhou", null,
                    page => ids.AddRange(page.Select(g => g.SecurityGroupId)), CancellationToken.None);
                Assert.Equal(120, ids.Distinct().Count());
                var bodies = server.Requests.Select(r => r.Body).ToList();
                Assert.Equal(new[] { "0", "100" }, bodies.Select(b => (string)b["Offset"]));
                Assert.All(bodies, b => Assert.Equal(JTokenType.String, b["Limit"].Type));
                Assert.All(server.Requests, r => Assert.Equal("vpc", r.ScopeService));
            }
        }

        [Fact]
        public void QueriesSplitIntoRequestsTencentAccepts()
        {
            var ids = Enumerable.Range(0, 250).Select(i => "ins-" + i.ToString("x8")).ToList();
            var idsOnly = new TcQuery().WithIds(ids).Batches("instance-id").ToList();
            Assert.Equal(new[] { 100, 100, 50 }, idsOnly.Select(b => b.Ids.Count));
            Assert.All(idsOnly, b => Assert.Null(b.Filters));

            var mixed = new TcQuery().WithIds(ids.Take(7)).WithFilter("zone", "ap-guangzhou-3").Batches("instance-id").ToList();
            Assert.Equal(2, mixed.Count);
            Assert.All(mixed, b => Assert.Null(b.Ids));
            Assert.All(mixed, b => Assert.Equal("ap-guangzhou-3", Assert.Single(b.Filters.Single(f => f.Name == "zone").Values)));
            Assert.Equal(ids.Take(7), mixed.SelectMany(b => b.Filters.Single(f => f.Name == "instance-id").Values));
            Assert.All(mixed.SelectMany(b => b.Filters), f => Assert.InRange(f.Values.Count, 1, TcQuery.MaxFilterValues));

            var crossed = new TcQuery().WithFilter("zone", Enumerable.Range(0, 6).Select(i => "z" + i)).WithFilter("tag:env", Enumerable.Range(0, 7).Select(i => "e" + i))
                .Batches("instance-id").ToList();
            Assert.Equal(4, crossed.Count);

            var empty = Assert.Single(new TcQuery().Batches("instance-id"));
            Assert.Null(empty.Ids);
            Assert.Null(empty.Filters);
        }

        [Theory]
        [InlineData("tag-key")]
        [InlineData("tag-key", "")]
        [InlineData("tag-key", "env", " ")]
        [InlineData("tag-key", "env", null)]
        [InlineData("", "env")]
        [InlineData(" ", "env")]
        public void AFilterWithoutAValueIsNeverSent(string name, params string[] values)
        {
            // Tencent ignores a filter without values: sent, it would list every resource of the region.
            var error = Assert.Throws<TcBlankSelectorException>(() => new TcQuery().WithFilter(name, (IEnumerable<string>)values));
            ErrorRecord record = TcErrors.ToErrorRecord(error, null);
            Assert.Equal("Port53.BlankSelector", record.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, record.CategoryInfo.Category);
            Assert.Contains("'" + name + "'", error.Message);
        }

        [Fact]
        public void AnIdListWithoutAnIdIsNeverSent()
        {
            Assert.Throws<TcBlankSelectorException>(() => new TcQuery().WithIds(new string[0]));
            Assert.Throws<TcBlankSelectorException>(() => new TcQuery().WithIds(new[] { "ins-00000001", " " }));
            Assert.True(new TcQuery().WithIds(null).IsEmpty);
        }

        [Fact]
        public async Task SplitRequestsReturnEachItemOnce()
        {
            // Every request answers the same two instances: dedupe must hand each over once.
            using (var server = new FakeServer(_ => FakeReply.Ok(new JObject
            {
                ["TotalCount"] = 2,
                ["InstanceSet"] = new JArray(new JObject { ["InstanceId"] = "ins-00000001" }, new JObject { ["InstanceId"] = "ins-00000002" }),
            })))
            {
                var seen = new List<string>();
                var query = new TcQuery().WithFilter("tag-key", Enumerable.Range(0, 12).Select(i => "k" + i));
                long count = await new CvmService(ClientTestKit.For(server.BaseUri)).DescribeInstancesAsync("ap-guangzhou", query,
                    page => seen.AddRange(page.Select(i => i.InstanceId)), CancellationToken.None);
                Assert.Equal(3, server.RequestCount);
                Assert.Equal(new[] { "ins-00000001", "ins-00000002" }, seen);
                Assert.Equal(2, count);
            }
        }

        [Fact]
        public async Task WritesSendOneDirectionAndReturnTheRequestId()
        {
            using (var server = new FakeServer(_ => FakeReply.Ok(null, "req-write")))
            {
                var vpc = new VpcService(ClientTestKit.For(server.BaseUri));
                var set = new SecurityGroupPolicySet
                {
                    Version = "7",
                    Ingress = new List<SecurityGroupPolicy>
                    {
                        new SecurityGroupPolicy { PolicyIndex = 0, Protocol = "UDP", Port = "53", CidrBlock = "0.0.0.0/0", Action = "DROP", PolicyDescription = "Port53" },
                    },
                    Egress = new List<SecurityGroupPolicy>(),
                };
                string requestId = await vpc.CreateSecurityGroupPoliciesAsync("ap-guangzhou", "sg-12345678", set, CancellationToken.None);
                Assert.Equal("req-write", requestId);
                Assert.Equal("req-write", await vpc.DeleteSecurityGroupPoliciesAsync("ap-guangzhou", "sg-12345678", set, CancellationToken.None));

                FakeRequest create = server.Requests.First();
                Assert.Equal("CreateSecurityGroupPolicies", create.Action);
                Assert.Equal("sg-12345678", (string)create.Body["SecurityGroupId"]);
                JObject sent = (JObject)create.Body["SecurityGroupPolicySet"];
                Assert.Equal("7", (string)sent["Version"]);
                Assert.Null(sent["Egress"]);
                JObject rule = (JObject)Assert.Single(sent["Ingress"]);
                Assert.Equal(0, (int)rule["PolicyIndex"]);
                Assert.Null(rule["Ipv6CidrBlock"]);
                Assert.Null(rule["ServiceTemplate"]);
                Assert.Equal("DeleteSecurityGroupPolicies", server.Requests.Last().Action);
            }
        }

        [Fact]
        public async Task PoliciesComeBackWithVersionAndEmptyDirections()
        {
            using (var server = new FakeServer(_ => FakeReply.Raw("{\"Response\":{\"SecurityGroupPolicySet\":{\"Version\":\"12\",\"Ingress\":[{\"PolicyIndex\":0,\"Protocol\":\"udp\",\"Port\":\"53\",\"CidrBlock\":\"0.0.0.0/0\",\"Action\":\"accept\"}],\"Egress\":null},\"RequestId\":\"r\"}}")))
            {
                var set = await new VpcService(ClientTestKit.For(server.BaseUri)).DescribeSecurityGroupPoliciesAsync("ap-guangzhou", "sg-12345678", CancellationToken.None);
                Assert.Equal("12", set.Version);
                Assert.Empty(set.Egress);
                Assert.Equal("udp", Assert.Single(set.Ingress).Protocol);
                Assert.Equal("sg-12345678", (string)server.Requests.Single().Body["SecurityGroupId"]);
            }
        }

        [Fact]
        public async Task TemplateIdsTravelAsFilters()
        {
            using (var server = new FakeServer(_ => FakeReply.Ok(new JObject
            {
                ["TotalCount"] = 1,
                ["ServiceTemplateSet"] = new JArray(new JObject { ["ServiceTemplateId"] = "ppm-00000001", ["ServiceSet"] = new JArray("tcp:53", "udp: 50-60") }),
            })))
            {
                var templates = new List<ServiceTemplate>();
                await new VpcService(ClientTestKit.For(server.BaseUri)).DescribeServiceTemplatesAsync("ap-guangzhou",
                    new TcQuery().WithIds(new[] { "ppm-00000001" }), page => templates.AddRange(page), CancellationToken.None);
                Assert.Equal(new[] { "tcp:53", "udp: 50-60" }, Assert.Single(templates).ServiceSet);
                JObject body = server.Requests.Single().Body;
                Assert.Equal("service-template-id", (string)body["Filters"][0]["Name"]);
                Assert.Equal("ppm-00000001", (string)body["Filters"][0]["Values"][0]);
                Assert.Equal("0", (string)body["Offset"]);
            }
        }

        [Theory]
        [InlineData("DescribeServiceTemplateGroups", "service-template-group-id", "ServiceTemplateGroupSet")]
        [InlineData("DescribeAddressTemplates", "address-template-id", "AddressTemplateSet")]
        [InlineData("DescribeAddressTemplateGroups", "address-template-group-id", "AddressTemplateGroupSet")]
        public async Task EveryTemplateActionPagesAndFilters(string action, string filter, string set)
        {
            using (var server = new FakeServer(_ => FakeReply.Ok(new JObject { ["TotalCount"] = 1, [set] = new JArray(new JObject()) })))
            {
                var vpc = new VpcService(ClientTestKit.For(server.BaseUri));
                var query = new TcQuery().WithIds(new[] { "x-00000001" });
                int items = 0;
                switch (action)
                {
                    case "DescribeServiceTemplateGroups": await vpc.DescribeServiceTemplateGroupsAsync("ap-guangzhou", query, p => items += p.Count, CancellationToken.None); break;
                    case "DescribeAddressTemplates": await vpc.DescribeAddressTemplatesAsync("ap-guangzhou", query, p => items += p.Count, CancellationToken.None); break;
                    default: await vpc.DescribeAddressTemplateGroupsAsync("ap-guangzhou", query, p => items += p.Count, CancellationToken.None); break;
                }
                Assert.Equal(1, items);
                FakeRequest seen = server.Requests.Single();
                Assert.Equal(action, seen.Action);
                Assert.Equal(filter, (string)seen.Body["Filters"][0]["Name"]);
            }
        }
    }
}
