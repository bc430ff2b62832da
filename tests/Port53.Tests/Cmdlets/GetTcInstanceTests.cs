using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Port53.Model;
using Port53.Tests.Api;
using Xunit;

namespace Port53.Tests.Cmdlets
{
    public class GetTcInstanceTests : IClassFixture<FleetSession>
    {
        private readonly FleetSession _ps;

        public GetTcInstanceTests(FleetSession ps)
        {
            _ps = ps;
            _ps.Fleet.Override = null;
        }

        private static TcInstance[] Instances(Hosting.PsResult r) => r.Output.Select(o => Assert.IsType<TcInstance>(o.BaseObject)).ToArray();

        [Fact]
        public void ListsTheDefaultRegionAsTypedObjects()
        {
            var r = _ps.RunConnected("Get-TcInstance");
            r.AssertNoErrors();
            TcInstance[] instances = Instances(r);
            Assert.Equal(new[] { "ins-gz000001", "ins-gz000002", "ins-gz000003" }, instances.Select(i => i.InstanceId));
            TcInstance web = instances[0];
            Assert.Equal("ap-guangzhou", web.Region);
            Assert.Equal("web-1", web.InstanceName);
            Assert.Equal("RUNNING", web.State);
            Assert.Equal("ap-guangzhou-3", web.Zone);
            Assert.Equal(new[] { "sg-0000000b", "sg-0000000a" }, web.SecurityGroupIds);
            Assert.Equal(new[] { "203.0.113.1" }, web.PublicIpAddresses);
            Assert.Equal(new[] { "10.0.0.1" }, web.PrivateIpAddresses);
            Assert.Empty(web.Ipv6Addresses);
            Assert.Equal("vpc-00000001", web.VpcId);
            Assert.Equal("subnet-00000001", web.SubnetId);
            Assert.Equal("prod", web.Tags["ENV"]);
            Assert.Equal(new DateTime(2024, 5, 1, 8, 0, 0, DateTimeKind.Utc), web.CreatedTime);
        }

        [Fact]
        public void TagsAndIdsAreReachableFromPowerShell()
        {
            var r = _ps.RunConnected("Get-TcInstance -Region ap-guangzhou | Where-Object { $_.Tags.env -eq 'prod' } | ForEach-Object { $_.SecurityGroupIds[0] }");
            r.AssertNoErrors();
            Assert.Equal("sg-0000000b", Assert.Single(r.Output).BaseObject);
        }

        [Fact]
        public void PipelineObjectsBindInstanceIdAndRegionByPropertyName()
        {
            int before = _ps.CountOf("DescribeInstances");
            var r = _ps.RunConnected(
                "[pscustomobject]@{ InstanceId = 'ins-gz000002'; Region = 'ap-guangzhou' }, " +
                "[pscustomobject]@{ InstanceId = 'ins-sh000001'; Region = 'ap-shanghai' }, " +
                "[pscustomobject]@{ InstanceId = 'ins-gz000003'; Region = 'ap-guangzhou' } | Get-TcInstance");
            r.AssertNoErrors();
            var found = Instances(r).OrderBy(i => i.InstanceId).ToArray();
            Assert.Equal(new[] { "ins-gz000002", "ins-gz000003", "ins-sh000001" }, found.Select(i => i.InstanceId));
            Assert.Equal(new[] { "ap-guangzhou", "ap-guangzhou", "ap-shanghai" }, found.Select(i => i.Region));
            // Ids are gathered per region: one request for Guangzhou's two ids, one for Shanghai's.
            Assert.Equal(2, _ps.CountOf("DescribeInstances") - before);
        }

        [Fact]
        public void OutputOfGetTcInstanceFeedsGetTcInstance()
        {
            var r = _ps.RunConnected("Get-TcInstance -Region ap-shanghai | Get-TcInstance");
            r.AssertNoErrors();
            Assert.Equal(new[] { "ins-sh000001", "ins-sh000002" }, Instances(r).Select(i => i.InstanceId).OrderBy(x => x));
        }

        [Fact]
        public void StarMeansEveryAvailableRegionAndPagesThrough()
        {
            var r = _ps.RunConnected("Get-TcInstance -Region *\nGet-TcInstance -Region 'ap-sh*'");
            r.AssertNoErrors();
            TcInstance[] all = Instances(r);
            Assert.Equal(3 + 2 + 150 + 2, all.Length);
            Assert.Equal(150, all.Count(i => i.Region == "ap-chengdu"));
            Assert.Equal(150, all.Select(i => i.InstanceId).Where(id => id.StartsWith("ins-cd")).Distinct().Count());
            Assert.DoesNotContain(all, i => i.Region == "ap-beijing");
            Assert.Equal(4, all.Count(i => i.Region == "ap-shanghai"));
            Assert.Contains(_ps.Host.Recorder.Progress, p => p.RecordType == ProgressRecordType.Completed);
        }

        [Fact]
        public void TheRegionListIsLoadedOncePerConnection()
        {
            var r = _ps.RunConnected("$null = Get-TcInstance -Region *; $null = Get-TcInstance -Region ap-shanghai; $null = Get-TcInstance -Region *");
            r.AssertNoErrors();
            int before = _ps.CountOf("DescribeRegions");
            r = _ps.Run("$null = Get-TcInstance -Region *; $null = Get-TcInstance -Region ap-shanghai");
            r.AssertNoErrors();
            Assert.Equal(before, _ps.CountOf("DescribeRegions"));
        }

        [Fact]
        public void NamedIdsThatDoNotExistAreOneObjectNotFoundErrorEach()
        {
            var r = _ps.RunConnected("Get-TcInstance -InstanceId ins-gz000001, ins-0000dead, ins-0000beef -Region ap-guangzhou");
            Assert.Null(r.Terminating);
            Assert.Equal("ins-gz000001", Assert.Single(Instances(r)).InstanceId);
            Assert.Equal(2, r.Errors.Count);
            Assert.All(r.Errors, e =>
            {
                Assert.Equal("Port53.InstanceNotFound,Port53.Cmdlets.GetTcInstanceCommand", e.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.ObjectNotFound, e.CategoryInfo.Category);
                Assert.Contains((string)e.TargetObject, e.Exception.Message);
                Assert.Contains("ap-guangzhou", e.Exception.Message);
            });
            Assert.Equal(new[] { "ins-0000dead", "ins-0000beef" }, r.Errors.Select(e => (string)e.TargetObject));
        }

        [Fact]
        public void AnIdFoundInAnyOfTheRegionsIsNotMissing()
        {
            var r = _ps.RunConnected("Get-TcInstance -InstanceId ins-sh000002 -Region *");
            r.AssertNoErrors();
            Assert.Equal("ap-shanghai", Assert.Single(Instances(r)).Region);
        }

        [Fact]
        public void AFilterThatMatchesNothingReturnsNothingAndNoError()
        {
            var r = _ps.RunConnected("Get-TcInstance -Zone ap-guangzhou-9\nGet-TcInstance -InstanceId ins-gz000001 -State STOPPED");
            r.AssertNoErrors();
            Assert.Empty(r.Output);
        }

        [Fact]
        public void AMalformedIdFailsParameterBindingNamingTheValueAndTheForm()
        {
            var r = _ps.RunConnected("Get-TcInstance -InstanceId 'i-bogus'");
            ErrorRecord error = r.SingleFailure();
            Assert.StartsWith("ParameterArgumentValidationError", error.FullyQualifiedErrorId);
            Assert.IsAssignableFrom<ParameterBindingException>(error.Exception);
            Assert.Contains("i-bogus", error.Exception.Message);
            Assert.Contains("ins-xxxxxxxx", error.Exception.Message);
            Assert.Empty(r.Output);
        }

        [Fact]
        public void AnUnknownRegionIsOneErrorAndTheOthersStillAnswer()
        {
            var r = _ps.RunConnected("Get-TcInstance -Region ap-shanghai, mars-north-1");
            Assert.Null(r.Terminating);
            Assert.Equal(2, Instances(r).Length);
            ErrorRecord error = Assert.Single(r.Errors);
            Assert.Equal("Port53.UnknownRegion,Port53.Cmdlets.GetTcInstanceCommand", error.FullyQualifiedErrorId);
            Assert.Equal("mars-north-1", error.TargetObject);
            Assert.Contains("mars-north-1", error.Exception.Message);
            Assert.Contains("Get-TcRegion", error.Exception.Message);
        }

        [Fact]
        public void NameWildcardsMatchClientSideAndExactNamesAreExact()
        {
            var r = _ps.RunConnected("Get-TcInstance -Name 'WEB*'");
            r.AssertNoErrors();
            Assert.Equal("ins-gz000001", Assert.Single(Instances(r)).InstanceId);

            r = _ps.RunConnected("Get-TcInstance -Name db-1");
            r.AssertNoErrors();
            Assert.Equal("ins-gz000002", Assert.Single(Instances(r)).InstanceId);
            var sent = _ps.Fleet.Server.Requests.Last(q => q.Action == "DescribeInstances").Body["Filters"].Single();
            Assert.Equal("instance-name", (string)sent["Name"]);
        }

        [Fact]
        public void TagStateVpcAndRawFiltersBecomeTencentFilters()
        {
            var r = _ps.RunConnected("Get-TcInstance -Tag @{ env = 'prod', 'test' } -State RUNNING");
            r.AssertNoErrors();
            Assert.Equal("ins-gz000001", Assert.Single(Instances(r)).InstanceId);
            var filters = _ps.Fleet.Server.Requests.Last(q => q.Action == "DescribeInstances").Body["Filters"];
            Assert.Contains(filters, f => (string)f["Name"] == "tag:env" && f["Values"].Count() == 2);
            Assert.Contains(filters, f => (string)f["Name"] == "instance-state" && (string)f["Values"][0] == "RUNNING");

            r = _ps.RunConnected("Get-TcInstance -Filter @{ 'vpc-id' = 'vpc-00000002' }\nGet-TcInstance -VpcId vpc-00000002 -Tag @{ team = '*' }");
            r.AssertNoErrors();
            Assert.Equal("ins-gz000003", Assert.Single(Instances(r)).InstanceId);
        }

        [Fact]
        public void BadKeysEndTheCmdletWithOneTencentError()
        {
            var r = _ps.Run(FleetSession.Connect + "Get-TcInstance -Region *\nGet-TcInstance -Region ap-shanghai", _ps.Variables(key: "WrongKeyWrongKeyWrongKey000000"));
            Assert.Empty(r.Output);
            Assert.Equal(2, r.Errors.Count);
            Assert.All(r.Errors, error =>
            {
                Assert.StartsWith("TencentCloud.AuthFailure.SignatureFailure,", error.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
                Assert.Contains("AuthFailure.SignatureFailure", error.Exception.Message);
            });
            Assert.DoesNotContain("WrongKeyWrongKey", r.AllText());
        }

        [Fact]
        public void CredentialsRejectedMidFanOutStopEverythingWithOneError()
        {
            _ps.Fleet.Override = q => q.Action == "DescribeInstances" ? FakeReply.Error("AuthFailure.SecretIdNotFound", "Gone", "req-auth") : null;
            var r = _ps.RunConnected("Get-TcInstance -Region *; 'next statement'");
            ErrorRecord error = r.SingleFailure();
            Assert.StartsWith("TencentCloud.AuthFailure.SecretIdNotFound,", error.FullyQualifiedErrorId);
            Assert.Contains("req-auth", error.Exception.Message);
            Assert.Equal("next statement", Assert.Single(r.Output).BaseObject);
        }

        [Fact]
        public void AFailingRegionIsOneErrorForThatRegion()
        {
            _ps.Fleet.Override = q => q.Action == "DescribeInstances" && q.Region == "ap-shanghai" ? FakeReply.Error("UnsupportedRegion", "Not here", "req-sh") : null;
            var r = _ps.RunConnected("Get-TcInstance -Region ap-guangzhou, ap-shanghai");
            Assert.Null(r.Terminating);
            Assert.Equal(3, Instances(r).Length);
            ErrorRecord error = Assert.Single(r.Errors);
            Assert.Equal("TencentCloud.UnsupportedRegion,Port53.Cmdlets.GetTcInstanceCommand", error.FullyQualifiedErrorId);
            Assert.Equal("ap-shanghai", error.TargetObject);
            Assert.Contains("req-sh", error.Exception.Message);
        }

        [Fact]
        public void VerboseNamesCallsAndRequestIdsButNoSecret()
        {
            var r = _ps.RunConnected("Get-TcInstance -Region ap-shanghai -Verbose");
            r.AssertNoErrors();
            Assert.Contains(r.Verbose, v => v.Contains("DescribeInstances") && v.Contains("RequestId"));
            string all = r.AllText();
            Assert.DoesNotContain(FakeFleet.SecretKey, all);
            Assert.DoesNotContain(FakeFleet.SecretId, all);
        }

        [Fact]
        public async Task StoppingTheCmdletCancelsAHungRequest()
        {
            using (var hung = new SemaphoreSlim(0))
            {
                _ps.Fleet.Override = q =>
                {
                    if (q.Action != "DescribeInstances") return null;
                    hung.Release();
                    return FakeReply.NoAnswer();
                };
                _ps.RunConnected("$null").AssertNoErrors();
                using (PowerShell ps = PowerShell.Create())
                {
                    ps.Runspace = _ps.Runspace;
                    ps.AddScript("Get-TcInstance -Region ap-guangzhou");
                    IAsyncResult running = ps.BeginInvoke();
                    Assert.True(await hung.WaitAsync(TimeSpan.FromSeconds(20)));
                    Task stop = Task.Run(() => ps.Stop());
                    Assert.Same(stop, await Task.WhenAny(stop, Task.Delay(TimeSpan.FromSeconds(20))));
                    Assert.True(running.IsCompleted);
                    Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
                }
            }
        }
    }
}
