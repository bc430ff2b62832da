using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using Port53.Api;
using Port53.Api.Models;
using Port53.Execution;
using Port53.Model;
using Port53.Resources;
using Port53.Session;

namespace Port53.Cmdlets
{
    /// <summary>
    /// Lists security groups of one region, several or every region, or the groups bound to instances. Each group
    /// is written once per command: from instances, the first time an instance binds it, an instance's new groups
    /// in binding order. Named ids behave like Get-Item: one SecurityGroupNotFound error per id found nowhere.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "TcSecurityGroup", DefaultParameterSetName = SecurityGroupSet)]
    [OutputType(typeof(TcSecurityGroup))]
    public sealed class GetTcSecurityGroupCommand : TcAuditCmdlet
    {
        private const string IdFilter = "security-group-id";

        /// <summary>Optional here: without ids, every group of the regions is listed.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = SecurityGroupSet)]
        [ValidateNotNullOrEmpty]
        [ValidateTcId("sg")]
        [ArgumentCompleter(typeof(SecurityGroupIdCompleter))]
        public string[] SecurityGroupId { get; set; }

        [Parameter]
        [SupportsWildcards]
        [ValidateNotBlank]
        public string[] Name { get; set; }

        private List<WildcardPattern> _names;
        // "account\nregion\nid" of every group written or being looked up, so each is written once per command.
        private readonly ConcurrentDictionary<string, bool> _claimed = new ConcurrentDictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        // Named ids, the account and regions they were looked for in, and what was found or failed there ("account\nid", "account\nregion").
        private readonly List<(string Account, string Id, IReadOnlyList<string> Regions)> _named = new List<(string, string, IReadOnlyList<string>)>();
        private readonly ConcurrentDictionary<string, bool> _found = new ConcurrentDictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        private readonly ConcurrentDictionary<string, bool> _failedRegions = new ConcurrentDictionary<string, bool>(StringComparer.OrdinalIgnoreCase);

        internal override TargetFeed CreateFeed(AccountScope account) => new TargetFeed(this, account, ThrottleLimit, Strings.Audit["ProgressGroups"], GroupsOfInstanceAsync);

        protected override void BeginProcessing()
        {
            _names = Name?.Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToList();
        }

        protected override void EndProcessing()
        {
            // A name filter may rightly leave a named group out, as Get-TcInstance's filters do.
            if (!FinishTargets() || Name != null) return;
            foreach ((string account, string id, IReadOnlyList<string> regions) in _named)
            {
                if (_found.ContainsKey(account + "\n" + id) || regions.Any(r => _failedRegions.ContainsKey(account + "\n" + r))) continue;
                WriteError(TargetFeed.SecurityGroupNotFound(id, regions));
            }
        }

        internal override string[] SecurityGroupIds => SecurityGroupId;

        internal override void ProcessSecurityGroups(AccountScope account, IReadOnlyList<string> ids, IReadOnlyList<string> regions)
        {
            // Ids go as the security-group-id filter, not SecurityGroupIds: with SecurityGroupIds one unknown id fails
            // the whole request, while a filter just leaves it out and the others are still listed.
            var query = new TcQuery();
            if (ids != null)
            {
                List<string> named = ids.Select(TcIds.Normalise).Distinct().ToList();
                query.WithFilter(IdFilter, named);
                _named.AddRange(named.Select(id => (account.Key, id, regions)));
            }
            // Tencent's name filter may match more loosely than -Name means, so names are also checked here.
            if (Name != null && !Name.Any(WildcardPattern.ContainsWildcardCharacters)) query.WithFilter("security-group-name", Name);
            foreach (string region in regions)
            {
                FeedFor(account).Start(region, async worker =>
                {
                    try
                    {
                        await worker.Vpc.DescribeSecurityGroupsAsync(region, query, page => Write(region, page, worker), worker.CancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception) when (!worker.CancellationToken.IsCancellationRequested)
                    {
                        _failedRegions[account.Key + "\n" + region] = true;
                        throw;
                    }
                });
            }
        }

        private void Write(string region, IEnumerable<SecurityGroup> page, WorkerOutput worker)
        {
            var groups = new List<TcSecurityGroup>();
            foreach (SecurityGroup group in page.Where(g => g.SecurityGroupId != null))
            {
                _found[worker.Account.Key + "\n" + group.SecurityGroupId] = true;
                if (NameMatches(group) && _claimed.TryAdd(worker.Account.Key + "\n" + region + "\n" + group.SecurityGroupId, true))
                    groups.Add(worker.Account.Stamp(TcSecurityGroup.From(group, region)));
            }
            foreach (TcSecurityGroup g in groups) worker.Recent.Remember(TcIdKind.SecurityGroup, g.SecurityGroupId, g.Name, g.Region);
            worker.WriteObjects(groups);
        }

        private bool NameMatches(SecurityGroup group) => _names == null || _names.Any(p => p.IsMatch(group.SecurityGroupName ?? string.Empty));

        private async Task GroupsOfInstanceAsync(TcInstance instance, WorkerOutput worker)
        {
            if (instance.SecurityGroupIds == null || instance.SecurityGroupIds.Length == 0)
            {
                worker.WriteVerbose(Strings.Audit.Format("VerboseNoGroups", instance.InstanceId));
                return;
            }
            List<string> fresh = instance.SecurityGroupIds.Where(id => !string.IsNullOrWhiteSpace(id)).Select(id => id.Trim())
                .Distinct(StringComparer.OrdinalIgnoreCase).Where(id => _claimed.TryAdd(worker.Account.Key + "\n" + instance.Region + "\n" + id, true)).ToList();
            if (fresh.Count == 0) return;
            var described = new ConcurrentDictionary<string, SecurityGroup>(StringComparer.OrdinalIgnoreCase);
            await worker.Vpc.DescribeSecurityGroupsAsync(instance.Region, new TcQuery().WithFilter(IdFilter, fresh),
                page => { foreach (SecurityGroup g in page.Where(g => g.SecurityGroupId != null)) described[g.SecurityGroupId] = g; },
                worker.CancellationToken).ConfigureAwait(false);
            var groups = new List<TcSecurityGroup>();
            foreach (string id in fresh)
            {
                if (!described.TryGetValue(id, out SecurityGroup group))
                    worker.WriteError(TcErrors.Create("SecurityGroupNotFound", ErrorCategory.ObjectNotFound, id,
                        Strings.Audit.Format("BoundGroupNotFound", id, instance.InstanceId, instance.Region)));
                else if (NameMatches(group)) groups.Add(worker.Account.Stamp(TcSecurityGroup.From(group, instance.Region)));
            }
            foreach (TcSecurityGroup g in groups) worker.Recent.Remember(TcIdKind.SecurityGroup, g.SecurityGroupId, g.Name, g.Region);
            worker.WriteObjects(groups);
        }
    }
}
