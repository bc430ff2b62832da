using System;
using System.Collections;
using System.Globalization;
using System.Linq;
using Port53.Api.Models;

namespace Port53.Model
{
    /// <summary>
    /// A CVM instance as Get-TcInstance emits it. InstanceId, Region and SecurityGroupIds bind by property
    /// name to the cmdlets that follow (Get-TcSecurityGroup, Test-TcPort53, Block-TcPort53).
    /// </summary>
    public sealed class TcInstance : ITcAccountObject
    {
        public string Region { get; set; }
        /// <summary>The account it was read from (or changed in); null when Port53 could not learn it.</summary>
        public long? AccountUin { get; set; }
        /// <summary>The session context it was read with: commands it is piped to act in that context.</summary>
        public string ContextName { get; set; }
        public string InstanceId { get; set; }
        public string InstanceName { get; set; }
        /// <summary>Tencent's InstanceState in upper case: RUNNING, STOPPED, PENDING, ...</summary>
        public string State { get; set; }
        public string Zone { get; set; }
        public string[] PrivateIpAddresses { get; set; } = new string[0];
        public string[] PublicIpAddresses { get; set; } = new string[0];
        public string[] Ipv6Addresses { get; set; } = new string[0];
        /// <summary>In binding order, which is the order rules are evaluated in.</summary>
        public string[] SecurityGroupIds { get; set; } = new string[0];
        public string VpcId { get; set; }
        public string SubnetId { get; set; }
        /// <summary>Tag key → value, keys compared case-insensitively as PowerShell users expect.</summary>
        public Hashtable Tags { get; set; } = new Hashtable(StringComparer.OrdinalIgnoreCase);
        public string InstanceType { get; set; }
        public string OsName { get; set; }
        public DateTime? CreatedTime { get; set; }

        public override string ToString() => InstanceId ?? string.Empty;

        internal static TcInstance From(Instance wire, string region)
        {
            var tags = new Hashtable(StringComparer.OrdinalIgnoreCase);
            foreach (Tag tag in wire.Tags.Where(t => t?.Key != null)) tags[tag.Key] = tag.Value;
            DateTime? created = null;
            if (DateTime.TryParse(wire.CreatedTime, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime parsed))
                created = parsed;
            return new TcInstance
            {
                Region = region,
                InstanceId = wire.InstanceId,
                InstanceName = wire.InstanceName,
                State = wire.InstanceState?.ToUpperInvariant(),
                Zone = wire.Placement?.Zone,
                PrivateIpAddresses = wire.PrivateIpAddresses.ToArray(),
                PublicIpAddresses = wire.PublicIpAddresses.ToArray(),
                Ipv6Addresses = wire.IPv6Addresses.ToArray(),
                SecurityGroupIds = wire.SecurityGroupIds.ToArray(),
                VpcId = wire.VirtualPrivateCloud?.VpcId,
                SubnetId = wire.VirtualPrivateCloud?.SubnetId,
                Tags = tags,
                InstanceType = wire.InstanceType,
                OsName = wire.OsName,
                CreatedTime = created,
            };
        }
    }
}
