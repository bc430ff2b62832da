using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Port53.Emulator.Model;

namespace Port53.Emulator.Api
{
    /// <summary>VPC parameter templates: service (protocol:port) and address templates, and their groups.</summary>
    internal static class TemplateActions
    {
        public static void DescribeServiceTemplates(ApiContext c, Utf8JsonWriter w) =>
            Describe(c, w, "ServiceTemplateSet", c.RegionData.ServiceTemplates, "st", new Dictionary<string, Func<ServiceTemplate, string, bool>>
            {
                ["service-template-id"] = (t, v) => t.ServiceTemplateId == v,
                ["service-template-name"] = (t, v) => t.ServiceTemplateName == v,
                ["service-port"] = (t, v) => t.ServiceSet != null && t.ServiceSet.Any(s => s.Replace(" ", "").Equals(v.Replace(" ", ""), StringComparison.OrdinalIgnoreCase)),
            }, null);

        public static void DescribeServiceTemplateGroups(ApiContext c, Utf8JsonWriter w) =>
            Describe(c, w, "ServiceTemplateGroupSet", c.RegionData.ServiceTemplateGroups, "stg", new Dictionary<string, Func<ServiceTemplateGroup, string, bool>>
            {
                ["service-template-group-id"] = (t, v) => t.ServiceTemplateGroupId == v,
                ["service-template-group-name"] = (t, v) => t.ServiceTemplateGroupName == v,
                ["service-template-id"] = (t, v) => t.ServiceTemplateIdSet != null && t.ServiceTemplateIdSet.Contains(v),
            }, (g, node) => node["ServiceTemplateSet"] = Members(g.ServiceTemplateIdSet, c.Store.ServiceTemplates));

        public static void DescribeAddressTemplates(ApiContext c, Utf8JsonWriter w) =>
            Describe(c, w, "AddressTemplateSet", c.RegionData.AddressTemplates, "at", new Dictionary<string, Func<AddressTemplate, string, bool>>
            {
                ["address-template-id"] = (t, v) => t.AddressTemplateId == v,
                ["address-template-name"] = (t, v) => t.AddressTemplateName == v,
                ["address-ip"] = (t, v) => t.AddressSet != null && t.AddressSet.Contains(v),
            }, null);

        public static void DescribeAddressTemplateGroups(ApiContext c, Utf8JsonWriter w) =>
            Describe(c, w, "AddressTemplateGroupSet", c.RegionData.AddressTemplateGroups, "atg", new Dictionary<string, Func<AddressTemplateGroup, string, bool>>
            {
                ["address-template-group-id"] = (t, v) => t.AddressTemplateGroupId == v,
                ["address-template-group-name"] = (t, v) => t.AddressTemplateGroupName == v,
                ["address-template-id"] = (t, v) => t.AddressTemplateIdSet != null && t.AddressTemplateIdSet.Contains(v),
            }, (g, node) => node["AddressTemplateSet"] = Members(g.AddressTemplateIdSet, c.Store.AddressTemplates));

        private static JsonArray Members<T>(List<string> ids, Dictionary<string, T> index)
        {
            var array = new JsonArray();
            foreach (string id in ids ?? new List<string>())
                if (index.TryGetValue(id, out T t)) array.Add(JsonSerializer.SerializeToNode(t, FleetJson.WireOptions));
            return array;
        }

        private static void Describe<T>(ApiContext c, Utf8JsonWriter w, string setName, List<T> all, string kind,
            Dictionary<string, Func<T, string, bool>> filterMap, Action<T, JsonObject> decorate)
        {
            List<Filter> filters = Params.Filters(c.Body, filterMap.ContainsKey, ErrorCodes.FilterInvalidKey);
            var (offset, limit) = Params.Page(Params.IntegerString(c.Body, "Offset"), Params.IntegerString(c.Body, "Limit"), ErrorCodes.ValueRange);
            IReadOnlyList<T> matches = filters == null || filters.Count == 0 ? all
                : c.Store.Cached(Params.Key(c.Region, kind, null, filters), () => all.Where(t => filters.All(f => f.Values.Any(v => filterMap[f.Name](t, v)))).ToList());
            if (decorate == null)
            {
                ActionTable.WritePage(w, setName, matches, offset, limit);
                return;
            }
            w.WriteNumber("TotalCount", matches.Count);
            w.WriteStartArray(setName);
            for (int i = offset; i < matches.Count && i < (long)offset + limit; i++)
            {
                JsonObject node = JsonSerializer.SerializeToNode(matches[i], FleetJson.WireOptions).AsObject();
                decorate(matches[i], node);
                node.WriteTo(w);
            }
            w.WriteEndArray();
        }
    }
}
