using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Port53.Emulator.Faults;
using Port53.Emulator.Hosting;
using Port53.Emulator.Model;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Emulator
{
    /// <summary>Lighthouse 2020-03-24 against the demo fleet: regions, instances, and the firewall's reads and writes.</summary>
    public class LighthouseTests : IClassFixture<EmulatorFixture>
    {
        private const string Gz = "ap-guangzhou", Sh = "ap-shanghai";
        private const string Open = "lhins-gzdns001";
        private readonly EmulatorFixture _emu;
        private readonly TcTestClient _c;

        public LighthouseTests(EmulatorFixture emu)
        {
            _emu = emu;
            _emu.Restore();
            _c = new TcTestClient(emu.Server) { ScopeService = "lighthouse", Version = "2020-03-24" };
        }

        private static object Rule(string protocol, string port, string action = "DROP", string cidr = "0.0.0.0/0", string description = "port53-block") =>
            new { Protocol = protocol, Port = port, CidrBlock = cidr, Action = action, FirewallRuleDescription = description };

        private async Task<(long Version, JsonArray Rules)> Firewall(string id, string region = Gz)
        {
            TcResponse r = (await _c.CallAsync("DescribeFirewallRules", region, new { InstanceId = id, Limit = 100 })).AssertOk();
            return ((long)r["FirewallVersion"], r["FirewallRuleSet"].AsArray());
        }

        private static string Show(JsonNode rule) =>
            (string)rule["Protocol"] + " " + (string)rule["Port"] + " " + ((string)rule["Ipv6CidrBlock"] is { Length: > 0 } v6 ? v6 : (string)rule["CidrBlock"]) + " " + (string)rule["Action"];

        [Fact]
        public async Task DescribeRegionsIsLighthousesOwnWithIsChinaMainland()
        {
            TcResponse r = (await _c.CallAsync("DescribeRegions", null, new { })).AssertOk();
            JsonArray set = r["RegionSet"].AsArray();
            Assert.Equal(5, (int)r["TotalCount"]);
            Assert.True((bool)set.Single(x => (string)x["Region"] == Gz)["IsChinaMainland"]);
            Assert.False((bool)set.Single(x => (string)x["Region"] == "ap-hongkong")["IsChinaMainland"]);
            Assert.Equal("lighthouse", _emu.Server.Requests.Last().Service);
        }

        [Fact]
        public async Task DescribeInstancesListsTheRegionsLighthouseInstancesNotItsCvmInstances()
        {
            TcResponse r = (await _c.CallAsync("DescribeInstances", Gz, new { })).AssertOk();
            JsonNode i = r["InstanceSet"].AsArray().Single();
            Assert.Equal(Open, (string)i["InstanceId"]);
            Assert.Equal("ap-guangzhou-3", (string)i["Zone"]);
            Assert.Equal("43.139.1.10", (string)i["PublicAddresses"][0]);
            Assert.Equal("240d:c000:1010:1::10", (string)i["PublicIpv6Addresses"][0]);
            Assert.Null(i["Region"]);
            Assert.Null(i["FirewallRuleSet"]);
            Assert.Null(i["FirewallVersion"]);
        }

        [Fact]
        public async Task DescribeInstancesFiltersAndTakesIdsOfItsRegionOnly()
        {
            TcResponse byTag = (await _c.CallAsync("DescribeInstances", Sh, new { Filters = new[] { new { Name = "tag:app", Values = new[] { "pihole" } } } })).AssertOk();
            Assert.Equal("lhins-shlate01", (string)byTag["InstanceSet"][0]["InstanceId"]);
            TcResponse byIp = (await _c.CallAsync("DescribeInstances", Gz, new { Filters = new[] { new { Name = "public-ip-address", Values = new[] { "43.140.2.11" } } } })).AssertOk();
            Assert.Equal(0, (int)byIp["TotalCount"]);
            TcResponse byId = (await _c.CallAsync("DescribeInstances", Gz, new { InstanceIds = new[] { Open, "lhins-shlate01" } })).AssertOk();
            Assert.Equal(new[] { Open }, byId["InstanceSet"].AsArray().Select(x => (string)x["InstanceId"]));
        }

        [Fact]
        public async Task DescribeInstancesRefusesWhatTencentRefuses()
        {
            (await _c.CallAsync("DescribeInstances", Gz, new { InstanceIds = new[] { "ins-gzdns001" } })).AssertError("InvalidParameterValue.InstanceIdMalformed");
            (await _c.CallAsync("DescribeInstances", Gz, new { Filters = new[] { new { Name = "security-group-id", Values = new[] { "sg-1" } } } })).AssertError("InvalidParameter.InvalidFilterNotSupportedName");
            (await _c.CallAsync("DescribeInstances", Gz, new { InstanceIds = new[] { Open }, Filters = new[] { new { Name = "zone", Values = new[] { "ap-guangzhou-3" } } } })).AssertError("InvalidParameter.ParameterConflict");
            (await _c.CallAsync("DescribeInstances", Gz, new { Limit = 101 })).AssertError("InvalidParameterValue.LimitExceeded");
        }

        [Fact]
        public async Task DescribeFirewallRulesGivesTheRulesInOrderWithTheVersionAndPages()
        {
            (long version, JsonArray rules) = await Firewall(Open);
            Assert.Equal(4, version);
            Assert.Equal(new[] { "ICMP ALL 0.0.0.0/0 ACCEPT", "TCP 22 0.0.0.0/0 ACCEPT", "UDP 53 0.0.0.0/0 ACCEPT", "TCP 53 0.0.0.0/0 ACCEPT", "UDP 53 ::/0 ACCEPT", "TCP 3000 203.0.113.0/24 ACCEPT" }, rules.Select(Show));
            Assert.Equal("Linux登录(22)", (string)rules[1]["AppType"]);

            TcResponse page = (await _c.CallAsync("DescribeFirewallRules", Gz, new { InstanceId = Open, Offset = 2, Limit = 2 })).AssertOk();
            Assert.Equal(6, (int)page["TotalCount"]);
            Assert.Equal(new[] { "UDP 53 0.0.0.0/0 ACCEPT", "TCP 53 0.0.0.0/0 ACCEPT" }, page["FirewallRuleSet"].AsArray().Select(Show));
        }

        [Fact]
        public async Task AnUnknownOrMalformedInstanceIsRefused()
        {
            (await _c.CallAsync("DescribeFirewallRules", Gz, new { InstanceId = "lhins-nothere1" })).AssertError("ResourceNotFound.InstanceIdNotFound");
            (await _c.CallAsync("DescribeFirewallRules", Gz, new { InstanceId = "lhins-shlate01" })).AssertError("ResourceNotFound.InstanceIdNotFound");
            (await _c.CallAsync("DescribeFirewallRules", Gz, new { InstanceId = "ins-gzdns001" })).AssertError("InvalidParameterValue.InstanceIdMalformed");
            (await _c.CallAsync("CreateFirewallRules", Gz, new { InstanceId = "lhins-nothere1", FirewallRules = new[] { Rule("UDP", "53") } })).AssertError("ResourceNotFound.InstanceIdNotFound");
        }

        [Fact]
        public async Task CreateAppendsAndBumpsTheVersion()
        {
            (await _c.CallAsync("CreateFirewallRules", Gz, new { InstanceId = Open, FirewallRules = new[] { Rule("UDP", "53", cidr: "198.51.100.0/24"), Rule("TCP", "8053") }, FirewallVersion = 4 })).AssertOk();
            (long version, JsonArray rules) = await Firewall(Open);
            Assert.Equal(5, version);
            Assert.Equal(new[] { "UDP 53 198.51.100.0/24 DROP", "TCP 8053 0.0.0.0/0 DROP" }, rules.Skip(6).Select(Show));
            Assert.Equal("port53-block", (string)rules[6]["FirewallRuleDescription"]);
            Assert.Equal("Custom", (string)rules[6]["AppType"]);
        }

        [Fact]
        public async Task ARuleWithoutSourceAdmitsEveryIPv4AddressAndUnsetFieldsTakeTheirDefaults()
        {
            (await _c.CallAsync("CreateFirewallRules", Gz, new { InstanceId = Open, FirewallRules = new[] { new { Protocol = "udp", Port = "5353" } } })).AssertOk();
            JsonNode added = (await Firewall(Open)).Rules.Last();
            Assert.Equal("UDP 5353 0.0.0.0/0 ACCEPT", Show(added));
        }

        [Fact]
        public async Task AStaleFirewallVersionFailsAndChangesNothing()
        {
            (await _c.CallAsync("CreateFirewallRules", Gz, new { InstanceId = Open, FirewallRules = new[] { Rule("UDP", "53") }, FirewallVersion = 3 }))
                .AssertError("UnsupportedOperation.FirewallVersionMismatch");
            (await _c.CallAsync("ModifyFirewallRules", Gz, new { InstanceId = Open, FirewallRules = new[] { Rule("UDP", "53") }, FirewallVersion = 5 }))
                .AssertError("UnsupportedOperation.FirewallVersionMismatch");
            (long version, JsonArray rules) = await Firewall(Open);
            Assert.Equal((4, 6), (version, rules.Count));
        }

        [Fact]
        public async Task ARuleThatExistsOrRepeatsIsRefused()
        {
            (await _c.CallAsync("CreateFirewallRules", Gz, new { InstanceId = Open, FirewallRules = new[] { Rule("UDP", "53", "ACCEPT", description: "another description") } }))
                .AssertError("InvalidParameter.FirewallRulesExist");
            (await _c.CallAsync("CreateFirewallRules", Gz, new { InstanceId = Open, FirewallRules = new[] { Rule("UDP", "53"), Rule("udp", "53", "drop") } }))
                .AssertError("InvalidParameter.FirewallRulesDuplicated");
            (await _c.CallAsync("ModifyFirewallRules", Gz, new { InstanceId = Open, FirewallRules = new[] { Rule("TCP", "22", "ACCEPT"), Rule("TCP", "22", "ACCEPT") } }))
                .AssertError("InvalidParameter.FirewallRulesDuplicated");
            Assert.Equal(4, (await Firewall(Open)).Version);
        }

        [Fact]
        public async Task AFirewallHoldsAtMostOneHundredRules()
        {
            object[] hundred = Enumerable.Range(1, 100).Select(p => Rule("TCP", (10000 + p).ToString(System.Globalization.CultureInfo.InvariantCulture), "ACCEPT")).ToArray();
            (await _c.CallAsync("ModifyFirewallRules", Gz, new { InstanceId = Open, FirewallRules = hundred })).AssertOk();
            (await _c.CallAsync("CreateFirewallRules", Gz, new { InstanceId = Open, FirewallRules = new[] { Rule("UDP", "53") } }))
                .AssertError("LimitExceeded.FirewallRulesLimitExceeded");
            object[] hundredAndOne = hundred.Append(Rule("UDP", "53")).ToArray();
            (await _c.CallAsync("ModifyFirewallRules", Gz, new { InstanceId = Open, FirewallRules = hundredAndOne }))
                .AssertError("LimitExceeded.FirewallRulesLimitExceeded");
            (long version, JsonArray rules) = await Firewall(Open);
            Assert.Equal((5, 100), (version, rules.Count));
        }

        [Fact]
        public async Task ModifyReplacesTheWholeListInTheGivenOrder()
        {
            (await _c.CallAsync("ModifyFirewallRules", Sh, new
            {
                InstanceId = "lhins-shlate01", FirewallVersion = 7,
                FirewallRules = new[] { Rule("UDP", "53"), Rule("TCP", "53"), Rule("ALL", "ALL", "ACCEPT", description: "open everything (test box)") },
            })).AssertOk();
            (long version, JsonArray rules) = await Firewall("lhins-shlate01", Sh);
            Assert.Equal(8, version);
            Assert.Equal(new[] { "UDP 53 0.0.0.0/0 DROP", "TCP 53 0.0.0.0/0 DROP", "ALL ALL 0.0.0.0/0 ACCEPT" }, rules.Select(Show));
        }

        [Fact]
        public async Task DeleteRemovesTheMatchingRulesWhateverTheirDescription()
        {
            (await _c.CallAsync("DeleteFirewallRules", Gz, new { InstanceId = Open, FirewallRules = new[] { Rule("UDP", "53", "ACCEPT", description: ""), Rule("TCP", "53", "accept", description: "") } })).AssertOk();
            (long version, JsonArray rules) = await Firewall(Open);
            Assert.Equal(5, version);
            Assert.DoesNotContain(rules, r => (string)r["Port"] == "53" && (string)r["CidrBlock"] == "0.0.0.0/0");
            (await _c.CallAsync("DeleteFirewallRules", Gz, new { InstanceId = Open, FirewallRules = new[] { Rule("UDP", "53", "ACCEPT") } }))
                .AssertError("ResourceNotFound.FirewallRulesNotFound");
        }

        [Theory]
        [InlineData("{\"Protocol\":\"GRE\",\"Port\":\"ALL\"}", "InvalidParameterValue")]
        [InlineData("{\"Protocol\":\"ICMP\",\"Port\":\"53\"}", "InvalidParameterValue")]
        [InlineData("{\"Protocol\":\"UDP\",\"Port\":\"70000\"}", "InvalidParameterValue")]
        [InlineData("{\"Protocol\":\"UDP\",\"Port\":\"53\",\"CidrBlock\":\"0.0.0.0/0\",\"Ipv6CidrBlock\":\"::/0\"}", "InvalidParameter")]
        [InlineData("{\"Protocol\":\"UDP\",\"Port\":\"53\",\"Action\":\"REJECT\"}", "InvalidParameterValue")]
        [InlineData("{\"Protocol\":\"UDP\",\"Port\":\"53\",\"AppType\":\"Custom\"}", "UnknownParameter")]
        [InlineData("{\"Port\":\"53\"}", "MissingParameter")]
        public async Task AMalformedRuleIsRefusedWithTheFieldNamed(string rule, string code)
        {
            TcResponse r = await _c.CallRawAsync("CreateFirewallRules", Gz, "{\"InstanceId\":\"" + Open + "\",\"FirewallRules\":[" + rule + "]}");
            r.AssertError(code);
            Assert.Contains("FirewallRules.0", r.ErrorMessage);
        }

        [Fact]
        public async Task LighthouseIsPacedByItsOwnLimitsNotCvms()
        {
            _emu.Server.SetFaults(new FaultSettings());
            for (int i = 0; i < 10; i++) (await _c.CallAsync("DescribeFirewallRules", Gz, new { InstanceId = Open })).AssertOk();
            (await _c.CallAsync("DescribeFirewallRules", Gz, new { InstanceId = Open })).AssertError("RequestLimitExceeded");
            // CVM's DescribeInstances (40/s) and Lighthouse's (100/s) have budgets of their own.
            for (int i = 0; i < 40; i++) (await _c.CallAsync("DescribeInstances", Gz, new { })).AssertOk();
            var cvm = new TcTestClient(_emu.Server);
            (await cvm.CallAsync("DescribeInstances", Gz, new { })).AssertOk();
        }

        [Fact]
        public async Task InjectedFaultsAndTheRequestLogCoverLighthouse()
        {
            _emu.Server.UpdateFaults(f => { f.InternalErrorRate = 1; f.FaultActions = new() { "ModifyFirewallRules" }; });
            (await _c.CallAsync("ModifyFirewallRules", Gz, new { InstanceId = Open, FirewallRules = new[] { Rule("UDP", "53") } })).AssertError("InternalError");
            Assert.Equal(4, (await Firewall(Open)).Version);
            RequestLogEntry logged = _emu.Server.Requests.First(e => e.Action == "ModifyFirewallRules");
            Assert.Equal(("lighthouse", "injected", "InternalError"), (logged.Service, logged.Fault, logged.ErrorCode));
        }

        [Fact]
        public async Task TheVersionHeaderDecidesForAnSdkThatNamesNoService()
        {
            var sdk = new TcTestClient(_emu.Server) { Mode = SigningMode.OfficialSdkCustomEndpoint, Version = "2020-03-24" };
            TcResponse lighthouse = (await sdk.CallAsync("DescribeInstances", Gz, new { })).AssertOk();
            Assert.Equal(Open, (string)lighthouse["InstanceSet"][0]["InstanceId"]);
            sdk.Version = "2017-03-12";
            TcResponse cvm = (await sdk.CallAsync("DescribeInstances", Gz, new { })).AssertOk();
            Assert.StartsWith("ins-", (string)cvm["InstanceSet"][0]["InstanceId"]);
            _c.Version = "2017-03-12";
            (await _c.CallAsync("DescribeFirewallRules", Gz, new { InstanceId = Open })).AssertError("NoSuchVersion");
        }

        [Fact]
        public async Task TheStateCarriesTheFirewallsAsTheyAreNow()
        {
            (await _c.CallAsync("CreateFirewallRules", Gz, new { InstanceId = Open, FirewallRules = new[] { Rule("UDP", "53", cidr: "198.51.100.7") } })).AssertOk();
            Fleet state = FleetJson.Parse(_emu.Server.GetStateJson());
            LighthouseInstance i = state.LighthouseInstances.Single(x => x.InstanceId == Open);
            Assert.Equal((Gz, 5L, 7), (i.Region, i.FirewallVersion, i.FirewallRuleSet.Count));
            Assert.Equal("198.51.100.7", i.FirewallRuleSet.Last().CidrBlock);
            // Loaded back, the state is the same fleet.
            await using EmulatorServer again = await EmulatorServer.StartAsync(new EmulatorOptions { Fleet = state, Faults = FaultSettings.NoRateLimits() });
            var c = new TcTestClient(again) { ScopeService = "lighthouse", Version = "2020-03-24" };
            TcResponse r = (await c.CallAsync("DescribeFirewallRules", Gz, new { InstanceId = Open, Limit = 100 })).AssertOk();
            Assert.Equal((5L, 7), ((long)r["FirewallVersion"], r["FirewallRuleSet"].AsArray().Count));
        }
    }
}
