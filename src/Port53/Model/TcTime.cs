using System;
using System.Globalization;

namespace Port53.Model
{
    /// <summary>Times as the VPC API writes them, turned into UTC for the pipeline objects.</summary>
    internal static class TcTime
    {
        private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

        /// <summary>
        /// "yyyy-MM-dd HH:mm:ss" without a zone is Beijing time (UTC+8), as the VPC API's CreatedTime, UpdateTime and
        /// ModifyTime are; a text with a zone keeps it. Empty or unreadable text gives null rather than a wrong time.
        /// </summary>
        public static DateTime? Parse(string text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            text = text.Trim();
            if (DateTime.TryParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime local))
                return new DateTimeOffset(local, Beijing).UtcDateTime;
            if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime parsed))
                return parsed;
            return null;
        }
    }
}
