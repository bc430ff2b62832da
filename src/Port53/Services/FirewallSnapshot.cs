using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Port53.Analysis;
using Port53.Api;
using Port53.Api.Models;

namespace Port53.Services
{
    /// <summary>
    /// One Lighthouse instance's firewall as read at one FirewallVersion, parsed for evaluation. Immutable. A firewall
    /// belongs to one instance, so unlike a security group it is never shared between targets and is read per target.
    /// </summary>
    internal sealed class FirewallSnapshot
    {
        public FirewallSnapshot(string region, string instanceId, long firewallVersion, IReadOnlyList<FirewallRuleInfo> rules)
        {
            Region = region;
            InstanceId = instanceId;
            FirewallVersion = firewallVersion;
            Rules = rules;
            Parsed = Firewalls.Parse(instanceId, firewallVersion, rules);
        }

        public string Region { get; }
        public string InstanceId { get; }
        /// <summary>The version the rules were read at; a write must pass it back.</summary>
        public long FirewallVersion { get; }
        /// <summary>The rules in the firewall's order, as read.</summary>
        public IReadOnlyList<FirewallRuleInfo> Rules { get; }
        public ParsedGroup Parsed { get; }

        public static async Task<FirewallSnapshot> ReadAsync(LighthouseService lighthouse, string region, string instanceId, CancellationToken cancellationToken)
        {
            var (version, rules) = await lighthouse.DescribeFirewallRulesAsync(region, instanceId, cancellationToken).ConfigureAwait(false);
            return new FirewallSnapshot(region, instanceId, version, rules);
        }
    }
}
