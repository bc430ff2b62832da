using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Port53.Api;
using Port53.Execution;
using Port53.Model;
using Port53.Resources;

namespace Port53.Cmdlets
{
    /// <summary>
    /// What Get-TcSecurityGroup, Get-TcSecurityGroupRule and Test-TcPort53 share: their targets come as instances
    /// piped whole (-Instance), as earlier results of Test-TcPort53 (-Exposure), as instance ids (-InstanceId/-Region,
    /// looked up) or as security groups (the SecurityGroupId set, which each cmdlet declares itself), and they are all
    /// worked on through one <see cref="TargetFeed"/> per invocation so that results stream and shared groups are read once.
    ///
    /// Exposures need a typed parameter of their own: they have both InstanceId and SecurityGroupId (one of them
    /// null), so binding them by property name would leave PowerShell unable to choose a parameter set.
    /// </summary>
    public abstract class TcAuditCmdlet : TcCmdlet
    {
        protected const string InstanceSet = "Instance";
        protected const string InstanceIdSet = "InstanceId";
        protected const string SecurityGroupSet = "SecurityGroupId";
        protected const string ExposureSet = "Exposure";
        protected const string LighthouseInstanceSet = "LighthouseInstance";

        /// <summary>Instances as Get-TcInstance emits them; their Region, groups and addresses are used as they are.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InstanceSet)]
        [ValidateNotNull]
        public TcInstance[] Instance { get; set; }

        /// <summary>Earlier results of Test-TcPort53: an instance's, with the groups and addresses it was tested with, or a group's.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ExposureSet)]
        [ValidateNotNull]
        public TcPort53Exposure[] Exposure { get; set; }

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = InstanceIdSet)]
        [ValidateNotNullOrEmpty]
        [ValidateTcId("ins")]
        [ArgumentCompleter(typeof(InstanceIdCompleter))]
        public string[] InstanceId { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = InstanceIdSet)]
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = SecurityGroupSet)]
        [SupportsWildcards]
        [ValidateNotBlank]
        [ArgumentCompleter(typeof(RegionCompleter))]
        public string[] Region { get; set; }

        /// <summary>The contexts (accounts) to look the ids or groups up in, piped or given; default: the session's default context.</summary>
        [Parameter(ValueFromPipeline = true, ParameterSetName = InstanceIdSet)]
        [Parameter(ValueFromPipeline = true, ParameterSetName = SecurityGroupSet)]
        [ArgumentCompleter(typeof(AccountCompleter))]
        [ValidateNotNullOrEmpty]
        public TcContext[] Account { get; set; }

        /// <summary>The context a piped object (a region, a group, a rule) was read with: the command works in it.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true, ParameterSetName = InstanceIdSet)]
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true, ParameterSetName = SecurityGroupSet)]
        public string ContextName { get; set; }

        /// <summary>The account a piped object was read in.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true, ParameterSetName = InstanceIdSet)]
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true, ParameterSetName = SecurityGroupSet)]
        public long? AccountUin { get; set; }

        /// <summary>How many targets each account works on at once.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = TcWorkBatch.DefaultThrottle;

        // One feed per account, made on its first target, on the pipeline thread: with no input there is nothing to connect for.
        private readonly Dictionary<string, TargetFeed> _feeds = new Dictionary<string, TargetFeed>(StringComparer.Ordinal);
        private readonly List<TargetFeed> _feedsInOrder = new List<TargetFeed>();

        /// <summary>The feed of the account's targets.</summary>
        internal TargetFeed FeedFor(AccountScope account)
        {
            // Workers of the accounts already started read the map (FeedOf) while a new account's feed is added here.
            lock (_feeds)
                if (_feeds.TryGetValue(account.Key, out TargetFeed known)) return known;
            TargetFeed feed = CreateFeed(account);
            lock (_feeds) _feeds[account.Key] = feed;
            _feedsInOrder.Add(feed);
            return feed;
        }

        /// <summary>The feed a worker's target came from (its account's); worker threads may ask once the feed exists.</summary>
        internal TargetFeed FeedOf(WorkerOutput worker)
        {
            lock (_feeds) return _feeds[worker.Account.Key];
        }

        internal abstract TargetFeed CreateFeed(AccountScope account);

        /// <summary>The cmdlet's -SecurityGroupId.</summary>
        internal abstract string[] SecurityGroupIds { get; }

        /// <summary>Groups named by id (null: every group, where the cmdlet lists), to look for in <paramref name="regions"/> of <paramref name="account"/>.</summary>
        internal abstract void ProcessSecurityGroups(AccountScope account, IReadOnlyList<string> ids, IReadOnlyList<string> regions);

        protected override void ProcessRecord()
        {
            switch (ParameterSetName)
            {
                case InstanceSet:
                    foreach (TcInstance instance in Instance.Where(i => i != null))
                        InAccountOf(instance, account => FeedFor(account).AddInstance(instance));
                    break;
                case ExposureSet:
                    foreach (TcPort53Exposure exposure in Exposure.Where(e => e != null))
                    {
                        if (!string.IsNullOrWhiteSpace(exposure.InstanceId)) InAccountOf(exposure, account => FeedFor(account).AddInstance(exposure.ToInstance()));
                        else if (!string.IsNullOrWhiteSpace(exposure.SecurityGroupId))
                            InAccountOf(exposure, account => ProcessSecurityGroups(account, new[] { exposure.SecurityGroupId }, new[] { exposure.Region }));
                        // A hand-made or damaged object: as a group target it would mean "every group of the region".
                        else WriteError(TcErrors.Create("ExposureWithoutTarget", ErrorCategory.InvalidArgument, exposure, Strings.Audit["ExposureWithoutTarget"]));
                    }
                    break;
                case InstanceIdSet:
                    foreach (AccountScope account in AccountsFor(Account, ContextName, AccountUin))
                        FeedFor(account).AddInstanceIds(InstanceId, ResolveRegions(Region, account: account));
                    break;
                default:
                    foreach (AccountScope account in AccountsFor(Account, ContextName, AccountUin))
                        ProcessSecurityGroups(account, SecurityGroupIds, ResolveRegions(Region, account: account));
                    break;
            }
        }

        /// <summary>Runs <paramref name="work"/> in the account the piped object names; an account the session cannot act in is one error for the object.</summary>
        internal void InAccountOf(ITcAccountObject value, Action<AccountScope> work)
        {
            AccountScope account = ScopeOf(value, out ErrorRecord error);
            if (account == null) WriteError(error);
            else work(account);
        }

        /// <summary>Waits for every target of every account; false when there was no input, so nothing was started.</summary>
        protected bool FinishTargets()
        {
            if (_feedsInOrder.Count == 0) return false;
            foreach (TargetFeed feed in _feedsInOrder) feed.Finish();
            return true;
        }

        protected override void EndProcessing() => FinishTargets();
    }
}
