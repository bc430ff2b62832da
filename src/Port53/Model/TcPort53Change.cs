using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Port53.Analysis;
using Port53.Api.Models;

namespace Port53.Model
{
    /// <summary>What a change record says was done.</summary>
    public enum TcPort53ChangeAction
    {
        Block,
        Unblock,
    }

    /// <summary>Where Block-TcPort53 puts its DROP rules.</summary>
    public enum TcPort53Placement
    {
        /// <summary>
        /// The least change: each DROP directly above the rule that decides the exposure (the first rule, in binding
        /// order, that admits port 53 from a public address for that protocol and family), in that rule's group.
        /// </summary>
        AboveDecidingRule,
        /// <summary>Tencent's recommended placement, literally: index 0 of the instance's first bound group.</summary>
        Top,
    }

    /// <summary>Whether the group was written: Changed, or NoChange when nothing was needed (port already denied, no Port53 rule left).</summary>
    public enum TcPort53ChangeStatus
    {
        Changed,
        NoChange,
    }

    /// <summary>
    /// One rule a change added or removed, with the policy fields as Tencent names them and, in Text, as the
    /// console shows it ("UDP 53 0.0.0.0/0 DROP").
    /// </summary>
    public sealed class TcPort53Rule
    {
        /// <summary>Where the rule is or was: for an added rule its index right after the write, for a removed one the index it was removed from.</summary>
        public long PolicyIndex { get; set; }
        public string Protocol { get; set; }
        public string Port { get; set; }
        public string CidrBlock { get; set; }
        public string Ipv6CidrBlock { get; set; }
        public string Action { get; set; }
        public string PolicyDescription { get; set; }
        public string Text { get; set; }

        public override string ToString() => Text;

        /// <summary>The rules of an edit's side (its Added or Removed), with the indices they have there, as records show them.</summary>
        internal static TcPort53Rule[] Of(IEnumerable<IndexedRule> rules) => rules.Select(r => From(r.Rule, r.Index)).ToArray();

        internal static TcPort53Rule From(SecurityGroupPolicy policy, long index) => new TcPort53Rule
        {
            PolicyIndex = index,
            Protocol = policy.Protocol?.ToUpperInvariant(),
            Port = policy.Port,
            CidrBlock = string.IsNullOrEmpty(policy.CidrBlock) ? null : policy.CidrBlock,
            Ipv6CidrBlock = string.IsNullOrEmpty(policy.Ipv6CidrBlock) ? null : policy.Ipv6CidrBlock,
            Action = policy.Action?.ToUpperInvariant(),
            PolicyDescription = policy.PolicyDescription,
            Text = TcPort53Verdict.Describe(policy),
        };
    }

    /// <summary>
    /// The change record Block-TcPort53 and Unblock-TcPort53 emit (-PassThru) and journal (-JournalPath): what was
    /// done to which security group, the Version it was computed from and the Version read back after it, which
    /// instances it affects, when, by whom, and Tencent's RequestId, so a change log can be kept and audited.
    /// </summary>
    public sealed class TcPort53Change : ITcAccountObject, Services.IChangeAuthor
    {
        public TcPort53ChangeAction Action { get; set; }
        public TcPort53ChangeStatus Status { get; set; }
        public string Region { get; set; }
        /// <summary>The account it was read from (or changed in); null when Port53 could not learn it.</summary>
        public long? AccountUin { get; set; }
        /// <summary>The session context it was read with: commands it is piped to act in that context.</summary>
        public string ContextName { get; set; }
        public string SecurityGroupId { get; set; }
        /// <summary>For a Lighthouse instance's firewall: the instance (SecurityGroupId is then null, and the Versions are FirewallVersions).</summary>
        public string Firewall { get; set; }
        /// <summary>
        /// The rules the write added, each with the PolicyIndex it has right after it: Block's DROPs (directly above the
        /// rules that decided), or for Unblock a user rule put back where it stood. Empty for NoChange.
        /// </summary>
        public TcPort53Rule[] RulesAdded { get; set; } = new TcPort53Rule[0];
        /// <summary>
        /// The rules the write removed, each with the PolicyIndex and description it had: Unblock's Port53 rules, or for
        /// Block a user rule equal to a new DROP that stood below the deciding ACCEPT (the new DROP names it, and Unblock
        /// puts it back). Empty for NoChange.
        /// </summary>
        public TcPort53Rule[] RulesRemoved { get; set; } = new TcPort53Rule[0];
        /// <summary>The group's Version the change was computed from and written against.</summary>
        public string VersionBefore { get; set; }
        /// <summary>
        /// The Version the group has with the change in place: VersionBefore + 1 after a success reply (Tencent raises it by
        /// one with every update and accepts the write only at VersionBefore), the Version of the read that found the
        /// change after a lost reply; equal to VersionBefore for NoChange.
        /// </summary>
        public string VersionAfter { get; set; }
        /// <summary>Every instance known to bind the group: the ones given, and those Tencent lists as bound to it.</summary>
        public string[] AffectedInstanceIds { get; set; } = new string[0];
        /// <summary>When the write was accepted (UTC); for NoChange, when the group was checked.</summary>
        public DateTime Time { get; set; }
        /// <summary>Tencent's RequestId of the write; null for NoChange, or when the reply was lost but the re-read showed the write had landed.</summary>
        public string RequestId { get; set; }
        /// <summary>How many write calls the change took (more than one after a concurrent edit or a fault).</summary>
        public int Attempts { get; set; }
        /// <summary>The SecretId that made the change, masked as Get-TcContext shows it.</summary>
        public string ChangedBy { get; set; }
        /// <summary>The CAM role whose temporary keys made the change (an organization member's role); null for the account's own keys.</summary>
        public string RoleArn { get; set; }

        public override string ToString()
        {
            int count = Action == TcPort53ChangeAction.Block ? RulesAdded.Length : RulesRemoved.Length;
            return string.Format(CultureInfo.InvariantCulture, "{0} {1} {2}: {3} rule(s), Version {4} -> {5}",
                Action, SecurityGroupId ?? Firewall, Status, count, VersionBefore, VersionAfter);
        }
    }
}
