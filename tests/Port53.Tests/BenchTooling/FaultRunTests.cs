using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using System.Threading.Tasks;
using Port53.Api;
using Port53.Benchmarks.Fleet;
using Port53.Cmdlets;
using Port53.Emulator.Faults;
using Port53.Session;
using Port53.Tests.Cmdlets;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.BenchTooling
{
    /// <summary>
    /// A generated fleet for the fault run in small, in-process, with the emulator's rate limits off (the client still
    /// paces itself to Tencent's limits) and no added latency; the session connected to it.
    /// </summary>
    public sealed class FaultRunFixture : GeneratedFleetFixture
    {
        protected override string Spec => "instances=300,regions=3,groups=60,exposed=0.3,seed=7";

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            // The module's attempt and fault budgets, with pauses of milliseconds: the run takes seconds, not a minute.
            TcSessionState.For(Session.Runspace).Retry = new TcRetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(40) };
            Session.Run("Connect-TcAccount -SecretId $id -SecretKey $key -Endpoint $ep -Region ap-guangzhou", new Dictionary<string, object>
            {
                ["id"] = Server.SecretId,
                ["key"] = FleetSession.Secure(Server.SecretKey),
                ["ep"] = Server.BaseUrl.GetLeftPart(UriPartial.Authority),
            }).AssertNoErrors();
        }
    }

    /// <summary>
    /// The fleet benchmark's fault run (bench/README.md, "Faults") at 300 instances, with its fault mix and its
    /// checks (Fleet/FleetExpectations.cs): 30 % RequestLimitExceeded, 5 % InternalError, 2 % connection resets and a
    /// concurrent editor on 20 % of rule reads; the audit must equal the fault-free one, every written group must hold
    /// exactly one set of Port53 rules, no concurrent edit may be lost, and the re-audit must find nothing exposed.
    /// </summary>
    public class FaultRunTests : IClassFixture<FaultRunFixture>
    {
        private const string AuditScript = "Get-TcInstance -Region * | Test-TcPort53";

        private readonly FaultRunFixture _f;

        public FaultRunTests(FaultRunFixture fixture) => _f = fixture;

        /// <summary>Instance id → digest of its Test-TcPort53 object, as the benchmark compares them.</summary>
        private Dictionary<string, string> Audit(out List<string> exposed)
        {
            PsResult audit = _f.Session.Run(AuditScript);
            audit.AssertNoErrors();
            exposed = audit.Output.Where(o => LanguagePrimitives.IsTrue(o.Properties["Exposed"].Value)).Select(ResultDigest.InstanceIdOf).ToList();
            return audit.Output.ToDictionary(ResultDigest.InstanceIdOf, ResultDigest.Hash, StringComparer.OrdinalIgnoreCase);
        }

        [Fact]
        public void WithThrottlingFaultsResetsAndAConcurrentEditorTheAuditIsUnchangedAndTheBlockExact()
        {
            _f.Server.Reset();
            FleetState initial = FleetState.Parse(_f.Server.GetStateJson());
            Dictionary<string, string> clean = Audit(out List<string> exposed);
            Assert.Equal(initial.Instances.Count, clean.Count);
            Assert.NotEmpty(exposed);

            _f.Server.SetFaults(new FaultSettings
            {
                RateLimitEnabled = false,
                RequestLimitExceededRate = 0.3,
                InternalErrorRate = 0.05,
                ConnectionResetRate = 0.02,
                ConcurrentEditorRate = 0.2,
                Seed = 53,
            });
            _f.Server.ClearRequests();
            Dictionary<string, string> faulty = Audit(out _);
            List<string> differ = clean.Keys.Union(faulty.Keys).Where(id => !clean.TryGetValue(id, out string a) || !faulty.TryGetValue(id, out string b) || a != b).ToList();
            Assert.True(differ.Count == 0, "audit differs for " + string.Join(", ", differ.Take(5)));

            PsResult block = _f.Session.Run(AuditScript + " | Where-Object Exposed | Block-TcPort53 -Force");
            block.AssertNoErrors();
            FleetState final = FleetState.Parse(_f.Server.GetStateJson());
            IReadOnlyList<FleetGroupKey> written = MinimumCalls.BlockTargets(initial, exposed);
            IReadOnlyList<string> problems = FleetChecks.Port53RuleSetProblems(initial, final, written);
            Assert.True(problems.Count == 0, string.Join("\n", problems));
            List<FleetEdit> edits = FleetEdit.ParseList(JsonSerializer.Serialize(_f.Server.ConcurrentEdits));
            Assert.NotEmpty(edits);
            IReadOnlyList<FleetEdit> lost = FleetChecks.LostEdits(final, edits);
            Assert.True(lost.Count == 0, string.Join("\n", lost));
            Assert.Contains(_f.Server.Requests, r => r.ErrorCode == "UnsupportedOperation.VersionMismatch");

            Audit(out List<string> still);
            Assert.Empty(still);
            // The faults did happen, every kind.
            Assert.Contains(_f.Server.Requests, r => r.ErrorCode == "RequestLimitExceeded");
            Assert.Contains(_f.Server.Requests, r => r.ErrorCode == "InternalError" || r.Fault == "connection-reset");
        }
    }
}
