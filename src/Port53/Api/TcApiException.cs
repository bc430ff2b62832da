using System;
using Port53.Resources;

namespace Port53.Api
{
    /// <summary>
    /// Every failure of a Tencent Cloud call: an error the service returned (Code as Tencent spells it) or a
    /// transport fault, named with the codes Tencent's official SDKs use for them (ClientNetworkError,
    /// ServerNetworkError, ClientParseError) so that one ErrorId scheme covers both. Holds no secret: the
    /// request body and headers are never kept.
    /// </summary>
    public sealed class TcApiException : Exception
    {
        public const string ClientNetworkError = "ClientNetworkError";
        public const string ServerNetworkError = "ServerNetworkError";
        public const string ClientParseError = "ClientParseError";

        public string Code { get; }
        /// <summary>Tencent's own message (or the transport's), without our framing.</summary>
        public string ServiceMessage { get; }
        public string RequestId { get; }
        public string Action { get; }
        public string Region { get; }
        /// <summary>HTTP status when the reply was not Tencent's usual 200; 0 otherwise.</summary>
        public int HttpStatus { get; }

        public TcApiException(string code, string serviceMessage, string requestId, string action, string region,
            int httpStatus = 0, Exception innerException = null)
            : base(Compose(code, serviceMessage, requestId, action, region), innerException)
        {
            Code = code ?? "UnknownError";
            ServiceMessage = serviceMessage ?? string.Empty;
            RequestId = requestId ?? string.Empty;
            Action = action ?? string.Empty;
            Region = region ?? string.Empty;
            HttpStatus = httpStatus;
        }

        public bool IsTransport => Code == ClientNetworkError || Code == ServerNetworkError || Code == ClientParseError;

        private static string Compose(string code, string message, string requestId, string action, string region) =>
            string.IsNullOrEmpty(requestId)
                ? Strings.Core.Format("ApiErrorNoRequestId", action, string.IsNullOrEmpty(region) ? "-" : region, code, message)
                : Strings.Core.Format("ApiError", action, string.IsNullOrEmpty(region) ? "-" : region, code, message, requestId);
    }
}
