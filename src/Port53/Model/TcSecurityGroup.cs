using System;
using System.Collections;
using System.Linq;
using Port53.Api.Models;

namespace Port53.Model
{
    /// <summary>
    /// A security group as Get-TcSecurityGroup emits it. SecurityGroupId and Region bind by property name to
    /// Get-TcSecurityGroupRule and Test-TcPort53.
    /// </summary>
    public sealed class TcSecurityGroup : ITcAccountObject
    {
        public string Region { get; set; }
        /// <summary>The account it was read from (or changed in); null when Port53 could not learn it.</summary>
        public long? AccountUin { get; set; }
        /// <summary>The session context it was read with: commands it is piped to act in that context.</summary>
        public string ContextName { get; set; }
        public string SecurityGroupId { get; set; }
        public string Name { get; set; }
        public string Description { get; set; }
        /// <summary>True for the project's default group, which new instances get unless another is chosen.</summary>
        public bool IsDefault { get; set; }
        public string ProjectId { get; set; }
        /// <summary>Tag key → value, keys compared case-insensitively as PowerShell users expect.</summary>
        public Hashtable Tags { get; set; } = new Hashtable(StringComparer.OrdinalIgnoreCase);
        /// <summary>UTC.</summary>
        public DateTime? CreatedTime { get; set; }
        /// <summary>UTC; when the group or its rules last changed.</summary>
        public DateTime? UpdateTime { get; set; }

        public override string ToString() => SecurityGroupId ?? string.Empty;

        internal static TcSecurityGroup From(SecurityGroup wire, string region)
        {
            var tags = new Hashtable(StringComparer.OrdinalIgnoreCase);
            foreach (Tag tag in (wire.TagSet ?? Enumerable.Empty<Tag>()).Where(t => t?.Key != null)) tags[tag.Key] = tag.Value;
            return new TcSecurityGroup
            {
                Region = region,
                SecurityGroupId = wire.SecurityGroupId,
                Name = wire.SecurityGroupName,
                Description = wire.SecurityGroupDesc,
                IsDefault = wire.IsDefault,
                ProjectId = wire.ProjectId,
                Tags = tags,
                CreatedTime = TcTime.Parse(wire.CreatedTime),
                UpdateTime = TcTime.Parse(wire.UpdateTime),
            };
        }
    }
}
