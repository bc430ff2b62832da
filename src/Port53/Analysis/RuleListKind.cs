namespace Port53.Analysis
{
    /// <summary>
    /// Which of Tencent's two ordered, first-match rule lists a list is. Both are evaluated by the same machinery; they
    /// differ in what an empty field means, in how long a description may be and in what Tencent calls a duplicate.
    /// </summary>
    internal enum RuleListKind
    {
        /// <summary>A security group's ingress rules (VPC), in PolicyIndex order.</summary>
        SecurityGroup = 0,

        /// <summary>
        /// A Lighthouse instance's firewall, in list order: a rule with neither CidrBlock nor Ipv6CidrBlock admits
        /// 0.0.0.0/0, a rule without Action is an ACCEPT (Tencent's documented defaults), descriptions hold 64 characters.
        /// </summary>
        Firewall = 1,
    }

    internal static class RuleLists
    {
        /// <summary>Rules a Lighthouse firewall holds (Tencent's quota; ModifyFirewallRules takes at most as many).</summary>
        public const int FirewallMaxRules = 100;

        /// <summary>The source Tencent gives a firewall rule that names none.</summary>
        public const string FirewallDefaultSource = "0.0.0.0/0";

        /// <summary>The longest description Port53 writes into a list of this kind (a firewall's: FirewallRuleDescription's documented 64).</summary>
        public static int MaxDescriptionLength(this RuleListKind kind) => kind == RuleListKind.Firewall ? 64 : Port53Rules.MaxDescriptionLength;
    }
}
