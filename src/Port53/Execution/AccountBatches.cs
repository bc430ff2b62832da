using System;
using System.Collections.Generic;
using Port53.Cmdlets;

namespace Port53.Execution
{
    /// <summary>
    /// The pipeline-input batches of a command that works in several accounts: one per account (made on first use),
    /// so each account has its own working places and its credentials' failure ends only its own work
    /// (<see cref="TcWorkBatch"/>). All run at once; <see cref="Finish"/> waits for every one. Pipeline thread only.
    /// </summary>
    internal sealed class AccountBatches
    {
        private readonly TcCmdlet _cmdlet;
        private readonly int _throttle;
        private readonly int? _window;
        private readonly Dictionary<string, TcWorkBatch> _batches = new Dictionary<string, TcWorkBatch>(StringComparer.Ordinal);
        private readonly List<TcWorkBatch> _inOrder = new List<TcWorkBatch>();
        // Ids named over pipeline records, per account, looked up when the input ends, 100 per request.
        private readonly List<(AccountScope Account, NamedIdSearch Search)> _named = new List<(AccountScope, NamedIdSearch)>();

        public AccountBatches(TcCmdlet cmdlet, int throttle, int? window = null)
        {
            _cmdlet = cmdlet;
            _throttle = throttle;
            _window = window;
        }

        /// <summary>The account's batch; <paramref name="activity"/> (progress) is taken from the first call for the account.</summary>
        public TcWorkBatch For(AccountScope account, string activity = null)
        {
            if (_batches.TryGetValue(account.Key, out TcWorkBatch batch)) return batch;
            batch = TcWorkBatch.ForPipelineInput(_cmdlet, _throttle, account.Activity(activity), _window, account);
            _batches[account.Key] = batch;
            _inOrder.Add(batch);
            return batch;
        }

        /// <summary>Ids to look up in the account's <paramref name="regions"/> once the input ends (<see cref="FinishLookups"/>).</summary>
        public void Name(AccountScope account, IEnumerable<string> ids, IEnumerable<string> regions)
        {
            NamedIdSearch search = _named.Find(n => n.Account == account).Search;
            if (search == null) _named.Add((account, search = new NamedIdSearch()));
            search.Add(ids, regions);
        }

        /// <summary>
        /// Starts each account's lookups of the ids named (<paramref name="lookUp"/>), waits for all work, then returns an
        /// error for each id found in none of its regions, unless <paramref name="narrowed"/> (a filter may rightly have left it out).
        /// </summary>
        public IEnumerable<System.Management.Automation.ErrorRecord> FinishLookups(Action<AccountScope, NamedIdSearch> lookUp, bool narrowed)
        {
            foreach ((AccountScope account, NamedIdSearch search) in _named) lookUp(account, search);
            Finish();
            var missing = new List<System.Management.Automation.ErrorRecord>();
            if (!narrowed) foreach ((AccountScope _, NamedIdSearch search) in _named) missing.AddRange(search.NotFound());
            return missing;
        }

        /// <summary>Waits for the work of every account, writing its output as it comes.</summary>
        public void Finish()
        {
            try
            {
                foreach (TcWorkBatch batch in _inOrder) batch.Finish();
            }
            finally
            {
                foreach (TcWorkBatch batch in _inOrder) batch.Dispose();
            }
        }
    }
}
