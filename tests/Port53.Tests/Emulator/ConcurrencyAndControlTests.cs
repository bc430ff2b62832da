using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Port53.Emulator.Hosting;
using Port53.Emulator.Model;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Emulator
{
    public class ConcurrentEditorTests : IClassFixture<EmulatorFixture>
    {
        private const string Gz = "ap-guangzhou";
        private readonly EmulatorFixture _emu;
        private readonly TcTestClient _c;

        public ConcurrentEditorTests(EmulatorFixture emu)
        {
            _emu = emu;
            _emu.Restore();
            _c = new TcTestClient(emu.Server);
        }

        private async Task<string> ReadVersion(string sg) =>
            (string)(await _c.CallAsync("DescribeSecurityGroupPolicies", Gz, new { SecurityGroupId = sg })).AssertOk()["SecurityGroupPolicySet"]["Version"];

        private Task<TcResponse> InsertDrop(string sg, string version, string port = "53") =>
            _c.CallAsync("CreateSecurityGroupPolicies", Gz, new { SecurityGroupId = sg, SecurityGroupPolicySet = new { Version = version, Ingress = new[] { new { PolicyIndex = 0L, Protocol = "UDP", Port = port, CidrBlock = "0.0.0.0/0", Action = "DROP", PolicyDescription = "port53-block" } } } });

        [Fact]
        public async Task AnEditBetweenReadAndWriteCausesVersionMismatchAndIsRecorded()
        {
            _emu.Server.UpdateFaults(f => f.ConcurrentEditorRate = 1);
            string version = await ReadVersion("sg-shared01");
            (await InsertDrop("sg-shared01", version)).AssertError("UnsupportedOperation.VersionMismatch");

            ConcurrentEdit edit = Assert.Single(_emu.Server.ConcurrentEdits);
            Assert.Equal("sg-shared01", edit.SecurityGroupId);
            Assert.Equal(("1", "2"), (edit.VersionBefore, edit.VersionAfter));
            Assert.Equal(("TCP", "8080", "10.0.0.0/8", "ACCEPT", "concurrent-editor"), (edit.Protocol, edit.Port, edit.CidrBlock, edit.Action, edit.PolicyDescription));
            SecurityGroupPolicySet now = _emu.Server.GetPolicies("sg-shared01");
            Assert.Equal("concurrent-editor", now.Ingress[0].PolicyDescription);
            Assert.Equal(4, now.Ingress.Count);
        }

        [Fact]
        public async Task WithoutAReadNothingIsEdited()
        {
            _emu.Server.UpdateFaults(f => f.ConcurrentEditorRate = 1);
            (await InsertDrop("sg-shared01", "1")).AssertOk();
            Assert.Empty(_emu.Server.ConcurrentEdits);
        }

        [Fact]
        public async Task AClientThatReReadsOnMismatchLosesNoEdit()
        {
            _emu.Server.UpdateFaults(f => { f.ConcurrentEditorRate = 0.5; f.Seed = 3; });
            string[] groups = { "sg-allopen1", "sg-dnsudp01", "sg-shared01", "sg-private1" };
            int mismatches = 0;
            foreach (string sg in groups)
                for (int attempt = 0; ; attempt++)
                {
                    Assert.True(attempt < 20, "no progress on " + sg);
                    TcResponse r = await InsertDrop(sg, await ReadVersion(sg));
                    if (r.Ok) break;
                    r.AssertError("UnsupportedOperation.VersionMismatch");
                    mismatches++;
                }
            var edits = _emu.Server.ConcurrentEdits;
            Assert.True(edits.Count >= mismatches);
            Assert.True(mismatches > 0, "seed 3 at rate 0.5 should interfere at least once");
            foreach (ConcurrentEdit e in edits)
                Assert.Contains(_emu.Server.GetPolicies(e.SecurityGroupId).Ingress, p => p.Port == e.Port && p.CidrBlock == e.CidrBlock && p.PolicyDescription == "concurrent-editor");
            foreach (string sg in groups)
                Assert.Single(_emu.Server.GetPolicies(sg).Ingress, p => p.PolicyDescription == "port53-block");
        }

        [Fact]
        public async Task ParallelWritersAreSerialisedByVersion()
        {
            // Ten writers read Version 1 and race: exactly one wins, the others see VersionMismatch.
            var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => InsertDrop("sg-allopen1", "1", (5300 + i).ToString())));
            Assert.Equal(1, results.Count(r => r.Ok));
            Assert.Equal(9, results.Count(r => r.ErrorCode == "UnsupportedOperation.VersionMismatch"));
            Assert.Equal("2", _emu.Server.GetPolicies("sg-allopen1").Version);
        }
    }

    public class ControlApiTests : IClassFixture<EmulatorFixture>
    {
        private readonly EmulatorFixture _emu;
        private readonly TcTestClient _c;

        public ControlApiTests(EmulatorFixture emu)
        {
            _emu = emu;
            _emu.Restore();
            _c = new TcTestClient(emu.Server);
        }

        [Fact]
        public async Task Health()
        {
            var (status, body) = await TcTestClient.ControlAsync(_emu.BaseUrl, HttpMethod.Get, "health");
            Assert.Equal(200, status);
            JsonNode h = JsonNode.Parse(body);
            Assert.Equal("ok", (string)h["Status"]);
            Assert.Equal(21, (int)h["Instances"]);
            Assert.Equal(16, (int)h["SecurityGroups"]);
        }

        [Fact]
        public async Task RequestLogNamesActionRegionServiceGroupAndError()
        {
            await _c.CallAsync("DescribeSecurityGroupPolicies", "ap-beijing", new { SecurityGroupId = "sg-blocked1" });
            await _c.CallAsync("DescribeInstances", "ap-moon", new { });
            var (status, body) = await TcTestClient.ControlAsync(_emu.BaseUrl, HttpMethod.Get, "requests");
            Assert.Equal(200, status);
            JsonArray log = JsonNode.Parse(body).AsArray();
            Assert.Equal(2, log.Count);
            Assert.Equal(("DescribeSecurityGroupPolicies", "ap-beijing", "vpc", "sg-blocked1"), ((string)log[0]["Action"], (string)log[0]["Region"], (string)log[0]["Service"], (string)log[0]["SecurityGroupId"]));
            Assert.Null((string)log[0]["ErrorCode"]);
            Assert.Equal(("cvm", "UnsupportedRegion"), ((string)log[1]["Service"], (string)log[1]["ErrorCode"]));
            Assert.NotNull((string)log[1]["Time"]);

            (status, _) = await TcTestClient.ControlAsync(_emu.BaseUrl, HttpMethod.Delete, "requests");
            Assert.Equal(204, status);
            Assert.Empty(_emu.Server.Requests);
        }

        [Fact]
        public async Task StateIsAFleetFileThatRoundTrips()
        {
            (await _c.CallAsync("CreateSecurityGroupPolicies", "ap-guangzhou", new { SecurityGroupId = "sg-allopen1", SecurityGroupPolicySet = new { Ingress = new[] { new { PolicyIndex = 0L, Protocol = "UDP", Port = "53", CidrBlock = "0.0.0.0/0", Action = "DROP" } } } })).AssertOk();
            var (status, body) = await TcTestClient.ControlAsync(_emu.BaseUrl, HttpMethod.Get, "state");
            Assert.Equal(200, status);
            Fleet fleet = FleetJson.Parse(body);
            SecurityGroup g = fleet.SecurityGroups.Single(s => s.SecurityGroupId == "sg-allopen1");
            Assert.Equal("2", g.SecurityGroupPolicySet.Version);
            Assert.Equal(new long?[] { 0, 1 }, g.SecurityGroupPolicySet.Ingress.Select(p => p.PolicyIndex));
            Assert.Equal("ap-guangzhou", g.Region);
            Assert.Equal(21, fleet.Instances.Count);
            Assert.Equal(2, fleet.Credentials.Count);

            // Serving that state gives the same state back.
            var options = Port53.Emulator.Hosting.EmulatorOptions.ForTests();
            options.Fleet = fleet;
            await using var second = await Port53.Emulator.Hosting.EmulatorServer.StartAsync(options);
            Assert.Equal(body, second.GetStateJson());
        }

        [Fact]
        public void UnknownFieldsRoundTrip()
        {
            Fleet fleet = FleetJson.Parse("{\"Regions\":[{\"Region\":\"ap-x\",\"Future\":1}],\"Instances\":[{\"InstanceId\":\"ins-1\",\"Region\":\"ap-x\",\"LoginSettings\":{\"KeyIds\":[\"skey-1\"]},\"SecurityGroupIds\":[]}],\"Note\":\"kept\"}");
            string json = FleetJson.Serialize(fleet);
            Assert.Contains("\"Future\": 1", json);
            Assert.Contains("skey-1", json);
            Assert.Contains("\"Note\": \"kept\"", json);
        }

        [Fact]
        public async Task ResetRestoresTheInitialFleet()
        {
            (await _c.CallAsync("ModifySecurityGroupPolicies", "ap-guangzhou", new { SecurityGroupId = "sg-shared01", SecurityGroupPolicySet = new { } })).AssertOk();
            Assert.Empty(_emu.Server.GetPolicies("sg-shared01").Ingress);
            var (status, _) = await TcTestClient.ControlAsync(_emu.BaseUrl, HttpMethod.Post, "reset");
            Assert.Equal(204, status);
            Assert.Equal(3, _emu.Server.GetPolicies("sg-shared01").Ingress.Count);
            Assert.Equal("1", _emu.Server.GetPolicies("sg-shared01").Version);
        }

        [Fact]
        public async Task ConcurrentEditsAndUnknownEndpoints()
        {
            var (status, body) = await TcTestClient.ControlAsync(_emu.BaseUrl, HttpMethod.Get, "concurrent-edits");
            Assert.Equal(200, status);
            Assert.Equal("[]", body.Trim());
            (status, _) = await TcTestClient.ControlAsync(_emu.BaseUrl, HttpMethod.Get, "nothing-here");
            Assert.Equal(404, status);
        }
    }
}
