using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using Port53.Api;
using Port53.Api.Models;
using Port53.Credentials;
using Xunit;

namespace Port53.Tests.Api
{
    public class TcClientTests
    {
        private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

        [Fact]
        public async Task SignsTheHostItSendsAndNamesTheRealServiceInTheScope()
        {
            using (var server = new FakeServer(_ => FakeReply.Ok(new { RegionSet = new object[0] })))
            {
                TcClient client = ClientTestKit.For(server.BaseUri, token: ClientTestKit.Token);
                await client.CallAsync<DescribeRegionsResponse>("vpc", "DescribeRegions", "ap-guangzhou", new { Limit = 1 }, CancellationToken.None);

                FakeRequest seen = Assert.Single(server.Requests);
                Assert.Equal("POST", seen.Method);
                Assert.Equal("/", seen.Path);
                Assert.Equal("127.0.0.1:" + server.BaseUri.Port, seen.Host);
                Assert.Equal("application/json; charset=utf-8", seen.ContentType);
                Assert.Equal("DescribeRegions", seen.Action);
                Assert.Equal("2017-03-12", seen.Version);
                Assert.Equal("ap-guangzhou", seen.Region);
                Assert.Equal(ClientTestKit.Token, seen.Token);
                Assert.Equal("vpc", seen.ScopeService);
                long timestamp = long.Parse(seen.Timestamp, CultureInfo.InvariantCulture);
                string expected = Tc3Signer.Authorization(ClientTestKit.SecretId, ClientTestKit.SecretKey, "vpc", timestamp, seen.Host, seen.ContentType, seen.RawBody);
                Assert.Equal(expected, seen.Authorization);
                Assert.Equal("{\"Limit\":1}", Encoding.UTF8.GetString(seen.RawBody));
            }
        }

        [Fact]
        public async Task PermanentKeysSendNoTokenHeaderAndTheLanguageOfTheOptions()
        {
            using (var server = new FakeServer(_ => FakeReply.Ok()))
            {
                var options = ClientTestKit.FastOptions();
                options.Language = TcHttp.LanguageFor(new CultureInfo("zh-TW"));
                await ClientTestKit.For(server.BaseUri, options).CallAsync<TcEmptyResponse>("cvm", "DescribeZones", "ap-beijing", null, CancellationToken.None);
                FakeRequest seen = Assert.Single(server.Requests);
                Assert.Equal(string.Empty, seen.Token);
                Assert.Equal("zh-CN", seen.Language);
                Assert.Equal("{}", Encoding.UTF8.GetString(seen.RawBody));
            }
        }

        [Theory]
        [InlineData("zh-CN", "zh-CN")]
        [InlineData("zh-Hans", "zh-CN")]
        [InlineData("en-GB", "en-US")]
        [InlineData("de-DE", "en-US")]
        [InlineData("", "en-US")]
        public void LanguageFollowsTheUiCulture(string culture, string language) =>
            Assert.Equal(language, TcHttp.LanguageFor(new CultureInfo(culture)));

        [Fact]
        public void EndpointFormsPutTheServiceWhereTencentDoes()
        {
            TcRoute Route(TcEndpoint e, string service, string region) => e.Route(service, region);
            Assert.Equal("https://cvm.tencentcloudapi.com/", Route(TcEndpoint.Public, "cvm", "ap-guangzhou").Uri.ToString());
            Assert.Equal("https://vpc.ap-shanghai.tencentcloudapi.com/", Route(TcEndpoint.Regional, "vpc", "ap-shanghai").Uri.ToString());
            Assert.Equal("vpc.ap-shanghai.tencentcloudapi.com", Route(TcEndpoint.Regional, "vpc", "ap-shanghai").Host);
            // A call with no region (DescribeRegions, say) has no regional endpoint: the global name.
            Assert.Equal("https://cvm.tencentcloudapi.com/", Route(TcEndpoint.Regional, "cvm", null).Uri.ToString());
            Assert.Equal("https://cvm.intl.tencentcloudapi.com/", Route(TcEndpoint.International, "cvm", "ap-singapore").Uri.ToString());
            TcEndpoint custom = TcEndpoint.Parse("http://127.0.0.1:4566");
            Assert.Equal(TcEndpointKind.Custom, custom.Kind);
            Assert.False(custom.RoutesByRegion);
            Assert.Equal("http://127.0.0.1:4566/", Route(custom, "cvm", "ap-guangzhou").Uri.ToString());
            Assert.Equal("http://127.0.0.1:4566/", Route(custom, "vpc", "ap-beijing").Uri.ToString());
            Assert.Equal("127.0.0.1:4566", Route(custom, "vpc", "x").Host);
            Assert.Equal("https://localhost:8443/", Route(TcEndpoint.Parse("localhost:8443"), "cvm", null).Uri.ToString());
            Assert.Same(TcEndpoint.International, TcEndpoint.Parse("intl"));
            // Each region's own endpoint is the default; one endpoint for everything is still there to pin.
            Assert.Same(TcEndpoint.Regional, TcEndpoint.Parse(""));
            Assert.Same(TcEndpoint.Regional, TcEndpoint.Parse("default"));
            Assert.Same(TcEndpoint.Public, TcEndpoint.Parse("public"));
            Assert.Same(TcEndpoint.Public, TcEndpoint.Parse("tencentcloudapi.com"));
            Assert.False(TcEndpoint.TryParse("ftp://example.com", out _));
            Assert.False(TcEndpoint.TryParse("http://127.0.0.1:4566/some/path", out _));
            Assert.False(TcEndpoint.TryParse("regional+ftp://example.com", out _));
        }

        [Fact]
        public void ARegionalCustomEndpointConnectsToItsAddressAndNamesTheRegionalHost()
        {
            TcEndpoint through = TcEndpoint.Parse("regional+http://127.0.0.1:4566");
            Assert.Equal(TcEndpointKind.Custom, through.Kind);
            Assert.True(through.RoutesByRegion);
            Assert.Equal("regional+http://127.0.0.1:4566", through.ToString());
            Assert.Equal(through, TcEndpoint.Parse(through.ToString()));
            Assert.NotEqual(through, TcEndpoint.Parse("http://127.0.0.1:4566"));
            TcRoute vpc = through.Route("vpc", "ap-shanghai");
            Assert.Equal("http://127.0.0.1:4566/", vpc.Uri.ToString());
            Assert.Equal("vpc.ap-shanghai.tencentcloudapi.com", vpc.Host);
            Assert.Equal("cvm.tencentcloudapi.com", through.Route("cvm", null).Host);
            // Budgets: per access region, and apart from those of another address naming the same host.
            Assert.NotEqual(vpc.AccessPoint, through.Route("vpc", "ap-beijing").AccessPoint);
            Assert.NotEqual(vpc.AccessPoint, TcEndpoint.Parse("regional+http://127.0.0.1:4567").Route("vpc", "ap-shanghai").AccessPoint);
            Assert.NotEqual(vpc.AccessPoint, TcEndpoint.Regional.Route("vpc", "ap-shanghai").AccessPoint);
        }

        [Fact]
        public async Task ThroughARegionalCustomEndpointEachCallNamesAndSignsItsRegionsHost()
        {
            using (var fleet = new FakeFleet().AddRegion("ap-shanghai"))
            {
                var client = new TcClient(new StaticCredentialProvider(new TcCredential(FakeFleet.SecretId, FakeFleet.SecretKey), TcCredentialSource.Parameters),
                    TcEndpoint.Custom(fleet.Server.BaseUri, routeByRegion: true), ClientTestKit.FastOptions());
                // The fake fleet verifies each signature against the Host it received: these calls fail if the two differ.
                await client.CallAsync<DescribeInstancesResponse>("cvm", "DescribeInstances", "ap-shanghai", new { Limit = 100 }, CancellationToken.None);
                await client.CallAsync<DescribeRegionsResponse>("cvm", "DescribeRegions", null, new { }, CancellationToken.None);
                Assert.Equal(new[] { "cvm.ap-shanghai.tencentcloudapi.com", "cvm.tencentcloudapi.com" }, fleet.Server.Requests.Select(r => r.Host).ToArray());
            }
        }

        [Fact]
        public async Task ThroughOneAddressEachRegionalHostNamedHasConnectionsOfItsOwn()
        {
            // Against Tencent each regional host is a server with its own connections; through an emulator's one address
            // the access regions must not share one pool (32 connections for every region would cap the regions' budgets).
            using (var server = new FakeServer(_ => FakeReply.Ok(new { TotalCount = 0, InstanceSet = new object[0] })))
            {
                var client = new TcClient(new StaticCredentialProvider(new TcCredential(ClientTestKit.SecretId, ClientTestKit.SecretKey), TcCredentialSource.Parameters),
                    TcEndpoint.Custom(server.BaseUri, routeByRegion: true), ClientTestKit.FastOptions());
                foreach (string region in new[] { "ap-guangzhou", "ap-shanghai", "ap-guangzhou", "ap-shanghai", "ap-guangzhou", "ap-shanghai" })
                    await client.CallAsync<DescribeInstancesResponse>("cvm", "DescribeInstances", region, new { Limit = 100 }, CancellationToken.None);
                ILookup<string, string> connections = server.Requests.ToLookup(r => r.Host, r => r.ConnectionId);
                Assert.Equal(new[] { "cvm.ap-guangzhou.tencentcloudapi.com", "cvm.ap-shanghai.tencentcloudapi.com" }, connections.Select(g => g.Key).OrderBy(h => h));
                Assert.Empty(connections["cvm.ap-guangzhou.tencentcloudapi.com"].Intersect(connections["cvm.ap-shanghai.tencentcloudapi.com"]));
            }
        }

        [Fact]
        public async Task AMissingRegionalNameFallsBackToTheGlobalOneAndARefusedRegionSlowsDownAlone()
        {
            // No network here: a handler stands in for DNS and for Tencent. ap-newregion's name does not resolve;
            // ap-guangzhou's endpoint takes 5 reads a second (a ceiling Tencent does not publish), ap-shanghai's any number.
            var sent = new System.Collections.Concurrent.ConcurrentQueue<string>();
            var clock = new FakeClock();
            int guangzhouThisSecond = 0;
            long second = -1;
            var handler = new StubHandler(request =>
            {
                string host = request.Headers.Host;
                if (host.StartsWith("vpc.ap-newregion.", StringComparison.Ordinal))
                    throw new HttpRequestException("Name or service not known", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound));
                sent.Enqueue(host);
                if (!host.StartsWith("vpc.ap-guangzhou.", StringComparison.Ordinal)) return FakeReply.Ok();
                long now = clock.Now() / System.Diagnostics.Stopwatch.Frequency;
                if (now != second) (second, guangzhouThisSecond) = (now, 0);
                return ++guangzhouThisSecond > 5 ? FakeReply.Error("RequestLimitExceeded", "over the limit") : FakeReply.Ok();
            });
            var registry = new TcRateLimiterRegistry(_ => 100, clock.Now);
            var options = ClientTestKit.FastOptions(maxAttempts: 1);
            options.RateLimits = registry;
            options.UnresolvedHosts = new TcUnresolvedHosts();
            options.Http = new HttpClient(handler);
            var client = new TcClient(new StaticCredentialProvider(new TcCredential(ClientTestKit.SecretId, ClientTestKit.SecretKey), TcCredentialSource.Parameters),
                TcEndpoint.Regional, options);

            await client.CallAsync<TcEmptyResponse>("vpc", "CreateSecurityGroupPolicies", "ap-newregion", null, CancellationToken.None);
            await client.CallAsync<TcEmptyResponse>("vpc", "CreateSecurityGroupPolicies", "ap-newregion", null, CancellationToken.None);
            Assert.Equal(new[] { "vpc.tencentcloudapi.com", "vpc.tencentcloudapi.com" }, sent.ToArray());
            Assert.True(options.UnresolvedHosts.Contains("vpc", "ap-newregion"));
            Assert.False(options.UnresolvedHosts.Contains("cvm", "ap-newregion"));

            // Eight reads in each region, then a second later two more: a second of replies is judged at the tenth.
            // Refused reads are not retried here (one attempt), so the fake clock need not move for them.
            async Task Read(string region, int times)
            {
                for (int n = 0; n < times; n++)
                    await client.CallAsync<TcEmptyResponse>("vpc", "DescribeSecurityGroupPolicies", region, null, CancellationToken.None).ContinueWith(_ => { });
            }
            await Read("ap-guangzhou", 8);
            await Read("ap-shanghai", 8);
            clock.Advance(TimeSpan.FromSeconds(1.01));
            await Read("ap-guangzhou", 2);
            await Read("ap-shanghai", 2);
            Assert.Equal(10, sent.Count(h => h == "vpc.ap-guangzhou.tencentcloudapi.com"));
            double full = registry.For("vpc.ap-shanghai.tencentcloudapi.com", ClientTestKit.SecretId, "DescribeSecurityGroupPolicies").RatePerSecond;
            double lowered = registry.For("vpc.ap-guangzhou.tencentcloudapi.com", ClientTestKit.SecretId, "DescribeSecurityGroupPolicies").RatePerSecond;
            Assert.InRange(full, 84, 86);
            Assert.InRange(lowered, full * TokenBucket.Decrease - 1, full * TokenBucket.Decrease + 1);
        }

        /// <summary>A clock that moves only when the test says so.</summary>
        private sealed class FakeClock
        {
            private long _ticks = 1_000_000;
            public long Now() => Interlocked.Read(ref _ticks);
            public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, (long)(by.TotalSeconds * System.Diagnostics.Stopwatch.Frequency));
        }

        /// <summary>An HttpMessageHandler that answers from a function: a stand-in for the network.</summary>
        private sealed class StubHandler : HttpMessageHandler
        {
            private readonly Func<HttpRequestMessage, FakeReply> _answer;

            public StubHandler(Func<HttpRequestMessage, FakeReply> answer) => _answer = answer;

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                FakeReply reply = _answer(request);
                return Task.FromResult(new HttpResponseMessage((System.Net.HttpStatusCode)reply.Status) { Content = new StringContent(reply.Body) });
            }
        }

        [Fact]
        public async Task NullCollectionsBecomeEmptyAndLowercaseKeysBind()
        {
            const string reply = "{\"response\":{\"totalcount\":1,\"instanceset\":[{\"instanceid\":\"ins-aaaaaaaa\",\"instancestate\":\"running\"," +
                "\"publicipaddresses\":null,\"tags\":null,\"placement\":{\"zone\":\"ap-guangzhou-3\"}}],\"requestid\":\"req-lower\"}}";
            using (var server = new FakeServer(_ => FakeReply.Raw(reply)))
            {
                var result = await ClientTestKit.For(server.BaseUri).CallAsync<DescribeInstancesResponse>("cvm", "DescribeInstances", "ap-guangzhou", null, CancellationToken.None);
                Assert.Equal("req-lower", result.RequestId);
                Assert.Equal(1, result.TotalCount);
                Instance instance = Assert.Single(result.InstanceSet);
                Assert.Equal("ins-aaaaaaaa", instance.InstanceId);
                Assert.Equal("ap-guangzhou-3", instance.Placement.Zone);
                Assert.NotNull(instance.PublicIpAddresses);
                Assert.Empty(instance.PublicIpAddresses);
                Assert.Empty(instance.Tags);
                Assert.Empty(instance.IPv6Addresses);
                Assert.Empty(instance.SecurityGroupIds);

                var model = Port53.Model.TcInstance.From(instance, "ap-guangzhou");
                Assert.Equal("RUNNING", model.State);
                Assert.Empty(model.PublicIpAddresses);
            }
        }

        [Fact]
        public async Task MissingSetIsAnEmptyList()
        {
            using (var server = new FakeServer(_ => FakeReply.Ok(new { TotalCount = 0 })))
            {
                var result = await ClientTestKit.For(server.BaseUri).CallAsync<DescribeSecurityGroupsResponse>("vpc", "DescribeSecurityGroups", "ap-guangzhou", null, CancellationToken.None);
                Assert.NotNull(result.SecurityGroupSet);
                Assert.Empty(result.SecurityGroupSet);
            }
        }

        [Fact]
        public void EveryWireModelStartsWithEmptyCollections()
        {
            // Replies are bound straight into these types, and a null or absent collection is left as it was made:
            // so every collection a model has must be made empty, or some caller would meet a null.
            Type[] models = typeof(TcResponse).Assembly.GetTypes()
                .Where(t => t.Namespace == typeof(TcResponse).Namespace && t.IsClass && !t.IsAbstract && !t.ContainsGenericParameters && t.GetConstructor(Type.EmptyTypes) != null)
                .ToArray();
            Assert.Contains(typeof(Instance), models);
            Assert.Contains(typeof(SecurityGroupPolicySet), models);
            var nulls = new List<string>();
            foreach (Type model in models)
            {
                object fresh = Activator.CreateInstance(model);
                foreach (var p in model.GetProperties().Where(p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(List<>)))
                {
                    if (p.GetValue(fresh) == null) nulls.Add(model.Name + "." + p.Name);
                }
            }
            Assert.Empty(nulls);
        }

        [Theory]
        [InlineData("{\"Response\":{\"RequestId\":\"r1\",\"Error\":{\"Code\":\"ResourceNotFound\",\"Message\":\"no such group\"}}}", 200, "ResourceNotFound", "r1", 0, "no such group")]
        [InlineData("{\"Response\":{\"RequestId\":\"r2\",\"Error\":{\"Code\":\"InternalError\",\"Message\":\"busy\"}}}", 502, "InternalError", "r2", 502, "busy")]
        [InlineData("{\"Response\":{\"RequestId\":\"r3\",\"TotalCount\":1,\"InstanceSet\":[{\"InstanceId\":\"ins-", 200, TcApiException.ClientParseError, "", 200, "ReplyUnreadable")]
        [InlineData("{\"Response\":7}", 200, TcApiException.ClientParseError, "", 200, "ReplyUnreadable")]
        [InlineData("{\"Other\":{}}", 200, TcApiException.ClientParseError, "", 200, "ReplyUnreadable")]
        [InlineData("", 200, TcApiException.ClientParseError, "", 200, "ReplyUnreadable")]
        [InlineData("<html>bad gateway</html>", 502, TcApiException.ServerNetworkError, "", 502, "ReplyHttpStatus")]
        public async Task RepliesThatAreNotResultsFailWithTheirCodeRequestIdStatusAndMessage(string body, int status, string code,
            string requestId, int httpStatus, string message)
        {
            // Bound straight from the bytes: an error reply, a cut or malformed body, a body without Response and an
            // HTTP error page each fail as what they are. The last two messages are Port53's own (en-US here).
            using (var server = new FakeServer(_ => FakeReply.Raw(body, status)))
            {
                TcClient client = ClientTestKit.For(server.BaseUri);
                var error = await Assert.ThrowsAsync<TcApiException>(() =>
                    client.CallAsync<DescribeSecurityGroupPoliciesResponse>("vpc", "DescribeSecurityGroupPolicies", "ap-guangzhou", null, CancellationToken.None));
                Assert.Equal(code, error.Code);
                Assert.Equal(requestId, error.RequestId);
                Assert.Equal(httpStatus, error.HttpStatus);
                string expected = message == "ReplyUnreadable" ? Port53.Resources.Strings.Core["ReplyUnreadable"]
                    : message == "ReplyHttpStatus" ? Port53.Resources.Strings.Core.Format("ReplyHttpStatus", status) : message;
                Assert.Equal(expected, error.ServiceMessage);
            }
        }

        [Fact]
        public async Task ServiceErrorBecomesTcApiExceptionNamingCodeAndRequestIdButNoSecret()
        {
            using (var server = new FakeServer(_ => FakeReply.Error("InvalidParameterValue", "Zone is wrong.", "req-123")))
            {
                var client = ClientTestKit.For(server.BaseUri, token: ClientTestKit.Token);
                var error = await Assert.ThrowsAsync<TcApiException>(() =>
                    client.CallAsync<TcEmptyResponse>("cvm", "DescribeInstances", "ap-guangzhou", null, CancellationToken.None));
                Assert.Equal("InvalidParameterValue", error.Code);
                Assert.Equal("Zone is wrong.", error.ServiceMessage);
                Assert.Equal("req-123", error.RequestId);
                Assert.Equal("DescribeInstances", error.Action);
                Assert.Equal("ap-guangzhou", error.Region);
                Assert.Contains("InvalidParameterValue", error.Message);
                Assert.Contains("req-123", error.Message);
                string all = error.ToString();
                Assert.DoesNotContain(ClientTestKit.SecretKey, all);
                Assert.DoesNotContain(ClientTestKit.Token, all);
                Assert.DoesNotContain(ClientTestKit.SecretId, all);
                Assert.Single(server.Requests);
            }
        }

        [Theory]
        [InlineData("RequestLimitExceeded")]
        [InlineData("RequestLimitExceeded.UinLimitExceeded")]
        [InlineData("InternalError")]
        [InlineData("http502")]
        [InlineData("reset")]
        public async Task TransientFailuresAreRetriedUntilSuccess(string fault)
        {
            int calls = 0;
            using (var server = new FakeServer(_ =>
            {
                if (Interlocked.Increment(ref calls) > 2) return FakeReply.Ok(new { RegionSet = new[] { new { Region = "ap-guangzhou" } } });
                switch (fault)
                {
                    case "http502": return FakeReply.HttpStatus(502);
                    case "reset": return FakeReply.ConnectionReset();
                    default: return FakeReply.Error(fault);
                }
            }))
            {
                var result = await ClientTestKit.For(server.BaseUri).CallAsync<DescribeRegionsResponse>("cvm", "DescribeRegions", null, null, CancellationToken.None);
                Assert.Equal("ap-guangzhou", Assert.Single(result.RegionSet).Region);
                Assert.Equal(3, server.RequestCount);
            }
        }

        [Fact]
        public async Task RetriesAreBoundedInCount()
        {
            using (var server = new FakeServer(_ => FakeReply.Error("RequestLimitExceeded")))
            {
                var error = await Assert.ThrowsAsync<TcApiException>(() =>
                    ClientTestKit.For(server.BaseUri, ClientTestKit.FastOptions(maxAttempts: 3)).CallAsync<TcEmptyResponse>("cvm", "DescribeInstances", "ap-guangzhou", null, CancellationToken.None));
                Assert.Equal("RequestLimitExceeded", error.Code);
                Assert.Equal(3, server.RequestCount);
            }
        }

        [Theory]
        [InlineData("InvalidParameterValue")]
        [InlineData("AuthFailure.SignatureFailure")]
        [InlineData("ResourceNotFound")]
        [InlineData("UnsupportedOperation.VersionMismatch")]
        [InlineData("LimitExceeded")]
        public async Task OtherErrorsAreNeverRetried(string code)
        {
            using (var server = new FakeServer(_ => FakeReply.Error(code)))
            {
                var error = await Assert.ThrowsAsync<TcApiException>(() =>
                    ClientTestKit.For(server.BaseUri).CallAsync<TcEmptyResponse>("vpc", "DescribeSecurityGroups", "ap-guangzhou", null, CancellationToken.None));
                Assert.Equal(code, error.Code);
                Assert.Equal(1, server.RequestCount);
            }
        }

        [Fact]
        public async Task HttpErrorWithoutTencentBodyIsServerNetworkError()
        {
            using (var server = new FakeServer(_ => FakeReply.HttpStatus(404)))
            {
                var error = await Assert.ThrowsAsync<TcApiException>(() =>
                    ClientTestKit.For(server.BaseUri).CallAsync<TcEmptyResponse>("cvm", "DescribeRegions", null, null, CancellationToken.None));
                Assert.Equal(TcApiException.ServerNetworkError, error.Code);
                Assert.Equal(404, error.HttpStatus);
                Assert.Equal(1, server.RequestCount);
            }
        }

        [Fact]
        public async Task UnreadableReplyIsClientParseError()
        {
            using (var server = new FakeServer(_ => FakeReply.Raw("not json")))
            {
                var error = await Assert.ThrowsAsync<TcApiException>(() =>
                    ClientTestKit.For(server.BaseUri).CallAsync<TcEmptyResponse>("cvm", "DescribeRegions", null, null, CancellationToken.None));
                Assert.Equal(TcApiException.ClientParseError, error.Code);
            }
        }

        [Fact]
        public async Task WritesAreRetriedOnlyWhenTheServerSurelyDidNothing()
        {
            int calls = 0;
            using (var server = new FakeServer(_ => Interlocked.Increment(ref calls) == 1 ? FakeReply.Error("RequestLimitExceeded") : FakeReply.Error("InternalError")))
            {
                var error = await Assert.ThrowsAsync<TcApiException>(() =>
                    ClientTestKit.For(server.BaseUri).CallAsync<TcEmptyResponse>("vpc", "CreateSecurityGroupPolicies", "ap-guangzhou", null, CancellationToken.None));
                Assert.Equal("InternalError", error.Code);
                Assert.Equal(2, server.RequestCount);
            }
        }

        [Theory]
        [InlineData("InternalError", 3)]
        [InlineData("RequestLimitExceeded", 12)]
        public async Task FaultsEndACallSoonerThanThrottling(string code, int requests)
        {
            using (var server = new FakeServer(_ => FakeReply.Error(code)))
            {
                TcClientOptions options = ClientTestKit.FastOptions(maxAttempts: 12);
                options.Retry.MaxFaults = 3;
                var error = await Assert.ThrowsAsync<TcApiException>(() =>
                    ClientTestKit.For(server.BaseUri, options).CallAsync<TcEmptyResponse>("cvm", "DescribeInstances", "ap-guangzhou", null, CancellationToken.None));
                Assert.Equal(code, error.Code);
                Assert.Equal(requests, server.RequestCount);
            }
        }

        [Fact]
        public void RetryBudgetEndsOnTimeAsWellAsOnCount()
        {
            var policy = new TcRetryPolicy { MaxAttempts = 100, BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(1), MaxElapsed = TimeSpan.FromSeconds(10) };
            Assert.Null(policy.NextDelay(1, TimeSpan.FromSeconds(10)));
            Assert.Null(policy.NextDelay(1, TimeSpan.FromSeconds(11)));
            Assert.Null(policy.NextDelay(100, TimeSpan.Zero));
            Assert.Null(policy.NextDelay(1, TimeSpan.Zero, faults: policy.MaxFaults));
            for (int retry = 1; retry < 20; retry++)
            {
                TimeSpan? delay = policy.NextDelay(retry, TimeSpan.Zero);
                Assert.NotNull(delay);
                Assert.InRange(delay.Value, TimeSpan.Zero, TimeSpan.FromSeconds(1));
            }
        }

        [Fact]
        public async Task CancellingAHungRequestReturnsPromptly()
        {
            using (var server = new FakeServer(_ => FakeReply.NoAnswer()))
            using (var cts = new CancellationTokenSource())
            {
                var options = ClientTestKit.FastOptions();
                options.RequestTimeout = TimeSpan.FromHours(1);
                Task call = ClientTestKit.For(server.BaseUri, options).CallAsync<TcEmptyResponse>("cvm", "DescribeInstances", "ap-guangzhou", null, cts.Token);
                Assert.True(await server.Arrived.WaitAsync(Generous));
                cts.Cancel();
                Assert.Same(call, await Task.WhenAny(call, Task.Delay(Generous)));
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
            }
        }

        [Fact]
        public async Task CancellingDuringBackoffReturnsPromptly()
        {
            using (var server = new FakeServer(_ => FakeReply.Error("InternalError")))
            using (var cts = new CancellationTokenSource())
            {
                var options = ClientTestKit.FastOptions();
                options.Retry = new TcRetryPolicy { MaxAttempts = 5, BaseDelay = TimeSpan.FromHours(1), MaxDelay = TimeSpan.FromHours(1), MaxElapsed = TimeSpan.FromHours(10) };
                Task call = ClientTestKit.For(server.BaseUri, options).CallAsync<TcEmptyResponse>("cvm", "DescribeInstances", "ap-guangzhou", null, cts.Token);
                Assert.True(await server.Arrived.WaitAsync(Generous));
                cts.Cancel();
                Assert.Same(call, await Task.WhenAny(call, Task.Delay(Generous)));
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
                Assert.Equal(1, server.RequestCount);
            }
        }

        [Fact]
        public async Task ARefusedCallIsRetriedThroughThePacingWithoutAPauseOfItsOwn()
        {
            int n = 0;
            using (var server = new FakeServer(_ => Interlocked.Increment(ref n) <= 2 ? FakeReply.Error("RequestLimitExceeded") : FakeReply.Ok()))
            {
                var options = ClientTestKit.FastOptions();
                // A backoff of an hour: the call can only finish in time if a refusal is not followed by a pause.
                options.Retry = new TcRetryPolicy { MaxAttempts = 5, BaseDelay = TimeSpan.FromHours(1), MaxDelay = TimeSpan.FromHours(1), MaxElapsed = TimeSpan.FromHours(10) };
                Task call = ClientTestKit.For(server.BaseUri, options).CallAsync<TcEmptyResponse>("cvm", "DescribeInstances", "ap-guangzhou", null, CancellationToken.None);
                Assert.Same(call, await Task.WhenAny(call, Task.Delay(Generous)));
                await call;
                Assert.Equal(3, server.RequestCount);
            }
        }

        [Fact]
        public async Task ARequestWithNoReplyTimesOutAsClientNetworkError()
        {
            using (var server = new FakeServer(_ => FakeReply.NoAnswer()))
            {
                var options = ClientTestKit.FastOptions(maxAttempts: 2);
                options.RequestTimeout = TimeSpan.FromMilliseconds(200);
                var error = await Assert.ThrowsAsync<TcApiException>(() =>
                    ClientTestKit.For(server.BaseUri, options).CallAsync<TcEmptyResponse>("cvm", "DescribeInstances", "ap-guangzhou", null, CancellationToken.None));
                Assert.Equal(TcApiException.ClientNetworkError, error.Code);
                Assert.Equal(2, server.RequestCount);
            }
        }

        [Fact]
        public async Task AHungEndpointIsTriedTwiceWhateverTheAttemptBudget()
        {
            using (var server = new FakeServer(_ => FakeReply.NoAnswer()))
            {
                var options = ClientTestKit.FastOptions(maxAttempts: 10);
                options.RequestTimeout = TimeSpan.FromMilliseconds(200);
                var error = await Assert.ThrowsAsync<TcApiException>(() =>
                    ClientTestKit.For(server.BaseUri, options).CallAsync<TcEmptyResponse>("cvm", "DescribeInstances", "ap-guangzhou", null, CancellationToken.None));
                Assert.Equal(TcApiException.ClientNetworkError, error.Code);
                // A second timeout means the endpoint hangs: more attempts would only multiply the wait.
                Assert.Equal(options.Retry.MaxTimeouts, server.RequestCount);
                Assert.Contains("-TimeoutSec", error.Message);
            }
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task AReplyOverTheCapIsRefusedWithoutReadingItWhole(bool announceLength)
        {
            const long cap = 1 << 20, huge = 256L << 20;
            using (var server = new FakeServer(_ => FakeReply.Huge(huge, announceLength)))
            using (var counting = new CountingHandler())
            using (var http = new System.Net.Http.HttpClient(counting))
            {
                var options = ClientTestKit.FastOptions();
                options.MaxReplyBytes = cap;
                options.Http = http;
                var error = await Assert.ThrowsAsync<TcReplyTooLargeException>(() =>
                    ClientTestKit.For(server.BaseUri, options).CallAsync<TcEmptyResponse>("cvm", "DescribeInstances", "ap-guangzhou", null, CancellationToken.None));
                System.Management.Automation.ErrorRecord record = TcErrors.ToErrorRecord(error, null);
                Assert.Equal("Port53.ReplyTooLarge", record.FullyQualifiedErrorId);
                Assert.Equal(System.Management.Automation.ErrorCategory.InvalidResult, record.CategoryInfo.Category);
                Assert.Contains("DescribeInstances", error.Message);
                Assert.Contains("ap-guangzhou", error.Message);
                Assert.Contains(cap.ToString("N0", CultureInfo.CurrentCulture), error.Message);
                if (announceLength) Assert.Contains(huge.ToString("N0", CultureInfo.CurrentCulture), error.Message);
                Assert.Equal(1, server.RequestCount);
                // Announced: not a byte of the body is read. Chunked: reading stops at the cap, not at the end.
                Assert.InRange(counting.BodyBytesRead, 0, announceLength ? 0 : cap + 64 * 1024);
            }
        }

        /// <summary>Counts the reply body bytes the client actually reads.</summary>
        private sealed class CountingHandler : System.Net.Http.DelegatingHandler
        {
            private long _read;

            public CountingHandler() : base(new System.Net.Http.SocketsHttpHandler()) { }

            public long BodyBytesRead => Interlocked.Read(ref _read);

            protected override async Task<System.Net.Http.HttpResponseMessage> SendAsync(System.Net.Http.HttpRequestMessage request, CancellationToken cancellationToken)
            {
                System.Net.Http.HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
                System.Net.Http.HttpContent original = response.Content;
                var counted = new System.Net.Http.StreamContent(new CountingStream(await original.ReadAsStreamAsync(cancellationToken), n => Interlocked.Add(ref _read, n)));
                foreach (var header in original.Headers) counted.Headers.TryAddWithoutValidation(header.Key, header.Value);
                response.Content = counted;
                return response;
            }
        }

        private sealed class CountingStream : System.IO.Stream
        {
            private readonly System.IO.Stream _inner;
            private readonly Action<int> _count;

            public CountingStream(System.IO.Stream inner, Action<int> count)
            {
                _inner = inner;
                _count = count;
            }

            public override int Read(byte[] buffer, int offset, int count) => Counted(_inner.Read(buffer, offset, count));
            public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
                Counted(await _inner.ReadAsync(buffer, offset, count, cancellationToken));
            public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
                Counted(await _inner.ReadAsync(buffer, cancellationToken));

            private int Counted(int read)
            {
                _count(read);
                return read;
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing) _inner.Dispose();
                base.Dispose(disposing);
            }

            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override long Seek(long offset, System.IO.SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }

        [Fact]
        public async Task AReplyUnderTheCapIsReadWholeEvenWithoutALength()
        {
            string pad = new string('x', 900 * 1024);
            using (var server = new FakeServer(_ => FakeReply.Ok(new { TotalCount = 1, RegionSet = new[] { new { Region = "ap-guangzhou", RegionName = pad } } })))
            {
                var options = ClientTestKit.FastOptions();
                options.MaxReplyBytes = 1 << 20;
                var reply = await ClientTestKit.For(server.BaseUri, options).CallAsync<DescribeRegionsResponse>("cvm", "DescribeRegions", null, null, CancellationToken.None);
                Assert.Equal(pad, Assert.Single(reply.RegionSet).RegionName);
            }
        }

        [Fact]
        public async Task RefusedConnectionIsClientNetworkError()
        {
            Uri closed;
            using (var server = new FakeServer(_ => FakeReply.Ok())) closed = server.BaseUri;
            var error = await Assert.ThrowsAsync<TcApiException>(() =>
                ClientTestKit.For(closed, ClientTestKit.FastOptions(maxAttempts: 2)).CallAsync<TcEmptyResponse>("cvm", "DescribeRegions", null, null, CancellationToken.None));
            Assert.Equal(TcApiException.ClientNetworkError, error.Code);
            Assert.Equal(System.Management.Automation.ErrorCategory.ConnectionError, TcErrors.ToErrorRecord(error, null).CategoryInfo.Category);
        }

        [Fact]
        public async Task VerboseLogNamesActionAndRequestIdButNoSecret()
        {
            var lines = new List<string>();
            using (var server = new FakeServer(_ => FakeReply.Ok(null, "req-verbose")))
            {
                var options = ClientTestKit.FastOptions();
                options.Log = line => { lock (lines) lines.Add(line); };
                await ClientTestKit.For(server.BaseUri, options, ClientTestKit.Token).CallAsync<TcEmptyResponse>("cvm", "DescribeRegions", "ap-guangzhou", null, CancellationToken.None);
            }
            string text = string.Join("\n", lines);
            Assert.Contains("DescribeRegions", text);
            Assert.Contains("req-verbose", text);
            Assert.DoesNotContain(ClientTestKit.SecretKey, text);
            Assert.DoesNotContain(ClientTestKit.SecretId, text);
            Assert.DoesNotContain(ClientTestKit.Token, text);
        }
    }
}
