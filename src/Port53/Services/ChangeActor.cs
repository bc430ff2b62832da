namespace Port53.Services
{
    /// <summary>What a change record (and each journal line of it) says about who made the change, and where.</summary>
    internal interface IChangeAuthor
    {
        /// <summary>The SecretId the write was signed with, masked.</summary>
        string ChangedBy { get; set; }
        long? AccountUin { get; set; }
        string ContextName { get; set; }
        /// <summary>The CAM role whose temporary keys made the change; null for keys of the account itself.</summary>
        string RoleArn { get; set; }
    }

    /// <summary>
    /// Who makes a command's changes in one account: the masked SecretId, the account, the session context and the role
    /// assumed. The remediation engines mark every record and journal line with it, so a regulator's change record
    /// says which account was changed and with which identity.
    /// </summary>
    internal sealed class ChangeActor
    {
        public ChangeActor(string changedBy, long? accountUin = null, string contextName = null, string roleArn = null)
        {
            ChangedBy = changedBy;
            AccountUin = accountUin;
            ContextName = contextName;
            RoleArn = roleArn;
        }

        public string ChangedBy { get; }
        public long? AccountUin { get; }
        public string ContextName { get; }
        public string RoleArn { get; }

        /// <summary>Keys alone (tests, and engines used outside a session).</summary>
        public static implicit operator ChangeActor(string changedBy) => new ChangeActor(changedBy);

        /// <summary>Marks <paramref name="record"/> as this actor's; returns it.</summary>
        public T Mark<T>(T record) where T : IChangeAuthor
        {
            record.ChangedBy = ChangedBy;
            record.AccountUin = AccountUin;
            record.ContextName = ContextName;
            record.RoleArn = RoleArn;
            return record;
        }

        /// <summary>
        /// Whether a journal line was written by this actor (an intent of an earlier run it may reconcile): the same account,
        /// and the same role, or for keys of the account itself the same SecretId. A role's temporary keys are new at every
        /// assumption, so a later run of the same role signs with another SecretId.
        /// </summary>
        public bool Wrote(IChangeAuthor record)
        {
            if (record.ChangedBy == null) return true;
            if (record.AccountUin != null && AccountUin != null && record.AccountUin != AccountUin) return false;
            if (RoleArn != null || record.RoleArn != null) return string.Equals(record.RoleArn, RoleArn, System.StringComparison.Ordinal);
            return record.ChangedBy == ChangedBy;
        }
    }
}
