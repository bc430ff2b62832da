using System.Collections.Generic;
using Port53.Analysis;
using Port53.Api.Models;

namespace Port53.Services
{
    /// <summary>
    /// One security group's rules as read at one Version, ingress parsed for evaluation against the region's
    /// templates. Immutable: a later read makes a new snapshot, so evaluations never see a half-updated group.
    /// </summary>
    internal sealed class GroupSnapshot
    {
        public GroupSnapshot(string region, string securityGroupId, SecurityGroupPolicySet policies, ParsedGroup parsed)
        {
            Region = region;
            SecurityGroupId = securityGroupId;
            Policies = policies;
            Parsed = parsed;
        }

        public string Region { get; }
        public string SecurityGroupId { get; }
        /// <summary>The Version the rules were read at; a write must pass it back.</summary>
        public string Version => Policies.Version;
        public SecurityGroupPolicySet Policies { get; }
        public IReadOnlyList<SecurityGroupPolicy> Ingress => Policies.Ingress;
        public IReadOnlyList<SecurityGroupPolicy> Egress => Policies.Egress;
        public ParsedGroup Parsed { get; }
    }
}
