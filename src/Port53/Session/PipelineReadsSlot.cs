using System;
using System.Threading;

namespace Port53.Session
{
    /// <summary>
    /// Where a session keeps the <see cref="PipelineReads"/> of the pipeline a change command (Block-TcPort53,
    /// Unblock-TcPort53) is running in. This is the seam that makes one command behave differently depending on
    /// what runs after it: PowerShell calls BeginProcessing of every command of a pipeline before any of them
    /// produces output, so a change command that opens the reads there has them in place before Get-TcInstance or
    /// Test-TcPort53 upstream read anything; those commands look at <see cref="Current"/> and, when it is set,
    /// record what they read for the change command to use instead of reading again. With no change command in the
    /// pipeline <see cref="Current"/> is null and nothing is recorded. See docs/architecture.md.
    /// </summary>
    internal sealed class PipelineReadsSlot
    {
        private readonly object _gate = new object();
        private PipelineReads _reads;
        private int _users;

        /// <summary>The reads of the running pipeline's change command, or null when none is running.</summary>
        public PipelineReads Current
        {
            get
            {
                lock (_gate) return _reads;
            }
        }

        /// <summary>
        /// Opens the pipeline's reads (or joins the ones already open, for a second change command in the same
        /// pipeline); disposing the result closes them once the last command is done, so no later pipeline sees them.
        /// </summary>
        public IDisposable Open(out PipelineReads reads)
        {
            lock (_gate)
            {
                if (_users++ == 0) _reads = new PipelineReads();
                reads = _reads;
            }
            return new Use(this);
        }

        private sealed class Use : IDisposable
        {
            private PipelineReadsSlot _owner;

            public Use(PipelineReadsSlot owner) => _owner = owner;

            public void Dispose()
            {
                PipelineReadsSlot owner = Interlocked.Exchange(ref _owner, null);
                if (owner == null) return;
                lock (owner._gate)
                {
                    if (--owner._users == 0) owner._reads = null;
                }
            }
        }
    }
}
