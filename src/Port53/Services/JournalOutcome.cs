using System;
using Port53.Model;

namespace Port53.Services
{
    /// <summary>
    /// What one write call did: for Changed, the change record's fields (as -PassThru shows them); for a later run's
    /// reconciliation (Reconciled), what a read of the group showed.
    /// </summary>
    internal sealed class JournalOutcome : IChangeAuthor
    {
        public string Record => "Outcome";
        public string Id { get; set; }
        public DateTime Time { get; set; }
        public TcPort53ChangeAction Action { get; set; }
        public string Region { get; set; }
        public string SecurityGroupId { get; set; }
        /// <summary>For a Lighthouse firewall: the instance (SecurityGroupId is then null).</summary>
        public string Firewall { get; set; }
        public JournalStatus Status { get; set; }
        /// <summary>Written by a later run, from a read of the group, for an intent its own run left without outcome.</summary>
        public bool Reconciled { get; set; }
        public string RequestId { get; set; }
        public string VersionBefore { get; set; }
        /// <summary>The Version with the change in place (as <see cref="Port53.Model.TcPort53Change.VersionAfter"/>, or seen by the reconciling read); null when unknown.</summary>
        public string VersionAfter { get; set; }
        public TcPort53Rule[] RulesAdded { get; set; } = new TcPort53Rule[0];
        public TcPort53Rule[] RulesRemoved { get; set; } = new TcPort53Rule[0];
        public string[] AffectedInstanceIds { get; set; } = new string[0];
        public int Attempts { get; set; }
        public string ChangedBy { get; set; }
        public long? AccountUin { get; set; }
        public string ContextName { get; set; }
        public string RoleArn { get; set; }
        /// <summary>Why the write failed, or why its outcome is unknown.</summary>
        public string Error { get; set; }

        /// <summary>A later run's outcome for <paramref name="intent"/>, before a read of the group (or firewall) says what became of it.</summary>
        public static JournalOutcome Reconciling(JournalIntent intent) => new JournalOutcome
        {
            Id = intent.Id,
            Action = intent.Action,
            Region = intent.Region,
            SecurityGroupId = intent.SecurityGroupId,
            Firewall = intent.Firewall,
            Reconciled = true,
            VersionBefore = intent.Version,
            AffectedInstanceIds = intent.AffectedInstanceIds ?? new string[0],
            Attempts = intent.Attempt,
            ChangedBy = intent.ChangedBy,
            AccountUin = intent.AccountUin,
            ContextName = intent.ContextName,
            RoleArn = intent.RoleArn,
        };

        public static JournalOutcome Of(string id, TcPort53Change change) => new JournalOutcome
        {
            Id = id,
            Time = change.Time,
            Action = change.Action,
            Region = change.Region,
            SecurityGroupId = change.SecurityGroupId,
            Firewall = change.Firewall,
            Status = JournalStatus.Changed,
            RequestId = change.RequestId,
            VersionBefore = change.VersionBefore,
            VersionAfter = change.VersionAfter,
            RulesAdded = change.RulesAdded,
            RulesRemoved = change.RulesRemoved,
            AffectedInstanceIds = change.AffectedInstanceIds,
            Attempts = change.Attempts,
            ChangedBy = change.ChangedBy,
            AccountUin = change.AccountUin,
            ContextName = change.ContextName,
            RoleArn = change.RoleArn,
        };
    }
}
