using System;
using System.Linq;
using System.Management.Automation;
using Port53.Credentials;
using Port53.Model;
using Port53.Tests.Api;
using Xunit;

namespace Port53.Tests.Cmdlets
{
    public class AccountAndRegionTests : IClassFixture<FleetSession>
    {
        private readonly FleetSession _ps;

        public AccountAndRegionTests(FleetSession ps)
        {
            _ps = ps;
            _ps.Fleet.Override = null;
        }

        [Fact]
        public void ConnectEmitsNothingUnlessPassThru()
        {
            var r = _ps.Run(FleetSession.Connect, _ps.Variables());
            r.AssertNoErrors();
            Assert.Empty(r.Output);
            r = _ps.Run("Connect-TcAccount -SecretId $id -SecretKey $key -Endpoint $ep -PassThru", _ps.Variables());
            r.AssertNoErrors();
            var context = Assert.IsType<TcContext>(Assert.Single(r.Output).BaseObject);
            Assert.Null(context.Region);
        }

        [Fact]
        public void AHungEndpointFailsAfterTheTimeoutTheSessionSetAndSaysHowToChangeIt()
        {
            _ps.Fleet.Override = _ => FakeReply.NoAnswer();
            int before = _ps.Fleet.Server.Requests.Count(q => q.Action == "DescribeRegions");
            var r = _ps.Run("Connect-TcAccount -SecretId $id -SecretKey $key -Endpoint $ep -Region ap-guangzhou -TimeoutSec 1\nGet-TcRegion", _ps.Variables());
            ErrorRecord error = r.SingleFailure();
            Assert.Equal("TencentCloud.ClientNetworkError,Port53.Cmdlets.GetTcRegionCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
            Assert.Contains("DescribeRegions", error.Exception.Message);
            Assert.Contains(" 1 ", error.Exception.Message);
            Assert.Contains("Connect-TcAccount -TimeoutSec", error.Exception.Message);
            // The call is tried twice (the account's GetCallerIdentity, asked alongside, hangs too and is not counted here).
            Assert.Equal(2, _ps.Fleet.Server.Requests.Count(q => q.Action == "DescribeRegions") - before);
        }

        [Fact]
        public void TheContextShowsTheTimeoutAndATimeoutOutOfRangeIsABindingError()
        {
            var r = _ps.Run("Connect-TcAccount -SecretId $id -SecretKey $key -Endpoint $ep -PassThru\nConnect-TcAccount -SecretId $id -SecretKey $key -Endpoint $ep -TimeoutSec 5 -PassThru", _ps.Variables());
            r.AssertNoErrors();
            Assert.Equal(new[] { 30, 5 }, r.Output.Select(o => ((TcContext)o.BaseObject).TimeoutSec));

            r = _ps.Run("Connect-TcAccount -SecretId $id -SecretKey $key -Endpoint $ep -TimeoutSec 0", _ps.Variables());
            Assert.StartsWith("ParameterArgumentValidationError", r.SingleFailure().FullyQualifiedErrorId);
        }

        [Fact]
        public void ContextShowsTheIdentityMaskedAndNeverTheSecrets()
        {
            var variables = _ps.Variables();
            variables["token"] = FleetSession.Secure("SessionTokenThatMustNotLeak");
            var r = _ps.Run("Connect-TcAccount -SecretId $id -SecretKey $key -Token $token -Endpoint $ep -Region ap-shanghai -Verbose\n" +
                "Get-TcContext\n(Get-TcContext).ToString()\n\"$(Get-TcContext)\"", variables);
            r.AssertNoErrors();
            var context = Assert.IsType<TcContext>(r.Output[0].BaseObject);
            Assert.Equal("AKID****MPLE", context.SecretId);
            Assert.Equal(TcCredentialSource.Parameters, context.Source);
            Assert.Equal("ap-shanghai", context.Region);
            Assert.Equal(_ps.Fleet.Endpoint, context.Endpoint);
            Assert.True(context.TokenPresent);
            Assert.Null(context.ExpiresAt);
            string all = r.AllText();
            Assert.Contains("AKID****MPLE", all);
            Assert.DoesNotContain(FakeFleet.SecretId, all);
            Assert.DoesNotContain(FakeFleet.SecretKey, all);
            Assert.DoesNotContain("SessionTokenThatMustNotLeak", all);
        }

        [Fact]
        public void ACredentialObjectWorksLikeKeys()
        {
            var variables = _ps.Variables();
            variables["cred"] = new PSCredential(FakeFleet.SecretId, FleetSession.Secure(FakeFleet.SecretKey));
            var r = _ps.Run("Connect-TcAccount -Credential $cred -Endpoint $ep -Region ap-shanghai\nGet-TcInstance", variables);
            r.AssertNoErrors();
            Assert.Equal(2, r.Output.Count);
        }

        [Fact]
        public void AnInvalidEndpointIsAClearError()
        {
            var r = _ps.Run("Connect-TcAccount -SecretId $id -SecretKey $key -Endpoint 'ftp://nowhere'", _ps.Variables());
            ErrorRecord error = r.SingleFailure();
            Assert.StartsWith("Port53.InvalidEndpoint,", error.FullyQualifiedErrorId);
            Assert.Contains("ftp://nowhere", error.Exception.Message);
        }

        [Fact]
        public void AMissingProfileIsATerminatingErrorNamingIt()
        {
            var r = _ps.Run("Connect-TcAccount -ProfileName no-such-profile-53; 'went on'");
            ErrorRecord error = r.SingleFailure();
            Assert.StartsWith("Port53.ProfileNotFound,", error.FullyQualifiedErrorId);
            Assert.Contains("no-such-profile-53", error.Exception.Message);
        }

        [Fact]
        public void GetTcRegionListsEveryRegionTyped()
        {
            var r = _ps.RunConnected("Get-TcRegion");
            r.AssertNoErrors();
            var regions = r.Output.Select(o => Assert.IsType<TcRegion>(o.BaseObject)).ToList();
            Assert.Equal(new[] { "ap-guangzhou", "ap-shanghai", "ap-chengdu", "ap-beijing" }, regions.Select(x => x.Region));
            Assert.Equal("UNAVAILABLE", regions.Single(x => x.Region == "ap-beijing").RegionState);
            Assert.Equal("Name of ap-shanghai", regions.Single(x => x.Region == "ap-shanghai").RegionName);
        }

        [Fact]
        public void GetTcRegionFiltersByNameAndReportsAMissingName()
        {
            var r = _ps.RunConnected("Get-TcRegion -Name 'AP-SH*'\nGet-TcRegion ap-chengdu\nGet-TcRegion -Name nowhere-1\nGet-TcRegion -Name 'zz*'");
            Assert.Null(r.Terminating);
            Assert.Equal(new[] { "ap-shanghai", "ap-chengdu" }, r.Output.Select(o => ((TcRegion)o.BaseObject).Region));
            ErrorRecord error = Assert.Single(r.Errors);
            Assert.Equal("Port53.RegionNotFound,Port53.Cmdlets.GetTcRegionCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Contains("nowhere-1", error.Exception.Message);
        }

        [Fact]
        public void RegionObjectsBindToGetTcInstance()
        {
            var r = _ps.RunConnected("Get-TcRegion -Name ap-shanghai | Get-TcInstance");
            r.AssertNoErrors();
            Assert.Equal(2, r.Output.Count);
        }
    }
}
