using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Port53.Emulator.Faults;
using Port53.Emulator.Hosting;
using Port53.Emulator.Model;

namespace Port53.Emulator
{
    /// <summary>
    /// The command line. Prints the listening URL as the first line of stdout (then one JSON line with the
    /// credentials to sign with) and runs until SIGTERM/SIGINT, or stdin closing with --exit-on-stdin-close.
    /// </summary>
    public static class Program
    {
        private const string Usage =
@"Port53.Emulator - a local Tencent Cloud API 3.0 emulator (CVM, VPC security groups, Lighthouse, STS, Organization)

  --port <n>                   port on 127.0.0.1 (0 = any free port; default 0)
  --demo                       serve the built-in demo fleet (the default)
  --fleet <file>               serve a fleet file (docs/emulator.md)
  --generate <spec>            serve a generated fleet: instances=N,regions=N,groups=N,exposed=0.3,lighthouse=N,accounts=N,seed=N
  --dump-demo <file>           write the demo fleet file and exit
  --credential <id>:<key>[:<token>]   also accept this key pair, in the first account (repeatable)
  --no-rate-limit              switch off the rate limits (on by default, Tencent's values per action, access
                               region and SecretId; the access region comes from Host <service>.<region>.tencentcloudapi.com)
  --rate-limit <Action>=<n>    requests per second for one action, per access region and SecretId (repeatable)
  --account-rate-limit [<Action>=]<n>  an account-wide ceiling for one action (or, without Action=, every
                               action) across access regions and SecretIds (repeatable; default none)
  --latency <ms>|<min>-<max>   add fixed or uniformly random latency
  --fault-rate-limit <p>       inject RequestLimitExceeded with probability p
  --fault-internal-error <p>   inject InternalError with probability p
  --fault-502 <p>              answer HTTP 502 with probability p
  --fault-reset <p>            reset the connection with probability p
  --fault-garbled <p>          apply the action, then garble its reply (cut JSON or HTML, HTTP 200) with probability p
  --fault-actions <A,B,...>    restrict the injected faults to these actions
  --concurrent-editor <p>      after a rules read, change the group before the next write with probability p
  --unauthorized <sg-1,sg-2>   writes to these groups fail with AuthFailure.UnauthorizedOperation
  --seed <n>                   seed of the fault sequence (default 1)
  --faults <json>              fault settings as JSON (same shape as GET /_emulator/faults)
  --exit-on-stdin-close        exit when stdin reaches end of file (for a parent that starts the emulator)
";

        public static int Main(string[] args)
        {
            EmulatorOptions options;
            bool exitOnStdinClose;
            try
            {
                (options, exitOnStdinClose, bool done) = Parse(args);
                if (done) return 0;
            }
            catch (Exception ex) when (ex is FormatException || ex is ArgumentException || ex is IOException || ex is JsonException)
            {
                Console.Error.WriteLine("Port53.Emulator: " + ex.Message);
                Console.Error.WriteLine("Run with --help for the options.");
                return 2;
            }
            try
            {
                return Run(options, exitOnStdinClose).GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is IOException || ex is InvalidDataException || ex is JsonException || ex is FormatException)
            {
                Console.Error.WriteLine("Port53.Emulator: " + ex.Message);
                return 1;
            }
        }

        private static async Task<int> Run(EmulatorOptions options, bool exitOnStdinClose)
        {
            var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });

            await using EmulatorServer server = await EmulatorServer.StartAsync(options).ConfigureAwait(false);
            Console.Out.WriteLine(server.BaseUrl.GetLeftPart(UriPartial.Authority));
            Console.Out.WriteLine(JsonSerializer.Serialize(new { Url = server.BaseUrl.GetLeftPart(UriPartial.Authority), server.SecretId, server.SecretKey, server.Token }));
            Console.Out.Flush();

            if (exitOnStdinClose)
            {
                var watcher = new Thread(() =>
                {
                    try
                    {
                        using Stream stdin = Console.OpenStandardInput();
                        var buffer = new byte[256];
                        while (stdin.Read(buffer, 0, buffer.Length) > 0) { }
                    }
                    catch (IOException) { }
                    stop.TrySetResult();
                }) { IsBackground = true, Name = "stdin-watch" };
                watcher.Start();
            }
            await stop.Task.ConfigureAwait(false);
            return 0;
        }

        private static (EmulatorOptions, bool ExitOnStdinClose, bool Done) Parse(string[] args)
        {
            var o = new EmulatorOptions();
            FaultSettings f = o.Faults;
            bool exitOnStdinClose = false;
            int sources = 0;
            for (int i = 0; i < args.Length; i++)
            {
                string a = args[i];
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException(a + " needs a value.");
                switch (a)
                {
                    case "-h": case "--help": case "-?":
                        Console.Out.Write(Usage);
                        return (o, false, true);
                    case "--port": o.Port = Int(a, Value(), 0, 65535); break;
                    case "--demo": sources++; break;
                    case "--fleet": o.FleetPath = Value(); sources++; break;
                    case "--generate": o.Generate = Value(); sources++; break;
                    case "--dump-demo":
                        File.WriteAllBytes(Value(), FleetJson.DemoBytes());
                        return (o, false, true);
                    case "--credential":
                        string[] parts = Value().Split(':');
                        if (parts.Length < 2 || parts.Length > 3 || parts[0].Length == 0 || parts[1].Length == 0)
                            throw new ArgumentException("--credential takes <SecretId>:<SecretKey>[:<Token>].");
                        o.Credentials.Add(new Credential { SecretId = parts[0], SecretKey = parts[1], Token = parts.Length == 3 ? parts[2] : null });
                        break;
                    case "--no-rate-limit": f.RateLimitEnabled = false; break;
                    case "--rate-limit":
                        string spec = Value();
                        int eq = spec.IndexOf('=');
                        if (eq <= 0) throw new ArgumentException("--rate-limit takes <Action>=<requests per second>.");
                        f.RateLimits[spec.Substring(0, eq)] = Int(a, spec.Substring(eq + 1), 1, int.MaxValue);
                        break;
                    case "--account-rate-limit":
                        string ceiling = Value();
                        int sign = ceiling.IndexOf('=');
                        if (sign == 0) throw new ArgumentException("--account-rate-limit takes [<Action>=]<requests per second>.");
                        f.AccountRateLimits[sign < 0 ? "*" : ceiling.Substring(0, sign)] = Int(a, ceiling.Substring(sign + 1), 1, int.MaxValue);
                        break;
                    case "--latency":
                        string latency = Value();
                        int dash = latency.IndexOf('-');
                        f.LatencyMinMs = Int(a, dash < 0 ? latency : latency.Substring(0, dash), 0, int.MaxValue);
                        f.LatencyMaxMs = dash < 0 ? f.LatencyMinMs : Int(a, latency.Substring(dash + 1), f.LatencyMinMs, int.MaxValue);
                        break;
                    case "--fault-rate-limit": f.RequestLimitExceededRate = Rate(a, Value()); break;
                    case "--fault-internal-error": f.InternalErrorRate = Rate(a, Value()); break;
                    case "--fault-502": f.BadGatewayRate = Rate(a, Value()); break;
                    case "--fault-reset": f.ConnectionResetRate = Rate(a, Value()); break;
                    case "--fault-garbled": f.GarbledReplyRate = Rate(a, Value()); break;
                    case "--fault-actions": f.FaultActions = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(); break;
                    case "--concurrent-editor": f.ConcurrentEditorRate = Rate(a, Value()); break;
                    case "--unauthorized": f.UnauthorizedSecurityGroupIds = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList(); break;
                    case "--seed": f.Seed = Int(a, Value(), int.MinValue, int.MaxValue); break;
                    case "--faults": f = f.Merge(Value()); break;
                    case "--exit-on-stdin-close": exitOnStdinClose = true; break;
                    default: throw new ArgumentException("Unknown option '" + a + "'.");
                }
            }
            if (sources > 1) throw new ArgumentException("Give at most one of --demo, --fleet, --generate.");
            f.Validate();
            o.Faults = f;
            return (o, exitOnStdinClose, false);
        }

        private static int Int(string option, string value, int min, int max)
        {
            if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n) || n < min || n > max)
                throw new ArgumentException(option + " needs an integer between " + min + " and " + max + ", got '" + value + "'.");
            return n;
        }

        private static double Rate(string option, string value)
        {
            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double p) || p < 0 || p > 1)
                throw new ArgumentException(option + " needs a probability between 0 and 1, got '" + value + "'.");
            return p;
        }
    }
}
