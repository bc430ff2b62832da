using System;
using System.Globalization;

namespace Port53.Api
{
    /// <summary>
    /// Where requests go. Tencent's public forms put the service in the host name; a custom endpoint (the
    /// emulator, a test server, a proxy) serves every service at one base URL. Either way the credential scope
    /// names the real service and the signed host is exactly the Host header sent.
    /// </summary>
    internal sealed class TcEndpoint : IEquatable<TcEndpoint>
    {
        private const string Domain = "tencentcloudapi.com";

        public static readonly TcEndpoint Public = new TcEndpoint(TcEndpointKind.Public, null);
        public static readonly TcEndpoint Regional = new TcEndpoint(TcEndpointKind.Regional, null);
        public static readonly TcEndpoint International = new TcEndpoint(TcEndpointKind.International, null);

        public TcEndpointKind Kind { get; }

        /// <summary>The base URL of a custom endpoint; null for Tencent's own forms.</summary>
        public Uri BaseUri { get; }

        private TcEndpoint(TcEndpointKind kind, Uri baseUri)
        {
            Kind = kind;
            BaseUri = baseUri;
        }

        public static TcEndpoint Custom(Uri baseUri)
        {
            if (baseUri == null) throw new ArgumentNullException(nameof(baseUri));
            if (!baseUri.IsAbsoluteUri || (baseUri.Scheme != Uri.UriSchemeHttp && baseUri.Scheme != Uri.UriSchemeHttps))
                throw new ArgumentException(Resources.Strings.Core.Format("EndpointInvalid", baseUri), nameof(baseUri));
            return new TcEndpoint(TcEndpointKind.Custom, baseUri);
        }

        /// <summary>
        /// Reads what a user types: empty or "tencentcloudapi.com" (public), "regional", "intl" /
        /// "international" / "intl.tencentcloudapi.com", or a URL; a bare host[:port] means https.
        /// </summary>
        public static bool TryParse(string text, out TcEndpoint endpoint)
        {
            endpoint = null;
            string value = (text ?? string.Empty).Trim();
            switch (value.ToLowerInvariant())
            {
                case "":
                case "public":
                case "default":
                case Domain:
                    endpoint = Public;
                    return true;
                case "regional":
                    endpoint = Regional;
                    return true;
                case "intl":
                case "international":
                case "intl." + Domain:
                    endpoint = International;
                    return true;
            }
            if (value.IndexOf("://", StringComparison.Ordinal) < 0) value = "https://" + value;
            if (Uri.TryCreate(value, UriKind.Absolute, out Uri uri) &&
                (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) &&
                (uri.AbsolutePath == "/" || uri.AbsolutePath.Length == 0) && string.IsNullOrEmpty(uri.Query))
            {
                endpoint = new TcEndpoint(TcEndpointKind.Custom, uri);
                return true;
            }
            return false;
        }

        public static TcEndpoint Parse(string text)
        {
            if (TryParse(text, out TcEndpoint endpoint)) return endpoint;
            throw new ArgumentException(Resources.Strings.Core.Format("EndpointInvalid", text));
        }

        /// <summary>The URL to POST to for a service in a region.</summary>
        public Uri RequestUri(string service, string region)
        {
            switch (Kind)
            {
                case TcEndpointKind.Custom:
                    return new Uri(BaseUri, "/");
                case TcEndpointKind.Regional when !string.IsNullOrEmpty(region):
                    return new Uri(string.Format(CultureInfo.InvariantCulture, "https://{0}.{1}.{2}/", service, region, Domain));
                case TcEndpointKind.International:
                    return new Uri(string.Format(CultureInfo.InvariantCulture, "https://{0}.intl.{1}/", service, Domain));
                default:
                    return new Uri(string.Format(CultureInfo.InvariantCulture, "https://{0}.{1}/", service, Domain));
            }
        }

        /// <summary>The Host header, and so the signed host: Uri.Authority keeps a non-default port, as HttpClient does.</summary>
        public static string HostOf(Uri requestUri) => requestUri.Authority;

        public override string ToString()
        {
            switch (Kind)
            {
                case TcEndpointKind.Custom: return BaseUri.GetLeftPart(UriPartial.Authority);
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
}
