using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
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

        /// <summary>The context (account) of targets named by id; piped objects are changed in the context they carry.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(AccountCompleter))]
        [ValidateNotNull]
        public TcContext Account { get; set; }

        /// <summary>The context a piped object was read with: it is changed there.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        public string ContextName { get; set; }

        /// <summary>The account a piped object was read in.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        public long? AccountUin { get; set; }

        private ChangeJournal _journal;
        private JournalScan _journalScan;
        private PipelineReads _reads;
        // One lane per account the input names, in the order first named: its targets, engines and who changes.
        private readonly Dictionary<string, Lane> _lanes = new Dictionary<string, Lane>(StringComparer.Ordinal);
        private readonly List<Lane> _laneOrder = new List<Lane>();

        /// <summary>What the command changes in one account, and with which identity.</summary>
        private sealed class Lane
        {
            public Lane(AccountScope account, ChangeTargets targets)
            {
                Account = account;
                Targets = targets;
            }

            public AccountScope Account { get; }
            public ChangeTargets Targets { get; }
            public List<(string Region, string InstanceId)> Firewalls { get; } = new List<(string, string)>();
            public ChangeActor Actor { get; set; }
            public Port53Remediation Engine { get; set; }
            public FirewallRemediation FirewallEngine { get; set; }
        }

        private Lane LaneFor(AccountScope account)
        {
            if (_lanes.TryGetValue(account.Key, out Lane lane)) return lane;
            _lanes[account.Key] = lane = new Lane(account, new ChangeTargets(_reads, MyInvocation.MyCommand.Name));
            _laneOrder.Add(lane);
            return lane;
        }

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
            AccountScope account = AccountsFor(Account == null ? null : new[] { Account }, ContextName, AccountUin).FirstOrDefault();
            if (account == null) return;
            Lane lane = LaneFor(account);
            string region = string.IsNullOrWhiteSpace(Region) ? DefaultRegion(account) : Region.Trim();
            if (WildcardPattern.ContainsWildcardCharacters(region))
            {
                WriteError(TcErrors.Create("RegionWildcard", ErrorCategory.InvalidArgument, region,
                    Strings.Remediation.Format("RegionWildcard", region, MyInvocation.MyCommand.Name)));
                return;
            }
            string[] all = TcIds.Distinct(InstanceId), named = TcIds.Distinct(SecurityGroupId);
            // A Lighthouse instance is its own rule list (its firewall): no groups, no bindings.
            string[] instances = all.Where(id => !TcIds.IsLighthouseInstance(id)).ToArray();
            AddFirewalls(lane, region, all.Where(TcIds.IsLighthouseInstance));
            if (instances.Length > 0) lane.Targets.AddInstances(region, instances, BoundSecurityGroupId == null ? null : TcIds.Distinct(BoundSecurityGroupId), named);
            else if (all.Length > 0) return;
            else if (named.Length > 0) lane.Targets.AddGroups(region, named);
            else
            {
                WriteError(TcErrors.Create("NoTarget", ErrorCategory.InvalidArgument, null,
                    Strings.Remediation.Format("NoTarget", MyInvocation.MyCommand.Name)));
            }
        }

        protected override void EndProcessing()
        {
            List<Lane> lanes = _laneOrder.Where(l => !l.Targets.IsEmpty || l.Firewalls.Count > 0).ToList();
            if (lanes.Count == 0) return;
            IReadOnlyList<Analysis.ExposureKey> keys = TcPort53Exposure.Keys(Protocol, AddressFamily);
            DateTime now = DateTime.UtcNow;
            ChangeJournal journal = WhatIfRequested ? null : _journal;
            foreach (Lane lane in lanes)
            {
                AccountScope account = lane.Account;
                lane.Actor = new ChangeActor(account.MaskedSecretId, account.KnownUin(), account.Name, account.RoleArn);
                lane.Engine = new Port53Remediation(account.Vpc, account.Cvm, keys, lane.Actor, now, Session.Retry, _reads.Readers(account.Key), journal, PlacementChoice);
                lane.FirewallEngine = new FirewallRemediation(account.Lighthouse, keys, lane.Actor, now, journal, PlacementChoice);
            }
            Reconcile(lanes);
            ChangeFirewalls(lanes.Where(l => l.Firewalls.Count > 0).ToList());
            lanes = lanes.Where(l => !l.Targets.IsEmpty && !l.Account.Failed).ToList();
            if (lanes.Count == 0) return;
            var targets = Targets(lanes);
            if (AsksNothing && targets.All(t => t.Lane.Targets.AllListed(t.Lane.Account.Key, t.Targets)))
            {
                PlanAndWrite(targets);
                return;
            }
            List<(Lane Lane, GroupChangePlan Plan)> plans = Plan(targets);
            AddAffectedInstances(lanes, plans.Where(p => !p.Plan.IsNoOp).ToList());

            var approved = new List<(Lane Lane, GroupChangePlan Plan)>();
            foreach ((Lane lane, GroupChangePlan plan) in plans.OrderBy(p => p.Lane.Account.Name, StringComparer.Ordinal)
                .ThenBy(p => p.Plan.Region, StringComparer.Ordinal).ThenBy(p => p.Plan.SecurityGroupId, StringComparer.Ordinal))
            {
                if (plan.IsNoOp)
                {
                    if (!plan.HasMembers) continue;
                    WriteVerbose(Strings.Remediation.Format("VerboseNoChange", plan.SecurityGroupId, plan.Region, plan.Snapshot.Version));
                    Emit(lane.Engine.NoChange(plan));
                }
                else
                {
                    WarnShadowed(plan);
                    if (Approve(plan)) approved.Add((lane, plan));
                }
            }

            string activity = approved.Count > 1
                ? (ChangeAction == TcPort53ChangeAction.Block ? Strings.Remediation["ProgressBlock"] : Strings.Remediation["ProgressUnblock"])
                : null;
            TcWorkBatch.Run(this, TcWorkBatch.AcrossRegions(approved, p => p.Lane.Account.Key + "\n" + p.Plan.Region), (p, worker) => WriteAsync(p.Lane.Engine, p.Plan, worker),
                p => p.Plan.SecurityGroupId, ThrottleLimit, activity, accountOf: p => p.Lane.Account);
        }

        /// <summary>
        /// Intents an earlier run left in the journal without outcome (it was stopped, or lost a reply and could not
        /// read the group): each group is read now and what really happened is appended, before anything new is written.
        /// Intents made with other credentials are left for them, since these may not see the group.
        /// </summary>
        private void Reconcile(List<Lane> lanes)
        {
            if (_journalScan == null || _journalScan.Pending.Count == 0) return;
            // Each intent goes to the lane that wrote it (the same SecretId, in the same account); an intent written before
            // records named the account goes to the first lane with its SecretId.
            var mine = new List<(Lane Lane, JournalIntent Intent)>();
            foreach (JournalIntent intent in _journalScan.Pending)
            {
                Lane lane = lanes.FirstOrDefault(l => l.Actor.Wrote(intent));
                if (lane != null) mine.Add((lane, intent));
            }
            List<string> others = _journalScan.Pending.Where(i => !mine.Any(m => m.Intent == i)).Select(i => i.ChangedBy).Where(c => c != null).Distinct().ToList();
            if (others.Count > 0)
                WriteWarning(Strings.Remediation.Format("JournalPendingOtherAccount", _journalScan.Pending.Count - mine.Count, _journal.Path, string.Join(", ", others)));
            if (mine.Count == 0) return;
            if (WhatIfRequested)
            {
                WriteWarning(Strings.Remediation.Format("JournalPendingWhatIf", mine.Count, _journal.Path));
                return;
            }
            var counts = new int[3];
            TcWorkBatch.Run(this, mine, async (item, worker) =>
            {
                JournalIntent intent = item.Intent;
                JournalOutcome outcome = intent.Firewall != null
                    ? await item.Lane.FirewallEngine.ReconcileAsync(intent, worker.CancellationToken).ConfigureAwait(false)
                    : await item.Lane.Engine.ReconcileAsync(intent, worker.CancellationToken).ConfigureAwait(false);
                _journal.Conclude(outcome);
                Interlocked.Increment(ref counts[(int)outcome.Status]);
                worker.WriteVerbose(Strings.Remediation.Format("VerboseReconciled", intent.Action, intent.SecurityGroupId ?? intent.Firewall, intent.Region,
                    intent.Version, outcome.Status, outcome.VersionAfter ?? outcome.Error));
            }, item => item.Intent.SecurityGroupId ?? item.Intent.Firewall, ThrottleLimit, accountOf: item => item.Lane.Account);
            WriteWarning(Strings.Remediation.Format("JournalReconciled", mine.Count, _journal.Path,
                counts[(int)JournalStatus.Changed], counts[(int)JournalStatus.Failed], counts[(int)JournalStatus.Unknown]));
        }

        /// <summary>
        /// The steps of <see cref="ChangeTargets"/> in every account, each step's lookups of all accounts in one batch (each
        /// account with its own places); their problems are written as they come.
        /// </summary>
        private List<(Lane Lane, List<RemediationTarget> Targets)> Targets(List<Lane> lanes)
        {
            foreach (Lane lane in lanes) WriteProblems(lane.Targets.TrustOnlyThisPipeline(lane.Account.Key));
            TcWorkBatch.Run(this, lanes.SelectMany(lane => lane.Targets.Unbound().Select(requests => (Lane: lane, Requests: requests))), async (u, worker) =>
                WriteProblems(await u.Lane.Targets.LookUpBindingsAsync(u.Lane.Engine, u.Requests, worker.CancellationToken).ConfigureAwait(false), worker),
                u => u.Requests.Key, ThrottleLimit, accountOf: u => u.Lane.Account);
            foreach (Lane lane in lanes) WriteProblems(lane.Targets.RejectStaleClaims());
            if (ChoosesGroupsByRules)
                TcWorkBatch.Run(this, lanes.SelectMany(lane => lane.Targets.Choosable().Select(request => (Lane: lane, Request: request))), async (u, worker) =>
                    WriteProblems(new[] { await u.Lane.Targets.ChooseGroupsAsync(u.Lane.Engine, u.Request, worker.CancellationToken).ConfigureAwait(false) }, worker),
                    u => u.Request.InstanceId, ThrottleLimit, accountOf: u => u.Lane.Account);
            var chosen = new List<(Lane, List<RemediationTarget>)>();
            foreach (Lane lane in lanes.Where(l => !l.Account.Failed))
            {
                var problems = new List<ServiceProblem>();
                chosen.Add((lane, lane.Targets.Targets(DefaultGroups, problems)));
                WriteProblems(problems);
            }
            return chosen;
        }

        /// <summary>
        /// Every instance each change affects (prompts and records name them): from this pipeline's listings, else looked up
        /// per region, the lookups of all accounts in one batch.
        /// </summary>
        private void AddAffectedInstances(List<Lane> lanes, List<(Lane Lane, GroupChangePlan Plan)> changes) =>
            TcWorkBatch.Run(this, lanes.SelectMany(lane => lane.Targets.AddListedInstances(lane.Account.Key, changes.Where(c => c.Lane == lane).Select(c => c.Plan))
                .Select(regionPlans => (Lane: lane, Plans: regionPlans))), async (u, worker) =>
            {
                string unavailable = await ChangeTargets.AddBoundInstancesAsync(u.Lane.Engine, u.Plans, worker.CancellationToken).ConfigureAwait(false);
                if (unavailable != null) worker.WriteWarning(Strings.Remediation.Format("BoundInstancesUnavailable", u.Plans.Key, unavailable));
            }, u => u.Plans.Key, ThrottleLimit, accountOf: u => u.Lane.Account);

        /// <summary>Each account's groups to change, one unit per group with its targets.</summary>
        private static List<(Lane Lane, IGrouping<(string Region, string GroupId), RemediationTarget> Unit)> Units(
            IEnumerable<(Lane Lane, List<RemediationTarget> Targets)> targets) =>
            targets.SelectMany(t => t.Targets.GroupBy(r => (r.Region, r.GroupId)).Select(unit => (t.Lane, unit))).ToList();

        private List<(Lane Lane, GroupChangePlan Plan)> Plan(IEnumerable<(Lane Lane, List<RemediationTarget> Targets)> targets)
        {
            var units = Units(targets);
            var plans = new ConcurrentBag<(Lane, GroupChangePlan)>();
            TcWorkBatch.Run(this, units, async (u, worker) => plans.Add((u.Lane, await PlanAsync(u.Lane.Engine, u.Unit, worker).ConfigureAwait(false))),
                u => u.Unit.Key.GroupId, ThrottleLimit, units.Count > 1 ? Strings.Remediation["ProgressPlan"] : null, accountOf: u => u.Lane.Account);
            return plans.ToList();
        }

        /// <summary>One group's plan, its problems written as errors.</summary>
        private async Task<GroupChangePlan> PlanAsync(Port53Remediation engine, IGrouping<(string Region, string GroupId), RemediationTarget> unit, WorkerOutput worker)
        {
            GroupChangePlan plan = ChangeAction == TcPort53ChangeAction.Block
                ? await engine.PlanBlockAsync(unit.Key.Region, unit.Key.GroupId, unit.ToList(), worker.CancellationToken).ConfigureAwait(false)
                : await engine.PlanUnblockAsync(unit.Key.Region, unit.Key.GroupId, unit.ToList(), worker.CancellationToken).ConfigureAwait(false);
            WriteProblems(plan.Problems, worker);
            return plan;
        }

        /// <summary>-Force without -Confirm or -WhatIf: no question is asked, so nothing waits for every plan (see <see cref="Approve"/>).</summary>
        private bool AsksNothing => Force && !WhatIfRequested && !ConfirmRequested;

        /// <summary>
        /// When nothing is asked and this pipeline listed every region concerned: each group is written as soon as it is
        /// planned, while the others (of every account) are still being planned, instead of after every plan. The listing
        /// names every instance bound to the group, as the staged path's lookup would; the records and messages come in
        /// the order the groups are done.
        /// </summary>
        private void PlanAndWrite(IEnumerable<(Lane Lane, List<RemediationTarget> Targets)> targets)
        {
            // Each account and region in turn, as the approved writes go: one lane after another would leave the other
            // accounts' budgets idle while the first one's are spent.
            var units = TcWorkBatch.AcrossRegions(Units(targets), u => u.Lane.Account.Key + "\n" + u.Unit.Key.Region);
            string activity = units.Count > 1 ? Strings.Remediation[ChangeAction == TcPort53ChangeAction.Block ? "ProgressBlock" : "ProgressUnblock"] : null;
            string planning = units.Count > 1 ? Strings.Remediation["ProgressPlan"] : null;
            int planned = 0;
            TcWorkBatch.Run(this, units, async (u, worker) =>
            {
                Port53Remediation engine = u.Lane.Engine;
                GroupChangePlan plan = await PlanAsync(engine, u.Unit, worker).ConfigureAwait(false);
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
                u.Lane.Targets.AddListedInstances(u.Lane.Account.Key, new[] { plan });
                string warning = ShadowedWarning(plan);
                if (warning != null) worker.WriteWarning(warning);
                worker.WriteVerbose(WhatIfText(plan));
                await WriteAsync(engine, plan, worker).ConfigureAwait(false);
            }, u => u.Unit.Key.GroupId, ThrottleLimit, activity, accountOf: u => u.Lane.Account);
            if (planning != null) Progress.Complete(planning);
        }

        private async Task WriteAsync(Port53Remediation engine, GroupChangePlan plan, WorkerOutput worker)
        {
            RemediationOutcome outcome = await engine.ApplyAsync(plan, worker.CancellationToken).ConfigureAwait(false);
            Outbox.Post(_ => Emit(outcome.Change));
            WriteProblems(outcome.Problems, worker);
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
