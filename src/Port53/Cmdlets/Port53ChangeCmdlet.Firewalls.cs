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
        private static void AddFirewalls(Lane lane, string region, IEnumerable<string> instanceIds)
        {
            foreach (string id in instanceIds)
                if (!lane.Firewalls.Contains((region, id))) lane.Firewalls.Add((region, id));
        }

        /// <summary>Plans every firewall of every account from one read each (concurrently), asks for each change here, then writes the approved ones.</summary>
        private void ChangeFirewalls(List<Lane> lanes)
        {
            if (lanes.Count == 0) return;
            var plans = new ConcurrentBag<(Lane Lane, FirewallChangePlan Plan)>();
            var firewalls = lanes.SelectMany(lane => lane.Firewalls.Select(firewall => (Lane: lane, firewall.Region, firewall.InstanceId))).ToList();
            TcWorkBatch.Run(this, firewalls, async (f, worker) =>
            {
                FirewallChangePlan plan = await f.Lane.FirewallEngine.PlanAsync(ChangeAction, f.Region, f.InstanceId,
                    _reads.Firewall(f.Lane.Account.Key, f.Region, f.InstanceId), worker.CancellationToken).ConfigureAwait(false);
                WriteProblems(plan.Problems, worker);
                if (plan.Snapshot != null) plans.Add((f.Lane, plan));
            }, f => f.InstanceId, ThrottleLimit, accountOf: f => f.Lane.Account);

            var approved = new List<(Lane Lane, FirewallChangePlan Plan)>();
            foreach ((Lane lane, FirewallChangePlan plan) in plans.OrderBy(p => p.Lane.Account.Name, StringComparer.Ordinal)
                .ThenBy(p => p.Plan.Region, StringComparer.Ordinal).ThenBy(p => p.Plan.InstanceId, StringComparer.Ordinal))
            {
                if (plan.IsNoOp)
                {
                    WriteVerbose(Strings.Remediation.Format("FirewallVerboseNoChange", plan.InstanceId, plan.Region, plan.Snapshot.FirewallVersion));
                    if (plan.Problems.Count == 0) Emit(lane.FirewallEngine.NoChange(plan));
                }
                else if (Approve(plan))
                {
                    approved.Add((lane, plan));
                }
            }
            TcWorkBatch.Run(this, TcWorkBatch.AcrossRegions(approved, p => p.Lane.Account.Key + "\n" + p.Plan.Region), async (p, worker) =>
            {
                RemediationOutcome outcome = await p.Lane.FirewallEngine.ApplyAsync(p.Plan, worker.CancellationToken).ConfigureAwait(false);
                Outbox.Post(_ => Emit(outcome.Change));
                WriteProblems(outcome.Problems, worker);
            }, p => p.Plan.InstanceId, ThrottleLimit, accountOf: p => p.Lane.Account);
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
