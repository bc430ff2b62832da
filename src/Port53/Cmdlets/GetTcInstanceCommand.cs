using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using Port53.Api;
using Port53.Api.Models;
using Port53.Execution;
using Port53.Model;
using Port53.Resources;
using Port53.Services;
using Port53.Session;

namespace Port53.Cmdlets
{
    /// <summary>
    /// Lists CVM instances of one region, several, or every region (-Region *), streaming each page as it
    /// arrives. Named ids behave like Get-Item: one ObjectNotFound error per id found nowhere; a filter that
    /// matches nothing returns nothing.
    ///
    /// With Block-TcPort53 or Unblock-TcPort53 downstream it records more than it emits: each instance's bindings and,
    /// for a region listed in full, which instances bind which group, into the <see cref="PipelineReads"/> the change
    /// command opened in its BeginProcessing (<see cref="PipelineReadsSlot"/>). Without one it records nothing.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "TcInstance")]
    [OutputType(typeof(TcInstance))]
    public sealed class GetTcInstanceCommand : TcCmdlet
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        [ValidateTcId("ins")]
        [ArgumentCompleter(typeof(InstanceIdCompleter))]
        public string[] InstanceId { get; set; }

        /// <summary>Region names, wildcards, or `*` for every available region; default: the session's region.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotBlank]
        [ArgumentCompleter(typeof(RegionCompleter))]
        public string[] Region { get; set; }

        [Parameter]
        [SupportsWildcards]
        [ValidateNotBlank]
        public string[] Name { get; set; }

        [Parameter]
        [ValidateNotBlank]
        public string[] Zone { get; set; }

        [Parameter]
        [ValidateNotBlank]
        public string[] VpcId { get; set; }

        [Parameter]
        [ValidateNotBlank]
        [ValidateSet("PENDING", "LAUNCH_FAILED", "RUNNING", "STOPPED", "STARTING", "STOPPING", "REBOOTING", "SHUTDOWN", "TERMINATING")]
        public string[] State { get; set; }

        /// <summary>Tag key → value(s); '*' matches any instance that has the key.</summary>
        [Parameter]
        [ValidateFilterTable(tags: true)]
        public Hashtable Tag { get; set; }

        /// <summary>Raw DescribeInstances filters: name → value(s), e.g. @{ 'security-group-id' = 'sg-12345678' }.</summary>
        [Parameter]
        [ValidateFilterTable(tags: false)]
        public Hashtable Filter { get; set; }

        /// <summary>The contexts (accounts) to list in, piped or given; default: the session's default context.</summary>
        [Parameter(ValueFromPipeline = true)]
        [ArgumentCompleter(typeof(AccountCompleter))]
        [ValidateNotNullOrEmpty]
        public TcContext[] Account { get; set; }

        /// <summary>How many regions each account lists at once.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = TcWorkBatch.DefaultThrottle;

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
                IReadOnlyList<string> regions = ResolveRegions(Region, account: account);
                if (InstanceId == null) Query(account, regions.Select(r => (r, (IEnumerable<string>)null)).ToList(), null);
                else _batches.Name(account, InstanceId, regions);
            }
        }

        protected override void EndProcessing()
        {
            if (_batches == null) return;
            foreach (ErrorRecord missing in _batches.FinishLookups((account, search) => Query(account, search.Lookups(), search), Narrowed)) WriteError(missing);
        }

        /// <summary>Whether anything besides ids narrows the result, so that a named id may rightly be absent.</summary>
        private bool Narrowed => Name != null || Zone != null || VpcId != null || State != null || Tag != null || Filter != null;

        /// <param name="named">The ids looked for, which the replies mark as found; null for a listing.</param>
        private void Query(AccountScope account, List<(string Region, IEnumerable<string> Ids)> work, NamedIdSearch named)
        {
            List<WildcardPattern> names = Name?.Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToList();
            // A change command later in the pipeline acts on the bindings read here, and names every instance bound
            // to a group it changes: a listing of the whole region, made here anyway, tells it without another lookup.
            // Null when no change command runs in this pipeline: then nothing is recorded.
            PipelineReads reads = Session.PipelineReads.Current;
            TcWorkBatch batch = _batches.For(account, work.Count > 1 ? Strings.Core["ProgressInstances"] : null);
            foreach ((string Region, IEnumerable<string> Ids) one in work) batch.Start(one, async (item, worker) =>
            {
                TcQuery query = BuildQuery(item.Ids);
                PipelineReads.RegionListing listing = item.Ids == null && !Narrowed ? reads?.StartListing(account.Key, item.Region) : null;
                worker.WriteVerbose(Strings.Core.Format("VerboseQueryRegion", item.Region));
                // Every region's first page is asked for at once (one round trip for a small fleet); each later page
                // only once its output has a place in the queue, so a slow consumer holds back the listing instead
                // of pages piling up in memory.
                OutputSlot slot = null;
                try
                {
                    await worker.Cvm.DescribeInstancesAsync(item.Region, query, page =>
                    {
                        var emitted = new List<TcInstance>(page.Count);
                        foreach (Instance instance in page)
                        {
                            listing?.Add(instance.InstanceId, instance.SecurityGroupIds);
                            reads?.AddBinding(account.Key, item.Region, instance.InstanceId, instance.SecurityGroupIds);
                            // Only named ids are looked for later; a whole-region listing would keep every id of the fleet here.
                            if (named != null && instance.InstanceId != null) named.Found[instance.InstanceId] = true;
                            if (names != null && !names.Any(p => p.IsMatch(instance.InstanceName ?? string.Empty))) continue;
                            TcInstance one = account.Stamp(TcInstance.From(instance, item.Region));
                            worker.Recent.Remember(one);
                            emitted.Add(one);
                        }
                        if (emitted.Count > 0) worker.WriteObjects(emitted, slot);
                    }, worker.CancellationToken, async token =>
                    {
                        // Given back if the last page did not use it (nothing new, or nothing matched -Name).
                        slot?.Dispose();
                        slot = null;
                        slot = await worker.ReserveOutputAsync(token).ConfigureAwait(false);
                    }).ConfigureAwait(false);
                    listing?.Complete();
                }
                catch (Exception) when (!worker.CancellationToken.IsCancellationRequested)
                {
                    if (named != null) named.Failed[item.Region] = true;
                    throw;
                }
                finally
                {
                    // A reservation whose page never came or brought nothing (a failed call, Ctrl+C, the last page) goes back.
                    slot?.Dispose();
                }
            }, item => item.Region);
        }

        private TcQuery BuildQuery(IEnumerable<string> ids)
        {
            var query = new TcQuery().WithIds(ids);
            // Tencent's instance-name filter is not an exact match, so exact names are still checked client-side.
            if (Name != null && !Name.Any(WildcardPattern.ContainsWildcardCharacters)) query.WithFilter("instance-name", Name);
            if (Zone != null) query.WithFilter("zone", Zone);
            if (VpcId != null) query.WithFilter("vpc-id", VpcId);
            if (State != null) query.WithFilter("instance-state", State.Select(s => s.ToUpperInvariant()));
            return query.WithTags(Tag).WithFilters(Filter);
        }
    }
}
