using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Port53.Analysis;
using System.Threading;
using System.Threading.Tasks;
using Port53.Api;
using Port53.Execution;
using Port53.Model;
using Port53.Resources;
using Port53.Services;
using Port53.Session;

namespace Port53.Cmdlets
{
    /// <summary>
    /// What Block-TcPort53 and Unblock-TcPort53 share: the same input (instances, Test-TcPort53 exposures, security
    /// groups, or ids with -Region), gathered over the whole pipeline so that a group shared by many instances is
    /// changed once; then, per group, a plan from one read of it (the pipeline's audit read, else its own;
    /// concurrently), the decision to write (on the pipeline thread, where ShouldProcess must run), the writes
    /// (concurrently) and the change records.
    /// </summary>
    public abstract class Port53ChangeCmdlet : TcCmdlet
    {
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(InstanceIdCompleter))]
        public string[] InstanceId { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SecurityGroupIdCompleter))]
        public string[] SecurityGroupId { get; set; }

        /// <summary>An instance's groups in binding order, from piped TcInstance and TcPort53Exposure objects.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("SecurityGroupIds")]
        public string[] BoundSecurityGroupId { get; set; }

        /// <summary>A blank region is refused: it would otherwise mean the session's default region, a wider guess.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotBlank]
        [ArgumentCompleter(typeof(RegionCompleter))]
        public string Region { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public TcDnsProtocol[] Protocol { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public TcAddressFamily[] AddressFamily { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string JournalPath { get; set; }

        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = DefaultThrottle;

        private sealed class Request
        {
            public string Region;
            public string InstanceId;
            /// <summary>Null until known: from a read of this pipeline, or looked up by id in EndProcessing.</summary>
            public string[] Bound;
            /// <summary>The groups a piped object claimed, when no read of this pipeline vouches for them: checked against the lookup.</summary>
            public string[] Claimed;
            /// <summary>Reported (stale bindings): nothing is done for it.</summary>
            public bool Rejected;
            public string[] Named;
            /// <summary>Block, least change: the groups holding the instance's deciding rules, each with its keys.</summary>
            public List<(string GroupId, IReadOnlyList<ExposureKey> Keys)> Chosen;
        }

        private readonly List<Request> _requests = new List<Request>();
        private ChangeJournal _journal;
        private JournalScan _journalScan;
        private PipelineReads _reads;

        internal abstract TcPort53ChangeAction ChangeAction { get; }

        /// <summary>The groups an instance's request acts on when no -SecurityGroupId names them.</summary>
        internal abstract IEnumerable<string> DefaultGroups(string[] boundInBindingOrder);

        /// <summary>Where Block puts its rules (Unblock finds them wherever they are).</summary>
        internal virtual TcPort53Placement PlacementChoice => TcPort53Placement.AboveDecidingRule;

        /// <summary>True when the groups to write depend on the rules, so they are chosen after reading them.</summary>
        internal virtual bool ChoosesGroupsByRules => false;

        protected override void BeginProcessing()
        {
            // From here on the commands before this one record what they read, for EndProcessing to use.
            DisposeWithCommand(Session.OpenPipelineReads(out _reads));
            if (JournalPath == null) return;
            try
            {
                string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(JournalPath, out ProviderInfo provider, out _);
                if (!string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
                    throw new NotSupportedException(Strings.Remediation.Format("JournalNotFileSystem", JournalPath));
                _journal = ChangeJournal.Open(path, !WhatIfRequested);
                DisposeWithCommand(_journal);
                _journalScan = _journal.Scan();
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                ThrowTerminatingError(TcErrors.Create("JournalUnavailable", ErrorCategory.OpenError, JournalPath,
                    Strings.Remediation.Format("JournalUnavailable", JournalPath, ex.Message), ex));
            }
            if (_journalScan.TornLines.Count > 0)
                WriteWarning(Strings.Remediation.Format("JournalTornLines", _journal.Path, _journalScan.TornLines.Count, string.Join(", ", _journalScan.TornLines)));
        }

        protected override void ProcessRecord()
        {
            string region = string.IsNullOrWhiteSpace(Region) ? DefaultRegion() : Region.Trim();
            if (WildcardPattern.ContainsWildcardCharacters(region))
            {
                WriteError(TcErrors.Create("RegionWildcard", ErrorCategory.InvalidArgument, region,
                    Strings.Remediation.Format("RegionWildcard", region, MyInvocation.MyCommand.Name)));
                return;
            }
            string[] instances = TcIds.Distinct(InstanceId), named = TcIds.Distinct(SecurityGroupId);
            // An empty list says no more than none: the instance's groups are looked up.
            string[] bound = BoundSecurityGroupId == null ? null : TcIds.Distinct(BoundSecurityGroupId);
            if (bound?.Length == 0) bound = null;
            if (instances.Length > 0)
            {
                // A binding list belongs to one piped instance; several ids given at once are looked up.
                foreach (string id in instances)
                    _requests.Add(new Request { Region = region, InstanceId = id, Bound = instances.Length == 1 ? bound : null, Named = named });
            }
            else if (named.Length > 0)
            {
                foreach (string group in named)
                    _requests.Add(new Request { Region = region, Named = new[] { group } });
            }
            else
            {
                WriteError(TcErrors.Create("NoTarget", ErrorCategory.InvalidArgument, null,
                    Strings.Remediation.Format("NoTarget", MyInvocation.MyCommand.Name)));
            }
        }

        protected override void EndProcessing()
        {
            if (_requests.Count == 0) return;
            string account = RegionCacheKey(Connection);
            string changedBy = AwaitOrTerminate(Connection.Credentials.GetCredentialAsync(CancellationToken)).MaskedSecretId;
            var engine = new Port53Remediation(Vpc, Cvm, TcPort53Exposure.Keys(Protocol, AddressFamily), changedBy, DateTime.UtcNow, Session.Retry,
                _reads.Readers(account), WhatIfRequested ? null : _journal, PlacementChoice);
            Reconcile(engine, changedBy);
            TrustOnlyThisPipeline(account);
            LookUpBindings(engine);
            if (ChoosesGroupsByRules) ChooseGroups(engine);
            List<RemediationTarget> targets = Targets();
            if (AsksNothing && targets.All(t => _reads.Listing(account, t.Region) != null))
            {
                PlanAndWrite(engine, targets, account);
                return;
            }
            List<GroupChangePlan> plans = Plan(engine, targets);
            LookUpAffectedInstances(engine, plans.Where(p => !p.IsNoOp).ToList(), account);

            var approved = new List<GroupChangePlan>();
            foreach (GroupChangePlan plan in plans.OrderBy(p => p.Region, StringComparer.Ordinal).ThenBy(p => p.SecurityGroupId, StringComparer.Ordinal))
            {
                if (plan.IsNoOp)
                {
                    if (!plan.HasMembers) continue;
                    WriteVerbose(Strings.Remediation.Format("VerboseNoChange", plan.SecurityGroupId, plan.Region, plan.Snapshot.Version));
                    Emit(engine.NoChange(plan));
                }
                else
                {
                    WarnShadowed(plan);
                    if (Approve(plan)) approved.Add(plan);
                }
            }

            string activity = approved.Count > 1
                ? (ChangeAction == TcPort53ChangeAction.Block ? Strings.Remediation["ProgressBlock"] : Strings.Remediation["ProgressUnblock"])
                : null;
            RunConcurrently(approved, (plan, worker) => WriteAsync(engine, plan, worker), plan => plan.SecurityGroupId, ThrottleLimit, activity);
        }

        /// <summary>
        /// Intents an earlier run left in the journal without outcome (it was stopped, or lost a reply and could not
        /// read the group): each group is read now and what really happened is appended, before anything new is written.
        /// Intents made with other credentials are left for them, since these may not see the group.
        /// </summary>
        private void Reconcile(Port53Remediation engine, string changedBy)
        {
            if (_journalScan == null || _journalScan.Pending.Count == 0) return;
            List<JournalIntent> mine = _journalScan.Pending.Where(i => i.ChangedBy == null || i.ChangedBy == changedBy).ToList();
            List<string> others = _journalScan.Pending.Select(i => i.ChangedBy).Where(c => c != null && c != changedBy).Distinct().ToList();
            if (others.Count > 0)
                WriteWarning(Strings.Remediation.Format("JournalPendingOtherAccount", _journalScan.Pending.Count - mine.Count, _journal.Path, string.Join(", ", others)));
            if (mine.Count == 0) return;
            if (WhatIfRequested)
            {
                WriteWarning(Strings.Remediation.Format("JournalPendingWhatIf", mine.Count, _journal.Path));
                return;
            }
            var counts = new int[3];
            RunConcurrently(mine, async (intent, worker) =>
            {
                JournalOutcome outcome = await engine.ReconcileAsync(intent, worker.CancellationToken).ConfigureAwait(false);
                _journal.Conclude(outcome);
                Interlocked.Increment(ref counts[(int)outcome.Status]);
                worker.WriteVerbose(Strings.Remediation.Format("VerboseReconciled", intent.Action, intent.SecurityGroupId, intent.Region,
                    intent.Version, outcome.Status, outcome.VersionAfter ?? outcome.Error));
            }, intent => intent.SecurityGroupId, ThrottleLimit);
            WriteWarning(Strings.Remediation.Format("JournalReconciled", mine.Count, _journal.Path,
                counts[(int)JournalStatus.Changed], counts[(int)JournalStatus.Failed], counts[(int)JournalStatus.Unknown]));
        }

        /// <summary>
        /// Piped bindings count only when a read of this pipeline (Get-TcInstance, or Test-TcPort53 looking instances
        /// up) saw the instance bound so; any other claim (a saved, imported or hand-made object) is checked against
        /// a lookup. A claim a read of this pipeline contradicts is stale at once.
        /// </summary>
        private void TrustOnlyThisPipeline(string account)
        {
            foreach (Request request in _requests.Where(r => r.InstanceId != null && r.Bound != null))
            {
                string[] read = _reads.Binding(account, request.Region, request.InstanceId);
                if (read != null && read.SequenceEqual(request.Bound, StringComparer.Ordinal)) continue;
                request.Claimed = request.Bound;
                request.Bound = null;
                if (read != null) Stale(request, read);
            }
        }

        private void Stale(Request request, string[] current)
        {
            WriteError(TcErrors.Create("StaleBindings", ErrorCategory.InvalidData, request.InstanceId,
                Strings.Remediation.Format("StaleBindings", request.InstanceId, request.Region, string.Join(", ", request.Claimed),
                    string.Join(", ", current), MyInvocation.MyCommand.Name)));
            request.Rejected = true;
        }

        // Instances named by id alone (typed, or rows without SecurityGroupIds), or whose piped groups no read of this
        // pipeline vouches for: their groups now, in binding order.
        private void LookUpBindings(Port53Remediation engine)
        {
            var byRegion = _requests.Where(r => r.InstanceId != null && r.Bound == null && !r.Rejected).GroupBy(r => r.Region, StringComparer.OrdinalIgnoreCase).ToList();
            RunConcurrently(byRegion, async (requests, worker) =>
            {
                Dictionary<string, string[]> found = await engine.BindingsAsync(requests.Key, requests.Select(r => r.InstanceId), worker.CancellationToken).ConfigureAwait(false);
                foreach (Request request in requests)
                {
                    if (found.TryGetValue(request.InstanceId, out string[] groups)) request.Bound = TcIds.Distinct(groups);
                    else worker.WriteError(TcErrors.Create("InstanceNotFound", ErrorCategory.ObjectNotFound, request.InstanceId,
                        Strings.Remediation.Format("InstanceNotFound", request.InstanceId, request.Region)));
                }
            }, requests => requests.Key, ThrottleLimit);
            foreach (Request request in _requests.Where(r => r.Claimed != null && r.Bound != null))
            {
                if (request.Bound.Length == 0 || request.Claimed.SequenceEqual(request.Bound, StringComparer.Ordinal)) continue;
                Stale(request, request.Bound);
                request.Bound = null;
            }
        }

        // Block, least change: for each instance with no -SecurityGroupId, the groups that hold its deciding rules.
        private void ChooseGroups(Port53Remediation engine)
        {
            List<Request> open = _requests.Where(r => r.InstanceId != null && r.Bound != null && r.Bound.Length > 0 && r.Named.Length == 0).ToList();
            RunConcurrently(open, async (request, worker) =>
            {
                try
                {
                    request.Chosen = await engine.DecidingGroupsAsync(request.Region, request.Bound, worker.CancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!(ex is OperationCanceledException) && !TcErrors.IsFatal(ex))
                {
                    request.Bound = null;
                    worker.WriteError(TcErrors.ToErrorRecord(ex, request.InstanceId));
                }
            }, request => request.InstanceId, ThrottleLimit);
        }

        // One target per (instance or lone group, group written), each once.
        private List<RemediationTarget> Targets()
        {
            var targets = new List<RemediationTarget>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (Request request in _requests)
            {
                if (request.InstanceId == null)
                {
                    string group = request.Named[0];
                    if (seen.Add(request.Region + "\n\n" + group)) targets.Add(new RemediationTarget(request.Region, null, new[] { group }, group));
                    continue;
                }
                if (request.Bound == null) continue;
                if (request.Bound.Length == 0)
                {
                    WriteError(TcErrors.Create("NoSecurityGroup", ErrorCategory.InvalidOperation, request.InstanceId,
                        Strings.Remediation.Format("NoSecurityGroup", request.InstanceId, request.Region)));
                    continue;
                }
                if (request.Chosen != null)
                {
                    foreach (var (group, keys) in request.Chosen)
                        if (seen.Add(request.Region + "\n" + request.InstanceId + "\n" + group))
                            targets.Add(new RemediationTarget(request.Region, request.InstanceId, request.Bound, group, keys));
                    continue;
                }
                foreach (string group in request.Named.Length > 0 ? request.Named : DefaultGroups(request.Bound))
                {
                    if (!request.Bound.Contains(group, StringComparer.OrdinalIgnoreCase))
                    {
                        WriteError(TcErrors.Create("GroupNotBound", ErrorCategory.InvalidArgument, group,
                            Strings.Remediation.Format("GroupNotBound", group, request.InstanceId, string.Join(", ", request.Bound))));
                        continue;
                    }
                    if (seen.Add(request.Region + "\n" + request.InstanceId + "\n" + group))
                        targets.Add(new RemediationTarget(request.Region, request.InstanceId, request.Bound, group));
                }
            }
            return targets;
        }

        private List<GroupChangePlan> Plan(Port53Remediation engine, List<RemediationTarget> targets)
        {
            var units = targets.GroupBy(t => (t.Region, t.GroupId)).ToList();
            var plans = new ConcurrentBag<GroupChangePlan>();
            RunConcurrently(units, async (unit, worker) => plans.Add(await PlanAsync(engine, unit, worker).ConfigureAwait(false)),
                unit => unit.Key.GroupId, ThrottleLimit, units.Count > 1 ? Strings.Remediation["ProgressPlan"] : null);
            return plans.ToList();
        }

        /// <summary>One group's plan, its problems written as errors.</summary>
        private async Task<GroupChangePlan> PlanAsync(Port53Remediation engine, IGrouping<(string Region, string GroupId), RemediationTarget> unit, WorkerOutput worker)
        {
            GroupChangePlan plan = ChangeAction == TcPort53ChangeAction.Block
                ? await engine.PlanBlockAsync(unit.Key.Region, unit.Key.GroupId, unit.ToList(), worker.CancellationToken).ConfigureAwait(false)
                : await engine.PlanUnblockAsync(unit.Key.Region, unit.Key.GroupId, unit.ToList(), worker.CancellationToken).ConfigureAwait(false);
            foreach (ErrorRecord problem in plan.Problems) worker.WriteError(problem);
            return plan;
        }

        /// <summary>-Force without -Confirm or -WhatIf: no question is asked, so nothing waits for every plan (see <see cref="Approve"/>).</summary>
        private bool AsksNothing => Force && !WhatIfRequested && !ConfirmRequested;

        /// <summary>
        /// When nothing is asked and this pipeline listed every region concerned: each group is written as soon as it is
        /// planned, while the others are still being planned, instead of after every plan. The listing names every
        /// instance bound to the group, as the staged path's lookup would; the records and messages come in the order
        /// the groups are done.
        /// </summary>
        private void PlanAndWrite(Port53Remediation engine, List<RemediationTarget> targets, string account)
        {
            var units = targets.GroupBy(t => (t.Region, t.GroupId)).ToList();
            string activity = units.Count > 1 ? Strings.Remediation[ChangeAction == TcPort53ChangeAction.Block ? "ProgressBlock" : "ProgressUnblock"] : null;
            string planning = units.Count > 1 ? Strings.Remediation["ProgressPlan"] : null;
            int planned = 0;
            RunConcurrently(units, async (unit, worker) =>
            {
                GroupChangePlan plan = await PlanAsync(engine, unit, worker).ConfigureAwait(false);
                if (planning != null)
                {
                    int done = Interlocked.Increment(ref planned);
                    Outbox.Post(c => c.Progress.Report(planning, done, units.Count));
                }
                if (plan.IsNoOp)
                {
                    if (!plan.HasMembers) return;
                    worker.WriteVerbose(Strings.Remediation.Format("VerboseNoChange", plan.SecurityGroupId, plan.Region, plan.Snapshot.Version));
                    TcPort53Change unchanged = engine.NoChange(plan);
                    Outbox.Post(_ => Emit(unchanged));
                    return;
                }
                plan.AffectedInstanceIds.UnionWith(_reads.Listing(account, plan.Region).Binding(plan.SecurityGroupId));
                string warning = ShadowedWarning(plan);
                if (warning != null) worker.WriteWarning(warning);
                worker.WriteVerbose(WhatIfText(plan));
                await WriteAsync(engine, plan, worker).ConfigureAwait(false);
            }, unit => unit.Key.GroupId, ThrottleLimit, activity);
            if (planning != null) Progress.Complete(planning);
        }

        private async Task WriteAsync(Port53Remediation engine, GroupChangePlan plan, WorkerOutput worker)
        {
            RemediationOutcome outcome = await engine.ApplyAsync(plan, worker.CancellationToken).ConfigureAwait(false);
            Outbox.Post(_ => Emit(outcome.Change));
            foreach (ErrorRecord error in outcome.Errors) worker.WriteError(error);
        }

        // Every instance a change affects, not only those given: a complete listing of the region made earlier in
        // this pipeline says which instances bind each group; elsewhere Tencent lists them.
        private void LookUpAffectedInstances(Port53Remediation engine, List<GroupChangePlan> plans, string account)
        {
            var byRegion = new List<IGrouping<string, GroupChangePlan>>();
            foreach (IGrouping<string, GroupChangePlan> regionPlans in plans.GroupBy(p => p.Region, StringComparer.OrdinalIgnoreCase))
            {
                PipelineReads.RegionListing listing = _reads.Listing(account, regionPlans.Key);
                if (listing == null)
                {
                    byRegion.Add(regionPlans);
                    continue;
                }
                foreach (GroupChangePlan plan in regionPlans) plan.AffectedInstanceIds.UnionWith(listing.Binding(plan.SecurityGroupId));
            }
            RunConcurrently(byRegion, async (regionPlans, worker) =>
            {
                try
                {
                    await engine.AddBoundInstancesAsync(regionPlans.Key, regionPlans.ToList(), worker.CancellationToken).ConfigureAwait(false);
                }
                catch (TcApiException ex) when (!TcErrors.IsFatal(ex))
                {
                    worker.WriteWarning(Strings.Remediation.Format("BoundInstancesUnavailable", regionPlans.Key, ex.Message));
                }
            }, regionPlans => regionPlans.Key, ThrottleLimit);
        }

        /// <summary>How many instances a warning names before it says "and N more" (the -WhatIf line names them all).</summary>
        private const int InstancesNamed = 5;

        /// <summary>
        /// One warning per group, before its prompt or -WhatIf line, naming the private-source ACCEPTs of port 53
        /// the new DROPs would stop: a rule of the written group stops for every instance bound to it, a later
        /// group's for the instances that bind it after the written one.
        /// </summary>
        private void WarnShadowed(GroupChangePlan plan)
        {
            string warning = ShadowedWarning(plan);
            if (warning != null) WriteWarning(warning);
        }

        private string ShadowedWarning(GroupChangePlan plan)
        {
            if (plan.Shadowed.Count == 0) return null;
            var instances = new SortedSet<string>(StringComparer.Ordinal);
            foreach (ShadowedAccept shadowed in plan.Shadowed)
                instances.UnionWith(shadowed.InWrittenGroup && plan.AffectedInstanceIds.Count > 0 ? plan.AffectedInstanceIds : shadowed.Members);
            string rules = string.Join("; ", plan.Shadowed.Select(r => Strings.Remediation.Format("ShadowedRule",
                Port53Remediation.Where(r.Rule), TcPort53Verdict.Describe(r.Rule.Policy), string.Join(", ", r.Keys))));
            string named = string.Join(", ", instances.Take(InstancesNamed));
            if (instances.Count > InstancesNamed) named = Strings.Remediation.Format("AndMore", named, instances.Count - InstancesNamed);
            return Strings.Remediation.Format("PrivateAcceptShadowed", plan.SecurityGroupId, plan.Shadowed.Count, rules, named);
        }

        /// <summary>
        /// ShouldProcess for one group, with the exact rules and every affected instance in the text. -Force skips the
        /// prompts nobody asked for (ConfirmImpact against $ConfirmPreference), so a runbook never waits; an explicit
        /// -Confirm still asks, and -WhatIf still writes nothing.
        /// </summary>
        private bool Approve(GroupChangePlan plan)
        {
            if (AsksNothing)
            {
                WriteVerbose(WhatIfText(plan));
                return true;
            }
            bool block = ChangeAction == TcPort53ChangeAction.Block;
            return ShouldProcess(WhatIfText(plan), Strings.Remediation.Format(block ? "BlockQuery" : "UnblockQuery", PromptArguments(plan)),
                Strings.Remediation[block ? "BlockCaption" : "UnblockCaption"]);
        }

        /// <summary>The -WhatIf line of one group's change (also the verbose line when nothing is asked).</summary>
        private string WhatIfText(GroupChangePlan plan) =>
            Strings.Remediation.Format(ChangeAction == TcPort53ChangeAction.Block ? "BlockWhatIf" : "UnblockWhatIf", PromptArguments(plan));

        private static object[] PromptArguments(GroupChangePlan plan)
        {
            string instances = plan.AffectedInstanceIds.Count == 0 ? Strings.Remediation["NoInstances"] : string.Join(", ", plan.AffectedInstanceIds);
            return new object[] { plan.RuleCount, plan.SecurityGroupId, plan.Region, plan.Snapshot.Version, plan.RulesText, instances };
        }

        private bool ConfirmRequested =>
            MyInvocation.BoundParameters.TryGetValue("Confirm", out object value) && LanguagePrimitives.IsTrue(value);

        private bool WhatIfRequested =>
            MyInvocation.BoundParameters.TryGetValue("WhatIf", out object value)
                ? LanguagePrimitives.IsTrue(value)
                : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));

        /// <summary>On the pipeline thread: -PassThru. The journal has the record already (the engine appends it after the write).</summary>
        private void Emit(TcPort53Change change)
        {
            if (change != null && PassThru) WriteObject(change);
        }
    }
}
