using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using Port53.Api;
using Port53.Credentials;
using Port53.Tests.Api;
using Xunit;

namespace Port53.Tests.Credentials
{
    public class AssumedRoleTests
    {
        private const string RoleArn = "qcs::cam::uin/100000000002:roleName/OrganizationAccessControlRole";

        [Theory]
        [InlineData("qcs::cam::uin/100000000002:roleName/OrganizationAccessControlRole", 100000000002L, "OrganizationAccessControlRole", null)]
        [InlineData(" qcs::cam::uin/42:role/4611686018427397919 ", 42L, null, "4611686018427397919")]
        public void ARoleArnGivesItsAccountAndRole(string text, long uin, string name, string id)
        {
            TcRoleArn arn = TcRoleArn.Parse(text);
            Assert.Equal(uin, arn.AccountUin);
            Assert.Equal(name, arn.RoleName);
            Assert.Equal(id, arn.RoleId);
            Assert.Equal(text.Trim(), arn.ToString());
        }

        [Theory]
        [InlineData("")]
        [InlineData("OrganizationAccessControlRole")]
        [InlineData("qcs::cam::uin/abc:roleName/x")]
        [InlineData("qcs::cam::uin/0:roleName/x")]
        [InlineData("qcs::cam::uin/42:roleName/")]
        [InlineData("qcs::cam::uin/42:user/alice")]
        [InlineData("arn:aws:iam::123456789012:role/x")]
        public void AnythingElseIsAnInvalidArgumentNamingTheValue(string text)
        {
            var error = Assert.Throws<TcCredentialException>(() => TcRoleArn.Parse(text));
            Assert.Equal("RoleArnInvalid", error.ErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.Category);
            Assert.Contains("'" + text + "'", error.Message);
        }

        [Fact]
        public void ARoleNameAndAMemberUinMakeTheArnOfThatMembersRole() =>
            Assert.Equal(RoleArn, TcRoleArn.ForRole(100000000002, "OrganizationAccessControlRole").ToString());

        [Theory]
        [InlineData("x")]
        [InlineData("has space")]
        [InlineData("名前")]
        public void SessionNamesSTSRefusesAreRefusedBeforeAnyCall(string name)
        {
            var error = Assert.Throws<TcCredentialException>(() => new AssumedRoleCredentialProvider(
                new StsService(ClientTestKit.For(new Uri("http://127.0.0.1:9/"))), "ap-guangzhou", TcRoleArn.Parse(RoleArn), name));
            Assert.Equal("RoleParameterInvalid", error.ErrorId);
            Assert.Contains("RoleSessionName", error.Message);
        }

        private static FakeServer Sts(Func<int, long> expiresAtForCall, Func<int, FakeReply> failure = null)
        {
            int calls = 0;
            return new FakeServer(request =>
            {
                int n = Interlocked.Increment(ref calls);
                FakeReply failed = failure?.Invoke(n);
                if (failed != null) return failed;
                return FakeReply.Ok(new JObject
                {
                    ["Credentials"] = new JObject
                    {
                        ["TmpSecretId"] = "AKIDtemporary" + n.ToString("D8") + "EXAMPLE",
                        ["TmpSecretKey"] = "TemporaryKey" + n + "MustNotLeakEXAMPLE",
                        ["Token"] = "TemporaryToken" + n + "MustNotLeak",
                    },
                    ["ExpiredTime"] = expiresAtForCall(n),
                    ["Expiration"] = DateTimeOffset.FromUnixTimeSeconds(expiresAtForCall(n)).ToString("yyyy-MM-ddTHH:mm:ssZ"),
                });
            });
        }

        [Fact]
        public async Task KeysAreAssumedOnceWithTheRequestSTSDocumentsAndRenewedFiveMinutesBeforeTheyExpire()
        {
            var now = new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
            long expires = now.AddHours(2).ToUnixTimeSeconds();
            using (var server = Sts(_ => expires))
            {
                var role = new AssumedRoleCredentialProvider(new StsService(ClientTestKit.For(server.BaseUri)), "ap-shanghai",
                    TcRoleArn.Parse(RoleArn), "port53-audit", 7200, "ext-id-1", () => now);

                TcCredential[] first = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => role.GetCredentialAsync(CancellationToken.None)));
                Assert.Equal(1, role.FetchCount);
                Assert.All(first, c => Assert.Equal("AKIDtemporary00000001EXAMPLE", c.SecretId));
                Assert.True(first[0].HasToken);
                Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(expires), first[0].ExpiresAt);

                FakeRequest sent = server.Requests.Single();
                Assert.Equal("AssumeRole", sent.Action);
                Assert.Equal("2018-08-13", sent.Version);
                Assert.Equal("sts", sent.ScopeService);
                Assert.Equal("ap-shanghai", sent.Region);
                Assert.Equal(RoleArn, (string)sent.Body["RoleArn"]);
                Assert.Equal("port53-audit", (string)sent.Body["RoleSessionName"]);
                Assert.Equal(7200, (long)sent.Body["DurationSeconds"]);
                Assert.Equal("ext-id-1", (string)sent.Body["ExternalId"]);
                // The source identity's keys sign the call; no token of the role is sent to get it.
                Assert.Contains(ClientTestKit.SecretId, sent.Authorization);

                now = now.AddHours(2).AddMinutes(-6);
                Assert.Equal("AKIDtemporary00000001EXAMPLE", (await role.GetCredentialAsync(CancellationToken.None)).SecretId);
                now = now.AddMinutes(2);
                Assert.Equal("AKIDtemporary00000002EXAMPLE", (await role.GetCredentialAsync(CancellationToken.None)).SecretId);
                Assert.Equal(2, role.FetchCount);
            }
        }

        [Fact]
        public async Task ShortLivedKeysAreRenewedHalfWayThrough()
        {
            var now = new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
            using (var server = Sts(n => now.AddMinutes(4).ToUnixTimeSeconds()))
            {
                var role = new AssumedRoleCredentialProvider(new StsService(ClientTestKit.For(server.BaseUri)), "ap-guangzhou",
                    TcRoleArn.Parse(RoleArn), "short", 240, now: () => now);
                await role.GetCredentialAsync(CancellationToken.None);
                now = now.AddSeconds(119);
                await role.GetCredentialAsync(CancellationToken.None);
                Assert.Equal(1, role.FetchCount);
                now = now.AddSeconds(2);
                await role.GetCredentialAsync(CancellationToken.None);
                Assert.Equal(2, role.FetchCount);
            }
        }

        [Theory]
        [InlineData("ResourceNotFound.RoleNotFound", ErrorCategory.ObjectNotFound)]
        [InlineData("UnauthorizedOperation", ErrorCategory.PermissionDenied)]
        [InlineData("InvalidParameter.OverTimeError", ErrorCategory.InvalidArgument)]
        public async Task AFailedAssumeRoleIsACredentialErrorNamingTheRoleAndTencentsCode(string code, ErrorCategory category)
        {
            using (var server = Sts(_ => 0, _ => FakeReply.Error(code, "the role cannot be assumed")))
            {
                var role = new AssumedRoleCredentialProvider(new StsService(ClientTestKit.For(server.BaseUri)), "ap-guangzhou",
                    TcRoleArn.Parse(RoleArn), "port53");
                var error = await Assert.ThrowsAsync<TcCredentialException>(() => role.GetCredentialAsync(CancellationToken.None));
                Assert.Equal("AssumeRoleFailed", error.ErrorId);
                Assert.Equal(category, error.Category);
                Assert.Contains(RoleArn, error.Message);
                Assert.Contains(code, error.Message);
                Assert.DoesNotContain(ClientTestKit.SecretKey, error.ToString());
                Assert.True(TcErrors.IsFatal(error));
            }
        }

        [Fact]
        public async Task AReplyWithoutKeysIsAnErrorNotACredential()
        {
            using (var server = new FakeServer(_ => FakeReply.Ok(new JObject { ["ExpiredTime"] = 1900000000 })))
            {
                var role = new AssumedRoleCredentialProvider(new StsService(ClientTestKit.For(server.BaseUri)), "ap-guangzhou",
                    TcRoleArn.Parse(RoleArn), "port53");
                var error = await Assert.ThrowsAsync<TcCredentialException>(() => role.GetCredentialAsync(CancellationToken.None));
                Assert.Equal(ErrorCategory.InvalidResult, error.Category);
                Assert.Equal(1, role.FetchCount);
            }
        }

        [Fact]
        public async Task TheTemporaryKeyAndTokenNeverShowInWhatAUserCanPrint()
        {
            using (var server = Sts(_ => 1900000000))
            {
                var role = new AssumedRoleCredentialProvider(new StsService(ClientTestKit.For(server.BaseUri)), "ap-guangzhou",
                    TcRoleArn.Parse(RoleArn), "port53");
                TcCredential keys = await role.GetCredentialAsync(CancellationToken.None);
                foreach (string shown in new[] { role.ToString(), role.Detail, keys.ToString(), keys.MaskedSecretId })
                {
                    Assert.DoesNotContain("MustNotLeak", shown);
                    Assert.DoesNotContain("AKIDtemporary00000001EXAMPLE", shown);
                }
            }
        }
    
        [Fact]
        public async Task TheCallerIdentityNamesTheAccountTheKeysActIn()
        {
            using (var server = new FakeServer(_ => FakeReply.Ok(new JObject
            {
                ["Arn"] = "qcs::cam::uin/100000000001:uin/100000000009",
                ["AccountId"] = "100000000001",
                ["UserId"] = "100000000009",
                ["PrincipalId"] = "100000000009",
                ["Type"] = "CAMUser",
            })))
            {
                var identity = await new StsService(ClientTestKit.For(server.BaseUri)).GetCallerIdentityAsync("ap-guangzhou", CancellationToken.None);
                Assert.Equal("100000000001", identity.AccountId);
                FakeRequest sent = server.Requests.Single();
                Assert.Equal(("GetCallerIdentity", "2018-08-13", "ap-guangzhou"), (sent.Action, sent.Version, sent.Region));
                Assert.Empty(sent.Body.Properties());
            }
        }
    }
}
