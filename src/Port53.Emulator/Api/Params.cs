using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using Port53.Emulator.Model;

namespace Port53.Emulator.Api
{
    /// <summary>
    /// Reading request parameters the way the real gateway checks them: by exact name and JSON type; a null
    /// value counts as absent. Messages name the parameter (with its path) so a client's bug is easy to find.
    /// </summary>
    internal static class Params
    {
        public static bool TryGet(JsonElement obj, string name, out JsonElement value)
        {
            if (obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null) return true;
            value = default;
            return false;
        }

        public static string String(JsonElement obj, string name, string path = null, bool required = false)
        {
            path ??= name;
            if (!TryGet(obj, name, out JsonElement v))
            {
                if (required) throw ApiException.Missing(path);
                return null;
            }
            if (v.ValueKind != JsonValueKind.String) throw ApiException.BadType(path, "a string");
            string s = v.GetString();
            if (required && s.Length == 0) throw ApiException.Missing(path);
            return s;
        }

        public static List<string> StringList(JsonElement obj, string name, int max, string limitCode)
        {
            if (!TryGet(obj, name, out JsonElement v)) return null;
            if (v.ValueKind != JsonValueKind.Array) throw ApiException.BadType(name, "an array of strings");
            var list = new List<string>(v.GetArrayLength());
            int i = 0;
            foreach (JsonElement e in v.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.String) throw ApiException.BadType(name + "." + i, "a string");
                list.Add(e.GetString());
                i++;
            }
            if (list.Count > max) throw ApiException.BadValue(name, "at most " + max + " values are allowed, got " + list.Count + ".", limitCode);
            return list;
        }

        /// <summary>CVM style: Offset/Limit are JSON integers.</summary>
        public static long? Integer(JsonElement obj, string name)
        {
            if (!TryGet(obj, name, out JsonElement v)) return null;
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out long n)) throw ApiException.BadType(name, "an integer");
            return n;
        }

        /// <summary>VPC style: Offset/Limit are strings holding an integer.</summary>
        public static long? IntegerString(JsonElement obj, string name)
        {
            if (!TryGet(obj, name, out JsonElement v)) return null;
            if (v.ValueKind != JsonValueKind.String) throw ApiException.BadType(name, "a string (VPC takes Offset and Limit as strings)");
            if (!long.TryParse(v.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out long n))
                throw ApiException.BadValue(name, "'" + v.GetString() + "' is not a non-negative integer.");
            return n;
        }

        public static (int Offset, int Limit) Page(long? offset, long? limit, string limitCode)
        {
            if (offset < 0) throw ApiException.BadValue("Offset", "must not be negative.");
            if (limit < 1 || limit > 100) throw ApiException.BadValue("Limit", "must be between 1 and 100, got " + limit + ".", limitCode);
            return ((int)Math.Min(offset ?? 0, int.MaxValue), (int)(limit ?? 20));
        }

        public static List<Filter> Filters(JsonElement obj, Func<string, bool> known, string unknownCode)
        {
            if (!TryGet(obj, "Filters", out JsonElement v)) return null;
            if (v.ValueKind != JsonValueKind.Array) throw ApiException.BadType("Filters", "an array of {Name, Values}");
            var filters = new List<Filter>();
            int i = 0;
            foreach (JsonElement f in v.EnumerateArray())
            {
                string path = "Filters." + i;
                if (f.ValueKind != JsonValueKind.Object) throw ApiException.BadType(path, "an object {Name, Values}");
                foreach (JsonProperty p in f.EnumerateObject())
                    if (p.Name != "Name" && p.Name != "Values")
                        throw new ApiException(ErrorCodes.UnknownParameter, "The parameter `" + path + "." + p.Name + "` is not defined.");
                string name = String(f, "Name", path + ".Name", required: true);
                if (!known(name)) throw new ApiException(unknownCode, "The filter `" + name + "` (" + path + ".Name) is not supported by this action.");
                List<string> values = StringList(f, "Values", 5, ErrorCodes.ValueLimitExceeded);
                if (values == null || values.Count == 0) throw ApiException.Missing(path + ".Values");
                filters.Add(new Filter { Name = name, Values = values });
                i++;
            }
            if (filters.Count > 10) throw ApiException.BadValue("Filters", "at most 10 filters are allowed, got " + filters.Count + ".", ErrorCodes.ValueLimitExceeded);
            return filters;
        }

        /// <summary>An object holding no field but <paramref name="fields"/>; any other is UnknownParameter, named with its path.</summary>
        public static void RequireObject(JsonElement e, string path, HashSet<string> fields, string expected)
        {
            if (e.ValueKind != JsonValueKind.Object) throw ApiException.BadType(path, expected);
            foreach (JsonProperty p in e.EnumerateObject())
                if (!fields.Contains(p.Name))
                    throw new ApiException(ErrorCodes.UnknownParameter, "The parameter `" + path + "." + p.Name + "` is not defined.");
        }

        /// <summary>The tag filters every Describe action shares: tag-key, tag-value and tag:&lt;key&gt;.</summary>
        public static bool TagsMatch(List<Tag> tags, Filter f)
        {
            if (tags == null) return false;
            if (f.Name == "tag-key") return tags.Any(t => f.Values.Contains(t.Key));
            if (f.Name == "tag-value") return tags.Any(t => f.Values.Contains(t.Value));
            string key = f.Name.Substring(4);
            return tags.Any(t => t.Key == key && f.Values.Contains(t.Value));
        }

        /// <summary>A stable text form of a query, for the paging cache.</summary>
        public static string Key(string region, string kind, List<string> ids, List<Filter> filters)
        {
            var sb = new System.Text.StringBuilder(region).Append('|').Append(kind);
            if (ids != null) sb.Append("|ids:").Append(string.Join(",", ids));
            if (filters != null)
                foreach (Filter f in filters) sb.Append("|f:").Append(f.Name).Append('=').Append(string.Join("\u0001", f.Values));
            return sb.ToString();
        }
    }
}
