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

        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = TcWorkBatch.DefaultThrottle;

        private TargetFeed _feed;

        /// <summary>Made on the first record, on the pipeline thread: with no input at all there is nothing to connect for.</summary>
        internal TargetFeed Feed => _feed ?? (_feed = CreateFeed());

        internal abstract TargetFeed CreateFeed();

        /// <summary>The cmdlet's -SecurityGroupId.</summary>
        internal abstract string[] SecurityGroupIds { get; }

        /// <summary>Groups named by id (null: every group, where the cmdlet lists), to look for in <paramref name="regions"/>.</summary>
        internal abstract void ProcessSecurityGroups(IReadOnlyList<string> ids, IReadOnlyList<string> regions);

        protected override void ProcessRecord()
        {
            switch (ParameterSetName)
            {
                case InstanceSet:
                    foreach (TcInstance instance in Instance.Where(i => i != null)) Feed.AddInstance(instance);
                    break;
                case ExposureSet:
                    foreach (TcPort53Exposure exposure in Exposure.Where(e => e != null))
                    {
                        if (!string.IsNullOrWhiteSpace(exposure.InstanceId)) Feed.AddInstance(exposure.ToInstance());
                        else if (!string.IsNullOrWhiteSpace(exposure.SecurityGroupId)) ProcessSecurityGroups(new[] { exposure.SecurityGroupId }, new[] { exposure.Region });
                        // A hand-made or damaged object: as a group target it would mean "every group of the region".
                        else WriteError(TcErrors.Create("ExposureWithoutTarget", ErrorCategory.InvalidArgument, exposure, Strings.Audit["ExposureWithoutTarget"]));
                    }
                    break;
                case InstanceIdSet:
                    Feed.AddInstanceIds(InstanceId, ResolveRegions(Region));
                    break;
                default:
                    ProcessSecurityGroups(SecurityGroupIds, ResolveRegions(Region));
                    break;
            }
        }

        /// <summary>Waits for every target; false when there was no input, so nothing was started.</summary>
        protected bool FinishTargets()
        {
            if (_feed == null) return false;
            _feed.Finish();
            return true;
        }

        protected override void EndProcessing() => FinishTargets();
    }
}
