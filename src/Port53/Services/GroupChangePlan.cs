using System;
using System.Collections.Generic;
using System.Linq;
using Port53.Analysis;
using Port53.Model;
using Port53.Resources;

namespace Port53.Services
{
    /// <summary>
    /// What a command would do to one security group, computed from one read of it: the one edit of its rule list
    /// (Block: DROPs added, each above the rule it must decide before, and any equal rule below taken out in the same
    /// write; Unblock: Port53 rules removed and any user rule they replaced put back), for every target that goes
    /// through the group at once. Only what is in here may be written: a retry after a concurrent edit re-plans within it.
    /// </summary>
    internal sealed class GroupChangePlan
    {
        public TcPort53ChangeAction Action { get; set; }
        public string Region { get; set; }
        public string SecurityGroupId { get; set; }
        /// <summary>The read the plan rests on; its Version goes with the write.</summary>
        public GroupSnapshot Snapshot { get; set; }
        /// <summary>Targets that were planned (a target whose other groups could not be read is left out, with an error).</summary>
        public List<RemediationTarget> Members { get; } = new List<RemediationTarget>();
        /// <summary>Block: for each member, the keys the rules close for it; confirmed after the write.</summary>
        public Dictionary<RemediationTarget, IReadOnlyList<ExposureKey>> MemberKeys { get; } = new Dictionary<RemediationTarget, IReadOnlyList<ExposureKey>>();
        /// <summary>Block: each member's groups as planned, so that a retry re-decides on the written group's news alone.</summary>
        public Dictionary<RemediationTarget, ParsedGroup[]> MemberBindings { get; } = new Dictionary<RemediationTarget, ParsedGroup[]>();
        public RuleListEdit Edit { get; set; } = RuleListEdit.None;
        /// <summary>Block: for each key, the position in the group as read that its DROP goes above (null: not blocked here).</summary>
        public int?[] KeyPositions { get; } = new int?[4];
        /// <summary>Problems of single targets found while planning (a rule that would not close, an unreadable group).</summary>
        public List<ServiceProblem> Problems { get; } = new List<ServiceProblem>();
        /// <summary>The members' instances, plus those Tencent lists as bound to the group once looked up.</summary>
        public SortedSet<string> AffectedInstanceIds { get; } = new SortedSet<string>(StringComparer.Ordinal);
        /// <summary>Block: ACCEPTs of port 53 from private sources that the DROPs to be added would also stop.</summary>
        public List<ShadowedAccept> Shadowed { get; } = new List<ShadowedAccept>();

        public bool IsNoOp => Edit.IsEmpty;
        public bool HasMembers => Members.Count > 0;

        /// <summary>The rules added (Block) or removed (Unblock): what prompts count.</summary>
        public int RuleCount => Action == TcPort53ChangeAction.Block ? Edit.Added.Count : Edit.Removed.Count;

        /// <summary>The edit in the console's words, each rule with its index, for -WhatIf, prompts and records.</summary>
        public string RulesText => Describe(Edit, Action);

        internal static string Describe(RuleListEdit edit, TcPort53ChangeAction action)
        {
            IEnumerable<string> main = action == TcPort53ChangeAction.Block
                ? edit.Added.Select(a => Strings.Remediation.Format("RuleAt", TcPort53Verdict.Describe(a.Rule), a.Index))
                : edit.Removed.Select(r => Strings.Remediation.Format("RuleAt", TcPort53Verdict.Describe(r.Rule), r.Index));
            IEnumerable<string> side = action == TcPort53ChangeAction.Block
                ? edit.Removed.Select(r => Strings.Remediation.Format("RuleReplaced", TcPort53Verdict.Describe(r.Rule), r.Index, r.Rule.PolicyDescription))
                : edit.Added.Select(a => Strings.Remediation.Format("RuleRestored", TcPort53Verdict.Describe(a.Rule), a.Index, a.Rule.PolicyDescription));
            return string.Join("; ", main.Concat(side));
        }
    }
}
