namespace Port53.Services
{
    /// <summary>The end of one write call as the journal records it.</summary>
    internal enum JournalStatus
    {
        /// <summary>The write took effect (its reply said so, or a read of the group showed it had).</summary>
        Changed,
        /// <summary>The write took no effect (Tencent refused it, or a read of the group showed it had not landed).</summary>
        Failed,
        /// <summary>Nobody could tell: the reply was lost and the group could not be read. A later run reconciles it.</summary>
        Unknown,
    }
}
