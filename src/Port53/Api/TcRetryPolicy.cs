using System;

namespace Port53.Api
{
    /// <summary>
    /// Jittered exponential backoff, bounded in attempts, in faults and in total time, for the failures Tencent
    /// says to retry: RequestLimitExceeded, InternalError and transport faults (5xx, timeouts, resets). Everything
    /// else is the caller's mistake or a real answer and is never retried.
    ///
    /// Throttling and faults have budgets of their own. RequestLimitExceeded is refused before anything is done,
    /// and comes in runs whenever something else spends the account's quota too, so it is retried for longer;
    /// a fault (InternalError, a reset) more than a few times in one call means the service is in trouble, and
    /// the caller should hear so within seconds, not after the whole time budget.
    /// </summary>
    internal sealed class TcRetryPolicy
    {
        public static readonly TcRetryPolicy Default = new TcRetryPolicy();

        /// <summary>
        /// Attempts in all, the first included. With a third of all requests refused (the fleet benchmark's fault
        /// run: 30 % RequestLimitExceeded, 5 % InternalError, 2 % resets) one call in 10^7 fails 15 times in a row.
        /// </summary>
        public int MaxAttempts { get; set; } = 15;
        /// <summary>Faults (failures other than RequestLimitExceeded) after which a call gives up, however many attempts are left.</summary>
        public int MaxFaults { get; set; } = 6;
        /// <summary>
        /// Attempts that time out after which a call gives up: one more try gets past a lost packet, while a second
        /// timeout means the endpoint hangs, and each further attempt would only add a whole timeout to the wait.
        /// </summary>
        public int MaxTimeouts { get; set; } = 2;
        public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(250);
        /// <summary>
        /// The longest pause. Tencent's limits are per second and the client's own pacing spaces every attempt, so
        /// pausing longer than this only leaves the client idle; at fleet scale such pauses are what a phase waits
        /// for at its end, when a few targets are still backing off and nothing else is left to do.
        /// </summary>
        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(1);
        /// <summary>No retry starts once this much time has passed since the first attempt.</summary>
        public TimeSpan MaxElapsed { get; set; } = TimeSpan.FromSeconds(45);

        private static readonly Random Seed = new Random();
        [ThreadStatic] private static Random _random;

        /// <summary>
        /// Whether the failure may be retried. Only Describe* actions are retried after faults whose outcome
        /// is unknown (<see cref="IsFault"/>): a write may have been applied. RequestLimitExceeded means the
        /// server refused before doing anything, so writes are retried on it too.
        /// </summary>
        public static bool IsRetryable(TcApiException error, string action)
        {
            if (IsThrottled(error)) return true;
            bool idempotent = action != null && action.StartsWith("Describe", StringComparison.Ordinal);
            return idempotent && IsFault(error);
        }

        /// <summary>RequestLimitExceeded (and its sub-codes): refused before anything was done.</summary>
        public static bool IsThrottled(TcApiException error) =>
            error.Code == "RequestLimitExceeded" || error.Code.StartsWith("RequestLimitExceeded.", StringComparison.Ordinal);

        /// <summary>A failure that may pass if tried again but whose outcome is unknown: InternalError, 5xx, timeouts, resets.</summary>
        public static bool IsFault(TcApiException error) =>
            error.Code == "InternalError" || error.Code == TcApiException.ClientNetworkError ||
            (error.Code == TcApiException.ServerNetworkError && error.HttpStatus >= 500);

        /// <summary>
        /// A write's failure that says nothing of whether the write was applied: a fault (<see cref="IsFault"/>), or
        /// a reply that is not Tencent's (unreadable: cut off, an HTML page from a proxy, empty; or a non-200 status
        /// without Tencent's body). Only a read of what was written can tell.
        /// </summary>
        public static bool IsLostReply(TcApiException error) =>
            IsFault(error) || error.Code == TcApiException.ClientParseError || error.Code == TcApiException.ServerNetworkError;

        /// <summary>
        /// The pause before retry number <paramref name="retry"/> (1-based), or null when no retry is left
        /// within the attempt, fault and time budgets (<paramref name="faults"/>: how many of the failures so far
        /// were faults). "Full jitter": uniform in [0, min(MaxDelay, Base·2^(retry-1))], so that many workers
        /// throttled together do not come back together.
        /// </summary>
        public TimeSpan? NextDelay(int retry, TimeSpan elapsed, int faults = 0)
        {
            if (retry >= MaxAttempts || faults >= MaxFaults) return null;
            double ceiling = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, retry - 1));
            var delay = TimeSpan.FromMilliseconds(ceiling * NextDouble());
            if (elapsed + delay >= MaxElapsed) return null;
            return delay;
        }

        private static double NextDouble()
        {
            if (_random == null)
            {
                int seed;
                lock (Seed) seed = Seed.Next();
                _random = new Random(seed);
            }
            return _random.NextDouble();
        }
    }
}
