using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Runtime.InteropServices;

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

        private static readonly ConcurrentDictionary<string, HttpClient> ByNamedHost = new ConcurrentDictionary<string, HttpClient>(StringComparer.OrdinalIgnoreCase);

        /// <summary>
        /// The client for calls that connect to one address while naming another host (regional+ through an
        /// emulator): one connection pool per host named. Against Tencent each regional host is a server of its own
        /// with its own pool; through one address every access region would otherwise share one pool's connections,
        /// and the emulator would not see the concurrency the cloud would.
        /// </summary>
        public static HttpClient ForNamedHost(string host) => ByNamedHost.GetOrAdd(host, _ => Create());

        /// <summary>SecurityProtocolType values netstandard2.0 does not name (.NET Framework 4.7 and 4.8 do).</summary>
        internal const SecurityProtocolType SystemDefault = 0, Tls13 = (SecurityProtocolType)12288;

        private static HttpClient Create()
        {
            // .NET Framework's HttpClient takes its TLS versions from ServicePointManager, whose default in Windows
            // PowerShell 5.1 (a .NET 4.5 program) can be SSL 3 and TLS 1.0 only; .NET's HttpClient ignores it.
            if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal))
                ServicePointManager.SecurityProtocol = WithTls12(ServicePointManager.SecurityProtocol);
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

        /// <summary>
        /// The process's TLS versions with TLS 1.2 added wherever an older version is allowed, so a call to Tencent
        /// never settles below 1.2 (the client offers its highest version; Tencent's API speaks 1.2). Nothing is
        /// narrowed or taken away from other scripts in the session: SystemDefault lets the OS choose (and gain newer
        /// versions), a setting with 1.2 already is kept, and one of 1.3 alone stays 1.3 alone.
        /// </summary>
        internal static SecurityProtocolType WithTls12(SecurityProtocolType current)
        {
            bool allowsOlder = (current & ~(SecurityProtocolType.Tls12 | Tls13)) != 0;
            return current == SystemDefault || !allowsOlder ? current : current | SecurityProtocolType.Tls12;
        }

        /// <summary>X-TC-Language for a UI culture: Tencent speaks Chinese and English.</summary>
        public static string LanguageFor(CultureInfo culture) =>
            culture != null && culture.Name.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? "zh-CN" : "en-US";
    }
}
