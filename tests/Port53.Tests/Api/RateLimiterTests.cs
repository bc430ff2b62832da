using System;
using System.Collections.Generic;
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
        [InlineData("cvm", "DescribeInstances", 40)]
        [InlineData("lighthouse", "DescribeInstances", 100)]
        [InlineData("cvm", "DescribeRegions", 20)]
        [InlineData("lighthouse", "DescribeRegions", 10)]
        [InlineData("lighthouse", "DescribeFirewallRules", 10)]
        [InlineData("lighthouse", "CreateFirewallRules", 10)]
        [InlineData("lighthouse", "DeleteFirewallRules", 10)]
        [InlineData("lighthouse", "ModifyFirewallRules", 20)]
        [InlineData("vpc", "ModifySecurityGroupPolicies", 50)]
        public void LighthouseActionsAreNotPacedAsCvmActionsOfTheSameName(string service, string action, int limit) =>
            Assert.Equal(limit, TencentRateLimits.For(service, action));

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
        [InlineData("lighthouse.ModifyFirewallRules", 20)]
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

        /// <summary>
        /// Runs a bucket against a server for <paramref name="seconds"/> seconds of fake time, in 10 ms steps: each token
        /// granted is one request, answered at once, refused when <paramref name="refuse"/> says so (given the second
        /// and how many that second accepted so far). Returns per second (sent, accepted).
        /// </summary>
        private static List<(int Sent, int Accepted)> Serve(TokenBucket bucket, FakeClock clock, int seconds, Func<int, int, bool> refuse)
        {
            var perSecond = new List<(int Sent, int Accepted)>();
            for (int second = 0; second < seconds; second++)
            {
                int sent = 0, accepted = 0;
                for (int step = 0; step < 100; step++)
                {
                    clock.Advance(TimeSpan.FromMilliseconds(10));
                    while (bucket.TryTake(out _))
                    {
                        sent++;
                        bool refused = refuse(second, accepted);
                        if (!refused) accepted++;
                        bucket.Answered(refused, clock.Now());
                    }
                }
                perSecond.Add((sent, accepted));
            }
            return perSecond;
        }

        [Fact]
        public void AnUnpublishedCeilingIsFoundAndHeldWhileOtherBudgetsKeepTheirPace()
        {
            // Tencent's account-wide and IP limits are not published: they show up only as RequestLimitExceeded.
            var clock = new FakeClock();
            var registry = new TcRateLimiterRegistry(_ => 100, clock.Now);
            TokenBucket capped = registry.For("vpc.ap-guangzhou.tencentcloudapi.com", "AKID1", "DescribeSecurityGroupPolicies");
            TokenBucket otherRegion = registry.For("vpc.ap-shanghai.tencentcloudapi.com", "AKID1", "DescribeSecurityGroupPolicies");
            double full = capped.RatePerSecond;
            Assert.InRange(full, 84.9, 85.1);

            // The server takes 40 a second from this budget and refuses the rest.
            var seconds = Serve(capped, clock, 40, (second, acceptedSoFar) => acceptedSoFar >= 40);
            var settled = seconds.Skip(10).ToList();
            Assert.InRange(settled.Average(s => s.Accepted), 34, 40);
            // Without lowering it would send 85 a second, more than half of them refused.
            Assert.InRange(settled.Average(s => s.Sent), 34, 52);
            Assert.InRange(capped.RatePerSecond, TokenBucket.LowestShare * 100, 55);
            Assert.Equal(full, otherRegion.RatePerSecond);
        }

        [Fact]
        public void RegionsSharingAnAccountCeilingSettleUnderItTogether()
        {
            // Twenty regions' budgets of one action (85 a second each) against an account-wide 300 a second.
            var clock = new FakeClock();
            var registry = new TcRateLimiterRegistry(_ => 100, clock.Now);
            List<TokenBucket> regions = Enumerable.Range(0, 20).Select(i => registry.For("vpc.region-" + i + ".tencentcloudapi.com", "AKID1", "a")).ToList();
            var sent = new List<int>();
            var accepted = new List<int>();
            for (int second = 0; second < 40; second++)
            {
                int s = 0, a = 0;
                for (int step = 0; step < 100; step++)
                {
                    clock.Advance(TimeSpan.FromMilliseconds(10));
                    foreach (TokenBucket region in regions)
                    {
                        while (region.TryTake(out _))
                        {
                            s++;
                            bool refused = a >= 300;
                            if (!refused) a++;
                            region.Answered(refused, clock.Now());
                        }
                    }
                }
                sent.Add(s);
                accepted.Add(a);
            }
            // A server that counts whole seconds refuses everything once a second's 300 are spent, whatever the pace, so
            // the shared level takes it for refusals that do not follow the pace and leaves it to the budgets: they
            // settle with a fifth or so refused (unpaced, 1,700 would go and 82% be refused). When the level tries
            // again it never drops under half the ceiling, and refuses less.
            Assert.All(accepted.Skip(1), a => Assert.InRange(a, 150, 300));
            Assert.All(accepted.Skip(10).Take(20), a => Assert.Equal(300, a));
            Assert.InRange(sent.Skip(10).Average(), 150, 420);
            Assert.InRange(sent.Skip(10).Zip(accepted.Skip(10), (s, a) => s - a).Average(), 0, 120);
        }

        /// <summary>
        /// A server's ceiling as the emulator keeps one (`--account-rate-limit`): a token bucket holding one second's
        /// worth, refilled at the ceiling, that a refused request takes nothing from.
        /// </summary>
        private sealed class AccountCeiling
        {
            private readonly FakeClock _clock;
            private readonly double _perSecond;
            private double _tokens;
            private long _stamp;

            public AccountCeiling(FakeClock clock, double perSecond)
            {
                _clock = clock;
                _perSecond = _tokens = perSecond;
                _stamp = clock.Now();
            }

            public bool Admits()
            {
                long now = _clock.Now();
                _tokens = Math.Min(_perSecond, _tokens + (now - _stamp) * _perSecond / Stopwatch.Frequency);
                _stamp = now;
                if (_tokens < 1) return false;
                _tokens -= 1;
                return true;
            }
        }

        /// <summary>
        /// Twenty regions' budgets of one action, each sending as fast as it is let, for <paramref name="seconds"/>
        /// seconds of fake time in 10 ms steps; <paramref name="refuse"/> answers each request at once. Returns per second (sent, refused).
        /// </summary>
        private static List<(int Sent, int Refused)> ServeRegions(TcRateLimiterRegistry registry, FakeClock clock, int seconds, Func<bool> refuse)
        {
            List<TokenBucket> regions = Enumerable.Range(0, 20).Select(i => registry.For("vpc.region-" + i + ".tencentcloudapi.com", "AKID1", "a")).ToList();
            var perSecond = new List<(int Sent, int Refused)>();
            for (int second = 0; second < seconds; second++)
            {
                int sent = 0, refused = 0;
                for (int step = 0; step < 100; step++)
                {
                    clock.Advance(TimeSpan.FromMilliseconds(10));
                    foreach (TokenBucket region in regions)
                    {
                        while (region.TryTake(out _))
                        {
                            sent++;
                            bool no = refuse();
                            if (no) refused++;
                            region.Answered(no, clock.Now());
                        }
                    }
                }
                perSecond.Add((sent, refused));
            }
            return perSecond;
        }

        [Fact]
        public void AnAccountCeilingOverTwentyRegionsIsLearnedWithinASecondAndRefusesAFewCallsASecondAfter()
        {
            // 20 × 85 a second against 300 in all. Giving way budget by budget took about 5 s, with thousands refused.
            var clock = new FakeClock();
            var registry = new TcRateLimiterRegistry(_ => 100, clock.Now);
            var ceiling = new AccountCeiling(clock, 300);
            var seconds = ServeRegions(registry, clock, 12, () => !ceiling.Admits());

            // The first second sends the server's burst and a little more; its refusals stop within it.
            Assert.InRange(seconds[0].Refused, 0, 150);
            // From the second second on: a few refusals a second (the top of each climb), and the ceiling's worth done.
            var settled = seconds.Skip(1).ToList();
            Assert.InRange(settled.Average(s => s.Refused), 0, 5);
            Assert.InRange(settled.Average(s => s.Sent - s.Refused), 0.9 * 300, 305);
            Assert.NotNull(registry.SharedBy("AKID1", "a").RatePerSecond);
        }

        [Fact]
        public void RandomRefusalsInEveryRegionDoNotSlowTheRegionsDown()
        {
            // 30% refused whatever the pace in all twenty regions (the fault run): the level must not pace them.
            var clock = new FakeClock();
            var registry = new TcRateLimiterRegistry(_ => 100, clock.Now);
            var random = new Random(11);
            var seconds = ServeRegions(registry, clock, 20, () => random.NextDouble() < 0.3);
            Assert.InRange(seconds.Skip(5).Average(s => s.Sent), 0.9 * 20 * 85, 20 * 85 + 1);
            Assert.Null(registry.SharedBy("AKID1", "a").RatePerSecond);
        }

        [Fact]
        public void WithoutRefusalsTwentyRegionsKeepTheirFullPace()
        {
            var clock = new FakeClock();
            var registry = new TcRateLimiterRegistry(_ => 100, clock.Now);
            var seconds = ServeRegions(registry, clock, 5, () => false);
            // Each region's burst of 10, then 85 a second each (the first second's last token is a step short).
            Assert.InRange(seconds[0].Sent, 20 * (10 + 84), 20 * (10 + 85));
            Assert.All(seconds.Skip(1), s => Assert.Equal(20 * 85, s.Sent));
            Assert.Null(registry.SharedBy("AKID1", "a").RatePerSecond);
        }

        [Fact]
        public void RefusalsThatDoNotFollowThePaceDoNotSlowItDown()
        {
            // A third of the requests refused whatever the pace (another client spending the quota, or the emulator's
            // injected faults): slowing down would only lose calls.
            var clock = new FakeClock();
            TokenBucket bucket = new TcRateLimiterRegistry(_ => 100, clock.Now).For("e", "id", "a");
            var random = new Random(7);
            var seconds = Serve(bucket, clock, 40, (second, acceptedSoFar) => random.NextDouble() < 0.3);
            Assert.InRange(seconds.Skip(5).Average(s => s.Sent), 0.9 * 85, 86);
        }

        [Fact]
        public void ACeilingThatLiftsIsLeftBehindAndThePaceNeverStops()
        {
            var clock = new FakeClock();
            TokenBucket bucket = new TcRateLimiterRegistry(_ => 100, clock.Now).For("e", "id", "a");
            // A ceiling of 3 a second: the pace bottoms out above zero, so requests still go.
            var low = Serve(bucket, clock, 30, (second, acceptedSoFar) => acceptedSoFar >= 3);
            Assert.All(low.Skip(1), s => Assert.True(s.Sent >= 1, "a second with nothing sent"));
            Assert.InRange(bucket.RatePerSecond, TokenBucket.LowestShare * 100 - 0.01, 20);
            // Once nothing is refused the pace climbs back by 5% of the published pace a second, to the full pace.
            var free = Serve(bucket, clock, 25, (second, acceptedSoFar) => false);
            Assert.InRange(free[1].Sent, 0, free[0].Sent + 0.05 * 85 + 2);
            Assert.InRange(bucket.RatePerSecond, 84.9, 85.1);
            Assert.InRange(free[24].Sent, 84, 86);
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
