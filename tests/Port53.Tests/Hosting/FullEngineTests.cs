using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Newtonsoft.Json.Linq;
using Port53.Tests.Cmdlets;
using Xunit;

namespace Port53.Tests.Hosting
{
    /// <summary>
    /// The hosted engine is PowerShell's full engine (InitialSessionState.CreateDefault with the SDK), as in the
    /// shell: the built-in cmdlets a runbook shapes Port53's output with, Port53's format views rendered by
    /// Format-Table, and what each cmdlet really emits against the demo fleet.
    /// </summary>
    public class FullEngineTests : IClassFixture<EmulatorSession>
    {
        private readonly EmulatorSession _ps;

        public FullEngineTests(EmulatorSession ps)
        {
            _ps = ps;
            _ps.Restore();
        }

        private PsResult Ok(string script)
        {
            PsResult r = _ps.RunConnected(script);
            r.AssertNoErrors();
            return r;
        }

        [Fact]
        public void GroupSortSelectAndMeasureShapeTheAuditOfTheDemoFleet()
        {
            // The demo fleet's documented exposure (docs/emulator.md, held by DemoExposure).
            PsResult r = Ok("Get-TcInstance -Region * | Test-TcPort53 | Group-Object Exposed | Sort-Object Name | Select-Object Name, Count");
            int exposed = Port53.Tests.Cmdlets.DemoExposure.Instances.Count(i => i.Exposed);
            int closed = Port53.Tests.Cmdlets.DemoExposure.Instances.Length - exposed;
            Assert.Equal(new[] { "False=" + closed, "True=" + exposed }, r.Output.Select(o => o.Properties["Name"].Value + "=" + o.Properties["Count"].Value));

            r = Ok("(Get-TcInstance -Region * | Measure-Object).Count; Get-TcRegion | Sort-Object Region -Descending | Select-Object -First 1 -ExpandProperty Region");
            Assert.Equal(new object[] { Port53.Tests.Cmdlets.DemoExposure.Instances.Length, "ap-singapore" }, r.Output.Select(o => o.BaseObject));
        }

        [Fact]
        public void ConvertToJsonAndExportCsvCarryTheInstancesFields()
        {
            string csv = Path.Combine(Path.GetTempPath(), "port53-engine-" + Guid.NewGuid().ToString("N") + ".csv");
            try
            {
                PsResult r = Ok("$sorted = Get-TcInstance -Region ap-hongkong | Sort-Object InstanceId | Select-Object InstanceId, Region\n" +
                                "$sorted | Export-Csv -Path '" + csv + "' -NoTypeInformation\n" +
                                "ConvertTo-Json -InputObject @($sorted) -Compress\n" +
                                "Write-Output (Get-Date -Format 'yyyy')");
                JArray json = JArray.Parse((string)r.Output[0].BaseObject);
                Assert.Equal(new[] { "ins-hkdns001", "ins-hkweb001" }, json.Select(j => (string)j["InstanceId"]));
                Assert.All(json, j => Assert.Equal("ap-hongkong", (string)j["Region"]));
                Assert.Equal(new[] { "\"InstanceId\",\"Region\"", "\"ins-hkdns001\",\"ap-hongkong\"", "\"ins-hkweb001\",\"ap-hongkong\"" }, File.ReadAllLines(csv));
                Assert.Equal(DateTime.Now.Year.ToString(), r.Output[1].BaseObject);
            }
            finally
            {
                File.Delete(csv);
            }
        }

        /// <summary>
        /// Format-Table picks the module's view for each model type (an object of that type, emitted by a real
        /// cmdlet); the header line it renders must have the view's columns in order.
        /// </summary>
        [Theory]
        [InlineData("Get-TcInstance -Region ap-hongkong", "Region InstanceId InstanceName State PublicIpAddresses SecurityGroupIds")]
        [InlineData("Get-TcRegion -Name ap-hongkong", "Region RegionName RegionState")]
        [InlineData("Get-TcContext", "Name Default AccountUin SecretId Source Region Endpoint ExpiresAt")]
        [InlineData("Get-TcEmulatorRequest -Action DescribeRegions", "Time AccountUin Service Action Region AccessRegion SecurityGroupId ErrorCode Fault")]
        [InlineData("Get-TcSecurityGroup -Region ap-hongkong", "Region SecurityGroupId Name IsDefault Description")]
        [InlineData("Get-TcSecurityGroupRule -Region ap-hongkong -SecurityGroupId sg-hkweb001", "Index Protocol Port Source Action Description")]
        [InlineData("Get-TcInstance -Region ap-hongkong | Test-TcPort53", "Target Region Exposed UDP/IPv4 TCP/IPv4 UDP/IPv6 TCP/IPv6")]
        [InlineData("Get-TcInstance -Region ap-hongkong | Block-TcPort53 -Force -PassThru", "Time Account Action Status Region Target Rules Version AffectedInstanceIds")]
        [InlineData("Get-TcLighthouseInstance -Region ap-hongkong", "Region InstanceId InstanceName State PublicIpAddresses Ipv6Addresses")]
        [InlineData("Get-TcLighthouseFirewallRule lhins-hkweb001 -Region ap-hongkong", "# AppType Source Protocol Port Action Description")]
        [InlineData("Start-TcEmulator -Demo -PassThru", "Url ProcessId Fleet Regions Instances SecurityGroups Region SecretId")]
        public void EachModelTypeRendersThroughItsTableView(string command, string columns)
        {
            try
            {
                PsResult r = Ok("Get-TcRegion | Out-Null\n" + command + " | Format-Table | Out-String -Width 400");
                string[] lines = ((string)r.Output.Single().BaseObject).Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToArray();
                // The header is the line above the dashes (a grouped view puts its group line first); rows follow.
                int dashes = Array.FindIndex(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, "^-+( +-+)*$"));
                Assert.True(dashes > 0 && dashes < lines.Length - 1, string.Join("\n", lines));
                Assert.Equal(columns, string.Join(" ", lines[dashes - 1].Split(' ', StringSplitOptions.RemoveEmptyEntries)));
            }
            finally
            {
                StopAnyEmulator();
            }
        }

        private void StopAnyEmulator() => _ps.Run("Stop-TcEmulator -ErrorAction SilentlyContinue");

        /// <summary>The cmdlet and the script that makes it emit (connected to the demo fleet).</summary>
        public static IEnumerable<object[]> Emitters() => new[]
        {
            new object[] { "Connect-TcAccount", "Connect-TcAccount -SecretId $id -SecretKey $key -Endpoint $ep -PassThru" },
            new object[] { "Disconnect-TcAccount", "Disconnect-TcAccount" },
            new object[] { "Get-TcContext", "Get-TcContext" },
            new object[] { "Get-TcRegion", "Get-TcRegion" },
            new object[] { "Get-TcOrganizationMember", "Get-TcOrganizationMember" },
            new object[] { "Get-TcInstance", "Get-TcInstance -Region *" },
            new object[] { "Get-TcLighthouseInstance", "Get-TcLighthouseInstance -Region *" },
            new object[] { "Get-TcLighthouseFirewallRule", "Get-TcLighthouseInstance -Region * | Get-TcLighthouseFirewallRule" },
            new object[] { "Test-TcPort53", "Get-TcLighthouseInstance -Region * | Test-TcPort53" },
            new object[] { "Get-TcSecurityGroup", "Get-TcInstance -Region * | Get-TcSecurityGroup" },
            new object[] { "Get-TcSecurityGroupRule", "Get-TcInstance -Region ap-guangzhou | Get-TcSecurityGroupRule" },
            new object[] { "Test-TcPort53", "Get-TcInstance -Region * | Test-TcPort53" },
            new object[] { "Test-TcPort53", "Get-TcInstance -Region * | Test-TcPort53 -Quiet" },
            new object[] { "Block-TcPort53", "Get-TcInstance -Region * | Block-TcPort53 -Force -PassThru" },
            new object[] { "Unblock-TcPort53", "Get-TcInstance -Region * | Block-TcPort53 -Force\nGet-TcInstance -Region * | Unblock-TcPort53 -Force -PassThru" },
            new object[] { "Get-TcEmulatorRequest", "Get-TcRegion | Out-Null\nGet-TcEmulatorRequest" },
            new object[] { "Set-TcEmulatorFault", "Set-TcEmulatorFault -InternalErrorRate 0 -PassThru" },
            new object[] { "Start-TcEmulator", "Start-TcEmulator -Demo -PassThru" },
            new object[] { "Stop-TcEmulator", "Start-TcEmulator -Demo\nStop-TcEmulator" },
        };

        /// <summary>
        /// What a cmdlet really writes to the pipeline is what its [OutputType] (and so Get-Command, tab completion
        /// of properties and the help) declares: nothing for void, else objects of a declared type, at least one.
        /// </summary>
        [Theory]
        [MemberData(nameof(Emitters))]
        public void EachCmdletEmitsOnlyWhatItsOutputTypeDeclares(string cmdlet, string script)
        {
            try
            {
                PsResult r = Ok(script);
                PsResult declared = _ps.Run("(Get-Command " + cmdlet + ").OutputType.Type");
                declared.AssertNoErrors();
                Type[] types = declared.Output.Select(o => (Type)o.BaseObject).ToArray();
                if (types.SequenceEqual(new[] { typeof(void) }))
                {
                    Assert.Empty(r.Output);
                    return;
                }
                Assert.NotEmpty(r.Output);
                foreach (PSObject o in r.Output)
                    Assert.True(types.Any(t => t.IsInstanceOfType(o.BaseObject)),
                        cmdlet + " emitted " + o.BaseObject.GetType() + "; it declares " + string.Join(", ", types.Select(t => t.FullName)));
            }
            finally
            {
                StopAnyEmulator();
            }
        }

        [Fact]
        public void EveryCmdletIsInTheOutputTypeCheck()
        {
            PsResult r = _ps.Run("(Get-Command -Module Port53 -CommandType Cmdlet).Name");
            r.AssertNoErrors();
            Assert.Equal(r.Output.Select(o => o.ToString()).OrderBy(n => n),
                Emitters().Select(e => (string)e[0]).Distinct().OrderBy(n => n));
        }
    }
}
