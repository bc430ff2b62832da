using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using Port53.Analysis;
using Port53.Api.Models;
using Port53.Emulator.Hosting;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Cmdlets
{
    /// <summary>
    /// An in-process emulator (demo fleet, rate limits off) and a hosted PowerShell engine connected to it, shared
    /// by one test class. Tests call Restore() first.
    /// </summary>
    public class RemediationSession : EmulatorFixture, IAsyncLifetime
    {
        public PowerShellSession Ps { get; private set; }

        public new async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Ps = new PowerShellSession();
            var r = Ps.Run("Connect-TcAccount -SecretId $id -SecretKey $key -Endpoint $ep -Region ap-guangzhou", new Dictionary<string, object>
            {
                ["id"] = Server.SecretId,
                ["key"] = FleetSession.Secure(Server.SecretKey),
                ["ep"] = BaseUrl.ToString().TrimEnd('/'),
            });
            r.AssertNoErrors();
        }

        public new async Task DisposeAsync()
        {
            Ps?.Dispose();
            await base.DisposeAsync();
        }

        public PsResult Run(string script, IEnumerable<int> answers = null) => Ps.Run(script, null, answers);

        /// <summary>The change records a script wrote (-PassThru), each checked to be one.</summary>
        public static Port53.Model.TcPort53Change[] Changes(PsResult r) => r.Output.Select(o => Assert.IsType<Port53.Model.TcPort53Change>(o.BaseObject)).ToArray();

        private static readonly string[] Writes = { "CreateSecurityGroupPolicies", "DeleteSecurityGroupPolicies", "ReplaceSecurityGroupPolicies", "ModifySecurityGroupPolicies" };

        /// <summary>Write requests the emulator received (answered or not) since the log was last cleared.</summary>
        public int WriteRequests => Server.Requests.Count(r => IsWrite(r.Action));

        public static bool IsWrite(string action) => Writes.Contains(action);

        /// <summary>Every group's rules now, as the emulator holds them (JSON per group: Ingress and Egress, every field).</summary>
        public Dictionary<string, JObject> RuleLists() =>
            ((JArray)JObject.Parse(Server.GetStateJson())["SecurityGroups"]).Cast<JObject>()
                .ToDictionary(g => (string)g["SecurityGroupId"], g => (JObject)g["SecurityGroupPolicySet"]);

        /// <summary>A group's ingress now, in the module's own model.</summary>
        internal List<SecurityGroupPolicy> Ingress(string groupId) =>
            RuleLists()[groupId]["Ingress"].ToObject<List<SecurityGroupPolicy>>();
    }

    /// <summary>The demo fleet with room for only four inbound rules per group.</summary>
    public sealed class SmallQuotaSession : RemediationSession
    {
        public const int Quota = 4;

        protected override EmulatorOptions CreateOptions()
        {
            EmulatorOptions options = EmulatorOptions.ForTests();
            options.PolicyLimitPerDirection = Quota;
            return options;
        }
    }

    /// <summary>
    /// Expected results that do not come from the code under test: docs/emulator.md's demo exposure table, and an
    /// audit of the emulator's state with the Analysis code (each instance's groups in binding order, first match).
    /// </summary>
    internal static class DemoFleet
    {
        private static readonly ExposureKey[] Columns = { ExposureKey.UdpV4, ExposureKey.TcpV4, ExposureKey.UdpV6, ExposureKey.TcpV6 };

        /// <summary>
        /// Instance → (region, groups in binding order, keys open by rule verdict, and for each open key its deciding
        /// rule as group and index), from the documentation.
        /// </summary>
        public static Dictionary<string, (string Region, string[] Groups, ExposureKey[] Open, Dictionary<ExposureKey, (string Group, int Index)> Deciding)> Documented()
        {
            var rows = DemoExposure.DocRows("ins-", DemoExposure.InstanceTable);
            var result = new Dictionary<string, (string, string[], ExposureKey[], Dictionary<ExposureKey, (string, int)>)>();
            foreach (string row in rows)
            {
                string[] c = row.Trim('|').Split('|').Select(x => x.Trim()).ToArray();
                ExposureKey[] open = Columns.Where((k, i) => c[6 + i].StartsWith("**open**")).ToArray();
                var deciding = new Dictionary<ExposureKey, (string, int)>();
                for (int i = 0; i < Columns.Length; i++)
                {
                    if (!c[6 + i].StartsWith("**open**")) continue;
                    string[] rule = c[6 + i].Substring("**open** ".Length).Split(' ')[0].Split('#');
                    deciding[Columns[i]] = (rule[0], int.Parse(rule[1]));
                }
                result[c[0]] = (c[2], c[3].Split(',').Select(g => g.Trim()).ToArray(), open, deciding);
            }
            return result;
        }

        /// <summary>
        /// The groups Block (least change) acts on for the documented exposure → the keys it adds there: each open key
        /// in the group of its deciding rule; an instance with nothing open has its first group, with no keys.
        /// </summary>
        public static Dictionary<string, ExposureKey[]> ExpectedBlocks(Func<ExposureKey, bool> wanted = null)
        {
            var result = new Dictionary<string, SortedSet<ExposureKey>>();
            SortedSet<ExposureKey> For(string group) => result.TryGetValue(group, out var keys) ? keys
                : result[group] = new SortedSet<ExposureKey>(Comparer<ExposureKey>.Create((a, b) => a.Index.CompareTo(b.Index)));
            foreach (var instance in Documented().Values)
            {
                var open = instance.Deciding.Where(d => wanted == null || wanted(d.Key)).ToList();
                if (open.Count == 0) For(instance.Groups[0]);
                foreach (var d in open) For(d.Value.Group).Add(d.Key);
            }
            return result.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
        }

        /// <summary>
        /// Group → the index its DROPs go to: the highest deciding rule of the keys it closes (in the demo fleet the
        /// rules between a group's deciding rules never touch the other key, so its DROPs share that index).
        /// </summary>
        public static Dictionary<string, int> ExpectedIndex(Func<ExposureKey, bool> wanted = null) =>
            Documented().Values.SelectMany(i => i.Deciding.Where(d => wanted == null || wanted(d.Key)).Select(d => d.Value))
                .GroupBy(d => d.Group).ToDictionary(g => g.Key, g => g.Min(d => d.Index));

        /// <summary>The demo group whose user DROP for UDP/IPv4 sits below the ACCEPT that decides (docs/emulator.md).</summary>
        public const string DropBelowGroup = "sg-dropblw1";

        /// <summary>Each instance of the emulator's current state, evaluated the Tencent way.</summary>
        public static Dictionary<string, ExposureResult> Audit(EmulatorServer server)
        {
            JObject state = JObject.Parse(server.GetStateJson());
            var groups = ((JArray)state["SecurityGroups"]).Cast<JObject>().ToDictionary(g => (string)g["SecurityGroupId"]);
            var catalogs = new Dictionary<string, TemplateCatalog>();
            TemplateCatalog CatalogOf(string region)
            {
                if (catalogs.TryGetValue(region, out var c)) return c;
                List<T> Of<T>(string name) => ((JArray)state[name]).Where(t => (string)t["Region"] == region).Select(t => t.ToObject<T>()).ToList();
                return catalogs[region] = new TemplateCatalog(Of<ServiceTemplate>("ServiceTemplates"), Of<ServiceTemplateGroup>("ServiceTemplateGroups"),
                    Of<AddressTemplate>("AddressTemplates"), Of<AddressTemplateGroup>("AddressTemplateGroups"));
            }
            var result = new Dictionary<string, ExposureResult>();
            foreach (JObject instance in ((JArray)state["Instances"]).Cast<JObject>())
            {
                string region = (string)instance["Region"];
                var bound = instance["SecurityGroupIds"].Select(g => (string)g).Select(id =>
                    GroupPolicies.From(id, groups[id]["SecurityGroupPolicySet"].ToObject<SecurityGroupPolicySet>())).ToList();
                result[(string)instance["InstanceId"]] = RuleEvaluator.Evaluate(bound, CatalogOf(region));
            }
            return result;
        }

        public static void AssertAllClosed(EmulatorServer server)
        {
            var open = Audit(server).Where(kv => kv.Value.Exposed).Select(kv => kv.Key + ": " + kv.Value).ToList();
            Assert.True(open.Count == 0, "Still exposed:\n" + string.Join("\n", open));
        }

        /// <summary>The Port53 rules of a group's ingress, by key.</summary>
        public static List<ExposureKey> Port53Keys(IEnumerable<SecurityGroupPolicy> ingress) =>
            ingress.Select(p => Port53Rules.TryGetKey(p, out ExposureKey k) ? (ExposureKey?)k : null).Where(k => k.HasValue).Select(k => k.Value).ToList();
    }
}
