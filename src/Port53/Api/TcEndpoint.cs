using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Port53.Api
{
    /// <summary>
    /// Where requests go. Tencent's public forms put the service in the host name; a custom endpoint (the
    /// emulator, a test server, a proxy) serves every service at one base URL. Either way the credential scope
    /// names the real service and the signed host is exactly the Host header sent.
    ///
    /// By default a region-scoped call goes to its region's own endpoint, &lt;service&gt;.&lt;region&gt;.tencentcloudapi.com:
    /// Tencent counts its rate limits per action, access region and sub-account
    /// (cloud.tencent.com/document/product/1278/109059), so each region's endpoint has budgets of its own. A custom
    /// endpoint written regional+http://host:port routes the same way through that address: it connects there and
    /// names (and signs) the regional host, which is how the emulator tells access regions apart.
    /// </summary>
    internal sealed class TcEndpoint : IEquatable<TcEndpoint>
    {
        private const string Domain = "tencentcloudapi.com";
        /// <summary>The prefix of a custom endpoint that routes by region: regional+http://127.0.0.1:4566.</summary>
        public const string RegionalPrefix = "regional+";

        /// <summary>One host for everything: &lt;service&gt;.tencentcloudapi.com, which Tencent sends to the nearest access region.</summary>
        public static readonly TcEndpoint Public = new TcEndpoint(TcEndpointKind.Public, null, false);
        /// <summary>The default: &lt;service&gt;.&lt;region&gt;.tencentcloudapi.com.</summary>
        public static readonly TcEndpoint Regional = new TcEndpoint(TcEndpointKind.Regional, null, true);
        public static readonly TcEndpoint International = new TcEndpoint(TcEndpointKind.International, null, false);

        public TcEndpointKind Kind { get; }

        /// <summary>The base URL of a custom endpoint; null for Tencent's own forms.</summary>
        public Uri BaseUri { get; }

        /// <summary>Whether a region-scoped call names its region's own host (Tencent's default, or regional+ custom).</summary>
        public bool RoutesByRegion { get; }

        private TcEndpoint(TcEndpointKind kind, Uri baseUri, bool routesByRegion)
        {
            Kind = kind;
            BaseUri = baseUri;
            RoutesByRegion = routesByRegion;
        }

        public static TcEndpoint Custom(Uri baseUri, bool routeByRegion = false)
        {
            if (baseUri == null) throw new ArgumentNullException(nameof(baseUri));
            if (!baseUri.IsAbsoluteUri || (baseUri.Scheme != Uri.UriSchemeHttp && baseUri.Scheme != Uri.UriSchemeHttps))
                throw new ArgumentException(Resources.Strings.Core.Format("EndpointInvalid", baseUri), nameof(baseUri));
            return new TcEndpoint(TcEndpointKind.Custom, baseUri, routeByRegion);
        }

        /// <summary>
        /// Reads what a user types: empty, "default" or "regional" (each region's endpoint), "public" / "global" /
        /// "tencentcloudapi.com" (one endpoint), "intl" / "international" / "intl.tencentcloudapi.com", or a URL,
        /// optionally prefixed regional+; a bare host[:port] means https.
        /// </summary>
        public static bool TryParse(string text, out TcEndpoint endpoint)
        {
            endpoint = null;
            string value = (text ?? string.Empty).Trim();
            switch (value.ToLowerInvariant())
            {
                case "":
                case "default":
                case "regional":
                    endpoint = Regional;
                    return true;
                case "public":
                case "global":
                case Domain:
                    endpoint = Public;
                    return true;
                case "intl":
                case "international":
                case "intl." + Domain:
                    endpoint = International;
                    return true;
            }
            bool regional = value.StartsWith(RegionalPrefix, StringComparison.OrdinalIgnoreCase);
            if (regional) value = value.Substring(RegionalPrefix.Length);
            if (value.IndexOf("://", StringComparison.Ordinal) < 0) value = "https://" + value;
            if (Uri.TryCreate(value, UriKind.Absolute, out Uri uri) &&
                (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) &&
                (uri.AbsolutePath == "/" || uri.AbsolutePath.Length == 0) && string.IsNullOrEmpty(uri.Query))
            {
                endpoint = new TcEndpoint(TcEndpointKind.Custom, uri, regional);
                return true;
            }
            return false;
        }

        public static TcEndpoint Parse(string text)
        {
            if (TryParse(text, out TcEndpoint endpoint)) return endpoint;
            throw new ArgumentException(Resources.Strings.Core.Format("EndpointInvalid", text));
        }

        /// <summary>
        /// Where a call of a service in a region goes: the URL to POST to and the Host to name and sign.
        /// <paramref name="unresolved"/> lists the regional names found not to exist; those go to the global name.
        /// </summary>
        public TcRoute Route(string service, string region, TcUnresolvedHosts unresolved = null)
        {
            bool regional = RoutesByRegion && !string.IsNullOrEmpty(region);
            switch (Kind)
            {
                case TcEndpointKind.Custom:
                    return new TcRoute(new Uri(BaseUri, "/"), RoutesByRegion ? TencentHost(service, region) : BaseUri.Authority, false);
                case TcEndpointKind.Regional when regional && (unresolved == null || !unresolved.Contains(service, region)):
                    return TcRoute.Tencent(TencentHost(service, region), true);
                case TcEndpointKind.International:
                    return TcRoute.Tencent(string.Format(CultureInfo.InvariantCulture, "{0}.intl.{1}", service, Domain), false);
                default:
                    return TcRoute.Tencent(TencentHost(service, null), false);
            }
        }

        private static string TencentHost(string service, string region) => string.IsNullOrEmpty(region)
            ? string.Format(CultureInfo.InvariantCulture, "{0}.{1}", service, Domain)
            : string.Format(CultureInfo.InvariantCulture, "{0}.{1}.{2}", service, region, Domain);

        public override string ToString()
        {
            switch (Kind)
            {
                case TcEndpointKind.Custom: return (RoutesByRegion ? RegionalPrefix : string.Empty) + BaseUri.GetLeftPart(UriPartial.Authority);
                case TcEndpointKind.Regional: return "<service>.<region>." + Domain;
                case TcEndpointKind.International: return "<service>.intl." + Domain;
                default: return "<service>." + Domain;
            }
        }

        public bool Equals(TcEndpoint other) => other != null && Kind == other.Kind && ToString() == other.ToString();
        public override bool Equals(object obj) => Equals(obj as TcEndpoint);
        public override int GetHashCode() => ToString().GetHashCode();
    }

    internal enum TcEndpointKind
    {
        Public,
        Regional,
        International,
        Custom,
    }

    /// <summary>One call's destination: the URL connected to and the Host named (and signed) there.</summary>
    internal sealed class TcRoute
    {
        public TcRoute(Uri uri, string host, bool mayFallBack)
        {
            Uri = uri;
            Host = host;
            MayFallBack = mayFallBack;
        }

        public static TcRoute Tencent(string host, bool mayFallBack) =>
            new TcRoute(new Uri("https://" + host + "/"), host, mayFallBack);

        public Uri Uri { get; }
        public string Host { get; }
        /// <summary>A regional name of Tencent's own: if it does not resolve, the global name serves the region too.</summary>
        public bool MayFallBack { get; }

        /// <summary>The key of this destination's budgets: the access region is the server that receives the request.</summary>
        public string AccessPoint => string.Equals(Uri.Authority, Host, StringComparison.OrdinalIgnoreCase) ? Host : Uri.Authority + " " + Host;
    }

    /// <summary>
    /// The (service, region) pairs whose regional host name does not exist (a region newer than its DNS name, say):
    /// their calls go to the global name for the rest of the process. Nothing is sent to a name that does not
    /// resolve, so falling back is safe for writes too.
    /// </summary>
    internal sealed class TcUnresolvedHosts
    {
        public static readonly TcUnresolvedHosts Shared = new TcUnresolvedHosts();

        private readonly ConcurrentDictionary<string, bool> _pairs = new ConcurrentDictionary<string, bool>(StringComparer.OrdinalIgnoreCase);

        public bool Contains(string service, string region) => _pairs.ContainsKey(service + " " + region);

        public void Add(string service, string region) => _pairs[service + " " + region] = true;

        /// <summary>
        /// Whether a send failed because the host name does not exist (the DNS answer, not a timeout or a refused
        /// connection): SocketException HostNotFound / NoData on .NET, WebException NameResolutionFailure on .NET Framework.
        /// </summary>
        public static bool IsNameNotFound(Exception error)
        {
            for (Exception e = error; e != null; e = e.InnerException)
            {
                if (e is SocketException socket && (socket.SocketErrorCode == SocketError.HostNotFound || socket.SocketErrorCode == SocketError.NoData)) return true;
                if (e is WebException web && web.Status == WebExceptionStatus.NameResolutionFailure) return true;
            }
            return false;
        }
    }
}
