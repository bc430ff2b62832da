using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Port53.Api;
using Port53.Api.Models;
using Port53.Execution;
using Port53.Model;
using Port53.Resources;
using Port53.Session;

namespace Port53.Cmdlets
{
    /// <summary>
    /// Lists Lighthouse instances of one region, several, or every region Lighthouse is sold in (-Region *), with the
    /// filters Tencent's DescribeInstances offers. Named ids behave like Get-TcInstance's: one ObjectNotFound error per
    /// id found nowhere; a filter that matches nothing returns nothing.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "TcLighthouseInstance")]
    [OutputType(typeof(TcLighthouseInstance))]
    public sealed class GetTcLighthouseInstanceCommand : TcLighthouseCmdlet
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        [ValidateTcId("lhins")]
        [ArgumentCompleter(typeof(LighthouseInstanceIdCompleter))]
        public string[] InstanceId { get; set; }

        [Parameter]
        [SupportsWildcards]
        [ValidateNotBlank]
        public string[] Name { get; set; }

        [Parameter]
        [ValidateNotBlank]
        public string[] Zone { get; set; }

        [Parameter]
        [ValidateNotBlank]
        [ValidateSet("PENDING", "LAUNCH_FAILED", "RUNNING", "STOPPED", "STARTING", "STOPPING", "REBOOTING", "SHUTDOWN", "TERMINATING", "DELETING", "FREEZING",
            "ENTER_RESCUE_MODE", "RESCUE_MODE", "EXIT_RESCUE_MODE")]
        public string[] State { get; set; }

        [Parameter]
        [ValidateNotBlank]
        public string[] PublicIpAddress { get; set; }

        [Parameter]
        [ValidateNotBlank]
        public string[] BundleId { get; set; }

        /// <summary>Tag key → value(s); '*' matches any instance that has the key.</summary>
        [Parameter]
        [ValidateFilterTable(tags: true)]
        public Hashtable Tag { get; set; }

        /// <summary>Raw DescribeInstances filters: name → value(s), e.g. @{ 'private-ip-address' = '10.0.0.4' }.</summary>
        [Parameter]
        [ValidateFilterTable(tags: false)]
        public Hashtable Filter { get; set; }

        /// <summary>The contexts (accounts) to list in, piped or given; default: the session's default context.</summary>
        [Parameter(ValueFromPipeline = true)]
        [ArgumentCompleter(typeof(AccountCompleter))]
        [ValidateNotNullOrEmpty]
        public TcContext[] Account { get; set; }

        /// <summary>The context a piped object (a region, a group, a rule) was read with: the command works in it.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        public string ContextName { get; set; }

        /// <summary>The account a piped object was read in.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        public long? AccountUin { get; set; }

        // Each account's listings and lookups run in a batch of its own, all at once, until EndProcessing.
        private AccountBatches _batches;

        protected override void ProcessRecord()
        {
            if (_batches == null) _batches = new AccountBatches(this, ThrottleLimit);
            foreach (AccountScope account in AccountsFor(Account, ContextName, AccountUin))
            {
                IReadOnlyList<string> regions = ResolveLighthouseRegions(account);
                if (InstanceId == null) Query(account, regions.Select(r => (r, (IEnumerable<string>)null)).ToList(), null);
                else _batches.Name(account, InstanceId, regions);
            }
        }

        protected override void EndProcessing()
        {
            if (_batches == null) return;
            foreach (ErrorRecord missing in _batches.FinishLookups((account, search) => Query(account, search.Lookups(), search), Narrowed)) WriteError(missing);
        }

        private bool Narrowed => Name != null || Zone != null || State != null || PublicIpAddress != null || BundleId != null || Tag != null || Filter != null;

        /// <param name="named">The ids looked for, which the replies mark as found; null for a listing.</param>
        private void Query(AccountScope account, List<(string Region, IEnumerable<string> Ids)> work, NamedIdSearch named)
        {
            List<WildcardPattern> names = Name?.Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToList();
            TcWorkBatch batch = _batches.For(account, work.Count > 1 ? Strings.Core["ProgressLighthouseInstances"] : null);
            foreach ((string Region, IEnumerable<string> Ids) one in work) batch.Start(one, async (item, worker) =>
            {
                worker.WriteVerbose(Strings.Core.Format("VerboseQueryLighthouseRegion", item.Region));
                try
                {
                    await worker.Lighthouse.DescribeInstancesAsync(item.Region, BuildQuery(item.Ids), page =>
                    {
                        var emitted = new List<TcLighthouseInstance>(page.Count);
                        foreach (LighthouseInstance instance in page)
                        {
                            if (named != null && instance.InstanceId != null) named.Found[instance.InstanceId] = true;
                            if (names != null && !names.Any(p => p.IsMatch(instance.InstanceName ?? string.Empty))) continue;
                            worker.Recent.Remember(TcIdKind.LighthouseInstance, instance.InstanceId, instance.InstanceName, item.Region);
                            emitted.Add(account.Stamp(TcLighthouseInstance.From(instance, item.Region)));
                        }
                        if (emitted.Count > 0) worker.WriteObjects(emitted);
                    }, worker.CancellationToken).ConfigureAwait(false);
                }
                catch (Exception) when (!worker.CancellationToken.IsCancellationRequested)
                {
                    if (named != null) named.Failed[item.Region] = true;
                    throw;
                }
            }, item => item.Region);
        }

        private TcQuery BuildQuery(IEnumerable<string> ids)
        {
            var query = new TcQuery().WithIds(ids);
            // Tencent's instance-name filter is not an exact match, so exact names are still checked client-side.
            if (Name != null && !Name.Any(WildcardPattern.ContainsWildcardCharacters)) query.WithFilter("instance-name", Name);
            if (Zone != null) query.WithFilter("zone", Zone);
            if (State != null) query.WithFilter("instance-state", State.Select(s => s.ToUpperInvariant()));
            if (PublicIpAddress != null) query.WithFilter("public-ip-address", PublicIpAddress);
            if (BundleId != null) query.WithFilter("bundle-id", BundleId);
            return query.WithTags(Tag).WithFilters(Filter);
        }
    }
}
