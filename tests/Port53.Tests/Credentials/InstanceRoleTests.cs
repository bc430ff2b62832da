using System;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using Port53.Credentials;
using Port53.Tests.Api;
using Xunit;

namespace Port53.Tests.Credentials
{
    public class InstanceRoleTests
    {
        private const string TmpId = "AKIDtemporaryRoleSecretId000000000";
        private const string TmpKey = "TemporaryRoleKeyThatMustNotLeak";
        private const string RoleToken = "RoleTokenThatMustNotLeak";

        /// <summary>A metadata service for role "Port53Role" whose credentials expire at <paramref name="expires"/>.</summary>
        private static FakeServer Metadata(DateTimeOffset expires) => new FakeServer(request =>
        {
            if (request.Method != "GET") return FakeReply.HttpStatus(405);
            if (request.Path == "/latest/meta-data/cam/security-credentials/") return FakeReply.Raw("Port53Role\n");
            if (request.Path == "/latest/meta-data/cam/security-credentials/Port53Role")
                return FakeReply.Raw(new JObject
                {
                    ["TmpSecretId"] = TmpId,
                    ["TmpSecretKey"] = TmpKey,
                    ["Token"] = RoleToken,
                    ["ExpiredTime"] = expires.ToUnixTimeSeconds(),
                    ["Code"] = "Success",
                }.ToString());
            return FakeReply.HttpStatus(404);
        });

        [Fact]
        public async Task ReadsTheRoleAndRenewsFiveMinutesBeforeExpiry()
        {
            var now = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
            using (var server = Metadata(now.AddMinutes(30)))
            {
                var provider = new InstanceRoleCredentialProvider(server.BaseUri.ToString(), now: () => now);
                TcCredential first = await provider.GetCredentialAsync(CancellationToken.None);
                Assert.Equal(TmpId, first.SecretId);
                Assert.Equal(RoleToken, first.Token);
                Assert.Equal(now.AddMinutes(30).ToUnixTimeSeconds(), first.ExpiresAt.Value.ToUnixTimeSeconds());
                Assert.Equal("Port53Role", provider.Detail);
                Assert.Equal(TcCredentialSource.InstanceRole, provider.Source);

                now = now.AddMinutes(24);
                Assert.Same(first, await provider.GetCredentialAsync(CancellationToken.None));
                Assert.Equal(1, provider.FetchCount);

                now = now.AddMinutes(2);
                await provider.GetCredentialAsync(CancellationToken.None);
                Assert.Equal(2, provider.FetchCount);
                Assert.Equal(4, server.RequestCount);

                Assert.DoesNotContain(TmpKey, provider.ToString());
                Assert.DoesNotContain(RoleToken, provider.ToString());
            }
        }

        [Fact]
        public async Task ChainFallsBackToTheInstanceRole()
        {
            using (var server = Metadata(DateTimeOffset.UtcNow.AddHours(1)))
            {
                string home = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "port53-empty-" + Guid.NewGuid().ToString("N"));
                var chain = new TcCredentialChain(name => name == InstanceRoleCredentialProvider.MetadataEndpointVariable ? server.BaseUri.ToString() : null, home);
                ITcCredentialProvider provider = await chain.ResolveAsync(CancellationToken.None);
                Assert.Equal(TcCredentialSource.InstanceRole, provider.Source);
                Assert.Equal(TmpId, (await provider.GetCredentialAsync(CancellationToken.None)).SecretId);
            }
        }

        [Fact]
        public async Task NoMetadataServiceFailsFastAndClearly()
        {
            Uri closed;
            using (var server = new FakeServer(_ => FakeReply.Ok())) closed = server.BaseUri;
            var provider = new InstanceRoleCredentialProvider(closed.ToString());
            Task call = provider.GetCredentialAsync(CancellationToken.None);
            Assert.Same(call, await Task.WhenAny(call, Task.Delay(TimeSpan.FromSeconds(20))));
            var error = await Assert.ThrowsAsync<TcCredentialException>(() => call);
            Assert.Equal("InstanceRoleUnavailable", error.ErrorId);
            Assert.Contains("Connect-TcAccount", error.Message);
        }

        [Fact]
        public async Task AHungMetadataServiceTimesOut()
        {
            using (var server = new FakeServer(_ => FakeReply.NoAnswer()))
            {
                var provider = new InstanceRoleCredentialProvider(server.BaseUri.ToString()) { Timeout = TimeSpan.FromMilliseconds(200) };
                Task call = provider.GetCredentialAsync(CancellationToken.None);
                Assert.Same(call, await Task.WhenAny(call, Task.Delay(TimeSpan.FromSeconds(20))));
                var error = await Assert.ThrowsAsync<TcCredentialException>(() => call);
                Assert.Equal("InstanceRoleUnavailable", error.ErrorId);
            }
        }

        [Fact]
        public async Task NoRoleBoundIsAClearError()
        {
            using (var server = new FakeServer(_ => FakeReply.Raw("")))
            {
                var error = await Assert.ThrowsAsync<TcCredentialException>(() =>
                    new InstanceRoleCredentialProvider(server.BaseUri.ToString()).GetCredentialAsync(CancellationToken.None));
                Assert.Contains("role", error.Message);
            }
        }
    }
}
