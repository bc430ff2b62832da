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
