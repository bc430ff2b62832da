using System;
using Port53.Model;

namespace Port53.Services
{
    /// <summary>What is about to be written to one group, appended (and on disk) before the write call goes out.</summary>
    internal sealed class JournalIntent : IChangeAuthor
    {
        public string Record => "Intent";
        /// <summary>Links the intent with its outcome.</summary>
        public string Id { get; set; }
        public DateTime Time { get; set; }
        public TcPort53ChangeAction Action { get; set; }
        public string Region { get; set; }
        public string SecurityGroupId { get; set; }
        /// <summary>For a Lighthouse firewall: the instance (SecurityGroupId is then null, Version the FirewallVersion).</summary>
        public string Firewall { get; set; }
        /// <summary>The group's Version the write is made against.</summary>
        public string Version { get; set; }
        /// <summary>Which write call of the group's change this is (more than one after a concurrent edit or a lost reply).</summary>
        public int Attempt { get; set; }
        public TcPort53Rule[] RulesToAdd { get; set; } = new TcPort53Rule[0];
        public TcPort53Rule[] RulesToRemove { get; set; } = new TcPort53Rule[0];
        public string[] AffectedInstanceIds { get; set; } = new string[0];
        public string ChangedBy { get; set; }
        public long? AccountUin { get; set; }
        public string ContextName { get; set; }
        public string RoleArn { get; set; }
    }
}
