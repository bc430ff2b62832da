using System;
using System.Collections.Generic;
using Port53.Emulator.Api;
using Port53.Emulator.Model;

namespace Port53.Emulator.Hosting
{
    /// <summary>
    /// Another administrator editing the same group: after a client reads a group's rules it may (at
    /// ConcurrentEditorRate) mark the group, and the next write to that group first finds this edit applied, so a
    /// write carrying the Version it read fails with VersionMismatch. Every edit is recorded, so a test can check
    /// that the client re-read and kept it instead of overwriting it.
    /// </summary>
    internal sealed class ConcurrentEditor
    {
        public const string Description = "concurrent-editor";
        private readonly EmulatorEngine _engine;
        private readonly object _gate = new object();
        private readonly HashSet<string> _pending = new HashSet<string>(StringComparer.Ordinal);
        private readonly List<ConcurrentEdit> _edits = new List<ConcurrentEdit>();

        public ConcurrentEditor(EmulatorEngine engine) => _engine = engine;

        public void AfterRead(FleetStore store, SecurityGroup group)
        {
            if (!_engine.Faults.Roll(_engine.Faults.Settings.ConcurrentEditorRate, null)) return;
            lock (_gate) _pending.Add(Key(store, group));
        }

        /// <summary>Applies a pending edit to the group; the caller holds the store's Gate.</summary>
        public void BeforeWrite(FleetStore store, SecurityGroup group, DateTimeOffset now)
        {
            lock (_gate)
                if (!_pending.Remove(Key(store, group))) return;

            SecurityGroupPolicySet current = group.SecurityGroupPolicySet;
            if (current.Ingress.Count >= _engine.Options.PolicyLimitPerDirection) return;
            var taken = new HashSet<string>(current.Ingress.ConvertAll(PolicyRules.Identity), StringComparer.Ordinal);
            string nowText = now.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
            SecurityGroupPolicy rule = null;
            for (int port = 8080; rule == null; port++)
            {
                var candidate = new SecurityGroupPolicy
                {
                    Protocol = "TCP", Port = port.ToString(System.Globalization.CultureInfo.InvariantCulture), CidrBlock = "10.0.0.0/8",
                    Action = "ACCEPT", PolicyDescription = Description, ModifyTime = nowText,
                };
                if (!taken.Contains(PolicyRules.Identity(candidate))) rule = candidate;
            }
            var ingress = new List<SecurityGroupPolicy>(current.Ingress.Count + 1) { rule };
            ingress.AddRange(current.Ingress);
            string before = current.Version;
            VpcActions.Publish(group, new SecurityGroupPolicySet { Version = current.Version, Extra = current.Extra, Ingress = ingress, Egress = current.Egress }, nowText);
            lock (_gate)
                _edits.Add(new ConcurrentEdit
                {
                    Time = now, Region = group.Region, SecurityGroupId = group.SecurityGroupId, Direction = "Ingress",
                    Protocol = rule.Protocol, Port = rule.Port, CidrBlock = rule.CidrBlock, Action = rule.Action,
                    PolicyDescription = rule.PolicyDescription, VersionBefore = before, VersionAfter = group.SecurityGroupPolicySet.Version,
                });
        }

        /// <summary>Group ids repeat across accounts; a pending edit is for one account's group.</summary>
        private static string Key(FleetStore store, SecurityGroup group) => store.Uin.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/" + group.SecurityGroupId;

        public IReadOnlyList<ConcurrentEdit> Edits
        {
            get { lock (_gate) return _edits.ToArray(); }
        }

        public void Reset()
        {
            lock (_gate)
            {
                _pending.Clear();
                _edits.Clear();
            }
        }
    }
}
