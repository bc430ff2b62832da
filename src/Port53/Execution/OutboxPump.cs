using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Port53.Cmdlets;

namespace Port53.Execution
{
    /// <summary>
    /// How async work meets the pipeline thread. Only the pipeline thread calls Write*: work running elsewhere
    /// (worker tasks, the client's log) posts actions here, and the pipeline thread runs them while it waits
    /// (<see cref="DrainUntil"/>) or between records (<see cref="DrainAvailable"/>), so output streams as it is
    /// ready. Output posts are counted, so a producer faster than the pipeline pauses instead of queueing the
    /// whole fleet (<see cref="ReserveOutputAsync"/>).
    /// </summary>
    internal sealed class OutboxPump : IDisposable
    {
        private readonly TcCmdlet _cmdlet;
        private readonly BlockingCollection<Action<TcCmdlet>> _outbox = new BlockingCollection<Action<TcCmdlet>>();

        public OutboxPump(TcCmdlet cmdlet) => _cmdlet = cmdlet;

        public void Dispose() => _outbox.Dispose();

        /// <summary>Writes everything workers have posted so far, without waiting.</summary>
        internal void DrainAvailable()
        {
            while (_outbox.TryTake(out Action<TcCmdlet> next)) next(_cmdlet);
        }

        /// <summary>How many output posts may wait for the pipeline thread before producers pause (a few pages).</summary>
        internal const int MaxPendingOutput = 4;
        // Output posts not yet written, plus slots reserved for pages still being fetched.
        private int _pendingOutput;
        private readonly AsyncSignal _outputWritten = new AsyncSignal();

        /// <summary>Queues output for the pipeline thread, counted so producers can wait for room; in <paramref name="slot"/> if one was reserved for it.</summary>
        internal void PostOutput(Action<TcCmdlet> write, OutputSlot slot = null)
        {
            if (slot == null || !slot.Use()) Interlocked.Increment(ref _pendingOutput);
            Post(c =>
            {
                ReleaseOutput();
                write(c);
            });
        }

        internal void ReleaseOutput()
        {
            if (Interlocked.Decrement(ref _pendingOutput) < MaxPendingOutput) _outputWritten.Set();
        }

        /// <summary>
        /// Waits until fewer than <see cref="MaxPendingOutput"/> posts wait for the pipeline thread (woken by the
        /// write, not by polling), and reserves a place for the output of work not yet done (the next page), so
        /// that however many producers wait, no more than that many pages are fetched ahead of a slow consumer.
        /// Post in the slot, or dispose of it unused.
        /// </summary>
        internal async Task<OutputSlot> ReserveOutputAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                int seen = Volatile.Read(ref _pendingOutput);
                if (seen < MaxPendingOutput)
                {
                    if (Interlocked.CompareExchange(ref _pendingOutput, seen + 1, seen) == seen) return new OutputSlot(this);
                    continue;
                }
                Task written = _outputWritten.Next();
                if (Volatile.Read(ref _pendingOutput) < MaxPendingOutput) continue;
                await AsyncSignal.WaitAsync(written, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Queues an action for the pipeline thread. Safe from any thread.</summary>
        internal void Post(Action<TcCmdlet> action)
        {
            try
            {
                _outbox.Add(action);
            }
            catch (ObjectDisposedException)
            {
                // The cmdlet has finished; a straggling worker has no one left to tell.
            }
            catch (InvalidOperationException)
            {
            }
        }

        /// <summary>
        /// On the pipeline thread: runs what is posted until <paramref name="task"/> has finished and everything
        /// it posted is written. Ctrl+C stops the wait at once.
        /// </summary>
        internal void DrainUntil(Task task)
        {
            // The sentinel is this call's own: it marks the point after which the task has posted everything.
            Action<TcCmdlet> sentinel = _ => { };
            task.ContinueWith(_ => Post(sentinel), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            CancellationToken stopping = _cmdlet.CancellationToken;
            try
            {
                while (true)
                {
                    Action<TcCmdlet> next = _outbox.Take(stopping);
                    if (ReferenceEquals(next, sentinel)) return;
                    next(_cmdlet);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }
    }
}
