using System;
using System.Globalization;
using System.Linq;
using Port53.Analysis;
using Port53.Api.Models;

namespace Port53.Services
{
    /// <summary>
    /// One write to one group, as a whole: the group, the Version it is made against, and the edit (rules added with
    /// their indices, rules removed with theirs). The single call that makes it follows from the edit: Create for one
    /// run of new rules at one index, Delete for removals alone, otherwise ModifySecurityGroupPolicies with the whole
    /// resulting list, so that no write leaves the group between two states.
    /// </summary>
    internal sealed class GroupWrite
    {
        public GroupWrite(GroupSnapshot snapshot, RuleListEdit edit)
        {
            Snapshot = snapshot;
            Edit = edit;
        }

        /// <summary>The read the write rests on: its Version goes with the write, its Egress with a whole-list write.</summary>
        public GroupSnapshot Snapshot { get; }
        public string Version => Snapshot.Version;
        public RuleListEdit Edit { get; }

        /// <summary>
        /// The group's Version once this write is accepted. Tencent raises a group's Version by one with every update of
        /// its rules ("用户每次更新安全规则版本会自动加1", cloud.tencent.com/document/api/215/15807) and accepts the write only
        /// at <see cref="Version"/>, so no other change comes in between. Null where the Version is not a whole number.
        /// </summary>
        public string VersionAfter => long.TryParse(Version, NumberStyles.None, CultureInfo.InvariantCulture, out long v)
            ? (v + 1).ToString(CultureInfo.InvariantCulture) : null;

        /// <summary>
        /// The group as the accepted write left it: the edit's rule list at <see cref="VersionAfter"/>, without reading
        /// it back (the success reply is authoritative). The new rules are parsed without templates: Port53's name none.
        /// </summary>
        public GroupSnapshot Written()
        {
            var policies = new SecurityGroupPolicySet { Version = VersionAfter, Ingress = Edit.After.ToList(), Egress = Snapshot.Policies.Egress };
            return new GroupSnapshot(Snapshot.Region, Snapshot.SecurityGroupId, policies, Snapshot.Parsed.With(Edit, TemplateCatalog.Empty));
        }

        public string ApiAction => Edit.IsInsertOnly ? "CreateSecurityGroupPolicies"
            : Edit.IsDeleteOnly ? "DeleteSecurityGroupPolicies" : "ModifySecurityGroupPolicies";

        /// <summary>
        /// A whole-list write against Version "0" (or none): ModifySecurityGroupPolicies documents Version 0 as "clear every
        /// rule and ignore the lists given" (cloud.tencent.com/document/api/215/15810), and without a Version a concurrent
        /// edit would be overwritten. Such a write is refused, not sent.
        /// </summary>
        public bool IsUnsafeWholeListWrite =>
            !Edit.IsEmpty && !Edit.IsInsertOnly && !Edit.IsDeleteOnly && (string.IsNullOrWhiteSpace(Version) || Version.Trim() == "0");
    }
}
