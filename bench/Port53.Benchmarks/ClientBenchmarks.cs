using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Port53.Api;
using Port53.Api.Models;
using Port53.Credentials;

namespace Port53.Benchmarks
{
    /// <summary>
    /// One whole API call through <see cref="TcClient"/> as the cmdlets make it: serialise, sign, send, read the
    /// reply, bind it to the wire model. The reply comes from an in-process handler (no socket, no latency, no rate
    /// limit), so what is left is the client's own CPU and, in the Allocated column, the garbage it makes per call:
    /// at fleet scale that garbage is most of what the process allocates (bench/README.md, "Memory").
    /// </summary>
    [MemoryDiagnoser]
    public class ClientBenchmarks
    {
        private TcClient _client;
        private VpcService _vpc;
        private CvmService _cvm;
        private CannedHandler _handler;
        private byte[] _groupReply, _pageReply;

        public int GroupReplyBytes => _groupReply.Length;
        public int PageReplyBytes => _pageReply.Length;

        [GlobalSetup]
        public void Setup()
        {
            var set = new SecurityGroupPolicySet { Version = "12", Ingress = new List<SecurityGroupPolicy>(Scenarios.Mixed20().Ingress), Egress = new List<SecurityGroupPolicy>() };
            _groupReply = Reply(JObject.FromObject(new { SecurityGroupPolicySet = set }));
            var page = (JObject)JsonBenchmarks.BuildPage(100)["Response"];
            _pageReply = Reply(page);
            _handler = new CannedHandler();
            var options = new TcClientOptions
            {
                Http = new HttpClient(_handler),
                RateLimits = new TcRateLimiterRegistry(_ => 1e9),
                Retry = TcRetryPolicy.Default,
            };
            var credential = new StaticCredentialProvider(new TcCredential("AKIDbenchmark0000000000000000000000", "benchmark-secret-key-000000000000"), TcCredentialSource.Parameters);
            _client = new TcClient(credential, TcEndpoint.Custom(new Uri("http://127.0.0.1:9/")), options);
            _vpc = new VpcService(_client);
            _cvm = new CvmService(_client);
            // What the benchmarks return is checked once, so a client that stops binding replies cannot look fast.
            _handler.Reply = _groupReply;
            int rules = Group().Ingress.Count;
            if (rules != 20) throw new InvalidOperationException("group reply bound " + rules + " rules");
            _handler.Reply = _pageReply;
            int instances = Page();
            if (instances != 100) throw new InvalidOperationException("page reply bound " + instances + " instances");
        }

        [Benchmark(Description = "DescribeSecurityGroupPolicies (20 rules), whole call")]
        public object GroupCall()
        {
            _handler.Reply = _groupReply;
            return Group();
        }

        [Benchmark(Description = "DescribeInstances page (100), whole call")]
        public int PageCall()
        {
            _handler.Reply = _pageReply;
            return Page();
        }

        private SecurityGroupPolicySet Group() => _vpc.DescribeSecurityGroupPoliciesAsync("ap-guangzhou", "sg-mixed20", CancellationToken.None).GetAwaiter().GetResult();

        private int Page()
        {
            int count = 0;
            _cvm.DescribeInstancesAsync("ap-guangzhou", new TcQuery(), items => count += items.Count, CancellationToken.None).GetAwaiter().GetResult();
            return count;
        }

        private static byte[] Reply(JObject response)
        {
            response["RequestId"] = "6f7f5c2e-0d36-4d5c-9b0a-2f3a4c5d6e7f";
            if (response["InstanceSet"] is JArray set) response["TotalCount"] = set.Count;
            return Encoding.UTF8.GetBytes(new JObject { ["Response"] = response }.ToString(Formatting.None));
        }

        /// <summary>Answers every request with the same bytes, as a server's socket would hand them over.</summary>
        private sealed class CannedHandler : HttpMessageHandler
        {
            public byte[] Reply { get; set; }

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Reply), RequestMessage = request };
                response.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
                return Task.FromResult(response);
            }
        }
    }
}
