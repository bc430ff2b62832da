using System;
using System.Collections;
using System.Globalization;
using System.Linq;
using Port53.Api.Models;

namespace Port53.Model
{
    /// <summary>
    /// A Lighthouse (轻量应用服务器) instance as Get-TcLighthouseInstance emits it. It has no security groups: its own
    /// firewall decides what reaches it (Get-TcLighthouseFirewallRule). InstanceId and Region bind by property name to
    /// Get-TcLighthouseFirewallRule; Test-TcPort53 and Block-TcPort53 take the object itself. The address properties
    /// are named as TcInstance's, so one Where-Object serves a mixed pipeline.
    /// </summary>
    public sealed class TcLighthouseInstance : ITcAccountObject
    {
        public string Region { get; set; }
        /// <summary>The account it was read from (or changed in); null when Port53 could not learn it.</summary>
        public long? AccountUin { get; set; }
        /// <summary>The session context it was read with: commands it is piped to act in that context.</summary>
        public string ContextName { get; set; }
        /// <summary>lhins-xxxxxxxx.</summary>
        public string InstanceId { get; set; }
        public string InstanceName { get; set; }
        /// <summary>Tencent's InstanceState in upper case: RUNNING, STOPPED, PENDING, ...</summary>
        public string State { get; set; }
        public string Zone { get; set; }
        /// <summary>Tencent's PrivateAddresses.</summary>
        public string[] PrivateIpAddresses { get; set; } = new string[0];
        /// <summary>Tencent's PublicAddresses.</summary>
        public string[] PublicIpAddresses { get; set; } = new string[0];
        /// <summary>Tencent's PublicIpv6Addresses.</summary>
        public string[] Ipv6Addresses { get; set; } = new string[0];
        /// <summary>Tag key → value, keys compared case-insensitively.</summary>
        public Hashtable Tags { get; set; } = new Hashtable(StringComparer.OrdinalIgnoreCase);
        public string BundleId { get; set; }
        public string BlueprintId { get; set; }
        public string OsName { get; set; }
        public DateTime? CreatedTime { get; set; }

        public override string ToString() => InstanceId ?? string.Empty;

        internal static TcLighthouseInstance From(LighthouseInstance wire, string region)
        {
            var tags = new Hashtable(StringComparer.OrdinalIgnoreCase);
            foreach (Tag tag in (wire.Tags ?? new System.Collections.Generic.List<Tag>()).Where(t => t?.Key != null)) tags[tag.Key] = tag.Value;
            DateTime? created = null;
            if (DateTime.TryParse(wire.CreatedTime, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime parsed))
                created = parsed;
            return new TcLighthouseInstance
            {
                Region = region,
                InstanceId = wire.InstanceId,
                InstanceName = wire.InstanceName,
                State = wire.InstanceState?.ToUpperInvariant(),
                Zone = wire.Zone,
                PrivateIpAddresses = (wire.PrivateAddresses ?? new System.Collections.Generic.List<string>()).ToArray(),
                PublicIpAddresses = (wire.PublicAddresses ?? new System.Collections.Generic.List<string>()).ToArray(),
                Ipv6Addresses = (wire.PublicIpv6Addresses ?? new System.Collections.Generic.List<string>()).ToArray(),
                Tags = tags,
                BundleId = wire.BundleId,
                BlueprintId = wire.BlueprintId,
                OsName = wire.OsName,
                CreatedTime = created,
            };
        }
    }
}
