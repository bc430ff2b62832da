using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace Port53.Api
{
    /// <summary>
    /// One token bucket per (access point, SecretId, action), shared by every runspace of the process, so that a
    /// fleet-wide run is paced by us and not rejected by the server. Tencent counts its limits per action, access
    /// region and sub-account (cloud.tencent.com/document/product/1278/109059): the access point is the API server a
    /// request reaches, so each region's own endpoint has budgets of its own.
    /// </summary>
    internal sealed class TcRateLimiterRegistry
    {
        public static readonly TcRateLimiterRegistry Shared = new TcRateLimiterRegistry();

        private readonly Func<string, double> _limitOf;
        private readonly Func<long> _clock;
        private readonly ConcurrentDictionary<string, TokenBucket> _buckets = new ConcurrentDictionary<string, TokenBucket>(StringComparer.Ordinal);

        /// <param name="limitOf">Requests per second for an action; Tencent's published table by default. Tests pass their own.</param>
        /// <param name="clock">Stopwatch ticks; tests pass a fake clock.</param>
        public TcRateLimiterRegistry(Func<string, double> limitOf = null, Func<long> clock = null)
        {
            _limitOf = limitOf ?? (action => TencentRateLimits.For(action));
            _clock = clock ?? Stopwatch.GetTimestamp;
        }

        /// <param name="accessPoint">Where the request goes: the address connected to and the Host it names.</param>
        public TokenBucket For(string accessPoint, string secretId, string action) =>
            _buckets.GetOrAdd(accessPoint + "\n" + secretId + "\n" + action, _ => TokenBucket.UnderLimit(_limitOf(action), _clock));
    }

    /// <summary>
    /// A token bucket that keeps any one-second window under the limit L, with room for network jitter (requests
    /// sent a second apart may arrive closer): it holds a burst of 0.1 L and refills at L − 0.1 L − 0.05 L per
    /// second, so burst + one second of refill stays 0.05 L under the limit. The burst also bridges a late wake-up
    /// of about 100 ms without losing pace. Sustained: 85% of what Tencent allows, so a fleet-wide run is throttled
    /// by us, not refused by the server.
    ///
    /// Waiters queue: each takes the next token ahead of time (the count may go below zero) and sleeps until it is
    /// due, so they go first come, first served, and each wakes once, instead of every waiter waking for every
    /// token and all but one going back to sleep.
    ///
    /// Tencent also limits each main account and each IP without publishing the thresholds, so refusals
    /// (RequestLimitExceeded, see <see cref="Answered"/>) may lower this budget, and this budget alone. Replies are
    /// judged a second at a time. When more of a second's replies were refused than this budget is used to seeing
    /// (<see cref="Margin"/> over it), the pace drops to <see cref="Decrease"/> of itself, and again each second the
    /// refusals go on while the server accepts about as many calls as when they began: that is a ceiling, and the pace
    /// stops dropping once it fits under it, when the refusals fall to half (never below <see cref="LowestShare"/> of
    /// the published pace). When instead the accepted calls clearly fell with the pace and the refusals did not, they
    /// do not come from our pace (someone else spending the quota, or a service refusing at random): the pace goes
    /// back to where it was, and that share of refusals is taken as usual for <see cref="UsualFor"/> seconds. Without refusals the pace climbs back by
    /// <see cref="RecoveryShare"/> of the published pace per second. Budgets that meet a shared ceiling each give way
    /// and together settle around it; the others keep their pace.
    /// </summary>
    internal sealed class TokenBucket
    {
        internal const double Decrease = 0.7;
        internal const double RecoveryShare = 0.05;
        internal const double LowestShare = 0.05;
        /// <summary>How many more refusals (as a share of replies) than usual make a second worth lowering the pace for.</summary>
        internal const double Margin = 0.1;
        /// <summary>Replies a second must hold to be judged; a quieter one is judged together with the next.</summary>
        private const int Sample = 10;
        /// <summary>Seconds a share of refusals found not to follow the pace is taken as usual.</summary>
        private const int UsualFor = 30;

        private readonly double _fullRatePerTick;
        private readonly double _lowestRatePerTick;
        /// <summary>Rate gained per tick, per tick of recovery.</summary>
        private readonly double _recoveryPerTick2;
        private readonly double _capacity;
        private readonly Func<long> _clock;
        private readonly object _gate = new object();
        private double _ratePerTick;
        private double _tokens;
        private long _last;

        // The replies of the second being watched, and the share of refusals that does not follow the pace.
        private long _windowStart;
        private int _replies, _refusals;
        private double _usualRefused;
        private long _usualSince;
        // While lowering: the pace and the calls accepted per second when the refusals began.
        private bool _lowering;
        private double _rateBefore, _refusedBefore, _acceptedBefore;

        /// <summary>The pace now: the published pace, or less after refusals.</summary>
        internal double RatePerSecond
        {
            get
            {
                lock (_gate)
                {
                    Refill();
                    return _ratePerTick * Stopwatch.Frequency;
                }
            }
        }

        public double Capacity => _capacity;

        private TokenBucket(double ratePerSecond, double capacity, Func<long> clock)
        {
            _fullRatePerTick = _ratePerTick = ratePerSecond / Stopwatch.Frequency;
            _lowestRatePerTick = Math.Max(1, ratePerSecond * LowestShare) / Stopwatch.Frequency;
            _recoveryPerTick2 = ratePerSecond * RecoveryShare / Stopwatch.Frequency / Stopwatch.Frequency;
            _capacity = capacity;
            _clock = clock;
            _tokens = capacity;
            _last = _windowStart = clock();
        }

        public static TokenBucket UnderLimit(double limitPerSecond, Func<long> clock)
        {
            if (!(limitPerSecond > 0)) throw new ArgumentOutOfRangeException(nameof(limitPerSecond));
            double capacity = Math.Max(1, Math.Floor(limitPerSecond * 0.1));
            double jitterRoom = Math.Max(1, Math.Floor(limitPerSecond * 0.05));
            return new TokenBucket(Math.Max(limitPerSecond - capacity - jitterRoom, limitPerSecond * 0.5), capacity, clock);
        }

        /// <summary>Takes a token if one is there (none is while others wait for theirs); otherwise says how long until one will be.</summary>
        public bool TryTake(out TimeSpan wait)
        {
            lock (_gate)
            {
                long now = Refill();
                if (_tokens >= 1)
                {
                    _tokens -= 1;
                    wait = TimeSpan.Zero;
                    return true;
                }
                wait = Until(now, now + (long)Math.Ceiling((1 - _tokens) / _ratePerTick));
                return false;
            }
        }

        /// <summary>Returns when this caller's token is due: at once if one is there, else after those queued before it.</summary>
        public async Task WaitAsync(CancellationToken cancellationToken)
        {
            long due = Reserve();
            try
            {
                // Timers may fire a little early, and tests move a clock of their own: wait until the clock says so.
                long now;
                while ((now = _clock()) < due)
                    await Task.Delay(Until(now, due), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The token was never used: hand it back, so those queued behind do not wait for it.
                lock (_gate) _tokens = Math.Min(_capacity, _tokens + 1);
                throw;
            }
        }

        /// <summary>Takes the next token, ahead of time if need be (the count may go below zero), and says when it is due, in clock ticks.</summary>
        internal long Reserve()
        {
            lock (_gate)
            {
                long now = Refill();
                _tokens -= 1;
                return _tokens >= 0 ? now : now + (long)Math.Ceiling(-_tokens / _ratePerTick);
            }
        }

        /// <summary>
        /// Counts a reply from the server: <paramref name="refused"/> for RequestLimitExceeded, false for any other
        /// answer. Transport failures say nothing about the pace and are not counted.
        /// </summary>
        public void Answered(bool refused)
        {
            lock (_gate)
            {
                long now = Refill();
                _replies++;
                if (refused) _refusals++;
                long elapsed = now - _windowStart;
                if (elapsed < Stopwatch.Frequency || _replies < Sample) return;
                Judge(now, _refusals / (double)_replies, (_replies - _refusals) * (double)Stopwatch.Frequency / elapsed);
                _windowStart = now;
                _replies = _refusals = 0;
            }
        }

        /// <summary>One second's verdict (see the class summary): <paramref name="refused"/> the share of replies refused, <paramref name="accepted"/> the calls accepted per second.</summary>
        private void Judge(long now, double refused, double accepted)
        {
            // What was usual is looked at afresh now and then: the quota others spend comes and goes.
            if (now - _usualSince > UsualFor * Stopwatch.Frequency) _usualRefused = 0;
            bool refusing = refused > _usualRefused + Margin;
            if (_lowering)
            {
                // Refusals that fell to half their share, or to what is usual: the pace found room under the ceiling.
                // It stays there and climbs back slowly.
                if (refused <= _refusedBefore / 2 || !refusing && refused <= _usualRefused)
                {
                    _lowering = false;
                    return;
                }
                // Refusals about as common and clearly fewer calls accepted at a lower pace: the pace is not what the
                // server refuses. "Clearly": by more than the count's own spread (its square root), as a server counts
                // whole seconds by arrival and a second of ours may catch one more or one less of its bursts.
                if (accepted < _acceptedBefore * (1 + Decrease) / 2 - Math.Sqrt(_acceptedBefore))
                {
                    _ratePerTick = Math.Max(_ratePerTick, _rateBefore);
                    _usualRefused = refused;
                    _usualSince = now;
                    _lowering = false;
                    return;
                }
            }
            else
            {
                if (!refusing) return;
                _lowering = true;
                _rateBefore = _ratePerTick;
                _refusedBefore = refused;
                _acceptedBefore = accepted;
            }
            _ratePerTick = Math.Max(_lowestRatePerTick, _ratePerTick * Decrease);
            // The burst saved up is room the server evidently does not have.
            _tokens = Math.Min(_tokens, 0);
        }

        private long Refill()
        {
            long now = _clock();
            if (now > _last)
            {
                long elapsed = now - _last;
                double rate = Math.Min(_fullRatePerTick, _ratePerTick + elapsed * _recoveryPerTick2);
                // While recovering the pace rises in a straight line: what it paid out is the mean of both ends.
                _tokens = Math.Min(_capacity, _tokens + elapsed * (_ratePerTick + rate) / 2);
                _ratePerTick = rate;
                _last = now;
            }
            return now;
        }

        private static TimeSpan Until(long now, long due) => TimeSpan.FromMilliseconds(Math.Max(1, (due - now) * 1000.0 / Stopwatch.Frequency));
    }
}
