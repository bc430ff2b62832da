using System;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Port53.Emulator.Hosting
{
    /// <summary>
    /// Listening on 127.0.0.1 keeps other machines out, not web pages: a page in the user's browser can post to
    /// 127.0.0.1 (CSRF), or have its own host name resolve there (DNS rebinding) and then read the answers. So the
    /// control API answers only requests addressed to a loopback name, from no other origin, and takes only JSON
    /// bodies, which a browser never sends cross-origin without a preflight this server does not grant.
    /// </summary>
    internal static class ControlGuard
    {
        /// <summary>Why the request is refused, with the HTTP status to answer; null when it may go on.</summary>
        public static string Refusal(HttpRequest request, int port, out int status)
        {
            status = StatusCodes.Status403Forbidden;
            string host = request.Headers.Host.ToString();
            if (!IsLoopbackName(request.Host.Host))
                return "Host '" + host + "' is not a loopback name. The control API answers requests to localhost, 127.0.0.1 or [::1] only (DNS rebinding).";

            string origin = request.Headers.Origin.ToString();
            if (origin.Length > 0 && !IsOwnOrigin(origin, port))
                return "Origin '" + origin + "' is not this emulator's. The control API refuses cross-origin requests (CSRF).";

            string site = request.Headers["Sec-Fetch-Site"].ToString();
            if (site.Length > 0 && site != "same-origin" && site != "none")
                return "Sec-Fetch-Site is '" + site + "'. The control API refuses requests made from other sites (CSRF).";

            if (HttpMethods.IsPost(request.Method) && !IsJson(request.ContentType))
            {
                status = StatusCodes.Status415UnsupportedMediaType;
                return "Content-Type '" + request.ContentType + "' is not application/json. POSTs to the control API must send JSON.";
            }
            return null;
        }

        private static bool IsLoopbackName(string host)
        {
            if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
            string address = host.StartsWith("[", StringComparison.Ordinal) && host.EndsWith("]", StringComparison.Ordinal) ? host[1..^1] : host;
            // Only a literal address: "127.0.0.1.evil.example" is a name anyone can point anywhere.
            return Uri.CheckHostName(address) is UriHostNameType.IPv4 or UriHostNameType.IPv6
                && IPAddress.TryParse(address, out IPAddress ip) && IPAddress.IsLoopback(ip);
        }

        private static bool IsOwnOrigin(string origin, int port) =>
            Uri.TryCreate(origin, UriKind.Absolute, out Uri uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && uri.Port == port
            && IsLoopbackName(uri.Host);

        private static bool IsJson(string contentType) =>
            MediaTypeHeaderValue.TryParse(contentType, out MediaTypeHeaderValue media)
            && media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);
    }
}
