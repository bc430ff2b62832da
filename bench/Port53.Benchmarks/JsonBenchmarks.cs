using System.IO;
using System.Text;
using BenchmarkDotNet.Attributes;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Port53.Api.Models;

namespace Port53.Benchmarks
{
    /// <summary>
    /// Deserialising one full DescribeInstances page (Limit 100) into the wire models. The page carries every
    /// field Tencent returns for an instance, most of which the models ignore, because skipping them is part of
    /// the real cost.
    /// </summary>
    [MemoryDiagnoser]
    public class JsonBenchmarks
    {
        private string _page;
        private byte[] _pageBytes;
        private readonly JsonSerializer _serializer = JsonSerializer.CreateDefault();

        public int PageBytes => _pageBytes.Length;

        [GlobalSetup]
        public void Setup()
        {
            _page = BuildPage(100).ToString(Formatting.None);
            _pageBytes = Encoding.UTF8.GetBytes(_page);
            int count = Parse().Response.InstanceSet.Count;
            if (count != 100) throw new System.InvalidOperationException("page has " + count + " instances");
        }

        [Benchmark(Description = "DescribeInstances page (100) from string")]
        public object FromString() => JsonConvert.DeserializeObject<Envelope<DescribeInstancesResponse>>(_page);

        [Benchmark(Description = "DescribeInstances page (100) from UTF-8 stream")]
        public object FromStream() => Parse();

        private Envelope<DescribeInstancesResponse> Parse()
        {
            using (var reader = new JsonTextReader(new StreamReader(new MemoryStream(_pageBytes), Encoding.UTF8)))
            {
                return _serializer.Deserialize<Envelope<DescribeInstancesResponse>>(reader);
            }
        }

        internal static JObject BuildPage(int count)
        {
            var set = new JArray();
            for (int i = 0; i < count; i++)
            {
                string id = "ins-" + (0x1a2b3c00 + i).ToString("x8");
                set.Add(new JObject
                {
                    ["Placement"] = new JObject { ["Zone"] = "ap-guangzhou-" + (3 + i % 4), ["ProjectId"] = 0, ["HostIds"] = null, ["HostIps"] = null, ["HostId"] = null },
                    ["InstanceId"] = id,
                    ["Uuid"] = "68b510db-b4c1-4630-a62b-73d0" + i.ToString("d8"),
                    ["InstanceType"] = i % 3 == 0 ? "S5.MEDIUM4" : "SA2.LARGE8",
                    ["CPU"] = 2 + (i % 3) * 2,
                    ["Memory"] = 4 + (i % 3) * 4,
                    ["RestrictState"] = "NORMAL",
                    ["InstanceName"] = "web-" + i.ToString("d3"),
                    ["InstanceChargeType"] = "POSTPAID_BY_HOUR",
                    ["SystemDisk"] = new JObject { ["DiskType"] = "CLOUD_PREMIUM", ["DiskId"] = "disk-" + i.ToString("x8"), ["DiskSize"] = 50 },
                    ["DataDisks"] = new JArray(new JObject
                    {
                        ["DiskSize"] = 200, ["DiskType"] = "CLOUD_SSD", ["DiskId"] = "disk-d" + i.ToString("x7"),
                        ["DeleteWithInstance"] = true, ["SnapshotId"] = null, ["Encrypt"] = false,
                    }),
                    ["PrivateIpAddresses"] = new JArray("10.0." + (i / 250) + "." + (i % 250 + 4)),
                    ["PublicIpAddresses"] = new JArray("119.29." + (i / 200) + "." + (i % 200 + 10)),
                    ["InternetAccessible"] = new JObject
                    {
                        ["InternetChargeType"] = "TRAFFIC_POSTPAID_BY_HOUR", ["InternetMaxBandwidthOut"] = 100,
                        ["PublicIpAssigned"] = true, ["BandwidthPackageId"] = null,
                    },
                    ["VirtualPrivateCloud"] = new JObject
                    {
                        ["VpcId"] = "vpc-" + (i % 4).ToString("x8"), ["SubnetId"] = "subnet-" + (i % 16).ToString("x8"),
                        ["AsVpcGateway"] = false, ["PrivateIpAddresses"] = null, ["Ipv6AddressCount"] = null,
                    },
                    ["ImageId"] = "img-9qrfy1xt",
                    ["RenewFlag"] = null,
                    ["CreatedTime"] = "2024-11-" + (10 + i % 18) + "T08:" + (10 + i % 50) + ":00Z",
                    ["ExpiredTime"] = null,
                    ["OsName"] = i % 2 == 0 ? "TencentOS Server 3.1 (TK4)" : "Ubuntu Server 22.04 LTS 64bit",
                    ["SecurityGroupIds"] = i % 5 == 0 ? new JArray("sg-base", "sg-app", "sg-dns") : new JArray("sg-mixed20"),
                    ["LoginSettings"] = new JObject { ["Password"] = null, ["KeyIds"] = new JArray("skey-3glfot13"), ["KeepImageLogin"] = null },
                    ["InstanceState"] = "RUNNING",
                    ["Tags"] = new JArray(
                        new JObject { ["Key"] = "env", ["Value"] = i % 4 == 0 ? "staging" : "prod" },
                        new JObject { ["Key"] = "owner", ["Value"] = "team-" + (i % 7) }),
                    ["StopChargingMode"] = "NOT_APPLICABLE",
                    ["LatestOperation"] = "StartInstances",
                    ["LatestOperationState"] = "SUCCESS",
                    ["LatestOperationRequestId"] = "c7de1287-061d-4ace-8caf-6ad8e5a" + i.ToString("d5"),
                    ["DisasterRecoverGroupId"] = "",
                    ["IPv6Addresses"] = i % 3 == 0 ? new JArray("240e:928:101:" + i.ToString("x") + "::1") : null,
                    ["CamRoleName"] = "",
                    ["HpcClusterId"] = "",
                    ["RdmaIpAddresses"] = null,
                    ["IsolatedSource"] = "NOTISOLATED",
                    ["GPUInfo"] = null,
                    ["LicenseType"] = "TencentCloud",
                    ["DisableApiTermination"] = false,
                    ["DefaultLoginUser"] = "root",
                    ["DefaultLoginPort"] = 22,
                    ["LatestOperationErrorMsg"] = "",
                });
            }
            return new JObject
            {
                ["Response"] = new JObject
                {
                    ["TotalCount"] = 1234,
                    ["InstanceSet"] = set,
                    ["RequestId"] = "6ef60bec-0242-43af-bb20-270359fb54a7",
                },
            };
        }
    }

    /// <summary>Tencent's response envelope: {"Response": {..., "RequestId": "..."}}.</summary>
    internal sealed class Envelope<T>
    {
        public T Response { get; set; }
    }
}
