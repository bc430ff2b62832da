using System.Linq;
using System.Management.Automation;
using Port53.Model;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Cmdlets
{
    /// <summary>
    /// A blank selector (a blank key, an empty value list, a $null from a variable that was never set) must never
    /// widen a selection: piped into Block-TcPort53 -Force, a widened listing writes to the whole fleet. Each case
    /// runs that pipeline against the in-process emulator and asserts that the selector fails at binding, before
    /// any listing or write.
    /// </summary>
    public class BlankSelectorTests : InProcessEmulatorTests<EmulatorFixture>, IClassFixture<EmulatorFixture>
    {
        public BlankSelectorTests(EmulatorFixture emu, PowerShellSession ps) : base(emu, ps)
        {
        }

        private void AssertRefusedBeforeAnyCall(PsResult r, string parameter, params string[] named)
        {
            ErrorRecord error = r.SingleFailure();
            Assert.StartsWith("ParameterArgumentValidationError", error.FullyQualifiedErrorId);
            Assert.IsAssignableFrom<ParameterBindingException>(error.Exception);
            Assert.Equal(parameter, ((ParameterBindingException)error.Exception).ParameterName);
            foreach (string text in named) Assert.Contains(text, error.Exception.Message);
            Assert.Empty(r.Output);
            Assert.DoesNotContain(Emu.Server.Requests, q => q.Action != "DescribeRegions");
        }

        [Theory]
        [InlineData("-Tag @{ '' = 'dns' }", "Tag", "''")]
        [InlineData("-Tag @{ '  ' = 'dns' }", "Tag", "'  '")]
        [InlineData("-Filter @{ 'tag-key' = '' }", "Filter", "tag-key")]
        [InlineData("-Filter @{ 'tag-key' = $null }", "Filter", "tag-key")]
        [InlineData("-Filter @{ 'tag-key' = @() }", "Filter", "tag-key")]
        [InlineData("-Filter @{ 'tag-key' = 'env', ' ' }", "Filter", "tag-key")]
        [InlineData("-Filter @{ '' = 'env' }", "Filter", "''")]
        [InlineData("-Filter @{}", "Filter")]
        [InlineData("-Tag @{}", "Tag")]
        [InlineData("-Tag @{ env = $null }", "Tag", "env", "'*'")]
        [InlineData("-Tag @{ env = @() }", "Tag", "env", "'*'")]
        [InlineData("-Tag @{ env = '' }", "Tag", "env", "'*'")]
        [InlineData("-Name ' '", "Name", "' '")]
        [InlineData("-Name 'web-1', ''", "Name", "''")]
        [InlineData("-Zone $null", "Zone")]
        [InlineData("-Zone ' '", "Zone", "' '")]
        [InlineData("-VpcId @()", "VpcId")]
        [InlineData("-VpcId ''", "VpcId", "''")]
        [InlineData("-State @()", "State")]
        [InlineData("-Region ' '", "Region", "' '")]
        public void ABlankSelectorOfGetTcInstanceWritesNothing(string selector, string parameter, params string[] named)
        {
            var r = RunConnected("Get-TcInstance " + selector + " | Block-TcPort53 -Force");
            AssertRefusedBeforeAnyCall(r, parameter, named);
        }

        [Theory]
        [InlineData("Get-TcSecurityGroup -Name ' '", "Name")]
        [InlineData("Get-TcSecurityGroup -Region ''", "Region")]
        [InlineData("Get-TcSecurityGroupRule -SecurityGroupId sg-allopen1 -Region ' '", "Region")]
        [InlineData("Test-TcPort53 -InstanceId ins-gzweb001 -Region ' '", "Region")]
        [InlineData("Get-TcRegion -Name ' '", "Name")]
        public void ABlankSelectorOfTheAuditCmdletsIsABindingError(string command, string parameter)
        {
            var r = RunConnected(command);
            AssertRefusedBeforeAnyCall(r, parameter);
        }

        // A blank region used to fall back to the session's default region, where the named instance may well be.
        [Theory]
        [InlineData("Block-TcPort53 -InstanceId ins-gzweb001 -Region ' ' -Force", "Region")]
        [InlineData("Unblock-TcPort53 -InstanceId ins-gzweb001 -Region '' -Force", "Region")]
        public void ABlankRegionOfTheChangeCmdletsIsABindingError(string command, string parameter)
        {
            var r = RunConnected(command);
            AssertRefusedBeforeAnyCall(r, parameter);
        }

        [Fact]
        public void AStarTagValueMatchesAnyValueOfTheKey()
        {
            var r = RunConnected("Get-TcInstance -Region * -Tag @{ team = '*' }");
            r.AssertNoErrors();
            var fleet = Emu.Server.GetState().Instances;
            string[] expected = fleet.Where(i => i.Tags.Any(t => t.Key == "team")).Select(i => i.InstanceId).OrderBy(x => x).ToArray();
            // No tag value is '*' (Tencent allows letters, digits, spaces and + - = . _ : / @), so only "any value" finds these.
            Assert.NotEmpty(expected);
            Assert.Equal(expected, r.Output.Select(o => ((TcInstance)o.BaseObject).InstanceId).OrderBy(x => x));
        }

        [Fact]
        public void AnExposureNamingNoTargetIsAnErrorNotEveryGroup()
        {
            var r = RunConnected("[Port53.Model.TcPort53Exposure]@{ Region = 'ap-guangzhou' } | Get-TcSecurityGroup | Block-TcPort53 -Force");
            ErrorRecord error = r.SingleFailure();
            Assert.Equal("Port53.ExposureWithoutTarget,Port53.Cmdlets.GetTcSecurityGroupCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Contains("InstanceId", error.Exception.Message);
            Assert.Empty(r.Output);
            Assert.DoesNotContain(Emu.Server.Requests, q => q.Action != "DescribeRegions");
        }

        [Fact]
        public void ABlankFaultActionDoesNotSpreadFaultsToEveryAction()
        {
            var r = Ps.Run("Set-TcEmulatorFault -Endpoint $url -FaultAction '' -InternalErrorRate 1",
                new System.Collections.Generic.Dictionary<string, object> { ["url"] = Emu.BaseUrl.ToString() });
            ErrorRecord error = r.SingleFailure();
            Assert.StartsWith("ParameterArgumentValidationError", error.FullyQualifiedErrorId);
            Assert.Equal("FaultAction", ((ParameterBindingException)error.Exception).ParameterName);
            Assert.Equal(0, Emu.Server.Faults.InternalErrorRate);

            r = Ps.Run("Set-TcEmulatorFault -Endpoint $url -FaultAction @() -PassThru",
                new System.Collections.Generic.Dictionary<string, object> { ["url"] = Emu.BaseUrl.ToString() });
            r.AssertNoErrors();
            Assert.Empty(((TcEmulatorFault)r.Output.Single().BaseObject).FaultActions);
        }
    }
}
