using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Port53.Cmdlets;
using Port53.Execution;
using Port53.Tests.Api;
using Port53.Tests.Cmdlets;
using Xunit;

namespace Port53.Tests.Execution
{
    /// <summary>
    /// A cmdlet of the tests, built on TcCmdlet like the module's own: runs -Count items at most -Throttle at
    /// once; item i outputs i, except that items in -Fail write an error, and each waits for the test's go.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "Port53TestWork")]
    public sealed class InvokePort53TestWorkCommand : TcCmdlet
    {
        public static int Running;
        public static int MaxRunning;
        public static ManualResetEventSlim Go = new ManualResetEventSlim();

        [Parameter(Mandatory = true)] public int Count { get; set; }
        [Parameter(Mandatory = true)] public int Throttle { get; set; }
        [Parameter] public int[] Fail { get; set; } = new int[0];

        protected override void EndProcessing()
        {
            TcWorkBatch.Run(this, Enumerable.Range(0, Count), async (i, worker) =>
            {
                int now = Interlocked.Increment(ref Running);
                int max;
                while ((max = Volatile.Read(ref MaxRunning)) < now && Interlocked.CompareExchange(ref MaxRunning, now, max) != max) { }
                try
                {
                    await Task.Run(() => Go.Wait(worker.CancellationToken)).ConfigureAwait(false);
                    worker.WriteVerbose("item " + i);
                    if (Fail.Contains(i)) throw new TestWorkFailure("item " + i + " failed");
                    worker.WriteObject(i);
                }
                finally
                {
                    Interlocked.Decrement(ref Running);
                }
            }, i => "target-" + i, Throttle, "Test work");
        }
    }

    /// <summary>
    /// A pipeline-input version of the above: each record is started in a batch (TcWorkBatch.ForPipelineInput) as it arrives and
    /// waits for the test's go; counts the records it has been given.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "Port53TestStream")]
    public sealed class InvokePort53TestStreamCommand : TcCmdlet
    {
        public static int Received;
        public static ManualResetEventSlim Go = new ManualResetEventSlim();

        [Parameter(Mandatory = true, ValueFromPipeline = true)] public int Item { get; set; }
        [Parameter(Mandatory = true)] public int Throttle { get; set; }

        private TcWorkBatch _batch;

        protected override void ProcessRecord()
        {
            Interlocked.Increment(ref Received);
            if (_batch == null) _batch = TcWorkBatch.ForPipelineInput(this, Throttle);
            int item = Item;
            _batch.Start(item, async (i, worker) =>
            {
                await Task.Run(() => Go.Wait(worker.CancellationToken)).ConfigureAwait(false);
                worker.WriteObject(i);
            });
        }

        protected override void EndProcessing()
        {
            if (_batch == null) return;
            _batch.Finish();
            _batch.Dispose();
        }
    }

    public sealed class TestWorkFailure : Exception
    {
        public TestWorkFailure(string message) : base(message) { }
    }

    // The test cmdlet's counters are static (process-wide), so these run in the serial collection.
    [Collection(ProcessEnvironmentCollection.Name)]
    public class TcWorkBatchTests : IClassFixture<FleetSession>
    {
        private readonly FleetSession _ps;

        public TcWorkBatchTests(FleetSession ps)
        {
            _ps = ps;
            _ps.Run("Import-Module '" + typeof(InvokePort53TestWorkCommand).Assembly.Location + "'").AssertNoErrors();
            _ps.RunConnected("$null").AssertNoErrors();
            InvokePort53TestWorkCommand.Running = 0;
            InvokePort53TestWorkCommand.MaxRunning = 0;
            InvokePort53TestWorkCommand.Go.Reset();
        }

        [Fact]
        public async Task WorkRunsUpToTheBoundAndResultsAndErrorsReachThePipeline()
        {
            using (PowerShell ps = PowerShell.Create())
            {
                ps.Runspace = _ps.Runspace;
                ps.AddScript("Invoke-Port53TestWork -Count 12 -Throttle 3 -Fail 4, 7 -Verbose");
                var running = Task.Factory.FromAsync(ps.BeginInvoke(), ps.EndInvoke);
                Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref InvokePort53TestWorkCommand.Running) == 3, TimeSpan.FromSeconds(20)));
                Assert.Equal(3, InvokePort53TestWorkCommand.MaxRunning);
                InvokePort53TestWorkCommand.Go.Set();
                Assert.Same(running, await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(20))));
                var output = (await running).Select(o => (int)o.BaseObject).OrderBy(i => i).ToArray();

                Assert.Equal(Enumerable.Range(0, 12).Except(new[] { 4, 7 }), output);
                Assert.Equal(3, InvokePort53TestWorkCommand.MaxRunning);
                Assert.Equal(new[] { "target-4", "target-7" }, ps.Streams.Error.Select(e => (string)e.TargetObject).OrderBy(t => t));
                Assert.All(ps.Streams.Error, e => Assert.StartsWith("Port53.UnexpectedError,", e.FullyQualifiedErrorId));
                Assert.Equal(12, ps.Streams.Verbose.Count(v => v.Message.StartsWith("item ")));
                Assert.Contains(ps.Streams.Progress, p => p.RecordType == ProgressRecordType.Completed);
            }
        }

        [Fact]
        public void ProgressIsThrottledButTheLastCountIsShownBeforeItCompletes()
        {
            // 500 items that finish at once: a record per item would be 500 records, most never seen by anyone.
            InvokePort53TestWorkCommand.Go.Set();
            using (PowerShell ps = PowerShell.Create())
            {
                ps.Runspace = _ps.Runspace;
                ps.AddScript("Invoke-Port53TestWork -Count 500 -Throttle 16");
                var output = ps.Invoke();
                Assert.Equal(500, output.Count);
                var progress = ps.Streams.Progress.Where(p => p.Activity == "Test work").ToList();
                int updates = progress.Count(p => p.RecordType == ProgressRecordType.Processing);
                Assert.InRange(updates, 1, 100);
                // The newest count is held, not dropped: 100% comes last before Completed.
                Assert.Equal(ProgressRecordType.Completed, progress.Last().RecordType);
                ProgressRecord last = progress[progress.Count - 2];
                Assert.Equal(100, last.PercentComplete);
                Assert.Contains("500", last.StatusDescription);
            }
        }

        [Fact]
        public async Task PipelineInputIsHeldBackWhileTheBatchIsFull()
        {
            InvokePort53TestStreamCommand.Received = 0;
            InvokePort53TestStreamCommand.Go.Reset();
            using (PowerShell ps = PowerShell.Create())
            {
                ps.Runspace = _ps.Runspace;
                ps.AddScript("1..100 | Invoke-Port53TestStream -Throttle 2");
                var running = Task.Factory.FromAsync(ps.BeginInvoke(), ps.EndInvoke);
                // Four items per worker slot may be in flight (8 here): the ninth record waits in ProcessRecord.
                Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref InvokePort53TestStreamCommand.Received) >= 8, TimeSpan.FromSeconds(20)));
                await Task.Delay(200);
                Assert.Equal(8, Volatile.Read(ref InvokePort53TestStreamCommand.Received));
                Assert.False(running.IsCompleted);
                InvokePort53TestStreamCommand.Go.Set();
                Assert.Same(running, await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(20))));
                Assert.Equal(Enumerable.Range(1, 100), (await running).Select(o => (int)o.BaseObject).OrderBy(i => i));
                Assert.Equal(100, InvokePort53TestStreamCommand.Received);
            }
        }

        [Fact]
        public async Task StoppingCancelsWorkersAndReturns()
        {
            using (PowerShell ps = PowerShell.Create())
            {
                ps.Runspace = _ps.Runspace;
                ps.AddScript("Invoke-Port53TestWork -Count 5 -Throttle 2");
                IAsyncResult running = ps.BeginInvoke();
                Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref InvokePort53TestWorkCommand.Running) == 2, TimeSpan.FromSeconds(20)));
                Task stop = Task.Run(() => ps.Stop());
                Assert.Same(stop, await Task.WhenAny(stop, Task.Delay(TimeSpan.FromSeconds(20))));
                Assert.True(running.IsCompleted);
                Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
                Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref InvokePort53TestWorkCommand.Running) == 0, TimeSpan.FromSeconds(20)));
                Assert.Equal(2, InvokePort53TestWorkCommand.MaxRunning);
            }
        }
    
        [Fact]
        public void AcrossRegionsTakesTheRegionsInTurnKeepingEachRegionsOrder()
        {
            var items = new[] { ("a", 1), ("a", 2), ("a", 3), ("b", 1), ("c", 1), ("c", 2) };
            Assert.Equal(new[] { ("a", 1), ("b", 1), ("c", 1), ("a", 2), ("c", 2), ("a", 3) }, TcWorkBatch.AcrossRegions(items, i => i.Item1));
            Assert.Empty(TcWorkBatch.AcrossRegions(new (string, int)[0], i => i.Item1));
        }
    }
}
