using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Port53.Api.Models;

namespace Port53.Api
{
    /// <summary>The Organization action Port53 uses: the member accounts of the caller's organization.</summary>
    internal sealed class OrganizationService
    {
        public const string Service = "organization";
        /// <summary>DescribeOrganizationMembers takes at most 50 a page, and an Offset that is a multiple of Limit.</summary>
        public const int PageSize = 50;

        private readonly TcClient _client;

        public OrganizationService(TcClient client) => _client = client ?? throw new ArgumentNullException(nameof(client));

        /// <summary>
        /// Every member, handed to <paramref name="onPage"/> a page at a time; the action is global (no region).
        /// Stops at Total, or at a short or empty page. Returns how many were handed over.
        /// </summary>
        public async Task<long> DescribeMembersAsync(Action<IReadOnlyList<OrganizationMember>> onPage, CancellationToken cancellationToken)
        {
            long offset = 0;
            while (true)
            {
                var page = await _client.CallAsync<DescribeOrganizationMembersResponse>(Service, "DescribeOrganizationMembers", null,
                    new DescribeOrganizationMembersRequest { Offset = offset, Limit = PageSize }, cancellationToken).ConfigureAwait(false);
                List<OrganizationMember> items = page.Items ?? new List<OrganizationMember>();
                if (items.Count > 0) onPage(items);
                offset += items.Count;
                if (items.Count < PageSize || (page.Total > 0 && offset >= page.Total)) return offset;
            }
        }
    }
}
