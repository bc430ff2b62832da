using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Newtonsoft.Json.Linq;
using Port53.Credentials;
using Port53.Model;
using Port53.Resources;
using Port53.Tests.Api;
using Xunit;

namespace Port53.Tests.Cmdlets
{
    /// <summary>Environment variables are process-wide: tests that set them run alone, after the parallel ones.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class ProcessEnvironmentCollection
    {
        public const string Name = "Process environment";
    }

    /// <summary>Sets variables for one test and puts every one back afterwards.</summary>
    internal sealed class EnvironmentScope : IDisposable
    {
        private readonly Dictionary<string, string> _saved = new Dictionary<string, string>();

        public EnvironmentScope Set(string name, string value)
        {
            if (!_saved.ContainsKey(name)) _saved[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
            return this;
        }

        public void Dispose()
        {
            foreach (var kv in _saved) Environment.SetEnvironmentVariable(kv.Key, kv.Value);
        }
    }

    /// <summary>
    /// Tests that start with no credentials anywhere: no Tencent variable, no profile file, an empty home
    /// directory, the metadata service at <c>metadataEndpoint</c>, and a disconnected session. Each test may
    /// set more; everything is put back afterwards. Derived classes belong in the serial collection.
    /// </summary>
    public abstract class WithoutCredentialsTests : IClassFixture<FleetSession>, IDisposable
    {
        private static readonly string[] Variables =
        {
            "TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_SESSION_TOKEN", "TENCENTCLOUD_TOKEN",
            "TENCENTCLOUD_SECURITY_TOKEN", "TENCENTCLOUD_REGION", "TENCENTCLOUD_ENDPOINT",
            "TENCENTCLOUD_ROLE_ARN", "TENCENTCLOUD_ROLE_SESSION_NAME", "TENCENTCLOUD_ASSUME_ROLE_ARN",
            "TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME", "TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION", "TENCENTCLOUD_ASSUME_ROLE_EXTERNAL_ID",
        };

        protected readonly FleetSession _ps;
        private protected readonly EnvironmentScope _env = new EnvironmentScope();
        protected readonly string _home = Path.Combine(Path.GetTempPath(), "port53-envtest-" + Guid.NewGuid().ToString("N"));

        protected WithoutCredentialsTests(FleetSession ps, string metadataEndpoint)
        {
            _ps = ps;
            _ps.Fleet.Override = null;
            Directory.CreateDirectory(_home);
            foreach (string name in Variables) _env.Set(name, null);
            _env.Set("TENCENTCLOUD_CREDENTIALS_FILE", Path.Combine(_home, "credentials"));
            _env.Set("HOME", _home).Set("USERPROFILE", _home);
            _env.Set(InstanceRoleCredentialProvider.MetadataEndpointVariable, metadataEndpoint);
            _ps.Run("Disconnect-TcAccount").AssertNoErrors();
        }

        public void Dispose()
        {
            _env.Dispose();
            Directory.Delete(_home, recursive: true);
        }
    }

    [Collection(ProcessEnvironmentCollection.Name)]
    public class EnvironmentChainTests : WithoutCredentialsTests
    {
        // A metadata service that refuses at once.
        public EnvironmentChainTests(FleetSession ps) : base(ps, ClosedEndpoint())
        {
        }

        private static string ClosedEndpoint()
        {
            using (var server = new FakeServer(_ => FakeReply.Ok())) return server.BaseUri.ToString();
        }

        private void FleetInEnvironment(string region = "ap-shanghai")
        {
            _env.Set("TENCENTCLOUD_SECRET_ID", FakeFleet.SecretId).Set("TENCENTCLOUD_SECRET_KEY", FakeFleet.SecretKey)
                .Set("TENCENTCLOUD_ENDPOINT", _ps.Fleet.Endpoint).Set("TENCENTCLOUD_REGION", region);
        }

        [Theory]
        [InlineData("Get-TcInstance -Region ap-guangzhou")]
        [InlineData("Get-TcRegion")]
        [InlineData("Connect-TcAccount")]
        public void NoCredentialsAnywhereIsOneClearTerminatingError(string command)
        {
            var r = _ps.Run(command);
            ErrorRecord error = r.SingleFailure();
            Assert.StartsWith("Port53.NoCredentials,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
            Assert.Equal(Strings.Core["NoCredentials"], error.Exception.Message);
            Assert.Contains("Connect-TcAccount", error.Exception.Message);
            Assert.Empty(r.Output);
        }

        [Fact]
        public void GetTcContextWithoutCredentialsEmitsNothingAndNoError()
        {
            var r = _ps.Run("Get-TcContext");
            r.AssertNoErrors();
            Assert.Empty(r.Output);
        }

        [Fact]
        public void ARegionalPlusEndpointInTheEnvironmentRoutesByRegionThroughThatAddress()
        {
            FleetInEnvironment();
            _env.Set("TENCENTCLOUD_ENDPOINT", "regional+" + _ps.Fleet.Endpoint);
            var r = _ps.Run("Get-TcInstance -Region ap-guangzhou\nGet-TcContext");
            r.AssertNoErrors();
            Assert.Equal("regional+" + _ps.Fleet.Endpoint, r.Output.Select(o => o.BaseObject).OfType<TcContext>().Single().Endpoint);
            // Connected to the fleet's address, naming (and signing, which the fleet checks) the region's own host.
            // (The question which account the keys are goes to STS alongside, so it may come last.)
            Assert.Equal("cvm.ap-guangzhou.tencentcloudapi.com", _ps.Fleet.Server.Requests.Last(q => q.Action == "DescribeInstances").Host);
        }

        [Fact]
        public void WithNothingConnectedTheChainIsTheOneContextListedAndItCanBePiped()
        {
            FleetInEnvironment();
            var r = _ps.Run("Get-TcContext -ListAvailable\n'---'\nGet-TcContext -ListAvailable | Get-TcInstance");
            r.AssertNoErrors();
            TcContext chain = Assert.IsType<TcContext>(Assert.Single(r.Output.TakeWhile(o => !"---".Equals(o.BaseObject))).BaseObject);
            Assert.Equal(TcCredentialSource.Environment, chain.Source);
            Assert.True(chain.IsDefault);
            Assert.Equal(new[] { "ins-sh000001", "ins-sh000002" }, r.Output.SkipWhile(o => !"---".Equals(o.BaseObject)).Skip(1).Select(o => ((TcInstance)o.BaseObject).InstanceId));
        }

        [Fact]
        public void EnvironmentCredentialsRegionAndEndpointAreUsed()
        {
            FleetInEnvironment();
            _env.Set("TENCENTCLOUD_TOKEN", "EnvTokenThatMustNotLeak");
            var r = _ps.Run("Get-TcInstance\nGet-TcContext");
            r.AssertNoErrors();
            Assert.Equal(new[] { "ins-sh000001", "ins-sh000002" }, r.Output.Take(2).Select(o => ((TcInstance)o.BaseObject).InstanceId));
            var context = Assert.IsType<TcContext>(r.Output[2].BaseObject);
            Assert.Equal(TcCredentialSource.Environment, context.Source);
            Assert.Equal("ap-shanghai", context.Region);
            Assert.Equal(_ps.Fleet.Endpoint, context.Endpoint);
            Assert.True(context.TokenPresent);
            Assert.Equal("EnvTokenThatMustNotLeak", _ps.Fleet.Server.Requests.Last().Token);
            Assert.DoesNotContain("EnvTokenThatMustNotLeak", r.AllText());
            Assert.DoesNotContain(FakeFleet.SecretKey, r.AllText());
        }

        [Fact]
        public void AConnectedSessionWinsOverTheEnvironmentUntilDisconnected()
        {
            FleetInEnvironment();
            var r = _ps.Run(FleetSession.Connect + "(Get-TcInstance).Count\nDisconnect-TcAccount\n(Get-TcInstance).Count", _ps.Variables());
            r.AssertNoErrors();
            Assert.Equal(new object[] { 3, 2 }, r.Output.Select(o => o.BaseObject));
        }

        [Fact]
        public void NoRegionAnywhereIsAClearErrorButGetTcRegionNeedsNone()
        {
            FleetInEnvironment(region: null);
            var r = _ps.Run("Get-TcInstance");
            ErrorRecord error = r.SingleFailure();
            Assert.StartsWith("Port53.NoRegion,", error.FullyQualifiedErrorId);
            Assert.Contains("TENCENTCLOUD_REGION", error.Exception.Message);
            Assert.Contains("Get-TcRegion", error.Exception.Message);
            r = _ps.Run("(Get-TcRegion).Count");
            r.AssertNoErrors();
            Assert.Equal(4, r.Output.Single().BaseObject);
        }

        [Fact]
        public void AnInvalidEndpointVariableIsAClearError()
        {
            FleetInEnvironment();
            _env.Set("TENCENTCLOUD_ENDPOINT", "gopher://x");
            ErrorRecord error = _ps.Run("Get-TcRegion").SingleFailure();
            Assert.StartsWith("Port53.InvalidEndpoint,", error.FullyQualifiedErrorId);
            Assert.Contains("TENCENTCLOUD_ENDPOINT", error.Exception.Message);
        }

        [Fact]
        public void ProfilesFromTheCredentialsFile()
        {
            File.WriteAllText(Path.Combine(_home, "credentials"),
                "[default]\nsecret_id = " + FakeFleet.SecretId + "\nsecret_key = " + FakeFleet.SecretKey + "\nregion = ap-guangzhou\n" +
                "[fleet]\nsecret_id = " + FakeFleet.SecretId + "\nsecret_key = " + FakeFleet.SecretKey + "\nregion = ap-shanghai\n");
            _env.Set("TENCENTCLOUD_ENDPOINT", _ps.Fleet.Endpoint);
            var r = _ps.Run("(Get-TcInstance).Count\nGet-TcContext\nConnect-TcAccount -ProfileName fleet -Endpoint $ep -PassThru\n(Get-TcInstance).Count", _ps.Variables());
            r.AssertNoErrors();
            Assert.Equal(3, r.Output[0].BaseObject);
            var chained = Assert.IsType<TcContext>(r.Output[1].BaseObject);
            Assert.Equal(TcCredentialSource.ProfileFile, chained.Source);
            Assert.Equal("ap-guangzhou", chained.Region);
            var connected = Assert.IsType<TcContext>(r.Output[2].BaseObject);
            Assert.StartsWith("fleet (", connected.SourceDetail);
            Assert.Equal("ap-shanghai", connected.Region);
            Assert.Equal(2, r.Output[3].BaseObject);
        }

        [Fact]
        public void TheInstanceRoleSignsWithTemporaryCredentials()
        {
            DateTimeOffset expires = DateTimeOffset.UtcNow.AddHours(2);
            using (var metadata = new FakeServer(q => q.Path.EndsWith("/security-credentials/")
                       ? FakeReply.Raw("FleetRole")
                       : FakeReply.Raw(new JObject
                       {
                           ["TmpSecretId"] = FakeFleet.SecretId, ["TmpSecretKey"] = FakeFleet.SecretKey,
                           ["Token"] = "RoleTokenThatMustNotLeak", ["ExpiredTime"] = expires.ToUnixTimeSeconds(),
                       }.ToString())))
            {
                _env.Set(InstanceRoleCredentialProvider.MetadataEndpointVariable, metadata.BaseUri.ToString());
                var r = _ps.Run("Connect-TcAccount -UseInstanceRole -Endpoint $ep -Region ap-guangzhou\n(Get-TcInstance).Count\nGet-TcContext", _ps.Variables());
                r.AssertNoErrors();
                Assert.Equal(3, r.Output[0].BaseObject);
                var context = Assert.IsType<TcContext>(r.Output[1].BaseObject);
                Assert.Equal(TcCredentialSource.InstanceRole, context.Source);
                Assert.Equal("FleetRole", context.SourceDetail);
                Assert.True(context.TokenPresent);
                Assert.Equal(expires.ToUnixTimeSeconds(), new DateTimeOffset(context.ExpiresAt.Value, TimeSpan.Zero).ToUnixTimeSeconds());
                Assert.Equal("RoleTokenThatMustNotLeak", _ps.Fleet.Server.Requests.Last().Token);
                Assert.DoesNotContain("RoleTokenThatMustNotLeak", r.AllText());
            }
        }

        [Fact]
        public void UseInstanceRoleOffACvmIsAClearError()
        {
            var r = _ps.Run("Connect-TcAccount -UseInstanceRole");
            ErrorRecord error = r.SingleFailure();
            Assert.StartsWith("Port53.InstanceRoleUnavailable,", error.FullyQualifiedErrorId);
            Assert.Contains("Connect-TcAccount", error.Exception.Message);
        }
    }
}
