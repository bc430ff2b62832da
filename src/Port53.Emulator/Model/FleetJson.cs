using System;
using System.Collections.Generic;
using System.Linq;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Port53.Emulator.Model
{
    /// <summary>Reading and writing fleet files, and the JSON settings the wire uses for the same records.</summary>
    public static class FleetJson
    {
        /// <summary>Fleet files: hand-written friendly on input, compact (no nulls) and indented on output.</summary>
        public static JsonSerializerOptions FileOptions { get; } = new JsonSerializerOptions
        {
            PropertyNameCaseInsensitive = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { AbsentListsStayNull } },
        };

        /// <summary>
        /// The shared wire models start every list empty, which the client wants; a fleet file wants a list it leaves
        /// out to stay absent, so that the record is served as written (an instance without PublicIpAddresses answers
        /// null, as Tencent does) and round-trips unchanged.
        /// </summary>
        private static void AbsentListsStayNull(JsonTypeInfo info)
        {
            if (info.Kind != JsonTypeInfoKind.Object || info.CreateObject == null) return;
            JsonPropertyInfo[] lists = info.Properties
                .Where(p => p.Set != null && p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(List<>))
                .ToArray();
            if (lists.Length == 0) return;
            Func<object> create = info.CreateObject;
            info.CreateObject = () =>
            {
                object record = create();
                foreach (JsonPropertyInfo list in lists) list.Set(record, null);
                return record;
            };
        }

        /// <summary>
        /// Responses: records as Tencent returns them. Nulls stay (PublicIpAddresses is null for an instance without
        /// one), and the emulator's bookkeeping fields (Region, a group's rules, a Lighthouse instance's firewall) are
        /// not part of Describe* items.
        /// </summary>
        internal static JsonSerializerOptions WireOptions { get; } = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { HideBookkeeping } },
        };

        private static void HideBookkeeping(JsonTypeInfo info)
        {
            if (info.Kind != JsonTypeInfoKind.Object || info.Type == typeof(RegionInfo) || info.Type == typeof(LighthouseRegionInfo)) return;
            for (int i = info.Properties.Count - 1; i >= 0; i--)
            {
                string name = info.Properties[i].Name;
                if (name == "Region" || (info.Type == typeof(SecurityGroup) && name == "SecurityGroupPolicySet") ||
                    (info.Type == typeof(LighthouseInstance) && (name == "FirewallVersion" || name == "FirewallRuleSet")))
                    info.Properties.RemoveAt(i);
            }
        }

        public static Fleet Parse(string json) => Normalise(JsonSerializer.Deserialize<Fleet>(json, FileOptions));

        public static Fleet Parse(byte[] utf8) => Normalise(JsonSerializer.Deserialize<Fleet>(utf8, FileOptions));

        public static Fleet Load(string path) => Parse(File.ReadAllBytes(path));

        public static string Serialize(Fleet fleet) => JsonSerializer.Serialize(fleet, FileOptions);

        public static byte[] SerializeToUtf8(Fleet fleet) => JsonSerializer.SerializeToUtf8Bytes(fleet, FileOptions);

        /// <summary>A deep copy, through JSON so unknown fields are copied too.</summary>
        public static Fleet Clone(Fleet fleet) => Parse(SerializeToUtf8(fleet));

        /// <summary>The built-in demo fleet (an embedded resource; docs/emulator.md tabulates it).</summary>
        public static Fleet Demo() => Parse(DemoBytes());

        public static byte[] DemoBytes()
        {
            using (Stream s = typeof(FleetJson).Assembly.GetManifestResourceStream("Port53.Emulator.demo-fleet.json"))
            {
                if (s == null) throw new InvalidOperationException("The demo fleet resource is missing from the emulator assembly.");
                using (var ms = new MemoryStream())
                {
                    s.CopyTo(ms);
                    return ms.ToArray();
                }
            }
        }

        private static Fleet Normalise(Fleet fleet)
        {
            if (fleet == null) throw new InvalidDataException("The fleet file is empty (JSON null).");
            fleet.FillAbsentLists();
            foreach (FleetAccount account in fleet.Accounts ?? new System.Collections.Generic.List<FleetAccount>())
            {
                if (account == null) throw new InvalidDataException("Fleet: Accounts holds a null item.");
                account.FillAbsentLists();
            }
            return fleet;
        }
    }
}
