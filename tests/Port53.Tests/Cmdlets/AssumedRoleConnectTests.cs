using System;
using System.Linq;
using System.Management.Automation;
using Newtonsoft.Json.Linq;
using Port53.Credentials;
using Port53.Model;
using Port53.Tests.Api;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Cmdlets
{
    /// <summary>
    /// Connect-TcAccount -RoleArn and the role variables, in the hosted engine over HTTP: the fake fleet answers
    /// AssumeRole (signed with the management account's keys) with its own keys and a token, and accepts nothing
    /// else signed with the management keys, so a listing proves the role's keys signed it.
    /// </summary>
    [Collection(ProcessEnvironmentCollection.Name)]
    public class AssumedRoleConnectTests : WithoutCredentialsTests
    {
        private const string ManagementId = "AKIDmanagementAccountKey0000EXAMPLE";
        private const string ManagementKey = "ManagementKeyThatMustNeverLeak0000";
        private const string RoleToken = "RoleSessionTokenThatMustNotLeak";
        private const string Arn = "qcs::cam::uin/100000000002:roleName/OrganizationAccessControlRole";

        public AssumedRoleConnectTests(FleetSession ps) : base(ps, "http://127.0.0.1:9/")
        {
        }

        private JObject _assumed;
        private int _assumedBefore;

        /// <summary>AssumeRole calls since <see cref="Sts"/>: the fleet's server lives as long as the class.</summary>
        private int AssumeRoleCalls => _ps.CountOf("AssumeRole") - _assumedBefore;

        /// <summary>Answers AssumeRole as STS does, or with <paramref name="error"/>; everything else goes to the fleet.</summary>
        private void Sts(string error = null)
        {
            _assumedBefore = _ps.CountOf("AssumeRole");
            _ps.Fleet.Override = request =>
            {
                if (request.Action != "AssumeRole") return null;
                _assumed = new JObject { ["Body"] = request.Body, ["Region"] = request.Region, ["Authorization"] = request.Authorization, ["Version"] = request.Version };
                if (error != null) return FakeReply.Error(error, "The role cannot be assumed.");
                return FakeReply.Ok(new JObject
                {
                    ["Credentials"] = new JObject { ["TmpSecretId"] = FakeFleet.SecretId, ["TmpSecretKey"] = FakeFleet.SecretKey, ["Token"] = RoleToken },
                    ["ExpiredTime"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(),
                    ["Expiration"] = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ"),
                });
            };
        }

        private const string ConnectAsManagement =
            "Connect-TcAccount -SecretId $mid -SecretKey (ConvertTo-SecureString $mkey -AsPlainText -Force) -Endpoint $ep -Region ap-guangzhou ";

        private PsResult Run(string script) => _ps.Run(script, new System.Collections.Generic.Dictionary<string, object>(_ps.Variables())
        {
            ["mid"] = ManagementId,
            ["mkey"] = ManagementKey,
        });

        [Fact]
        public void AnAssumedRolesKeysSignEveryCallAndTheContextNamesTheRoleAndItsAccount()
        {
            Sts();
            var r = Run(ConnectAsManagement + "-RoleArn " + Arn + " -RoleSessionName nightly-audit -DurationSeconds 3600 -ExternalId ext-42 -PassThru\n" +
                        "(Get-TcInstance).Count");
            r.AssertNoErrors();
            var context = Assert.IsType<TcContext>(r.Output[0].BaseObject);
            Assert.Equal(TcCredentialSource.AssumedRole, context.Source);
            Assert.Equal(Arn, context.RoleArn);
            Assert.Equal(Arn, context.SourceDetail);
            Assert.Equal("nightly-audit", context.RoleSessionName);
            Assert.Equal(100000000002L, context.AccountUin);
            Assert.True(context.TokenPresent);
            Assert.NotNull(context.ExpiresAt);
            // The listing was signed with the role's keys (the fleet accepts no other) and carried its token.
            Assert.Equal(3, r.Output[1].BaseObject);
            Assert.Equal(RoleToken, _ps.Fleet.Server.Requests.Last().Token);

            // AssumeRole itself: once, signed with the management keys, in the session's region, with what was asked.
            Assert.Equal(1, AssumeRoleCalls);
            Assert.Contains("Credential=" + ManagementId + "/", (string)_assumed["Authorization"]);
            Assert.Equal("ap-guangzhou", (string)_assumed["Region"]);
            Assert.Equal("2018-08-13", (string)_assumed["Version"]);
            JObject body = (JObject)_assumed["Body"];
            Assert.Equal((Arn, "nightly-audit", 3600L, "ext-42"),
                ((string)body["RoleArn"], (string)body["RoleSessionName"], (long)body["DurationSeconds"], (string)body["ExternalId"]));
            foreach (string secret in new[] { ManagementKey, FakeFleet.SecretKey, RoleToken, FakeFleet.SecretId })
                Assert.DoesNotContain(secret, r.AllText());
        }

        [Theory]
        [InlineData("ResourceNotFound.RoleNotFound", ErrorCategory.ObjectNotFound)]
        [InlineData("UnauthorizedOperation", ErrorCategory.PermissionDenied)]
        public void ARoleThatCannotBeAssumedFailsAtConnectAndLeavesTheSessionAsItWas(string code, ErrorCategory category)
        {
            Sts(code);
            var r = Run(FleetSession.Connect.TrimEnd('\n') + " -PassThru\n" + ConnectAsManagement + "-RoleArn " + Arn);
            ErrorRecord error = r.SingleFailure();
            Assert.StartsWith("Port53.AssumeRoleFailed,", error.FullyQualifiedErrorId);
            Assert.Equal(category, error.CategoryInfo.Category);
            Assert.Equal(Arn, error.TargetObject);
            Assert.Contains(code, error.Exception.Message);

            r = Run("Get-TcContext\n(Get-TcInstance).Count");
            r.AssertNoErrors();
            Assert.Equal(TcCredentialSource.Parameters, Assert.IsType<TcContext>(r.Output[0].BaseObject).Source);
            Assert.Equal(3, r.Output[1].BaseObject);
        }

        [Theory]
        [InlineData("-RoleArn OrganizationAccessControlRole", "Port53.RoleArnInvalid,")]
        [InlineData("-RoleSessionName audit", "Port53.RoleOptionsWithoutRole,")]
        [InlineData("-RoleArn " + Arn + " -RoleSessionName 'has space'", "Port53.RoleParameterInvalid,")]
        public void RoleParametersThatCannotWorkAreRefusedBeforeAnyCall(string parameters, string errorId)
        {
            Sts();
            var r = Run(ConnectAsManagement + parameters);
            ErrorRecord error = r.SingleFailure();
            Assert.StartsWith(errorId, error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Equal(0, AssumeRoleCalls);
        }

        [Fact]
        public void WithoutConnectTheRoleVariablesAreAssumedOnceForTheSession()
        {
            Sts();
            _env.Set("TENCENTCLOUD_SECRET_ID", ManagementId).Set("TENCENTCLOUD_SECRET_KEY", ManagementKey)
                .Set("TENCENTCLOUD_ENDPOINT", _ps.Fleet.Endpoint).Set("TENCENTCLOUD_REGION", "ap-shanghai")
                .Set("TENCENTCLOUD_ASSUME_ROLE_ARN", Arn).Set("TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME", "tf-run");
            var r = _ps.Run("(Get-TcInstance).Count\n(Get-TcInstance).Count\nGet-TcContext");
            r.AssertNoErrors();
            // Signed with the role's keys (the management keys would be refused), in the environment's region.
            Assert.Equal(new object[] { 2, 2 }, r.Output.Take(2).Select(o => o.BaseObject));
            Assert.Equal(1, AssumeRoleCalls);
            Assert.Equal("tf-run", (string)_assumed["Body"]["RoleSessionName"]);
            Assert.Equal("ap-shanghai", (string)_assumed["Region"]);
            var context = Assert.IsType<TcContext>(r.Output[2].BaseObject);
            Assert.Equal((TcCredentialSource.AssumedRole, (long?)100000000002L), (context.Source, context.AccountUin));
        }
    }
}
