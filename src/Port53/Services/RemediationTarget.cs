using System.Collections.Generic;
using Port53.Analysis;

namespace Port53.Services
{
    /// <summary>
    /// One thing a remediation command acts on through one security group: an instance (evaluated over its groups
    /// in binding order) or a group on its own (InstanceId null, BoundGroupIds just that group).
    /// </summary>
    internal sealed class RemediationTarget
    {
        public RemediationTarget(string region, string instanceId, IReadOnlyList<string> boundGroupIds, string groupId,
            IReadOnlyList<ExposureKey> keys = null)
        {
            Region = region;
            InstanceId = instanceId;
            BoundGroupIds = boundGroupIds;
            GroupId = groupId;
            Keys = keys;
        }

        public string Region { get; }
        public string InstanceId { get; }
        /// <summary>The groups whose rules decide for the target, in binding order; always holds GroupId.</summary>
        public IReadOnlyList<string> BoundGroupIds { get; }
        /// <summary>The group the command writes to for this target.</summary>
        public string GroupId { get; }
        /// <summary>
        /// Block: the keys this group is to close for the target (those whose deciding rule it holds), null for every
        /// wanted key (a group named by the user, or -Placement Top).
        /// </summary>
        public IReadOnlyList<ExposureKey> Keys { get; }

        /// <summary>What an error about this target names: the instance, or the group when it stands alone.</summary>
        public string ErrorTarget => InstanceId ?? GroupId;
    }
}
