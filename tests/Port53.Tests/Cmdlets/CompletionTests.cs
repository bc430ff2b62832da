using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using Port53.Cmdlets;
using Port53.Credentials;
using Port53.Session;
using Port53.Tests.Api;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Cmdlets
{
    public enum TestAddressFamily
    {
        IPv4,
        IPv6,
    }

    /// <summary>
    /// A cmdlet of the tests with the parameter shapes the coming cmdlets will have: an enum (-AddressFamily), a
    /// ValidateSet (-Protocol), and -SecurityGroupId with the module's completer. It does nothing.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "Port53Completion")]
    public sealed class TestPort53CompletionCommand : PSCmdlet
    {
        [Parameter] public TestAddressFamily AddressFamily { get; set; }

        [Parameter]
        [ValidateSet("TCP", "UDP")]
        public string Protocol { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(SecurityGroupIdCompleter))]
        public string[] SecurityGroupId { get; set; }

        [Parameter] public string[] Region { get; set; }
    }

    internal static class CompletionExtensions
    {
        /// <summary>What Tab offers at the end of <paramref name="input"/>, as TabExpansion2 (which PSReadLine calls) answers.</summary>
        public static List<CompletionResult> Complete(this PowerShellSession ps, string input)
        {
            PsResult r = ps.Run("(TabExpansion2 -inputScript $port53Input -cursorColumn $port53Input.Length).CompletionMatches",
                new Dictionary<string, object> { ["port53Input"] = input });
            r.AssertNoErrors();
            return r.Output.Select(o => Assert.IsType<CompletionResult>(o.BaseObject)).ToList();
        }

        public static List<string> Texts(this IEnumerable<CompletionResult> results) => results.Select(c => c.CompletionText).ToList();
    }

    public class CompletionTests : IClassFixture<FleetSession>
    {
        private readonly FleetSession _ps;

        public CompletionTests(FleetSession ps)
        {
            _ps = ps;
            _ps.Fleet.Override = null;
            _ps.Run("Import-Module '" + typeof(TestPort53CompletionCommand).Assembly.Location + "'").AssertNoErrors();
        }

        private int Requests => _ps.Fleet.Server.RequestCount;

        [Fact]
        public void RegionsCompleteFromTheCachedListWithTheirNames()
        {
            _ps.RunConnected("Get-TcRegion | Out-Null").AssertNoErrors();
            int before = Requests;

            List<CompletionResult> all = _ps.Complete("Get-TcInstance -Region ");
            Assert.Equal(new[] { "*", "ap-beijing", "ap-chengdu", "ap-guangzhou", "ap-shanghai" }, all.Texts());
            CompletionResult shanghai = all.Single(c => c.CompletionText == "ap-shanghai");
            Assert.Equal("Name of ap-shanghai", shanghai.ToolTip);
            Assert.StartsWith("ap-shanghai", shanghai.ListItemText);
            Assert.EndsWith("  Name of ap-shanghai", shanghai.ListItemText);
            Assert.Equal(CompletionResultType.ParameterValue, shanghai.ResultType);
            Assert.Contains("UNAVAILABLE", all.Single(c => c.CompletionText == "ap-beijing").ToolTip);
            Assert.Equal(Port53.Resources.Strings.Core["CompletionAllRegions"], all[0].ToolTip);
            // The names line up: every list item puts its name in the same column.
            Assert.Single(all.Select(c => c.ListItemText.Length - c.ToolTip.Length).Distinct());

            Assert.Equal(new[] { "ap-shanghai" }, _ps.Complete("Get-TcInstance -Region ap-sh").Texts());
            Assert.Equal(new[] { "ap-guangzhou" }, _ps.Complete("Get-TcInstance -Region AP-G").Texts());
            Assert.Equal(new[] { "ap-chengdu", "ap-shanghai" }, _ps.Complete("Get-TcInstance -Region ap-?h").Texts());
            Assert.Equal(new[] { "ap-guangzhou" }, _ps.Complete("Get-TcInstance -Region 'ap-g").Texts());
            Assert.Equal(new[] { "ap-chengdu" }, _ps.Complete("Get-TcRegion -Name ap-c").Texts());
            Assert.Equal(new[] { "ap-chengdu" }, _ps.Complete("Get-TcRegion ap-c").Texts());
            Assert.Equal(new[] { "ap-guangzhou" }, _ps.Complete("Connect-TcAccount -Region ap-g").Texts());
            Assert.Equal(new[] { "ap-shanghai" }, _ps.Complete("Get-TcInstance -Region ap-guangzhou, ap-s").Texts());
            Assert.Empty(_ps.Complete("Get-TcInstance -Region xx-"));
            Assert.Equal(before, Requests);
        }

        [Fact]
        public void WithNothingCachedOneDescribeRegionsCallServesEveryLaterCompletionAndCmdlet()
        {
            _ps.RunConnected("$null").AssertNoErrors();
            int before = _ps.CountOf("DescribeRegions");
            Assert.Equal("Name of ap-chengdu", Assert.Single(_ps.Complete("Get-TcInstance -Region ap-ch")).ToolTip);
            Assert.Equal(before + 1, _ps.CountOf("DescribeRegions"));
            Assert.Equal(new[] { "ap-guangzhou" }, _ps.Complete("Get-TcInstance -Region ap-g").Texts());
            var r = _ps.Run("(Get-TcInstance -Region ap-sh*).Count");
            r.AssertNoErrors();
            Assert.Equal(2, r.Output.Single().BaseObject);
            Assert.Equal(before + 1, _ps.CountOf("DescribeRegions"));
        }

        [Fact]
        public void AFailedLookupOffersThePublicRegionsWithoutAnErrorAndIsNotRepeatedAtOnce()
        {
            _ps.RunConnected("$null").AssertNoErrors();
            _ps.Fleet.Override = q => q.Action == "DescribeRegions" ? FakeReply.Error("AuthFailure.UnauthorizedOperation", "not allowed") : null;
            int before = _ps.CountOf("DescribeRegions");
            List<CompletionResult> offered = _ps.Complete("Get-TcInstance -Region ap-");
            Assert.Contains("ap-jakarta", offered.Texts());
            Assert.Equal("South China (Guangzhou)", offered.Single(c => c.CompletionText == "ap-guangzhou").ToolTip);
            Assert.Equal(before + 1, _ps.CountOf("DescribeRegions"));
            Assert.Contains("eu-frankfurt", _ps.Complete("Get-TcInstance -Region eu").Texts());
            Assert.Equal(before + 1, _ps.CountOf("DescribeRegions"));
            // The failure was completion's own: the cmdlet still asks, and reports what went wrong.
            var r = _ps.Run("Get-TcInstance -Region *");
            Assert.StartsWith("TencentCloud.AuthFailure.UnauthorizedOperation", r.SingleFailure().FullyQualifiedErrorId);
        }

        [Fact]
        public void AServerThatDoesNotAnswerCostsOneBoundedWaitThenThePublicRegions()
        {
            _ps.RunConnected("$null").AssertNoErrors();
            _ps.Fleet.Override = q => q.Action == "DescribeRegions" ? FakeReply.NoAnswer() : null;
            Assert.Equal(new[] { "sa-saopaulo" }, _ps.Complete("Get-TcInstance -Region sa-").Texts());
        }

        [Fact]
        public void AnUnreachableEndpointOffersThePublicRegions()
        {
            Uri closed;
            using (var server = new FakeServer(_ => FakeReply.Ok())) closed = server.BaseUri;
            var variables = _ps.Variables();
            variables["ep"] = closed.GetLeftPart(UriPartial.Authority);
            _ps.Run(FleetSession.Connect, variables).AssertNoErrors();
            Assert.Equal(new[] { "na-ashburn", "na-siliconvalley" }, _ps.Complete("Get-TcInstance -Region na-").Texts());
        }

        [Fact]
        public void InstanceIdsCompleteFromWhatGetTcInstanceEmittedWithoutAnyRequest()
        {
            _ps.RunConnected("Get-TcInstance -Region ap-guangzhou, ap-shanghai | Out-Null").AssertNoErrors();
            int before = Requests;

            List<CompletionResult> all = _ps.Complete("Get-TcInstance -InstanceId ");
            Assert.Equal(new[] { "ins-gz000001", "ins-gz000002", "ins-gz000003", "ins-sh000001", "ins-sh000002" }, all.Texts().OrderBy(t => t, StringComparer.Ordinal));
            CompletionResult web = all.Single(c => c.CompletionText == "ins-gz000001");
            Assert.Equal("ins-gz000001", web.ListItemText);
            Assert.Equal("web-1 (ap-guangzhou)", web.ToolTip);
            Assert.Equal("web-sh-2 (ap-shanghai)", all.Single(c => c.CompletionText == "ins-sh000002").ToolTip);

            Assert.Equal(new[] { "ins-sh000001", "ins-sh000002" }, _ps.Complete("Get-TcInstance -InstanceId INS-SH").Texts().OrderBy(t => t, StringComparer.Ordinal));
            Assert.Equal(new[] { "ins-gz000002", "ins-gz000003" }, _ps.Complete("Get-TcInstance -InstanceId db-1").Texts().OrderBy(t => t, StringComparer.Ordinal));
            Assert.Equal(new[] { "ins-gz000002", "ins-gz000003" }, _ps.Complete("Get-TcInstance -Id ins-g*[23]").Texts().OrderBy(t => t, StringComparer.Ordinal));
            Assert.Equal(new[] { "ins-gz000003" }, _ps.Complete("Get-TcInstance ins-gz000003").Texts());
            Assert.Equal(new[] { "ins-sh000001", "ins-sh000002" },
                _ps.Complete("Get-TcInstance -Region ap-shanghai -InstanceId ").Texts().OrderBy(t => t, StringComparer.Ordinal));
            Assert.Equal(before, Requests);
        }

        [Fact]
        public void TheNewestIdsComeFirst()
        {
            _ps.RunConnected("Get-TcInstance -Region ap-guangzhou | Out-Null\nGet-TcInstance -Region ap-shanghai | Out-Null\nGet-TcInstance -InstanceId ins-gz000002 | Out-Null").AssertNoErrors();
            Assert.Equal(new[] { "ins-gz000002", "ins-sh000002", "ins-sh000001" }, _ps.Complete("Get-TcInstance -InstanceId ").Texts().Take(3));
        }

        [Fact]
        public void SecurityGroupIdsOfEmittedInstancesComplete()
        {
            _ps.RunConnected("Get-TcInstance -Region ap-guangzhou -Name web-1 | Out-Null").AssertNoErrors();
            int before = Requests;
            List<CompletionResult> groups = _ps.Complete("Test-Port53Completion -SecurityGroupId sg-");
            Assert.Equal(new[] { "sg-0000000a", "sg-0000000b" }, groups.Texts().OrderBy(t => t, StringComparer.Ordinal));
            Assert.Equal("(ap-guangzhou)", groups[0].ToolTip);
            // A later source that knows the group's name labels it; a nameless sighting keeps the name.
            TcSessionState.For(_ps.Runspace).Recent.Remember(TcIdKind.SecurityGroup, "sg-0000000a", "dns-servers", "ap-guangzhou");
            TcSessionState.For(_ps.Runspace).Recent.Remember(TcIdKind.SecurityGroup, "sg-0000000a", null, null);
            Assert.Equal("dns-servers (ap-guangzhou)", Assert.Single(_ps.Complete("Test-Port53Completion -SecurityGroupId dns")).ToolTip);
            Assert.Equal(new[] { "sg-0000000a" }, _ps.Complete("Test-Port53Completion -Region ap-guangzhou -SecurityGroupId sg-0000000a").Texts());
            Assert.Empty(_ps.Complete("Test-Port53Completion -Region ap-shanghai -SecurityGroupId sg-"));
            Assert.Equal(before, Requests);
        }

        [Fact]
        public void NothingSeenYetOffersNothing()
        {
            _ps.RunConnected("$null").AssertNoErrors();
            int before = Requests;
            Assert.Empty(_ps.Complete("Get-TcInstance -InstanceId "));
            Assert.Empty(_ps.Complete("Test-Port53Completion -SecurityGroupId "));
            Assert.Equal(before, Requests);
        }

        [Fact]
        public void AccountAndContextNamesCompleteFromTheSessionsContextsWithoutAnyRequest()
        {
            _ps.Run("Disconnect-TcAccount").AssertNoErrors();
            _ps.Run("Connect-TcAccount -SecretId AKIDfirstfirstfirst -SecretKey (ConvertTo-SecureString k -AsPlainText -Force) -Name 'prod east' -Endpoint $ep\n" +
                    "Connect-TcAccount -SecretId AKIDsecondsecondsec -SecretKey (ConvertTo-SecureString k -AsPlainText -Force) -Name test -Endpoint $ep",
                _ps.Variables()).AssertNoErrors();
            int before = Requests;
            Assert.Equal(new[] { "(Get-TcContext -Name 'prod east')", "(Get-TcContext -Name 'test')" }, _ps.Complete("Get-TcInstance -Account ").Texts());
            Assert.Equal(new[] { "(Get-TcContext -Name 'test')" }, _ps.Complete("Block-TcPort53 -Account te").Texts());
            Assert.Equal(new[] { "'prod east'" }, _ps.Complete("Disconnect-TcAccount -Name pr").Texts());
            Assert.Equal(new[] { "test" }, _ps.Complete("Get-TcContext -Name t").Texts());
            Assert.Equal(before, Requests);
            // What the completion gives is a command that runs.
            PsResult r = _ps.Run("(Get-TcContext -Name 'prod east').SecretId");
            r.AssertNoErrors();
            Assert.StartsWith("AKID", (string)Assert.Single(r.Output).BaseObject);
            _ps.Run("Disconnect-TcAccount").AssertNoErrors();
        }

        [Fact]
        public void ConnectingOrDisconnectingForgetsTheIdsOfTheAccountTheyCameFrom()
        {
            _ps.RunConnected("Get-TcInstance | Out-Null").AssertNoErrors();
            Assert.NotEmpty(_ps.Complete("Get-TcInstance -InstanceId "));
            _ps.RunConnected("$null").AssertNoErrors();
            Assert.Empty(_ps.Complete("Get-TcInstance -InstanceId "));
            _ps.RunConnected("Get-TcInstance | Out-Null").AssertNoErrors();
            _ps.Run("Disconnect-TcAccount").AssertNoErrors();
            Assert.Empty(_ps.Complete("Get-TcInstance -InstanceId "));
        }

        [Fact]
        public void EachRunspaceCompletesOnlyTheIdsItHasSeen()
        {
            using (var other = new PowerShellSession())
            {
                _ps.RunConnected("Get-TcInstance -Region ap-guangzhou | Out-Null").AssertNoErrors();
                other.Run(FleetSession.Connect + "Get-TcInstance -Region ap-shanghai | Out-Null", _ps.Variables()).AssertNoErrors();
                Assert.Equal(new[] { "ins-gz000001", "ins-gz000002", "ins-gz000003" },
                    _ps.Complete("Get-TcInstance -InstanceId ").Texts().OrderBy(t => t, StringComparer.Ordinal));
                Assert.Equal(new[] { "ins-sh000001", "ins-sh000002" },
                    other.Complete("Get-TcInstance -InstanceId ").Texts().OrderBy(t => t, StringComparer.Ordinal));
            }
        }

        [Fact]
        public void EnumAndValidateSetParametersCompleteNatively()
        {
            Assert.Equal(new[] { "IPv4", "IPv6" }, _ps.Complete("Test-Port53Completion -AddressFamily ip").Texts());
            Assert.Equal(new[] { "UDP" }, _ps.Complete("Test-Port53Completion -Protocol u").Texts());
            Assert.Equal(new[] { "RUNNING" }, _ps.Complete("Get-TcInstance -State RUN").Texts());
        }

        [Fact]
        public void AFailingCompleterReturnsNothingInsteadOfThrowing()
        {
            // "[" is not a valid wildcard pattern, so matching it throws inside the completer.
            Assert.Empty(new RegionCompleter().CompleteArgument("Get-TcInstance", "Region", "[", null, null));
            Assert.Empty(new InstanceIdCompleter().CompleteArgument("Get-TcInstance", "InstanceId", "[", null, null));
            Assert.Empty(_ps.Complete("Get-TcInstance -Region ["));
        }
    }

    /// <summary>The recent-id store on its own: bounded, newest first, thread-safe.</summary>
    public class RecentIdStoreTests
    {
        [Fact]
        public void TheStoreKeepsTheNewestThousandOfEachKind()
        {
            var store = new TcRecentIds();
            Assert.Equal(1000, store.Capacity);
            for (int i = 0; i <= store.Capacity; i++) store.Remember(TcIdKind.Instance, "ins-" + i.ToString("d8"), "n" + i, "ap-guangzhou");
            store.Remember(TcIdKind.SecurityGroup, "sg-00000001", null, "ap-guangzhou");
            IReadOnlyList<TcRecentId> instances = store.Recall(TcIdKind.Instance);
            Assert.Equal(store.Capacity, instances.Count);
            Assert.DoesNotContain(instances, r => r.Id == "ins-00000000");
            Assert.Equal("ins-00001000", instances[0].Id);
            Assert.Equal("ins-00000001", instances[instances.Count - 1].Id);
            Assert.Single(store.Recall(TcIdKind.SecurityGroup));
        }

        [Fact]
        public void SeeingAnIdAgainMakesItTheNewestSoItOutlivesOthers()
        {
            var store = new TcRecentIds(capacity: 3);
            foreach (string id in new[] { "ins-00000001", "ins-00000002", "ins-00000003" }) store.Remember(TcIdKind.Instance, id, null, null);
            store.Remember(TcIdKind.Instance, "INS-00000001", "web", "ap-shanghai");
            store.Remember(TcIdKind.Instance, "ins-00000004", null, null);
            Assert.Equal(new[] { "ins-00000004", "ins-00000001", "ins-00000003" }, store.Recall(TcIdKind.Instance).Select(r => r.Id.ToLowerInvariant()));
            Assert.Equal("web (ap-shanghai)", store.Recall(TcIdKind.Instance)[1].Label);
            Assert.Equal("ins-00000004", store.Recall(TcIdKind.Instance)[0].Label);
            store.Remember(TcIdKind.Instance, " ", "blank", null);
            store.Remember(TcIdKind.Instance, null, "none", null);
            Assert.Equal(3, store.Recall(TcIdKind.Instance).Count);
        }

        [Fact]
        public async Task ManyWritersAndReadersAtOnceKeepTheStoreConsistent()
        {
            var store = new TcRecentIds(capacity: 100);
            Task[] writers = Enumerable.Range(0, 8).Select(w => Task.Run(() =>
            {
                for (int i = 0; i < 2000; i++)
                {
                    store.Remember(TcIdKind.Instance, "ins-" + (i % 300).ToString("d8"), "w" + w, "ap-guangzhou");
                    if (i % 50 == 0) Assert.True(store.Recall(TcIdKind.Instance).Count <= 100);
                }
            })).ToArray();
            await Task.WhenAll(writers);
            IReadOnlyList<TcRecentId> kept = store.Recall(TcIdKind.Instance);
            Assert.Equal(100, kept.Count);
            Assert.Equal(100, kept.Select(r => r.Id).Distinct().Count());
        }
    }

    /// <summary>Completion with no credentials anywhere: the process environment is emptied, so these run alone.</summary>
    [Collection(ProcessEnvironmentCollection.Name)]
    public class CompletionWithoutCredentialsTests : WithoutCredentialsTests
    {
        // Completion must not look for an instance role: a metadata service that answers would be asked, and
        // its request logged.
        public CompletionWithoutCredentialsTests(FleetSession ps) : base(ps, ps.Fleet.Endpoint + "/metadata/")
        {
        }

        [Fact]
        public void ThePublicRegionsCompleteWithTheirNamesAndNothingIsAsked()
        {
            int before = _ps.Fleet.Server.RequestCount;
            List<CompletionResult> china = _ps.Complete("Get-TcInstance -Region ap-");
            Assert.Contains("ap-guangzhou", china.Texts());
            Assert.Contains("ap-hongkong", china.Texts());
            Assert.All(china, c => Assert.StartsWith("ap-", c.CompletionText));
            Assert.Equal("East China (Shanghai)", china.Single(c => c.CompletionText == "ap-shanghai").ToolTip);
            Assert.Equal(new[] { "eu-frankfurt" }, _ps.Complete("Connect-TcAccount -Region eu-").Texts());
            Assert.Equal("*", _ps.Complete("Get-TcRegion -Name ").First().CompletionText);
            Assert.Empty(_ps.Complete("Get-TcInstance -InstanceId "));
            Assert.Equal(before, _ps.Fleet.Server.RequestCount);
        }

        [Fact]
        public void CredentialsInTheEnvironmentAreUsedToLoadTheAccountsRegions()
        {
            _env.Set(TcCredentialChain.SecretIdVariable, FakeFleet.SecretId).Set(TcCredentialChain.SecretKeyVariable, FakeFleet.SecretKey)
                .Set(TcCredentialChain.EndpointVariable, _ps.Fleet.Endpoint);
            int before = _ps.CountOf("DescribeRegions");
            Assert.Equal("Name of ap-chengdu", Assert.Single(_ps.Complete("Get-TcInstance -Region ap-c")).ToolTip);
            Assert.Equal(before + 1, _ps.CountOf("DescribeRegions"));
        }

        [Fact]
        public void AnInvalidEndpointVariableOffersThePublicRegions()
        {
            _env.Set(TcCredentialChain.SecretIdVariable, FakeFleet.SecretId).Set(TcCredentialChain.SecretKeyVariable, FakeFleet.SecretKey)
                .Set(TcCredentialChain.EndpointVariable, "gopher://x");
            Assert.Equal("Southeast Asia (Bangkok)", Assert.Single(_ps.Complete("Get-TcInstance -Region ap-ba")).ToolTip);
        }
    }
}
