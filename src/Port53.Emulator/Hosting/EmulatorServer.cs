using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Port53.Emulator.Faults;
using Port53.Emulator.Model;

namespace Port53.Emulator.Hosting
{
    /// <summary>
    /// A running emulator on a real socket (127.0.0.1), in this process: what xunit fixtures and the CLI start.
    /// </summary>
    public sealed class EmulatorServer : IDisposable, IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly EmulatorEngine _engine;
        private int _stopped;

        private EmulatorServer(WebApplication app, EmulatorEngine engine, Uri baseUrl)
        {
            _app = app;
            _engine = engine;
            BaseUrl = baseUrl;
        }

        public static async Task<EmulatorServer> StartAsync(EmulatorOptions options = null, CancellationToken cancellationToken = default)
        {
            options ??= new EmulatorOptions();
            var engine = new EmulatorEngine(options);

            // The empty builder: no configuration files or environment, no logging, no console lifetime — the
            // host of this server (a test, the CLI) decides when it stops.
            WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
            builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
            {
                k.AddServerHeader = false;
                k.Listen(IPAddress.Loopback, options.Port);
            });
            builder.Services.AddSingleton<IHostLifetime, HostedLifetime>();
            WebApplication app = builder.Build();
            app.Run(engine.HandleAsync);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);

            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>().Addresses.First();
            var url = new Uri(address.Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1"));
            return new EmulatorServer(app, engine, new Uri("http://127.0.0.1:" + url.Port + "/"));
        }

        /// <summary>http://127.0.0.1:&lt;port&gt;/ — the endpoint to point a Tencent client at.</summary>
        public Uri BaseUrl { get; }
        public int Port => BaseUrl.Port;

        /// <summary>The first account's credentials (the fleet's plus EmulatorOptions.Credentials); other accounts have their own.</summary>
        public IReadOnlyList<Credential> Credentials => _engine.Store.Fleet.Credentials;
        /// <summary>The uins of the fleet's accounts, the first one first.</summary>
        public IReadOnlyList<long> AccountUins => _engine.Accounts.Stores.ConvertAll(s => s.Uin);
        /// <summary>The credentials of one account; null when the fleet has no such account.</summary>
        public IReadOnlyList<Credential> CredentialsOf(long accountUin) => _engine.Accounts.Account(accountUin)?.Fleet.Credentials;
        /// <summary>The first credential: the one to sign with unless a test needs another.</summary>
        public string SecretId => Credentials[0].SecretId;
        public string SecretKey => Credentials[0].SecretKey;
        public string Token => Credentials[0].Token;

        public IReadOnlyList<RequestLogEntry> Requests => _engine.Log.Snapshot();
        public void ClearRequests() => _engine.Log.Clear();

        /// <summary>
        /// The live fault settings: changing a property takes effect on the next request. SetFaults replaces them all
        /// and restarts the seeded sequence and the rate-limit buckets.
        /// </summary>
        public FaultSettings Faults => _engine.Faults.Settings;
        public void SetFaults(FaultSettings settings) => _engine.Faults.Set(settings);
        /// <summary>Applies a change to a copy of the current settings, then SetFaults.</summary>
        public void UpdateFaults(Action<FaultSettings> change)
        {
            FaultSettings copy = _engine.Faults.Settings.Clone();
            change(copy);
            _engine.Faults.Set(copy);
        }

        public IReadOnlyList<ConcurrentEdit> ConcurrentEdits => _engine.ConcurrentEditor.Edits;

        /// <summary>The fleet now, as a fleet file would hold it (a deep copy).</summary>
        public Fleet GetState() => FleetJson.Clone(_engine.Accounts.Snapshot());
        public string GetStateJson() => FleetJson.Serialize(_engine.Accounts.Snapshot());

        /// <summary>The current rules of one group of the first account, or of <paramref name="accountUin"/> (rules numbered by position), or null.</summary>
        public SecurityGroupPolicySet GetPolicies(string securityGroupId, long? accountUin = null)
        {
            FleetStore store = accountUin is long uin ? _engine.Accounts.Account(uin) : _engine.Store;
            if (store == null || !store.SecurityGroups.TryGetValue(securityGroupId, out SecurityGroup g)) return null;
            SecurityGroupPolicySet set = g.SecurityGroupPolicySet;
            return new SecurityGroupPolicySet
            {
                Version = set.Version,
                Ingress = set.Ingress.Select((p, i) => { var c = p.Clone(); c.PolicyIndex = i; return c; }).ToList(),
                Egress = set.Egress.Select((p, i) => { var c = p.Clone(); c.PolicyIndex = i; return c; }).ToList(),
            };
        }

        /// <summary>Binds an instance of the first account to these groups instead (binding order as given); false if there is no such instance.</summary>
        public bool BindSecurityGroups(string instanceId, params string[] securityGroupIds) => _engine.Store.Rebind(instanceId, securityGroupIds);

        /// <summary>Binds an instance of <paramref name="accountUin"/> to these groups instead; false if there is no such account or instance.</summary>
        public bool BindSecurityGroups(long accountUin, string instanceId, params string[] securityGroupIds) =>
            _engine.Accounts.Account(accountUin)?.Rebind(instanceId, securityGroupIds) ?? false;

        /// <summary>Back to the initial fleet; clears concurrent edits, restarts faults' sequence (keeps the request log).</summary>
        public void Reset() => _engine.Reset();

        public async Task StopAsync()
        {
            if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
            using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
                await _app.StopAsync(cts.Token).ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

        public void Dispose() => StopAsync().GetAwaiter().GetResult();

        /// <summary>Does nothing: no Ctrl+C or SIGTERM hooks inside a test process; the CLI installs its own.</summary>
        private sealed class HostedLifetime : IHostLifetime
        {
            public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
            public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        }
    }
}
