using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Port53.Emulator.Model;

namespace Port53.Emulator.Api
{
    /// <summary>CVM 2017-03-12: DescribeRegions, DescribeZones, DescribeInstances.</summary>
    internal static class CvmActions
    {
        private static readonly HashSet<string> InstanceFilters = new HashSet<string>(StringComparer.Ordinal)
        {
            "zone", "vpc-id", "subnet-id", "instance-id", "instance-name", "instance-state", "security-group-id",
            "private-ip-address", "public-ip-address", "tag-key", "tag-value",
        };

        public static void DescribeRegions(ApiContext c, Utf8JsonWriter w)
        {
            var regions = c.Store.Fleet.Regions;
            ActionTable.WritePage(w, "RegionSet", regions, 0, int.MaxValue);
        }

        public static void DescribeZones(ApiContext c, Utf8JsonWriter w) =>
            ActionTable.WritePage(w, "ZoneSet", c.RegionData.Zones, 0, int.MaxValue);

        public static void DescribeInstances(ApiContext c, Utf8JsonWriter w)
        {
            List<string> ids = Params.StringList(c.Body, "InstanceIds", 100, ErrorCodes.ValueLimitExceeded);
            List<Filter> filters = Params.Filters(c.Body, n => InstanceFilters.Contains(n) || (n.StartsWith("tag:", StringComparison.Ordinal) && n.Length > 4), ErrorCodes.InvalidFilter);
            if (ids != null && ids.Count > 0 && filters != null && filters.Count > 0)
                throw new ApiException(ErrorCodes.InvalidParameter, "The parameters `InstanceIds` and `Filters` cannot be specified at the same time.");
            var (offset, limit) = Params.Page(Params.Integer(c.Body, "Offset"), Params.Integer(c.Body, "Limit"), ErrorCodes.ValueLimitExceeded);
            if (ids != null)
                foreach (string id in ids)
                    if (!id.StartsWith("ins-", StringComparison.Ordinal) || id.Length < 5)
                        throw new ApiException(ErrorCodes.InvalidInstanceIdMalformed, "The instance id `" + id + "` in `InstanceIds` is malformed.");

            IReadOnlyList<Instance> matches;
            if ((ids == null || ids.Count == 0) && (filters == null || filters.Count == 0)) matches = c.RegionData.Instances;
            else
            {
                string key = Params.Key(c.Region, "ins", ids, filters);
                matches = c.Store.Cached(key, () => Query(c, ids, filters));
            }
            ActionTable.WritePage(w, "InstanceSet", matches, offset, limit);
        }

        private static IReadOnlyList<Instance> Query(ApiContext c, List<string> ids, List<Filter> filters)
        {
            if (ids != null && ids.Count > 0)
                return ids.Distinct(StringComparer.Ordinal)
                    .Select(id => c.Store.Instances.TryGetValue(id, out Instance i) && i.Region == c.Region ? i : null)
                    .Where(i => i != null).ToList();
            return c.RegionData.Instances.Where(i => filters.All(f => Matches(i, f))).ToList();
        }

        private static bool Matches(Instance i, Filter f)
        {
            switch (f.Name)
            {
                case "zone": return f.Values.Contains(i.Placement?.Zone);
                case "vpc-id": return f.Values.Contains(i.VirtualPrivateCloud?.VpcId);
                case "subnet-id": return f.Values.Contains(i.VirtualPrivateCloud?.SubnetId);
                case "instance-id": return f.Values.Contains(i.InstanceId);
                case "instance-name": return f.Values.Contains(i.InstanceName);
                case "instance-state": return f.Values.Contains(i.InstanceState);
                case "security-group-id": return Any(i.SecurityGroupIds, f.Values);
                case "private-ip-address": return Any(i.PrivateIpAddresses, f.Values);
                case "public-ip-address": return Any(i.PublicIpAddresses, f.Values);
                default: return Params.TagsMatch(i.Tags, f);
            }
        }

        private static bool Any(List<string> have, List<string> wanted) => have != null && have.Any(wanted.Contains);
    }
}
