using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography;
using System.Text;

namespace Port53.Benchmarks.Fleet
{
    /// <summary>
    /// A canonical text of a pipeline object, for telling whether two runs reported the same thing: every
    /// property, recursively (nested objects, lists, dictionaries), sorted by name, with values that differ
    /// between runs by nature left out (times, durations, request ids). For a Test-TcPort53 result that covers
    /// Exposed, the four verdicts and their deciding rules, whatever the properties are called.
    /// </summary>
    internal static class ResultDigest
    {
        private const int MaxDepth = 4;

        /// <summary>Property names whose values are per run, not per fleet.</summary>
        private static readonly string[] VolatileSuffixes = { "RequestId", "Time", "Timestamp", "Elapsed", "Duration", "At" };

        public static string Canonical(object value) => Render(value, 0) ?? "~";

        /// <summary>SHA-256 of <see cref="Canonical"/>, hex: what the fleet benchmark keeps per instance.</summary>
        public static string Hash(object value)
        {
            using (var sha = SHA256.Create())
            {
                byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(Canonical(value)));
                return BitConverter.ToString(hash).Replace("-", "").ToLowerInvariant();
            }
        }

        /// <summary>The property InstanceId of a pipeline object, or null.</summary>
        public static string InstanceIdOf(PSObject o) => o?.Properties["InstanceId"]?.Value?.ToString();

        // Null means "leave this value out".
        private static string Render(object value, int depth)
        {
            // Values are judged by what they wrap; properties are read through the wrapper, which also has the note properties.
            PSObject wrapper = value as PSObject;
            if (wrapper != null && !(wrapper.BaseObject is PSCustomObject)) value = wrapper.BaseObject;
            switch (value)
            {
                case null: return "~";
                case string s: return "\"" + s + "\"";
                case bool b: return b ? "true" : "false";
                case DateTime _:
                case DateTimeOffset _:
                case TimeSpan _:
                    return null;
                case Enum e: return e.ToString();
                case IFormattable f when value.GetType().IsPrimitive || value is decimal: return f.ToString(null, CultureInfo.InvariantCulture);
                case char c: return c.ToString();
            }
            if (depth >= MaxDepth) return "\"" + value + "\"";
            if (value is IDictionary dictionary)
            {
                var entries = new List<string>();
                foreach (DictionaryEntry entry in dictionary)
                {
                    string v = Render(entry.Value, depth + 1);
                    if (v != null) entries.Add(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) + "=" + v);
                }
                entries.Sort(StringComparer.Ordinal);
                return "{" + string.Join(";", entries) + "}";
            }
            if (value is IEnumerable list)
            {
                var items = new List<string>();
                foreach (object item in list) items.Add(Render(item, depth + 1) ?? "~");
                return "[" + string.Join(",", items) + "]";
            }
            var properties = new List<string>();
            foreach (PSPropertyInfo p in (wrapper ?? PSObject.AsPSObject(value)).Properties.Where(p => p.IsGettable).OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                if (VolatileSuffixes.Any(suffix => p.Name.EndsWith(suffix, StringComparison.Ordinal))) continue;
                object v;
                try
                {
                    v = p.Value;
                }
                catch (GetValueException)
                {
                    continue;
                }
                string text = Render(v, depth + 1);
                if (text != null) properties.Add(p.Name + "=" + text);
            }
            return "{" + string.Join(";", properties) + "}";
        }
    }
}
