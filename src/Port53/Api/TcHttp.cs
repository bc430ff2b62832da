using System;
using System.Globalization;
using System.Net.Http;

namespace Port53.Api
{
    /// <summary>
    /// The one HttpClient of the process (sockets are pooled per process, not per runspace or call). Its own
    /// timeout is off: each call sets its own through a CancellationToken so a timeout and Ctrl+C can be told apart.
    /// </summary>
    internal static class TcHttp
    {
        public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(30);

        /// <summary>
        /// The largest reply read: a full page of 100 instances is about 170 KB, so 16 MB leaves a hundredfold margin
        /// while a runaway reply (a proxy's download, a wrong endpoint) fails before it fills memory.
        /// </summary>
        public const long DefaultMaxReplyBytes = 16L * 1024 * 1024;

        public static HttpClient Shared { get; } = Create();

        private static HttpClient Create()
        {
            var handler = new HttpClientHandler();
            try
            {
                // Windows PowerShell's default of 2 connections per host would serialise a region fan-out.
                handler.MaxConnectionsPerServer = 32;
            }
            catch (PlatformNotSupportedException)
            {
            }
            catch (NotImplementedException)
            {
            }
            return new HttpClient(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        }

        /// <summary>X-TC-Language for a UI culture: Tencent speaks Chinese and English.</summary>
        public static string LanguageFor(CultureInfo culture) =>
            culture != null && culture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? "zh-CN" : "en-US";
    }
}
