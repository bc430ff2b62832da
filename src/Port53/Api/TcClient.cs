using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json;
using Port53.Api.Models;
using Port53.Credentials;
using Port53.Resources;

namespace Port53.Api
{
    /// <summary>Knobs of a client; the defaults are what users get, tests shrink delays and swap the limiter.</summary>
    internal sealed class TcClientOptions
    {
        public TcRetryPolicy Retry { get; set; } = TcRetryPolicy.Default;
        public TcRateLimiterRegistry RateLimits { get; set; } = TcRateLimiterRegistry.Shared;
        /// <summary>Regional host names found not to exist; process-wide, like the budgets.</summary>
        public TcUnresolvedHosts UnresolvedHosts { get; internal set; } = TcUnresolvedHosts.Shared;
        /// <summary>How long one attempt waits for the whole reply (Connect-TcAccount -TimeoutSec).</summary>
        public TimeSpan RequestTimeout { get; set; } = TcHttp.DefaultRequestTimeout;
        public long MaxReplyBytes { get; internal set; } = TcHttp.DefaultMaxReplyBytes;
        public HttpClient Http { get; internal set; } = TcHttp.Shared;
        /// <summary>X-TC-Language; taken from the UI culture of the thread that builds the options.</summary>
        public string Language { get; set; } = TcHttp.LanguageFor(CultureInfo.CurrentUICulture);
        public Func<long> UnixTime { get; internal set; } = () => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        /// <summary>Receives one line per attempt, retry and reply (verbose text, no secrets); called on worker threads.</summary>
        public Action<string> Log { get; set; }
    }

    /// <summary>
    /// Tencent Cloud API 3.0 over HTTP: signs, paces, retries, parses. Thread-safe; one per cmdlet invocation
    /// is cheap because the HttpClient and the rate limiters are process-wide.
    /// </summary>
    internal sealed class TcClient
    {
        public const int MaxPageSize = 100;

        private readonly TcClientOptions _options;

        public TcClient(ITcCredentialProvider credentials, TcEndpoint endpoint, TcClientOptions options = null)
        {
            Credentials = credentials ?? throw new ArgumentNullException(nameof(credentials));
            Endpoint = endpoint ?? TcEndpoint.Regional;
            _options = options ?? new TcClientOptions();
        }

        public ITcCredentialProvider Credentials { get; }
        public TcEndpoint Endpoint { get; }

        /// <summary>
        /// One action, retried and paced; returns the reply's Response object bound to <typeparamref name="T"/>,
        /// RequestId included, or throws TcApiException. The reply is bound straight from its bytes (no text copy,
        /// no JSON tree): at fleet scale this is most of what the client would otherwise allocate.
        /// </summary>
        public async Task<T> CallAsync<T>(string service, string action, string region, object request, CancellationToken cancellationToken)
            where T : TcResponse, new()
        {
            byte[] body = Encoding.UTF8.GetBytes(TcJson.SerializeRequest(request));
            var clock = Stopwatch.StartNew();
            int faults = 0, timeouts = 0;
            for (int attempt = 1; ; attempt++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                TcCredential credential = await Credentials.GetCredentialAsync(cancellationToken).ConfigureAwait(false);
                TcRoute route = Endpoint.Route(service, region, _options.UnresolvedHosts);
                TokenBucket budget = _options.RateLimits.For(route.AccessPoint, credential.SecretId, TencentRateLimits.Key(service, action));
                long sentAt = await budget.WaitAsync(cancellationToken).ConfigureAwait(false);
                if (Logging) Log(Strings.Core.Format("VerboseCall", action, region ?? "-", route.Host, attempt));
                try
                {
                    T response = await ExchangeAsync<T>(route, budget, sentAt, service, action, region, body, credential, cancellationToken).ConfigureAwait(false);
                    if (Logging) Log(Strings.Core.Format("VerboseReply", action, region ?? "-", response.RequestId));
                    return response;
                }
                catch (TcApiException error) when (route.MayFallBack && TcUnresolvedHosts.IsNameNotFound(error))
                {
                    // Nothing was sent: the global name serves this region from now on, at once.
                    _options.UnresolvedHosts.Add(service, region);
                    if (Logging) Log(Strings.Core.Format("VerboseHostFallback", route.Host, Endpoint.Route(service, region, _options.UnresolvedHosts).Host));
                }
                catch (TcApiException error) when (TcRetryPolicy.IsRetryable(error, action))
                {
                    if (!TcRetryPolicy.IsThrottled(error)) faults++;
                    if (IsTimeout(error) && ++timeouts >= _options.Retry.MaxTimeouts) throw;
                    TimeSpan? delay = _options.Retry.NextDelay(attempt, clock.Elapsed, faults);
                    // A refused call goes straight back to its budget, which the refusal has just lowered: the pacing
                    // spaces it, and a pause of its own would only leave that budget idle (at 30 % refusals a fleet
                    // audit spent most of its time in such pauses). Faults keep their backoff: the service is struggling.
                    if (delay != null && TcRetryPolicy.IsThrottled(error)) delay = TimeSpan.Zero;
                    if (delay == null) throw;
                    if (Logging) Log(Strings.Core.Format("VerboseRetry", action, region ?? "-", error.Code, (int)delay.Value.TotalMilliseconds, attempt + 1));
                    await Task.Delay(delay.Value, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        /// <summary>
        /// Pages a Describe action with Limit 100: hands each page to <paramref name="onPage"/> as it arrives and
        /// stops at TotalCount, an empty page or a short page. <paramref name="request"/> builds the body for an
        /// (offset, limit); VPC wants them as strings, CVM as integers, so the caller decides.
        /// Returns the number of items seen.
        /// </summary>
        public async Task<long> PageAsync<TResponse, TItem>(string service, string action, string region,
            Func<int, int, object> request, Action<IReadOnlyList<TItem>> onPage, CancellationToken cancellationToken,
            int pageSize = MaxPageSize, Func<CancellationToken, Task> beforeNextPage = null)
            where TResponse : TcPagedResponse<TItem>, new()
        {
            if (pageSize < 1 || pageSize > MaxPageSize) throw new ArgumentOutOfRangeException(nameof(pageSize));
            int offset = 0;
            while (true)
            {
                TResponse page = await CallAsync<TResponse>(service, action, region, request(offset, pageSize), cancellationToken).ConfigureAwait(false);
                List<TItem> items = page.Items ?? new List<TItem>();
                if (items.Count > 0) onPage(items);
                offset += items.Count;
                if (items.Count < pageSize || (page.TotalCount > 0 && offset >= page.TotalCount)) return offset;
                if (beforeNextPage != null) await beforeNextPage(cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Runs a query as the requests Tencent accepts (see <see cref="TcQuery.Batches"/>), pages each, and hands
        /// over every item once (by <paramref name="idOf"/>) as pages arrive. Returns how many were handed over.
        /// </summary>
        public async Task<long> PageQueryAsync<TResponse, TItem>(string service, string action, string region, TcQuery query,
            string idFilterName, Func<List<string>, List<Filter>, int, int, object> request, Func<TItem, string> idOf,
            Action<IReadOnlyList<TItem>> onPage, CancellationToken cancellationToken, Func<CancellationToken, Task> beforeNextPage = null)
            where TResponse : TcPagedResponse<TItem>, new()
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            long count = 0;
            foreach (var batch in (query ?? new TcQuery()).Batches(idFilterName))
            {
                await PageAsync<TResponse, TItem>(service, action, region,
                    (offset, limit) => request(batch.Ids, batch.Filters, offset, limit),
                    page =>
                    {
                        var fresh = new List<TItem>(page.Count);
                        foreach (TItem item in page)
                        {
                            string id = idOf(item);
                            if (id == null || seen.Add(id)) fresh.Add(item);
                        }
                        count += fresh.Count;
                        if (fresh.Count > 0) onPage(fresh);
                    },
                    cancellationToken, MaxPageSize, beforeNextPage).ConfigureAwait(false);
            }
            return count;
        }

        /// <summary>Sends once and tells the budget how the server answered; a transport failure says nothing about the pace.</summary>
        private async Task<T> ExchangeAsync<T>(TcRoute route, TokenBucket budget, long sentAt, string service, string action, string region, byte[] body,
            TcCredential credential, CancellationToken cancellationToken) where T : TcResponse, new()
        {
            try
            {
                T response = await SendAsync<T>(route, service, action, region, body, credential, cancellationToken).ConfigureAwait(false);
                budget.Answered(refused: false, sentAt);
                return response;
            }
            catch (TcApiException error) when (!error.IsTransport)
            {
                budget.Answered(TcRetryPolicy.IsThrottled(error), sentAt);
                throw;
            }
        }

        // The process's client, with a pool per host named where the address connected to names another (a client given in the options is used as it is).
        private HttpClient HttpFor(TcRoute route) =>
            ReferenceEquals(_options.Http, TcHttp.Shared) && !string.Equals(route.Uri.Authority, route.Host, StringComparison.OrdinalIgnoreCase)
                ? TcHttp.ForNamedHost(route.Host) : _options.Http;

        private async Task<T> SendAsync<T>(TcRoute route, string service, string action, string region, byte[] body,
            TcCredential credential, CancellationToken cancellationToken) where T : TcResponse, new()
        {
            // The Host named may differ from the address connected to (regional+ through an emulator); the
            // signature covers the Host named, which is what the server receives.
            string host = route.Host;
            long timestamp = _options.UnixTime();
            using (var message = new HttpRequestMessage(HttpMethod.Post, route.Uri))
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                message.Content = new ByteArrayContent(body);
                message.Content.Headers.TryAddWithoutValidation("Content-Type", Tc3Signer.JsonContentType);
                message.Headers.Host = host;
                message.Headers.TryAddWithoutValidation("X-TC-Action", action);
                message.Headers.TryAddWithoutValidation("X-TC-Version", TencentApiVersions.Of(service));
                if (!string.IsNullOrEmpty(region)) message.Headers.TryAddWithoutValidation("X-TC-Region", region);
                message.Headers.TryAddWithoutValidation("X-TC-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
                message.Headers.TryAddWithoutValidation("X-TC-Language", _options.Language);
                if (credential.HasToken) message.Headers.TryAddWithoutValidation("X-TC-Token", credential.Token);
                message.Headers.TryAddWithoutValidation("Authorization",
                    Tc3Signer.Authorization(credential.SecretId, credential.SecretKey, service, timestamp, host, Tc3Signer.JsonContentType, body));

                timeout.CancelAfter(_options.RequestTimeout);
                HttpResponseMessage response = null;
                Stream content;
                try
                {
                    // Headers first, then the body read here, in full and under the cap, so a reset mid-body fails
                    // here, as a network error, and the parse below only ever reads memory.
                    response = await HttpFor(route).SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                    content = await ReadCappedAsync(response, action, region, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (!(ex is TcReplyTooLargeException) && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    response?.Dispose();
                    string timedOut = Strings.Core.Format("RequestTimedOut", (int)Math.Ceiling(_options.RequestTimeout.TotalSeconds));
                    throw new TcApiException(TcApiException.ClientNetworkError, timedOut, null, action, region, 0, new TimeoutException(timedOut, ex));
                }
                catch (Exception ex)
                {
                    response?.Dispose();
                    if (ex is HttpRequestException) throw new TcApiException(TcApiException.ClientNetworkError, Innermost(ex).Message, null, action, region, 0, ex);
                    if (ex is IOException) throw new TcApiException(TcApiException.ClientNetworkError, ex.Message, null, action, region, 0, ex);
                    throw;
                }
                using (response)
                using (content)
                {
                    return Parse<T>(content, (int)response.StatusCode, action, region);
                }
            }
        }

        /// <summary>
        /// The whole body in memory, or <see cref="TcReplyTooLargeException"/> as soon as it is known to exceed
        /// <see cref="TcClientOptions.MaxReplyBytes"/>: from Content-Length before reading, else while reading.
        /// </summary>
        private async Task<Stream> ReadCappedAsync(HttpResponseMessage response, string action, string region, CancellationToken token)
        {
            long cap = _options.MaxReplyBytes;
            long? announced = response.Content.Headers.ContentLength;
            if (announced > cap) throw new TcReplyTooLargeException(action, region, cap, announced);
            // Windows PowerShell's handler ignores a token once the headers are in: closing the reply ends a stalled read.
            using (token.Register(response.Dispose))
            using (Stream body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false))
            {
                // Read straight into the buffer the parse reads: no copy, and no second buffer when the length is known.
                byte[] buffer = new byte[announced ?? 16 * 1024];
                int length = 0;
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        // With a Content-Length the body ends there; without one, grow up to one byte past the cap.
                        if (announced.HasValue) break;
                        Array.Resize(ref buffer, (int)Math.Min(cap + 1, buffer.Length * 2L));
                    }
                    int read = await body.ReadAsync(buffer, length, buffer.Length - length, token).ConfigureAwait(false);
                    if (read == 0) break;
                    length += read;
                    if (length > cap) throw new TcReplyTooLargeException(action, region, cap, null);
                }
                return new MemoryStream(buffer, 0, length, writable: false);
            }
        }

        /// <summary>An attempt that got no whole reply within the timeout (as opposed to a refused or reset connection).</summary>
        private static bool IsTimeout(TcApiException error) => error.InnerException is TimeoutException;

        /// <summary>
        /// Tencent answers 200 with either a result or Response.Error; anything else is a transport fault.
        /// The reply bound to <typeparamref name="T"/> as it is read.
        /// </summary>
        internal static T Parse<T>(Stream body, int status, string action, string region) where T : TcResponse, new()
        {
            TcReply<T> reply = null;
            try
            {
                using (var json = new JsonTextReader(new StreamReader(body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1024))
                {
                    DateParseHandling = DateParseHandling.None,
                    CloseInput = true,
                })
                    reply = TcJson.ResponseReader.Deserialize<TcReply<T>>(json);
            }
            catch (JsonException ex)
            {
                if (status == 200) throw Unreadable(action, region, status, ex);
            }
            T response = reply?.Response;
            if (response?.Error != null)
                throw new TcApiException(response.Error.Code, response.Error.Message, response.RequestId, action, region, status == 200 ? 0 : status);
            if (status != 200)
                throw new TcApiException(TcApiException.ServerNetworkError, Strings.Core.Format("ReplyHttpStatus", status), response?.RequestId, action, region, status);
            if (response == null) throw Unreadable(action, region, status, null);
            return response;
        }

        private static TcApiException Unreadable(string action, string region, int status, Exception ex) =>
            new TcApiException(TcApiException.ClientParseError, Strings.Core["ReplyUnreadable"], null, action, region, status, ex);

        private static Exception Innermost(Exception ex)
        {
            while (ex.InnerException != null) ex = ex.InnerException;
            return ex;
        }

        /// <summary>Whether anyone reads the log: the lines are only formatted for a listener.</summary>
        private bool Logging => _options.Log != null;

        private void Log(string line) => _options.Log?.Invoke(line);
    }
}
