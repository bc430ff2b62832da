using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Port53.Credentials;
using Port53.Tests.Api;
using Xunit;

namespace Port53.Tests.Credentials
{
    /// <summary>The chain with an injected environment and home directory: the process environment is never touched.</summary>
    public class CredentialChainTests : IDisposable
    {
        private const string Id = "AKIDchainTestSecretIdValue12345678";
        private const string Key = "ChainTestSecretKeyThatMustNotLeak";
        private const string TokenValue = "ChainTestTokenThatMustNotLeak";

        private readonly string _home = Path.Combine(Path.GetTempPath(), "port53-home-" + Guid.NewGuid().ToString("N"));
        private readonly Dictionary<string, string> _env = new Dictionary<string, string>();

        public CredentialChainTests()
        {
            Directory.CreateDirectory(_home);
            // Nothing answers here, so the instance-role step fails fast without leaving the machine.
            _env[InstanceRoleCredentialProvider.MetadataEndpointVariable] = ClosedPort().ToString();
        }

        public void Dispose() => Directory.Delete(_home, recursive: true);

        private TcCredentialChain Chain() => new TcCredentialChain(name => _env.TryGetValue(name, out var v) ? v : null, _home);

        private static Uri ClosedPort()
        {
            using (var server = new FakeServer(_ => FakeReply.Ok())) return server.BaseUri;
        }

        private void WriteFile(string relative, string text)
        {
            string path = Path.Combine(_home, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path));
            File.WriteAllText(path, text);
        }

        [Fact]
        public async Task NothingAnywhereResolvesToNull()
        {
            Assert.Null(await Chain().ResolveAsync(CancellationToken.None));
        }

        [Theory]
        [InlineData("TENCENTCLOUD_SESSION_TOKEN")]
        [InlineData("TENCENTCLOUD_TOKEN")]
        [InlineData("TENCENTCLOUD_SECURITY_TOKEN")]
        public async Task EnvironmentComesFirstAndReadsEveryTokenName(string tokenVariable)
        {
            WriteFile(".tencentcloud/credentials", "[default]\nsecret_id = AKIDprofileIdValue000000000000\nsecret_key = profilekey\n");
            _env["TENCENTCLOUD_SECRET_ID"] = Id;
            _env["TENCENTCLOUD_SECRET_KEY"] = Key;
            _env[tokenVariable] = TokenValue;
            _env["TENCENTCLOUD_REGION"] = "ap-chengdu";
            ITcCredentialProvider provider = await Chain().ResolveAsync(CancellationToken.None);
            Assert.Equal(TcCredentialSource.Environment, provider.Source);
            TcCredential credential = await provider.GetCredentialAsync(CancellationToken.None);
            Assert.Equal(Id, credential.SecretId);
            Assert.Equal(Key, credential.SecretKey);
            Assert.Equal(TokenValue, credential.Token);
            Assert.Equal("ap-chengdu", Chain().EnvironmentRegion);
        }

        [Fact]
        public void AnIdWithoutAKeyIsNotCredentials()
        {
            _env["TENCENTCLOUD_SECRET_ID"] = Id;
            Assert.Null(Chain().FromEnvironment());
        }

        [Fact]
        public async Task DefaultProfileOfTheIniFileComesNext()
        {
            WriteFile(".tencentcloud/credentials",
                "# comment\n[other]\nsecret_id = AKIDotherIdValue0000000000000\nsecret_key = otherkey\n\n[default]\nsecret_id = " + Id + "\nsecret_key = " + Key + "\ntoken = " + TokenValue + "\nregion = ap-nanjing\n");
            ITcCredentialProvider provider = await Chain().ResolveAsync(CancellationToken.None);
            Assert.Equal(TcCredentialSource.ProfileFile, provider.Source);
            Assert.StartsWith("default (", provider.Detail);
            TcCredential credential = await provider.GetCredentialAsync(CancellationToken.None);
            Assert.Equal(Id, credential.SecretId);
            Assert.Equal(TokenValue, credential.Token);
            Assert.Equal("ap-nanjing", Chain().ProfileRegion("default"));
        }

        [Fact]
        public async Task NamedProfilesAndTheFileOverride()
        {
            string custom = Path.Combine(_home, "elsewhere.ini");
            File.WriteAllText(custom, "[prod]\nsecret_id=" + Id + "\nsecret_key=" + Key + "\n");
            _env["TENCENTCLOUD_CREDENTIALS_FILE"] = custom;
            ITcCredentialProvider provider = Chain().FromProfile("prod", required: true);
            Assert.Equal(Key, (await provider.GetCredentialAsync(CancellationToken.None)).SecretKey);
            Assert.Contains(custom, provider.Detail);
            Assert.Null(Chain().FromProfile("default", required: false));
        }

        [Fact]
        public async Task TccliProfilesAreReadToo()
        {
            WriteFile(".tccli/work.credential", "{\"secretId\": \"" + Id + "\", \"secretKey\": \"" + Key + "\"}");
            WriteFile(".tccli/work.configure", "{\"_sys_param\": {\"region\": \"ap-hongkong\", \"output\": \"json\"}}");
            ITcCredentialProvider provider = Chain().FromProfile("work", required: true);
            Assert.Equal(TcCredentialSource.TccliProfile, provider.Source);
            Assert.Equal(Id, (await provider.GetCredentialAsync(CancellationToken.None)).SecretId);
            Assert.Equal("ap-hongkong", Chain().ProfileRegion("work"));
        }

        [Fact]
        public void AMissingNamedProfileIsAClearErrorNamingBothPlaces()
        {
            WriteFile(".tencentcloud/credentials", "[default]\nsecret_id = " + Id + "\nsecret_key = " + Key + "\n");
            var error = Assert.Throws<TcCredentialException>(() => Chain().FromProfile("nope", required: true));
            Assert.Equal("ProfileNotFound", error.ErrorId);
            Assert.Contains("nope", error.Message);
            Assert.Contains(".tencentcloud", error.Message);
            Assert.Contains(".tccli", error.Message);
            Assert.DoesNotContain(Key, error.ToString());
        }

        [Fact]
        public void AnIncompleteProfileSaysWhatIsMissing()
        {
            WriteFile(".tencentcloud/credentials", "[default]\nsecret_id = " + Id + "\n");
            var error = Assert.Throws<TcCredentialException>(() => Chain().FromProfile("default", required: true));
            Assert.Equal("ProfileIncomplete", error.ErrorId);
            Assert.Contains("secret_key", error.Message);
        }

        [Fact]
        public void CredentialsPrintMasked()
        {
            var credential = new TcCredential(Id, Key, TokenValue, DateTimeOffset.UtcNow);
            var provider = new StaticCredentialProvider(credential, TcCredentialSource.Parameters);
            foreach (string text in new[] { credential.ToString(), provider.ToString(), credential.MaskedSecretId })
            {
                Assert.DoesNotContain(Id, text);
                Assert.DoesNotContain(Key, text);
                Assert.DoesNotContain(TokenValue, text);
            }
            Assert.Equal("AKID****5678", credential.MaskedSecretId);
            Assert.Equal("****", TcCredential.Mask("short"));
            Assert.Equal(string.Empty, TcCredential.Mask(null));
        }

        [Fact]
        public void EmptyKeysAreRejectedWithoutEchoingThem()
        {
            var error = Assert.Throws<ArgumentException>(() => new TcCredential(Id, "  "));
            Assert.DoesNotContain(Id, error.Message);
            Assert.Throws<ArgumentException>(() => new TcCredential("", Key));
        }
    }
}
