using System;
using Port53.Api;

namespace Port53.Services
{
    /// <summary>A journal record could not be written: the command stops, since no change may go unrecorded.</summary>
    internal sealed class ChangeJournalException : TcLocalException
    {
        public ChangeJournalException(string message, Exception inner)
            : base("JournalWriteFailed", ProblemCategory.WriteError, message, inner)
        {
        }

        public override bool StopsCommand => true;
    }
}
