using System.Collections.Generic;
using Port53.Api.Models;

namespace Port53.Analysis
{
    /// <summary>
    /// The ingress rules of one security group as read from Tencent, with the Version they were read at; or a Lighthouse
    /// instance's firewall (<see cref="RuleListKind.Firewall"/>: the id is the instance's, the Version its FirewallVersion,
    /// the rules in list order without PolicyIndex).
    /// </summary>
    internal sealed class GroupPolicies
    {
        private static readonly SecurityGroupPolicy[] NoPolicies = new SecurityGroupPolicy[0];

        public GroupPolicies(string securityGroupId, string version, IReadOnlyList<SecurityGroupPolicy> ingress, RuleListKind kind = RuleListKind.SecurityGroup)
        {
            SecurityGroupId = securityGroupId;
            Version = version;
            Ingress = ingress ?? NoPolicies;
            Kind = kind;
        }

        public static GroupPolicies From(string securityGroupId, SecurityGroupPolicySet policySet) =>
            new GroupPolicies(securityGroupId, policySet?.Version, policySet?.Ingress);

        public string SecurityGroupId { get; }
        public string Version { get; }
        public IReadOnlyList<SecurityGroupPolicy> Ingress { get; }
        public RuleListKind Kind { get; }
    }
}
