using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using Port53.Api;
using Port53.Api.Models;
using Port53.Cmdlets;
using Port53.Model;
using Port53.Resources;
using Port53.Services;
using Port53.Session;

namespace Port53.Execution
{
    /// <summary>
    /// The targets of an audit cmdlet as they arrive from the pipeline, worked on in one <see cref="TcWorkBatch"/>
    /// so that results stream and memory stays flat:
    /// - instances piped whole start at once, with the groups they carry (they are not described again);
    /// - instance ids are gathered per region and described up to 100 per request; an id found in none of the
    ///   regions it was looked for in is one InstanceNotFound error at the end, as Get-Item reports a missing path;
    /// - security group ids are read in every region named; one found in none is one SecurityGroupNotFound error.
    /// One feed per account the command works in; its <see cref="SecurityGroupReader"/> serves the whole command there, so a group shared by many targets is read once;
    /// a change command later in the same pipeline may take its reads too (<see cref="PipelineReads"/>).
    /// A failure is one error for its target and the others go on, except a fatal one (bad credentials), which
    /// terminates. Progress counts finished targets with an open end, since pipeline input has no known total.
    ///
    /// With read-ahead, an instance's groups are asked for as it arrives, and up to <see cref="ReadAheadWindow"/>
    /// instances wait for theirs without holding a working place: a listing comes a page (one region) at a time, so
    /// with only the working places ahead the reads would go to one or two regions at once, although each region's
    /// endpoint has a budget of its own. The reads of all regions then run at once, each at its region's pace.
    /// Use it from the pipeline thread; the work functions run on worker threads.
    /// </summary>
    internal sealed class TargetFeed
    {
        private readonly TcCmdlet _cmdlet;
        private readonly TcWorkBatch _batch;
        private readonly string _activity;
        private readonly Func<TcInstance, WorkerOutput, Task> _instanceWork;
        private readonly Func<GroupSnapshot, WorkerOutput, Task> _groupWork;
        private readonly Lazy<SecurityGroupReader> _reader;
        private readonly PipelineReads _reads;
        private readonly string _account;
        private readonly bool _readAhead;

        // Instance ids waiting to be described, per region; and for each id named, the regions it is looked for in.
        private readonly Dictionary<string, List<string>> _pendingIds = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, List<string>> _searchedRegions = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        private readonly List<string> _idsInOrder = new List<string>();
        private readonly ConcurrentDictionary<string, bool> _foundIds = new ConcurrentDictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        private readonly ConcurrentDictionary<string, bool> _failedRegions = new ConcurrentDictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        private int _done;
        private bool _started;

        /// <summary>
        /// How many instances may wait for their groups' reads: about ten regions' first pages (Get-TcInstance asks for
        /// every region's first page at once). As the first regions' instances finish, a read at a time, the next
        /// regions' come in, so the reads of all regions overlap; a larger window reads little sooner and keeps more
        /// reads waiting for their region's pace.
        /// </summary>
        public const int ReadAheadWindow = 1024;

        /// <param name="instanceWork">What to do with one instance; may throw, which becomes that instance's error.</param>
        /// <param name="groupWork">What to do with one group named by id, once it has been read; null if the cmdlet takes no group ids.</param>
        /// <param name="readAhead">Whether the instance work reads the instance's bound groups (<see cref="SecurityGroupReader.GetBoundAsync"/>): they are then asked for as it arrives.</param>
        /// <param name="account">The account the targets are in: each account a command works in has a feed of its own.</param>
        public TargetFeed(TcCmdlet cmdlet, AccountScope account, int throttle, string activity, Func<TcInstance, WorkerOutput, Task> instanceWork,
            Func<GroupSnapshot, WorkerOutput, Task> groupWork = null, bool readAhead = false)
        {
            _cmdlet = cmdlet;
            _activity = account.Activity(activity);
            _instanceWork = instanceWork;
            _groupWork = groupWork;
            _readAhead = readAhead;
            _batch = TcWorkBatch.ForPipelineInput(cmdlet, throttle, window: readAhead ? ReadAheadWindow : (int?)null, account: account);
            // A change command at the end of the pipeline acts on what this command found: it may use these reads
            // (null when none runs in this pipeline, and then nothing is recorded).
            PipelineReads reads = _reads = cmdlet.Session.PipelineReads.Current;
            string key = _account = reads == null ? null : account.Key;
            _reader = new Lazy<SecurityGroupReader>(() =>
            {
                var reader = new SecurityGroupReader(_batch.Worker.Vpc);
                reads?.AddReader(key, reader);
                return reader;
            }, LazyThreadSafetyMode.ExecutionAndPublication);
        }

        /// <summary>The command's reader: each group's rules and each region's templates are read once per command.</summary>
        public SecurityGroupReader Reader => _reader.Value;

        /// <summary>A Lighthouse firewall the command read, for a change command later in the pipeline to plan from.</summary>
        public void RecordFirewall(FirewallSnapshot firewall) => _reads?.AddFirewall(_account, firewall);

        public void AddInstance(TcInstance instance)
        {
            _started = true;
            _batch.Start(instance, (t, worker) => RunTargetAsync(t, w => _instanceWork(instance, w), worker), ready: ReadAhead(instance));
        }

        // The instance's groups, asked for now (each once per command, paced by the client); null without read-ahead.
        // From a worker thread: the first ask for a group signs and sends its request before it returns, which is
        // work the pipeline thread, the one that carries every object of the pipeline, should not do.
        private Task ReadAhead(TcInstance instance)
        {
            if (!_readAhead || instance.Region == null || instance.SecurityGroupIds == null || instance.SecurityGroupIds.Length == 0) return null;
            CancellationToken token = _batch.Worker.CancellationToken;
            return Task.Run(() => Task.WhenAll(instance.SecurityGroupIds.Select(id => Reader.GetAsync(instance.Region, id, token))));
        }

        /// <summary>Looks the ids up in each of <paramref name="regions"/>, 100 per request, as soon as a region has that many.</summary>
        public void AddInstanceIds(IEnumerable<string> ids, IReadOnlyList<string> regions)
        {
            foreach (string id in TcIds.Normalised(ids))
            {
                if (!_searchedRegions.TryGetValue(id, out List<string> searched))
                {
                    _searchedRegions[id] = searched = new List<string>();
                    _idsInOrder.Add(id);
                }
                foreach (string region in regions.Where(r => !searched.Contains(r, StringComparer.OrdinalIgnoreCase)))
                {
                    searched.Add(region);
                    if (!_pendingIds.TryGetValue(region, out List<string> pending)) _pendingIds[region] = pending = new List<string>();
                    pending.Add(id);
                    if (pending.Count >= TcQuery.MaxIds) LookUp(region);
                }
            }
        }

        /// <summary>Reads each group in <paramref name="regions"/> and hands the copy found to the group work.</summary>
        public void AddSecurityGroupIds(IEnumerable<string> ids, IReadOnlyList<string> regions)
        {
            foreach (string id in TcIds.Normalised(ids))
                Start(id, worker => ReadGroupAsync(id, regions, worker));
        }

        /// <summary>
        /// Work that needs one read first (a Lighthouse instance's firewall). With read-ahead the read is asked for as the
        /// target arrives and the target waits for it without holding a working place, as an instance waits for its
        /// groups: firewall reads are paced per region (10 a second), so otherwise they would run one or two regions
        /// at a time while the other regions' budgets stay unused.
        /// </summary>
        public void StartAfterRead<TRead>(object target, Func<WorkerOutput, Task<TRead>> read, Action<TRead, WorkerOutput> work)
        {
            _started = true;
            WorkerOutput feedWorker = _batch.Worker;
            // From a worker thread, for the reason ReadAhead gives.
            Task<TRead> ahead = _readAhead ? Task.Run(() => read(feedWorker)) : null;
            _batch.Start(target, (t, worker) => RunTargetAsync(t, async w => work(await (ahead ?? read(w)).ConfigureAwait(false), w), worker),
                ready: ahead);
        }

        /// <summary>Runs work of the cmdlet's own for one target (e.g. one region to list), counted like the others.</summary>
        public void Start(object target, Func<WorkerOutput, Task> work)
        {
            _started = true;
            _batch.Start(target, (t, worker) => RunTargetAsync(t, work, worker));
        }

        /// <summary>Looks up the ids still pending, waits for every target, then reports the ids found nowhere.</summary>
        public void Finish()
        {
            try
            {
                foreach (string region in _pendingIds.Keys.ToList()) LookUp(region);
                _batch.Finish();
            }
            finally
            {
                _batch.Dispose();
            }
            if (_started && _activity != null) _cmdlet.Progress.Complete(_activity);
            foreach (string id in _idsInOrder)
            {
                List<string> regions = _searchedRegions[id];
                if (_foundIds.ContainsKey(id) || regions.Any(_failedRegions.ContainsKey)) continue;
                _cmdlet.WriteError(TcErrors.Create("InstanceNotFound", ErrorCategory.ObjectNotFound, id,
                    Strings.Core.Format("InstanceNotFound", id, string.Join(", ", regions))));
            }
        }

        private void LookUp(string region)
        {
            List<string> ids = _pendingIds[region];
            _pendingIds.Remove(region);
            _started = true;
            _batch.Start(region, (r, worker) => LookUpAsync(r, ids, worker));
        }

        private async Task LookUpAsync(string region, List<string> ids, WorkerOutput worker)
        {
            var targets = new List<Task>();
            Exception failure = null;
            try
            {
                await worker.Cvm.DescribeInstancesAsync(region, new TcQuery().WithIds(ids), page =>
                {
                    foreach (Instance wire in page)
                    {
                        if (wire.InstanceId != null) _foundIds[wire.InstanceId] = true;
                        _reads?.AddBinding(_account, region, wire.InstanceId, wire.SecurityGroupIds);
                        TcInstance instance = worker.Account.Stamp(TcInstance.From(wire, region));
                        targets.Add(RunTargetAsync(instance, w => _instanceWork(instance, w), worker));
                    }
                }, worker.CancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!worker.CancellationToken.IsCancellationRequested)
            {
                _failedRegions[region] = true;
                failure = ex;
            }
            // The instances already found are tested even when a later page failed; their output must be in before this item ends.
            await Task.WhenAll(targets).ConfigureAwait(false);
            if (failure != null) ExceptionDispatchInfo.Capture(failure).Throw();
        }

        private async Task ReadGroupAsync(string id, IReadOnlyList<string> regions, WorkerOutput worker)
        {
            var reads = regions.Select(region => Reader.GetAsync(region, id, worker.CancellationToken)).ToList();
            try
            {
                await Task.WhenAll(reads).ConfigureAwait(false);
            }
            catch (Exception) when (!worker.CancellationToken.IsCancellationRequested)
            {
                // Looked at one by one below: a group lives in one region, so "not here" from the others is expected.
            }
            worker.CancellationToken.ThrowIfCancellationRequested();
            List<GroupSnapshot> found = reads.Where(r => r.Status == TaskStatus.RanToCompletion).Select(r => r.Result).ToList();
            foreach (GroupSnapshot group in found) await _groupWork(group, worker).ConfigureAwait(false);
            if (found.Count > 0) return;
            Exception other = reads.Select(r => r.Exception?.InnerException).FirstOrDefault(e => e != null && !IsNotFound(e));
            if (other != null) ExceptionDispatchInfo.Capture(other).Throw();
            worker.WriteError(SecurityGroupNotFound(id, regions));
        }

        /// <summary>A group named by id that is in none of the regions looked in: Get-Item's "cannot find path", for groups.</summary>
        internal static ErrorRecord SecurityGroupNotFound(string id, IEnumerable<string> regions) =>
            TcErrors.Create("SecurityGroupNotFound", ErrorCategory.ObjectNotFound, id, Strings.Audit.Format("SecurityGroupNotFound", id, string.Join(", ", regions)));

        internal static bool IsNotFound(Exception exception) =>
            exception is TcApiException api && TcErrors.CategoryFor(api.Code) == ErrorCategory.ObjectNotFound;

        private async Task RunTargetAsync(object target, Func<WorkerOutput, Task> work, WorkerOutput worker)
        {
            try
            {
                await work(worker).ConfigureAwait(false);
            }
            catch (SecurityGroupReadException ex) when (TcErrors.IsFatal(ex.InnerException))
            {
                ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            }
            catch (Exception ex) when (!TcErrors.IsFatal(ex) && !(ex is OperationCanceledException && worker.CancellationToken.IsCancellationRequested))
            {
                worker.WriteError(ErrorFor(ex, target));
            }
            if (_activity == null) return;
            int done = Interlocked.Increment(ref _done);
            _cmdlet.Outbox.Post(c => c.Progress.Report(_activity, done, 0));
        }

        /// <summary>A failure for one target; a bound group that could not be read is named in the message, with the Tencent error kept.</summary>
        private static ErrorRecord ErrorFor(Exception exception, object target)
        {
            if (!(exception is SecurityGroupReadException read)) return TcErrors.ToErrorRecord(exception, target);
            ErrorRecord record = TcErrors.ToErrorRecord(read.InnerException, target);
            record.ErrorDetails = new ErrorDetails(Strings.Audit.Format("GroupUnreadable", target, read.SecurityGroupId, read.Region, read.InnerException.Message));
            return record;
        }
    }
}
