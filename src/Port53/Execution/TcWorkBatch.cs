using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Port53.Api;
using Port53.Cmdlets;

namespace Port53.Execution
{
    /// <summary>
    /// Bounded concurrent work of one cmdlet: at most <c>throttle</c> items run at once on worker tasks; their
    /// output reaches the pipeline thread through the cmdlet's outbox. An item may come with a task it waits for
    /// before it takes its place (the reads it needs, already under way): only its own work counts against the
    /// throttle. A failure becomes one error for its item and the rest go on, except a fatal one (bad credentials),
    /// which cancels the rest and terminates. Use it from the pipeline thread only.
    /// </summary>
    internal sealed class TcWorkBatch : IDisposable
    {
        /// <summary>
        /// How many regions or targets are worked on at once unless a cmdlet says otherwise. The client's pacing
        /// keeps the request rate within Tencent's limits however many run; this only has to be enough to keep
        /// the pacing busy while calls wait: on a round trip (tens to hundreds of milliseconds), and on the backoff
        /// after a throttled or failed attempt, which holds its target meanwhile.
        /// </summary>
        internal const int DefaultThrottle = 32;

        private readonly TcCmdlet _cmdlet;
        private readonly SemaphoreSlim _gate;
        private readonly CancellationTokenSource _cancel;
        private readonly CancellationToken _token;
        // Items started and not yet finished; each one that finishes sets the signal (no Task.WhenAny over all of them).
        private int _inFlight;
        private readonly AsyncSignal _itemDone = new AsyncSignal();
        private readonly string _activity;
        private readonly int _total;
        private readonly int _maxInFlight;
        private readonly CultureInfo _culture = CultureInfo.CurrentCulture, _uiCulture = CultureInfo.CurrentUICulture;
        private int _finished;
        private int _started;
        private Func<object, AccountScope> _accountOf;
        // Items of several accounts: each account's own places, as each account's feed has them in the commands that read.
        private readonly ConcurrentDictionary<string, SemaphoreSlim> _accountGates = new ConcurrentDictionary<string, SemaphoreSlim>(StringComparer.Ordinal);
        private readonly int _throttle;

        /// <param name="window">
        /// The most items started and not yet finished (default: four per place); more wait in the caller.
        /// </param>
        private TcWorkBatch(TcCmdlet cmdlet, int throttle, string activity, int total, int? window = null, AccountScope account = null)
        {
            _cmdlet = cmdlet;
            throttle = Math.Max(1, throttle);
            _throttle = throttle;
            // Items beyond this wait in the caller (ProcessRecord), so upstream pipeline input is held back
            // instead of piling up here: memory stays flat however many items flow through.
            _maxInFlight = Math.Max(throttle, window ?? throttle * 4);
            // Not disposed: workers still finishing after Ctrl+C release it, and it holds no handle.
            _gate = new SemaphoreSlim(throttle);
            _cancel = CancellationTokenSource.CreateLinkedTokenSource(cmdlet.CancellationToken);
            _token = _cancel.Token;
            _activity = activity;
            _total = total;
            // Built here, on the pipeline thread: resolving the connection may need to write or terminate.
            Worker = new WorkerOutput(cmdlet, account ?? cmdlet.DefaultAccount, _token);
        }

        /// <summary>
        /// <paramref name="items"/> (in their order within each region) taken a region at a time in turn: calls are paced
        /// per region's endpoint, so the working places of <see cref="Run{T}"/> given a region-sorted list would all wait
        /// on one or two regions' budgets while the others' stay unused.
        /// </summary>
        public static List<T> AcrossRegions<T>(IEnumerable<T> items, Func<T, string> regionOf)
        {
            List<List<T>> byRegion = items.GroupBy(item => regionOf(item) ?? string.Empty, StringComparer.OrdinalIgnoreCase).Select(g => g.ToList()).ToList();
            var turns = new List<T>(byRegion.Sum(g => g.Count));
            for (int round = 0; turns.Count < turns.Capacity; round++)
                foreach (List<T> region in byRegion)
                    if (round < region.Count) turns.Add(region[round]);
            return turns;
        }

        /// <summary>
        /// Runs <paramref name="work"/> for every item, at most <paramref name="throttle"/> at once, on worker
        /// tasks that post output through their <see cref="WorkerOutput"/>. A failure becomes one error for that
        /// item (target: <paramref name="targetOf"/>(item), else the item) and the others go on, except a fatal
        /// one (bad credentials), which cancels the rest and terminates. With <paramref name="activity"/>,
        /// progress is shown per finished item. Returns when all items are done. Pipeline thread only.
        /// </summary>
        /// <param name="accountOf">For items of several accounts: each item's, so that an account whose credentials fail is
        /// one error for it while the other accounts' items go on (see <see cref="AccountScope.Named"/>), and so that each
        /// account has <paramref name="throttle"/> places of its own, as its feed has in the commands that read.</param>
        public static void Run<T>(TcCmdlet cmdlet, IEnumerable<T> items, Func<T, WorkerOutput, Task> work, Func<T, object> targetOf = null,
            int throttle = DefaultThrottle, string activity = null, AccountScope account = null, Func<T, AccountScope> accountOf = null)
        {
            List<T> list = items.ToList();
            if (list.Count == 0) return;
            int accounts = accountOf == null ? 1 : list.Select(item => accountOf(item).Key).Distinct(StringComparer.Ordinal).Count();
            using (var batch = new TcWorkBatch(cmdlet, throttle, activity, list.Count, Math.Max(1, throttle) * 4 * accounts, account))
            {
                if (accountOf != null) batch._accountOf = item => accountOf((T)item);
                foreach (T item in list) batch.Start(item, work, targetOf);
                batch.Finish();
            }
        }

        /// <summary>
        /// A batch for work that arrives one pipeline record at a time: start it in ProcessRecord
        /// (<see cref="Start{T}"/> writes what is ready and waits only when too much is in flight), finish it in
        /// EndProcessing. Results stream in the order they are ready. The work is in <paramref name="account"/> (default: the
        /// default context's).
        /// </summary>
        public static TcWorkBatch ForPipelineInput(TcCmdlet cmdlet, int throttle, string activity = null, int? window = null, AccountScope account = null) =>
            new TcWorkBatch(cmdlet, throttle, activity, 0, window, account);

        /// <summary>What each item's work receives: the client and a token cancelled by Ctrl+C or a fatal failure.</summary>
        public WorkerOutput Worker { get; }

        /// <param name="ready">What the item waits for before it takes a place (its failure is the work's to see); null for nothing.</param>
        public void Start<T>(T item, Func<T, WorkerOutput, Task> work, Func<T, object> targetOf = null, Task ready = null)
        {
            _started++;
            Interlocked.Increment(ref _inFlight);
            // A waiting item is only its continuation until what it waits for is done: no task of its own meanwhile.
            if (ready == null || ready.IsCompleted) Task.Run(() => RunAsync(item, work, targetOf));
            else ready.ContinueWith(_ => RunAsync(item, work, targetOf), CancellationToken.None, TaskContinuationOptions.DenyChildAttach, TaskScheduler.Default);
            _cmdlet.Outbox.DrainAvailable();
            WaitWhileInFlight(_maxInFlight - 1);
        }

        /// <summary>On the pipeline thread: writes what items post until at most <paramref name="most"/> are still running.</summary>
        private void WaitWhileInFlight(int most)
        {
            while (Volatile.Read(ref _inFlight) > most)
            {
                // Taken before the count is looked at again, so an item finishing in between still wakes this wait.
                Task done = _itemDone.Next();
                if (Volatile.Read(ref _inFlight) <= most) break;
                _cmdlet.Outbox.DrainUntil(done);
            }
        }

        /// <summary>Waits for every item started, writing their output as it comes.</summary>
        public void Finish()
        {
            try
            {
                WaitWhileInFlight(0);
                // Finished items may have posted output not yet written.
                _cmdlet.Outbox.DrainAvailable();
            }
            finally
            {
                _cancel.Cancel();
            }
            if (_activity != null && _started > 0) _cmdlet.Progress.Complete(_activity);
        }

        public void Dispose()
        {
            _cancel.Cancel();
            _cancel.Dispose();
        }

        /// <summary>
        /// The one error for an account whose credentials failed (role gone, not authorised, keys expired): the failure's
        /// own id and category, aimed at the account's context, with a message that names it.
        /// </summary>
        internal static ErrorRecord AccountFailed(AccountScope account, Exception failure)
        {
            ErrorRecord record = TcErrors.ToErrorRecord(failure, account.Name);
            string uin = account.Uin?.ToString(CultureInfo.InvariantCulture) ?? "-";
            record.ErrorDetails = new ErrorDetails(Resources.Strings.Core.Format("AccountFailed", account.Name, uin, record.ErrorDetails?.Message ?? failure.Message));
            return record;
        }

        private async Task RunAsync<T>(T item, Func<T, WorkerOutput, Task> work, Func<T, object> targetOf)
        {
            try
            {
                await RunItemAsync(item, work, targetOf).ConfigureAwait(false);
            }
            finally
            {
                // Last: everything this item posted is queued before the pipeline thread hears it is done.
                Interlocked.Decrement(ref _inFlight);
                _itemDone.Set();
            }
        }

        private async Task RunItemAsync<T>(T item, Func<T, WorkerOutput, Task> work, Func<T, object> targetOf)
        {
            CultureInfo.CurrentCulture = _culture;
            CultureInfo.CurrentUICulture = _uiCulture;
            CancellationToken token = _token;
            AccountScope account = _accountOf?.Invoke(item) ?? Worker.Account;
            SemaphoreSlim gate = _accountOf == null ? _gate : _accountGates.GetOrAdd(account.Key, _ => new SemaphoreSlim(_throttle));
            try
            {
                await gate.WaitAsync(token).ConfigureAwait(false);
                try
                {
                    // Nothing more is done in an account whose credentials failed (its one error is written).
                    if (!account.Failed) await work(item, Worker).ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                ErrorRecord record = TcErrors.ToErrorRecord(ex, targetOf != null ? targetOf(item) : item);
                if (TcErrors.IsFatal(ex))
                {
                    // An account the user named fails alone: one error names it, and the other accounts (their batches,
                    // or their items of this one) go on.
                    if (account.Named)
                    {
                        if (_accountOf == null) try { _cancel.Cancel(); } catch (ObjectDisposedException) { }
                        if (account.MarkFailed()) _cmdlet.Outbox.Post(c => c.WriteError(AccountFailed(account, ex)));
                    }
                    else
                    {
                        try { _cancel.Cancel(); } catch (ObjectDisposedException) { }
                        _cmdlet.Outbox.Post(c => c.ThrowTerminatingError(record));
                    }
                }
                else
                {
                    _cmdlet.Outbox.Post(c => c.WriteError(record));
                }
            }
            if (_activity != null)
            {
                int done = Interlocked.Increment(ref _finished);
                _cmdlet.Outbox.Post(c => c.Progress.Report(_activity, done, _total));
            }
        }
    }
}
