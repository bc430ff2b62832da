using System.IO;
using System.Linq;
using Port53.Tests.Cmdlets;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Examples
{
    /// <summary>
    /// examples/runbook.ps1 as a scheduler runs it, against the demo fleet: the same scenarios as its Pester test
    /// (examples/runbook.Tests.ps1), which needs pwsh and Pester and so does not run here.
    /// </summary>
    public class RunbookTests : IClassFixture<EmulatorSession>
    {
        private readonly EmulatorSession _ps;
        private readonly string _journal = Path.Combine(Path.GetTempPath(), "port53-runbook-" + System.Guid.NewGuid().ToString("N") + ".jsonl");

        public RunbookTests(EmulatorSession ps)
        {
            _ps = ps;
            _ps.Restore();
        }

        private static string Runbook => Path.Combine(PowerShellSession.RepoRoot, "examples", "runbook.ps1");

        /// <summary>Runs the runbook; returns its summary, exit code and warnings.</summary>
        private (dynamic Summary, int ExitCode, PsResult Result) Run(string arguments = "")
        {
            PsResult r = _ps.RunConnected("$summary = & '" + Runbook + "' -JournalPath '" + _journal + "' " + arguments + "\n$summary\n$LASTEXITCODE");
            Assert.Null(r.Terminating);
            Assert.Equal(2, r.Output.Count);
            return (r.Output[0], (int)r.Output[1].BaseObject, r);
        }

        /// <summary>Changed outcomes in the journal: one per group changed (each comes after its write's intent).</summary>
        private int JournalLines => File.Exists(_journal)
            ? File.ReadAllLines(_journal).Select(Newtonsoft.Json.Linq.JObject.Parse).Count(r => (string)r["Record"] == "Outcome" && (string)r["Status"] == "Changed")
            : 0;

        private static int Int(dynamic summary, string name) => (int)((System.Management.Automation.PSObject)summary).Properties[name].Value;

        [Fact]
        public void ItClosesEveryExposedInstanceRecordsEachChangeAndExits0()
        {
            var (summary, code, r) = Run();
            Assert.Equal(0, code);
            Assert.Empty(r.Errors);
            // docs/emulator.md: 21 instances, 16 exposed by the rules, whose deciding rules are in 11 distinct groups.
            Assert.Equal(21, Int(summary, "Instances"));
            Assert.Equal(16, Int(summary, "ExposedBefore"));
            Assert.Equal(11, Int(summary, "GroupsChanged"));
            Assert.Equal(0, Int(summary, "StillExposed"));
            Assert.Equal(11, JournalLines);
        }

        [Fact]
        public void ASecondRunChangesNothingAndWritesNoRecord()
        {
            Assert.Equal(0, Run().ExitCode);
            var (summary, code, _) = Run();
            Assert.Equal(0, code);
            Assert.Equal(0, Int(summary, "ExposedBefore"));
            Assert.Equal(0, Int(summary, "GroupsChanged"));
            Assert.Equal(11, JournalLines);
        }

        [Fact]
        public void ItConvergesUnderThrottlingServerErrorsAndAConcurrentEditor()
        {
            _ps.Server.UpdateFaults(f =>
            {
                f.RequestLimitExceededRate = 0.3;
                f.InternalErrorRate = 0.05;
                // The benchmark's fault run: at this rate an edit lands between Port53's read and write now and then.
                f.ConcurrentEditorRate = 0.2;
            });
            var (summary, code, r) = Run();
            Assert.True(code == 0, string.Join("\n", r.Errors.Select(e => e.ToString())));
            Assert.Equal(0, Int(summary, "StillExposed"));
            Assert.Contains(_ps.Server.Requests, q => q.Fault != null || q.ErrorCode == "RequestLimitExceeded");
            Assert.NotEmpty(_ps.Server.ConcurrentEdits);
        }

        [Fact]
        public void AGroupItMayNotChangeMakesItExit1AndNameTheInstancesLeftExposed()
        {
            _ps.Server.UpdateFaults(f => f.UnauthorizedSecurityGroupIds.Add("sg-shared01"));
            var (summary, code, r) = Run();
            Assert.Equal(1, code);
            // The five instances whose deciding rules are in sg-shared01 stay exposed (ins-gzshr002's first group,
            // sg-private1, admits no public DNS, so the least change does not write there).
            Assert.Equal(5, Int(summary, "StillExposed"));
            Assert.Contains(r.Errors, e => e.FullyQualifiedErrorId.StartsWith("TencentCloud.AuthFailure.UnauthorizedOperation"));
            foreach (string id in new[] { "ins-gzshr001", "ins-gzshr002", "ins-gzshr003", "ins-gzshr004", "ins-gzshr005" })
                Assert.Contains(r.Warnings, w => w.Contains(id));
        }

        [Fact]
        public void AuditOnlyChangesNothingAndStillFailsOnExposure()
        {
            var (summary, code, _) = Run("-AuditOnly");
            Assert.Equal(1, code);
            Assert.Equal(16, Int(summary, "StillExposed"));
            Assert.DoesNotContain(_ps.Server.Requests, q => q.Action.StartsWith("Create") || q.Action.StartsWith("Delete"));
            Assert.Equal(0, JournalLines);
        }
    }
}
