using System;
using System.Threading;
using System.Threading.Tasks;

namespace Port53.Credentials
{
    /// <summary>
    /// Temporary credentials fetched on first use and fetched again when they near their expiry: one fetch at a
    /// time however many calls need keys at once, and no wait at all while the keys held are good.
    /// </summary>
    internal abstract class RenewingCredentialProvider : ITcCredentialProvider
    {
        protected static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);

        private readonly SemaphoreSlim _refresh = new SemaphoreSlim(1, 1);
        private TcCredential _current;
        private DateTimeOffset _renewAt;
        private int _fetches;

        protected RenewingCredentialProvider(Func<DateTimeOffset> now) => Now = now ?? (() => DateTimeOffset.UtcNow);

        protected Func<DateTimeOffset> Now { get; }

        public abstract TcCredentialSource Source { get; }
        public abstract string Detail { get; }

        /// <summary>How many times credentials were fetched (tests count renewals).</summary>
        internal int FetchCount => Volatile.Read(ref _fetches);

        /// <summary>The keys held now, if any (for ToString; never their secret parts).</summary>
        protected TcCredential Current => Volatile.Read(ref _current);

        public async Task<TcCredential> GetCredentialAsync(CancellationToken cancellationToken)
        {
            TcCredential current = Volatile.Read(ref _current);
            if (current != null && Now() < _renewAt) return current;
            await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_current != null && Now() < _renewAt) return _current;
                DateTimeOffset asked = Now();
                Interlocked.Increment(ref _fetches);
                TcCredential fresh = await FetchAsync(cancellationToken).ConfigureAwait(false);
                _renewAt = RenewAt(fresh, asked);
                Volatile.Write(ref _current, fresh);
                return fresh;
            }
            finally
            {
                _refresh.Release();
            }
        }

        /// <summary>Asks the source for new keys.</summary>
        protected abstract Task<TcCredential> FetchAsync(CancellationToken cancellationToken);

        /// <summary>When to fetch again, for keys fetched at <paramref name="asked"/>.</summary>
        protected abstract DateTimeOffset RenewAt(TcCredential fresh, DateTimeOffset asked);
    }
}
