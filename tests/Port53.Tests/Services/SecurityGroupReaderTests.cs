using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Port53.Analysis;
using Port53.Api;
using Port53.Services;
using Port53.Tests.Api;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Services
{
    /// <summary>The read-once reader over real HTTP against the demo fleet (docs/emulator.md's exposure table).</summary>
    public class SecurityGroupReaderTests : IClassFixture<EmulatorFixture>
    {
        private readonly EmulatorFixture _emu;

        public SecurityGroupReaderTests(EmulatorFixture emu)
        {
            _emu = emu;
            _emu.Restore();
        }

        private SecurityGroupReader NewReader() =>
            new SecurityGroupReader(new VpcService(ClientTestKit.For(_emu.BaseUrl, secretId: _emu.Server.SecretId, secretKey: _emu.Server.SecretKey)));

        private int Count(string action, string group = null) =>
            _emu.Server.Requests.Count(r => r.Action == action && (group == null || r.SecurityGroupId == group));

        [Fact]
        public async Task A_group_shared_by_concurrent_callers_is_read_once()
        {
            SecurityGroupReader reader = NewReader();
            await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => reader.GetAsync("ap-guangzhou", "sg-shared01", CancellationToken.None))));
            await reader.GetAsync("ap-guangzhou", "SG-SHARED01 ", CancellationToken.None);
            Assert.Equal(1, Count("DescribeSecurityGroupPolicies", "sg-shared01"));
        }

        [Fact]
        public async Task Refresh_reads_again_and_replaces_the_commands_copy()
        {
            SecurityGroupReader reader = NewReader();
            GroupSnapshot first = await reader.GetAsync("ap-guangzhou", "sg-dnsudp01", CancellationToken.None);
            GroupSnapshot fresh = await reader.RefreshAsync("ap-guangzhou", "sg-dnsudp01", CancellationToken.None);
            GroupSnapshot cached = await reader.GetAsync("ap-guangzhou", "sg-dnsudp01", CancellationToken.None);
            Assert.Equal(2, Count("DescribeSecurityGroupPolicies", "sg-dnsudp01"));
            Assert.NotSame(first, fresh);
            Assert.Same(fresh, cached);
            Assert.Equal("1", fresh.Version);
        }

        [Fact]
        public async Task Only_the_template_kinds_rules_use_are_read_and_each_once_per_region()
        {
            SecurityGroupReader reader = NewReader();
            // sg-svctmpl1 names a service template and a service template group, no address template.
            await reader.GetAsync("ap-shanghai", "sg-svctmpl1", CancellationToken.None);
            await reader.GetAsync("ap-shanghai", "sg-prange01", CancellationToken.None);
            Assert.Equal(1, Count("DescribeServiceTemplates"));
            Assert.Equal(1, Count("DescribeServiceTemplateGroups"));
            Assert.Equal(0, Count("DescribeAddressTemplates"));
            Assert.Equal(0, Count("DescribeAddressTemplateGroups"));
            // sg-addrtpl1 names an address template and an address template group.
            await reader.GetAsync("ap-beijing", "sg-addrtpl1", CancellationToken.None);
            await reader.GetAsync("ap-beijing", "sg-ipv6only", CancellationToken.None);
            Assert.Equal(1, Count("DescribeAddressTemplates"));
            Assert.Equal(1, Count("DescribeAddressTemplateGroups"));
            Assert.Equal(1, Count("DescribeServiceTemplates"));
        }

        [Theory]
        // Instance groups in binding order → expected verdicts from docs/emulator.md (open/closed and the deciding rule).
        [InlineData("ap-guangzhou", "sg-firstdrp,sg-allopen1", "closed sg-firstdrp#0", "closed sg-firstdrp#1", "closed -", "closed -")]
        [InlineData("ap-guangzhou", "sg-private1,sg-shared01", "open sg-shared01#1", "open sg-shared01#2", "closed -", "closed -")]
        [InlineData("ap-shanghai", "sg-svctmpl1", "open sg-svctmpl1#0", "closed -", "open sg-svctmpl1#1", "open sg-svctmpl1#1")]
        [InlineData("ap-beijing", "sg-addrtpl1", "open sg-addrtpl1#0", "open sg-addrtpl1#1", "closed -", "open sg-addrtpl1#1")]
        public async Task Evaluation_of_bound_groups_matches_the_demo_table(string region, string groups, string udp4, string tcp4, string udp6, string tcp6)
        {
            (ExposureResult result, GroupSnapshot[] snapshots) = await NewReader().EvaluateAsync(region, groups.Split(','), CancellationToken.None);
            Assert.Equal(groups.Split(','), snapshots.Select(s => s.SecurityGroupId));
            Assert.Equal(new[] { udp4, tcp4, udp6, tcp6 }, result.Verdicts.Select(Show));
        }

        [Fact]
        public async Task A_missing_group_fails_every_caller_with_one_read()
        {
            SecurityGroupReader reader = NewReader();
            var first = await Assert.ThrowsAsync<TcApiException>(() => reader.GetAsync("ap-guangzhou", "sg-nothere1", CancellationToken.None));
            var second = await Assert.ThrowsAsync<TcApiException>(() => reader.EvaluateAsync("ap-guangzhou", new[] { "sg-dnsudp01", "sg-nothere1" }, CancellationToken.None));
            Assert.StartsWith("ResourceNotFound", first.Code);
            Assert.Equal(first.Code, second.Code);
            Assert.Equal(1, Count("DescribeSecurityGroupPolicies", "sg-nothere1"));
        }

        private static string Show(ExposureVerdict v) =>
            (v.Open ? "open " : "closed ") + (v.DecidingRule == null ? "-" : v.DecidingRule.GroupId + "#" + (v.DecidingRule.PolicyIndex ?? v.DecidingRule.Position));
    }
}
