using System.Collections.Generic;
using Port53.Analysis;

namespace Port53.Services
{
    /// <summary>
    /// One thing a change command's input named: an instance (with the groups a piped object said it binds, if any,
    /// and any -SecurityGroupId), or a security group on its own. <see cref="ChangeTargets"/> finds out what it binds
    /// and makes the targets of it.
    /// </summary>
    internal sealed class ChangeRequest
    {
        public ChangeRequest(string region, string instanceId, string[] bound, string[] named)
        {
            Region = region;
            InstanceId = instanceId;
            Bound = bound;
            Named = named;
        }

        public string Region { get; }
        /// <summary>Null for a group named on its own (then <see cref="Named"/> holds just that group).</summary>
        public string InstanceId { get; }
        /// <summary>The instance's groups in binding order; null until known (from a read of this pipeline, or looked up).</summary>
        public string[] Bound { get; set; }
        /// <summary>The groups a piped object claimed, when no read of this pipeline vouches for them: checked against the lookup.</summary>
        public string[] Claimed { get; set; }
        /// <summary>Reported (stale bindings): nothing is done for it.</summary>
        public bool Rejected { get; set; }
        /// <summary>The groups -SecurityGroupId named (normalised); empty for none.</summary>
        public string[] Named { get; }
        /// <summary>Block, least change: the groups holding the instance's deciding rules, each with its keys.</summary>
        public List<(string GroupId, IReadOnlyList<ExposureKey> Keys)> Chosen { get; set; }
    }
}
