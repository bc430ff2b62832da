using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Port53.Analysis;
using Port53.Api;
using Port53.Api.Models;
using Port53.Model;

namespace Port53.Services
{
    /// <summary>
    /// Block's and Unblock's engine for Lighthouse firewalls, beside <see cref="Port53Remediation"/> for security groups
    /// and returning the same problems, outcomes and change records. A firewall is one list per instance, so there is
    /// nothing to look up or share: one read, one plan (the analysis' least change), one ModifyFirewallRules carrying the
    /// read's FirewallVersion (CreateFirewallRules takes no position, so a DROP above the deciding ACCEPT means writing
    /// the list whole). A concurrent edit fails with FirewallVersionMismatch; the firewall is then read again and
    /// re-planned within what was approved, never overwritten. Writes are journalled ahead, as for groups.
    /// </summary>
    internal sealed class FirewallRemediation
    {
        private const string VersionMismatch = "UnsupportedOperation.FirewallVersionMismatch";

        private readonly LighthouseService _lighthouse;
        private readonly IReadOnlyList<ExposureKey> _wanted;
        private readonly ChangeActor _actor;
        private readonly DateTime _addedOn;
        private readonly ChangeJournal _journal;
        private readonly TcPort53Placement _placement;

        /// <param name="journal">Null: no journal (or -WhatIf).</param>
        public FirewallRemediation(LighthouseService lighthouse, IReadOnlyList<ExposureKey> wanted, ChangeActor changedBy, DateTime addedOn,
            ChangeJournal journal, TcPort53Placement placement)
        {
            _lighthouse = lighthouse ?? throw new ArgumentNullException(nameof(lighthouse));
            _wanted = wanted;
            _actor = changedBy;
            _addedOn = addedOn;
            _journal = journal;
            _placement = placement;
        }

        /// <summary>
        /// The plan for one instance from one read of its firewall: <paramref name="read"/>, the pipeline's audit read,
        /// when there is one (the write carries its FirewallVersion, so a change since is refused and re-planned), else a
        /// read made here. A firewall that cannot be read is the plan's problem.
        /// </summary>
        public async Task<FirewallChangePlan> PlanAsync(TcPort53ChangeAction action, string region, string instanceId, FirewallSnapshot read,
            CancellationToken cancellationToken)
        {
            var plan = new FirewallChangePlan { Action = action, Region = region, InstanceId = instanceId };
            try
            {
                plan.Snapshot = read ?? await FirewallSnapshot.ReadAsync(_lighthouse, region, instanceId, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException) && !TcErrors.IsFatal(ex))
            {
                plan.Problems.Add(ServiceProblem.Failed(ex, instanceId));
                return plan;
            }
            if (action == TcPort53ChangeAction.Unblock)
            {
                plan.Edit = Port53Rules.EditForUnblock(Rules(plan.Snapshot), _wanted, null, RuleListKind.Firewall);
                return plan;
            }
            BlockPlan block = Port53Rules.PlanBlock(new[] { plan.Snapshot.Parsed }, instanceId, _wanted, _addedOn, TemplateCatalog.Empty, _placement);
            foreach (ExposureKey key in block.Unmovable)
                plan.Problems.Add(ServiceProblem.Detected("UserRuleNotMovable", ProblemCategory.InvalidOperation, instanceId, "UserRuleNotMovable",
                    key, instanceId, instanceId, RuleListKind.Firewall.MaxDescriptionLength()));
            if (block.OverFirewallQuota)
            {
                plan.Problems.Add(ServiceProblem.Detected("FirewallRuleQuota", ProblemCategory.QuotaExceeded, instanceId, "FirewallRuleQuota",
                    instanceId, region, block.Edit.Before.Count, block.Edit.Added.Count - block.Edit.Removed.Count, RuleLists.FirewallMaxRules));
                return plan;
            }
            plan.Edit = block.Edit;
            plan.Keys = block.KeysToBlock;
            return plan;
        }

        /// <summary>The record of a firewall that needed nothing (port 53 already denied, or no Port53 rule to remove).</summary>
        public TcPort53Change NoChange(FirewallChangePlan plan) =>
            Record(plan, TcPort53ChangeStatus.NoChange, plan.Snapshot.FirewallVersion, plan.Snapshot.FirewallVersion, plan.Edit, null, 0);

        /// <summary>
        /// Writes one approved plan. The firewall's own failures (quota, permission, a firewall that keeps changing) come
        /// back as problems, with nothing written; fatal failures and cancellation throw.
        /// </summary>
        public async Task<RemediationOutcome> ApplyAsync(FirewallChangePlan plan, CancellationToken cancellationToken)
        {
            var outcome = new RemediationOutcome();
            FirewallSnapshot snapshot = plan.Snapshot;
            RuleListEdit edit = plan.Edit;
            for (int attempt = 1; ; attempt++)
            {
                if (edit.IsEmpty)
                {
                    outcome.Change = Record(plan, TcPort53ChangeStatus.NoChange, snapshot.FirewallVersion, snapshot.FirewallVersion, edit, null, attempt - 1);
                    return outcome;
                }
                string intent = Intend(plan, snapshot.FirewallVersion, edit, attempt);
                string requestId;
                try
                {
                    requestId = await SendAsync(plan, snapshot.FirewallVersion, edit, cancellationToken).ConfigureAwait(false);
                }
                catch (TcApiException ex) when (!TcErrors.IsFatal(ex))
                {
                    bool lost = TcRetryPolicy.IsLostReply(ex);
                    bool retry = (ex.Code == VersionMismatch || lost) && attempt < Port53Remediation.MaxAttempts;
                    if (!retry && !lost)
                    {
                        Conclude(plan, intent, snapshot.FirewallVersion, JournalStatus.Failed, ex.Message);
                        outcome.Problems.Add(ex.Code == VersionMismatch
                            ? ServiceProblem.Failed(ex, plan.InstanceId, "FirewallVersionConflict", plan.InstanceId, plan.Region, attempt, ex.Message)
                            : ServiceProblem.Failed(ex, plan.InstanceId));
                        return outcome;
                    }
                    FirewallSnapshot fresh;
                    try
                    {
                        fresh = await FirewallSnapshot.ReadAsync(_lighthouse, plan.Region, plan.InstanceId, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception readError) when (!(readError is OperationCanceledException) && !TcErrors.IsFatal(readError))
                    {
                        Conclude(plan, intent, snapshot.FirewallVersion, lost ? JournalStatus.Unknown : JournalStatus.Failed, readError.Message);
                        outcome.Problems.Add(ServiceProblem.Failed(readError, plan.InstanceId));
                        return outcome;
                    }
                    if (lost && fresh.FirewallVersion != snapshot.FirewallVersion && Identities(Rules(fresh)).SequenceEqual(Identities(edit.After)))
                    {
                        // The lost write landed: the firewall is exactly the list it sent.
                        outcome.Change = Record(plan, TcPort53ChangeStatus.Changed, snapshot.FirewallVersion, fresh.FirewallVersion, edit, null, attempt);
                        _journal?.Conclude(JournalOutcome.Of(intent, outcome.Change));
                        return outcome;
                    }
                    Conclude(plan, intent, snapshot.FirewallVersion, JournalStatus.Failed, ex.Message);
                    if (!retry)
                    {
                        outcome.Problems.Add(ServiceProblem.Failed(ex, plan.InstanceId));
                        return outcome;
                    }
                    snapshot = fresh;
                    edit = Replan(plan, fresh);
                    continue;
                }
                // Tencent raises FirewallVersion by one with every change and took this write only at the version sent.
                outcome.Change = Record(plan, TcPort53ChangeStatus.Changed, snapshot.FirewallVersion, snapshot.FirewallVersion + 1, edit, requestId, attempt);
                _journal?.Conclude(JournalOutcome.Of(intent, outcome.Change));
                return outcome;
            }
        }

        /// <summary>
        /// What became of a firewall write whose run stopped before recording its outcome, from a fresh read: it landed
        /// when the version has moved on and the firewall holds every rule it added and none it removed.
        /// </summary>
        public async Task<JournalOutcome> ReconcileAsync(JournalIntent intent, CancellationToken cancellationToken)
        {
            JournalOutcome outcome = JournalOutcome.Reconciling(intent);
            FirewallSnapshot now;
            try
            {
                now = await FirewallSnapshot.ReadAsync(_lighthouse, intent.Region, intent.Firewall, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException) && !TcErrors.IsFatal(ex))
            {
                outcome.Status = JournalStatus.Unknown;
                outcome.Error = ex.Message;
                return outcome;
            }
            outcome.VersionAfter = Version(now.FirewallVersion);
            var seen = new HashSet<string>(Identities(Rules(now)), StringComparer.Ordinal);
            TcPort53Rule[] add = intent.RulesToAdd ?? new TcPort53Rule[0], remove = intent.RulesToRemove ?? new TcPort53Rule[0];
            bool landed = outcome.VersionAfter != intent.Version && add.All(r => seen.Contains(Identity(Port53Remediation.Policy(r)))) && remove.All(r => !seen.Contains(Identity(Port53Remediation.Policy(r))));
            outcome.Status = landed ? JournalStatus.Changed : JournalStatus.Failed;
            if (landed)
            {
                outcome.RulesAdded = add;
                outcome.RulesRemoved = remove;
            }
            return outcome;
        }

        // Within what was approved: Block closes at most the approved keys, Unblock removes at most the approved rules.
        private RuleListEdit Replan(FirewallChangePlan plan, FirewallSnapshot fresh)
        {
            if (plan.Action == TcPort53ChangeAction.Unblock)
            {
                var approved = new HashSet<string>(Identities(plan.Edit.Removed.Select(r => r.Rule)), StringComparer.Ordinal);
                return Port53Rules.EditForUnblock(Rules(fresh), _wanted, p => approved.Contains(Identity(p)), RuleListKind.Firewall);
            }
            BlockPlan block = Port53Rules.PlanBlock(new[] { fresh.Parsed }, plan.InstanceId, plan.Keys, _addedOn, TemplateCatalog.Empty, _placement);
            return block.OverFirewallQuota ? RuleListEdit.None : block.Edit;
        }

        private Task<string> SendAsync(FirewallChangePlan plan, long version, RuleListEdit edit, CancellationToken cancellationToken) =>
            // ModifyFirewallRules needs at least one rule: a list that ends up empty is reached by deleting what goes.
            edit.After.Count == 0
                ? _lighthouse.DeleteFirewallRulesAsync(plan.Region, plan.InstanceId, edit.Removed.Select(r => Firewalls.ToWire(r.Rule)), version, cancellationToken)
                : _lighthouse.ModifyFirewallRulesAsync(plan.Region, plan.InstanceId, edit.After.Select(Firewalls.ToWire), version, cancellationToken);

        private string Intend(FirewallChangePlan plan, long version, RuleListEdit edit, int attempt) => _journal?.Intend(_actor.Mark(new JournalIntent
        {
            Action = plan.Action,
            Region = plan.Region,
            Firewall = plan.InstanceId,
            Version = Version(version),
            Attempt = attempt,
            RulesToAdd = TcPort53Rule.Of(edit.Added),
            RulesToRemove = TcPort53Rule.Of(edit.Removed),
            AffectedInstanceIds = new[] { plan.InstanceId },
        }));

        private void Conclude(FirewallChangePlan plan, string intent, long version, JournalStatus status, string error)
        {
            if (_journal == null) return;
            _journal.Conclude(_actor.Mark(new JournalOutcome
            {
                Id = intent,
                Action = plan.Action,
                Region = plan.Region,
                Firewall = plan.InstanceId,
                Status = status,
                VersionBefore = Version(version),
                AffectedInstanceIds = new[] { plan.InstanceId },
                Error = error,
            }));
        }

        private TcPort53Change Record(FirewallChangePlan plan, TcPort53ChangeStatus status, long before, long after, RuleListEdit edit, string requestId, int attempts) =>
            _actor.Mark(new TcPort53Change
            {
                Action = plan.Action,
                Status = status,
                Region = plan.Region,
                Firewall = plan.InstanceId,
                RulesAdded = status == TcPort53ChangeStatus.Changed ? TcPort53Rule.Of(edit.Added) : new TcPort53Rule[0],
                RulesRemoved = status == TcPort53ChangeStatus.Changed ? TcPort53Rule.Of(edit.Removed) : new TcPort53Rule[0],
                VersionBefore = Version(before),
                VersionAfter = Version(after),
                AffectedInstanceIds = new[] { plan.InstanceId },
                Time = DateTime.UtcNow,
                RequestId = requestId,
                Attempts = attempts,
            });

        private static IReadOnlyList<SecurityGroupPolicy> Rules(FirewallSnapshot snapshot) => snapshot.Parsed.Rules.Select(r => r.Policy).ToList();

        private static IEnumerable<string> Identities(IEnumerable<SecurityGroupPolicy> rules) => rules.Select(Identity);

        /// <summary>A rule as Tencent keeps it, description included: what tells Port53's rules and a restored user rule apart.</summary>
        private static string Identity(SecurityGroupPolicy p) =>
            RuleListEdit.DuplicateIdentity(p, RuleListKind.Firewall) + "\u001f" + (p.PolicyDescription?.Trim() ?? string.Empty);

        private static string Version(long version) => version.ToString(CultureInfo.InvariantCulture);
    }
}
