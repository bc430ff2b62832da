using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Port53.Analysis;
using Port53.Api;
using Port53.Api.Models;
using Port53.Model;
using Port53.Resources;
using Port53.Session;

namespace Port53.Services
{
    /// <summary>
    /// One thing a remediation command acts on through one security group: an instance (evaluated over its groups
    /// in binding order) or a group on its own (InstanceId null, BoundGroupIds just that group).
    /// </summary>
    internal sealed class RemediationTarget
    {
        public RemediationTarget(string region, string instanceId, IReadOnlyList<string> boundGroupIds, string groupId)
        {
            Region = region;
            InstanceId = instanceId;
            BoundGroupIds = boundGroupIds;
            GroupId = groupId;
        }

        public string Region { get; }
        public string InstanceId { get; }
        /// <summary>The groups whose rules decide for the target, in binding order; always holds GroupId.</summary>
        public IReadOnlyList<string> BoundGroupIds { get; }
        /// <summary>The group the command writes to for this target.</summary>
        public string GroupId { get; }

        /// <summary>What an error about this target names: the instance, or the group when it stands alone.</summary>
        public string ErrorTarget => InstanceId ?? GroupId;
    }

    /// <summary>
    /// What a command would do to one security group, computed from a fresh read: the rules to add (Block, in
    /// insertion order) or to delete (Unblock, as read), for every target that goes through the group at once.
    /// Only what is in here may be written: a retry after a concurrent edit re-plans within it.
    /// </summary>
    internal sealed class GroupChangePlan
    {
        public TcPort53ChangeAction Action { get; set; }
        public string Region { get; set; }
        public string SecurityGroupId { get; set; }
        /// <summary>The read the plan rests on; its Version goes with the write.</summary>
        public GroupSnapshot Snapshot { get; set; }
        /// <summary>Targets that were planned (a target whose other groups could not be read is left out, with an error).</summary>
        public List<RemediationTarget> Members { get; } = new List<RemediationTarget>();
        /// <summary>Block: for each member, the keys the rules close for it; confirmed after the write.</summary>
        public Dictionary<RemediationTarget, IReadOnlyList<ExposureKey>> MemberKeys { get; } = new Dictionary<RemediationTarget, IReadOnlyList<ExposureKey>>();
        /// <summary>Block: each member's groups as planned, so that a retry re-decides on the written group's news alone.</summary>
        public Dictionary<RemediationTarget, ParsedGroup[]> MemberBindings { get; } = new Dictionary<RemediationTarget, ParsedGroup[]>();
        public IReadOnlyList<SecurityGroupPolicy> Rules { get; set; } = new SecurityGroupPolicy[0];
        /// <summary>Errors for single targets found while planning (a rule that would not close, an unreadable group).</summary>
        public List<ErrorRecord> Problems { get; } = new List<ErrorRecord>();
        /// <summary>The members' instances, plus those Tencent lists as bound to the group once looked up.</summary>
        public SortedSet<string> AffectedInstanceIds { get; } = new SortedSet<string>(StringComparer.Ordinal);
        /// <summary>Block: ACCEPTs of port 53 from private sources that the DROPs to be added would also stop.</summary>
        public List<ShadowedAccept> Shadowed { get; } = new List<ShadowedAccept>();

        public bool IsNoOp => Rules.Count == 0;
        public bool HasMembers => Members.Count > 0;

        /// <summary>The rules in the console's words, for -WhatIf, prompts and records.</summary>
        public string RulesText => string.Join("; ", Rules.Select(TcPort53Verdict.Describe));
    }

    /// <summary>The end of one group's write: the change record (null when the group failed) and any errors.</summary>
    /// <summary>
    /// An ACCEPT that opens port 53 from private addresses or from a source security group, below the place Block writes
    /// to: the DROP from 0.0.0.0/0 (or ::/0) matches those sources too, so the ACCEPT no longer takes effect.
    /// That is Tencent's recommended rule working as written, but it also ends DNS inside the VPC, which the
    /// user should hear about before, not after.
    /// </summary>
    internal sealed class ShadowedAccept
    {
        public RuleReference Rule { get; set; }
        /// <summary>The rule is in the group being written (so it stops for every instance bound to it), not in a group bound after it.</summary>
        public bool InWrittenGroup { get; set; }
        public SortedSet<string> Keys { get; } = new SortedSet<string>(StringComparer.Ordinal);
        public SortedSet<string> Members { get; } = new SortedSet<string>(StringComparer.Ordinal);
    }

    internal sealed class RemediationOutcome
    {
        public TcPort53Change Change { get; set; }
        public List<ErrorRecord> Errors { get; } = new List<ErrorRecord>();
    }

    /// <summary>
    /// The remediation engine behind Block-TcPort53 and Unblock-TcPort53, one per command. Plans per security group
    /// from a fresh read (each group read once, however many plans look at it), proving by simulation that Block's
    /// rules close port 53 before anything is written; writes with the Version it planned from; on a concurrent
    /// edit or a fault whose outcome is unknown, re-reads, re-plans within what was approved and tries again, so
    /// another editor's change is never overwritten and no rule is added twice; after a write, reads the group
    /// back and checks the result. Thread-safe: groups are planned and written concurrently.
    /// </summary>
    internal sealed class Port53Remediation
    {
        /// <summary>
        /// Write attempts per group, the first included. Each retry follows a fresh read, so only an editor who
        /// changes the group between every read and write (or a run of faults) exhausts them.
        /// </summary>
        public const int MaxAttempts = 10;

        private readonly VpcService _vpc;
        private readonly CvmService _cvm;
        private readonly SecurityGroupReader _reader;
        private readonly IReadOnlyList<ExposureKey> _wanted;
        private readonly DateTime _addedOn;
        private readonly string _changedBy;
        private readonly TcRetryPolicy _retry;
        private HashSet<string> _written = new HashSet<string>(StringComparer.Ordinal);

        /// <param name="earlier">
        /// Readers of earlier commands of the pipeline (<see cref="PipelineReads"/>): the groups this command only
        /// evaluates, and templates, are taken from them, so a target is judged on the reads its input came from.
        /// </param>
        public Port53Remediation(VpcService vpc, CvmService cvm, IReadOnlyList<ExposureKey> wanted, string changedBy,
            DateTime addedOn, TcRetryPolicy retry = null, IReadOnlyList<SecurityGroupReader> earlier = null)
        {
            _vpc = vpc ?? throw new ArgumentNullException(nameof(vpc));
            _cvm = cvm ?? throw new ArgumentNullException(nameof(cvm));
            _reader = new SecurityGroupReader(vpc, earlier);
            _wanted = wanted;
            _changedBy = changedBy;
            _addedOn = addedOn;
            _retry = retry ?? TcRetryPolicy.Default;
        }

        /// <summary>The security groups of instances named by id, in binding order (id → groups); ids not found are absent.</summary>
        public async Task<Dictionary<string, string[]>> BindingsAsync(string region, IEnumerable<string> instanceIds, CancellationToken cancellationToken)
        {
            var found = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
            await _cvm.DescribeInstancesAsync(region, new TcQuery().WithIds(instanceIds), page =>
            {
                lock (found)
                    foreach (Instance i in page.Where(i => i.InstanceId != null))
                        found[i.InstanceId] = i.SecurityGroupIds.Select(TcIds.Normalise).ToArray();
            }, cancellationToken).ConfigureAwait(false);
            return found;
        }

        /// <summary>
        /// The groups this command will write (region, group id), said before any plan is made: each of them is
        /// read fresh, for its Version, also where it is evaluated for another target; other groups may come from
        /// earlier reads of the pipeline.
        /// </summary>
        public void WillWrite(IEnumerable<(string Region, string GroupId)> groups) =>
            _written = new HashSet<string>(groups.Select(g => WrittenKey(g.Region, g.GroupId)), StringComparer.Ordinal);

        /// <summary>Adds to each plan the instances Tencent lists as bound to its group (one paged query for the region).</summary>
        public async Task AddBoundInstancesAsync(string region, IReadOnlyList<GroupChangePlan> plans, CancellationToken cancellationToken)
        {
            var byGroup = plans.ToDictionary(p => p.SecurityGroupId, StringComparer.OrdinalIgnoreCase);
            var query = new TcQuery().WithFilter("security-group-id", byGroup.Keys);
            await _cvm.DescribeInstancesAsync(region, query, page =>
            {
                foreach (Instance instance in page.Where(i => i.InstanceId != null))
                    foreach (string group in instance.SecurityGroupIds)
                        if (group != null && byGroup.TryGetValue(TcIds.Normalise(group), out GroupChangePlan plan))
                            lock (plan) plan.AffectedInstanceIds.Add(instance.InstanceId);
            }, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Block's plan for one group: the union, over the members, of the keys that are open (or not certainly
        /// closed) and that a DROP at the top of this group does close. A key the DROP would not close for a
        /// member (a group bound earlier accepts first) is reported for that member and not added for it.
        /// </summary>
        public async Task<GroupChangePlan> PlanBlockAsync(string region, string securityGroupId, IReadOnlyList<RemediationTarget> members,
            CancellationToken cancellationToken)
        {
            var plan = new GroupChangePlan { Action = TcPort53ChangeAction.Block, Region = region, SecurityGroupId = securityGroupId };
            // The reader is this command's own, so its first read is fresh; a group written for one instance and
            // evaluated as a later group of another is read once for both.
            plan.Snapshot = await _reader.GetAsync(region, securityGroupId, cancellationToken).ConfigureAwait(false);
            foreach (RemediationTarget member in members)
            {
                ParsedGroup[] binding;
                try
                {
                    binding = await BindingAsync(member, plan.Snapshot, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!(ex is OperationCanceledException) && !TcErrors.IsFatal(ex))
                {
                    plan.Problems.Add(TcErrors.ToErrorRecord(ex, member.ErrorTarget));
                    continue;
                }
                plan.Members.Add(member);
                plan.MemberBindings[member] = binding;
                plan.MemberKeys[member] = ClosableKeys(binding, plan.SecurityGroupId, member, _wanted, plan.Problems);
                AddInstance(plan, member);
            }
            plan.Rules = Port53Rules.Build(plan.MemberKeys.Values.SelectMany(k => k), _addedOn);
            plan.Shadowed.AddRange(ShadowedAccepts(plan));
            return plan;
        }

        /// <summary>
        /// For each member and key the plan closes, the ACCEPTs of port 53 from private sources in the written
        /// group or a group bound after it: all of them are below the DROP, which matches their sources too.
        /// </summary>
        internal static IReadOnlyList<ShadowedAccept> ShadowedAccepts(GroupChangePlan plan)
        {
            var found = new Dictionary<RuleReference, ShadowedAccept>();
            var order = new List<ShadowedAccept>();
            foreach (RemediationTarget member in plan.Members)
            {
                if (!plan.MemberKeys.TryGetValue(member, out IReadOnlyList<ExposureKey> keys) || keys.Count == 0) continue;
                ParsedGroup[] binding = plan.MemberBindings[member];
                int first = Array.FindIndex(binding, g => SameId(g.SecurityGroupId, plan.SecurityGroupId));
                for (int g = Math.Max(0, first); g < binding.Length; g++)
                {
                    foreach (ParsedRule rule in binding[g].Rules)
                    {
                        foreach (ExposureKey key in keys.Where(k => AcceptsPrivately(rule, k)))
                        {
                            if (!found.TryGetValue(rule.Reference, out ShadowedAccept shadowed))
                            {
                                found[rule.Reference] = shadowed = new ShadowedAccept { Rule = rule.Reference, InWrittenGroup = g == first || first < 0 };
                                order.Add(shadowed);
                            }
                            shadowed.Keys.Add(key.ToString());
                            shadowed.Members.Add(member.ErrorTarget);
                        }
                    }
                }
            }
            return order;
        }

        /// <summary>
        /// An ACCEPT that opens port 53 in particular (not every port: an allow-all between peers is not a DNS
        /// rule, and would make a warning of nearly every group) over the key's protocol, from a source with
        /// addresses of its family and none public (a source group counts as IPv4 peers).
        /// </summary>
        private static bool AcceptsPrivately(ParsedRule rule, ExposureKey key)
        {
            PortSet ports = rule.Service.For(key.Protocol);
            if (rule.Action != RuleAction.Accept || !ports.Contains(ParsedRule.DnsPort) || ports.IsAll) return false;
            if (!rule.PublicSource(key.Family).IsEmpty) return false;
            if (TemplateCatalog.Id(rule.Policy.SecurityGroupId) != null) return key.Family == IpFamily.IPv4;
            return !rule.Source.For(key.Family).IsEmpty;
        }

        /// <summary>Unblock's plan for one group: every Port53 rule of the wanted protocols and families, as read now.</summary>
        public async Task<GroupChangePlan> PlanUnblockAsync(string region, string securityGroupId, IReadOnlyList<RemediationTarget> members,
            CancellationToken cancellationToken)
        {
            var plan = new GroupChangePlan { Action = TcPort53ChangeAction.Unblock, Region = region, SecurityGroupId = securityGroupId };
            plan.Snapshot = await _reader.GetAsync(region, securityGroupId, cancellationToken).ConfigureAwait(false);
            foreach (RemediationTarget member in members)
            {
                plan.Members.Add(member);
                AddInstance(plan, member);
            }
            plan.Rules = Ordered(plan.Snapshot).Where(p => Port53Rules.TryGetKey(p, out ExposureKey k) && _wanted.Contains(k)).ToList();
            return plan;
        }

        /// <summary>The record of a group that needed nothing (port 53 already denied, or no Port53 rule to remove).</summary>
        public TcPort53Change NoChange(GroupChangePlan plan) =>
            Record(plan, TcPort53ChangeStatus.NoChange, plan.Snapshot, plan.Snapshot, plan.Rules, null, 0, DateTime.UtcNow);

        /// <summary>
        /// Writes one approved plan. Never throws for the group's own failures (quota, permission, a group that
        /// keeps changing): they come back as errors in the outcome, with nothing written. Fatal failures (bad
        /// credentials) and cancellation do throw.
        /// </summary>
        public async Task<RemediationOutcome> ApplyAsync(GroupChangePlan plan, CancellationToken cancellationToken)
        {
            var outcome = new RemediationOutcome();
            GroupSnapshot snapshot = plan.Snapshot;
            IReadOnlyList<SecurityGroupPolicy> rules = plan.Rules;
            // Writes whose reply was lost: each may have landed, which the next read shows exactly.
            var unknown = new List<(GroupSnapshot Before, IReadOnlyList<SecurityGroupPolicy> Rules, TcApiException Error)>();
            var clock = Stopwatch.StartNew();
            for (int attempt = 1; ; attempt++)
            {
                if (rules.Count == 0)
                {
                    outcome.Change = Record(plan, TcPort53ChangeStatus.NoChange, snapshot, snapshot, rules, null, attempt - 1, DateTime.UtcNow);
                    return outcome;
                }
                string requestId;
                try
                {
                    requestId = await SendAsync(plan, snapshot, rules, cancellationToken).ConfigureAwait(false);
                }
                catch (TcApiException ex) when (IsWorthRetrying(ex) && attempt < MaxAttempts)
                {
                    if (TcRetryPolicy.IsFault(ex)) unknown.Add((snapshot, rules, ex));
                    if (!IsVersionMismatch(ex))
                    {
                        TimeSpan? pause = _retry.NextDelay(attempt, clock.Elapsed);
                        if (pause.HasValue) await Task.Delay(pause.Value, cancellationToken).ConfigureAwait(false);
                    }
                    try
                    {
                        snapshot = await _reader.RefreshAsync(plan.Region, plan.SecurityGroupId, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception readError) when (!(readError is OperationCanceledException) && !TcErrors.IsFatal(readError))
                    {
                        outcome.Errors.Add(unknown.Count > 0 ? OutcomeUnknown(plan, readError) : TcErrors.ToErrorRecord(readError, plan.SecurityGroupId));
                        return outcome;
                    }
                    foreach (var lost in unknown)
                    {
                        if (!Landed(plan.Action, lost.Before, snapshot, lost.Rules)) continue;
                        string lostId = string.IsNullOrEmpty(lost.Error.RequestId) ? null : lost.Error.RequestId;
                        return await FinishAsync(plan, outcome, lost.Before, lost.Rules, lostId, attempt, snapshot, cancellationToken).ConfigureAwait(false);
                    }
                    rules = Replan(plan, snapshot);
                    continue;
                }
                catch (TcApiException ex) when (!TcErrors.IsFatal(ex))
                {
                    outcome.Errors.Add(GroupFailure(ex, plan, attempt));
                    return outcome;
                }
                return await FinishAsync(plan, outcome, snapshot, rules, requestId, attempt, null, cancellationToken).ConfigureAwait(false);
            }
        }

        // The write landed: record it, then check it with a read of the group (the one given, else a new one).
        private async Task<RemediationOutcome> FinishAsync(GroupChangePlan plan, RemediationOutcome outcome, GroupSnapshot before,
            IReadOnlyList<SecurityGroupPolicy> rules, string requestId, int attempts, GroupSnapshot after, CancellationToken cancellationToken)
        {
            DateTime written = DateTime.UtcNow;
            try
            {
                after = after ?? await _reader.RefreshAsync(plan.Region, plan.SecurityGroupId, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException) && !TcErrors.IsFatal(ex))
            {
                ErrorRecord unconfirmed = TcErrors.ToErrorRecord(ex, plan.SecurityGroupId);
                unconfirmed.ErrorDetails = new ErrorDetails(Strings.Remediation.Format("ConfirmFailed", plan.SecurityGroupId, ex.Message));
                outcome.Errors.Add(unconfirmed);
            }
            outcome.Change = Record(plan, TcPort53ChangeStatus.Changed, before, after, rules, requestId, attempts, written);
            if (after != null) await ConfirmAsync(plan, after, rules, outcome.Errors, cancellationToken).ConfigureAwait(false);
            return outcome;
        }

        // Within what was approved: Block adds at most the approved keys, and only those still open for a member;
        // Unblock deletes at most the approved rules, found again by their fields in the new read. Only the written
        // group is taken anew: what this command writes elsewhere meanwhile must not change where a rule goes.
        private IReadOnlyList<SecurityGroupPolicy> Replan(GroupChangePlan plan, GroupSnapshot fresh)
        {
            if (plan.Action == TcPort53ChangeAction.Unblock)
            {
                var approved = new HashSet<string>(Identities(plan.Rules), StringComparer.Ordinal);
                return Ordered(fresh).Where(p => Port53Rules.IsPort53Rule(p) && approved.Contains(Identity(p))).ToList();
            }
            var keys = new List<ExposureKey>();
            foreach (RemediationTarget member in plan.Members)
            {
                ParsedGroup[] binding = plan.MemberBindings[member].Select(g => SameId(g.SecurityGroupId, fresh.SecurityGroupId) ? fresh.Parsed : g).ToArray();
                keys.AddRange(ClosableKeys(binding, plan.SecurityGroupId, member, plan.MemberKeys[member], null));
            }
            return Port53Rules.Build(keys, _addedOn);
        }

        /// <summary>Reads back what the write made of the group and reports any target it did not fix.</summary>
        private async Task ConfirmAsync(GroupChangePlan plan, GroupSnapshot after, IReadOnlyList<SecurityGroupPolicy> written,
            List<ErrorRecord> errors, CancellationToken cancellationToken)
        {
            if (plan.Action == TcPort53ChangeAction.Unblock)
            {
                var removed = new HashSet<string>(Identities(written), StringComparer.Ordinal);
                foreach (SecurityGroupPolicy left in Ordered(after).Where(p => removed.Contains(Identity(p))))
                    errors.Add(TcErrors.Create("UnblockNotEffective", ErrorCategory.InvalidResult, plan.SecurityGroupId,
                        Strings.Remediation.Format("UnblockNotEffective", plan.SecurityGroupId, TcPort53Verdict.Describe(left), after.Version)));
                return;
            }
            foreach (RemediationTarget member in plan.Members)
            {
                ExposureResult result = RuleEvaluator.Evaluate(await BindingAsync(member, after, cancellationToken).ConfigureAwait(false));
                foreach (ExposureKey key in plan.MemberKeys[member].Where(k => result[k].Open))
                {
                    RuleReference rule = result[key].DecidingRule;
                    errors.Add(TcErrors.Create("BlockNotEffective", ErrorCategory.InvalidResult, member.ErrorTarget,
                        Strings.Remediation.Format("BlockNotEffective", key, member.ErrorTarget, plan.SecurityGroupId, Where(rule), TcPort53Verdict.Describe(rule.Policy))));
                }
            }
        }

        private Task<string> SendAsync(GroupChangePlan plan, GroupSnapshot snapshot, IReadOnlyList<SecurityGroupPolicy> rules, CancellationToken cancellationToken)
        {
            if (plan.Action == TcPort53ChangeAction.Block)
            {
                var set = new SecurityGroupPolicySet { Version = snapshot.Version, Ingress = rules.ToList() };
                return _vpc.CreateSecurityGroupPoliciesAsync(plan.Region, plan.SecurityGroupId, set, cancellationToken);
            }
            // By index: the Version makes the index safe, since any edit that could shift it changes the Version.
            List<SecurityGroupPolicy> ordered = Ordered(snapshot).ToList();
            var doomed = rules.Select(r => new SecurityGroupPolicy { PolicyIndex = IndexOf(ordered, r) }).ToList();
            return _vpc.DeleteSecurityGroupPoliciesAsync(plan.Region, plan.SecurityGroupId,
                new SecurityGroupPolicySet { Version = snapshot.Version, Ingress = doomed }, cancellationToken);
        }

        /// <summary>
        /// The keys of <paramref name="wanted"/> that need a DROP for <paramref name="member"/> and that a DROP at
        /// the top of <paramref name="groupId"/> closes. With <paramref name="problems"/>, each key it would not
        /// close is reported, naming the rule that still decides.
        /// </summary>
        private IReadOnlyList<ExposureKey> ClosableKeys(ParsedGroup[] binding, string groupId, RemediationTarget member,
            IReadOnlyList<ExposureKey> wanted, List<ErrorRecord> problems)
        {
            BlockPlan plan = Port53Rules.PlanBlock(binding, groupId, wanted, _addedOn, TemplateCatalog.Empty);
            var keys = new List<ExposureKey>();
            foreach (ExposureKey key in plan.KeysToBlock)
            {
                if (!plan.After[key].Open)
                {
                    keys.Add(key);
                    continue;
                }
                RuleReference rule = plan.After[key].DecidingRule;
                problems?.Add(TcErrors.Create("BlockWouldNotClose", ErrorCategory.InvalidOperation, member.ErrorTarget,
                    Strings.Remediation.Format("BlockWouldNotClose", key, groupId, member.ErrorTarget, Where(rule), TcPort53Verdict.Describe(rule.Policy))));
            }
            return keys;
        }

        // The member's groups in binding order, the written group as in the given snapshot so that the plan and its
        // Version agree; the others as this command read them.
        private async Task<ParsedGroup[]> BindingAsync(RemediationTarget member, GroupSnapshot target, CancellationToken cancellationToken)
        {
            GroupSnapshot[] groups = await Task.WhenAll(member.BoundGroupIds.Where(id => !SameId(id, target.SecurityGroupId))
                .Select(id => _written.Contains(WrittenKey(member.Region, id))
                    ? _reader.GetAsync(member.Region, id, cancellationToken)
                    : _reader.GetSharedAsync(member.Region, id, cancellationToken))).ConfigureAwait(false);
            var others = new Dictionary<string, GroupSnapshot>(StringComparer.Ordinal);
            foreach (GroupSnapshot g in groups) others[TcIds.Normalise(g.SecurityGroupId)] = g;
            return member.BoundGroupIds.Select(id => SameId(id, target.SecurityGroupId) ? target.Parsed : others[TcIds.Normalise(id)].Parsed).ToArray();
        }

        private TcPort53Change Record(GroupChangePlan plan, TcPort53ChangeStatus status, GroupSnapshot before, GroupSnapshot after,
            IReadOnlyList<SecurityGroupPolicy> rules, string requestId, int attempts, DateTime time)
        {
            var change = new TcPort53Change
            {
                Action = plan.Action,
                Status = status,
                Region = plan.Region,
                SecurityGroupId = plan.SecurityGroupId,
                VersionBefore = before.Version,
                VersionAfter = after?.Version,
                AffectedInstanceIds = plan.AffectedInstanceIds.ToArray(),
                Time = time,
                RequestId = requestId,
                Attempts = attempts,
                ChangedBy = _changedBy,
            };
            if (status == TcPort53ChangeStatus.NoChange) return change;
            if (plan.Action == TcPort53ChangeAction.Block)
            {
                change.RulesAdded = rules.Select((r, i) => TcPort53Rule.From(r, i)).ToArray();
            }
            else
            {
                List<SecurityGroupPolicy> ordered = Ordered(before).ToList();
                change.RulesRemoved = rules.Select(r => TcPort53Rule.From(r, IndexOf(ordered, r))).ToArray();
            }
            return change;
        }

        /// <summary>A group's failure as one error naming the group, explained for the cases a user must act on.</summary>
        private static ErrorRecord GroupFailure(TcApiException error, GroupChangePlan plan, int attempts)
        {
            ErrorRecord record = TcErrors.ToErrorRecord(error, plan.SecurityGroupId);
            string key;
            if (IsVersionMismatch(error)) key = "VersionConflict";
            else if (IsWorthRetrying(error)) key = "WriteGaveUp";
            else if (record.CategoryInfo.Category == ErrorCategory.QuotaExceeded) key = "QuotaExceeded";
            else if (record.CategoryInfo.Category == ErrorCategory.PermissionDenied) key = "PermissionDenied";
            else key = "WriteFailed";
            record.ErrorDetails = new ErrorDetails(Strings.Remediation.Format(key, plan.SecurityGroupId, plan.Region, plan.Rules.Count, attempts, WriteAction(plan), error.Message));
            return record;
        }

        private static bool IsVersionMismatch(TcApiException e) => e.Code == "UnsupportedOperation.VersionMismatch";

        // Refused before anything was done (the client retries these itself, up to its budget), or a fault after which
        // the write may have been applied: the client does not retry writes after those, so the group is read again first.
        private static bool IsWorthRetrying(TcApiException e) => IsVersionMismatch(e) || TcRetryPolicy.IsThrottled(e) || TcRetryPolicy.IsFault(e);

        /// <summary>
        /// Whether a write whose reply was lost took effect: each rule Block sent is there once more than it was
        /// before, each rule Unblock sent once fewer. Counted by identity, so another editor's change made since
        /// (an edit elsewhere in the group, rules shifted) does not hide a write that landed.
        /// </summary>
        private static bool Landed(TcPort53ChangeAction action, GroupSnapshot before, GroupSnapshot now, IReadOnlyList<SecurityGroupPolicy> rules)
        {
            ILookup<string, SecurityGroupPolicy> then = Ordered(before).ToLookup(Identity, StringComparer.Ordinal);
            ILookup<string, SecurityGroupPolicy> seen = Ordered(now).ToLookup(Identity, StringComparer.Ordinal);
            return rules.GroupBy(Identity, StringComparer.Ordinal).All(sent => action == TcPort53ChangeAction.Block
                ? seen[sent.Key].Count() >= then[sent.Key].Count() + sent.Count()
                : seen[sent.Key].Count() <= then[sent.Key].Count() - sent.Count());
        }

        /// <summary>A write whose reply was lost, after which the group could not be read to see whether it landed.</summary>
        private static ErrorRecord OutcomeUnknown(GroupChangePlan plan, Exception readError)
        {
            ErrorRecord record = TcErrors.ToErrorRecord(readError, plan.SecurityGroupId);
            record.ErrorDetails = new ErrorDetails(Strings.Remediation.Format("OutcomeUnknown", plan.SecurityGroupId, plan.Region, WriteAction(plan), readError.Message));
            return record;
        }

        private static string WriteAction(GroupChangePlan plan) =>
            plan.Action == TcPort53ChangeAction.Block ? "CreateSecurityGroupPolicies" : "DeleteSecurityGroupPolicies";

        private static IEnumerable<SecurityGroupPolicy> Ordered(GroupSnapshot snapshot) => ParsedGroup.Order(snapshot.Ingress);

        private static long IndexOf(List<SecurityGroupPolicy> ordered, SecurityGroupPolicy rule)
        {
            int position = ordered.FindIndex(p => Identity(p) == Identity(rule));
            return ordered[position].PolicyIndex ?? position;
        }

        private static IEnumerable<string> Identities(IEnumerable<SecurityGroupPolicy> policies) => policies.Select(Identity);

        /// <summary>Everything that makes a rule what it is, the description included (it carries Port53's marker).</summary>
        private static string Identity(SecurityGroupPolicy p) => string.Join("\u001f",
            Field(p.Protocol).ToUpperInvariant(), Field(p.Port), Field(p.ServiceTemplate?.ServiceId), Field(p.ServiceTemplate?.ServiceGroupId),
            Field(p.CidrBlock), Field(p.Ipv6CidrBlock), Field(p.SecurityGroupId), Field(p.AddressTemplate?.AddressId),
            Field(p.AddressTemplate?.AddressGroupId), Field(p.Action).ToUpperInvariant(), Field(p.PolicyDescription));

        private static string Field(string value) => value?.Trim() ?? string.Empty;

        /// <summary>A rule as "sg-xxxxxxxx#index", the way the exposure table names deciding rules.</summary>
        internal static string Where(RuleReference rule) => rule.GroupId + "#" + (rule.PolicyIndex ?? rule.Position);

        private static void AddInstance(GroupChangePlan plan, RemediationTarget member)
        {
            if (member.InstanceId != null) plan.AffectedInstanceIds.Add(member.InstanceId);
        }

        private static string WrittenKey(string region, string groupId) => TcIds.Normalise(region) + "\n" + TcIds.Normalise(groupId);

        private static bool SameId(string a, string b) => string.Equals(TcIds.Normalise(a), TcIds.Normalise(b), StringComparison.Ordinal);
    }
}
