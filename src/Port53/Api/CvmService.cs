using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Port53.Api.Models;

namespace Port53.Api
{
    /// <summary>The CVM actions Port53 uses. Cmdlets call these; nothing above this layer builds a request.</summary>
    internal sealed class CvmService
    {
        public const string Service = "cvm";

        private readonly TcClient _client;

        public CvmService(TcClient client) => _client = client ?? throw new ArgumentNullException(nameof(client));

        public TcClient Client => _client;

        /// <summary>Every region of the account with its state; the API needs no region, so <paramref name="region"/> is optional.</summary>
        public async Task<List<RegionInfo>> DescribeRegionsAsync(CancellationToken cancellationToken, string region = null)
        {
            var reply = await _client.CallAsync<DescribeRegionsResponse>(Service, "DescribeRegions", region, new DescribeRegionsRequest(), cancellationToken).ConfigureAwait(false);
            return reply.RegionSet;
        }

        public async Task<List<ZoneInfo>> DescribeZonesAsync(string region, CancellationToken cancellationToken)
        {
            var reply = await _client.CallAsync<DescribeZonesResponse>(Service, "DescribeZones", region, new DescribeRegionsRequest(), cancellationToken).ConfigureAwait(false);
            return reply.ZoneSet;
        }

        /// <summary>
        /// Instances of one region matching <paramref name="query"/> (ids and/or filters such as zone, vpc-id,
        /// instance-state, instance-name, tag:&lt;key&gt;; an empty query means all), handed to
        /// <paramref name="onPage"/> a page at a time, each instance once. Returns how many were handed over.
        /// </summary>
        /// <param name="beforeNextPage">Awaited before each page after the first: the caller's backpressure.</param>
        public Task<long> DescribeInstancesAsync(string region, TcQuery query, Action<IReadOnlyList<Instance>> onPage,
            CancellationToken cancellationToken, Func<CancellationToken, Task> beforeNextPage = null) =>
            _client.PageQueryAsync<DescribeInstancesResponse, Instance>(Service, "DescribeInstances", region, query, "instance-id",
                (ids, filters, offset, limit) => new DescribeInstancesRequest { InstanceIds = ids, Filters = filters, Offset = offset, Limit = limit },
                i => i.InstanceId, onPage, cancellationToken, beforeNextPage);
    }
}
