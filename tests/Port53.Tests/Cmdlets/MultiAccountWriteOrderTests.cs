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
}
