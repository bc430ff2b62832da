using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Management.Automation;
using Port53.Resources;

namespace Port53.Execution
{
    /// <summary>
    /// "done of total" (or "done so far") progress of a cmdlet's activities, throttled: a fleet-wide run finishes
    /// thousands of items a second, and a record per item would cost more than the work in some hosts. Use it on
    /// the pipeline thread only.
    /// </summary>
    internal sealed class ProgressThrottle
    {
        private const int ProgressActivityId = 53;
        // Each activity's own id, so that activities running at once (one account's listing beside another's) are shown
        // side by side instead of overwriting one bar.
        private readonly Dictionary<string, int> _ids = new Dictionary<string, int>(StringComparer.Ordinal);

        private readonly Cmdlet _cmdlet;

        public ProgressThrottle(Cmdlet cmdlet) => _cmdlet = cmdlet;

        /// <summary>Progress is written at most this often per activity (and always at 100% and before Completed).</summary>
        internal static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(100);
        // Per activity: when progress was last written, and the count not yet shown.
        private readonly Dictionary<string, (long WrittenAt, int Done, int Total, bool Held)> _progress =
            new Dictionary<string, (long, int, int, bool)>(StringComparer.Ordinal);

        /// <summary>
        /// The newest count is held, not lost: it is shown when the interval has passed, at 100%, or just before
        /// the activity completes.
        /// </summary>
        internal void Report(string activity, int done, int total)
        {
            long now = Stopwatch.GetTimestamp();
            bool due = !_progress.TryGetValue(activity, out var last) || (total > 0 && done >= total) ||
                now - last.WrittenAt >= ProgressInterval.TotalSeconds * Stopwatch.Frequency;
            if (!due)
            {
                _progress[activity] = (last.WrittenAt, done, total, true);
                return;
            }
            _progress[activity] = (now, done, total, false);
            WriteProgressRecord(activity, done, total);
        }

        private void WriteProgressRecord(string activity, int done, int total)
        {
            string status = total > 0 ? Strings.Core.Format("ProgressStatus", done, total) : Strings.Core.Format("ProgressStatusOpen", done);
            var record = new ProgressRecord(IdOf(activity), activity, status);
            if (total > 0) record.PercentComplete = Math.Min(100, done * 100 / total);
            _cmdlet.WriteProgress(record);
        }

        private int IdOf(string activity)
        {
            if (!_ids.TryGetValue(activity, out int id)) _ids[activity] = id = ProgressActivityId + _ids.Count;
            return id;
        }

        internal void Complete(string activity)
        {
            if (_progress.TryGetValue(activity, out var last))
            {
                if (last.Held) WriteProgressRecord(activity, last.Done, last.Total);
                _progress.Remove(activity);
            }
            _cmdlet.WriteProgress(new ProgressRecord(IdOf(activity), activity, Strings.Core["ProgressDone"]) { RecordType = ProgressRecordType.Completed });
        }
    }
}
