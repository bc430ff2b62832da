using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using Port53.Api;
using Port53.Execution;
using Port53.Model;
using Port53.Resources;
using Port53.Services;

namespace Port53.Cmdlets
{
    /// <summary>
    /// Lists a Lighthouse instance's firewall the way the console does: its rules in order (the first that matches
    /// decides), each with its position and the FirewallVersion a write must carry. Takes instances from
    /// Get-TcLighthouseInstance by property name (InstanceId, Region).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "TcLighthouseFirewallRule")]
    [OutputType(typeof(TcLighthouseFirewallRule))]
    public sealed class GetTcLighthouseFirewallRuleCommand : TcLighthouseCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ValidateTcId("lhins")]
        [ArgumentCompleter(typeof(LighthouseInstanceIdCompleter))]
        public string[] InstanceId { get; set; }

        /// <summary>The contexts (accounts) to look the ids up in; default: the context a piped instance names, else the session's default.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(AccountCompleter))]
        [ValidateNotNullOrEmpty]
        public TcContext[] Account { get; set; }

        /// <summary>The context a piped Lighthouse instance was read with: its firewall is read there.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        public string ContextName { get; set; }

        /// <summary>The account a piped Lighthouse instance was read in.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        public long? AccountUin { get; set; }

        private AccountBatches _batches;

        protected override void ProcessRecord()
        {
            _batches = _batches ?? new AccountBatches(this, ThrottleLimit);
            foreach (AccountScope account in AccountsFor(Account, ContextName, AccountUin))
            {
                IReadOnlyList<string> regions = ResolveLighthouseRegions(account);
                if (regions.Count == 0) continue;
                TcWorkBatch batch = _batches.For(account);
                foreach (string id in TcIds.Distinct(InstanceId))
                    batch.Start(id, (target, worker) => ListAsync(id, regions, worker));
            }
        }

        protected override void EndProcessing() => _batches?.Finish();

        /// <summary>The firewall from the region that has the instance; in the others, "not found" is expected.</summary>
        private static async Task ListAsync(string instanceId, IReadOnlyList<string> regions, WorkerOutput worker)
        {
            var reads = regions.Select(region => FirewallSnapshot.ReadAsync(worker.Lighthouse, region, instanceId, worker.CancellationToken)).ToList();
            try
            {
                await Task.WhenAll(reads).ConfigureAwait(false);
            }
            catch (Exception) when (!worker.CancellationToken.IsCancellationRequested)
            {
                // Looked at one by one below.
            }
            worker.CancellationToken.ThrowIfCancellationRequested();
            List<FirewallSnapshot> found = reads.Where(r => r.Status == TaskStatus.RanToCompletion).Select(r => r.Result).ToList();
            foreach (FirewallSnapshot firewall in found)
                worker.WriteObjects(firewall.Rules.Select((rule, i) =>
                    worker.Account.Stamp(TcLighthouseFirewallRule.From(firewall.Region, firewall.InstanceId, firewall.FirewallVersion, rule, i))).ToList());
            if (found.Count > 0) return;
            Exception other = reads.Select(r => r.Exception?.InnerException).FirstOrDefault(e => e != null && !TargetFeed.IsNotFound(e));
            if (other != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(other).Throw();
            worker.WriteError(TcErrors.Create("InstanceNotFound", ErrorCategory.ObjectNotFound, instanceId,
                Strings.Core.Format("InstanceNotFound", instanceId, string.Join(", ", regions))));
        }
    }
}
