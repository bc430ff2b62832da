using System;
using System.Threading;

namespace Port53.Execution
{
    /// <summary>A place reserved in the output queue: used by one post, or given back when disposed unused.</summary>
    internal sealed class OutputSlot : IDisposable
    {
        private const int Free = 0, Used = 1, Returned = 2;
        private readonly OutboxPump _owner;
        private int _state;

        public OutputSlot(OutboxPump owner) => _owner = owner;

        /// <summary>True once: the post takes the reservation over.</summary>
        public bool Use() => Interlocked.CompareExchange(ref _state, Used, Free) == Free;

        public void Dispose()
        {
            if (Interlocked.CompareExchange(ref _state, Returned, Free) == Free) _owner.ReleaseOutput();
        }
    }
}
