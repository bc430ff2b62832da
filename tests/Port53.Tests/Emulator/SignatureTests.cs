using System;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Port53.Api;
using Port53.Emulator.Hosting;
using Port53.Emulator.Model;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Emulator
{
    public class SignatureTests : IClassFixture<EmulatorFixture>
    {
        private readonly EmulatorFixture _emu;
        public SignatureTests(EmulatorFixture emu) => _emu = emu;

        private TcTestClient Client() => new TcTestClient(_emu.Server);

        [Fact]
        public async Task SignedRequestSucceedsWithRequestId()
        {
            TcResponse r = (await Client().CallAsync("DescribeRegions", null, new { })).AssertOk();
            Assert.True(Guid.TryParse(r.RequestId, out _));
            Assert.Equal(5, (int)r["TotalCount"]);
        }

        [Fact]
        public async Task WrongSecretKeyIsSignatureFailure()
        {
            var c = Client();
            c.SecretKey = "not-the-key";
            (await c.CallAsync("DescribeRegions", null, new { })).AssertError("AuthFailure.SignatureFailure");
        }

        [Fact]
        public async Task ActionOfAnotherServiceThanTheScopeIsInvalidAction()
        {
            // Correctly signed for scope "vpc", but DescribeZones is a CVM action.
            var c = Client();
            (await c.CallAsync("DescribeZones", "ap-guangzhou", new { })).AssertOk();
            c.ScopeService = "vpc";
            (await c.CallAsync("DescribeZones", "ap-guangzhou", new { })).AssertError("InvalidAction");
        }

        [Fact]
        public async Task TamperedBodyIsSignatureFailure()
        {
            byte[] signedBody = Encoding.UTF8.GetBytes("{\"Limit\":1}");
            long ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, _emu.BaseUrl) { Content = new StringContent("{\"Limit\":2}") };
            request.Content.Headers.Remove("Content-Type");
            request.Content.Headers.TryAddWithoutValidation("Content-Type", Tc3Signer.JsonContentType);
            request.Headers.Add("X-TC-Action", "DescribeInstances");
            request.Headers.Add("X-TC-Version", "2017-03-12");
            request.Headers.Add("X-TC-Region", "ap-guangzhou");
            request.Headers.Add("X-TC-Timestamp", ts.ToString());
            request.Headers.TryAddWithoutValidation("Authorization", Tc3Signer.Authorization(_emu.Server.SecretId, _emu.Server.SecretKey, "cvm", ts, _emu.BaseUrl.Authority, Tc3Signer.JsonContentType, signedBody));
            using var response = await TcTestClient.SendAsync(request);
            new TcResponse((int)response.StatusCode, await response.Content.ReadAsStringAsync()).AssertError("AuthFailure.SignatureFailure");
        }

        [Theory]
        [InlineData(-301)]
        [InlineData(301)]
        [InlineData(-3600)]
        public async Task TimestampMoreThanFiveMinutesOffIsSignatureExpire(int offset)
        {
            var c = Client();
            c.Clock = () => DateTimeOffset.UtcNow.ToUnixTimeSeconds() + offset;
            (await c.CallAsync("DescribeRegions", null, new { })).AssertError("AuthFailure.SignatureExpire");
        }

        [Fact]
        public async Task TimestampWithinFiveMinutesIsAccepted()
        {
            var c = Client();
            c.Clock = () => DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 240;
            (await c.CallAsync("DescribeRegions", null, new { })).AssertOk();
        }

        [Fact]
        public async Task UnknownSecretIdIsSecretIdNotFound()
        {
            var c = Client();
            c.SecretId = "AKIDnobodyHasThisKey000000000000000";
            var r = (await c.CallAsync("DescribeRegions", null, new { })).AssertError("AuthFailure.SecretIdNotFound");
            Assert.DoesNotContain(_emu.Server.SecretKey, r.Body);
        }

        [Fact]
        public async Task KeyWithTokenNeedsTheRightToken()
        {
            Credential tokenKey = _emu.Server.Credentials[1];
            Assert.NotNull(tokenKey.Token);
            var c = new TcTestClient(_emu.BaseUrl, tokenKey.SecretId, tokenKey.SecretKey);
            (await c.CallAsync("DescribeRegions", null, new { })).AssertError("AuthFailure.TokenFailure");
            c.Token = "wrong-token";
            (await c.CallAsync("DescribeRegions", null, new { })).AssertError("AuthFailure.TokenFailure");
            c.Token = tokenKey.Token;
            (await c.CallAsync("DescribeRegions", null, new { })).AssertOk();
        }

        [Fact]
        public async Task MissingOrForeignAuthorizationIsInvalidAuthorization()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _emu.BaseUrl) { Content = new StringContent("{}") };
            request.Headers.Add("X-TC-Action", "DescribeRegions");
            request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=x");
            using var response = await TcTestClient.SendAsync(request);
            new TcResponse((int)response.StatusCode, await response.Content.ReadAsStringAsync()).AssertError("AuthFailure.InvalidAuthorization");
        }

        [Theory]
        [InlineData("DescribeInstances", "ap-guangzhou")]
        [InlineData("DescribeSecurityGroups", "ap-shanghai")]
        [InlineData("DescribeRegions", null)]
        public async Task OfficialSdkCustomEndpointSigningIsAccepted(string action, string region)
        {
            // Tencent's SDKs pointed at 127.0.0.1:<port> sign service "127" and host "127.0.0.1".
            var c = Client();
            c.Mode = SigningMode.OfficialSdkCustomEndpoint;
            (await c.CallAsync(action, region, new { })).AssertOk();
            Assert.Equal(TcTestClient.ServiceOf(action), _emu.Server.Requests[^1].Service);
        }

        [Fact]
        public async Task TencentsPublishedExampleRequestIsAcceptedAsIs()
        {
            // The documented request, byte for byte, with its documented signature: the server's clock is frozen at the
            // example's timestamp and it knows the example key; Host is the real endpoint's.
            const string body = "{\"Limit\": 1, \"Filters\": [{\"Values\": [\"\\u672a\\u547d\\u540d\"], \"Name\": \"instance-name\"}]}";
            var clock = new ManualClock(DateTimeOffset.FromUnixTimeSeconds(1551113065));
            var options = EmulatorOptions.ForTests();
            options.TimeProvider = clock;
            options.Credentials.Add(new Credential { SecretId = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", SecretKey = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE" });
            await using EmulatorServer server = await EmulatorServer.StartAsync(options);
            using var request = new HttpRequestMessage(HttpMethod.Post, server.BaseUrl) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=utf-8");
            request.Headers.Host = "cvm.tencentcloudapi.com";
            request.Headers.Add("X-TC-Action", "DescribeInstances");
            request.Headers.Add("X-TC-Version", "2017-03-12");
            request.Headers.Add("X-TC-Region", "ap-guangzhou");
            request.Headers.Add("X-TC-Timestamp", "1551113065");
            request.Headers.TryAddWithoutValidation("Authorization", "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
            using var response = await TcTestClient.SendAsync(request);
            var r = new TcResponse((int)response.StatusCode, await response.Content.ReadAsStringAsync()).AssertOk();
            Assert.Equal(0, (int)r["TotalCount"]);
        }
    }

    /// <summary>A clock tests move by hand: rate-limit buckets refill and signatures expire only when told.</summary>
    public sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now;
        public ManualClock(DateTimeOffset start) => _now = start;
        public void Advance(TimeSpan by) => _now += by;
        public override DateTimeOffset GetUtcNow() => _now;
        public override long GetTimestamp() => _now.UtcTicks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    }
}
