using System.Collections.Generic;
using System.Linq;
using System.Security;
using Port53.Tests.Api;
using Port53.Tests.Hosting;

namespace Port53.Tests.Cmdlets
{
    /// <summary>
    /// A hosted PowerShell engine with the module, plus a fake CVM fleet on loopback:
    /// ap-guangzhou (3 instances), ap-shanghai (2), ap-chengdu (150, to page), ap-beijing (unavailable, 1).
    /// </summary>
    public sealed class FleetSession : PowerShellSession
    {
        public FakeFleet Fleet { get; } = new FakeFleet();

        public FleetSession()
        {
            Fleet.AddRegion("ap-guangzhou").AddRegion("ap-shanghai").AddRegion("ap-chengdu").AddRegion("ap-beijing", "UNAVAILABLE");
            Fleet.AddInstance("ap-guangzhou", "ins-gz000001", "web-1", zone: "ap-guangzhou-3", securityGroups: new[] { "sg-0000000b", "sg-0000000a" },
                tags: new Dictionary<string, string> { ["env"] = "prod", ["team"] = "dns" });
            Fleet.AddInstance("ap-guangzhou", "ins-gz000002", "db-1", state: "STOPPED", zone: "ap-guangzhou-4", tags: new Dictionary<string, string> { ["env"] = "test" });
            Fleet.AddInstance("ap-guangzhou", "ins-gz000003", "db-10", zone: "ap-guangzhou-3", vpc: "vpc-00000002");
            Fleet.AddInstance("ap-shanghai", "ins-sh000001", "web-sh-1");
            Fleet.AddInstance("ap-shanghai", "ins-sh000002", "web-sh-2");
            for (int i = 0; i < 150; i++) Fleet.AddInstance("ap-chengdu", "ins-cd" + i.ToString("d6"), "batch-" + i);
            Fleet.AddInstance("ap-beijing", "ins-bj000001", "old");
        }

        public static SecureString Secure(string text)
        {
            var secure = new SecureString();
            foreach (char c in text) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }

        /// <summary>Variables for scripts: $id, $key (SecureString), $ep (the fleet's endpoint).</summary>
        public Dictionary<string, object> Variables(string key = FakeFleet.SecretKey) => new Dictionary<string, object>
        {
            ["id"] = FakeFleet.SecretId,
            ["key"] = Secure(key),
            ["ep"] = Fleet.Endpoint,
        };

        public const string Connect = "Connect-TcAccount -SecretId $id -SecretKey $key -Endpoint $ep -Region ap-guangzhou\n";

        public PsResult RunConnected(string script) => Run(Connect + script, Variables());

        public int CountOf(string action) => Fleet.Server.Requests.Count(r => r.Action == action);

        public override void Dispose()
        {
            base.Dispose();
            Fleet.Dispose();
        }
    }
}
