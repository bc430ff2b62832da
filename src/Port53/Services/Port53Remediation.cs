using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Port53.Analysis;
using Port53.Api;
using Port53.Api.Models;
using Port53.Model;
using Port53.Session;

namespace Port53.Services
{
    /// <summary>
    /// The remediation engine behind Block-TcPort53 and Unblock-TcPort53, one per command. Plans per security group
    /// from one read of it (the read its own pipeline made, else its own, once however many plans look at it),
    /// proving by simulation that Block's rules close port 53 before anything is written; writes with the Version it
    /// planned from, so the write itself checks that nothing changed since; on a concurrent edit (VersionMismatch) or
    /// a fault whose outcome is unknown, re-reads, re-plans within what was approved and tries again, so another
    /// editor's change is never overwritten and no rule is added twice. A successful write is not read back: its
    /// reply is authoritative. Thread-safe: groups are planned and written concurrently.
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
        private readonly ChangeActor _actor;
        private readonly TcRetryPolicy _retry;
        private readonly TcPort53Placement _placement;
        private readonly ChangeJournal _journal;

        /// <param name="earlier">
        /// Readers of earlier commands of the pipeline (<see cref="PipelineReads"/>): groups and templates are taken from
        /// them, so a target is judged on the reads its input came from, and a group is written at the Version its audit read.
        /// </param>
        /// <param name="journal">Where each write's intent goes before the write call and its outcome after it; null for none.</param>
        public Port53Remediation(VpcService vpc, CvmService cvm, IReadOnlyList<ExposureKey> wanted, ChangeActor changedBy,
            DateTime addedOn, TcRetryPolicy retry = null, IReadOnlyList<SecurityGroupReader> earlier = null, ChangeJournal journal = null,
            TcPort53Placement placement = TcPort53Placement.AboveDecidingRule)
        {
            _journal = journal;
            _vpc = vpc ?? throw new ArgumentNullException(nameof(vpc));
            _cvm = cvm ?? throw new ArgumentNullException(nameof(cvm));
            _reader = new SecurityGroupReader(vpc, earlier);
            _wanted = wanted;
            _actor = changedBy;
            _addedOn = addedOn;
            _retry = retry ?? TcRetryPolicy.Default;
            _placement = placement;
        }

        /// <summary>
        /// Block, least change: the groups to write for one instance, each with the keys it is to close there, the
        /// group that holds each open key's deciding rule (read as the pipeline read them, or now). An instance with
        /// nothing to close gets its first group with no keys, so that it still has a record saying so.
        /// </summary>
        public async Task<List<(string GroupId, IReadOnlyList<ExposureKey> Keys)>> DecidingGroupsAsync(string region, IReadOnlyList<string> bound,
            CancellationToken cancellationToken)
        {
            GroupSnapshot[] groups = await Task.WhenAll(bound.Select(id => _reader.GetSharedAsync(region, id, cancellationToken))).ConfigureAwait(false);
            ParsedGroup[] binding = groups.Select(g => g.Parsed).ToArray();
            var byGroup = new Dictionary<int, List<ExposureKey>>();
            foreach (ExposureKey key in Port53Rules.KeysNeedingBlock(RuleEvaluator.Evaluate(binding), _wanted))
            {
                (int Group, int Position)? place = Port53Rules.DecidingPlace(binding, key);
                int group = place?.Group ?? 0;
                if (!byGroup.TryGetValue(group, out List<ExposureKey> keys)) byGroup[group] = keys = new List<ExposureKey>();
                keys.Add(key);
            }
            if (byGroup.Count == 0) byGroup[0] = new List<ExposureKey>();
            return byGroup.OrderBy(g => g.Key).Select(g => (bound[g.Key], (IReadOnlyList<ExposureKey>)g.Value)).ToList();
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
        /// Block's plan for one group: for each key some member needs closed here (open, or not certainly closed),
        /// one DROP, above the highest place any member needs it (its deciding rule, or the top: see
        /// <see cref="Port53Rules.PlanBlock"/>), proven by simulation for every member. A key the DROP would not close
        /// for a member (a group bound earlier accepts first) is reported for that member and not added for it.
        /// </summary>
        public async Task<GroupChangePlan> PlanBlockAsync(string region, string securityGroupId, IReadOnlyList<RemediationTarget> members,
            CancellationToken cancellationToken)
        {
            var plan = new GroupChangePlan { Action = TcPort53ChangeAction.Block, Region = region, SecurityGroupId = securityGroupId };
            plan.Snapshot = await GroupAsync(region, securityGroupId, cancellationToken).ConfigureAwait(false);
            var places = new List<(ExposureKey Key, int Position)>();
            foreach (RemediationTarget member in members)
            {
                ParsedGroup[] binding;
                try
                {
                    binding = await BindingAsync(member, plan.Snapshot, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!(ex is OperationCanceledException) && !TcErrors.IsFatal(ex))
                {
                    plan.Problems.Add(ServiceProblem.Failed(ex, member.ErrorTarget));
                    continue;
                }
                plan.Members.Add(member);
                plan.MemberBindings[member] = binding;
                IReadOnlyList<(ExposureKey Key, int Position)> closable = ClosableKeys(binding, plan.SecurityGroupId, member, Wanted(member), plan.Problems);
                plan.MemberKeys[member] = closable.Select(p => p.Key).ToList();
                places.AddRange(closable);
                AddInstance(plan, member);
            }
            plan.Edit = EditAt(plan, plan.Snapshot, places);
            plan.Shadowed.AddRange(ShadowedAccepts(plan));
            return plan;
        }

        /// <summary>
        /// The read a group's plan rests on and its write is made at: the one this pipeline's audit made, the one its
        /// targets' evaluation made (a group written for one instance and evaluated as a later group of another is read
        /// once for both), else one now. No fresh read before the write: if the group changed since, the write's Version
        /// check refuses it (VersionMismatch) and the group is read again and re-planned, so nothing is overwritten.
        /// </summary>
        private Task<GroupSnapshot> GroupAsync(string region, string securityGroupId, CancellationToken cancellationToken) =>
            _reader.GetSharedAsync(region, securityGroupId, cancellationToken);

        private IReadOnlyList<ExposureKey> Wanted(RemediationTarget member) => member.Keys == null ? _wanted : _wanted.Where(member.Keys.Contains).ToList();

        /// <summary>
        /// The one edit that closes each member's keys in the group as <paramref name="snapshot"/> holds it: every
        /// member's places, each key's DROP at the highest of them.
        /// </summary>
        private RuleListEdit EditFor(GroupChangePlan plan, GroupSnapshot snapshot)
        {
            var places = new List<(ExposureKey Key, int Position)>();
            foreach (RemediationTarget member in plan.Members)
            {
                ParsedGroup[] binding = plan.MemberBindings[member].Select(g => SameId(g.SecurityGroupId, snapshot.SecurityGroupId) ? snapshot.Parsed : g).ToArray();
                places.AddRange(ClosableKeys(binding, plan.SecurityGroupId, member, plan.MemberKeys[member], null));
            }
            return EditAt(plan, snapshot, places);
        }

        /// <summary>The edit that puts each key's DROP at the highest of its places in the group as read. Sets the plan's key positions to match.</summary>
        private RuleListEdit EditAt(GroupChangePlan plan, GroupSnapshot snapshot, List<(ExposureKey Key, int Position)> places)
        {
            RuleListEdit edit = Port53Rules.EditForBlock(snapshot.Parsed, places, _addedOn, out _);
            for (int k = 0; k < 4; k++) plan.KeyPositions[k] = null;
            foreach (var (key, position) in places)
                plan.KeyPositions[key.Index] = Math.Min(plan.KeyPositions[key.Index] ?? int.MaxValue, position);
            return edit;
        }

        /// <summary>
        /// For each member and key the plan closes, the ACCEPTs of port 53 from private sources below the DROP: in the
        /// written group under the place it goes, and in every group bound after it. The DROP matches their sources too.
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
                    for (int position = 0; position < binding[g].Rules.Count; position++)
                    {
                        ParsedRule rule = binding[g].Rules[position];
                        // In the written group only what is below the DROP is stopped; what stands above it still decides first.
                        foreach (ExposureKey key in keys.Where(k => AcceptsPrivately(rule, k) && (g != first || position >= (plan.KeyPositions[k.Index] ?? 0))))
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

        /// <summary>
        /// Unblock's plan for one group: every Port53 rule of the wanted protocols and families, as read now, out, and
        /// each user rule one of them replaced back where it was.
        /// </summary>
        public async Task<GroupChangePlan> PlanUnblockAsync(string region, string securityGroupId, IReadOnlyList<RemediationTarget> members,
            CancellationToken cancellationToken)
        {
            var plan = new GroupChangePlan { Action = TcPort53ChangeAction.Unblock, Region = region, SecurityGroupId = securityGroupId };
            plan.Snapshot = await GroupAsync(region, securityGroupId, cancellationToken).ConfigureAwait(false);
            foreach (RemediationTarget member in members)
            {
                plan.Members.Add(member);
                AddInstance(plan, member);
            }
            plan.Edit = Port53Rules.EditForUnblock(Ordered(plan.Snapshot).ToList(), _wanted);
            return plan;
        }

        /// <summary>The record of a group that needed nothing (port 53 already denied, or no Port53 rule to remove).</summary>
        public TcPort53Change NoChange(GroupChangePlan plan) =>
            Record(plan, TcPort53ChangeStatus.NoChange, plan.Snapshot, plan.Snapshot, plan.Edit, null, 0, DateTime.UtcNow);

        /// <summary>
        /// Writes one approved plan. Never throws for the group's own failures (quota, permission, a group that
        /// keeps changing): they come back as errors in the outcome, with nothing written. Fatal failures (bad
        /// credentials) and cancellation do throw.
        /// </summary>
        public async Task<RemediationOutcome> ApplyAsync(GroupChangePlan plan, CancellationToken cancellationToken)
        {
            var outcome = new RemediationOutcome();
            var write = new GroupWrite(plan.Snapshot, plan.Edit);
            // Writes whose reply was lost: each may have landed, which the next read shows exactly. Their journal
            // outcomes wait for the end, when it is known which (if any) landed.
            var unknown = new List<LostWrite>();
            var clock = Stopwatch.StartNew();
            for (int attempt = 1; ; attempt++)
            {
                if (write.Edit.IsEmpty)
                {
                    ConcludeLost(plan, unknown, JournalStatus.Failed, null);
                    outcome.Change = Record(plan, TcPort53ChangeStatus.NoChange, write.Snapshot, write.Snapshot, write.Edit, null, attempt - 1, DateTime.UtcNow);
                    return outcome;
                }
                if (write.IsUnsafeWholeListWrite)
                {
                    // Tencent reads a whole-list write at Version 0 as "clear every rule": never send one.
                    ConcludeLost(plan, unknown, JournalStatus.Failed, null);
                    outcome.Problems.Add(ServiceProblem.Detected("WholeListWriteUnsafe", ProblemCategory.InvalidOperation, plan.SecurityGroupId,
                        "WholeListWriteUnsafe", plan.SecurityGroupId, plan.Region, write.Version));
                    return outcome;
                }
                string intent = Intend(plan, write, attempt);
                string requestId;
                try
                {
                    requestId = await SendAsync(plan.Region, write, cancellationToken).ConfigureAwait(false);
                }
                catch (TcApiException ex) when (!TcErrors.IsFatal(ex))
                {
                    bool lost = TcRetryPolicy.IsLostReply(ex);
                    if (lost) unknown.Add(new LostWrite(write, ex, intent));
                    else Conclude(plan, intent, write, JournalStatus.Failed, ex.Message);
                    bool retry = IsWorthRetrying(ex) && attempt < MaxAttempts;
                    if (!retry && !lost)
                    {
                        ConcludeLost(plan, unknown, JournalStatus.Failed, null);
                        outcome.Problems.Add(GroupFailure(ex, plan, write, attempt));
                        return outcome;
                    }
                    if (retry && !IsVersionMismatch(ex))
                    {
                        TimeSpan? pause = _retry.NextDelay(attempt, clock.Elapsed);
                        if (pause.HasValue) await Task.Delay(pause.Value, cancellationToken).ConfigureAwait(false);
                    }
                    GroupSnapshot snapshot;
                    try
                    {
                        snapshot = await _reader.RefreshAsync(plan.Region, plan.SecurityGroupId, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception readError) when (!(readError is OperationCanceledException) && !TcErrors.IsFatal(readError))
                    {
                        outcome.Problems.Add(unknown.Count > 0 ? OutcomeUnknown(plan, write, readError) : ServiceProblem.Failed(readError, plan.SecurityGroupId));
                        ConcludeLost(plan, unknown, JournalStatus.Unknown, readError.Message);
                        return outcome;
                    }
                    LostWrite landed = unknown.FirstOrDefault(w => Landed(w.Write, snapshot));
                    if (landed != null)
                    {
                        unknown.Remove(landed);
                        ConcludeLost(plan, unknown, JournalStatus.Failed, null);
                        string lostId = string.IsNullOrEmpty(landed.Error.RequestId) ? null : landed.Error.RequestId;
                        return await FinishAsync(plan, outcome, landed.Write, lostId, attempt, snapshot, landed.Intent, cancellationToken).ConfigureAwait(false);
                    }
                    if (!retry)
                    {
                        ConcludeLost(plan, unknown, JournalStatus.Failed, null);
                        outcome.Problems.Add(GroupFailure(ex, plan, write, attempt));
                        return outcome;
                    }
                    write = new GroupWrite(snapshot, Replan(plan, snapshot));
                    continue;
                }
                ConcludeLost(plan, unknown, JournalStatus.Failed, null);
                return await FinishAsync(plan, outcome, write, requestId, attempt, null, intent, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// What became of a write whose run stopped before recording its outcome, from a fresh read of its group: it
        /// landed when the Version has moved on and the group holds every rule it added (Block), or none of those it
        /// removed (Unblock). A group that cannot be read leaves the outcome Unknown, with the reason.
        /// </summary>
        public async Task<JournalOutcome> ReconcileAsync(JournalIntent intent, CancellationToken cancellationToken)
        {
            JournalOutcome outcome = JournalOutcome.Reconciling(intent);
            GroupSnapshot now;
            try
            {
                now = await _reader.RefreshAsync(intent.Region, intent.SecurityGroupId, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException) && !TcErrors.IsFatal(ex))
            {
                outcome.Status = JournalStatus.Unknown;
                outcome.Error = ex.Message;
                return outcome;
            }
            outcome.VersionAfter = now.Version;
            ILookup<string, SecurityGroupPolicy> seen = Ordered(now).ToLookup(Identity, StringComparer.Ordinal);
            TcPort53Rule[] add = intent.RulesToAdd ?? new TcPort53Rule[0], remove = intent.RulesToRemove ?? new TcPort53Rule[0];
            bool landed = now.Version != intent.Version &&
                add.Select(Policy).GroupBy(Identity, StringComparer.Ordinal).All(rule => seen[rule.Key].Count() >= rule.Count()) &&
                remove.Select(Policy).All(rule => !seen[Identity(rule)].Any());
            outcome.Status = landed ? JournalStatus.Changed : JournalStatus.Failed;
            if (landed)
            {
                outcome.RulesAdded = add;
                outcome.RulesRemoved = remove;
            }
            return outcome;
        }

        internal static SecurityGroupPolicy Policy(TcPort53Rule rule) => new SecurityGroupPolicy
        {
            Protocol = rule.Protocol,
            Port = rule.Port,
            CidrBlock = rule.CidrBlock,
            Ipv6CidrBlock = rule.Ipv6CidrBlock,
            Action = rule.Action,
            PolicyDescription = rule.PolicyDescription,
        };

        /// <summary>A write whose reply was lost: the write, until a read tells whether it landed, and its journal intent.</summary>
        private sealed class LostWrite
        {
            public LostWrite(GroupWrite write, TcApiException error, string intent)
            {
                Write = write;
                Error = error;
                Intent = intent;
            }

            public GroupWrite Write { get; }
            public TcApiException Error { get; }
            public string Intent { get; }
        }

        // The write landed. After a success reply the group is as the write made it (GroupWrite.Written, no read back);
        // after a lost reply, as the read that found the write in place shows it. Either is recorded, with its Version.
        // The plan's own edit was proven by simulation at the Version it was written at; a re-planned edit, or a group
        // as read again, is checked for every member.
        private async Task<RemediationOutcome> FinishAsync(GroupChangePlan plan, RemediationOutcome outcome, GroupWrite write,
            string requestId, int attempts, GroupSnapshot after, string intent, CancellationToken cancellationToken)
        {
            bool proven = after == null && ReferenceEquals(write.Edit, plan.Edit);
            after = after ?? write.Written();
            outcome.Change = Record(plan, TcPort53ChangeStatus.Changed, write.Snapshot, after, write.Edit, requestId, attempts, DateTime.UtcNow);
            _journal?.Conclude(JournalOutcome.Of(intent, outcome.Change));
            if (!proven) await ConfirmAsync(plan, after, write.Edit, outcome.Problems, cancellationToken).ConfigureAwait(false);
            return outcome;
        }

        /// <summary>
        /// The intent of one write call, on disk before the call goes out; null without a journal. It is built from the
        /// same GroupWrite the call is made from: the rules added with the indices they will have, those removed with theirs.
        /// </summary>
        private string Intend(GroupChangePlan plan, GroupWrite write, int attempt)
        {
            if (_journal == null) return null;
            return _journal.Intend(_actor.Mark(new JournalIntent
            {
                Action = plan.Action,
                Region = plan.Region,
                SecurityGroupId = plan.SecurityGroupId,
                Version = write.Version,
                Attempt = attempt,
                RulesToAdd = TcPort53Rule.Of(write.Edit.Added),
                RulesToRemove = TcPort53Rule.Of(write.Edit.Removed),
                AffectedInstanceIds = plan.AffectedInstanceIds.ToArray(),
            }));
        }

        /// <summary>The outcome of a write call that did not take effect, or whose effect nobody could see.</summary>
        private void Conclude(GroupChangePlan plan, string intent, GroupWrite write, JournalStatus status, string error)
        {
            if (_journal == null) return;
            _journal.Conclude(_actor.Mark(new JournalOutcome
            {
                Id = intent,
                Action = plan.Action,
                Region = plan.Region,
                SecurityGroupId = plan.SecurityGroupId,
                Status = status,
                VersionBefore = write.Version,
                AffectedInstanceIds = plan.AffectedInstanceIds.ToArray(),
                Error = error,
            }));
        }

        // Lost replies whose writes a later read showed not to have landed (Failed), or that no read could check (Unknown).
        private void ConcludeLost(GroupChangePlan plan, List<LostWrite> lost, JournalStatus status, string readError)
        {
            foreach (LostWrite write in lost)
                Conclude(plan, write.Intent, write.Write, status, readError ?? write.Error.Message);
            lost.Clear();
        }

        // Within what was approved: Block adds at most the approved keys, and only those still open for a member;
        // Unblock deletes at most the approved rules, found again by their fields in the new read. Only the written
        // group is taken anew: what this command writes elsewhere meanwhile must not change where a rule goes.
        private RuleListEdit Replan(GroupChangePlan plan, GroupSnapshot fresh)
        {
            if (plan.Action == TcPort53ChangeAction.Unblock)
            {
                var approved = new HashSet<string>(Identities(plan.Edit.Removed.Select(r => r.Rule)), StringComparer.Ordinal);
                return Port53Rules.EditForUnblock(Ordered(fresh).ToList(), _wanted, p => approved.Contains(Identity(p)));
            }
            return EditFor(plan, fresh);
        }

        /// <summary>Reports any target the group as written (<paramref name="after"/>) leaves open.</summary>
        private async Task ConfirmAsync(GroupChangePlan plan, GroupSnapshot after, RuleListEdit written,
            List<ServiceProblem> errors, CancellationToken cancellationToken)
        {
            if (plan.Action == TcPort53ChangeAction.Unblock)
            {
                var removed = new HashSet<string>(Identities(written.Removed.Select(r => r.Rule)), StringComparer.Ordinal);
                foreach (SecurityGroupPolicy left in Ordered(after).Where(p => removed.Contains(Identity(p))))
                    errors.Add(ServiceProblem.Detected("UnblockNotEffective", ProblemCategory.InvalidResult, plan.SecurityGroupId,
                        "UnblockNotEffective", plan.SecurityGroupId, TcPort53Verdict.Describe(left), after.Version));
                return;
            }
            foreach (RemediationTarget member in plan.Members)
            {
                ExposureResult result = RuleEvaluator.Evaluate(await BindingAsync(member, after, cancellationToken).ConfigureAwait(false));
                foreach (ExposureKey key in plan.MemberKeys[member].Where(k => result[k].Open))
                {
                    RuleReference rule = result[key].DecidingRule;
                    errors.Add(ServiceProblem.Detected("BlockNotEffective", ProblemCategory.InvalidResult, member.ErrorTarget,
                        "BlockNotEffective", key, member.ErrorTarget, plan.SecurityGroupId, Where(rule), TcPort53Verdict.Describe(rule.Policy)));
                }
            }
        }

        /// <summary>
        /// The one call that makes <paramref name="write"/>, with its Version, so a concurrent edit fails it
        /// (VersionMismatch) instead of being overwritten. New rules at one place: CreateSecurityGroupPolicies at that
        /// PolicyIndex (all of one call share it). Removals alone: DeleteSecurityGroupPolicies by index (the Version
        /// makes the index safe). Anything else, such as a DROP that must go in above while an equal rule below comes
        /// out (Tencent would refuse the new rule as a duplicate while the old one is there, and taking the old one out
        /// first would leave the group open in between): ModifySecurityGroupPolicies, which replaces the group's rules in
        /// one request, with the whole new ingress list and the egress list as read. Tencent's pages: Create takes one
        /// PolicyIndex for all its rules (cloud.tencent.com/document/api/215/15807); Modify deletes every rule and adds
        /// the given ones, without PolicyIndex (cloud.tencent.com/document/api/215/15810; at Version 0 it would clear the
        /// group instead, see IsUnsafeWholeListWrite); the SecurityGroupPolicySet's Version guards against rules changed since
        /// they were read, "left out, conflicts are ignored" (the Create page), so every write here passes it.
        /// </summary>
        private Task<string> SendAsync(string region, GroupWrite write, CancellationToken cancellationToken)
        {
            string group = write.Snapshot.SecurityGroupId;
            RuleListEdit edit = write.Edit;
            if (edit.IsInsertOnly)
            {
                var added = edit.Added.Select(a => Sendable(a.Rule, edit.CreateIndex)).ToList();
                return _vpc.CreateSecurityGroupPoliciesAsync(region, group, new SecurityGroupPolicySet { Version = write.Version, Ingress = added }, cancellationToken);
            }
            if (edit.IsDeleteOnly)
            {
                var doomed = edit.Removed.Select(r => new SecurityGroupPolicy { PolicyIndex = r.Index }).ToList();
                return _vpc.DeleteSecurityGroupPoliciesAsync(region, group, new SecurityGroupPolicySet { Version = write.Version, Ingress = doomed }, cancellationToken);
            }
            var whole = new SecurityGroupPolicySet
            {
                Version = write.Version,
                Ingress = edit.After.Select(p => Sendable(p, null)).ToList(),
                Egress = Ordered(write.Snapshot.Egress).Select(p => Sendable(p, null)).ToList(),
            };
            return _vpc.ModifySecurityGroupPoliciesAsync(region, group, whole, cancellationToken);
        }

        /// <summary>A rule as a write takes it: the given index (none for a whole-list write), no time, unused fields left out.</summary>
        private static SecurityGroupPolicy Sendable(SecurityGroupPolicy p, long? index) => new SecurityGroupPolicy
        {
            PolicyIndex = index,
            Protocol = Blank(p.Protocol),
            Port = Blank(p.Port),
            ServiceTemplate = Blank(p.ServiceTemplate?.ServiceId) == null && Blank(p.ServiceTemplate?.ServiceGroupId) == null ? null
                : new ServiceTemplateSpecification { ServiceId = Blank(p.ServiceTemplate.ServiceId), ServiceGroupId = Blank(p.ServiceTemplate.ServiceGroupId) },
            CidrBlock = Blank(p.CidrBlock),
            Ipv6CidrBlock = Blank(p.Ipv6CidrBlock),
            SecurityGroupId = Blank(p.SecurityGroupId),
            AddressTemplate = Blank(p.AddressTemplate?.AddressId) == null && Blank(p.AddressTemplate?.AddressGroupId) == null ? null
                : new AddressTemplateSpecification { AddressId = Blank(p.AddressTemplate.AddressId), AddressGroupId = Blank(p.AddressTemplate.AddressGroupId) },
            Action = p.Action,
            PolicyDescription = p.PolicyDescription,
        };

        private static string Blank(string value) => string.IsNullOrEmpty(value) ? null : value;

        /// <summary>
        /// The keys of <paramref name="wanted"/> that need a DROP for <paramref name="member"/> and that a DROP in
        /// <paramref name="groupId"/> closes, each with the place it goes (the command's placement). With
        /// <paramref name="problems"/>, each key it would not close is reported, naming the rule that still decides.
        /// </summary>
        private IReadOnlyList<(ExposureKey Key, int Position)> ClosableKeys(ParsedGroup[] binding, string groupId, RemediationTarget member,
            IReadOnlyList<ExposureKey> wanted, List<ServiceProblem> problems)
        {
            // Templates only matter to rules already parsed; the new DROPs name none.
            BlockPlan plan = Port53Rules.PlanBlock(binding, groupId, wanted, _addedOn, TemplateCatalog.Empty, _placement);
            foreach (ExposureKey key in plan.Unmovable)
                problems?.Add(ServiceProblem.Detected("UserRuleNotMovable", ProblemCategory.InvalidData, member.ErrorTarget,
                    "UserRuleNotMovable", key, groupId, member.ErrorTarget, Port53Rules.MaxDescriptionLength));
            var keys = new List<(ExposureKey, int)>();
            foreach (var (key, position) in plan.Places)
            {
                if (!plan.After[key].Open)
                {
                    keys.Add((key, position));
                    continue;
                }
                RuleReference rule = plan.After[key].DecidingRule;
                problems?.Add(ServiceProblem.Detected("BlockWouldNotClose", ProblemCategory.InvalidOperation, member.ErrorTarget,
                    "BlockWouldNotClose", key, groupId, member.ErrorTarget, Where(rule), TcPort53Verdict.Describe(rule.Policy)));
            }
            return keys;
        }

        // The member's groups in binding order, the written group as in the given snapshot so that the plan and its
        // Version agree; the others as this pipeline read them.
        private async Task<ParsedGroup[]> BindingAsync(RemediationTarget member, GroupSnapshot target, CancellationToken cancellationToken)
        {
            GroupSnapshot[] groups = await Task.WhenAll(member.BoundGroupIds.Where(id => !SameId(id, target.SecurityGroupId))
                .Select(id => _reader.GetSharedAsync(member.Region, id, cancellationToken))).ConfigureAwait(false);
            var others = new Dictionary<string, GroupSnapshot>(StringComparer.Ordinal);
            foreach (GroupSnapshot g in groups) others[TcIds.Normalise(g.SecurityGroupId)] = g;
            return member.BoundGroupIds.Select(id => SameId(id, target.SecurityGroupId) ? target.Parsed : others[TcIds.Normalise(id)].Parsed).ToArray();
        }

        private TcPort53Change Record(GroupChangePlan plan, TcPort53ChangeStatus status, GroupSnapshot before, GroupSnapshot after,
            RuleListEdit edit, string requestId, int attempts, DateTime time)
        {
            TcPort53Change change = _actor.Mark(new TcPort53Change
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
            });
            if (status == TcPort53ChangeStatus.NoChange) return change;
            (change.RulesAdded, change.RulesRemoved) = (TcPort53Rule.Of(edit.Added), TcPort53Rule.Of(edit.Removed));
            return change;
        }

        /// <summary>A group's failure as one error naming the group, explained for the cases a user must act on.</summary>
        private static ServiceProblem GroupFailure(TcApiException error, GroupChangePlan plan, GroupWrite write, int attempts)
        {
            string key;
            if (IsVersionMismatch(error)) key = "VersionConflict";
            else if (IsWorthRetrying(error)) key = "WriteGaveUp";
            else if (TcErrors.IsQuotaExceeded(error)) key = "QuotaExceeded";
            else if (TcErrors.IsPermissionDenied(error)) key = "PermissionDenied";
            else key = "WriteFailed";
            return ServiceProblem.Failed(error, plan.SecurityGroupId, key, plan.SecurityGroupId, plan.Region, write.Edit.Added.Count, attempts, write.ApiAction, error.Message);
        }

        private static bool IsVersionMismatch(TcApiException e) => e.Code == "UnsupportedOperation.VersionMismatch";

        // Refused before anything was done (the client retries these itself, up to its budget), or a lost reply after
        // which the write may have been applied: the client does not retry writes after those, so the group is read again first.
        private static bool IsWorthRetrying(TcApiException e) => IsVersionMismatch(e) || TcRetryPolicy.IsThrottled(e) || TcRetryPolicy.IsLostReply(e);

        /// <summary>
        /// Whether a write whose reply was lost took effect: each rule it added is there once more than it was
        /// before, each rule it removed once fewer. Counted by identity, so another editor's change made since
        /// (an edit elsewhere in the group, rules shifted) does not hide a write that landed.
        /// </summary>
        private static bool Landed(GroupWrite write, GroupSnapshot now)
        {
            ILookup<string, SecurityGroupPolicy> then = Ordered(write.Snapshot).ToLookup(Identity, StringComparer.Ordinal);
            ILookup<string, SecurityGroupPolicy> seen = Ordered(now).ToLookup(Identity, StringComparer.Ordinal);
            return write.Edit.Added.Select(a => a.Rule).GroupBy(Identity, StringComparer.Ordinal).All(sent => seen[sent.Key].Count() >= then[sent.Key].Count() + sent.Count())
                && write.Edit.Removed.Select(r => r.Rule).GroupBy(Identity, StringComparer.Ordinal).All(gone => seen[gone.Key].Count() <= then[gone.Key].Count() - gone.Count());
        }

        /// <summary>A write whose reply was lost, after which the group could not be read to see whether it landed.</summary>
        private static ServiceProblem OutcomeUnknown(GroupChangePlan plan, GroupWrite write, Exception readError) =>
            ServiceProblem.Failed(readError, plan.SecurityGroupId, "OutcomeUnknown", plan.SecurityGroupId, plan.Region, write.ApiAction, readError.Message);

        private static IEnumerable<SecurityGroupPolicy> Ordered(GroupSnapshot snapshot) => Ordered(snapshot.Ingress);

        private static IEnumerable<SecurityGroupPolicy> Ordered(IReadOnlyList<SecurityGroupPolicy> policies) => ParsedGroup.Order(policies ?? new SecurityGroupPolicy[0]);

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

        private static bool SameId(string a, string b) => string.Equals(TcIds.Normalise(a), TcIds.Normalise(b), StringComparison.Ordinal);
    }
}
