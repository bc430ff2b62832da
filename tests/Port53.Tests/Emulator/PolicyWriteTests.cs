using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Emulator
{
    /// <summary>Create/Delete/Replace/Modify SecurityGroupPolicies: placement, Version lock, quota, duplicates, validation.</summary>
    public class PolicyWriteTests : IClassFixture<EmulatorFixture>
    {
        private const string Gz = "ap-guangzhou";
        private readonly EmulatorFixture _emu;
        private readonly TcTestClient _c;

        public PolicyWriteTests(EmulatorFixture emu)
        {
            _emu = emu;
            _emu.Restore();
            _c = new TcTestClient(emu.Server);
        }

        private async Task<JsonNode> Read(string sg, string region = Gz) =>
            (await _c.CallAsync("DescribeSecurityGroupPolicies", region, new { SecurityGroupId = sg })).AssertOk()["SecurityGroupPolicySet"];

        private static object DropUdp53(long? index = null) => index == null
            ? new { Protocol = "UDP", Port = "53", CidrBlock = "0.0.0.0/0", Action = "DROP", PolicyDescription = "port53-block" }
            : (object)new { PolicyIndex = index, Protocol = "UDP", Port = "53", CidrBlock = "0.0.0.0/0", Action = "DROP", PolicyDescription = "port53-block" };

        private Task<TcResponse> Create(string sg, object[] ingress, string version = null, string region = Gz) =>
            _c.CallAsync("CreateSecurityGroupPolicies", region, new { SecurityGroupId = sg, SecurityGroupPolicySet = new { Version = version, Ingress = ingress } });

        [Fact]
        public async Task CreateAtIndexZeroInsertsAtTopAndBumpsVersion()
        {
            (await Create("sg-dnsudp01", new[] { DropUdp53(0) }, "1")).AssertOk();
            JsonNode set = await Read("sg-dnsudp01");
            Assert.Equal("2", (string)set["Version"]);
            JsonArray ingress = set["Ingress"].AsArray();
            Assert.Equal(3, ingress.Count);
            Assert.Equal("DROP", (string)ingress[0]["Action"]);
            Assert.Equal("port53-block", (string)ingress[0]["PolicyDescription"]);
            Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", (string)ingress[0]["ModifyTime"]);
            Assert.Equal("resolver", (string)ingress[1]["PolicyDescription"]);
        }

        [Fact]
        public async Task CreateWithoutIndexAppendsAndWithoutVersionSkipsTheLock()
        {
            (await Create("sg-dnsudp01", new[] { DropUdp53() })).AssertOk();
            JsonArray ingress = (await Read("sg-dnsudp01"))["Ingress"].AsArray();
            Assert.Equal("DROP", (string)ingress[2]["Action"]);
        }

        [Fact]
        public async Task SeveralRulesInOneCallKeepTheirOrderAtTheIndex()
        {
            (await Create("sg-dnsudp01", new[] { DropUdp53(1), new { PolicyIndex = 1L, Protocol = "TCP", Port = "53", CidrBlock = "0.0.0.0/0", Action = "DROP" } })).AssertOk();
            var protocols = (await Read("sg-dnsudp01"))["Ingress"].AsArray().Select(p => (string)p["Protocol"] + "/" + (string)p["Action"]);
            Assert.Equal(new[] { "UDP/ACCEPT", "UDP/DROP", "TCP/DROP", "TCP/ACCEPT" }, protocols);
        }

        [Fact]
        public async Task StaleVersionIsVersionMismatchAndChangesNothing()
        {
            (await Create("sg-dnsudp01", new[] { DropUdp53(0) }, "1")).AssertOk();
            (await Create("sg-dnsudp01", new[] { new { PolicyIndex = 0L, Protocol = "TCP", Port = "53", CidrBlock = "0.0.0.0/0", Action = "DROP" } }, "1"))
                .AssertError("UnsupportedOperation.VersionMismatch");
            JsonNode set = await Read("sg-dnsudp01");
            Assert.Equal("2", (string)set["Version"]);
            Assert.Equal(3, set["Ingress"].AsArray().Count);
        }

        [Fact]
        public async Task IdenticalRuleIsDuplicatePolicy()
        {
            var r = (await Create("sg-dnsudp01", new object[] { new { Protocol = "udp", Port = "53", CidrBlock = "0.0.0.0/0", Action = "accept", PolicyDescription = "other text" } }))
                .AssertError("UnsupportedOperation.DuplicatePolicy");
            (await Create("sg-dnsudp01", new[] { DropUdp53(), DropUdp53() })).AssertError("UnsupportedOperation.DuplicatePolicy");
            Assert.Equal("1", (string)(await Read("sg-dnsudp01"))["Version"]);
        }

        [Fact]
        public async Task QuotaOf100RulesPerDirection()
        {
            // sg-dnsudp01 has 2 ingress rules; 98 more fill it.
            var rules = Enumerable.Range(0, 98).Select(i => (object)new { Protocol = "TCP", Port = (1000 + i).ToString(), CidrBlock = "10.0.0.0/8", Action = "ACCEPT" }).ToArray();
            (await Create("sg-dnsudp01", rules)).AssertOk();
            Assert.Equal(100, (await Read("sg-dnsudp01"))["Ingress"].AsArray().Count);
            (await Create("sg-dnsudp01", new[] { DropUdp53(0) })).AssertError("LimitExceeded.SecurityGroupPolicySet");
            // Egress has its own quota.
            (await _c.CallAsync("CreateSecurityGroupPolicies", Gz, new { SecurityGroupId = "sg-dnsudp01", SecurityGroupPolicySet = new { Egress = new[] { DropUdp53() } } })).AssertOk();
        }

        [Fact]
        public async Task OneDirectionPerCall()
        {
            (await _c.CallAsync("CreateSecurityGroupPolicies", Gz, new { SecurityGroupId = "sg-dnsudp01", SecurityGroupPolicySet = new { Ingress = new[] { DropUdp53() }, Egress = new[] { DropUdp53() } } }))
                .AssertError("InvalidParameter");
            (await _c.CallAsync("CreateSecurityGroupPolicies", Gz, new { SecurityGroupId = "sg-dnsudp01", SecurityGroupPolicySet = new { Version = "1" } }))
                .AssertError("MissingParameter");
            (await _c.CallAsync("CreateSecurityGroupPolicies", Gz, new { SecurityGroupId = "sg-dnsudp01" })).AssertError("MissingParameter");
        }

        [Theory]
        [InlineData("{\"Protocol\":\"ALL\",\"Port\":\"53\",\"CidrBlock\":\"0.0.0.0/0\",\"Action\":\"DROP\"}", "InvalidParameterValue", "Port")]
        [InlineData("{\"Protocol\":\"UDP\",\"Port\":\"0-70000\",\"CidrBlock\":\"0.0.0.0/0\",\"Action\":\"DROP\"}", "InvalidParameterValue", "Port")]
        [InlineData("{\"Protocol\":\"UDP\",\"Port\":\"60-50\",\"CidrBlock\":\"0.0.0.0/0\",\"Action\":\"DROP\"}", "InvalidParameterValue", "Port")]
        [InlineData("{\"Protocol\":\"SCTP\",\"Port\":\"53\",\"CidrBlock\":\"0.0.0.0/0\",\"Action\":\"DROP\"}", "InvalidParameterValue", "Protocol")]
        [InlineData("{\"Protocol\":\"UDP\",\"Port\":\"53\",\"CidrBlock\":\"0.0.0.0/0\",\"Action\":\"REJECT\"}", "InvalidParameterValue", "Action")]
        [InlineData("{\"Protocol\":\"UDP\",\"Port\":\"53\",\"CidrBlock\":\"0.0.0.0/0\"}", "MissingParameter", "Action")]
        [InlineData("{\"Protocol\":\"UDP\",\"Port\":\"53\",\"Action\":\"DROP\"}", "MissingParameter", "CidrBlock")]
        [InlineData("{\"Protocol\":\"UDP\",\"Port\":\"53\",\"CidrBlock\":\"0.0.0.0/0\",\"Ipv6CidrBlock\":\"::/0\",\"Action\":\"DROP\"}", "InvalidParameter", "mutually exclusive")]
        [InlineData("{\"Protocol\":\"UDP\",\"Port\":\"53\",\"CidrBlock\":\"::/0\",\"Action\":\"DROP\"}", "InvalidParameterValue", "CidrBlock")]
        [InlineData("{\"Protocol\":\"UDP\",\"Port\":\"53\",\"Ipv6CidrBlock\":\"0.0.0.0/0\",\"Action\":\"DROP\"}", "InvalidParameterValue", "Ipv6CidrBlock")]
        [InlineData("{\"Protocol\":\"UDP\",\"Port\":\"53\",\"CidrBlock\":\"300.0.0.0/8\",\"Action\":\"DROP\"}", "InvalidParameterValue", "CidrBlock")]
        [InlineData("{\"Protocol\":\"UDP\",\"Port\":\"53\",\"SecurityGroupId\":\"sg-dnstcp01\",\"Action\":\"DROP\"}", "ResourceNotFound", "sg-dnstcp01")]
        [InlineData("{\"Protocol\":\"UDP\",\"Port\":\"53\",\"AddressTemplate\":{\"AddressId\":\"ipm-public01\"},\"Action\":\"DROP\"}", "ResourceNotFound", "ipm-public01")]
        [InlineData("{\"ServiceTemplate\":{\"ServiceId\":\"ppm-dnsudp01\"},\"CidrBlock\":\"0.0.0.0/0\",\"Action\":\"DROP\"}", "ResourceNotFound", "ppm-dnsudp01")]
        [InlineData("{\"Protocol\":\"UDP\",\"Port\":\"53\",\"ServiceTemplate\":{\"ServiceId\":\"ppm-dnsudp01\"},\"CidrBlock\":\"0.0.0.0/0\",\"Action\":\"DROP\"}", "InvalidParameter", "ServiceTemplate")]
        [InlineData("{\"Protocol\":\"UDP\",\"Port\":\"53\",\"CidrBlock\":\"0.0.0.0/0\",\"Action\":\"DROP\",\"Colour\":\"red\"}", "UnknownParameter", "Colour")]
        [InlineData("{\"Protocol\":\"UDP\",\"Port\":53,\"CidrBlock\":\"0.0.0.0/0\",\"Action\":\"DROP\"}", "InvalidParameter", "Port")]
        public async Task RuleValidationNamesTheField(string rule, string code, string mentioned)
        {
            var r = (await _c.CallRawAsync("CreateSecurityGroupPolicies", Gz, "{\"SecurityGroupId\":\"sg-dnsudp01\",\"SecurityGroupPolicySet\":{\"Ingress\":[" + rule + "]}}")).AssertError(code);
            Assert.Contains(mentioned, r.ErrorMessage);
        }

        [Theory]
        [InlineData("{\"Protocol\":\"ICMP\",\"CidrBlock\":\"0.0.0.0/0\",\"Action\":\"ACCEPT\"}")]
        [InlineData("{\"Protocol\":\"ALL\",\"Port\":\"ALL\",\"Ipv6CidrBlock\":\"2001:db8::/32\",\"Action\":\"DROP\"}")]
        [InlineData("{\"Protocol\":\"UDP\",\"Port\":\"53,5353\",\"CidrBlock\":\"1.2.3.4\",\"Action\":\"DROP\"}")]
        [InlineData("{\"Protocol\":\"TCP\",\"Port\":\"1-65535\",\"SecurityGroupId\":\"sg-shared01\",\"Action\":\"ACCEPT\"}")]
        [InlineData("{\"Protocol\":\"UDP\",\"Port\":\"53\",\"AddressTemplate\":{\"AddressId\":\"ipm-office01\",\"AddressGroupId\":\"\"},\"Action\":\"DROP\",\"ServiceTemplate\":{\"ServiceId\":\"\",\"ServiceGroupId\":\"\"},\"Ipv6CidrBlock\":\"\",\"CidrBlock\":\"\",\"SecurityGroupId\":\"\"}")]
        public async Task ValidRulesAreAccepted(string rule) =>
            (await _c.CallRawAsync("CreateSecurityGroupPolicies", Gz, "{\"SecurityGroupId\":\"sg-dnsudp01\",\"SecurityGroupPolicySet\":{\"Ingress\":[" + rule + "]}}")).AssertOk();

        [Fact]
        public async Task DeleteByIndex()
        {
            (await _c.CallAsync("DeleteSecurityGroupPolicies", Gz, new { SecurityGroupId = "sg-shared01", SecurityGroupPolicySet = new { Version = "1", Ingress = new[] { new { PolicyIndex = 0L }, new { PolicyIndex = 2L } } } })).AssertOk();
            JsonNode set = await Read("sg-shared01");
            Assert.Equal("2", (string)set["Version"]);
            Assert.Equal(new[] { "UDP" }, set["Ingress"].AsArray().Select(p => (string)p["Protocol"]));
            (await _c.CallAsync("DeleteSecurityGroupPolicies", Gz, new { SecurityGroupId = "sg-shared01", SecurityGroupPolicySet = new { Ingress = new[] { new { PolicyIndex = 5L } } } }))
                .AssertError("InvalidParameterValue.Range");
        }

        [Fact]
        public async Task DeleteByFieldsMatchesTheRuleAsDescribeReturnedIt()
        {
            JsonNode set = await Read("sg-shared01");
            JsonNode udp = set["Ingress"][1].DeepClone();
            udp.AsObject().Remove("PolicyIndex");
            udp["PolicyDescription"] = "descriptions do not matter";
            string body = "{\"SecurityGroupId\":\"sg-shared01\",\"SecurityGroupPolicySet\":{\"Version\":\"1\",\"Ingress\":[" + udp.ToJsonString() + "]}}";
            (await _c.CallRawAsync("DeleteSecurityGroupPolicies", Gz, body)).AssertOk();
            Assert.Equal(new[] { "TCP", "TCP" }, (await Read("sg-shared01"))["Ingress"].AsArray().Select(p => (string)p["Protocol"]));
            body = body.Replace("\"Version\":\"1\",", "");
            (await _c.CallRawAsync("DeleteSecurityGroupPolicies", Gz, body)).AssertError("ResourceNotFound");
        }

        [Fact]
        public async Task DeleteMustNotMixIndexAndFields() =>
            (await _c.CallAsync("DeleteSecurityGroupPolicies", Gz, new { SecurityGroupId = "sg-shared01", SecurityGroupPolicySet = new { Ingress = new object[] { new { PolicyIndex = 0L }, DropUdp53() } } }))
                .AssertError("InvalidParameter");

        [Fact]
        public async Task ReplaceOneRuleAtItsIndex()
        {
            (await _c.CallAsync("ReplaceSecurityGroupPolicies", Gz, new { SecurityGroupId = "sg-shared01", SecurityGroupPolicySet = new { Version = "1", Ingress = new[] { DropUdp53(1) } } })).AssertOk();
            JsonNode set = await Read("sg-shared01");
            Assert.Equal("2", (string)set["Version"]);
            Assert.Equal(new[] { "ACCEPT", "DROP", "ACCEPT" }, set["Ingress"].AsArray().Select(p => (string)p["Action"]));
            (await _c.CallAsync("ReplaceSecurityGroupPolicies", Gz, new { SecurityGroupId = "sg-shared01", SecurityGroupPolicySet = new { Ingress = new[] { DropUdp53() } } }))
                .AssertError("MissingParameter");
            (await _c.CallAsync("ReplaceSecurityGroupPolicies", Gz, new { SecurityGroupId = "sg-shared01", SecurityGroupPolicySet = new { Ingress = new[] { DropUdp53(0) } } }))
                .AssertError("UnsupportedOperation.DuplicatePolicy");
        }

        [Fact]
        public async Task ModifyReplacesTheWholeSet()
        {
            (await _c.CallAsync("ModifySecurityGroupPolicies", Gz, new { SecurityGroupId = "sg-shared01", SecurityGroupPolicySet = new { Version = "1", Ingress = new[] { DropUdp53() } } })).AssertOk();
            JsonNode set = await Read("sg-shared01");
            Assert.Equal("2", (string)set["Version"]);
            Assert.Single(set["Ingress"].AsArray());
            Assert.Empty(set["Egress"].AsArray());
            (await _c.CallAsync("ModifySecurityGroupPolicies", Gz, new { SecurityGroupId = "sg-shared01", SecurityGroupPolicySet = new { Version = "1" } }))
                .AssertError("UnsupportedOperation.VersionMismatch");
        }

        [Fact]
        public async Task EveryWriteBumpsVersionByOne()
        {
            string sg = "sg-allopen1";
            var writes = new (string Action, object Set)[]
            {
                ("CreateSecurityGroupPolicies", new { Ingress = new[] { DropUdp53(0) } }),
                ("ReplaceSecurityGroupPolicies", new { Ingress = new[] { new { PolicyIndex = 0L, Protocol = "TCP", Port = "53", CidrBlock = "0.0.0.0/0", Action = "DROP" } } }),
                ("DeleteSecurityGroupPolicies", new { Ingress = new[] { new { PolicyIndex = 0L } } }),
                ("ModifySecurityGroupPolicies", new { Ingress = new[] { DropUdp53() } }),
            };
            int expected = 1;
            foreach (var (action, set) in writes)
            {
                (await _c.CallAsync(action, Gz, new { SecurityGroupId = sg, SecurityGroupPolicySet = set })).AssertOk();
                expected++;
                Assert.Equal(expected.ToString(), (string)(await Read(sg))["Version"]);
            }
            Assert.Equal(expected.ToString(), _emu.Server.GetPolicies(sg).Version);
            var group = (await _c.CallAsync("DescribeSecurityGroups", Gz, new { SecurityGroupIds = new[] { sg } })).AssertOk()["SecurityGroupSet"][0];
            Assert.NotEqual("2024-05-20 10:00:00", (string)group["UpdateTime"]);
        }

        [Fact]
        public async Task FailedWritesDoNotBumpVersion()
        {
            (await Create("sg-dnsudp01", new object[] { new { Protocol = "ALL", Port = "53", CidrBlock = "0.0.0.0/0", Action = "DROP" } })).AssertError("InvalidParameterValue");
            Assert.Equal("1", (string)(await Read("sg-dnsudp01"))["Version"]);
        }

        [Fact]
        public async Task PermissionFaultMakesWritesToNamedGroupsFail()
        {
            _emu.Server.UpdateFaults(f => f.UnauthorizedSecurityGroupIds = new() { "sg-shared01" });
            (await Create("sg-shared01", new[] { DropUdp53(0) })).AssertError("AuthFailure.UnauthorizedOperation");
            (await Create("sg-dnsudp01", new[] { DropUdp53(0) })).AssertOk();
            // Reads stay allowed.
            Assert.Equal("1", (string)(await Read("sg-shared01"))["Version"]);
        }

        [Fact]
        public async Task RulesFromAnotherRegionsTemplatesAreRejected()
        {
            (await _c.CallRawAsync("CreateSecurityGroupPolicies", "ap-shanghai",
                "{\"SecurityGroupId\":\"sg-dnstcp01\",\"SecurityGroupPolicySet\":{\"Ingress\":[{\"ServiceTemplate\":{\"ServiceGroupId\":\"ppmg-dnsall1\"},\"CidrBlock\":\"0.0.0.0/0\",\"Action\":\"DROP\"}]}}")).AssertOk();
            (await _c.CallRawAsync("CreateSecurityGroupPolicies", Gz,
                "{\"SecurityGroupId\":\"sg-dnsudp01\",\"SecurityGroupPolicySet\":{\"Ingress\":[{\"ServiceTemplate\":{\"ServiceGroupId\":\"ppmg-dnsall1\"},\"CidrBlock\":\"0.0.0.0/0\",\"Action\":\"DROP\"}]}}")).AssertError("ResourceNotFound");
        }
    }
}
