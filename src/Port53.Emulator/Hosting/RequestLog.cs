using System;
using System.Collections.Generic;

namespace Port53.Emulator.Hosting
{
    /// <summary>A change the concurrent editor made to a group between a client's read and its write.</summary>
    public sealed class ConcurrentEdit
    {
        public DateTimeOffset Time { get; set; }
        public string Region { get; set; }
        public string SecurityGroupId { get; set; }
        public string Direction { get; set; }
        public string Protocol { get; set; }
        public string Port { get; set; }
        public string CidrBlock { get; set; }
        public string Action { get; set; }
        public string PolicyDescription { get; set; }
        public string VersionBefore { get; set; }
        public string VersionAfter { get; set; }
    }

    /// <summary>A bounded, thread-safe log: the oldest entries go first once Capacity is reached.</summary>
    internal sealed class RequestLog
    {
        private readonly object _gate = new object();
        private readonly Queue<RequestLogEntry> _entries = new Queue<RequestLogEntry>();
        private readonly int _capacity;

        public RequestLog(int capacity) => _capacity = Math.Max(1, capacity);

        public void Add(RequestLogEntry entry)
        {
            lock (_gate)
            {
                if (_entries.Count >= _capacity) _entries.Dequeue();
                _entries.Enqueue(entry);
            }
        }

        public IReadOnlyList<RequestLogEntry> Snapshot()
        {
            lock (_gate) return _entries.ToArray();
        }

        public int Count
        {
            get { lock (_gate) return _entries.Count; }
        }

        public void Clear()
        {
            lock (_gate) _entries.Clear();
        }
    }
}
