using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Port53.Api;
using Port53.Api.Models;
using Port53.Model;

namespace Port53.Cmdlets
{
    /// <summary>
    /// Lists the member accounts of the organization the session's account manages (DescribeOrganizationMembers),
    /// optionally only those whose name matches.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "TcOrganizationMember")]
    [OutputType(typeof(TcOrganizationMember))]
    public sealed class GetTcOrganizationMemberCommand : TcCmdlet
    {
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ValidateNotBlank]
        public string[] Name { get; set; }

        protected override void EndProcessing()
        {
            var members = new List<OrganizationMember>();
            AwaitOrTerminate(new OrganizationService(Client).DescribeMembersAsync(page => { lock (members) members.AddRange(page); }, CancellationToken));
            WildcardPattern[] patterns = Name?.Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToArray();
            foreach (OrganizationMember member in members)
            {
                if (patterns != null && !patterns.Any(p => p.IsMatch(member.Name ?? string.Empty))) continue;
                WriteObject(new TcOrganizationMember
                {
                    MemberUin = member.MemberUin,
                    Name = member.Name,
                    MemberType = member.MemberType,
                    NodeName = member.NodeName,
                    PermissionStatus = member.PermissionStatus,
                    CreateTime = member.CreateTime,
                });
            }
        }
    }
}
