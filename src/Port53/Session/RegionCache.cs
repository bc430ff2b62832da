using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using Port53.Api.Models;
using Port53.Credentials;

namespace Port53.Session
{
    /// <summary>
    /// The region lists a session has loaded, one per account (SecretId) at an endpoint, and when tab completion
    /// last failed to load one. Connecting or disconnecting clears it: the lists belong to the account.
    /// </summary>
    internal sealed class RegionCache
    {
        private readonly ConcurrentDictionary<string, IReadOnlyList<RegionInfo>> _regions = new ConcurrentDictionary<string, IReadOnlyList<RegionInfo>>(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, DateTime> _misses = new ConcurrentDictionary<string, DateTime>(StringComparer.Ordinal);

        /// <summary>The key of a list: the account (SecretId) at an endpoint.</summary>
        public static string Key(TcConnection connection, TcCredential credential) =>
            connection.Endpoint + "\n" + (connection.Credentials is RenewingCredentialProvider renewing
                // Temporary keys change at each renewal; the role they are keys of does not.
                ? renewing.Source + ":" + renewing.Detail
                : credential.SecretId);

        /// <summary>The account's region list, or null when it was not loaded since the session connected.</summary>
        public IReadOnlyList<RegionInfo> Get(string key) => _regions.TryGetValue(key, out var regions) ? regions : null;

        public void Set(string key, IReadOnlyList<RegionInfo> regions) => _regions[key] = regions;

        /// <summary>
        /// Whether tab completion failed to load the list for <paramref name="key"/> less than
        /// <paramref name="within"/> ago; it then offers the built-in list rather than wait on every Tab.
        /// </summary>
        public bool MissedRecently(string key, TimeSpan within) =>
            _misses.TryGetValue(key, out DateTime at) && DateTime.UtcNow - at < within;

        public void NoteMissed(string key) => _misses[key] = DateTime.UtcNow;

        public void Clear()
        {
            _regions.Clear();
            _misses.Clear();
        }
    }
}
