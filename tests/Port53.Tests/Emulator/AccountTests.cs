using System;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Port53.Emulator.Faults;
using Port53.Emulator.Hosting;
using Port53.Emulator.Model;
using Xunit;

namespace Port53.Tests.Emulator
{
    /// <summary>
    /// Several accounts in one emulator: each call served from the account its key belongs to, STS AssumeRole and
    /// GetCallerIdentity, Organization members — over real HTTP, against a two-account fleet whose ids repeat.
    /// </summary>
    public class AccountTests : IAsyncLifetime
    {
        private const long Prod = 100000000001, Test = 200000000002;
        private const string Gz = "ap-guangzhou";
        private const string Role = "OrganizationAccessControlRole";
        private static readonly string RoleArn = "qcs::cam::uin/" + Test + ":roleName/" + Role;

        // Both accounts have ins-same0001 and sg-same0001; only the names tell them apart.
        internal const string TwoAccounts = @"{
  ""Accounts"": [
    { ""Uin"": 100000000001, ""Name"": ""prod"",
      ""Credentials"": [ { ""SecretId"": ""AKIDprod000000000000000000000000001"", ""SecretKey"": ""prod-secret-key-0000000000000001"" } ],
      ""Regions"": [ { ""Region"": ""ap-guangzhou"" } ],
      ""Instances"": [ { ""Region"": ""ap-guangzhou"", ""InstanceId"": ""ins-same0001"", ""InstanceName"": ""prod-web"", ""SecurityGroupIds"": [ ""sg-same0001"" ] } ],
      ""SecurityGroups"": [ { ""Region"": ""ap-guangzhou"", ""SecurityGroupId"": ""sg-same0001"", ""SecurityGroupName"": ""prod-sg"" } ] },
    { ""Uin"": 200000000002, ""Name"": ""test"",
      ""Credentials"": [ { ""SecretId"": ""AKIDtest000000000000000000000000002"", ""SecretKey"": ""test-secret-key-0000000000000002"" } ],
      ""Roles"": [ { ""RoleName"": ""OrganizationAccessControlRole"", ""TrustedUins"": [ 100000000001 ] },
                   { ""RoleName"": ""LocalOnly"", ""TrustedUins"": [] } ],
      ""Regions"": [ { ""Region"": ""ap-guangzhou"" } ],
      ""Instances"": [ { ""Region"": ""ap-guangzhou"", ""InstanceId"": ""ins-same0001"", ""InstanceName"": ""test-web"", ""SecurityGroupIds"": [ ""sg-same0001"" ] } ],
      ""SecurityGroups"": [ { ""Region"": ""ap-guangzhou"", ""SecurityGroupId"": ""sg-same0001"", ""SecurityGroupName"": ""test-sg"" } ] }
  ],
  ""Organization"": { ""ManagementUin"": 100000000001, ""Members"": [ { ""MemberUin"": 200000000002, ""Name"": ""test"" } ] }
}";

        private readonly ManualClock _clock = new ManualClock(DateTimeOffset.UtcNow);
        private EmulatorServer _server;

        public async Task InitializeAsync() =>
            _server = await EmulatorServer.StartAsync(new EmulatorOptions { Fleet = FleetJson.Parse(TwoAccounts), Faults = FaultSettings.NoRateLimits(), TimeProvider = _clock });

        public async Task DisposeAsync() => await _server.DisposeAsync();

        private TcTestClient ProdClient(string service = null, string version = null) =>
            Signed(new TcTestClient(_server.BaseUrl, "AKIDprod000000000000000000000000001", "prod-secret-key-0000000000000001"), service, version);

        private TcTestClient TestClient(string service = null, string version = null) =>
            Signed(new TcTestClient(_server.BaseUrl, "AKIDtest000000000000000000000000002", "test-secret-key-0000000000000002"), service, version);

        private TcTestClient Signed(TcTestClient c, string service, string version)
        {
            c.Clock = () => _clock.GetUtcNow().ToUnixTimeSeconds();
            if (service != null) c.ScopeService = service;
            if (version != null) c.Version = version;
            return c;
        }

        private static TcTestClient Sts(TcTestClient c) { c.ScopeService = "sts"; c.Version = "2018-08-13"; return c; }

        private Task<TcResponse> AssumeRole(TcTestClient caller, object body) => Sts(caller).CallAsync("AssumeRole", Gz, body);

        private static async Task<string> InstanceName(TcTestClient c) =>
            (string)(await c.CallAsync("DescribeInstances", Gz, new { })).AssertOk()["InstanceSet"][0]["InstanceName"];

        [Fact]
        public async Task EachCallIsServedFromTheAccountItsKeyBelongsToAndTheLogSaysWhich()
        {
            Assert.Equal("prod-web", await InstanceName(ProdClient()));
            Assert.Equal("test-web", await InstanceName(TestClient()));

            var (_, body) = await TcTestClient.ControlAsync(_server.BaseUrl, HttpMethod.Get, "requests");
            var uins = JsonNode.Parse(body).AsArray().Select(e => (long?)e["AccountUin"]).ToArray();
            Assert.Equal(new long?[] { Prod, Test }, uins);
        }

        [Fact]
        public async Task AWriteInOneAccountLeavesTheSameIdInAnotherAlone()
        {
            (await ProdClient().CallAsync("CreateSecurityGroupPolicies", Gz, new
            {
                SecurityGroupId = "sg-same0001",
                SecurityGroupPolicySet = new { Ingress = new[] { new { Protocol = "UDP", Port = "53", CidrBlock = "0.0.0.0/0", Action = "DROP" } } },
            })).AssertOk();

            TcResponse prod = (await ProdClient().CallAsync("DescribeSecurityGroupPolicies", Gz, new { SecurityGroupId = "sg-same0001" })).AssertOk();
            TcResponse test = (await TestClient().CallAsync("DescribeSecurityGroupPolicies", Gz, new { SecurityGroupId = "sg-same0001" })).AssertOk();
            Assert.Equal("2", (string)prod["SecurityGroupPolicySet"]["Version"]);
            Assert.Single(prod["SecurityGroupPolicySet"]["Ingress"].AsArray());
            Assert.Equal("1", (string)test["SecurityGroupPolicySet"]["Version"]);
            Assert.Empty(test["SecurityGroupPolicySet"]["Ingress"].AsArray());
        }

        [Fact]
        public async Task AssumedKeysActInTheRolesAccountWithTheirTokenUntilTheyExpire()
        {
            TcResponse r = (await AssumeRole(ProdClient(), new { RoleArn, RoleSessionName = "port53-audit", DurationSeconds = 900 })).AssertOk();
            long now = _clock.GetUtcNow().ToUnixTimeSeconds();
            Assert.Equal(now + 900, (long)r["ExpiredTime"]);
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(now + 900).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ"), (string)r["Expiration"]);
            string id = (string)r["Credentials"]["TmpSecretId"], key = (string)r["Credentials"]["TmpSecretKey"], token = (string)r["Credentials"]["Token"];
            Assert.False(string.IsNullOrEmpty(token));

            var assumed = Signed(new TcTestClient(_server.BaseUrl, id, key, token), null, null);
            Assert.Equal("test-web", await InstanceName(assumed));

            var tokenless = Signed(new TcTestClient(_server.BaseUrl, id, key), null, null);
            Assert.Equal("AuthFailure.TokenFailure", (await tokenless.CallAsync("DescribeInstances", Gz, new { })).ErrorCode);

            _clock.Advance(TimeSpan.FromSeconds(901));
            TcResponse expired = await assumed.CallAsync("DescribeInstances", Gz, new { });
            Assert.Equal("AuthFailure.TokenFailure", expired.ErrorCode);
            Assert.Contains("expired", expired.ErrorMessage);
        }

        [Fact]
        public async Task AssumeRoleDefaultsToTwoHours()
        {
            TcResponse r = (await AssumeRole(ProdClient(), new { RoleArn, RoleSessionName = "s1" })).AssertOk();
            Assert.Equal(_clock.GetUtcNow().ToUnixTimeSeconds() + 7200, (long)r["ExpiredTime"]);
        }

        [Theory]
        [InlineData("qcs::cam::uin/200000000002:roleName/NoSuchRole", "ResourceNotFound.RoleNotFound")]
        [InlineData("qcs::cam::uin/300000000003:roleName/OrganizationAccessControlRole", "ResourceNotFound.RoleNotFound")]
        [InlineData("qcs::cam::uin/200000000002:roleName/LocalOnly", "UnauthorizedOperation")]
        [InlineData("qcs::cam::uin/abc:roleName/OrganizationAccessControlRole", "InvalidParameter")]
        [InlineData("arn:aws:iam::123:role/x", "InvalidParameter")]
        [InlineData("qcs::cam::uin/200000000002:role/4611686018427397920", "UnsupportedOperation")]
        public async Task AssumeRoleRefusesMissingRolesUntrustedCallersAndBadArns(string arn, string code)
        {
            TcResponse r = await AssumeRole(ProdClient(), new { RoleArn = arn, RoleSessionName = "audit" });
            Assert.Equal(code, r.ErrorCode);
        }

        [Fact]
        public async Task TheTrustedAccountMayAssumeTheRoleItsOwnAccountMayNot()
        {
            Assert.Equal("UnauthorizedOperation", (await AssumeRole(TestClient(), new { RoleArn, RoleSessionName = "self" })).ErrorCode);
        }

        [Theory]
        [InlineData("x", 7200)]
        [InlineData("has space", 7200)]
        [InlineData("ok-name", 43201)]
        [InlineData("ok-name", 0)]
        public async Task AssumeRoleChecksSessionNameAndDuration(string session, long duration)
        {
            TcResponse r = await AssumeRole(ProdClient(), new { RoleArn, RoleSessionName = session, DurationSeconds = duration });
            Assert.Equal("InvalidParameter", r.ErrorCode);
        }

        [Fact]
        public async Task AssumeRoleNeedsARegion()
        {
            TcResponse r = await Sts(ProdClient()).CallAsync("AssumeRole", null, new { RoleArn, RoleSessionName = "audit" });
            Assert.Equal("MissingParameter", r.ErrorCode);
        }

        [Fact]
        public async Task GetCallerIdentityNamesTheAccountOfMainAndAssumedKeys()
        {
            TcResponse main = (await Sts(TestClient()).CallAsync("GetCallerIdentity", Gz, new { })).AssertOk();
            Assert.Equal(Test.ToString(), (string)main["AccountId"]);
            Assert.Equal(Test.ToString(), (string)main["PrincipalId"]);

            TcResponse r = (await AssumeRole(ProdClient(), new { RoleArn, RoleSessionName = "port53-audit" })).AssertOk();
            var assumed = Sts(Signed(new TcTestClient(_server.BaseUrl, (string)r["Credentials"]["TmpSecretId"], (string)r["Credentials"]["TmpSecretKey"], (string)r["Credentials"]["Token"]), null, null));
            TcResponse who = (await assumed.CallAsync("GetCallerIdentity", Gz, new { })).AssertOk();
            Assert.Equal(Test.ToString(), (string)who["AccountId"]);
            Assert.Equal(Prod.ToString(), (string)who["PrincipalId"]);
            Assert.EndsWith(":port53-audit", (string)who["UserId"]);
            Assert.Contains(Role, (string)who["Arn"]);
        }

        [Fact]
        public async Task TheManagementAccountListsTheMembersAMemberHasNoOrganization()
        {
            TcResponse r = (await ProdClient("organization", "2021-03-31").CallAsync("DescribeOrganizationMembers", null, new { Offset = 0, Limit = 10 })).AssertOk();
            Assert.Equal(1, (int)r["Total"]);
            JsonNode member = r["Items"][0];
            Assert.Equal(Test, (long)member["MemberUin"]);
            Assert.Equal("test", (string)member["Name"]);

            TcResponse other = await TestClient("organization", "2021-03-31").CallAsync("DescribeOrganizationMembers", null, new { Offset = 0, Limit = 10 });
            Assert.Equal("ResourceNotFound.OrganizationNotExist", other.ErrorCode);
        }

        [Theory]
        [InlineData(0, 51)]
        [InlineData(0, 0)]
        [InlineData(3, 2)]
        public async Task DescribeOrganizationMembersChecksItsPaging(long offset, long limit)
        {
            TcResponse r = await ProdClient("organization", "2021-03-31").CallAsync("DescribeOrganizationMembers", null, new { Offset = offset, Limit = limit });
            Assert.Equal("InvalidParameter", r.ErrorCode);
        }

        [Fact]
        public async Task TheStateComesBackInTheFormItWasLoadedIn()
        {
            var (status, body) = await TcTestClient.ControlAsync(_server.BaseUrl, HttpMethod.Get, "state");
            Assert.Equal(200, status);
            JsonNode state = JsonNode.Parse(body), loaded = JsonNode.Parse(TwoAccounts);
            Assert.Null(state["Instances"]);
            Assert.Equal(2, state["Accounts"].AsArray().Count);
            Assert.Equal(Test, (long)state["Accounts"][1]["Uin"]);
            Assert.Equal("test-web", (string)state["Accounts"][1]["Instances"][0]["InstanceName"]);
            Assert.True(JsonNode.DeepEquals(loaded["Organization"], state["Organization"]));
            Assert.True(JsonNode.DeepEquals(loaded["Accounts"][1]["Roles"], state["Accounts"][1]["Roles"]));
            Assert.DoesNotContain("test-secret-key-0000000000000002", body);
        }

        [Fact]
        public async Task ResetForgetsAssumedKeys()
        {
            TcResponse r = (await AssumeRole(ProdClient(), new { RoleArn, RoleSessionName = "audit" })).AssertOk();
            _server.Reset();
            var assumed = Signed(new TcTestClient(_server.BaseUrl, (string)r["Credentials"]["TmpSecretId"], (string)r["Credentials"]["TmpSecretKey"], (string)r["Credentials"]["Token"]), null, null);
            Assert.Equal("AuthFailure.SecretIdNotFound", (await assumed.CallAsync("DescribeInstances", Gz, new { })).ErrorCode);
        }
    }

    /// <summary>Budgets: per action, access region and SecretId (Tencent's sub-account dimension); ceilings per account.</summary>
    public class AccountBudgetTests
    {
        private static async Task<EmulatorServer> Start(ManualClock clock, FaultSettings faults) =>
            await EmulatorServer.StartAsync(new EmulatorOptions { Fleet = FleetJson.Parse(AccountTests.TwoAccounts), Faults = faults, TimeProvider = clock });

        private static TcTestClient Client(EmulatorServer server, ManualClock clock, long uin)
        {
            Credential key = server.CredentialsOf(uin)[0];
            return new TcTestClient(server.BaseUrl, key.SecretId, key.SecretKey) { ScopeService = "sts", Version = "2018-08-13", Clock = () => clock.GetUtcNow().ToUnixTimeSeconds() };
        }

        [Fact]
        public async Task GetCallerIdentityIsLimitedToTwentyASecondPerKeyAndTheOtherAccountKeepsItsOwnBudget()
        {
            var clock = new ManualClock(DateTimeOffset.UtcNow);
            await using EmulatorServer server = await Start(clock, new FaultSettings());
            TcTestClient prod = Client(server, clock, 100000000001), test = Client(server, clock, 200000000002);
            for (int i = 0; i < 20; i++) (await prod.CallAsync("GetCallerIdentity", "ap-guangzhou", new { })).AssertOk();
            Assert.Equal("RequestLimitExceeded", (await prod.CallAsync("GetCallerIdentity", "ap-guangzhou", new { })).ErrorCode);
            (await test.CallAsync("GetCallerIdentity", "ap-guangzhou", new { })).AssertOk();
        }

        [Fact]
        public async Task AnAccountCeilingCountsOneAccountsCallsOnly()
        {
            var clock = new ManualClock(DateTimeOffset.UtcNow);
            var faults = new FaultSettings();
            faults.AccountRateLimits["*"] = 1;
            await using EmulatorServer server = await Start(clock, faults);
            TcTestClient prod = Client(server, clock, 100000000001), test = Client(server, clock, 200000000002);
            (await prod.CallAsync("GetCallerIdentity", "ap-guangzhou", new { })).AssertOk();
            Assert.Equal("RequestLimitExceeded", (await prod.CallAsync("GetCallerIdentity", "ap-guangzhou", new { })).ErrorCode);
            (await test.CallAsync("GetCallerIdentity", "ap-guangzhou", new { })).AssertOk();
        }
    }

    /// <summary>Single-account fleets keep working and get a documented default account.</summary>
    public class SingleAccountTests
    {
        [Fact]
        public async Task ASingleAccountFleetIsTheDefaultAccountWhichHasNoOrganization()
        {
            await using EmulatorServer server = await EmulatorServer.StartAsync(new EmulatorOptions { Generate = "instances=5,regions=1,groups=2", Faults = FaultSettings.NoRateLimits() });
            var c = new TcTestClient(server) { ScopeService = "sts", Version = "2018-08-13" };
            TcResponse who = (await c.CallAsync("GetCallerIdentity", "ap-guangzhou", new { })).AssertOk();
            Assert.Equal("100000000001", (string)who["AccountId"]);

            var org = new TcTestClient(server) { ScopeService = "organization", Version = "2021-03-31" };
            Assert.Equal("ResourceNotFound.OrganizationNotExist", (await org.CallAsync("DescribeOrganizationMembers", null, new { })).ErrorCode);
        }

        [Fact]
        public async Task ASingleAccountFileComesBackUnchangedWithoutAccountKeys()
        {
            const string file = @"{ ""Regions"": [ { ""Region"": ""ap-guangzhou"", ""RegionName"": ""gz"", ""RegionState"": ""AVAILABLE"" } ],
  ""SecurityGroups"": [ { ""Region"": ""ap-guangzhou"", ""SecurityGroupId"": ""sg-one00001"", ""SecurityGroupPolicySet"": { ""Version"": ""1"",
      ""Ingress"": [ { ""PolicyIndex"": 0, ""Protocol"": ""UDP"", ""Port"": ""53"", ""CidrBlock"": ""0.0.0.0/0"", ""Action"": ""ACCEPT"" } ], ""Egress"": [] } } ],
  ""Credentials"": [ { ""SecretId"": ""AKIDsingle00000000000000000000000001"", ""SecretKey"": ""single-secret-key-00000000000001"" } ] }";
            await using EmulatorServer server = await EmulatorServer.StartAsync(new EmulatorOptions { Fleet = FleetJson.Parse(file), Faults = FaultSettings.NoRateLimits() });
            string state = server.GetStateJson();
            Assert.Equal(FleetJson.Serialize(FleetJson.Parse(file)), state);
            Assert.DoesNotContain("Accounts", state);
            Assert.DoesNotContain("Uin", state);
        }

        [Fact]
        public async Task TheGeneratorMakesAnOrganizationOfNAccountsWhoseMembersTrustTheFirst()
        {
            await using EmulatorServer server = await EmulatorServer.StartAsync(new EmulatorOptions { Generate = "accounts=3,instances=7,regions=2,groups=4", Faults = FaultSettings.NoRateLimits() });
            var org = new TcTestClient(server) { ScopeService = "organization", Version = "2021-03-31" };
            TcResponse members = (await org.CallAsync("DescribeOrganizationMembers", null, new { })).AssertOk();
            Assert.Equal(2, (int)members["Total"]);

            long third = (long)members["Items"][1]["MemberUin"];
            var sts = new TcTestClient(server) { ScopeService = "sts", Version = "2018-08-13" };
            TcResponse r = (await sts.CallAsync("AssumeRole", "ap-guangzhou", new { RoleArn = "qcs::cam::uin/" + third + ":roleName/OrganizationAccessControlRole", RoleSessionName = "gen" })).AssertOk();
            var assumed = new TcTestClient(server.BaseUrl, (string)r["Credentials"]["TmpSecretId"], (string)r["Credentials"]["TmpSecretKey"], (string)r["Credentials"]["Token"]);
            TcResponse own = (await new TcTestClient(server).CallAsync("DescribeInstances", "ap-guangzhou", new { Limit = 100 })).AssertOk();
            TcResponse theirs = (await assumed.CallAsync("DescribeInstances", "ap-guangzhou", new { Limit = 100 })).AssertOk();
            Assert.Equal((int)own["TotalCount"], (int)theirs["TotalCount"]);
            var ownIds = own["InstanceSet"].AsArray().Select(i => (string)i["InstanceId"]);
            var theirIds = theirs["InstanceSet"].AsArray().Select(i => (string)i["InstanceId"]);
            Assert.Empty(ownIds.Intersect(theirIds));
        }
    }
}
