using System;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Port53.Api;
using Port53.LocalEmulator;
using Port53.Model;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Emulator
{
    /// <summary>
    /// The control API over real HTTP, as a web page in the user's browser would reach it: with a foreign Host
    /// (DNS rebinding: evil.example resolved to 127.0.0.1), a foreign Origin, a "simple" text/plain POST, or
    /// Sec-Fetch-Site: cross-site. Each must be refused with nothing changed; the module's own client and the
    /// Tencent API path keep working.
    /// </summary>
    public class ControlApiSecurityTests : IClassFixture<EmulatorFixture>
    {
        private readonly EmulatorFixture _emu;

        public ControlApiSecurityTests(EmulatorFixture emu)
        {
            _emu = emu;
            _emu.Restore();
        }

        private string Own => "127.0.0.1:" + _emu.Server.Port;

        private async Task<(int Status, string Body)> SendAsync(HttpMethod method, string path, string host = null, string origin = null,
            string body = null, string contentType = "application/json", string fetchSite = null)
        {
            using var request = new HttpRequestMessage(method, new Uri(_emu.BaseUrl, "_emulator/" + path));
            if (host != null) request.Headers.Host = host;
            if (origin != null) request.Headers.TryAddWithoutValidation("Origin", origin);
            if (fetchSite != null) request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", fetchSite);
            if (body != null)
            {
                request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
                if (contentType != null) request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
            using HttpResponseMessage response = await TcTestClient.SendAsync(request);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        private const string RaiseFaults = "{\"InternalErrorRate\":1}";

        [Theory]
        [InlineData("evil.example", null, "application/json", null, 403)]
        [InlineData("evil.example:{port}", null, "application/json", null, 403)]
        [InlineData("127.0.0.1.evil.example", null, "application/json", null, 403)]
        [InlineData(null, "http://evil.example", "text/plain", null, 403)]
        [InlineData(null, "http://evil.example", "application/json", null, 403)]
        [InlineData(null, "null", "application/json", null, 403)]
        [InlineData(null, "http://localhost:1", "application/json", null, 403)]
        [InlineData(null, null, "application/json", "cross-site", 403)]
        [InlineData(null, null, "application/json", "same-site", 403)]
        [InlineData(null, null, "text/plain", null, 415)]
        [InlineData(null, null, "application/x-www-form-urlencoded", null, 415)]
        [InlineData(null, null, null, null, 415)]
        public async Task AForeignOrSimpleRequestCannotChangeTheEmulator(string host, string origin, string contentType, string fetchSite, int refused)
        {
            host = host?.Replace("{port}", _emu.Server.Port.ToString());
            var (status, body) = await SendAsync(HttpMethod.Post, "faults", host, origin, RaiseFaults, contentType, fetchSite);
            Assert.Equal(refused, status);
            Assert.False(string.IsNullOrEmpty((string)JsonNode.Parse(body)["Error"]));
            Assert.Equal(0, _emu.Server.Faults.InternalErrorRate);

            (status, _) = await SendAsync(HttpMethod.Post, "reset", host, origin, "{}", contentType, fetchSite);
            Assert.Equal(refused, status);
            (status, _) = await SendAsync(HttpMethod.Get, "state", host, origin, fetchSite: fetchSite);
            Assert.Equal(refused == 415 ? 200 : refused, status);
        }

        [Fact]
        public async Task AForeignHostCannotClearTheLog()
        {
            await new TcTestClient(_emu.Server).CallAsync("DescribeRegions", null, new { });
            var (status, _) = await SendAsync(HttpMethod.Delete, "requests", host: "evil.example");
            Assert.Equal(403, status);
            Assert.Single(_emu.Server.Requests);
        }

        [Theory]
        [InlineData("localhost:{port}", null)]
        [InlineData("LOCALHOST", null)]
        [InlineData("127.0.0.1:{port}", "http://127.0.0.1:{port}")]
        [InlineData("127.0.0.2:{port}", null)]
        [InlineData("[::1]:{port}", "http://[::1]:{port}")]
        [InlineData(null, "http://localhost:{port}")]
        public async Task LoopbackNamesAndTheEmulatorsOwnOriginAreAccepted(string host, string origin)
        {
            string port = _emu.Server.Port.ToString();
            var (status, body) = await SendAsync(HttpMethod.Post, "faults", host?.Replace("{port}", port), origin?.Replace("{port}", port),
                RaiseFaults, "application/json; charset=utf-8", fetchSite: origin == null ? null : "same-origin");
            Assert.Equal(200, status);
            Assert.Equal(1, (double)JsonNode.Parse(body)["InternalErrorRate"]);
        }

        [Fact]
        public async Task StateMasksSecretKeysAndTokens()
        {
            var (status, body) = await SendAsync(HttpMethod.Get, "state");
            Assert.Equal(200, status);
            JsonArray credentials = JsonNode.Parse(body)["Credentials"].AsArray();
            Assert.Equal(_emu.Server.Credentials.Count, credentials.Count);
            for (int i = 0; i < credentials.Count; i++)
            {
                var served = _emu.Server.Credentials[i];
                Assert.Equal(served.SecretId, (string)credentials[i]["SecretId"]);
                Assert.Equal(served.SecretKey.Substring(0, 4) + "****", (string)credentials[i]["SecretKey"]);
                Assert.DoesNotContain(served.SecretKey, body);
                if (served.Token != null) Assert.DoesNotContain(served.Token, body);
            }
            // Masking the answer leaves the fleet's own keys alone: signed calls still work.
            (await new TcTestClient(_emu.Server).CallAsync("DescribeRegions", null, new { })).AssertOk();
        }

        [Fact]
        public async Task TheTencentApiPathIsNotHeldToLoopbackHostNames()
        {
            // Requests may come addressed to <service>.tencentcloudapi.com (a proxy or a hosts-file entry).
            const string host = "cvm.tencentcloudapi.com";
            byte[] payload = Encoding.UTF8.GetBytes("{}");
            long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, _emu.BaseUrl) { Content = new ByteArrayContent(payload) };
            request.Headers.Host = host;
            request.Content.Headers.TryAddWithoutValidation("Content-Type", Tc3Signer.JsonContentType);
            request.Headers.Add("X-TC-Action", "DescribeRegions");
            request.Headers.Add("X-TC-Version", "2017-03-12");
            request.Headers.Add("X-TC-Timestamp", now.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation("Authorization",
                Tc3Signer.Authorization(_emu.Server.SecretId, _emu.Server.SecretKey, "cvm", now, host, Tc3Signer.JsonContentType, payload));
            using HttpResponseMessage response = await TcTestClient.SendAsync(request);
            var reply = new TcResponse((int)response.StatusCode, await response.Content.ReadAsStringAsync());
            reply.AssertOk();
        }

        [Fact]
        public async Task TheModulesControlClientWorksAndReportsARefusalWithItsReason()
        {
            var own = new EmulatorControlClient(_emu.BaseUrl);
            TcEmulatorFault set = await own.SetFaultsAsync(new EmulatorFaultPatch { InternalErrorRate = 0.5 }, CancellationToken.None);
            Assert.Equal(0.5, set.InternalErrorRate);
            await own.ClearRequestsAsync(CancellationToken.None);
            Assert.Empty(await own.GetRequestsAsync(CancellationToken.None));

            using var foreign = new HttpClient(new ForeignHost());
            var error = await Assert.ThrowsAsync<EmulatorException>(() => new EmulatorControlClient(_emu.BaseUrl, foreign).GetRequestsAsync(CancellationToken.None));
            Assert.Equal("EmulatorRejected", error.ErrorId);
            Assert.Contains("evil.example", error.Message);
            Assert.Contains("localhost", error.Message);
        }

        /// <summary>What a rebound name looks like to the emulator: the right address, another Host.</summary>
        private sealed class ForeignHost : DelegatingHandler
        {
            public ForeignHost() : base(new SocketsHttpHandler()) { }

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                request.Headers.Host = "evil.example";
                return base.SendAsync(request, cancellationToken);
            }
        }
    }
}
