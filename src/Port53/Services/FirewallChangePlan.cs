using System.Collections.Generic;
using Port53.Analysis;
using Port53.Model;

namespace Port53.Services
{
    /// <summary>
    /// What a command would do to one Lighthouse instance's firewall, computed from one read of it: the one edit of its
    /// rule list, written whole (ModifyFirewallRules) at the read's FirewallVersion. Only what is in here may be written:
    /// a retry after a concurrent edit re-plans within it.
    /// </summary>
    internal sealed class FirewallChangePlan
    {
        public TcPort53ChangeAction Action { get; set; }
        public string Region { get; set; }
        public string InstanceId { get; set; }
        /// <summary>The read the plan rests on; its FirewallVersion goes with the write.</summary>
        public FirewallSnapshot Snapshot { get; set; }
        public RuleListEdit Edit { get; set; } = RuleListEdit.None;
        /// <summary>Block: the keys the plan closes, which a re-plan may not go beyond.</summary>
        public IReadOnlyList<ExposureKey> Keys { get; set; } = new ExposureKey[0];
        public List<ServiceProblem> Problems { get; } = new List<ServiceProblem>();

        public bool IsNoOp => Edit.IsEmpty;

        public int RuleCount => Action == TcPort53ChangeAction.Block ? Edit.Added.Count : Edit.Removed.Count;

        /// <summary>The edit in the console's words, each rule with its position, for -WhatIf, prompts and records.</summary>
        public string RulesText => GroupChangePlan.Describe(Edit, Action);
    }
}
