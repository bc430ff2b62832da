using System;
using System.Collections.Generic;
using System.Management.Automation.Runspaces;
using System.Threading;

namespace Port53.Session
{
    /// <summary>
    /// What must happen once when a runspace closes or breaks (Start-TcEmulator stops its child process this way),
    /// newest first. A runspace that is gone already runs a new registration at once.
    /// </summary>
    internal sealed class RunspaceCleanup
    {
        private readonly object _gate = new object();
        private readonly List<Action> _cleanups = new List<Action>();
        private int _closed;

        /// <param name="runspace">The runspace to watch; null for none (nothing then runs by itself).</param>
        public RunspaceCleanup(Runspace runspace)
        {
            if (runspace != null) runspace.StateChanged += OnStateChanged;
        }

        /// <summary>Runs <paramref name="cleanup"/> when the runspace ends; dispose the result to unregister, e.g. after stopping it explicitly.</summary>
        public IDisposable Register(Action cleanup)
        {
            if (cleanup == null) throw new ArgumentNullException(nameof(cleanup));
            lock (_gate)
            {
                if (_closed == 0)
                {
                    _cleanups.Add(cleanup);
                    return new Registration(this, cleanup);
                }
            }
            RunQuietly(cleanup);
            return new Registration(this, cleanup);
        }

        private void OnStateChanged(object sender, RunspaceStateEventArgs e)
        {
            RunspaceState state = e.RunspaceStateInfo.State;
            if (state != RunspaceState.Closed && state != RunspaceState.Broken) return;
            if (Interlocked.Exchange(ref _closed, 1) != 0) return;
            Action[] pending;
            lock (_gate)
            {
                pending = _cleanups.ToArray();
                _cleanups.Clear();
            }
            for (int i = pending.Length - 1; i >= 0; i--) RunQuietly(pending[i]);
        }

        // The runspace is going away and nobody is left to see an error; a failed cleanup must not stop the others.
        private static void RunQuietly(Action action)
        {
            try
            {
                action();
            }
            catch (Exception)
            {
            }
        }

        private sealed class Registration : IDisposable
        {
            private readonly RunspaceCleanup _owner;
            private readonly Action _cleanup;

            public Registration(RunspaceCleanup owner, Action cleanup)
            {
                _owner = owner;
                _cleanup = cleanup;
            }

            public void Dispose()
            {
                lock (_owner._gate) _owner._cleanups.Remove(_cleanup);
            }
        }
    }
}
