using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Port53.Cmdlets;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Cmdlets
{
    /// <summary>Completion on the real cmdlets, against the demo fleet: every id parameter completes, without API calls.</summary>
    public class CompletionCoverageTests : IClassFixture<EmulatorSession>
    {
        private readonly EmulatorSession _ps;

        public CompletionCoverageTests(EmulatorSession ps)
        {
            _ps = ps;
            _ps.Restore();
        }

        public static IEnumerable<object[]> Completed() => new[]
        {
            new object[] { "Region", typeof(RegionCompleter) },
            new object[] { "InstanceId", typeof(InstanceIdCompleter) },
            new object[] { "InstanceId", typeof(LighthouseInstanceIdCompleter) },
            new object[] { "SecurityGroupId", typeof(SecurityGroupIdCompleter) },
        };

        [Theory]
        [MemberData(nameof(Completed))]
        public void EveryExportedCmdletCompletesTheParameter(string parameter, System.Type completer)
        {
            PsResult r = _ps.Run("Get-Command -Module Port53");
            r.AssertNoErrors();
            var missing = new List<string>();
            int seen = 0;
            foreach (CmdletInfo cmdlet in r.Output.Select(o => (CmdletInfo)o.BaseObject))
            {
                if (!cmdlet.Parameters.TryGetValue(parameter, out ParameterMetadata p)) continue;
                // -Region of Get-TcEmulatorRequest filters the emulator's log, which may name any region.
                if (cmdlet.Name == "Get-TcEmulatorRequest") continue;
                // Lighthouse ids (lhins-) and CVM ids (ins-) complete from their own recent lists.
                if (parameter == "InstanceId" && cmdlet.Name.StartsWith("Get-TcLighthouse") != (completer == typeof(LighthouseInstanceIdCompleter))) continue;
                seen++;
                if (!p.Attributes.OfType<ArgumentCompleterAttribute>().Any(a => a.Type == completer)) missing.Add(cmdlet.Name);
            }
            Assert.True(seen >= (completer == typeof(LighthouseInstanceIdCompleter) ? 2 : 3), "fewer cmdlets than expected have -" + parameter);
            Assert.Empty(missing);
        }

        [Fact]
        public void GroupsListedByGetTcSecurityGroupCompleteWithTheirNamesAndNoCall()
        {
            _ps.RunConnected("Get-TcSecurityGroup -Region ap-shanghai | Out-Null").AssertNoErrors();
            int before = _ps.Server.Requests.Count;
            List<CompletionResult> groups = _ps.Complete("Test-TcPort53 -Region ap-shanghai -SecurityGroupId sg-p");
            Assert.Equal(new[] { "sg-plist001", "sg-prange01" }, groups.Texts().OrderBy(t => t));
            Assert.Contains("tcp-list-53-80", groups.Single(g => g.CompletionText == "sg-plist001").ToolTip);
            Assert.Equal(before, _ps.Server.Requests.Count);
        }

        [Fact]
        public void InstancesSeenByTestTcPort53sInputCompleteForBlock()
        {
            _ps.RunConnected("Get-TcInstance -Region ap-beijing | Test-TcPort53 | Out-Null").AssertNoErrors();
            int before = _ps.Server.Requests.Count;
            List<string> ids = _ps.Complete("Get-TcSecurityGroupRule -InstanceId ins-bj").Texts();
            Assert.Equal(new[] { "ins-bjaddr01", "ins-bjblock1", "ins-bjipv601" }, ids.OrderBy(t => t));
            Assert.Equal(before, _ps.Server.Requests.Count);
        }
    }
}
