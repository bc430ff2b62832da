using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Port53.Analysis;
using Port53.Api;
using Port53.Api.Models;
using Port53.Session;

namespace Port53.Services
{
    /// <summary>
    /// Reads security-group rules and the templates they name for one command, each at most once: however many
    /// instances share a group, its rules are read once; a region's templates are read once, and only the kinds
    /// its rules use. Concurrent callers asking for the same group share one read. Thread-safe.
    ///
    /// A failed read stays failed for the command (the client has already retried what is worth retrying), so
    /// every target that binds the group reports the same error without another call.
    ///
    /// A reader may be given the readers of earlier commands of the same pipeline (<see cref="PipelineReads"/>):
    /// it then takes templates, and the groups asked for with <see cref="GetSharedAsync"/>, from what they read
    /// successfully, instead of reading them again.
    /// </summary>
    internal sealed class SecurityGroupReader
    {
        private static readonly SecurityGroupReader[] NoEarlier = new SecurityGroupReader[0];

        private readonly VpcService _vpc;
        private readonly IReadOnlyList<SecurityGroupReader> _earlier;
        private readonly ConcurrentDictionary<string, Lazy<Task<GroupSnapshot>>> _groups =
            new ConcurrentDictionary<string, Lazy<Task<GroupSnapshot>>>(StringComparer.OrdinalIgnoreCase);
        private readonly ConcurrentDictionary<string, Lazy<Task<object>>> _templates =
            new ConcurrentDictionary<string, Lazy<Task<object>>>(StringComparer.OrdinalIgnoreCase);
        private readonly ConcurrentDictionary<string, Lazy<Task<TemplateCatalog>>> _catalogs =
            new ConcurrentDictionary<string, Lazy<Task<TemplateCatalog>>>(StringComparer.OrdinalIgnoreCase);

        public SecurityGroupReader(VpcService vpc, IReadOnlyList<SecurityGroupReader> earlier = null)
        {
            _vpc = vpc ?? throw new ArgumentNullException(nameof(vpc));
            _earlier = earlier ?? NoEarlier;
        }

        /// <summary>The group's rules, read once per command: the first call for a group reads it now.</summary>
        public Task<GroupSnapshot> GetAsync(string region, string securityGroupId, CancellationToken cancellationToken) =>
            Once(_groups, Key(region, securityGroupId), () => ReadAsync(region, securityGroupId, cancellationToken));

        /// <summary>
        /// As <see cref="GetAsync"/>, but a group an earlier command of the pipeline read is taken from it. A change
        /// command writes at the Version of that read too: the write's Version check refuses it if the group changed
        /// since, and the group is then read again with <see cref="RefreshAsync"/>.
        /// </summary>
        public Task<GroupSnapshot> GetSharedAsync(string region, string securityGroupId, CancellationToken cancellationToken)
        {
            string key = Key(region, securityGroupId);
            return Once(_groups, key, () => Earlier(r => r._groups, key) ?? ReadAsync(region, securityGroupId, cancellationToken));
        }

        /// <summary>Reads the group again (after a refused write, or one whose outcome is unknown) and makes that the command's copy.</summary>
        public async Task<GroupSnapshot> RefreshAsync(string region, string securityGroupId, CancellationToken cancellationToken)
        {
            GroupSnapshot fresh = await ReadAsync(region, securityGroupId, cancellationToken).ConfigureAwait(false);
            _groups[Key(region, securityGroupId)] = new Lazy<Task<GroupSnapshot>>(() => Task.FromResult(fresh));
            return fresh;
        }

        /// <summary>The groups in binding order, read concurrently (each once per command).</summary>
        public Task<GroupSnapshot[]> GetAllAsync(string region, IEnumerable<string> securityGroupIds, CancellationToken cancellationToken) =>
            Task.WhenAll(securityGroupIds.Select(id => GetAsync(region, id, cancellationToken)));

        /// <summary>
        /// As <see cref="GetAllAsync"/>, but a failure names the group it concerns: a
        /// <see cref="SecurityGroupReadException"/> around the read's own error, for the first group in binding order that failed.
        /// </summary>
        public async Task<GroupSnapshot[]> GetBoundAsync(string region, IReadOnlyList<string> securityGroupIdsInBindingOrder, CancellationToken cancellationToken)
        {
            Task<GroupSnapshot>[] reads = securityGroupIdsInBindingOrder.Select(id => GetAsync(region, id, cancellationToken)).ToArray();
            var groups = new GroupSnapshot[reads.Length];
            for (int i = 0; i < reads.Length; i++)
            {
                try
                {
                    groups[i] = await reads[i].ConfigureAwait(false);
                }
                catch (Exception ex) when (!(ex is OperationCanceledException))
                {
                    throw new SecurityGroupReadException(region, securityGroupIdsInBindingOrder[i], ex);
                }
            }
            return groups;
        }

        /// <summary>
        /// Port 53 exposure of groups bound in this order (an instance's SecurityGroupIds, or one group alone),
        /// with the snapshots it was computed from.
        /// </summary>
        internal async Task<(ExposureResult Result, GroupSnapshot[] Groups)> EvaluateAsync(string region, IReadOnlyList<string> securityGroupIdsInBindingOrder,
            CancellationToken cancellationToken)
        {
            GroupSnapshot[] groups = await GetAllAsync(region, securityGroupIdsInBindingOrder, cancellationToken).ConfigureAwait(false);
            return (Evaluate(groups), groups);
        }

        /// <summary>Port 53 exposure of snapshots already read, in binding order.</summary>
        public static ExposureResult Evaluate(IReadOnlyList<GroupSnapshot> groupsInBindingOrder) =>
            RuleEvaluator.Evaluate(groupsInBindingOrder.Select(g => g.Parsed).ToArray());

        private async Task<GroupSnapshot> ReadAsync(string region, string securityGroupId, CancellationToken cancellationToken)
        {
            SecurityGroupPolicySet set = await _vpc.DescribeSecurityGroupPoliciesAsync(region, securityGroupId, cancellationToken).ConfigureAwait(false);
            set.Ingress = set.Ingress ?? new List<SecurityGroupPolicy>();
            set.Egress = set.Egress ?? new List<SecurityGroupPolicy>();
            TemplateCatalog catalog = await CatalogAsync(region, TemplateReferences.Collect(set.Ingress), cancellationToken).ConfigureAwait(false);
            ParsedGroup parsed = ParsedGroup.Parse(GroupPolicies.From(securityGroupId, set), catalog);
            return new GroupSnapshot(region, securityGroupId, set, parsed);
        }

        /// <summary>
        /// A catalog holding every template kind <paramref name="references"/> needs (a template group needs its
        /// members' kind too). Kinds no rule of the region uses are never read.
        /// </summary>
        public Task<TemplateCatalog> CatalogAsync(string region, TemplateReferences references, CancellationToken cancellationToken)
        {
            if (references.IsEmpty) return Task.FromResult(TemplateCatalog.Empty);
            bool serviceGroups = references.ServiceGroupIds.Count > 0, addressGroups = references.AddressGroupIds.Count > 0;
            bool services = serviceGroups || references.ServiceIds.Count > 0, addresses = addressGroups || references.AddressIds.Count > 0;
            string key = Key(region, (services ? "s" : "") + (serviceGroups ? "S" : "") + (addresses ? "a" : "") + (addressGroups ? "A" : ""));
            return Once(_catalogs, key, async () =>
            {
                Task<List<ServiceTemplate>> st = services ? Templates<ServiceTemplate>(region, _vpc.DescribeServiceTemplatesAsync, cancellationToken) : None<ServiceTemplate>();
                Task<List<ServiceTemplateGroup>> sg = serviceGroups ? Templates<ServiceTemplateGroup>(region, _vpc.DescribeServiceTemplateGroupsAsync, cancellationToken) : None<ServiceTemplateGroup>();
                Task<List<AddressTemplate>> at = addresses ? Templates<AddressTemplate>(region, _vpc.DescribeAddressTemplatesAsync, cancellationToken) : None<AddressTemplate>();
                Task<List<AddressTemplateGroup>> ag = addressGroups ? Templates<AddressTemplateGroup>(region, _vpc.DescribeAddressTemplateGroupsAsync, cancellationToken) : None<AddressTemplateGroup>();
                await Task.WhenAll(st, sg, at, ag).ConfigureAwait(false);
                return new TemplateCatalog(st.Result, sg.Result, at.Result, ag.Result);
            });
        }

        private delegate Task<long> PagedDescribe<T>(string region, TcQuery query, Action<IReadOnlyList<T>> onPage, CancellationToken cancellationToken);

        // Every template of one kind in the region, read once per command whichever catalogs need it (or once per
        // pipeline: templates change rarely, and the ones an earlier command read are those its results rest on).
        private async Task<List<T>> Templates<T>(string region, PagedDescribe<T> describe, CancellationToken cancellationToken)
        {
            string key = Key(region, typeof(T).Name);
            object all = await Once(_templates, key, () => Earlier(r => r._templates, key) ?? ReadTemplatesAsync()).ConfigureAwait(false);
            return (List<T>)all;

            async Task<object> ReadTemplatesAsync()
            {
                var list = new List<T>();
                await describe(region, new TcQuery(), page => { lock (list) list.AddRange(page); }, cancellationToken).ConfigureAwait(false);
                return list;
            }
        }

        /// <summary>What the first earlier reader that read <paramref name="key"/> successfully got; null when none did.</summary>
        private Task<T> Earlier<T>(Func<SecurityGroupReader, ConcurrentDictionary<string, Lazy<Task<T>>>> cacheOf, string key)
        {
            foreach (SecurityGroupReader reader in _earlier)
            {
                if (cacheOf(reader).TryGetValue(key, out Lazy<Task<T>> read) && read.IsValueCreated && read.Value.Status == TaskStatus.RanToCompletion)
                    return read.Value;
            }
            return null;
        }

        private static Task<List<T>> None<T>() => Task.FromResult<List<T>>(null);

        private static string Key(string region, string id) => region + "\n" + id?.Trim();

        private static Task<T> Once<T>(ConcurrentDictionary<string, Lazy<Task<T>>> cache, string key, Func<Task<T>> read) =>
            cache.GetOrAdd(key, _ => new Lazy<Task<T>>(read, LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }
}
