using System;
using System.Collections;
using System.Reflection;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Newtonsoft.Json.Serialization;

namespace Port53.Api
{
    /// <summary>
    /// JSON both ways. Requests leave out nulls and empty collections (Tencent rejects some empty arrays, and
    /// an absent field is what every SDK sends). Responses bind case-insensitively (Newtonsoft's default), and a
    /// null or absent collection stays the empty list every wire model starts with (nulls are ignored, and
    /// Newtonsoft fills the existing list), so no caller checks for null.
    /// </summary>
    internal static class TcJson
    {
        private static readonly JsonSerializerSettings RequestSettings = new JsonSerializerSettings
        {
            NullValueHandling = NullValueHandling.Ignore,
            ContractResolver = new SkipEmptyCollectionsResolver(),
            Formatting = Formatting.None,
        };

        private static readonly JsonSerializer ResponseSerializer = JsonSerializer.Create(new JsonSerializerSettings
        {
            NullValueHandling = NullValueHandling.Ignore,
            MissingMemberHandling = MissingMemberHandling.Ignore,
            DateParseHandling = DateParseHandling.None,
        });

        public static string SerializeRequest(object request) =>
            request == null ? "{}" : JsonConvert.SerializeObject(request, RequestSettings);

        public static JsonSerializer ResponseReader => ResponseSerializer;

        /// <summary>The property named <paramref name="name"/> in any letter case.</summary>
        public static JToken Get(JObject obj, string name) =>
            obj?.GetValue(name, StringComparison.OrdinalIgnoreCase);

        private sealed class SkipEmptyCollectionsResolver : DefaultContractResolver
        {
            protected override JsonProperty CreateProperty(MemberInfo member, MemberSerialization memberSerialization)
            {
                JsonProperty property = base.CreateProperty(member, memberSerialization);
                if (property.PropertyType != typeof(string) && typeof(ICollection).IsAssignableFrom(property.PropertyType))
                {
                    IValueProvider values = property.ValueProvider;
                    property.ShouldSerialize = owner => values.GetValue(owner) is ICollection c && c.Count > 0;
                }
                return property;
            }
        }
    }
}
