using System;
using System.Threading;
using System.Threading.Tasks;
using Port53.Execution;
using Xunit;

namespace Port53.Tests.Execution
{
    public class AsyncSignalTests
    {
        [Fact]
        public async Task ATaskTakenBeforeASetCompletesAndOneTakenAfterWaitsForTheNext()
        {
            var signal = new AsyncSignal();
            Task first = signal.Next();
            Assert.Same(first, signal.Next());
            Assert.False(first.IsCompleted);
            signal.Set();
            await first;
            Task second = signal.Next();
            Assert.NotSame(first, second);
            await Task.Delay(20);
            Assert.False(second.IsCompleted);
            signal.Set();
            await second;
        }

        [Fact]
        public async Task WaitingEndsWithTheTokenAndLeavesTheSignalUsable()
        {
            var signal = new AsyncSignal();
            using (var cts = new CancellationTokenSource())
            {
                Task waiting = AsyncSignal.WaitAsync(signal.Next(), cts.Token);
                cts.Cancel();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
            }
            Task next = AsyncSignal.WaitAsync(signal.Next(), CancellationToken.None);
            signal.Set();
            await next;
        }

        [Fact]
        public void ManySettersAndWaitersLoseNoWakeUp()
        {
            // The pattern TcWorkBatch uses: take the task, look at the count, then wait.
            var signal = new AsyncSignal();
            int remaining = 2000;
            var workers = new Task[4];
            for (int w = 0; w < workers.Length; w++)
            {
                workers[w] = Task.Run(() =>
                {
                    while (true)
                    {
                        int left = Interlocked.Decrement(ref remaining);
                        signal.Set();
                        if (left <= 0) return;
                        Thread.SpinWait(50);
                    }
                });
            }
            while (Volatile.Read(ref remaining) > 0)
            {
                Task next = signal.Next();
                if (Volatile.Read(ref remaining) <= 0) break;
                Assert.True(next.Wait(TimeSpan.FromSeconds(20)), "a wake-up was lost");
            }
            Assert.True(Task.WaitAll(workers, TimeSpan.FromSeconds(20)));
        }
    }
}
