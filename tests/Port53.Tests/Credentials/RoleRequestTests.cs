using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using Port53.Credentials;
using Xunit;

namespace Port53.Tests.Credentials
{
    /// <summary>The roles tccli's and Terraform's variables and tccli's profiles ask for, read with an injected environment and home.</summary>
    public class RoleRequestTests : IDisposable
    {
        private const string Arn = "qcs::cam::uin/100000000002:roleName/OrganizationAccessControlRole";
        private readonly string _home = Path.Combine(Path.GetTempPath(), "port53-role-" + Guid.NewGuid().ToString("N"));
        private readonly Dictionary<string, string> _env = new Dictionary<string, string>();

        public RoleRequestTests() => Directory.CreateDirectory(_home);

        public void Dispose() => Directory.Delete(_home, recursive: true);

        private TcCredentialChain Chain() => new TcCredentialChain(name => _env.TryGetValue(name, out var v) ? v : null, _home);

        [Fact]
        public void NoRoleVariableMeansNoRole() => Assert.Null(Chain().RoleFromEnvironment());

        [Fact]
        public void TccliVariablesNameTheRoleAndTheSession()
        {
            _env["TENCENTCLOUD_ROLE_ARN"] = Arn;
            _env["TENCENTCLOUD_ROLE_SESSION_NAME"] = "nightly-audit";
            // Terraform's are ignored when tccli's are set: one source, never a mix of two.
            _env["TENCENTCLOUD_ASSUME_ROLE_ARN"] = "qcs::cam::uin/7:roleName/Other";
            _env["TENCENTCLOUD_ASSUME_ROLE_EXTERNAL_ID"] = "terraform-only";
            TcRoleRequest role = Chain().RoleFromEnvironment();
            Assert.Equal(Arn, role.Role.ToString());
            Assert.Equal("nightly-audit", role.SessionName);
            Assert.Null(role.ExternalId);
            Assert.Null(role.DurationSeconds);
            Assert.Equal("TENCENTCLOUD_ROLE_ARN", role.Origin);
        }

        [Fact]
        public void TerraformVariablesAddDurationAndExternalId()
        {
            _env["TENCENTCLOUD_ASSUME_ROLE_ARN"] = Arn;
            _env["TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME"] = "tf";
            _env["TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION"] = "3600";
            _env["TENCENTCLOUD_ASSUME_ROLE_EXTERNAL_ID"] = "ext-42";
            TcRoleRequest role = Chain().RoleFromEnvironment();
            Assert.Equal((Arn, "tf", (long?)3600, "ext-42"), (role.Role.ToString(), role.SessionName, role.DurationSeconds, role.ExternalId));
        }

        [Fact]
        public void WithoutASessionNameTheSessionIsCalledPort53()
        {
            _env["TENCENTCLOUD_ROLE_ARN"] = Arn;
            Assert.Equal("port53", Chain().RoleFromEnvironment().SessionName);
        }

        [Theory]
        [InlineData("0")]
        [InlineData("43201")]
        [InlineData("2h")]
        public void ADurationSTSWouldRefuseIsAnErrorNamingTheVariable(string duration)
        {
            _env["TENCENTCLOUD_ASSUME_ROLE_ARN"] = Arn;
            _env["TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION"] = duration;
            var error = Assert.Throws<TcCredentialException>(() => Chain().RoleFromEnvironment());
            Assert.Equal(ErrorCategory.InvalidArgument, error.Category);
            Assert.Contains("TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION", error.Message);
            Assert.Contains("'" + duration + "'", error.Message);
        }

        [Fact]
        public void AMalformedArnInAVariableIsTheArnError()
        {
            _env["TENCENTCLOUD_ROLE_ARN"] = "OrganizationAccessControlRole";
            Assert.Equal("RoleArnInvalid", Assert.Throws<TcCredentialException>(() => Chain().RoleFromEnvironment()).ErrorId);
        }

        [Fact]
        public void ATccliProfileWithARoleArnAsksForThatRole()
        {
            Directory.CreateDirectory(Path.Combine(_home, ".tccli"));
            File.WriteAllText(Path.Combine(_home, ".tccli", "member.credential"),
                "{\"secretId\": \"AKIDmanagementKeyValue00000000\", \"secretKey\": \"k\", \"role-arn\": \"" + Arn + "\", \"role-session-name\": \"tccli-session\"}");
            File.WriteAllText(Path.Combine(_home, ".tccli", "plain.credential"), "{\"secretId\": \"AKIDmanagementKeyValue00000000\", \"secretKey\": \"k\"}");
            TcRoleRequest role = Chain().RoleFromProfile("member");
            Assert.Equal((Arn, "tccli-session"), (role.Role.ToString(), role.SessionName));
            Assert.EndsWith("member.credential", role.Origin);
            Assert.Null(Chain().RoleFromProfile("plain"));
            Assert.Null(Chain().RoleFromProfile("absent"));
        }
    }
}
