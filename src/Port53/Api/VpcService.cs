using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Port53.Api.Models;

namespace Port53.Api
{
    /// <summary>
    /// The VPC actions Port53 uses: security groups, their rules, and the templates rules may name.
    /// Paged Describe methods hand over one page at a time; write methods return the RequestId to record.
    /// </summary>
    internal sealed class VpcService
    {
        public const string Service = "vpc";

        private readonly TcClient _client;

        public VpcService(TcClient client) => _client = client ?? throw new ArgumentNullException(nameof(client));

        public TcClient Client => _client;

        /// <summary>Security groups by id and/or filters (security-group-id, security-group-name, tag-key, tag:&lt;key&gt;); empty query = all.</summary>
        public Task<long> DescribeSecurityGroupsAsync(string region, TcQuery query, Action<IReadOnlyList<SecurityGroup>> onPage,
            CancellationToken cancellationToken) =>
            PageBatchesAsync<DescribeSecurityGroupsResponse, SecurityGroup>("DescribeSecurityGroups", region, query, "security-group-id",
                (ids, filters, offset, limit) => new DescribeSecurityGroupsRequest { SecurityGroupIds = ids, Filters = filters, Offset = Str(offset), Limit = Str(limit) },
                g => g.SecurityGroupId, onPage, cancellationToken);

        /// <summary>The rules of one group, with the Version a later write must pass.</summary>
        public async Task<SecurityGroupPolicySet> DescribeSecurityGroupPoliciesAsync(string region, string securityGroupId, CancellationToken cancellationToken)
        {
            var reply = await _client.CallAsync<DescribeSecurityGroupPoliciesResponse>(Service, "DescribeSecurityGroupPolicies", region,
                new DescribeSecurityGroupPoliciesRequest { SecurityGroupId = securityGroupId }, cancellationToken).ConfigureAwait(false);
            return reply.SecurityGroupPolicySet ?? new SecurityGroupPolicySet { Ingress = new List<SecurityGroupPolicy>(), Egress = new List<SecurityGroupPolicy>() };
        }

        /// <summary>
        /// Adds rules (Ingress or Egress, one direction per call; PolicyIndex 0 inserts at the top). Pass the
        /// Version read last: a concurrent change fails with UnsupportedOperation.VersionMismatch instead of being overwritten.
        /// </summary>
        public Task<string> CreateSecurityGroupPoliciesAsync(string region, string securityGroupId, SecurityGroupPolicySet policies,
            CancellationToken cancellationToken) =>
            WriteAsync("CreateSecurityGroupPolicies", region, securityGroupId, policies, cancellationToken);

        /// <summary>Deletes rules, by PolicyIndex or by matching fields, one direction per call, with the Version read last.</summary>
        public Task<string> DeleteSecurityGroupPoliciesAsync(string region, string securityGroupId, SecurityGroupPolicySet policies,
            CancellationToken cancellationToken) =>
            WriteAsync("DeleteSecurityGroupPolicies", region, securityGroupId, policies, cancellationToken);

        /// <summary>
        /// Replaces every rule of the group (ingress and egress, given in order, without PolicyIndex) in one request,
        /// with the Version read last, which Tencent checks as for the other writes.
        /// </summary>
        public Task<string> ModifySecurityGroupPoliciesAsync(string region, string securityGroupId, SecurityGroupPolicySet policies,
            CancellationToken cancellationToken) =>
            WriteAsync("ModifySecurityGroupPolicies", region, securityGroupId, policies, cancellationToken);

        /// <summary>Service templates (ppm-) by id and/or filters; ServiceSet entries look like "tcp:53" or "udp:50-60".</summary>
        public Task<long> DescribeServiceTemplatesAsync(string region, TcQuery query, Action<IReadOnlyList<ServiceTemplate>> onPage,
            CancellationToken cancellationToken) =>
            PageTemplatesAsync<DescribeServiceTemplatesResponse, ServiceTemplate>("DescribeServiceTemplates", region, query, "service-template-id",
                t => t.ServiceTemplateId, onPage, cancellationToken);

        /// <summary>Service template groups (ppmg-) by id and/or filters.</summary>
        public Task<long> DescribeServiceTemplateGroupsAsync(string region, TcQuery query, Action<IReadOnlyList<ServiceTemplateGroup>> onPage,
            CancellationToken cancellationToken) =>
            PageTemplatesAsync<DescribeServiceTemplateGroupsResponse, ServiceTemplateGroup>("DescribeServiceTemplateGroups", region, query, "service-template-group-id",
                t => t.ServiceTemplateGroupId, onPage, cancellationToken);

        /// <summary>Address templates (ipm-) by id and/or filters; AddressSet holds IPs, CIDRs and ranges.</summary>
        public Task<long> DescribeAddressTemplatesAsync(string region, TcQuery query, Action<IReadOnlyList<AddressTemplate>> onPage,
            CancellationToken cancellationToken) =>
            PageTemplatesAsync<DescribeAddressTemplatesResponse, AddressTemplate>("DescribeAddressTemplates", region, query, "address-template-id",
                t => t.AddressTemplateId, onPage, cancellationToken);

        /// <summary>Address template groups (ipmg-) by id and/or filters.</summary>
        public Task<long> DescribeAddressTemplateGroupsAsync(string region, TcQuery query, Action<IReadOnlyList<AddressTemplateGroup>> onPage,
            CancellationToken cancellationToken) =>
            PageTemplatesAsync<DescribeAddressTemplateGroupsResponse, AddressTemplateGroup>("DescribeAddressTemplateGroups", region, query, "address-template-group-id",
                t => t.AddressTemplateGroupId, onPage, cancellationToken);

        private async Task<string> WriteAsync(string action, string region, string securityGroupId, SecurityGroupPolicySet policies,
            CancellationToken cancellationToken)
        {
            var reply = await _client.CallAsync<TcEmptyResponse>(Service, action, region,
                new SecurityGroupPoliciesRequest { SecurityGroupId = securityGroupId, SecurityGroupPolicySet = policies }, cancellationToken).ConfigureAwait(false);
            return reply.RequestId;
        }

        // The template actions take no id list: ids travel as a filter, which Batches() produces when there are filters.
        private Task<long> PageTemplatesAsync<TResponse, TItem>(string action, string region, TcQuery query, string idFilterName,
            Func<TItem, string> idOf, Action<IReadOnlyList<TItem>> onPage, CancellationToken cancellationToken)
            where TResponse : TcPagedResponse<TItem>, new()
        {
            var asFilters = new TcQuery();
            if (query != null)
            {
                foreach (Filter f in query.Filters) asFilters.WithFilter(f.Name, f.Values);
                if (query.Ids.Count > 0) asFilters.WithFilter(idFilterName, query.Ids);
            }
            return PageBatchesAsync<TResponse, TItem>(action, region, asFilters, idFilterName,
                (ids, filters, offset, limit) => new DescribeTemplatesRequest { Filters = filters, Offset = Str(offset), Limit = Str(limit) },
                idOf, onPage, cancellationToken);
        }

        private Task<long> PageBatchesAsync<TResponse, TItem>(string action, string region, TcQuery query, string idFilterName,
            Func<List<string>, List<Filter>, int, int, object> request, Func<TItem, string> idOf,
            Action<IReadOnlyList<TItem>> onPage, CancellationToken cancellationToken)
            where TResponse : TcPagedResponse<TItem>, new() =>
            _client.PageQueryAsync<TResponse, TItem>(Service, action, region, query, idFilterName, request, idOf, onPage, cancellationToken);

        private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
