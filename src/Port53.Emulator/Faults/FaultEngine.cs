using System;
using System.Collections.Generic;

namespace Port53.Emulator.Faults
{
    /// <summary>The seeded random sequence and the rate-limit token buckets behind FaultSettings.</summary>
    internal sealed class FaultEngine
    {
        private readonly object _gate = new object();
        private readonly TimeProvider _time;
        private readonly Dictionary<string, Bucket> _buckets = new Dictionary<string, Bucket>(StringComparer.Ordinal);
        private volatile FaultSettings _settings;
        private Random _random;

        public FaultEngine(FaultSettings settings, TimeProvider time)
        {
            _time = time;
            Set(settings);
        }

        public FaultSettings Settings => _settings;

        /// <summary>Replaces the settings, restarts the random sequence from the seed and refills every bucket.</summary>
        public void Set(FaultSettings settings)
        {
            settings = (settings ?? new FaultSettings()).Clone();
            settings.Validate();
            lock (_gate)
            {
                _settings = settings;
                _random = new Random(settings.Seed);
                _buckets.Clear();
            }
        }

        public void Restart() => Set(_settings);

        /// <summary>True with the given probability; draws only when the fault applies, so unrelated settings do not shift the sequence.</summary>
        public bool Roll(double rate, string action)
        {
            if (rate <= 0 || !Applies(action)) return false;
            lock (_gate) return _random.NextDouble() < rate;
        }

        /// <summary>A null action (the concurrent editor) is not restricted by FaultActions.</summary>
        private bool Applies(string action)
        {
            var only = _settings.FaultActions;
            if (action == null) return true;
            return only == null || only.Count == 0 || only.Contains(action);
        }

        public int LatencyMs()
        {
            FaultSettings s = _settings;
            if (s.LatencyMaxMs <= s.LatencyMinMs) return s.LatencyMinMs;
            lock (_gate) return _random.Next(s.LatencyMinMs, s.LatencyMaxMs + 1);
        }

        /// <summary>
        /// Takes a token from the budget of (action, access region, SecretId), Tencent's documented dimension, and
        /// from the action's ceiling for the account when one is set; null when admitted, else the limit refused.
        /// A refusal takes nothing from either.
        /// </summary>
        public string TryAcquire(string action, string accessRegion, string secretId, long accountUin)
        {
            FaultSettings s = _settings;
            if (!s.RateLimitEnabled) return null;
            int limit = 0;
            bool limited = s.RateLimits != null && s.RateLimits.TryGetValue(action, out limit);
            int ceiling = s.AccountRateLimitOf(action);
            if (!limited && ceiling == 0) return null;
            long now = _time.GetTimestamp();
            lock (_gate)
            {
                // An account ceiling is keyed by the action and the account; the leading line break keeps the two kinds of key apart.
                Bucket own = limited ? Refilled("\n" + action + "\n" + accessRegion + "\n" + secretId, limit, now) : null;
                Bucket account = ceiling > 0 ? Refilled(action + "\n" + accountUin.ToString(System.Globalization.CultureInfo.InvariantCulture), ceiling, now) : null;
                if (own != null && own.Tokens < 1)
                    return "Your current request times equals to `" + limit + "` in a second, which exceeds the frequency limit for " + action + " in access region " + accessRegion + ".";
                if (account != null && account.Tokens < 1)
                    return "Your current request times equals to `" + ceiling + "` in a second, which exceeds the account's frequency limit for " + action + ".";
                if (own != null) own.Tokens -= 1;
                if (account != null) account.Tokens -= 1;
                return null;
            }
        }

        /// <summary>A bucket of burst = limit, refill = limit per second, brought up to <paramref name="now"/>.</summary>
        private Bucket Refilled(string key, int limit, long now)
        {
            if (!_buckets.TryGetValue(key, out Bucket b))
            {
                b = new Bucket { Tokens = limit, Stamp = now };
                _buckets.Add(key, b);
            }
            double elapsed = (now - b.Stamp) / (double)_time.TimestampFrequency;
            b.Tokens = Math.Min(limit, b.Tokens + Math.Max(0, elapsed) * limit);
            b.Stamp = now;
            return b;
        }

        private sealed class Bucket
        {
            public double Tokens;
            public long Stamp;
        }
    }
}
