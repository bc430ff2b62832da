using System;
using Port53.Api;
using Port53.Credentials;

namespace Port53.Tests.Api
{
    /// <summary>Clients pointed at a fake server, with retry delays of milliseconds and a limiter that never waits.</summary>
    internal static class ClientTestKit
    {
        public const string SecretId = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
        public const string SecretKey = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
        public const string Token = "TemporaryTokenValueThatMustNotLeak";

        public static TcClientOptions FastOptions(int maxAttempts = 4) => new TcClientOptions
        {
            Retry = new TcRetryPolicy { MaxAttempts = maxAttempts, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) },
            RateLimits = new TcRateLimiterRegistry(_ => 100000),
        };

        public static TcClient For(Uri baseUri, TcClientOptions options = null, string token = null, string secretId = SecretId, string secretKey = SecretKey) =>
            new TcClient(new StaticCredentialProvider(new TcCredential(secretId, secretKey, token), TcCredentialSource.Parameters),
                TcEndpoint.Custom(baseUri), options ?? FastOptions());
    }
}
