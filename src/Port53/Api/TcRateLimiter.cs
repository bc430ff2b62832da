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
        private readonly ConcurrentDictionary<string, SharedCeiling> _shared = new ConcurrentDictionary<string, SharedCeiling>(StringComparer.Ordinal);

        /// <param name="limitOf">Requests per second for an action; Tencent's published table by default. Tests pass their own.</param>
        /// <param name="clock">Stopwatch ticks; tests pass a fake clock.</param>
        public TcRateLimiterRegistry(Func<string, double> limitOf = null, Func<long> clock = null)
        {
            _limitOf = limitOf ?? (action => TencentRateLimits.For(action));
            _clock = clock ?? Stopwatch.GetTimestamp;
        }

        /// <param name="accessPoint">Where the request goes: the address connected to and the Host it names.</param>
        public TokenBucket For(string accessPoint, string secretId, string action) =>
            _buckets.GetOrAdd(accessPoint + "\n" + secretId + "\n" + action,
                _ => TokenBucket.UnderLimit(_limitOf(action), _clock, SharedBy(secretId, action)));

        /// <summary>The level above the budgets of one SecretId and action in every access region (see <see cref="SharedCeiling"/>).</summary>
        internal SharedCeiling SharedBy(string secretId, string action) =>
            _shared.GetOrAdd(secretId + "\n" + action, _ => new SharedCeiling(_clock));
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
    /// <see cref="RecoveryShare"/> of the published pace per second.
    ///
    /// A ceiling shared by the budgets of every access region (the account's, per action) is met faster by the level
    /// above them, <see cref="SharedCeiling"/>, which every reply is told to as well: once it paces, a call waits for
    /// its turn there after its turn here. This budget still gives way as above, but the level settles first, and
    /// then the refusals this budget sees fall to half and it stops lowering.
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
        internal const int UsualFor = 30;

        private readonly double _fullRatePerTick;
        private readonly double _lowestRatePerTick;
        /// <summary>Rate gained per tick, per tick of recovery.</summary>
        private readonly double _recoveryPerTick2;
        private readonly double _capacity;
        private readonly Func<long> _clock;
        private readonly SharedCeiling _shared;
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

        private TokenBucket(double ratePerSecond, double capacity, Func<long> clock, SharedCeiling shared)
        {
            _shared = shared;
            _fullRatePerTick = _ratePerTick = ratePerSecond / Stopwatch.Frequency;
            _lowestRatePerTick = Math.Max(1, ratePerSecond * LowestShare) / Stopwatch.Frequency;
            _recoveryPerTick2 = ratePerSecond * RecoveryShare / Stopwatch.Frequency / Stopwatch.Frequency;
            _capacity = capacity;
            _clock = clock;
            _tokens = capacity;
            _last = _windowStart = clock();
        }

        public static TokenBucket UnderLimit(double limitPerSecond, Func<long> clock, SharedCeiling shared = null)
        {
            if (!(limitPerSecond > 0)) throw new ArgumentOutOfRangeException(nameof(limitPerSecond));
            double capacity = Math.Max(1, Math.Floor(limitPerSecond * 0.1));
            double jitterRoom = Math.Max(1, Math.Floor(limitPerSecond * 0.05));
            return new TokenBucket(Math.Max(limitPerSecond - capacity - jitterRoom, limitPerSecond * 0.5), capacity, clock, shared);
        }

        /// <summary>Takes a token if one is there (none is while others wait for theirs); otherwise says how long until one will be.</summary>
        public bool TryTake(out TimeSpan wait)
        {
            lock (_gate)
            {
                long now = Refill();
                if (_tokens >= 1)
                {
                    if (_shared != null && !_shared.TryTake(now, out long sharedDue))
                    {
                        wait = Until(now, sharedDue);
                        return false;
                    }
                    _tokens -= 1;
                    wait = TimeSpan.Zero;
                    return true;
                }
                wait = Until(now, now + (long)Math.Ceiling((1 - _tokens) / _ratePerTick));
                return false;
            }
        }

        /// <summary>
        /// Returns when this caller's token is due: at once if one is there, else after those queued before it. Says
        /// when (clock ticks), for <see cref="Answered"/>.
        /// </summary>
        public async Task<long> WaitAsync(CancellationToken cancellationToken)
        {
            long due = Reserve();
            try
            {
                await SleepUntilAsync(_clock, () => due, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The token was never used: hand it back, so those queued behind do not wait for it.
                lock (_gate) _tokens = Math.Min(_capacity, _tokens + 1);
                throw;
            }
            // Its turn at the shared level comes after its turn here, so the queue there holds only calls this
            // budget already lets go, and the level's pace (which may change while they wait) is read on waking.
            if (_shared != null && _shared.TakeTicket(out double ticket))
                await SleepUntilAsync(_clock, () => _shared.DueOf(ticket), cancellationToken).ConfigureAwait(false);
            return _clock();
        }

        /// <summary>Timers may fire a little early, and tests move a clock of their own: waits until the clock says so.</summary>
        internal static async Task SleepUntilAsync(Func<long> clock, Func<long> due, CancellationToken cancellationToken)
        {
            long now, when;
            while ((now = clock()) < (when = due()))
                await Task.Delay(Until(now, when), cancellationToken).ConfigureAwait(false);
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
        /// answer, to a call let go at <paramref name="sentAt"/> (what <see cref="WaitAsync"/> returned). Transport
        /// failures say nothing about the pace and are not counted.
        /// </summary>
        public void Answered(bool refused, long sentAt)
        {
            _shared?.Answered(this, refused, sentAt);
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

        internal static TimeSpan Until(long now, long due) => TimeSpan.FromMilliseconds(Math.Max(1, (due - now) * 1000.0 / Stopwatch.Frequency));
    }

    /// <summary>
    /// The level above the budgets of one SecretId and action in every access region. Tencent also limits each main
    /// account without publishing the threshold: a ceiling shared by every region's budget. Each budget giving way
    /// alone (see <see cref="TokenBucket"/>) settles only after seconds, meanwhile refusing most calls: twenty regions
    /// at 85 a second each against 300 in all send 1,700. So this level learns the shared ceiling itself.
    ///
    /// It paces nothing until a ceiling shows: a window (a tenth of a second, <see cref="Window"/>, holding at least
    /// <see cref="Sample"/> replies a second) in which more replies than usual (by <see cref="TokenBucket.Margin"/>)
    /// were refused, in more than one access region. Then it paces the calls of all regions together a little under
    /// (<see cref="Under"/>) what the server accepted in that window, with no burst, and judges only the replies to
    /// calls let go since. Refusals from a ceiling stop once the pace is down to it. Refusals that go on while the
    /// calls accepted fall with the pace (or at its lowest) do not come from the pace (the fault run's injected ones,
    /// or someone else spending the quota): after <see cref="Strikes"/> such windows in a row the level stops
    /// pacing, and that share of refusals is taken as usual for <see cref="UsualFor"/> seconds.
    ///
    /// Once a window is not refused more than usual, the ceiling is confirmed and held tight: every window with more
    /// refusals than usual sets the pace a little under what was accepted in it, but never below half the most any
    /// second accepted (a server that counts whole seconds refuses everything once a second's count is spent,
    /// whatever the pace: that must not drive it to nothing); a window without them in which calls waited for their
    /// turn here raises the pace by <see cref="StepShare"/> of the pace first confirmed, per second. Additive, so each climb over the ceiling costs a few refusals, not a share of the
    /// calls. After <see cref="UsualFor"/> seconds without a refusal the level stops pacing (the ceiling may be gone),
    /// so a quiet pause between commands keeps what was learned.
    /// </summary>
    internal sealed class SharedCeiling
    {
        internal const int Strikes = 3;
        internal const double Under = 0.95;
        internal const double StepShare = 0.02;
        private const double Window = 0.1;
        /// <summary>Refusals that make a window worth judging before its tenth of a second is up.</summary>
        private const int Loud = 20;
        private const double Slack = 0.05;
        /// <summary>Replies a window must hold to be judged: fewer would tell a share of refusals too loosely.</summary>
        private const int Sample = 30;
        private const int UsualFor = TokenBucket.UsualFor;
        private const double LowestPerSecond = 1;

        private readonly Func<long> _clock;
        private readonly object _gate = new object();

        // The replies of the window being watched, from every region, and the share of refusals that does not follow the
        // pace. Replies to calls let go before the pace last changed (_since) say nothing about the pace now: hundreds
        // may be in flight. They count among the calls accepted (_accepted), which is the server's pace, not ours.
        private long _windowStart, _since = long.MinValue;
        private int _replies, _refusals, _accepted;
        private TokenBucket _refusedIn;
        private bool _refusedInSeveral;
        private double _usualRefused;
        private long _usualSince;
        // Calls accepted in each tenth of the last second.
        private readonly int[] _acceptedIn = new int[10];
        private readonly long[] _tenthOf = new long[10];

        // While pacing: calls a second now, the climb per second, windows refused in a row that did not follow the
        // pace, the calls a second accepted when the pace last came down, and the most calls any second accepted since.
        private bool _pacing, _confirmed;
        private int _strikes;
        private double _rate, _step, _acceptedBefore, _acceptedPeak;
        private long _lastRefused;
        private bool _waited;

        // Turns: turn n is due at _origin + (n − _originTurn) / _rate seconds. Little is saved up while idle, and a change
        // of pace applies to the turns already handed out, so a long queue taken at a pace found too high does not
        // go on at it.
        private long _origin;
        private double _originTurn, _nextTurn;

        public SharedCeiling(Func<long> clock)
        {
            _clock = clock;
            _windowStart = clock();
        }

        /// <summary>The pace across regions, or null while the level paces nothing.</summary>
        internal double? RatePerSecond
        {
            get { lock (_gate) return _pacing ? _rate : (double?)null; }
        }

        /// <summary>Takes a turn if one is due now or the level paces nothing; otherwise says when the next one is.</summary>
        internal bool TryTake(long now, out long due)
        {
            lock (_gate)
            {
                due = _pacing ? NextDue(now) : now;
                if (due > now) return false;
                if (_pacing) _nextTurn += 1;
                return true;
            }
        }

        /// <summary>Takes the next turn, ahead of time if need be; false while the level paces nothing.</summary>
        internal bool TakeTicket(out double turn)
        {
            lock (_gate)
            {
                turn = _nextTurn;
                if (!_pacing) return false;
                NextDue(_clock());
                _nextTurn += 1;
                return true;
            }
        }

        /// <summary>When a turn taken is due, at the pace now (at once if the level stopped pacing meanwhile).</summary>
        internal long DueOf(double turn)
        {
            lock (_gate) return _pacing ? DueAt(turn) : long.MinValue;
        }

        /// <summary>Counts a reply to a call through <paramref name="budget"/>, as <see cref="TokenBucket.Answered"/> does.</summary>
        internal void Answered(TokenBucket budget, bool refused, long sentAt)
        {
            lock (_gate)
            {
                long now = _clock();
                // A window starts with its first reply: a pause between commands is not a quiet second.
                if (_replies == 0 && _accepted == 0) _windowStart = now;
                if (!refused)
                {
                    _accepted++;
                    CountAccepted(now);
                }
                if (sentAt < _since) return;
                _replies++;
                if (refused)
                {
                    _refusals++;
                    if (_refusedIn == null) _refusedIn = budget;
                    else if (_refusedIn != budget) _refusedInSeveral = true;
                }
                long elapsed = now - _windowStart;
                bool due = elapsed >= Window * Stopwatch.Frequency && _replies >= Sample
                    || _refusals >= Loud && elapsed >= Window / 4 * Stopwatch.Frequency;
                if (!due) return;
                Judge(now, elapsed / (double)Stopwatch.Frequency, _refusals / (double)_replies);
                _windowStart = now;
                _replies = _refusals = _accepted = 0;
                _refusedIn = null;
                _refusedInSeveral = false;
                _waited = false;
            }
        }

        /// <summary>One window's verdict (see the class summary); <paramref name="refused"/> is the share of its replies refused.</summary>
        private void Judge(long now, double seconds, double refused)
        {
            double accepted = _accepted / seconds;
            if (now - _usualSince > UsualFor * Stopwatch.Frequency) _usualRefused = 0;
            // Fewer than Sample replies a second (a quiet action, or the last calls of a command): too few to learn a
            // ceiling from, and a level started on them would pace the odd call to the few it saw accepted.
            if (seconds > 1) return;
            if (!_pacing)
            {
                // Not while refusals just found not to follow the pace are usual: a window of them is only a
                // sample, and would start it again and again. Each region's budget still gives way meanwhile.
                if (_usualRefused == 0 && refused > TokenBucket.Margin && _refusedInSeveral) Start(now, accepted);
                return;
            }
            _acceptedPeak = Math.Max(_acceptedPeak, AcceptedLastSecond(now));
            // Refusals that go on while the server accepts about as many calls are a ceiling the pace has not come down
            // to yet (calls queued before it came down reach the server first). Refusals that go on while the calls
            // accepted fall with the pace, or at the lowest pace a ceiling allows, do not follow the pace.
            if (refused > _usualRefused + TokenBucket.Margin)
            {
                bool notThePace = accepted < _acceptedBefore * 0.85 || _rate <= _acceptedPeak / 2;
                _strikes = notThePace ? _strikes + 1 : 0;
                if (_strikes >= Strikes)
                {
                    _pacing = false;
                    _usualRefused = refused;
                    _usualSince = now;
                    return;
                }
            }
            else
            {
                _strikes = 0;
                if (!_confirmed) _step = _rate * StepShare;
                _confirmed = true;
            }
            // Held tight once confirmed: at the ceiling any refusal beyond the usual means the pace is over it.
            if (refused > _usualRefused + (_confirmed && _usualRefused == 0 ? 0 : TokenBucket.Margin))
            {
                Pace(now, Math.Min(_rate, Estimate(accepted)));
                _acceptedBefore = accepted;
                _since = now;
                _lastRefused = now;
            }
            else if (_waited && _confirmed) Pace(now, _rate + _step * seconds);
            else if (now - _lastRefused > UsualFor * Stopwatch.Frequency) _pacing = false;
        }

        private void Start(long now, double accepted)
        {
            _pacing = true;
            _confirmed = false;
            _strikes = 0;
            _acceptedPeak = AcceptedLastSecond(now);
            _acceptedBefore = accepted;
            _rate = Math.Max(LowestPerSecond, Estimate(accepted));
            _since = now;
            _origin = now;
            _originTurn = _nextTurn;
            _lastRefused = now;
        }

        /// <summary>
        /// A little under what the server accepts: the window's rate, which is the ceiling's once the server's own
        /// burst is spent (a second's count would still hold that burst; a window that caught it is corrected by the
        /// next). Never under half the most any second accepted: a server that counts whole seconds refuses everything
        /// once a second's count is spent, whatever the pace, and such windows must not drive the pace to nothing. (A
        /// burst of at most a second's worth keeps that half under the ceiling.)
        /// </summary>
        private double Estimate(double accepted) => Math.Max(_acceptedPeak / 2, accepted * Under);

        private void CountAccepted(long now)
        {
            long tenth = now * 10 / Stopwatch.Frequency;
            int i = (int)(tenth % 10);
            if (_tenthOf[i] != tenth)
            {
                _tenthOf[i] = tenth;
                _acceptedIn[i] = 0;
            }
            _acceptedIn[i]++;
        }

        private int AcceptedLastSecond(long now)
        {
            long tenth = now * 10 / Stopwatch.Frequency;
            int sum = 0;
            for (int i = 0; i < 10; i++)
                if (tenth - _tenthOf[i] < 10) sum += _acceptedIn[i];
            return sum;
        }

        /// <summary>Changes the pace from now on, for the turns already handed out too.</summary>
        private void Pace(long now, double rate)
        {
            double dueNow = Math.Min(_nextTurn, _originTurn + (now - _origin) * _rate / Stopwatch.Frequency);
            _origin = now;
            _originTurn = dueNow;
            _rate = Math.Max(LowestPerSecond, rate);
        }

        private long DueAt(double turn) => _origin + (long)Math.Ceiling((turn - _originTurn) / _rate * Stopwatch.Frequency);

        /// <summary>When the next turn is due. Turns not taken in time are saved up for <see cref="Slack"/> only: enough for waiters woken a timer tick late.</summary>
        private long NextDue(long now)
        {
            long due = DueAt(_nextTurn);
            if (due <= now)
            {
                long earliest = now - (long)(Slack * Stopwatch.Frequency);
                if (due < earliest)
                {
                    _origin = earliest;
                    _originTurn = _nextTurn;
                }
                return now;
            }
            _waited = true;
            return due;
        }
    }
}
