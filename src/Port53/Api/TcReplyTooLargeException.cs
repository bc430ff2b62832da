using System.Globalization;
using System.Management.Automation;
using Port53.Resources;

namespace Port53.Api
{
    /// <summary>
    /// A reply larger than <see cref="TcClientOptions.MaxReplyBytes"/>: no Tencent Cloud API reply is, so something
    /// else answers (a proxy, a wrong endpoint). Not retried: it would only be read again.
    /// </summary>
    public sealed class TcReplyTooLargeException : TcLocalException
    {
        internal TcReplyTooLargeException(string action, string region, long cap, long? announced)
            : base("ReplyTooLarge", ErrorCategory.InvalidResult, Message(action, region, cap, announced), null)
        {
        }

        private static string Message(string action, string region, long cap, long? announced)
        {
            string where = string.IsNullOrEmpty(region) ? "-" : region;
            string limit = cap.ToString("N0", CultureInfo.CurrentCulture);
            return announced.HasValue
                ? Strings.Core.Format("ReplyTooLarge", action, where, announced.Value.ToString("N0", CultureInfo.CurrentCulture), limit)
                : Strings.Core.Format("ReplyTooLargeRead", action, where, limit);
        }
    }
}
