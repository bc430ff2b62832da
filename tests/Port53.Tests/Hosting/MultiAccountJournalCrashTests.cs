using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using Port53.Emulator.Faults;
using Port53.Emulator.Hosting;
using Xunit;
using Xunit.Abstractions;

namespace Port53.Tests.Hosting
{
    /// <summary>
    /// The write-ahead journal over several accounts, at process level: Block-TcPort53 over two organization members
    /// (each through its role, so each run has new temporary keys) in Port53.Shell, killed while its writes are in
    /// flight, then run to the end with the same journal. Each pending intent must be reconciled in its own account,
    /// and every group that holds Port53 rules must have one record of its change, naming that account and role.
    /// </summary>
    public sealed class MultiAccountJournalCrashTests : CrashRuns
    {
        private const string Role = "OrganizationAccessControlRole";

        public MultiAccountJournalCrashTests(ITestOutputHelper output) : base(output) { }

        // The management account's keys are in the environment: the members' roles trust it.
        protected override string Spec => "instances=200,regions=2,groups=150,exposed=0.9,accounts=3,seed=53";

        protected override string Script =>
            "$ctx = Get-TcOrganizationMember | Connect-TcAccount -RoleName " + Role + " -PassThru\n" +
            "$ctx | Get-TcInstance -Region * | Block-TcPort53 -Force -JournalPath '" + Journal + "' -WarningAction SilentlyContinue\n";

        protected override string WriteAction => "CreateSecurityGroupPolicies";

        [Fact]
        public void Killed_and_run_again_each_account_reconciles_its_own_intents_and_every_change_is_on_record_with_its_account()
        {
            int kills = KillThenFinish(3, 18, 400);
            // Nothing is left open, although every run signed with new temporary keys of the members' roles:
            (Dictionary<string, JObject> intents, List<JObject> outcomes) = ReadClosedJournal(Journal);
            List<JObject> reconciled = outcomes.Where(o => (bool)o["Reconciled"]).ToList();
            Assert.NotEmpty(reconciled);
            // A reconciliation read the group in its own account: it found what happened (no Unknown outcome).
            Assert.All(reconciled, o => Assert.NotEqual("Unknown", (string)o["Status"]));

            var state = Server.GetState();
            int checkedGroups = 0;
            foreach (var member in state.Accounts)
            {
                string arn = "qcs::cam::uin/" + member.Uin + ":roleName/" + Role;
                foreach (var group in member.SecurityGroups)
                {
                    JObject change = AssertChangeOnRecord(group, outcomes, intents);
                    if (change == null) continue;
                    checkedGroups++;
                    Assert.Equal(member.Uin, (long?)change["AccountUin"]);
                    Assert.Equal(arn, (string)change["RoleArn"]);
                    Assert.Equal(member.Uin, (long?)intents[(string)change["Id"]]["AccountUin"]);
                }
            }
            Assert.True(checkedGroups > 100, "only " + checkedGroups + " groups were changed");
            Output.WriteLine("{0} kills; {1} intents, {2} reconciled by a later run; {3} groups hold Port53 rules, each on record with its account",
                kills, intents.Count, reconciled.Count, checkedGroups);
        }
    }
}
