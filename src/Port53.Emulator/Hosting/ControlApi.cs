using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Port53.Emulator.Model;

namespace Port53.Emulator.Hosting
{
    /// <summary>
    /// /_emulator/*: inspection and control for tests and tools, unsigned: the emulator listens on loopback only, and
    /// <see cref="ControlGuard"/> keeps web pages out.
    /// </summary>
    internal sealed class ControlApi
    {
        internal static readonly JsonSerializerOptions JsonOptions = new JsonSerializerOptions { WriteIndented = true };
        private readonly EmulatorEngine _engine;

        public ControlApi(EmulatorEngine engine) => _engine = engine;

        public async Task HandleAsync(HttpContext http, string path)
        {
            string refusal = ControlGuard.Refusal(http.Request, http.Connection.LocalPort, out int refusedWith);
            if (refusal != null)
            {
                await Json(http, refusedWith, new { Error = refusal });
                return;
            }
            string route = path.TrimEnd('/');
            string method = http.Request.Method;
            switch (route)
            {
                case "/_emulator/health" when HttpMethods.IsGet(method):
                    FleetStore store = _engine.Store;
                    await Json(http, 200, new
                    {
                        Status = "ok",
                        Regions = store.Regions.Count,
                        Instances = store.Instances.Count,
                        SecurityGroups = store.SecurityGroups.Count,
                        Accounts = _engine.Accounts.Stores.Count,
                        Requests = _engine.Log.Count,
                    });
                    return;
                case "/_emulator/requests" when HttpMethods.IsGet(method):
                    await Json(http, 200, _engine.Log.Snapshot());
                    return;
                case "/_emulator/requests" when HttpMethods.IsDelete(method):
                    _engine.Log.Clear();
                    http.Response.StatusCode = 204;
                    return;
                case "/_emulator/state" when HttpMethods.IsGet(method):
                    await Raw(http, 200, FleetJson.SerializeToUtf8(WithMaskedSecrets(_engine.Accounts.Snapshot())));
                    return;
                case "/_emulator/reset" when HttpMethods.IsPost(method):
                    _engine.Reset();
                    http.Response.StatusCode = 204;
                    return;
                case "/_emulator/faults" when HttpMethods.IsGet(method):
                    await Raw(http, 200, Encoding.UTF8.GetBytes(_engine.Faults.Settings.ToJson()));
                    return;
                case "/_emulator/faults" when HttpMethods.IsPost(method):
                    string patch;
                    using (var reader = new StreamReader(http.Request.Body, Encoding.UTF8)) patch = await reader.ReadToEndAsync();
                    try
                    {
                        _engine.Faults.Set(_engine.Faults.Settings.Merge(string.IsNullOrWhiteSpace(patch) ? "{}" : patch));
                    }
                    catch (ArgumentException ex)
                    {
                        await Json(http, 400, new { Error = ex.Message });
                        return;
                    }
                    await Raw(http, 200, Encoding.UTF8.GetBytes(_engine.Faults.Settings.ToJson()));
                    return;
                case "/_emulator/concurrent-edits" when HttpMethods.IsGet(method):
                    await Json(http, 200, _engine.ConcurrentEditor.Edits);
                    return;
                default:
                    await Json(http, 404, new
                    {
                        Error = "Unknown control endpoint " + method + " " + path,
                        Endpoints = new[] { "GET health", "GET requests", "DELETE requests", "GET state", "POST reset", "GET faults", "POST faults", "GET concurrent-edits" },
                    });
                    return;
            }
        }

        /// <summary>
        /// The state with each SecretKey and Token cut to its first four characters: enough to tell keys apart, not to
        /// sign with. The snapshot shares the fleet's credential objects, so masked copies replace them.
        /// </summary>
        private static Fleet WithMaskedSecrets(Fleet fleet)
        {
            foreach (AccountFleet account in fleet.AllAccounts())
                account.Credentials = account.Credentials.Select(c => new Credential { SecretId = c.SecretId, SecretKey = Mask(c.SecretKey), Token = Mask(c.Token) }).ToList();
            return fleet;
        }

        private static string Mask(string secret) =>
            secret == null ? null : (secret.Length > 8 ? secret.Substring(0, 4) : string.Empty) + "****";

        private static Task Json<T>(HttpContext http, int status, T value) =>
            Raw(http, status, JsonSerializer.SerializeToUtf8Bytes(value, JsonOptions));

        private static async Task Raw(HttpContext http, int status, byte[] json)
        {
            http.Response.StatusCode = status;
            http.Response.ContentType = "application/json";
            http.Response.ContentLength = json.Length;
            await http.Response.Body.WriteAsync(json);
        }
    }
}
