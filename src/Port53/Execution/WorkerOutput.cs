using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Port53.Api;
using Port53.Cmdlets;
using Port53.Session;

namespace Port53.Execution
{
    /// <summary>What a work item may do from its worker thread: post output for the pipeline thread to write.</summary>
    internal sealed class WorkerOutput
    {
        private readonly TcCmdlet _cmdlet;

        public WorkerOutput(TcCmdlet cmdlet, AccountScope account, CancellationToken cancellationToken)
        {
            _cmdlet = cmdlet;
            Account = account;
            CancellationToken = cancellationToken;
            Recent = cmdlet.Session.Recent;
        }

        /// <summary>The session's recently seen ids (see <see cref="TcSessionState.Recent"/>); safe from worker threads.</summary>
        public TcRecentIds Recent { get; }

        /// <summary>Cancelled by Ctrl+C, or when another item failed fatally.</summary>
        public CancellationToken CancellationToken { get; }

        /// <summary>The account the work is in: its client, and what objects read there carry.</summary>
        public AccountScope Account { get; }
        public TcClient Client => Account.Client;
        public CvmService Cvm => Account.Cvm;
        public VpcService Vpc => Account.Vpc;
        public LighthouseService Lighthouse => Account.Lighthouse;

        public void WriteObject(object value) => _cmdlet.Outbox.PostOutput(c => c.WriteObject(value));
        /// <summary>Writes the values together, in order: no other worker's output lands between them.</summary>
        public void WriteObjects(System.Collections.IEnumerable values, OutputSlot slot = null) => _cmdlet.Outbox.PostOutput(c => c.WriteObject(values, true), slot);

        /// <summary>
        /// Waits while the pipeline thread has not yet written much of what was posted: a worker that produces
        /// faster than the pipeline consumes (pages of instances into a slower Test-TcPort53) then pauses
        /// instead of queueing the whole fleet in memory.
        /// </summary>
        public Task<OutputSlot> ReserveOutputAsync(CancellationToken cancellationToken) => _cmdlet.Outbox.ReserveOutputAsync(cancellationToken);
        public void WriteError(ErrorRecord record) => _cmdlet.Outbox.Post(c => c.WriteError(record));
        public void WriteError(Exception exception, object target) => WriteError(TcErrors.ToErrorRecord(exception, target));
        public void WriteWarning(string text) => _cmdlet.Outbox.Post(c => c.WriteWarning(text));
        public void WriteVerbose(string text) => _cmdlet.Outbox.Post(c => c.WriteVerbose(text));
        public void WriteProgress(ProgressRecord record) => _cmdlet.Outbox.Post(c => c.WriteProgress(record));
    }
}
