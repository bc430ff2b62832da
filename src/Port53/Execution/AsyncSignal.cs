using System.Threading;
using System.Threading.Tasks;

namespace Port53.Execution
{
    /// <summary>
    /// Wakes whoever waits for "something changed" (an item finished, output was written) without polling.
    /// Take the task first, then look at the condition, then wait: a change between the look and the wait
    /// completes the task already taken, so no wake-up is lost. Thread-safe.
    /// </summary>
    internal sealed class AsyncSignal
    {
        private readonly object _gate = new object();
        private TaskCompletionSource<bool> _next;

        /// <summary>Completes at the next <see cref="Set"/> (continuations run on the thread pool, never inside Set).</summary>
        public Task Next()
        {
            lock (_gate)
                return (_next ?? (_next = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously))).Task;
        }

        public void Set()
        {
            TaskCompletionSource<bool> waiting;
            lock (_gate)
            {
                waiting = _next;
                _next = null;
            }
            waiting?.TrySetResult(true);
        }

        /// <summary>Waits for <paramref name="task"/> (one <see cref="Next"/> gave), or throws when the token is cancelled.</summary>
        public static async Task WaitAsync(Task task, CancellationToken cancellationToken)
        {
            if (task.IsCompleted || !cancellationToken.CanBeCanceled)
            {
                await task.ConfigureAwait(false);
                return;
            }
            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(() => cancelled.TrySetCanceled(cancellationToken)))
            {
                await (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false)).ConfigureAwait(false);
            }
        }
    }
}
