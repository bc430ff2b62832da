using System;

namespace Port53.Api
{
    /// <summary>
    /// Jittered exponential backoff, bounded both in attempts and in total time, for the failures Tencent says
    /// to retry: RequestLimitExceeded, InternalError and transport faults (5xx, timeouts, resets). Everything
    /// else is the caller's mistake or a real answer and is never retried.
    /// </summary>
    internal sealed class TcRetryPolicy
    {
        public static readonly TcRetryPolicy Default = new TcRetryPolicy();

        /// <summary>Attempts in all, the first included.</summary>
        public int MaxAttempts { get; set; } = 5;
        public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(250);
        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(8);
        /// <summary>No retry starts once this much time has passed since the first attempt.</summary>
        public TimeSpan MaxElapsed { get; set; } = TimeSpan.FromSeconds(45);

        private static readonly Random Seed = new Random();
        [ThreadStatic] private static Random _random;

        /// <summary>
        /// Whether the failure may be retried. Only Describe* actions are retried after faults whose outcome
        /// is unknown (InternalError, 5xx, timeouts): a write may have been applied. RequestLimitExceeded
        /// means the server refused before doing anything, so writes are retried on it too.
        /// </summary>
        public static bool IsRetryable(TcApiException error, string action)
        {
            if (error.Code == "RequestLimitExceeded" || error.Code.StartsWith("RequestLimitExceeded.", StringComparison.Ordinal)) return true;
            bool idempotent = action != null && action.StartsWith("Describe", StringComparison.Ordinal);
            if (!idempotent) return false;
            if (error.Code == "InternalError") return true;
            if (error.Code == TcApiException.ClientNetworkError) return true;
            return error.Code == TcApiException.ServerNetworkError && error.HttpStatus >= 500;
        }

        /// <summary>
        /// The pause before retry number <paramref name="retry"/> (1-based), or null when no retry is left
        /// within the attempt and time budgets. "Full jitter": uniform in [0, min(MaxDelay, Base·2^(retry-1))],
        /// so that many workers throttled together do not come back together.
        /// </summary>
        public TimeSpan? NextDelay(int retry, TimeSpan elapsed)
        {
            if (retry >= MaxAttempts) return null;
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
