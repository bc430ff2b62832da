using System;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Port53.Api;
using Port53.Emulator.Hosting;

namespace Port53.Tests.Emulator
{
    /// <summary>How the request is signed: as Port53 signs, or as Tencent's official SDKs sign for a custom endpoint.</summary>
    public enum SigningMode
    {
        /// <summary>Scope service cvm/vpc, host exactly as sent (with the port).</summary>
        HostAsSent,
        /// <summary>Scope service = the endpoint's first label ("127"), host without the port.</summary>
        OfficialSdkCustomEndpoint,
    }

    /// <summary>A deliberately small Tencent API 3.0 caller for the emulator tests, signing with Port53's Tc3Signer.</summary>
    public sealed class TcTestClient
    {
        private static readonly HttpClient Http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) }) { Timeout = TimeSpan.FromSeconds(30) };
        private readonly Uri _baseUrl;

        public TcTestClient(EmulatorServer server) : this(server.BaseUrl, server.SecretId, server.SecretKey, server.Token) { }

        public TcTestClient(Uri baseUrl, string secretId, string secretKey, string token = null)
        {
            _baseUrl = baseUrl;
            SecretId = secretId;
            SecretKey = secretKey;
            Token = token;
        }

        public string SecretId { get; set; }
        public string SecretKey { get; set; }
        public string Token { get; set; }
        public SigningMode Mode { get; set; } = SigningMode.HostAsSent;
        public string Version { get; set; } = "2017-03-12";
        /// <summary>Unix seconds to sign with; null: now.</summary>
        public Func<long> Clock { get; set; }
        /// <summary>Overrides the scope service (for tests of a wrong one).</summary>
        public string ScopeService { get; set; }
        /// <summary>A Host to name instead of the address connected to (a regional name, as Port53's regional+ routing sends); signed too unless <see cref="SignedHost"/> says otherwise.</summary>
        public string Host { get; set; }
        /// <summary>Overrides the host signed (for tests of a mismatch).</summary>
        public string SignedHost { get; set; }

        public static string ServiceOf(string action) =>
            action is "DescribeRegions" or "DescribeZones" or "DescribeInstances" ? "cvm" : "vpc";

        public Task<TcResponse> CallAsync(string action, string region, object body) =>
            CallRawAsync(action, region, body is string s ? s : JsonSerializer.Serialize(body));

        public async Task<TcResponse> CallRawAsync(string action, string region, string json)
        {
            byte[] payload = Encoding.UTF8.GetBytes(json);
            long timestamp = Clock?.Invoke() ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            string hostSent = Host ?? _baseUrl.Authority;
            string service = ScopeService ?? (Mode == SigningMode.HostAsSent ? ServiceOf(action) : _baseUrl.Host.Split('.')[0]);
            string hostSigned = SignedHost ?? (Mode == SigningMode.HostAsSent ? hostSent : _baseUrl.Host);

            using var request = new HttpRequestMessage(HttpMethod.Post, _baseUrl) { Content = new ByteArrayContent(payload) };
            if (Host != null) request.Headers.Host = Host;
            request.Content.Headers.TryAddWithoutValidation("Content-Type", Tc3Signer.JsonContentType);
            if (action != null) request.Headers.Add("X-TC-Action", action);
            if (Version != null) request.Headers.Add("X-TC-Version", Version);
            if (region != null) request.Headers.Add("X-TC-Region", region);
            request.Headers.Add("X-TC-Timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (Token != null) request.Headers.Add("X-TC-Token", Token);
            request.Headers.TryAddWithoutValidation("Authorization",
                Tc3Signer.Authorization(SecretId, SecretKey, service, timestamp, hostSigned, Tc3Signer.JsonContentType, payload));
            using HttpResponseMessage response = await Http.SendAsync(request);
            return new TcResponse((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        /// <summary>A GET/POST/DELETE on the control API.</summary>
        public static async Task<(int Status, string Body)> ControlAsync(Uri baseUrl, HttpMethod method, string path, string body = null)
        {
            using var request = new HttpRequestMessage(method, new Uri(baseUrl, "_emulator/" + path));
            // The control API takes POSTs with a JSON body only (a browser cannot send one cross-origin unasked).
            if (body != null || method == HttpMethod.Post) request.Content = new StringContent(body ?? "{}", Encoding.UTF8, "application/json");
            using HttpResponseMessage response = await Http.SendAsync(request);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        public static Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => Http.SendAsync(request);
    }

    public sealed class TcResponse
    {
        public TcResponse(int status, string body)
        {
            Status = status;
            Body = body;
            if (status == 200)
            {
                Json = JsonNode.Parse(body)["Response"].AsObject();
                ErrorCode = (string)Json["Error"]?["Code"];
                ErrorMessage = (string)Json["Error"]?["Message"];
                RequestId = (string)Json["RequestId"];
            }
        }

        public int Status { get; }
        public string Body { get; }
        /// <summary>The "Response" object.</summary>
        public JsonObject Json { get; }
        public string ErrorCode { get; }
        public string ErrorMessage { get; }
        public string RequestId { get; }
        public bool Ok => Status == 200 && ErrorCode == null;

        public JsonNode this[string name] => Json[name];

        public TcResponse AssertOk()
        {
            if (!Ok) throw new Xunit.Sdk.XunitException("Expected success, got HTTP " + Status + ": " + Body);
            return this;
        }

        public TcResponse AssertError(string code)
        {
            if (ErrorCode != code) throw new Xunit.Sdk.XunitException("Expected " + code + ", got HTTP " + Status + ": " + Body);
            return this;
        }
    }
}
