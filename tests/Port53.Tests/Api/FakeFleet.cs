using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Newtonsoft.Json.Linq;
using Port53.Api;

namespace Port53.Tests.Api
{
    /// <summary>
    /// A tiny stateful CVM behind a <see cref="FakeServer"/>: DescribeRegions and DescribeInstances with ids,
    /// the filters Port53 sends, and Offset/Limit paging. Verifies TC3 signatures against its one key, with
    /// the service from the request's credential scope and the Host header as sent.
    /// </summary>
    public sealed class FakeFleet : IDisposable
    {
        public const string SecretId = "AKIDFAKEFLEET0000000000000000EXAMPLE";
        public const string SecretKey = "FleetSecretKeyThatMustNeverLeak1234";

        public FakeServer Server { get; }
        public List<JObject> Regions { get; } = new List<JObject>();
        /// <summary>Instances per region, in the wire shape.</summary>
        public ConcurrentDictionary<string, List<JObject>> Instances { get; } = new ConcurrentDictionary<string, List<JObject>>();
        /// <summary>When set, answers every request instead of the fleet (fault injection).</summary>
        public Func<FakeRequest, FakeReply> Override { get; set; }

        public FakeFleet()
        {
            Server = new FakeServer(Handle);
        }

        public string Endpoint => Server.BaseUri.GetLeftPart(UriPartial.Authority);

        public FakeFleet AddRegion(string region, string state = "AVAILABLE")
        {
            Regions.Add(new JObject { ["Region"] = region, ["RegionName"] = "Name of " + region, ["RegionState"] = state });
            Instances.TryAdd(region, new List<JObject>());
            return this;
        }

        public JObject AddInstance(string region, string id, string name, string state = "RUNNING", string zone = null,
            string[] securityGroups = null, IDictionary<string, string> tags = null, string vpc = "vpc-00000001")
        {
            var instance = new JObject
            {
                ["InstanceId"] = id,
                ["InstanceName"] = name,
                ["InstanceState"] = state,
                ["Placement"] = new JObject { ["Zone"] = zone ?? region + "-1" },
                ["PrivateIpAddresses"] = new JArray("10.0.0." + (Instances[region].Count + 1)),
                ["PublicIpAddresses"] = new JArray("203.0.113." + (Instances[region].Count + 1)),
                ["IPv6Addresses"] = null,
                ["SecurityGroupIds"] = new JArray((securityGroups ?? new[] { "sg-00000001" }).Cast<object>().ToArray()),
                ["VirtualPrivateCloud"] = new JObject { ["VpcId"] = vpc, ["SubnetId"] = "subnet-00000001" },
                ["Tags"] = new JArray((tags ?? new Dictionary<string, string>()).Select(t => new JObject { ["Key"] = t.Key, ["Value"] = t.Value }).Cast<object>().ToArray()),
                ["CreatedTime"] = "2024-05-01T08:00:00Z",
                ["InstanceType"] = "S5.SMALL1",
                ["OsName"] = "Ubuntu",
            };
            Instances[region].Add(instance);
            return instance;
        }

        private FakeReply Handle(FakeRequest request)
        {
            if (Override != null)
            {
                FakeReply reply = Override(request);
                if (reply != null) return reply;
            }
            if (!SignatureValid(request)) return FakeReply.Error("AuthFailure.SignatureFailure", "The provided credentials could not be validated.");
            switch (request.Action)
            {
                case "DescribeRegions":
                    return FakeReply.Ok(new { TotalCount = Regions.Count, RegionSet = Regions });
                case "DescribeInstances":
                    return DescribeInstances(request);
                default:
                    return FakeReply.Error("InvalidAction", "No such action: " + request.Action);
            }
        }

        private bool SignatureValid(FakeRequest request)
        {
            // Credential=<id>/<date>/<service>/tc3_request, SignedHeaders=..., Signature=<hex>
            string auth = request.Authorization ?? string.Empty;
            string[] scope = auth.Split(new[] { "Credential=" }, StringSplitOptions.None).ElementAtOrDefault(1)?.Split(',')[0].Split('/');
            string signature = auth.Split(new[] { "Signature=" }, StringSplitOptions.None).ElementAtOrDefault(1);
            if (scope == null || scope.Length < 4 || scope[0] != SecretId || signature == null) return false;
            long timestamp = long.Parse(request.Timestamp, CultureInfo.InvariantCulture);
            string expected = Tc3Signer.Signature(SecretKey, scope[2], timestamp, request.Host, request.ContentType, request.RawBody);
            return Tc3Signer.SignaturesEqual(expected, signature);
        }

        private FakeReply DescribeInstances(FakeRequest request)
        {
            if (!Instances.TryGetValue(request.Region, out List<JObject> all))
                return FakeReply.Error("InvalidParameterValue", "Unknown region " + request.Region);
            JObject body = request.Body ?? new JObject();
            IEnumerable<JObject> matches = all;
            var ids = body["InstanceIds"]?.Values<string>().ToList();
            var filters = body["Filters"] as JArray;
            if (ids != null && filters != null) return FakeReply.Error("InvalidParameterValue.InstanceIdsAndFilters", "InstanceIds and Filters cannot be given together.");
            if (ids != null) matches = matches.Where(i => ids.Contains((string)i["InstanceId"]));
            foreach (JToken filter in filters ?? new JArray())
            {
                string name = (string)filter["Name"];
                var values = filter["Values"].Values<string>().ToList();
                if (values.Count > 5) return FakeReply.Error("InvalidParameterValue.LimitExceeded", "Too many values");
                matches = matches.Where(i => Matches(i, name, values)).ToList();
            }
            List<JObject> list = matches.ToList();
            int offset = (int)(body["Offset"] ?? 0), limit = (int)(body["Limit"] ?? 20);
            return FakeReply.Ok(new { TotalCount = list.Count, InstanceSet = list.Skip(offset).Take(limit).ToList() });
        }

        private static bool Matches(JObject instance, string name, List<string> values)
        {
            switch (name)
            {
                case "instance-id": return values.Contains((string)instance["InstanceId"]);
                case "instance-name": return values.Any(v => ((string)instance["InstanceName"]).Contains(v));
                case "instance-state": return values.Contains((string)instance["InstanceState"]);
                case "zone": return values.Contains((string)instance["Placement"]["Zone"]);
                case "vpc-id": return values.Contains((string)instance["VirtualPrivateCloud"]["VpcId"]);
                case "tag-key": return instance["Tags"].Any(t => values.Contains((string)t["Key"]));
            }
            if (name.StartsWith("tag:", StringComparison.Ordinal))
                return instance["Tags"].Any(t => (string)t["Key"] == name.Substring(4) && values.Contains((string)t["Value"]));
            return false;
        }

        public void Dispose() => Server.Dispose();
    }
}
