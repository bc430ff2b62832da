using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Port53.Execution;
using Port53.Model;
using Port53.Resources;
using Port53.Services;

namespace Port53.Cmdlets
{
    /// <summary>
    /// Block and Unblock for Lighthouse instances (lhins-): each instance's firewall is its one rule list, planned and
    /// written by <see cref="FirewallRemediation"/>; approval, -WhatIf, errors, -PassThru and the journal are the same
    /// edge as for security groups.
    /// </summary>
    public abstract partial class Port53ChangeCmdlet
    {
        private readonly List<(string Region, string InstanceId)> _firewalls = new List<(string, string)>();
        private FirewallRemediation _firewallEngine;

        private bool HasFirewalls => _firewalls.Count > 0;

        private void AddFirewalls(string region, IEnumerable<string> instanceIds)
        {
            foreach (string id in instanceIds)
                if (!_firewalls.Contains((region, id))) _firewalls.Add((region, id));
        }

        private FirewallRemediation Firewalls(string changedBy) => _firewallEngine ?? (_firewallEngine = new FirewallRemediation(Lighthouse,
            TcPort53Exposure.Keys(Protocol, AddressFamily), changedBy, DateTime.UtcNow, WhatIfRequested ? null : _journal, PlacementChoice));

        /// <summary>Plans every firewall from one read each (concurrently), asks for each change here, then writes the approved ones.</summary>
        private void ChangeFirewalls(string changedBy)
        {
            if (!HasFirewalls) return;
            FirewallRemediation engine = Firewalls(changedBy);
            string account = RegionCacheKey(Connection);
            var plans = new ConcurrentBag<FirewallChangePlan>();
            TcWorkBatch.Run(this, _firewalls, async (firewall, worker) =>
            {
                FirewallChangePlan plan = await engine.PlanAsync(ChangeAction, firewall.Region, firewall.InstanceId,
                    _reads.Firewall(account, firewall.Region, firewall.InstanceId), worker.CancellationToken).ConfigureAwait(false);
                WriteProblems(plan.Problems, worker);
                if (plan.Snapshot != null) plans.Add(plan);
            }, firewall => firewall.InstanceId, ThrottleLimit);

            var approved = new List<FirewallChangePlan>();
            foreach (FirewallChangePlan plan in plans.OrderBy(p => p.Region, StringComparer.Ordinal).ThenBy(p => p.InstanceId, StringComparer.Ordinal))
            {
                if (plan.IsNoOp)
                {
                    WriteVerbose(Strings.Remediation.Format("FirewallVerboseNoChange", plan.InstanceId, plan.Region, plan.Snapshot.FirewallVersion));
                    if (plan.Problems.Count == 0) Emit(engine.NoChange(plan));
                }
                else if (Approve(plan))
                {
                    approved.Add(plan);
                }
            }
            TcWorkBatch.Run(this, TcWorkBatch.AcrossRegions(approved, plan => plan.Region), async (plan, worker) =>
            {
                RemediationOutcome outcome = await engine.ApplyAsync(plan, worker.CancellationToken).ConfigureAwait(false);
                Outbox.Post(_ => Emit(outcome.Change));
                WriteProblems(outcome.Problems, worker);
            }, plan => plan.InstanceId, ThrottleLimit);
        }

        /// <summary>ShouldProcess for one firewall, with the exact rules in the text; -Force as for groups.</summary>
        private bool Approve(FirewallChangePlan plan)
        {
            bool block = ChangeAction == TcPort53ChangeAction.Block;
            object[] args = { plan.RuleCount, plan.InstanceId, plan.Region, plan.Snapshot.FirewallVersion, plan.RulesText };
            string whatIf = Strings.Remediation.Format(block ? "FirewallBlockWhatIf" : "FirewallUnblockWhatIf", args);
            if (AsksNothing)
            {
                WriteVerbose(whatIf);
                return true;
            }
            return ShouldProcess(whatIf, Strings.Remediation.Format(block ? "FirewallBlockQuery" : "FirewallUnblockQuery", args),
                Strings.Remediation[block ? "BlockCaption" : "UnblockCaption"]);
        }
    }
}
