using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Port53.Api.Models;

namespace Port53.Api
{
    /// <summary>
    /// The Lighthouse (轻量应用服务器) actions Port53 uses: its regions, its instances and each instance's firewall.
    /// Region-scoped like CVM and VPC, so calls go to lighthouse.&lt;region&gt;.tencentcloudapi.com with that access
    /// region's budgets (DescribeFirewallRules and CreateFirewallRules 10/s, ModifyFirewallRules 20/s).
    /// </summary>
    internal sealed class LighthouseService
    {
        public const string Service = "lighthouse";

        private readonly TcClient _client;

        public LighthouseService(TcClient client) => _client = client ?? throw new ArgumentNullException(nameof(client));

        public TcClient Client => _client;

        /// <summary>The regions Lighthouse is sold in (its own list, not CVM's); the API needs no region.</summary>
        public async Task<List<LighthouseRegionInfo>> DescribeRegionsAsync(CancellationToken cancellationToken, string region = null)
        {
            var reply = await _client.CallAsync<DescribeLighthouseRegionsResponse>(Service, "DescribeRegions", region, new DescribeLighthouseRegionsRequest(), cancellationToken).ConfigureAwait(false);
            return reply.RegionSet;
        }

        /// <summary>
        /// Instances of one region matching <paramref name="query"/> (ids and/or the filters Tencent offers: instance-name,
        /// private-ip-address, public-ip-address, zone, instance-state, tag-key, tag-value, tag:&lt;key&gt;, bundle-id; an
        /// empty query means all), a page at a time, each instance once. Returns how many were handed over.
        /// </summary>
        public async Task<long> DescribeInstancesAsync(string region, TcQuery query, Action<IReadOnlyList<LighthouseInstance>> onPage,
            CancellationToken cancellationToken, Func<CancellationToken, Task> beforeNextPage = null)
        {
            // Tencent takes InstanceIds or Filters, and Lighthouse has no instance-id filter: with both, the filters
            // are sent and the ids kept here.
            HashSet<string> named = null;
            if (query != null && query.Ids.Count > 0 && query.Filters.Count > 0)
            {
                named = new HashSet<string>(query.Ids, StringComparer.OrdinalIgnoreCase);
                var filtersOnly = new TcQuery();
                foreach (Filter f in query.Filters) filtersOnly.WithFilter(f.Name, f.Values);
                query = filtersOnly;
            }
            long count = 0;
            await _client.PageQueryAsync<DescribeLighthouseInstancesResponse, LighthouseInstance>(Service, "DescribeInstances", region, query, null,
                (ids, filters, offset, limit) => new DescribeLighthouseInstancesRequest { InstanceIds = ids, Filters = filters, Offset = offset, Limit = limit },
                i => i.InstanceId, page =>
                {
                    IReadOnlyList<LighthouseInstance> kept = named == null ? page : page.Where(i => i.InstanceId != null && named.Contains(i.InstanceId)).ToList();
                    count += kept.Count;
                    if (kept.Count > 0) onPage(kept);
                }, cancellationToken, beforeNextPage).ConfigureAwait(false);
            return count;
        }

        /// <summary>
        /// One instance's firewall: its rules in order (the first match decides) and the FirewallVersion a later write
        /// must carry. A firewall holds at most 100 rules, one page; should there be more, a FirewallVersion that moved
        /// between pages means the pages straddle a change, so the list is read again from the start.
        /// </summary>
        public async Task<(long FirewallVersion, List<FirewallRuleInfo> Rules)> DescribeFirewallRulesAsync(string region, string instanceId,
            CancellationToken cancellationToken)
        {
            while (true)
            {
                var rules = new List<FirewallRuleInfo>();
                DescribeFirewallRulesResponse first = null, page;
                do
                {
                    page = await _client.CallAsync<DescribeFirewallRulesResponse>(Service, "DescribeFirewallRules", region,
                        new DescribeFirewallRulesRequest { InstanceId = instanceId, Offset = rules.Count, Limit = TcClient.MaxPageSize }, cancellationToken).ConfigureAwait(false);
                    first = first ?? page;
                    rules.AddRange(page.FirewallRuleSet ?? new List<FirewallRuleInfo>());
                }
                while (page.FirewallVersion == first.FirewallVersion && (page.FirewallRuleSet?.Count ?? 0) == TcClient.MaxPageSize && rules.Count < page.TotalCount);
                if (page.FirewallVersion == first.FirewallVersion) return (first.FirewallVersion, rules);
            }
        }

        /// <summary>
        /// Replaces the whole firewall with <paramref name="rules"/> (at most 100, in order) in one request, carrying the
        /// FirewallVersion read last: a concurrent change fails with UnsupportedOperation.FirewallVersionMismatch
        /// instead of being overwritten. The only write that places a rule: CreateFirewallRules takes no position.
        /// </summary>
        public async Task<string> ModifyFirewallRulesAsync(string region, string instanceId, IEnumerable<FirewallRule> rules, long firewallVersion,
            CancellationToken cancellationToken)
        {
            var reply = await _client.CallAsync<TcEmptyResponse>(Service, "ModifyFirewallRules", region,
                new FirewallRulesRequest { InstanceId = instanceId, FirewallRules = new List<FirewallRule>(rules), FirewallVersion = firewallVersion }, cancellationToken).ConfigureAwait(false);
            return reply.RequestId;
        }

        /// <summary>Deletes the rules equal to <paramref name="rules"/>, carrying the FirewallVersion read last (for a list that ends up empty, which ModifyFirewallRules cannot express).</summary>
        public async Task<string> DeleteFirewallRulesAsync(string region, string instanceId, IEnumerable<FirewallRule> rules, long firewallVersion,
            CancellationToken cancellationToken)
        {
            var reply = await _client.CallAsync<TcEmptyResponse>(Service, "DeleteFirewallRules", region,
                new FirewallRulesRequest { InstanceId = instanceId, FirewallRules = new List<FirewallRule>(rules), FirewallVersion = firewallVersion }, cancellationToken).ConfigureAwait(false);
            return reply.RequestId;
        }
    }
}
