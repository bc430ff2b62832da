using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Port53.Tests.Api
{
    /// <summary>What the fake server saw of one request.</summary>
    public sealed class FakeRequest
    {
        public string Method { get; set; }
        public string Path { get; set; }
        public string Host { get; set; }
        public string ContentType { get; set; }
        public string Action { get; set; }
        public string Version { get; set; }
        public string Region { get; set; }
        public string Timestamp { get; set; }
        public string Token { get; set; }
        public string Language { get; set; }
        public string Authorization { get; set; }
        public byte[] RawBody { get; set; }
        /// <summary>The server's id of the connection the request came on.</summary>
        public string ConnectionId { get; set; }
        public JObject Body { get; set; }

        /// <summary>The service named in the Authorization credential scope.</summary>
        public string ScopeService => Authorization?.Split('/').ElementAtOrDefault(2);
    }

    /// <summary>How the fake server answers.</summary>
    public sealed class FakeReply
    {
        public int Status { get; private set; } = 200;
        public string Body { get; private set; } = string.Empty;
        public bool Reset { get; private set; }
        public bool Hang { get; private set; }

        /// <summary>Tencent's success shape: {"Response": {...fields, "RequestId"}}.</summary>
        public static FakeReply Ok(object fields = null, string requestId = null)
        {
            JObject response = fields == null ? new JObject() : JObject.FromObject(fields);
            response["RequestId"] = requestId ?? Guid.NewGuid().ToString();
            return new FakeReply { Body = new JObject { ["Response"] = response }.ToString(Formatting.None) };
        }

        /// <summary>Tencent's failure shape: HTTP 200 with Response.Error.</summary>
        public static FakeReply Error(string code, string message = "failed", string requestId = null) =>
            new FakeReply
            {
                Body = new JObject
                {
                    ["Response"] = new JObject
                    {
                        ["Error"] = new JObject { ["Code"] = code, ["Message"] = message },
                        ["RequestId"] = requestId ?? Guid.NewGuid().ToString(),
                    },
                }.ToString(Formatting.None),
            };

        public static FakeReply Raw(string body, int status = 200) => new FakeReply { Body = body, Status = status };
        public static FakeReply HttpStatus(int status) => new FakeReply { Status = status, Body = "<html>bad gateway</html>" };
        public static FakeReply ConnectionReset() => new FakeReply { Reset = true };
        /// <summary>Never answers: holds the request until the client gives up.</summary>
        public static FakeReply NoAnswer() => new FakeReply { Hang = true };

        /// <summary>A 200 reply of <paramref name="bytes"/> bytes, written 64 KB at a time, with or without a Content-Length.</summary>
        public static FakeReply Huge(long bytes, bool announceLength) => new FakeReply { HugeBytes = bytes, AnnounceLength = announceLength };

        public long HugeBytes { get; private set; }
        public bool AnnounceLength { get; private set; }

        internal async Task WriteHugeAsync(HttpContext context)
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            if (AnnounceLength) context.Response.ContentLength = HugeBytes;
            var chunk = Encoding.ASCII.GetBytes(new string(' ', 64 * 1024));
            try
            {
                for (long written = 0; written < HugeBytes && !context.RequestAborted.IsCancellationRequested; written += chunk.Length)
                    await context.Response.Body.WriteAsync(chunk, 0, (int)Math.Min(chunk.Length, HugeBytes - written), context.RequestAborted);
            }
            catch (Exception ex) when (ex is OperationCanceledException || ex is IOException)
            {
                // The client hung up.
            }
        }
    }

    /// <summary>
    /// A loopback HTTP server (Kestrel, 127.0.0.1, a free port) that records every request and answers with a
    /// handler the test supplies.
    /// </summary>
    public sealed class FakeServer : IDisposable
    {
        private readonly WebApplication _app;
        private readonly Func<FakeRequest, FakeReply> _handler;

        public ConcurrentQueue<FakeRequest> Requests { get; } = new ConcurrentQueue<FakeRequest>();
        public Uri BaseUri { get; }
        public int RequestCount => Requests.Count;

        /// <summary>Signalled on each request, for tests that wait for "the server saw it".</summary>
        public SemaphoreSlim Arrived { get; } = new SemaphoreSlim(0);

        public FakeServer(Func<FakeRequest, FakeReply> handler)
        {
            _handler = handler;
            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
            _app = builder.Build();
            _app.Run(HandleAsync);
            _app.StartAsync().GetAwaiter().GetResult();
            BaseUri = new Uri(_app.Urls.First());
        }

        private async Task HandleAsync(HttpContext context)
        {
            var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            byte[] raw = buffer.ToArray();
            HttpRequest r = context.Request;
            var seen = new FakeRequest
            {
                Method = r.Method,
                Path = r.Path.Value,
                Host = r.Headers.Host.ToString(),
                ContentType = r.Headers.ContentType.ToString(),
                Action = r.Headers["X-TC-Action"].ToString(),
                Version = r.Headers["X-TC-Version"].ToString(),
                Region = r.Headers["X-TC-Region"].ToString(),
                Timestamp = r.Headers["X-TC-Timestamp"].ToString(),
                Token = r.Headers["X-TC-Token"].ToString(),
                Language = r.Headers["X-TC-Language"].ToString(),
                Authorization = r.Headers.Authorization.ToString(),
                RawBody = raw,
                ConnectionId = context.Connection.Id,
            };
            if (raw.Length > 0 && r.Method == "POST")
            {
                try
                {
                    seen.Body = JObject.Parse(Encoding.UTF8.GetString(raw));
                }
                catch (JsonException)
                {
                }
            }
            Requests.Enqueue(seen);
            Arrived.Release();
            FakeReply reply = _handler(seen);
            if (reply.Reset)
            {
                context.Abort();
                return;
            }
            if (reply.Hang)
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                }
                return;
            }
            if (reply.HugeBytes > 0)
            {
                await reply.WriteHugeAsync(context);
                return;
            }
            context.Response.StatusCode = reply.Status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(reply.Body);
        }

        public void Dispose()
        {
            using (var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(5))) _app.StopAsync(giveUp.Token).GetAwaiter().GetResult();
            ((IDisposable)_app).Dispose();
        }
    }
}
