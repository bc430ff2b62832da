using System.Collections.Generic;
using System.Linq;
using Port53.Tests.BenchTooling;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Cmdlets
{
    /// <summary>
    /// Block-TcPort53 -Force over several accounts writes them side by side: each account's writes are paced on its own
    /// budgets, so taking one account's groups after another's leaves the others' budgets idle (issue 18: five accounts
    /// within 1.25 x one). With one working place the order of the writes shows whose turn it is.
    /// </summary>
    public class MultiAccountWriteOrderTests : IClassFixture<GeneratedAccountsFleetFixture>
    {
        private readonly GeneratedAccountsFleetFixture _f;

        public MultiAccountWriteOrderTests(GeneratedAccountsFleetFixture fixture) => _f = fixture;

        [Fact]
        public void TheAccountsTakeTurnsToWriteInsteadOfOneAfterAnother()
        {
            List<long> members = _f.ConnectMembers();
            PsResult result = _f.Session.Run("$ctx | Get-TcInstance -Region * | Test-TcPort53 | Where-Object Exposed | Block-TcPort53 -Force -ThrottleLimit 1");
            result.AssertNoErrors();
            List<long?> writers = _f.Server.Requests.Where(r => r.Action == "CreateSecurityGroupPolicies").Select(r => r.AccountUin).ToList();
            Assert.Equal(members.Cast<long?>().OrderBy(u => u), writers.Distinct().OrderBy(u => u));
            // Every account has several groups to write, and each starts before any has finished.
            Assert.All(members, uin => Assert.True(writers.Count(w => w == uin) > 1));
            int lastStart = members.Max(uin => writers.IndexOf(uin)), firstEnd = members.Min(uin => writers.LastIndexOf(uin));
            Assert.True(lastStart < firstEnd, "writes by account, in order: " + string.Join(" ", writers));
        }
    }

    /// <summary>
    /// Block-TcPort53 gives each account its own -ThrottleLimit places, as the commands that read do (issue 18): with one
    /// place each and every call taking a while, the second account does not wait for the first account's reply.
    /// </summary>
    public class MultiAccountPlacesTests : IClassFixture<GeneratedAccountsFleetFixture>
    {
        private const int LatencyMs = 400;
        private readonly GeneratedAccountsFleetFixture _f;

        public MultiAccountPlacesTests(GeneratedAccountsFleetFixture fixture) => _f = fixture;

        [Fact]
        public void EachAccountHasPlacesOfItsOwn()
        {
            List<long> members = _f.ConnectMembers();
            _f.Server.UpdateFaults(f => f.LatencyMinMs = f.LatencyMaxMs = LatencyMs);
            try
            {
                _f.Session.Run("$ctx | Get-TcInstance -Region * | Test-TcPort53 | Where-Object Exposed | Block-TcPort53 -Force -ThrottleLimit 1").AssertNoErrors();
            }
            finally
            {
                _f.Server.UpdateFaults(f => f.LatencyMinMs = f.LatencyMaxMs = 0);
            }
            // Sharing one place, an account's first write could only leave once the other's first reply was back, at
            // least the latency later.
            List<System.DateTimeOffset> firsts = members.Select(uin => _f.Server.Requests
                .Where(r => r.AccountUin == uin && r.Action == "CreateSecurityGroupPolicies").Min(r => r.Time)).ToList();
            Assert.True((firsts.Max() - firsts.Min()).TotalMilliseconds < LatencyMs, "first writes at " + string.Join(", ", firsts.Select(t => t.ToString("HH:mm:ss.fff"))));
        }
    }
}

namespace Port53.Tests.Cmdlets
{
    /// <summary>
    /// Block-TcPort53 given saved results (no listing of its pipeline to lean on) looks every instance's groups up, and
    /// without -Force looks up the instances each change affects: the accounts' lookups run side by side too.
    /// </summary>
    public class MultiAccountLookupTests : IClassFixture<GeneratedAccountsFleetFixture>
    {
        private const int LatencyMs = 400;
        private readonly GeneratedAccountsFleetFixture _f;

        public MultiAccountLookupTests(GeneratedAccountsFleetFixture fixture) => _f = fixture;

        [Fact]
        public void SavedResultsOfSeveralAccountsAreLookedUpSideBySide()
        {
            List<long> members = _f.ConnectMembers();
            _f.Session.Run("$saved = @($ctx | Get-TcInstance -Region * | Test-TcPort53 | Where-Object Exposed)").AssertNoErrors();
            _f.Server.ClearRequests();
            _f.Server.UpdateFaults(f => f.LatencyMinMs = f.LatencyMaxMs = LatencyMs);
            try
            {
                _f.Session.Run("$saved | Block-TcPort53 -WhatIf -ThrottleLimit 1").AssertNoErrors();
            }
            finally
            {
                _f.Server.UpdateFaults(f => f.LatencyMinMs = f.LatencyMaxMs = 0);
            }
            // One account after the other, the last account's first lookup would wait for all of the first's.
            List<System.DateTimeOffset> firsts = members.Select(uin => _f.Server.Requests
                .Where(r => r.AccountUin == uin && r.Action == "DescribeInstances").Min(r => r.Time)).ToList();
            Assert.True((firsts.Max() - firsts.Min()).TotalMilliseconds < LatencyMs, "first lookups at " + string.Join(", ", firsts.Select(t => t.ToString("HH:mm:ss.fff"))));
        }
    }
}
