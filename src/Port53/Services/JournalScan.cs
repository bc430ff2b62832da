using System.Collections.Generic;

namespace Port53.Services
{
    /// <summary>What a read of the journal found: intents still waiting for an outcome, and lines that are not records.</summary>
    internal sealed class JournalScan
    {
        public List<JournalIntent> Pending { get; } = new List<JournalIntent>();
        /// <summary>1-based numbers of lines that are not whole JSON records (a run stopped while appending one).</summary>
        public List<int> TornLines { get; } = new List<int>();
    }
}
