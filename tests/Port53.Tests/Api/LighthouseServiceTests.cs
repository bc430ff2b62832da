using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using Port53.Api;
using Port53.Api.Models;
using Xunit;

namespace Port53.Tests.Api
{
    /// <summary>Lighthouse on the wire: its own version and credential scope, a firewall read whole, writes that carry FirewallVersion.</summary>
    public class LighthouseServiceTests
    {
        private static JObject Rule(int i) => new JObject { ["Protocol"] = "TCP", ["Port"] = (1000 + i).ToString(), ["CidrBlock"] = "0.0.0.0/0", ["Action"] = "ACCEPT" };

        [Fact]
        public async Task Every_call_names_lighthouse_and_its_2020_03_24_version_while_cvm_keeps_its_own()
        {
            using (var server = new FakeServer(r => r.Action == "DescribeFirewallRules"
                ? FakeReply.Ok(new JObject { ["TotalCount"] = 1, ["FirewallVersion"] = 3, ["FirewallRuleSet"] = new JArray(Rule(0)) })
                : FakeReply.Ok(new JObject { ["TotalCount"] = 0, ["InstanceSet"] = new JArray(), ["RegionSet"] = new JArray() })))
            {
                TcClient client = ClientTestKit.For(server.BaseUri);
                var lighthouse = new LighthouseService(client);
                await lighthouse.DescribeRegionsAsync(CancellationToken.None);
                await lighthouse.DescribeInstancesAsync("ap-guangzhou", new TcQuery().WithFilter("instance-state", "RUNNING"), _ => { }, CancellationToken.None);
                await lighthouse.DescribeFirewallRulesAsync("ap-guangzhou", "lhins-1", CancellationToken.None);
                await lighthouse.ModifyFirewallRulesAsync("ap-guangzhou", "lhins-1", new[] { new FirewallRule { Protocol = "UDP", Port = "53", Action = "DROP" } }, 3, CancellationToken.None);
                await new CvmService(client).DescribeRegionsAsync(CancellationToken.None);

                FakeRequest[] seen = server.Requests.ToArray();
                Assert.Equal(new[] { "DescribeRegions", "DescribeInstances", "DescribeFirewallRules", "ModifyFirewallRules", "DescribeRegions" }, seen.Select(r => r.Action));
                Assert.All(seen.Take(4), r => Assert.Equal(("2020-03-24", "lighthouse"), (r.Version, r.ScopeService)));
                Assert.Equal(("2017-03-12", "cvm"), (seen[4].Version, seen[4].ScopeService));
                Assert.Equal("ap-guangzhou", seen[2].Region);
                Assert.Equal("instance-state", (string)seen[1].Body["Filters"][0]["Name"]);
            }
        }

        [Fact]
        public async Task A_firewall_comes_back_in_order_with_its_version_and_a_write_carries_that_version_even_when_it_is_0()
        {
            using (var server = new FakeServer(r => r.Action == "DescribeFirewallRules"
                ? FakeReply.Ok(new JObject { ["TotalCount"] = 3, ["FirewallVersion"] = 0, ["FirewallRuleSet"] = new JArray(Rule(2), Rule(0), Rule(1)) })
                : FakeReply.Ok()))
            {
                var lighthouse = new LighthouseService(ClientTestKit.For(server.BaseUri));
                var (version, rules) = await lighthouse.DescribeFirewallRulesAsync("ap-shanghai", "lhins-1", CancellationToken.None);
                Assert.Equal(0, version);
                Assert.Equal(new[] { "1002", "1000", "1001" }, rules.Select(r => r.Port));

                await lighthouse.ModifyFirewallRulesAsync("ap-shanghai", "lhins-1", rules.Select(r => new FirewallRule { Protocol = r.Protocol, Port = r.Port, CidrBlock = r.CidrBlock, Action = r.Action }), version, CancellationToken.None);
                JObject body = server.Requests.Last().Body;
                Assert.Equal(JTokenType.Integer, body["FirewallVersion"].Type);
                Assert.Equal(0, (long)body["FirewallVersion"]);
                Assert.Equal("lhins-1", (string)body["InstanceId"]);
                Assert.Equal(new[] { "1002", "1000", "1001" }, body["FirewallRules"].Select(r => (string)r["Port"]));
            }
        }

        [Fact]
        public async Task Pages_that_straddle_a_change_are_read_again_from_the_start()
        {
            int reads = 0;
            using (var server = new FakeServer(r =>
            {
                int offset = (int)r.Body["Offset"];
                // The second page of the first pass comes from a newer version: someone wrote in between.
                int version = Interlocked.Increment(ref reads) >= 2 ? 6 : 5;
                var page = Enumerable.Range(offset, System.Math.Min(100, 150 - offset)).Select(Rule);
                return FakeReply.Ok(new JObject { ["TotalCount"] = 150, ["FirewallVersion"] = version, ["FirewallRuleSet"] = new JArray(page) });
            }))
            {
                var (version, rules) = await new LighthouseService(ClientTestKit.For(server.BaseUri)).DescribeFirewallRulesAsync("ap-guangzhou", "lhins-1", CancellationToken.None);
                Assert.Equal(6, version);
                Assert.Equal(150, rules.Count);
                Assert.Equal(Enumerable.Range(1000, 150).Select(i => i.ToString()), rules.Select(r => r.Port));
                Assert.Equal(new long[] { 0, 100, 0, 100 }, server.Requests.Select(r => (long)r.Body["Offset"]));
            }
        }
    }
}
