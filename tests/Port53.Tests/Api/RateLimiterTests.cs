using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Port53.Api;
using Port53.Api.Models;
using Xunit;

namespace Port53.Tests.Api
{
    public class RateLimiterTests
    {
        private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

        /// <summary>A clock that moves only when the test says so.</summary>
        private sealed class FakeClock
        {
            private long _ticks = 1_000_000;
            public long Now() => Interlocked.Read(ref _ticks);
            public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, (long)(by.TotalSeconds * Stopwatch.Frequency));
        }

        private static int Drain(TokenBucket bucket)
        {
            int granted = 0;
            while (bucket.TryTake(out _)) granted++;
            return granted;
        }

        [Theory]
        [InlineData("DescribeInstances", 40)]
        [InlineData("DescribeRegions", 20)]
        [InlineData("DescribeZones", 20)]
        [InlineData("DescribeSecurityGroups", 100)]
        [InlineData("DescribeSecurityGroupPolicies", 100)]
        [InlineData("CreateSecurityGroupPolicies", 100)]
        [InlineData("ReplaceSecurityGroupPolicies", 20)]
        [InlineData("ModifySecurityGroupPolicies", 50)]
        [InlineData("SomethingNew", 20)]
        public void NoOneSecondWindowExceedsThePublishedLimit(string action, int limit)
        {
            var clock = new FakeClock();
            TokenBucket bucket = new TcRateLimiterRegistry(clock: clock.Now).For("e", "id", action);
            int first = Drain(bucket);
            Assert.InRange(first, 1, limit);
            // Over ten seconds in steps of 10 ms, as a waiter woken when its token is due would take them.
            var perStep = new int[1000];
            for (int i = 0; i < perStep.Length; i++)
            {
                clock.Advance(TimeSpan.FromMilliseconds(10));
                perStep[i] = Drain(bucket);
            }
            // Any 100 consecutive steps (one second) stay under the limit, with room left for jitter.
            int ceiling = limit - Math.Max(1, limit / 20);
            for (int i = 0; i + 100 <= perStep.Length; i++) Assert.InRange(perStep.Skip(i).Take(100).Sum(), 0, ceiling);
            Assert.InRange(first + perStep.Take(100).Sum(), 0, ceiling);
            // ... and the long-run rate is not needlessly low: at least 85% of the limit (whole requests).
            Assert.InRange(perStep.Sum(), (int)(limit * 10 * 0.85) - 1, limit * 10);
        }

        [Theory]
        [InlineData("DescribeInstances", 40)]
        [InlineData("DescribeSecurityGroupPolicies", 100)]
        [InlineData("ReplaceSecurityGroupPolicies", 20)]
        [InlineData("SomethingNew", 20)]
        public void WaitersQueuedAtOnceAreScheduledUnderThePublishedLimit(string action, int limit)
        {
            // What WaitAsync does for a crowd: each caller takes the next token ahead and waits until it is due.
            var clock = new FakeClock();
            TokenBucket bucket = new TcRateLimiterRegistry(clock: clock.Now).For("e", "id", action);
            long[] due = Enumerable.Range(0, limit * 10).Select(_ => bucket.Reserve()).ToArray();
            Assert.Equal(due.OrderBy(d => d), due);
            long second = Stopwatch.Frequency;
            int ceiling = limit - Math.Max(1, limit / 20);
            // Any one-second window, starting at any grant, stays under the limit with room left for jitter ...
            for (int i = 0; i < due.Length; i++) Assert.InRange(due.Skip(i).TakeWhile(d => d < due[i] + second).Count(), 1, ceiling);
            // ... and the crowd is served at no less than 85% of the limit (whole requests).
            double seconds = (due[due.Length - 1] - due[0]) / (double)second;
            Assert.InRange((due.Length - 1) / seconds, limit * 0.85 - 1, limit);
        }

        [Fact]
        public void BucketsAreSharedPerAccessPointSecretIdAndAction()
        {
            var clock = new FakeClock();
            var registry = new TcRateLimiterRegistry(_ => 10, clock.Now);
            Assert.Same(registry.For("e1", "AKID1", "DescribeInstances"), registry.For("e1", "AKID1", "DescribeInstances"));
            Assert.NotSame(registry.For("e1", "AKID1", "DescribeInstances"), registry.For("e1", "AKID2", "DescribeInstances"));
            Assert.NotSame(registry.For("e1", "AKID1", "DescribeInstances"), registry.For("e2", "AKID1", "DescribeInstances"));
            Assert.NotSame(registry.For("e1", "AKID1", "DescribeInstances"), registry.For("e1", "AKID1", "DescribeRegions"));

            int one = Drain(registry.For("e1", "AKID1", "DescribeInstances"));
            Assert.Equal(1, one);
            Assert.Equal(0, Drain(registry.For("e1", "AKID1", "DescribeInstances")));
            Assert.Equal(1, Drain(registry.For("e1", "AKID2", "DescribeInstances")));
        }

        /// <summary>Tokens granted per second over <paramref name="seconds"/> seconds of fake time, taken in 10 ms steps.</summary>
        private static double Pace(TokenBucket bucket, FakeClock clock, int seconds)
        {
            int granted = 0;
            for (int i = 0; i < seconds * 100; i++)
            {
                clock.Advance(TimeSpan.FromMilliseconds(10));
                granted += Drain(bucket);
            }
            return granted / (double)seconds;
        }

        [Fact]
        public void ARefusalLowersThatBudgetOnceAWindowAndItRecoversSlowly()
        {
            // An account-wide or IP ceiling Tencent does not publish shows up only as RequestLimitExceeded.
            var clock = new FakeClock();
            var registry = new TcRateLimiterRegistry(_ => 100, clock.Now);
            TokenBucket throttled = registry.For("vpc.ap-guangzhou.tencentcloudapi.com", "AKID1", "DescribeSecurityGroupPolicies");
            TokenBucket otherRegion = registry.For("vpc.ap-shanghai.tencentcloudapi.com", "AKID1", "DescribeSecurityGroupPolicies");
            TokenBucket otherAction = registry.For("vpc.ap-guangzhou.tencentcloudapi.com", "AKID1", "CreateSecurityGroupPolicies");
            Drain(throttled);
            double full = Pace(throttled, clock, 2);
            Assert.InRange(full, 84, 86);

            // A burst of refusals (every request in flight refused together) is one signal, not one per reply.
            for (int i = 0; i < 10; i++) throttled.Throttled();
            double lowered = throttled.RatePerSecond;
            Assert.InRange(lowered, full * 0.6, full * 0.8);
            clock.Advance(TimeSpan.FromMilliseconds(10));
            Drain(throttled);
            throttled.Throttled();
            Assert.True(throttled.RatePerSecond >= lowered, "a second refusal within the window lowered again: " + throttled.RatePerSecond);

            // The next window's refusal lowers it again; nothing else is touched.
            clock.Advance(TimeSpan.FromSeconds(1));
            Drain(throttled);
            throttled.Throttled();
            Assert.InRange(throttled.RatePerSecond, full * 0.4, full * 0.6);
            Assert.InRange(Pace(otherRegion, clock, 1), 84, 86 + 10);
            Assert.InRange(Pace(otherAction, clock, 1), 84, 86 + 10);

            // Without refusals it climbs back, slowly, never past the published pace.
            Drain(throttled);
            double start = throttled.RatePerSecond;
            double firstSecond = Pace(throttled, clock, 1);
            Assert.InRange(firstSecond, start, start + full * 0.1 + 1);
            Pace(throttled, clock, 30);
            Assert.InRange(throttled.RatePerSecond, full - 0.01, full + 0.01);
            Assert.InRange(Pace(throttled, clock, 2), 84, 86);
        }

        [Fact]
        public void RepeatedRefusalsBottomOutAboveZero()
        {
            var clock = new FakeClock();
            TokenBucket bucket = new TcRateLimiterRegistry(_ => 100, clock.Now).For("e", "id", "a");
            for (int i = 0; i < 50; i++)
            {
                bucket.Throttled();
                clock.Advance(TimeSpan.FromSeconds(1.01));
                Drain(bucket);
            }
            // Recovery of one second keeps it just above the floor, which still lets requests through.
            Assert.InRange(bucket.RatePerSecond, 1, 20);
            Assert.True(Pace(bucket, clock, 2) >= 1);
        }

        [Fact]
        public void AnEmptyBucketSaysHowLongToWait()
        {
            var clock = new FakeClock();
            TokenBucket bucket = new TcRateLimiterRegistry(_ => 5, clock.Now).For("e", "id", "a");
            Assert.True(bucket.TryTake(out _));
            Assert.False(bucket.TryTake(out TimeSpan wait));
            Assert.InRange(wait, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1));
        }

        [Fact]
        public async Task WaitersGoInTheOrderTheyCameAndACancelledOneHandsItsTokenBack()
        {
            var clock = new FakeClock();
            // Limit 5/s: a burst of 1, then 3 per second.
            TokenBucket bucket = new TcRateLimiterRegistry(_ => 5, clock.Now).For("e", "id", "a");
            await bucket.WaitAsync(CancellationToken.None);
            var order = new System.Collections.Concurrent.ConcurrentQueue<int>();
            using (var cancelSecond = new CancellationTokenSource())
            {
                Task[] raw = Enumerable.Range(1, 4).Select(i => bucket.WaitAsync(i == 2 ? cancelSecond.Token : CancellationToken.None)).ToArray();
                Task[] waiters = raw.Select((wait, n) =>
                    wait.ContinueWith(t => { if (t.Status == TaskStatus.RanToCompletion) order.Enqueue(n + 1); }, TaskScheduler.Default)).ToArray();
                await Task.Delay(50);
                Assert.Empty(order);

                cancelSecond.Cancel();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => raw[1]);
                // Tokens were taken ahead, in order: 1 at 1/3 s, (2 at 2/3 s, cancelled), 3 at 1 s, 4 at 4/3 s.
                var seen = new System.Collections.Generic.List<int[]>();
                for (int step = 1; step <= 4; step++)
                {
                    clock.Advance(TimeSpan.FromSeconds(0.34));
                    int expected = step == 1 ? 1 : step == 2 ? 1 : step == 3 ? 2 : 3;
                    Assert.True(SpinWait.SpinUntil(() => order.Count == expected, Generous), "step " + step + ": " + string.Join(",", order));
                    await Task.Delay(30);
                    Assert.Equal(expected, order.Count);
                }
                await Task.WhenAll(waiters);
                Assert.Equal(new[] { 1, 3, 4 }, order.ToArray());
                // The cancelled waiter's token came back: without it the bucket would still be short of one here.
                Assert.True(bucket.TryTake(out _));
            }
        }

        [Fact]
        public async Task TheClientSendsOnlyAsManyRequestsAsTheLimiterGrants()
        {
            var clock = new FakeClock();
            // Limit 5/s: one request of burst, then (refill 5 − 1 burst − 1 jitter room = 3/s) one per third of a second of (fake) time.
            var options = ClientTestKit.FastOptions();
            options.RateLimits = new TcRateLimiterRegistry(_ => 5, clock.Now);
            using (var server = new FakeServer(_ => FakeReply.Ok()))
            using (var cts = new CancellationTokenSource())
            {
                TcClient client = ClientTestKit.For(server.BaseUri, options);
                Task[] calls = Enumerable.Range(0, 3).Select(_ => client.CallAsync<TcEmptyResponse>("cvm", "DescribeInstances", "ap-guangzhou", null, cts.Token)).ToArray();
                Assert.True(await server.Arrived.WaitAsync(TimeSpan.FromSeconds(20)));
                // The clock is frozen: no further permit can exist, however long we wait.
                await Task.Delay(50);
                Assert.Equal(1, server.RequestCount);

                clock.Advance(TimeSpan.FromSeconds(0.34));
                Assert.True(await server.Arrived.WaitAsync(TimeSpan.FromSeconds(20)));
                await Task.Delay(50);
                Assert.Equal(2, server.RequestCount);

                clock.Advance(TimeSpan.FromSeconds(0.34));
                Task all = Task.WhenAll(calls);
                Assert.Same(all, await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(20))));
                Assert.Equal(3, server.RequestCount);
            }
        }
    }
}
