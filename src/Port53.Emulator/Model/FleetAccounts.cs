using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;

namespace Port53.Emulator.Model
{
    /// <summary>Keys STS AssumeRole handed out: they act in the role's account until they expire.</summary>
    internal sealed class TemporaryKey
    {
        public Credential Credential;
        public FleetStore Account;
        /// <summary>The account whose keys asked for these (GetCallerIdentity's PrincipalId).</summary>
        public long PrincipalUin;
        public string RoleName, RoleId, SessionName;
        public DateTimeOffset Expires;
    }

    /// <summary>
    /// Every account of the fleet, each its own <see cref="FleetStore"/>, and which account a key belongs to: the
    /// fleet's keys and the temporary ones STS gave out. A reset builds a new one, so assumed keys are forgotten too.
    /// </summary>
    internal sealed class FleetAccounts
    {
        private readonly Dictionary<string, (FleetStore Account, Credential Key)> _keys = new Dictionary<string, (FleetStore, Credential)>(StringComparer.Ordinal);
        private readonly Dictionary<long, FleetStore> _byUin = new Dictionary<long, FleetStore>();
        private readonly ConcurrentDictionary<string, TemporaryKey> _temporary = new ConcurrentDictionary<string, TemporaryKey>(StringComparer.Ordinal);

        public FleetAccounts(Fleet fleet, long defaultUin)
        {
            Source = fleet;
            if (!fleet.TopLevelIsAccount && (fleet.Instances.Count > 0 || fleet.SecurityGroups.Count > 0 || fleet.LighthouseInstances.Count > 0 || fleet.Credentials.Count > 0))
                throw FleetStore.Invalid("the top level has resources or Credentials but no Regions; put them in an account of Accounts (or give the top level its Regions)");
            foreach (AccountFleet account in fleet.AllAccounts())
            {
                long uin = account.Uin ?? (Stores.Count == 0 ? defaultUin : throw FleetStore.Invalid("account " + (Stores.Count + 1) + (account.Name != null ? " (" + account.Name + ")" : "") + " has no Uin"));
                if (uin <= 0) throw FleetStore.Invalid("Uin " + uin + " is not a positive integer");
                if (_byUin.ContainsKey(uin)) throw FleetStore.Invalid("account " + uin + " is listed twice");
                var store = new FleetStore(account, uin);
                Stores.Add(store);
                _byUin.Add(uin, store);
                foreach (Credential c in account.Credentials)
                {
                    if (_keys.TryGetValue(c.SecretId, out var owner) && owner.Account != store)
                        throw FleetStore.Invalid("SecretId " + c.SecretId + " belongs to accounts " + owner.Account.Uin + " and " + uin);
                    _keys[c.SecretId] = (store, c);
                }
            }
            Organization = fleet.Organization;
            if (Organization != null && !_byUin.ContainsKey(Organization.ManagementUin))
                throw FleetStore.Invalid("Organization.ManagementUin " + Organization.ManagementUin + " is not an account of the fleet");
        }

        public Fleet Source { get; }
        /// <summary>The accounts in fleet order; the first is the one Start-TcEmulator and the demo connect with.</summary>
        public List<FleetStore> Stores { get; } = new List<FleetStore>();
        public FleetStore First => Stores[0];
        public FleetOrganization Organization { get; }

        public FleetStore Account(long uin) => _byUin.TryGetValue(uin, out FleetStore s) ? s : null;

        /// <summary>The key and its account: one of the fleet's, or a temporary one (then <paramref name="temporary"/> is set, expired or not).</summary>
        public bool TryFindKey(string secretId, out FleetStore account, out Credential key, out TemporaryKey temporary)
        {
            temporary = null;
            if (_keys.TryGetValue(secretId, out var found))
            {
                (account, key) = found;
                return true;
            }
            if (_temporary.TryGetValue(secretId, out temporary))
            {
                (account, key) = (temporary.Account, temporary.Credential);
                return true;
            }
            (account, key) = (null, null);
            return false;
        }

        /// <summary>New temporary keys for a role of <paramref name="account"/>; expired ones are dropped on the way.</summary>
        public TemporaryKey Issue(FleetStore account, long principalUin, string roleName, string roleId, string sessionName, DateTimeOffset now, long durationSeconds)
        {
            foreach (var old in _temporary.Where(t => t.Value.Expires <= now).ToList()) _temporary.TryRemove(old.Key, out _);
            var key = new TemporaryKey
            {
                Credential = new Credential { SecretId = "AKID" + Random(32), SecretKey = Random(32), Token = Random(96) },
                Account = account, PrincipalUin = principalUin, RoleName = roleName, RoleId = roleId, SessionName = sessionName,
                Expires = now.AddSeconds(durationSeconds),
            };
            _temporary[key.Credential.SecretId] = key;
            return key;
        }

        private static string Random(int length)
        {
            const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
            return RandomNumberGenerator.GetString(alphabet, length);
        }

        /// <summary>The fleet in the form it was loaded in: a single-account file as one, Accounts and Organization when it had them.</summary>
        public Fleet Snapshot()
        {
            Fleet top;
            int next = 0;
            if (Source.TopLevelIsAccount)
            {
                top = First.Snapshot<Fleet>();
                next = 1;
            }
            else
            {
                top = new Fleet
                {
                    Regions = null, Instances = null, SecurityGroups = null, ServiceTemplates = null, ServiceTemplateGroups = null,
                    AddressTemplates = null, AddressTemplateGroups = null, LighthouseInstances = null, Credentials = null,
                    Extra = Source.Extra,
                };
            }
            top.Organization = Source.Organization;
            if (Source.Accounts != null) top.Accounts = Stores.Skip(next).Select(s => s.Snapshot<FleetAccount>()).ToList();
            return top;
        }
    }
}
