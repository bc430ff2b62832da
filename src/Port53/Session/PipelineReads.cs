using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Port53.Model;
using Port53.Services;

namespace Port53.Session
{
    /// <summary>
    /// What the commands of one pipeline read before the change command at its end (Block-TcPort53,
    /// Unblock-TcPort53) runs, so that it does not read again what its own input was computed from:
    /// the complete instance listings of regions (which instances bind which group), the bindings of every
    /// instance read (the change command trusts piped bindings only when they match one of these), and the
    /// security-group readers of the audit commands (group rules and templates).
    ///
    /// Open only while a change command runs (it opens this in BeginProcessing and closes it when disposed), so
    /// nothing here is older than that pipeline; with no change command in the pipeline nothing is recorded.
    /// Everything is kept per account (endpoint and SecretId), so one account's reads never serve another.
    /// Thread-safe: listings and readers are added from worker threads.
    /// </summary>
    internal sealed class PipelineReads
    {
        private readonly ConcurrentDictionary<string, RegionListing> _listings = new ConcurrentDictionary<string, RegionListing>(StringComparer.OrdinalIgnoreCase);
        private readonly ConcurrentDictionary<string, string[]> _bindings = new ConcurrentDictionary<string, string[]>(StringComparer.Ordinal);
        private readonly ConcurrentQueue<(string Account, SecurityGroupReader Reader)> _readers = new ConcurrentQueue<(string, SecurityGroupReader)>();
        private readonly ConcurrentDictionary<string, FirewallSnapshot> _firewalls = new ConcurrentDictionary<string, FirewallSnapshot>(StringComparer.Ordinal);

        /// <summary>
        /// A listing of every instance of the region to be filled page by page; it counts only once
        /// <see cref="RegionListing.Complete"/> is called after the last page (a failed page leaves it out).
        /// </summary>
        public RegionListing StartListing(string account, string region) => new RegionListing(this, Key(account, region));

        /// <summary>The region's complete listing; null when the pipeline did not list the region in full.</summary>
        public RegionListing Listing(string account, string region) => _listings.TryGetValue(Key(account, region), out RegionListing listing) ? listing : null;

        /// <summary>An instance as a command of this pipeline read it: its groups in binding order.</summary>
        public void AddBinding(string account, string region, string instanceId, IEnumerable<string> securityGroupIds)
        {
            if (instanceId != null) _bindings[Key(account, region) + "\n" + TcIds.Normalise(instanceId)] = TcIds.Distinct(securityGroupIds);
        }

        /// <summary>The instance's groups as this pipeline last read them (ids normalised); null when it read no such instance.</summary>
        public string[] Binding(string account, string region, string instanceId) =>
            _bindings.TryGetValue(Key(account, region) + "\n" + TcIds.Normalise(instanceId), out string[] groups) ? groups : null;

        public void AddReader(string account, SecurityGroupReader reader) => _readers.Enqueue((account, reader));

        /// <summary>The readers of this account's audit commands, oldest first.</summary>
        public IReadOnlyList<SecurityGroupReader> Readers(string account) =>
            _readers.Where(r => string.Equals(r.Account, account, StringComparison.Ordinal)).Select(r => r.Reader).ToList();

        /// <summary>A Lighthouse firewall as an audit command of this pipeline read it: Block plans from it and writes at its FirewallVersion.</summary>
        public void AddFirewall(string account, FirewallSnapshot firewall) =>
            _firewalls[Key(account, firewall.Region) + "\n" + TcIds.Normalise(firewall.InstanceId)] = firewall;

        /// <summary>The firewall as this pipeline last read it; null when it read none.</summary>
        public FirewallSnapshot Firewall(string account, string region, string instanceId) =>
            _firewalls.TryGetValue(Key(account, region) + "\n" + TcIds.Normalise(instanceId), out FirewallSnapshot firewall) ? firewall : null;

        private static string Key(string account, string region) => account + "\n" + region?.Trim();

        /// <summary>One region's instances, by the groups they bind (ids normalised as Port53Remediation does).</summary>
        internal sealed class RegionListing
        {
            private readonly PipelineReads _owner;
            private readonly string _key;
            private readonly Dictionary<string, List<string>> _byGroup = new Dictionary<string, List<string>>(StringComparer.Ordinal);

            public RegionListing(PipelineReads owner, string key)
            {
                _owner = owner;
                _key = key;
            }

            public void Add(string instanceId, IEnumerable<string> securityGroupIds)
            {
                if (instanceId == null || securityGroupIds == null) return;
                lock (_byGroup)
                {
                    foreach (string group in TcIds.Distinct(securityGroupIds))
                    {
                        if (!_byGroup.TryGetValue(group, out List<string> instances)) _byGroup[group] = instances = new List<string>();
                        instances.Add(instanceId);
                    }
                }
            }

            /// <summary>Every page is in: from now on the listing answers for the region (a later complete one replaces it).</summary>
            public void Complete() => _owner._listings[_key] = this;

            /// <summary>The instances bound to the group (in any position), as listed.</summary>
            public IReadOnlyCollection<string> Binding(string securityGroupId)
            {
                lock (_byGroup)
                    return _byGroup.TryGetValue(TcIds.Normalise(securityGroupId), out List<string> instances) ? instances.ToArray() : new string[0];
            }
        }
    }
}
