using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Port53.Emulator.Faults;
using Port53.Emulator.Generator;
using Port53.Emulator.Model;

namespace Port53.Emulator.Hosting
{
    /// <summary>How to start an emulator. The fleet is the first of Fleet, FleetPath, Generate that is set; else the demo fleet.</summary>
    public sealed class EmulatorOptions
    {
        public const string DefaultSecretId = "AKIDPort53EmulatorDefaultKey00000000";
        public const string DefaultSecretKey = "Port53EmulatorDefaultSecretKey00";
        /// <summary>The uin of a fleet's first account when the file gives none (every single-account file).</summary>
        public const long DefaultAccountUin = 100000000001;

        /// <summary>TCP port on 127.0.0.1; 0 picks a free one (read it back from EmulatorServer.BaseUrl).</summary>
        public int Port { get; set; }
        public Fleet Fleet { get; set; }
        public string FleetPath { get; set; }
        /// <summary>A generator spec: "instances=N,regions=N,groups=N,exposed=0.3,seed=N".</summary>
        public string Generate { get; set; }
        /// <summary>Added to the fleet's Credentials; when both are empty the default pair is used.</summary>
        public List<Credential> Credentials { get; set; } = new List<Credential>();
        public FaultSettings Faults { get; set; } = new FaultSettings();
        /// <summary>The clock for signature expiry, rate-limit buckets and ModifyTime; tests may freeze it.</summary>
        public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
        /// <summary>Allowed difference between X-TC-Timestamp and the clock (Tencent: 5 minutes).</summary>
        public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);
        /// <summary>Rules per direction per group (Tencent's default quota: 100).</summary>
        public int PolicyLimitPerDirection { get; set; } = 100;
        /// <summary>The request log keeps this many latest entries.</summary>
        public int RequestLogCapacity { get; set; } = 100_000;

        /// <summary>Demo fleet, no rate limits, no latency: what most tests want.</summary>
        public static EmulatorOptions ForTests() => new EmulatorOptions { Faults = FaultSettings.NoRateLimits() };

        /// <summary>A factory for the initial fleet, so POST /_emulator/reset can rebuild it.</summary>
        internal Func<Fleet> FleetFactory()
        {
            Func<Fleet> source;
            if (Fleet != null)
            {
                byte[] bytes = FleetJson.SerializeToUtf8(Fleet);
                source = () => FleetJson.Parse(bytes);
            }
            else if (!string.IsNullOrEmpty(FleetPath))
            {
                byte[] bytes = File.ReadAllBytes(FleetPath);
                FleetJson.Parse(bytes);
                source = () => FleetJson.Parse(bytes);
            }
            else if (!string.IsNullOrEmpty(Generate))
            {
                GeneratorSpec spec = GeneratorSpec.Parse(Generate);
                source = () => FleetGenerator.Generate(spec);
            }
            else source = FleetJson.Demo;

            var extra = new List<Credential>(Credentials ?? new List<Credential>());
            return () =>
            {
                Fleet fleet = source();
                // Extra keys and the default pair belong to the first account, the one a started emulator connects with.
                AccountFleet first = fleet.AllAccounts().FirstOrDefault() ?? fleet;
                first.Credentials.AddRange(extra.ConvertAll(c => new Credential { SecretId = c.SecretId, SecretKey = c.SecretKey, Token = c.Token }));
                if (first.Credentials.Count == 0) first.Credentials.Add(new Credential { SecretId = DefaultSecretId, SecretKey = DefaultSecretKey });
                return fleet;
            };
        }
    }
}
