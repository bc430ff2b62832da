using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Newtonsoft.Json.Serialization;

namespace Port53.Api
{
    /// <summary>
    /// JSON both ways. Requests leave out nulls and empty collections (Tencent rejects some empty arrays, and
    /// an absent field is what every SDK sends). Responses bind case-insensitively (Newtonsoft's default) and
    /// every null collection in a wire model is replaced by an empty one, so no caller checks for null.
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

        public static T ToModel<T>(JToken token) where T : class, new()
        {
            T model = token == null || token.Type == JTokenType.Null ? new T() : token.ToObject<T>(ResponseSerializer);
            FillNullCollections(model);
            return model;
        }

        public static JsonSerializer ResponseReader => ResponseSerializer;

        /// <summary>The property named <paramref name="name"/> in any letter case.</summary>
        public static JToken Get(JObject obj, string name) =>
            obj?.GetValue(name, StringComparison.OrdinalIgnoreCase);

        private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Writable = new ConcurrentDictionary<Type, PropertyInfo[]>();

        internal static void FillNullCollections(object model)
        {
            if (model == null) return;
            Type type = model.GetType();
            if (type.Namespace != typeof(TcJson).Namespace + ".Models") return;
            foreach (PropertyInfo p in Writable.GetOrAdd(type, t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                         .Where(x => x.CanRead && x.CanWrite && x.GetIndexParameters().Length == 0).ToArray()))
            {
                object value = p.GetValue(model);
                Type pt = p.PropertyType;
                if (pt.IsGenericType && pt.GetGenericTypeDefinition() == typeof(List<>))
                {
                    if (value == null) p.SetValue(model, Activator.CreateInstance(pt));
                    else foreach (object item in (IEnumerable)value) FillNullCollections(item);
                }
                else if (value != null && !pt.IsValueType && pt != typeof(string))
                {
                    FillNullCollections(value);
                }
            }
        }

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
