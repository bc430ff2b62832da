using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Port53.Benchmarks.Fleet
{
    /// <summary>
    /// Minimum calls over several accounts, from each account's own plan (<see cref="MinimumCalls"/> on that account's
    /// fleet): every account reads its own region list and has rate-limit budgets of its own, since Tencent counts its
    /// limits per account and sub-account. This file is compiled into both bench/Port53.Benchmarks and tests/Port53.Tests.
    /// </summary>
    internal static class AccountPlans
    {
        /// <summary>The role every member of a generated organization has, trusting the management account (the emulator's FleetGenerator.MemberRole).</summary>
        public const string MemberRole = "OrganizationAccessControlRole";

        /// <summary>
        /// In a session connected with the management account's keys: a context per member (all, or the first
        /// <paramref name="first"/>) in $ctx, each with the role's temporary keys; emits each context's AccountUin.
        /// The first ones by index: the hosted engine has no Microsoft.PowerShell.Utility, so no Select-Object -First.
        /// </summary>
        public static string ConnectMembers(int? first = null) =>
            "$ctx = @(" + (first.HasValue ? "@(Get-TcOrganizationMember)[0.." + (first.Value - 1).ToString(CultureInfo.InvariantCulture) + "]" : "Get-TcOrganizationMember") +
            " | Connect-TcAccount -RoleName " + MemberRole + " -PassThru); $ctx | ForEach-Object AccountUin";

        /// <summary>A plan as a context of an assumed role makes it: the role's ARN names its account, so no GetCallerIdentity asks.</summary>
        public static CallPlan AsAssumedRole(CallPlan plan) => plan.Without(MinimumCalls.GetCallerIdentity);

        /// <summary>The budget a call is counted against: its account's, in its access region.</summary>
        public static string Budget(long? account, string accessRegion) =>
            Show(account) + "/" + (string.IsNullOrEmpty(accessRegion) ? CallPlan.DefaultAccessRegion : accessRegion);

        /// <summary>
        /// The accounts' plans as one: each action's calls summed over the accounts, each account's on budgets of its own
        /// (so the floor is the slowest account's, not the sum of theirs), the chain the longest of theirs. Write targets
        /// are left per account: a group id names a group only within its account.
        /// </summary>
        public static CallPlan Combine(IReadOnlyDictionary<long, CallPlan> byAccount)
        {
            var calls = new Dictionary<string, IDictionary<string, int>>(StringComparer.Ordinal);
            foreach (KeyValuePair<long, CallPlan> account in byAccount)
            {
                foreach (KeyValuePair<string, IReadOnlyDictionary<string, int>> action in account.Value.ByAccessRegion)
                {
                    if (!calls.TryGetValue(action.Key, out IDictionary<string, int> budgets))
                        calls[action.Key] = budgets = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
                    foreach (KeyValuePair<string, int> region in action.Value) budgets[Budget(account.Key, region.Key)] = region.Value;
                }
            }
            return new CallPlan(calls, byAccount.Values.Select(p => p.ChainDepth).DefaultIfEmpty(0).Max());
        }

        /// <summary>
        /// Every (account, action) whose calls differ from that account's minimum, as "account action calls vs minimum", in
        /// order. A call of an account with no plan (the management account, or one the log could not tell) is over a
        /// minimum of 0. Empty when every account made exactly its minimum.
        /// </summary>
        public static IReadOnlyList<string> Differences(IEnumerable<(long? Account, string Action)> calls, IReadOnlyDictionary<long, CallPlan> byAccount)
        {
            Dictionary<(long? Account, string Action), int> made = calls.GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
            IEnumerable<(long? Account, string Action)> planned = byAccount.SelectMany(a => a.Value.Calls.Keys.Select(action => ((long?)a.Key, action)));
            var differences = new List<string>();
            foreach ((long? account, string action) in made.Keys.Union(planned).OrderBy(k => k.Account ?? long.MinValue).ThenBy(k => k.Action, StringComparer.Ordinal))
            {
                int actual = made.TryGetValue((account, action), out int n) ? n : 0;
                int minimum = account.HasValue && byAccount.TryGetValue(account.Value, out CallPlan plan) ? plan[action] : 0;
                if (actual != minimum) differences.Add(Show(account) + " " + action + " " + actual + " vs " + minimum);
            }
            return differences;
        }

        private static string Show(long? account) => account?.ToString(CultureInfo.InvariantCulture) ?? "(no account)";
    }
}
