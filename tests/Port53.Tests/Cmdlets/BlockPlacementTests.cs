using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Newtonsoft.Json.Linq;
using Port53.Analysis;
using Port53.Api.Models;
using Port53.Emulator.Hosting;
using Port53.Emulator.Model;
using Port53.Model;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Cmdlets
{
    /// <summary>
    /// The demo fleet plus the rule states users actually have, in ap-guangzhou: Tencent's DROP left below an ACCEPT
    /// (alone, with a description and shared), a private-only first group before the public one, a group mixing private
    /// DNS ACCEPTs above and below the deciding rule, an IPv6 deciding rule, and a group shared by different bindings.
    /// </summary>
    public sealed class PlacementSession : RemediationSession
    {
        private static JObject Rule(string protocol, string port, string source, string action, string description = "")
        {
            var rule = new JObject { ["Protocol"] = protocol, ["Port"] = port, ["Action"] = action, ["PolicyDescription"] = description, ["ModifyTime"] = "2024-06-01 08:00:00" };
            rule[source.Contains(':') ? "Ipv6CidrBlock" : "CidrBlock"] = source;
            return rule;
        }

        public static readonly Dictionary<string, JObject[]> Groups = new Dictionary<string, JObject[]>
        {
            ["sg-below001"] = new[] { Rule("ALL", "ALL", "0.0.0.0/0", "ACCEPT"), Rule("UDP", "53", "0.0.0.0/0", "DROP") },
            ["sg-below002"] = new[] { Rule("TCP", "22", "0.0.0.0/0", "ACCEPT", "ssh"), Rule("ALL", "ALL", "0.0.0.0/0", "ACCEPT", "web"), Rule("UDP", "53", "0.0.0.0/0", "DROP", "block DNS per MIIT notice") },
            ["sg-privonly"] = new[] { Rule("UDP", "53", "10.0.0.0/8", "ACCEPT", "resolver"), Rule("TCP", "53", "172.16.0.0/12", "ACCEPT", "resolver") },
            ["sg-pubdns01"] = new[] { Rule("UDP", "53", "0.0.0.0/0", "ACCEPT"), Rule("TCP", "53", "0.0.0.0/0", "ACCEPT") },
            ["sg-mixed001"] = new[] { Rule("UDP", "53", "10.0.0.0/8", "ACCEPT"), Rule("TCP", "22", "0.0.0.0/0", "ACCEPT"), Rule("ALL", "ALL", "0.0.0.0/0", "ACCEPT"), Rule("UDP", "53", "172.16.0.0/12", "ACCEPT") },
            ["sg-v6dec001"] = new[] { Rule("TCP", "22", "::/0", "ACCEPT"), Rule("UDP", "53", "fd00::/8", "ACCEPT"), Rule("ALL", "ALL", "::/0", "ACCEPT") },
            ["sg-udponly1"] = new[] { Rule("UDP", "53", "0.0.0.0/0", "ACCEPT") },
            ["sg-tcponly1"] = new[] { Rule("TCP", "53", "0.0.0.0/0", "ACCEPT") },
            ["sg-longdesc"] = new[] { Rule("ALL", "ALL", "0.0.0.0/0", "ACCEPT"), Rule("UDP", "53", "0.0.0.0/0", "DROP", "Blocked per the MIIT notice of 2025; ask the network team (ext. 4711) before changing") },
        };

        public static readonly Dictionary<string, string[]> Instances = new Dictionary<string, string[]>
        {
            ["ins-below001"] = new[] { "sg-below001" },
            ["ins-below002"] = new[] { "sg-below002" },
            ["ins-below003"] = new[] { "sg-below002" },
            ["ins-twogrp01"] = new[] { "sg-privonly", "sg-pubdns01" },
            ["ins-privonl1"] = new[] { "sg-privonly" },
            ["ins-mixed001"] = new[] { "sg-mixed001" },
            ["ins-v6dec001"] = new[] { "sg-v6dec001" },
            ["ins-diffbd01"] = new[] { "sg-udponly1" },
            ["ins-diffbd02"] = new[] { "sg-tcponly1", "sg-udponly1" },
            ["ins-longdes1"] = new[] { "sg-longdesc" },
        };

        protected override EmulatorOptions CreateOptions()
        {
            EmulatorOptions options = EmulatorOptions.ForTests();
            JObject fleet = JObject.Parse(FleetJson.Serialize(FleetJson.Demo()));
            var template = (JObject)((JArray)fleet["SecurityGroups"]).First(g => (string)g["SecurityGroupId"] == "sg-allopen1");
            foreach (var (id, rules) in Groups)
            {
                var group = (JObject)template.DeepClone();
                group["SecurityGroupId"] = id;
                group["SecurityGroupName"] = id;
                group["SecurityGroupPolicySet"]["Ingress"] = new JArray(rules.Select((r, i) => { var c = (JObject)r.DeepClone(); c["PolicyIndex"] = i; return c; }));
                ((JArray)fleet["SecurityGroups"]).Add(group);
            }
            var instanceTemplate = (JObject)((JArray)fleet["Instances"]).First(i => (string)i["InstanceId"] == "ins-gzweb001");
            int n = 100;
            foreach (var (id, groups) in Instances)
            {
                var instance = (JObject)instanceTemplate.DeepClone();
                instance["InstanceId"] = id;
                instance["InstanceName"] = id;
                instance["PublicIpAddresses"] = new JArray("119.29.99." + n++);
                instance["SecurityGroupIds"] = new JArray(groups);
                ((JArray)fleet["Instances"]).Add(instance);
            }
            options.Fleet = FleetJson.Parse(fleet.ToString());
            return options;
        }
    }

    /// <summary>Block-TcPort53's placement on realistic rule states, over real HTTP against the emulator.</summary>
    public class BlockPlacementCmdletTests : IClassFixture<PlacementSession>
    {
        private readonly PlacementSession _s;

        public BlockPlacementCmdletTests(PlacementSession session)
        {
            _s = session;
            _s.Restore();
        }

        private static string Today => System.DateTime.UtcNow.ToString("yyyy-MM-dd");

        private string[] Texts(string group) => _s.Ingress(group).Select(p => TcPort53Verdict.Describe(p) + (Port53Rules.IsPort53Rule(p) ? " [Port53]" : "")).ToArray();

        /// <summary>Each group's ingress, fields and order, without ModifyTime (a whole-list write stamps every rule anew).</summary>
        private Dictionary<string, string> Ingress() => _s.RuleLists().ToDictionary(kv => kv.Key, kv =>
            string.Join("\n", kv.Value["Ingress"].Select(r => { var c = (JObject)r.DeepClone(); c.Remove("ModifyTime"); return c.ToString(Newtonsoft.Json.Formatting.None); })));

        private Dictionary<string, ExposureResult> Audit() => DemoFleet.Audit(_s.Server);

        [Fact]
        public void The_seeds_rule_below_an_accept_is_closed_recorded_and_put_back_exactly()
        {
            Dictionary<string, string> original = Ingress();
            Assert.True(Audit()["ins-below001"].UdpV4.Open);
            var r = _s.Run("Get-TcInstance -InstanceId ins-below001 | Block-TcPort53 -Force -PassThru");
            r.AssertNoErrors();
            Assert.False(Audit()["ins-below001"].Exposed);
            TcPort53Change change = Assert.Single(RemediationSession.Changes(r));
            Assert.Equal(TcPort53ChangeStatus.Changed, change.Status);
            Assert.Equal(new[] { "UDP 53 0.0.0.0/0 DROP", "TCP 53 0.0.0.0/0 DROP" }, change.RulesAdded.Select(a => a.Text));
            // The record says which user rule came out, from where.
            TcPort53Rule removed = Assert.Single(change.RulesRemoved);
            Assert.Equal(("UDP 53 0.0.0.0/0 DROP", 1L, ""), (removed.Text, removed.PolicyIndex, removed.PolicyDescription));
            Assert.Equal(new[] { "UDP 53 0.0.0.0/0 DROP [Port53]", "TCP 53 0.0.0.0/0 DROP [Port53]", "ALL ALL 0.0.0.0/0 ACCEPT" }, Texts("sg-below001"));
            // One write, Version-checked: the whole list at once, so the group was never more open than before.
            var write = Assert.Single(_s.Server.Requests, q => q.Action.EndsWith("SecurityGroupPolicies") && !q.Action.StartsWith("Describe"));
            Assert.Equal("ModifySecurityGroupPolicies", write.Action);
            Assert.Equal(change.RequestId, write.RequestId);

            var u = _s.Run("Get-TcInstance -InstanceId ins-below001 | Unblock-TcPort53 -Force -PassThru");
            u.AssertNoErrors();
            Assert.Equal(original["sg-below001"], Ingress()["sg-below001"]);
            Assert.Equal(new[] { "UDP 53 0.0.0.0/0 DROP" }, Assert.Single(RemediationSession.Changes(u), c => c.Status == TcPort53ChangeStatus.Changed).RulesAdded.Select(a => a.Text));
        }

        [Fact]
        public void In_a_shared_group_the_users_described_rule_moves_once_and_comes_back_with_its_description()
        {
            Dictionary<string, string> original = Ingress();
            var r = _s.Run("Get-TcInstance -InstanceId ins-below002, ins-below003 | Block-TcPort53 -Force -PassThru");
            r.AssertNoErrors();
            TcPort53Change change = Assert.Single(RemediationSession.Changes(r));
            Assert.Equal(new[] { "ins-below002", "ins-below003" }, change.AffectedInstanceIds);
            Assert.Equal("block DNS per MIIT notice", Assert.Single(change.RulesRemoved).PolicyDescription);
            Assert.Equal(2, Assert.Single(change.RulesRemoved).PolicyIndex);
            // The DROPs go directly above the deciding ALL/ALL ACCEPT; the SSH rule above it is untouched.
            Assert.Equal(new[] { "TCP 22 0.0.0.0/0 ACCEPT", "UDP 53 0.0.0.0/0 DROP [Port53]", "TCP 53 0.0.0.0/0 DROP [Port53]", "ALL ALL 0.0.0.0/0 ACCEPT" }, Texts("sg-below002"));
            Assert.Equal("Port53: block public DNS (added " + Today + "; replaces +1: block DNS per MIIT notice)", _s.Ingress("sg-below002")[1].PolicyDescription);
            Assert.False(Audit()["ins-below002"].Exposed);
            Assert.False(Audit()["ins-below003"].Exposed);

            // A second Block adds nothing.
            _s.Server.ClearRequests();
            var again = _s.Run("Get-TcInstance -InstanceId ins-below002, ins-below003 | Block-TcPort53 -Force -PassThru");
            again.AssertNoErrors();
            Assert.Equal(TcPort53ChangeStatus.NoChange, Assert.Single(RemediationSession.Changes(again)).Status);
            Assert.Equal(0, _s.WriteRequests);

            _s.Run("Unblock-TcPort53 -SecurityGroupId sg-below002 -Force").AssertNoErrors();
            Assert.Equal(original["sg-below002"], Ingress()["sg-below002"]);
        }

        [Fact]
        public void A_private_only_first_group_is_never_written_and_internal_DNS_keeps_working()
        {
            var r = _s.Run("Get-TcInstance -InstanceId ins-twogrp01 | Block-TcPort53 -Force -PassThru");
            r.AssertNoErrors();
            Assert.Empty(r.Warnings);
            TcPort53Change change = Assert.Single(RemediationSession.Changes(r));
            Assert.Equal("sg-pubdns01", change.SecurityGroupId);
            Assert.Equal(new[] { "UDP 53 0.0.0.0/0 DROP", "TCP 53 0.0.0.0/0 DROP" }, change.RulesAdded.Select(a => a.Text));
            Assert.Equal(new[] { "UDP 53 10.0.0.0/8 ACCEPT", "TCP 53 172.16.0.0/12 ACCEPT" }, Texts("sg-privonly"));
            Assert.DoesNotContain(_s.Server.Requests, q => q.SecurityGroupId == "sg-privonly" && !q.Action.StartsWith("Describe"));
            Assert.False(Audit()["ins-twogrp01"].Exposed);
        }

        [Fact]
        public void Top_keeps_the_seeds_literal_placement_and_warns_about_what_it_stops()
        {
            var r = _s.Run("Get-TcInstance -InstanceId ins-twogrp01 | Block-TcPort53 -Placement Top -Force -PassThru");
            r.AssertNoErrors();
            Assert.Equal("sg-privonly", Assert.Single(RemediationSession.Changes(r)).SecurityGroupId);
            Assert.Equal(new[] { "UDP 53 0.0.0.0/0 DROP [Port53]", "TCP 53 0.0.0.0/0 DROP [Port53]", "UDP 53 10.0.0.0/8 ACCEPT", "TCP 53 172.16.0.0/12 ACCEPT" }, Texts("sg-privonly"));
            string w = Assert.Single(r.Warnings);
            Assert.Contains("sg-privonly#0 (UDP 53 10.0.0.0/8 ACCEPT)", w);
            Assert.Contains("ins-privonl1", w);
            Assert.False(Audit()["ins-twogrp01"].Exposed);

            // Idempotent whichever placement comes next.
            _s.Server.ClearRequests();
            _s.Run("Get-TcInstance -InstanceId ins-twogrp01 | Block-TcPort53 -Force; Get-TcInstance -InstanceId ins-twogrp01 | Block-TcPort53 -Placement Top -Force").AssertNoErrors();
            Assert.Equal(0, _s.WriteRequests);
        }

        [Fact]
        public void Private_accepts_above_the_deciding_rule_keep_working_and_only_those_below_are_warned_about()
        {
            var r = _s.Run("Get-TcInstance -InstanceId ins-mixed001 | Block-TcPort53 -Force -PassThru");
            r.AssertNoErrors();
            Assert.Equal(new[] { "UDP 53 10.0.0.0/8 ACCEPT", "TCP 22 0.0.0.0/0 ACCEPT", "UDP 53 0.0.0.0/0 DROP [Port53]", "TCP 53 0.0.0.0/0 DROP [Port53]",
                "ALL ALL 0.0.0.0/0 ACCEPT", "UDP 53 172.16.0.0/12 ACCEPT" }, Texts("sg-mixed001"));
            Assert.Equal(new long[] { 2, 3 }, Assert.Single(RemediationSession.Changes(r)).RulesAdded.Select(a => a.PolicyIndex));
            Assert.Equal("CreateSecurityGroupPolicies", Assert.Single(_s.Server.Requests, q => q.SecurityGroupId == "sg-mixed001" && !q.Action.StartsWith("Describe")).Action);
            string w = Assert.Single(r.Warnings);
            Assert.Contains("stops 1 rule(s)", w);
            Assert.Contains("sg-mixed001#3 (UDP 53 172.16.0.0/12 ACCEPT)", w);
            Assert.DoesNotContain("sg-mixed001#0", w);
            Assert.False(Audit()["ins-mixed001"].Exposed);
        }

        [Fact]
        public void An_IPv6_deciding_rule_gets_IPv6_drops_above_it()
        {
            var r = _s.Run("Block-TcPort53 -InstanceId ins-v6dec001 -Force -PassThru");
            r.AssertNoErrors();
            Assert.Equal(new[] { "TCP 22 ::/0 ACCEPT", "UDP 53 fd00::/8 ACCEPT", "UDP 53 ::/0 DROP [Port53]", "TCP 53 ::/0 DROP [Port53]", "ALL ALL ::/0 ACCEPT" }, Texts("sg-v6dec001"));
            Assert.Empty(r.Warnings);
            Assert.False(Audit()["ins-v6dec001"].Exposed);
        }

        [Fact]
        public void A_group_shared_by_different_bindings_is_written_once_and_each_key_in_its_deciding_group()
        {
            var r = _s.Run("Get-TcInstance -InstanceId ins-diffbd01, ins-diffbd02 | Block-TcPort53 -Force -PassThru");
            r.AssertNoErrors();
            TcPort53Change[] changes = RemediationSession.Changes(r);
            Assert.Equal(new[] { "UDP 53 0.0.0.0/0 DROP" }, changes.Single(c => c.SecurityGroupId == "sg-udponly1").RulesAdded.Select(a => a.Text));
            Assert.Equal(new[] { "TCP 53 0.0.0.0/0 DROP" }, changes.Single(c => c.SecurityGroupId == "sg-tcponly1").RulesAdded.Select(a => a.Text));
            Assert.Equal(1, _s.Server.Requests.Count(q => q.SecurityGroupId == "sg-udponly1" && !q.Action.StartsWith("Describe")));
            Assert.False(Audit()["ins-diffbd01"].Exposed);
            Assert.False(Audit()["ins-diffbd02"].Exposed);
        }

        [Fact]
        public void A_user_rule_whose_description_cannot_be_kept_is_an_error_for_its_key_and_is_not_touched()
        {
            var r = _s.Run("Block-TcPort53 -InstanceId ins-longdes1 -Force -PassThru");
            Assert.Null(r.Terminating);
            ErrorRecord error = Assert.Single(r.Errors);
            Assert.Equal("Port53.UserRuleNotMovable,Port53.Cmdlets.BlockTcPort53Command", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
            Assert.Equal("ins-longdes1", error.TargetObject);
            Assert.Contains("UDP/IPv4", error.Exception.Message);
            Assert.Contains("sg-longdesc", error.Exception.Message);
            // TCP is still closed; the user's UDP rule stays where and as it was, so UDP stays open, as the error says.
            Assert.Equal(new[] { "TCP 53 0.0.0.0/0 DROP [Port53]", "ALL ALL 0.0.0.0/0 ACCEPT", "UDP 53 0.0.0.0/0 DROP" }, Texts("sg-longdesc"));
            Assert.True(Audit()["ins-longdes1"].UdpV4.Open);
            Assert.False(Audit()["ins-longdes1"].TcpV4.Open);
        }

        [Fact]
        public void A_bad_placement_is_a_parameter_error_with_nothing_written()
        {
            var r = _s.Run("Block-TcPort53 -InstanceId ins-below001 -Placement Bottom -Force");
            ErrorRecord error = r.SingleFailure();
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Contains("Bottom", error.Exception.Message);
            Assert.Contains("AboveDecidingRule", error.Exception.Message);
            Assert.Equal(0, _s.WriteRequests);
        }
    }
}
