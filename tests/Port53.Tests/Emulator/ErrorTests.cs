using System.Threading.Tasks;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Emulator
{
    /// <summary>Tencent's error codes for bad requests, with messages that name the offending field.</summary>
    public class ErrorTests : IClassFixture<EmulatorFixture>
    {
        private readonly EmulatorFixture _emu;
        private readonly TcTestClient _c;
        public ErrorTests(EmulatorFixture emu)
        {
            _emu = emu;
            _c = new TcTestClient(emu.Server);
        }

        [Fact]
        public async Task ErrorsAreHttp200WithCodeMessageAndRequestId()
        {
            var r = await _c.CallAsync("DescribeNothing", "ap-guangzhou", new { });
            Assert.Equal(200, r.Status);
            r.AssertError("InvalidAction");
            Assert.False(string.IsNullOrEmpty(r.ErrorMessage));
            Assert.False(string.IsNullOrEmpty(r.RequestId));
        }

        [Fact]
        public async Task MissingActionHeaderIsMissingParameter() =>
            (await _c.CallAsync(null, "ap-guangzhou", new { })).AssertError("MissingParameter");

        [Fact]
        public async Task MissingRegionIsMissingParameter() =>
            (await _c.CallAsync("DescribeInstances", null, new { })).AssertError("MissingParameter");

        [Fact]
        public async Task UnknownRegionIsUnsupportedRegion()
        {
            (await _c.CallAsync("DescribeInstances", "ap-atlantis", new { })).AssertError("UnsupportedRegion");
            (await _c.CallAsync("DescribeSecurityGroups", "eu-frankfurt", new { })).AssertError("UnsupportedRegion");
        }

        [Fact]
        public async Task UnknownVersionIsNoSuchVersion()
        {
            _c.Version = "2099-01-01";
            (await _c.CallAsync("DescribeRegions", null, new { })).AssertError("NoSuchVersion");
        }

        [Fact]
        public async Task InstanceIdsWithFiltersIsInvalidParameter() =>
            (await _c.CallAsync("DescribeInstances", "ap-guangzhou", new { InstanceIds = new[] { "ins-gzweb001" }, Filters = new[] { new { Name = "zone", Values = new[] { "ap-guangzhou-3" } } } }))
                .AssertError("InvalidParameter");

        [Fact]
        public async Task SecurityGroupIdsWithFiltersIsInvalidParameter() =>
            (await _c.CallAsync("DescribeSecurityGroups", "ap-guangzhou", new { SecurityGroupIds = new[] { "sg-allopen1" }, Filters = new[] { new { Name = "security-group-name", Values = new[] { "x" } } } }))
                .AssertError("InvalidParameter");

        [Theory]
        [InlineData(101)]
        [InlineData(0)]
        public async Task CvmLimitOutsideOneToHundredNamesLimit(int limit)
        {
            var r = (await _c.CallAsync("DescribeInstances", "ap-guangzhou", new { Limit = limit })).AssertError("InvalidParameterValue.LimitExceeded");
            Assert.Contains("Limit", r.ErrorMessage);
        }

        [Fact]
        public async Task NegativeOffsetIsInvalidParameterValue()
        {
            var r = (await _c.CallAsync("DescribeInstances", "ap-guangzhou", new { Offset = -1 })).AssertError("InvalidParameterValue");
            Assert.Contains("Offset", r.ErrorMessage);
        }

        [Fact]
        public async Task MoreThan100InstanceIdsIsLimitExceeded()
        {
            var ids = new string[101];
            for (int i = 0; i < ids.Length; i++) ids[i] = "ins-" + i.ToString("D8");
            (await _c.CallAsync("DescribeInstances", "ap-guangzhou", new { InstanceIds = ids })).AssertError("InvalidParameterValue.LimitExceeded");
        }

        [Fact]
        public async Task MoreThanFiveFilterValuesIsLimitExceeded() =>
            (await _c.CallAsync("DescribeInstances", "ap-guangzhou", new { Filters = new[] { new { Name = "zone", Values = new[] { "a", "b", "c", "d", "e", "f" } } } }))
                .AssertError("InvalidParameterValue.LimitExceeded");

        [Fact]
        public async Task CvmTakesIntegersAndVpcTakesStringsForPaging()
        {
            var r = (await _c.CallAsync("DescribeInstances", "ap-guangzhou", new { Limit = "10" })).AssertError("InvalidParameter");
            Assert.Contains("Limit", r.ErrorMessage);
            r = (await _c.CallAsync("DescribeSecurityGroups", "ap-guangzhou", new { Limit = 10 })).AssertError("InvalidParameter");
            Assert.Contains("Limit", r.ErrorMessage);
            r = (await _c.CallAsync("DescribeSecurityGroups", "ap-guangzhou", new { Limit = "101" })).AssertError("InvalidParameterValue.Range");
            Assert.Contains("Limit", r.ErrorMessage);
            r = (await _c.CallAsync("DescribeSecurityGroups", "ap-guangzhou", new { Offset = "x" })).AssertError("InvalidParameterValue");
            Assert.Contains("Offset", r.ErrorMessage);
        }

        [Fact]
        public async Task UnknownFilterNames()
        {
            (await _c.CallAsync("DescribeInstances", "ap-guangzhou", new { Filters = new[] { new { Name = "colour", Values = new[] { "red" } } } })).AssertError("InvalidFilter");
            (await _c.CallAsync("DescribeSecurityGroups", "ap-guangzhou", new { Filters = new[] { new { Name = "colour", Values = new[] { "red" } } } })).AssertError("InvalidParameter.FilterInvalidKey");
        }

        [Fact]
        public async Task UnknownParameterIsRejected()
        {
            var r = (await _c.CallAsync("DescribeInstances", "ap-guangzhou", new { InstanceId = "ins-gzweb001" })).AssertError("UnknownParameter");
            Assert.Contains("InstanceId", r.ErrorMessage);
        }

        [Fact]
        public async Task BodyThatIsNotAnObjectIsInvalidParameter() =>
            (await _c.CallRawAsync("DescribeInstances", "ap-guangzhou", "[1,2]")).AssertError("InvalidParameter");

        [Fact]
        public async Task MalformedIds()
        {
            (await _c.CallAsync("DescribeInstances", "ap-guangzhou", new { InstanceIds = new[] { "i-123" } })).AssertError("InvalidInstanceId.Malformed");
            (await _c.CallAsync("DescribeSecurityGroupPolicies", "ap-guangzhou", new { SecurityGroupId = "group-1" })).AssertError("InvalidParameterValue.Malformed");
        }

        [Fact]
        public async Task UnknownOrForeignGroupIsResourceNotFound()
        {
            (await _c.CallAsync("DescribeSecurityGroupPolicies", "ap-guangzhou", new { SecurityGroupId = "sg-00000000" })).AssertError("ResourceNotFound");
            // sg-dnstcp01 exists, but in ap-shanghai.
            (await _c.CallAsync("DescribeSecurityGroupPolicies", "ap-guangzhou", new { SecurityGroupId = "sg-dnstcp01" })).AssertError("ResourceNotFound");
            (await _c.CallAsync("DescribeSecurityGroups", "ap-guangzhou", new { SecurityGroupIds = new[] { "sg-dnstcp01" } })).AssertError("ResourceNotFound");
        }

        [Fact]
        public async Task MissingSecurityGroupIdIsMissingParameter()
        {
            var r = (await _c.CallAsync("DescribeSecurityGroupPolicies", "ap-guangzhou", new { })).AssertError("MissingParameter");
            Assert.Contains("SecurityGroupId", r.ErrorMessage);
        }

        [Fact]
        public async Task NonPostAndOtherPathsAreNotApiCalls()
        {
            using var get = await TcTestClient.SendAsync(new System.Net.Http.HttpRequestMessage(System.Net.Http.HttpMethod.Get, _emu.BaseUrl));
            Assert.Equal(405, (int)get.StatusCode);
            using var other = await TcTestClient.SendAsync(new System.Net.Http.HttpRequestMessage(System.Net.Http.HttpMethod.Post, new System.Uri(_emu.BaseUrl, "elsewhere")));
            Assert.Equal(404, (int)other.StatusCode);
        }
    }
}
