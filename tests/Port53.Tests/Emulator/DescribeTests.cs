using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Emulator
{
    /// <summary>The read actions against the demo fleet (docs/emulator.md lists it).</summary>
    public class DescribeTests : IClassFixture<EmulatorFixture>
    {
        private readonly EmulatorFixture _emu;
        private readonly TcTestClient _c;
        public DescribeTests(EmulatorFixture emu)
        {
            _emu = emu;
            _c = new TcTestClient(emu.Server);
        }

        private static List<string> Ids(JsonNode set, string field) => set.AsArray().Select(n => (string)n[field]).ToList();

        [Fact]
        public async Task RegionsAreTheFleetsRegions()
        {
            var r = (await _c.CallAsync("DescribeRegions", null, new { })).AssertOk();
            Assert.Equal(new[] { "ap-guangzhou", "ap-shanghai", "ap-beijing", "ap-hongkong", "ap-singapore" }, Ids(r["RegionSet"], "Region"));
            Assert.All(r["RegionSet"].AsArray(), n => Assert.Equal("AVAILABLE", (string)n["RegionState"]));
        }

        [Fact]
        public async Task ZonesComeFromTheRegionsInstances()
        {
            var r = (await _c.CallAsync("DescribeZones", "ap-guangzhou", new { })).AssertOk();
            Assert.Equal(new[] { "ap-guangzhou-3" }, Ids(r["ZoneSet"], "Zone"));
            Assert.Null(r["ZoneSet"][0]["Region"]);
            var empty = (await _c.CallAsync("DescribeZones", "ap-singapore", new { })).AssertOk();
            Assert.Equal(new[] { "ap-singapore-1" }, Ids(empty["ZoneSet"], "Zone"));
        }

        [Fact]
        public async Task InstancesPageWithTotalCountAndDefaultLimit20()
        {
            var seen = new List<string>();
            for (int offset = 0; ; offset += 4)
            {
                var page = (await _c.CallAsync("DescribeInstances", "ap-guangzhou", new { Offset = offset, Limit = 4 })).AssertOk();
                Assert.Equal(12, (int)page["TotalCount"]);
                var ids = Ids(page["InstanceSet"], "InstanceId");
                seen.AddRange(ids);
                if (ids.Count < 4) break;
            }
            Assert.Equal(12, seen.Distinct().Count());
            var all = (await _c.CallAsync("DescribeInstances", "ap-guangzhou", new { })).AssertOk();
            Assert.Equal(seen, Ids(all["InstanceSet"], "InstanceId"));
            var beyond = (await _c.CallAsync("DescribeInstances", "ap-guangzhou", new { Offset = 50 })).AssertOk();
            Assert.Equal(12, (int)beyond["TotalCount"]);
            Assert.Empty(beyond["InstanceSet"].AsArray());
        }

        [Fact]
        public async Task InstanceRecordsLookLikeTencents()
        {
            var r = (await _c.CallAsync("DescribeInstances", "ap-guangzhou", new { InstanceIds = new[] { "ins-gzdrop01", "ins-gznopub1" } })).AssertOk();
            JsonNode drop = r["InstanceSet"][0], nopub = r["InstanceSet"][1];
            Assert.Equal("gz-first-group-drop", (string)drop["InstanceName"]);
            Assert.Equal(new[] { "sg-firstdrp", "sg-allopen1" }, drop["SecurityGroupIds"].AsArray().Select(n => (string)n));
            Assert.Equal("ap-guangzhou-3", (string)drop["Placement"]["Zone"]);
            Assert.Null(drop["Region"]);
            Assert.True(nopub.AsObject().ContainsKey("PublicIpAddresses"));
            Assert.Null(nopub["PublicIpAddresses"]);
        }

        [Theory]
        [InlineData("ap-guangzhou", "zone", "ap-guangzhou-3", 12)]
        [InlineData("ap-guangzhou", "vpc-id", "vpc-gz000001", 12)]
        [InlineData("ap-shanghai", "subnet-id", "subnet-sh000001", 4)]
        [InlineData("ap-guangzhou", "instance-id", "ins-gzweb001", 1)]
        [InlineData("ap-guangzhou", "instance-name", "gz-shared-03", 1)]
        [InlineData("ap-hongkong", "instance-state", "STOPPED", 1)]
        [InlineData("ap-guangzhou", "security-group-id", "sg-shared01", 5)]
        [InlineData("ap-guangzhou", "security-group-id", "sg-allopen1", 2)]
        [InlineData("ap-guangzhou", "private-ip-address", "10.0.0.11", 1)]
        [InlineData("ap-guangzhou", "public-ip-address", "119.29.1.11", 1)]
        [InlineData("ap-guangzhou", "tag-key", "team", 2)]
        [InlineData("ap-guangzhou", "tag-value", "prod", 6)]
        [InlineData("ap-guangzhou", "tag:env", "dev", 2)]
        [InlineData("ap-guangzhou", "tag:env", "nope", 0)]
        public async Task EveryInstanceFilter(string region, string name, string value, int expected)
        {
            var r = (await _c.CallAsync("DescribeInstances", region, new { Filters = new[] { new { Name = name, Values = new[] { value } } } })).AssertOk();
            Assert.Equal(expected, (int)r["TotalCount"]);
            Assert.Equal(expected, r["InstanceSet"].AsArray().Count);
        }

        [Fact]
        public async Task FiltersAndTogetherValuesOr()
        {
            var r = (await _c.CallAsync("DescribeInstances", "ap-guangzhou", new
            {
                Filters = new object[]
                {
                    new { Name = "security-group-id", Values = new[] { "sg-shared01", "sg-dnsudp01" } },
                    new { Name = "tag:env", Values = new[] { "prod" } },
                },
            })).AssertOk();
            Assert.Equal(new[] { "ins-gzdns001", "ins-gzshr001", "ins-gzshr002", "ins-gzshr003", "ins-gzshr004" }, Ids(r["InstanceSet"], "InstanceId"));
        }

        [Fact]
        public async Task InstancesOfAnotherRegionAreNotListed()
        {
            var r = (await _c.CallAsync("DescribeInstances", "ap-shanghai", new { InstanceIds = new[] { "ins-gzweb001", "ins-shtcp001" } })).AssertOk();
            Assert.Equal(new[] { "ins-shtcp001" }, Ids(r["InstanceSet"], "InstanceId"));
        }

        [Fact]
        public async Task SecurityGroupsPageWithStringOffsetAndLimit()
        {
            var first = (await _c.CallAsync("DescribeSecurityGroups", "ap-guangzhou", new { Offset = "0", Limit = "4" })).AssertOk();
            var second = (await _c.CallAsync("DescribeSecurityGroups", "ap-guangzhou", new { Offset = "4", Limit = "4" })).AssertOk();
            Assert.Equal(7, (int)first["TotalCount"]);
            Assert.Equal(4, first["SecurityGroupSet"].AsArray().Count);
            Assert.Equal(new[] { "sg-private1", "sg-srcgrp01", "sg-dropblw1" }, Ids(second["SecurityGroupSet"], "SecurityGroupId"));
            JsonNode g = first["SecurityGroupSet"][0];
            Assert.Equal("web-all-open", (string)g["SecurityGroupName"]);
            Assert.Null(g["SecurityGroupPolicySet"]);
            Assert.Null(g["Region"]);
        }

        [Theory]
        [InlineData("security-group-id", "sg-dnstcp01", 1)]
        [InlineData("security-group-name", "udp-range-50-60", 1)]
        [InlineData("tag-key", "team", 1)]
        [InlineData("tag:team", "dns", 1)]
        [InlineData("tag:team", "web", 0)]
        public async Task SecurityGroupFilters(string name, string value, int expected)
        {
            var r = (await _c.CallAsync("DescribeSecurityGroups", "ap-shanghai", new { Filters = new[] { new { Name = name, Values = new[] { value } } } })).AssertOk();
            Assert.Equal(expected, (int)r["TotalCount"]);
        }

        [Fact]
        public async Task SecurityGroupsByIdKeepRequestOrder()
        {
            var r = (await _c.CallAsync("DescribeSecurityGroups", "ap-beijing", new { SecurityGroupIds = new[] { "sg-blocked1", "sg-ipv6only" } })).AssertOk();
            Assert.Equal(new[] { "sg-blocked1", "sg-ipv6only" }, Ids(r["SecurityGroupSet"], "SecurityGroupId"));
        }

        [Fact]
        public async Task PoliciesComeInTencentsFullShape()
        {
            var r = (await _c.CallAsync("DescribeSecurityGroupPolicies", "ap-shanghai", new { SecurityGroupId = "sg-svctmpl1" })).AssertOk();
            JsonNode set = r["SecurityGroupPolicySet"];
            Assert.Equal("1", (string)set["Version"]);
            JsonArray ingress = set["Ingress"].AsArray();
            Assert.Equal(new[] { 0, 1, 2 }, ingress.Select(p => (int)p["PolicyIndex"]));
            JsonNode first = ingress[0];
            Assert.Equal("ppm-dnsudp01", (string)first["ServiceTemplate"]["ServiceId"]);
            Assert.Equal("", (string)first["ServiceTemplate"]["ServiceGroupId"]);
            Assert.Equal("", (string)first["Protocol"]);
            Assert.Equal("", (string)first["Port"]);
            Assert.Equal("0.0.0.0/0", (string)first["CidrBlock"]);
            Assert.Equal("", (string)first["Ipv6CidrBlock"]);
            Assert.Equal("", (string)first["AddressTemplate"]["AddressId"]);
            Assert.Equal("ACCEPT", (string)first["Action"]);
            Assert.Equal("::/0", (string)ingress[1]["Ipv6CidrBlock"]);
            Assert.Equal(2, set["Egress"].AsArray().Count);
        }

        [Fact]
        public async Task LowercaseProtocolsComeBackAsStored()
        {
            var r = (await _c.CallAsync("DescribeSecurityGroupPolicies", "ap-shanghai", new { SecurityGroupId = "sg-dnstcp01" })).AssertOk();
            Assert.Equal("tcp", (string)r["SecurityGroupPolicySet"]["Ingress"][0]["Protocol"]);
        }

        [Fact]
        public async Task ServiceTemplatesAndGroups()
        {
            var t = (await _c.CallAsync("DescribeServiceTemplates", "ap-shanghai", new { })).AssertOk();
            Assert.Equal(3, (int)t["TotalCount"]);
            Assert.Equal("udp:53", (string)t["ServiceTemplateSet"][0]["ServiceSet"][0]);
            var one = (await _c.CallAsync("DescribeServiceTemplates", "ap-shanghai", new { Filters = new[] { new { Name = "service-template-id", Values = new[] { "ppm-web00001" } } } })).AssertOk();
            Assert.Equal(new[] { "ppm-web00001" }, Ids(one["ServiceTemplateSet"], "ServiceTemplateId"));
            var paged = (await _c.CallAsync("DescribeServiceTemplates", "ap-shanghai", new { Offset = "1", Limit = "1" })).AssertOk();
            Assert.Equal(new[] { "ppm-dnstcp01" }, Ids(paged["ServiceTemplateSet"], "ServiceTemplateId"));
            var g = (await _c.CallAsync("DescribeServiceTemplateGroups", "ap-shanghai", new { Filters = new[] { new { Name = "service-template-group-id", Values = new[] { "ppmg-dnsall1" } } } })).AssertOk();
            JsonNode group = g["ServiceTemplateGroupSet"][0];
            Assert.Equal(new[] { "ppm-dnsudp01", "ppm-dnstcp01" }, group["ServiceTemplateIdSet"].AsArray().Select(n => (string)n));
            Assert.Equal("tcp: 53", (string)group["ServiceTemplateSet"][1]["ServiceSet"][0]);
        }

        [Fact]
        public async Task AddressTemplatesAndGroups()
        {
            var t = (await _c.CallAsync("DescribeAddressTemplates", "ap-beijing", new { Filters = new[] { new { Name = "address-template-id", Values = new[] { "ipm-public01" } } } })).AssertOk();
            Assert.Equal(1, (int)t["TotalCount"]);
            Assert.Equal("0.0.0.0/0", (string)t["AddressTemplateSet"][0]["AddressSet"][0]);
            var g = (await _c.CallAsync("DescribeAddressTemplateGroups", "ap-beijing", new { })).AssertOk();
            JsonNode group = g["AddressTemplateGroupSet"][0];
            Assert.Equal("ipmg-public1", (string)group["AddressTemplateGroupId"]);
            Assert.Equal(new[] { "0.0.0.0/0", "::/0" }, group["AddressTemplateSet"].AsArray().Select(a => (string)a["AddressSet"][0]));
            var gz = (await _c.CallAsync("DescribeAddressTemplates", "ap-guangzhou", new { })).AssertOk();
            Assert.Equal(new[] { "ipm-office01" }, Ids(gz["AddressTemplateSet"], "AddressTemplateId"));
        }
    }
}
