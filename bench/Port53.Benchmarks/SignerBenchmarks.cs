using System.Text;
using BenchmarkDotNet.Attributes;
using Port53.Api;

namespace Port53.Benchmarks
{
    /// <summary>Tc3Signer.Signature: paid once per API call (and once per verified request in the emulator).</summary>
    [MemoryDiagnoser]
    public class SignerBenchmarks
    {
        private const string SecretKey = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
        private const string Host = "cvm.tencentcloudapi.com";
        private const long Timestamp = 1751500800;

        private byte[] _describeInstances;
        private byte[] _tenKb;

        /// <summary>Body sizes, printed by the `scenarios` command so the README can quote them.</summary>
        public int DescribeInstancesBytes => _describeInstances.Length;
        public int TenKbBytes => _tenKb.Length;

        [GlobalSetup]
        public void Setup()
        {
            _describeInstances = Encoding.UTF8.GetBytes(
                "{\"Filters\":[{\"Name\":\"instance-state\",\"Values\":[\"RUNNING\",\"STOPPED\"]}],\"Offset\":0,\"Limit\":100}");
            // A ModifySecurityGroupPolicies-sized body: padded with realistic policy JSON to exactly 10 KiB.
            var sb = new StringBuilder("{\"SecurityGroupId\":\"sg-quota100\",\"SecurityGroupPolicySet\":{\"Version\":\"17\",\"Ingress\":[");
            for (int i = 0; sb.Length < 10 * 1024; i++)
            {
                if (i > 0) sb.Append(',');
                sb.Append("{\"PolicyIndex\":").Append(i).Append(",\"Protocol\":\"TCP\",\"Port\":\"").Append(1000 + i)
                  .Append("\",\"CidrBlock\":\"203.0.").Append(i % 256).Append(".0/24\",\"Action\":\"ACCEPT\",\"PolicyDescription\":\"app\"}");
            }
            sb.Append("]}}");
            _tenKb = Encoding.UTF8.GetBytes(sb.ToString(0, 10 * 1024));
        }

        [Benchmark(Description = "Tc3Signer.Signature, DescribeInstances body")]
        public string DescribeInstances() => Tc3Signer.Signature(SecretKey, "cvm", Timestamp, Host, Tc3Signer.JsonContentType, _describeInstances);

        [Benchmark(Description = "Tc3Signer.Signature, 10 KiB body")]
        public string TenKb() => Tc3Signer.Signature(SecretKey, "vpc", Timestamp, "vpc.tencentcloudapi.com", Tc3Signer.JsonContentType, _tenKb);
    }
}
