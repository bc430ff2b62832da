using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
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
    public abstract partial class Port53ChangeCmdlet : TcCmdlet
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
        public int ThrottleLimit { get; set; } = TcWorkBatch.DefaultThrottle;

        private ChangeJournal _journal;
        private JournalScan _journalScan;
        private PipelineReads _reads;
        private ChangeTargets _targets;

        internal abstract TcPort53ChangeAction ChangeAction { get; }

        /// <summary>The groups an instance's request acts on when no -SecurityGroupId names them.</summary>
        internal abstract IEnumerable<string> DefaultGroups(string[] boundInBindingOrder);

        /// <summary>Where Block puts its rules (Unblock finds them wherever they are).</summary>
        internal virtual TcPort53Placement PlacementChoice => TcPort53Placement.AboveDecidingRule;

        /// <summary>True when the groups to write depend on the rules, so they are chosen after reading them.</summary>
        internal virtual bool ChoosesGroupsByRules => false;

        protected override void BeginProcessing()
        {
            // From here on the commands before this one record what they read, for EndProcessing to use: PowerShell
            // runs every BeginProcessing of a pipeline before any command produces output, so Get-TcInstance and
            // Test-TcPort53 upstream find the reads open (PipelineReadsSlot) before their first call.
            DisposeWithCommand(Session.PipelineReads.Open(out _reads));
            _targets = new ChangeTargets(_reads, MyInvocation.MyCommand.Name);
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
            string[] all = TcIds.Distinct(InstanceId), named = TcIds.Distinct(SecurityGroupId);
            // A Lighthouse instance is its own rule list (its firewall): no groups, no bindings.
            string[] instances = all.Where(id => !TcIds.IsLighthouseInstance(id)).ToArray();
            AddFirewalls(region, all.Where(TcIds.IsLighthouseInstance));
            if (instances.Length > 0) _targets.AddInstances(region, instances, BoundSecurityGroupId == null ? null : TcIds.Distinct(BoundSecurityGroupId), named);
            else if (all.Length > 0) return;
            else if (named.Length > 0) _targets.AddGroups(region, named);
            else
            {
                WriteError(TcErrors.Create("NoTarget", ErrorCategory.InvalidArgument, null,
                    Strings.Remediation.Format("NoTarget", MyInvocation.MyCommand.Name)));
            }
        }

        protected override void EndProcessing()
        {
            if (_targets.IsEmpty && !HasFirewalls) return;
            string account = RegionCacheKey(Connection);
            string changedBy = CredentialOf(Connection).MaskedSecretId;
            var engine = new Port53Remediation(Vpc, Cvm, TcPort53Exposure.Keys(Protocol, AddressFamily), changedBy, DateTime.UtcNow, Session.Retry,
                _reads.Readers(account), WhatIfRequested ? null : _journal, PlacementChoice);
            Reconcile(engine, changedBy);
            ChangeFirewalls(changedBy);
            if (_targets.IsEmpty) return;
            List<GroupChangePlan> plans = Plan(engine, Targets(engine, account));
            AddAffectedInstances(engine, plans.Where(p => !p.IsNoOp), account);

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
            TcWorkBatch.Run(this, approved, async (plan, worker) =>
            {
                RemediationOutcome outcome = await engine.ApplyAsync(plan, worker.CancellationToken).ConfigureAwait(false);
                Outbox.Post(_ => Emit(outcome.Change));
                WriteProblems(outcome.Problems, worker);
            }, plan => plan.SecurityGroupId, ThrottleLimit, activity);
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
            TcWorkBatch.Run(this, mine, async (intent, worker) =>
            {
                JournalOutcome outcome = intent.Firewall != null
                    ? await Firewalls(changedBy).ReconcileAsync(intent, worker.CancellationToken).ConfigureAwait(false)
                    : await engine.ReconcileAsync(intent, worker.CancellationToken).ConfigureAwait(false);
                _journal.Conclude(outcome);
                Interlocked.Increment(ref counts[(int)outcome.Status]);
                worker.WriteVerbose(Strings.Remediation.Format("VerboseReconciled", intent.Action, intent.SecurityGroupId ?? intent.Firewall, intent.Region,
                    intent.Version, outcome.Status, outcome.VersionAfter ?? outcome.Error));
            }, intent => intent.SecurityGroupId ?? intent.Firewall, ThrottleLimit);
            WriteWarning(Strings.Remediation.Format("JournalReconciled", mine.Count, _journal.Path,
                counts[(int)JournalStatus.Changed], counts[(int)JournalStatus.Failed], counts[(int)JournalStatus.Unknown]));
        }

        /// <summary>The steps of <see cref="ChangeTargets"/>, its lookups concurrently; their problems are written as they come.</summary>
        private List<RemediationTarget> Targets(Port53Remediation engine, string account)
        {
            WriteProblems(_targets.TrustOnlyThisPipeline(account));
            TcWorkBatch.Run(this, _targets.Unbound(), async (requests, worker) =>
                WriteProblems(await _targets.LookUpBindingsAsync(engine, requests, worker.CancellationToken).ConfigureAwait(false), worker),
                requests => requests.Key, ThrottleLimit);
            WriteProblems(_targets.RejectStaleClaims());
            if (ChoosesGroupsByRules)
                TcWorkBatch.Run(this, _targets.Choosable(), async (request, worker) =>
                    WriteProblems(new[] { await _targets.ChooseGroupsAsync(engine, request, worker.CancellationToken).ConfigureAwait(false) }, worker),
                    request => request.InstanceId, ThrottleLimit);
            var problems = new List<ServiceProblem>();
            List<RemediationTarget> targets = _targets.Targets(DefaultGroups, problems);
            WriteProblems(problems);
            return targets;
        }

        /// <summary>Every instance each change affects (prompts and records name them): from this pipeline's listings, else looked up per region.</summary>
        private void AddAffectedInstances(Port53Remediation engine, IEnumerable<GroupChangePlan> changes, string account) =>
            TcWorkBatch.Run(this, _targets.AddListedInstances(account, changes), async (regionPlans, worker) =>
            {
                string unavailable = await ChangeTargets.AddBoundInstancesAsync(engine, regionPlans, worker.CancellationToken).ConfigureAwait(false);
                if (unavailable != null) worker.WriteWarning(Strings.Remediation.Format("BoundInstancesUnavailable", regionPlans.Key, unavailable));
            }, regionPlans => regionPlans.Key, ThrottleLimit);

        private List<GroupChangePlan> Plan(Port53Remediation engine, List<RemediationTarget> targets)
        {
            var units = targets.GroupBy(t => (t.Region, t.GroupId)).ToList();
            var plans = new ConcurrentBag<GroupChangePlan>();
            TcWorkBatch.Run(this, units, async (unit, worker) =>
            {
                GroupChangePlan plan = ChangeAction == TcPort53ChangeAction.Block
                    ? await engine.PlanBlockAsync(unit.Key.Region, unit.Key.GroupId, unit.ToList(), worker.CancellationToken).ConfigureAwait(false)
                    : await engine.PlanUnblockAsync(unit.Key.Region, unit.Key.GroupId, unit.ToList(), worker.CancellationToken).ConfigureAwait(false);
                WriteProblems(plan.Problems, worker);
                plans.Add(plan);
            }, unit => unit.Key.GroupId, ThrottleLimit, units.Count > 1 ? Strings.Remediation["ProgressPlan"] : null);
            return plans.ToList();
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
            if (plan.Shadowed.Count == 0) return;
            var instances = new SortedSet<string>(StringComparer.Ordinal);
            foreach (ShadowedAccept shadowed in plan.Shadowed)
                instances.UnionWith(shadowed.InWrittenGroup && plan.AffectedInstanceIds.Count > 0 ? plan.AffectedInstanceIds : shadowed.Members);
            string rules = string.Join("; ", plan.Shadowed.Select(r => Strings.Remediation.Format("ShadowedRule",
                Port53Remediation.Where(r.Rule), TcPort53Verdict.Describe(r.Rule.Policy), string.Join(", ", r.Keys))));
            string named = string.Join(", ", instances.Take(InstancesNamed));
            if (instances.Count > InstancesNamed) named = Strings.Remediation.Format("AndMore", named, instances.Count - InstancesNamed);
            WriteWarning(Strings.Remediation.Format("PrivateAcceptShadowed", plan.SecurityGroupId, plan.Shadowed.Count, rules, named));
        }

        /// <summary>
        /// ShouldProcess for one group, with the exact rules and every affected instance in the text. -Force skips the
        /// prompts nobody asked for (ConfirmImpact against $ConfirmPreference), so a runbook never waits; an explicit
        /// -Confirm still asks, and -WhatIf still writes nothing.
        /// </summary>
        private bool Approve(GroupChangePlan plan)
        {
            string instances = plan.AffectedInstanceIds.Count == 0 ? Strings.Remediation["NoInstances"] : string.Join(", ", plan.AffectedInstanceIds);
            return Approve(false, plan.RuleCount, plan.SecurityGroupId, plan.Region, plan.Snapshot.Version, plan.RulesText, instances);
        }

        /// <param name="firewall">True for a Lighthouse firewall, whose messages name the instance.</param>
        private bool Approve(bool firewall, params object[] args)
        {
            bool block = ChangeAction == TcPort53ChangeAction.Block;
            string whatIfKey = block ? (firewall ? "FirewallBlockWhatIf" : "BlockWhatIf") : (firewall ? "FirewallUnblockWhatIf" : "UnblockWhatIf");
            string queryKey = block ? (firewall ? "FirewallBlockQuery" : "BlockQuery") : (firewall ? "FirewallUnblockQuery" : "UnblockQuery");
            string whatIf = Strings.Remediation.Format(whatIfKey, args);
            if (Force && !WhatIfRequested && !ConfirmRequested)
            {
                WriteVerbose(whatIf);
                return true;
            }
            return ShouldProcess(whatIf, Strings.Remediation.Format(queryKey, args),
                Strings.Remediation[block ? "BlockCaption" : "UnblockCaption"]);
        }

        private bool ConfirmRequested =>
            MyInvocation.BoundParameters.TryGetValue("Confirm", out object value) && LanguagePrimitives.IsTrue(value);

        private bool WhatIfRequested =>
            MyInvocation.BoundParameters.TryGetValue("WhatIf", out object value)
                ? LanguagePrimitives.IsTrue(value)
                : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));

        /// <summary>The edge: each problem a service returned as one error for its target, on the pipeline thread or through a worker.</summary>
        private void WriteProblems(IEnumerable<ServiceProblem> problems, WorkerOutput worker = null)
        {
            foreach (ServiceProblem problem in problems.Where(p => p != null))
            {
                ErrorRecord record = TcErrors.ToErrorRecord(problem);
                if (worker != null) worker.WriteError(record);
                else WriteError(record);
            }
        }

        /// <summary>On the pipeline thread: -PassThru. The journal has the record already (the engine appends it after the write).</summary>
        private void Emit(TcPort53Change change)
        {
            if (change != null && PassThru) WriteObject(change);
        }
    }
}
