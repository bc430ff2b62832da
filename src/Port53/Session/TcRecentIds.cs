using System;
using System.Collections.Generic;
using System.Linq;
using Port53.Model;

namespace Port53.Session
{
    /// <summary>
    /// The ids a session saw most recently, per kind, at most <see cref="Capacity"/> of each: seeing an id
    /// again makes it the newest, and the oldest goes when the store is full. Thread-safe, because workers of
    /// <see cref="Execution.TcWorkBatch"/> record what they find as they find it.
    /// </summary>
    internal sealed class TcRecentIds
    {
        public const int DefaultCapacity = 1000;

        private readonly object _gate = new object();
        private readonly Recency[] _kinds;

        public TcRecentIds(int capacity = DefaultCapacity)
        {
            if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity));
            Capacity = capacity;
            _kinds = Enum.GetValues(typeof(TcIdKind)).Cast<TcIdKind>().Select(_ => new Recency()).ToArray();
        }

        public int Capacity { get; }

        /// <summary>Records <paramref name="id"/> as just seen; a null name or region keeps what was known before.</summary>
        public void Remember(TcIdKind kind, string id, string name, string region)
        {
            if (string.IsNullOrWhiteSpace(id)) return;
            id = id.Trim();
            lock (_gate)
            {
                Recency recency = _kinds[(int)kind];
                if (recency.Index.TryGetValue(id, out LinkedListNode<TcRecentId> known))
                {
                    name = string.IsNullOrEmpty(name) ? known.Value.Name : name;
                    region = string.IsNullOrEmpty(region) ? known.Value.Region : region;
                    recency.Order.Remove(known);
                }
                recency.Index[id] = recency.Order.AddFirst(new TcRecentId(id, name, region));
                if (recency.Order.Count > Capacity)
                {
                    recency.Index.Remove(recency.Order.Last.Value.Id);
                    recency.Order.RemoveLast();
                }
            }
        }

        /// <summary>An instance and the security groups bound to it (whose names an instance does not carry).</summary>
        public void Remember(TcInstance instance)
        {
            if (instance == null) return;
            Remember(TcIdKind.Instance, instance.InstanceId, instance.InstanceName, instance.Region);
            foreach (string group in instance.SecurityGroupIds ?? new string[0]) Remember(TcIdKind.SecurityGroup, group, null, instance.Region);
        }

        /// <summary>A snapshot of the ids of one kind, newest first.</summary>
        public IReadOnlyList<TcRecentId> Recall(TcIdKind kind)
        {
            lock (_gate) return _kinds[(int)kind].Order.ToList();
        }

        public void Clear()
        {
            lock (_gate)
            {
                foreach (Recency recency in _kinds)
                {
                    recency.Order.Clear();
                    recency.Index.Clear();
                }
            }
        }

        private sealed class Recency
        {
            public readonly LinkedList<TcRecentId> Order = new LinkedList<TcRecentId>();
            public readonly Dictionary<string, LinkedListNode<TcRecentId>> Index = new Dictionary<string, LinkedListNode<TcRecentId>>(StringComparer.OrdinalIgnoreCase);
        }
    }
}
