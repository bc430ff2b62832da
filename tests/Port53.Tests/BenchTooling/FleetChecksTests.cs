using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Port53.Analysis;
using Port53.Benchmarks.Fleet;
using Xunit;

namespace Port53.Tests.BenchTooling
{
    /// <summary>The post-block checks the fleet benchmark's fault run (and later the xunit one) relies on.</summary>
    public class FleetChecksTests
    {
        private const string Marker = "Port53: block public DNS (added 2026-11-23)";

        private static string Rule(string protocol, string source, string action = "DROP", string description = Marker, string port = "53") =>
            "{ \"Protocol\": \"" + protocol + "\", \"Port\": \"" + port + "\", " +
            (source.Contains(':') ? "\"Ipv6CidrBlock\"" : "\"CidrBlock\"") + ": \"" + source + "\", \"Action\": \"" + action + "\", \"PolicyDescription\": \"" + description + "\" }";

        private static FleetState Fleet(params (string Group, string[] Ingress)[] groups) => FleetState.Parse("{ \"SecurityGroups\": [" +
            string.Join(",", groups.Select(g => "{ \"Region\": \"ap-guangzhou\", \"SecurityGroupId\": \"" + g.Group +
                "\", \"SecurityGroupPolicySet\": { \"Version\": \"1\", \"Ingress\": [" + string.Join(",", g.Ingress) + "] } }")) + "] }");

        private static readonly string Accept80 = Rule("TCP", "0.0.0.0/0", "ACCEPT", "", "80");

        private static FleetGroupKey Key(string group) => new FleetGroupKey("ap-guangzhou", group);

        [Fact]
        public void TheMarkerIsTheOnePort53Writes() => Assert.Equal(Port53Rules.MarkerPrefix, FleetChecks.Port53Marker);

        [Fact]
        public void OneSetPerWrittenGroupAndNothingElsewhereIsFine()
        {
            FleetState initial = Fleet(("sg-a", new[] { Accept80 }), ("sg-b", new[] { Accept80 }));
            FleetState final = Fleet(("sg-a", new[] { Rule("UDP", "0.0.0.0/0"), Rule("TCP", "0.0.0.0/0"), Rule("udp", "::/0"), Accept80 }), ("sg-b", new[] { Accept80 }));
            Assert.Empty(FleetChecks.Port53RuleSetProblems(initial, final, new[] { Key("sg-a") }));
        }

        [Fact]
        public void AWrittenGroupWithoutPort53RulesIsAProblem()
        {
            FleetState fleet = Fleet(("sg-a", new[] { Accept80 }));
            string problem = Assert.Single(FleetChecks.Port53RuleSetProblems(fleet, fleet, new[] { Key("sg-a") }));
            Assert.Contains("no Port53 rule", problem);
        }

        [Fact]
        public void TwoRulesForTheSameProtocolAndFamilyAreTwoSets()
        {
            FleetState initial = Fleet(("sg-a", new[] { Accept80 }));
            FleetState final = Fleet(("sg-a", new[] { Rule("UDP", "0.0.0.0/0"), Rule("UDP", "0.0.0.0/0", description: "Port53: block public DNS (added 2026-11-24)"), Accept80 }));
            string problem = Assert.Single(FleetChecks.Port53RuleSetProblems(initial, final, new[] { Key("sg-a") }));
            Assert.Contains("2 Port53 rules for UDP/IPv4", problem);
        }

        [Fact]
        public void AMarkedRuleThatDoesNotBlockIsAProblem()
        {
            FleetState initial = Fleet(("sg-a", new string[0]));
            FleetState final = Fleet(("sg-a", new[] { Rule("UDP", "0.0.0.0/0", action: "ACCEPT"), Rule("TCP", "10.0.0.0/8") }));
            Assert.Equal(2, FleetChecks.Port53RuleSetProblems(initial, final, new[] { Key("sg-a") }).Count);
        }

        [Fact]
        public void Port53RulesAddedToAGroupThatIsNotATargetAreAProblemButOldOnesAreNot()
        {
            FleetState initial = Fleet(("sg-a", new string[0]), ("sg-old", new[] { Rule("UDP", "0.0.0.0/0") }), ("sg-new", new[] { Accept80 }));
            FleetState final = Fleet(("sg-a", new[] { Rule("UDP", "0.0.0.0/0") }), ("sg-old", new[] { Rule("UDP", "0.0.0.0/0") }),
                ("sg-new", new[] { Rule("TCP", "0.0.0.0/0"), Accept80 }));
            string problem = Assert.Single(FleetChecks.Port53RuleSetProblems(initial, final, new[] { Key("sg-a") }));
            Assert.StartsWith("ap-guangzhou/sg-new", problem);
        }

        [Fact]
        public void AnEditIsLostOnlyWhenItsRuleIsGone()
        {
            string edit = "{ \"Region\": \"ap-guangzhou\", \"SecurityGroupId\": \"sg-a\", \"Direction\": \"Ingress\", \"Protocol\": \"TCP\", \"Port\": \"8080\", " +
                "\"CidrBlock\": \"10.0.0.0/8\", \"Action\": \"ACCEPT\", \"PolicyDescription\": \"concurrent-editor\", \"VersionBefore\": \"1\", \"VersionAfter\": \"2\" }";
            List<FleetEdit> edits = FleetEdit.ParseList("[" + edit + "]");
            FleetState kept = Fleet(("sg-a", new[] { Rule("UDP", "0.0.0.0/0"), Rule("TCP", "10.0.0.0/8", "ACCEPT", "concurrent-editor", "8080"), Accept80 }));
            FleetState overwritten = Fleet(("sg-a", new[] { Rule("UDP", "0.0.0.0/0"), Accept80 }));
            FleetState otherPort = Fleet(("sg-a", new[] { Rule("TCP", "10.0.0.0/8", "ACCEPT", "concurrent-editor", "8081") }));
            Assert.Empty(FleetChecks.LostEdits(kept, edits));
            Assert.Single(FleetChecks.LostEdits(overwritten, edits));
            Assert.Single(FleetChecks.LostEdits(otherPort, edits));
        }

        [Fact]
        public void TheDigestIgnoresTimesAndPropertyOrderButNotVerdicts()
        {
            PSObject Result(bool exposed, string rule, System.DateTime at, bool reversed)
            {
                var o = new PSObject();
                var props = new List<PSNoteProperty>
                {
                    new PSNoteProperty("InstanceId", "ins-00000001"),
                    new PSNoteProperty("Exposed", exposed),
                    new PSNoteProperty("UdpV4", new Dictionary<string, object> { ["Open"] = exposed, ["DecidingRule"] = rule }),
                    new PSNoteProperty("CheckedAt", at),
                };
                if (reversed) props.Reverse();
                foreach (PSNoteProperty p in props) o.Properties.Add(p);
                return o;
            }
            string a = ResultDigest.Hash(Result(true, "sg-a#0", new System.DateTime(2026, 1, 1), false));
            Assert.Equal(a, ResultDigest.Hash(Result(true, "sg-a#0", new System.DateTime(2026, 2, 2), true)));
            Assert.NotEqual(a, ResultDigest.Hash(Result(false, "sg-a#0", new System.DateTime(2026, 1, 1), false)));
            Assert.NotEqual(a, ResultDigest.Hash(Result(true, "sg-a#1", new System.DateTime(2026, 1, 1), false)));
            Assert.Equal("ins-00000001", ResultDigest.InstanceIdOf(Result(true, "x", System.DateTime.Now, false)));
        }
    }
}
