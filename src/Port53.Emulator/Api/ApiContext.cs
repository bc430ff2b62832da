using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using Port53.Emulator.Hosting;
using Port53.Emulator.Model;

namespace Port53.Emulator.Api
{
    /// <summary>One authenticated, admitted API call as a handler sees it.</summary>
    internal sealed class ApiContext
    {
        public EmulatorEngine Engine;
        public FleetAccounts Accounts;
        /// <summary>The caller's account: every resource a call names or lists is this account's.</summary>
        public FleetStore Store;
        public string SecretId;
        /// <summary>Set when the caller signs with keys STS AssumeRole gave out.</summary>
        public TemporaryKey Temporary;
        public string Action;
        public string Region;
        public RegionData RegionData;
        public JsonElement Body;
        public DateTimeOffset Now;

        /// <summary>Tencent's ModifyTime/UpdateTime form: Beijing time, "yyyy-MM-dd HH:mm:ss".</summary>
        public string NowText => Now.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
    }

    internal delegate void ActionHandler(ApiContext context, Utf8JsonWriter writer);

    internal sealed class ActionDefinition
    {
        public string Name;
        public string Service;
        public bool NeedsRegion = true;
        /// <summary>X-TC-Region must be one of the fleet's regions (STS takes any).</summary>
        public bool FleetRegion = true;
        public bool IsWrite;
        public HashSet<string> Parameters;
        public ActionHandler Handler;
    }

    internal static class ActionTable
    {
        /// <summary>Every action by name; a name two services share (DescribeInstances: CVM and Lighthouse) has one entry per service.</summary>
        public static readonly IReadOnlyDictionary<string, ActionDefinition[]> All = Build();

        /// <summary>
        /// The action a request names. A service named by the credential scope or the Host (Port53 and tccli sign with
        /// the real service) decides; official SDKs given the emulator's address sign with "127" and name no service,
        /// so a name two services share goes by X-TC-Version. Null when no service serves it.
        /// </summary>
        public static ActionDefinition Find(string action, string namedService, string version)
        {
            if (action == null || !All.TryGetValue(action, out ActionDefinition[] candidates)) return null;
            if (namedService != null) return Array.Find(candidates, d => d.Service == namedService);
            return Array.Find(candidates, d => TencentApiVersions.Of(d.Service) == version) ?? candidates[0];
        }

        private static Dictionary<string, ActionDefinition[]> Build()
        {
            var table = new Dictionary<string, ActionDefinition[]>(StringComparer.Ordinal);
            void Add(string service, string name, ActionHandler handler, bool needsRegion = true, bool write = false, params string[] parameters) =>
                AddDefinition(service, name, handler, needsRegion, write, true, parameters);
            void AddDefinition(string service, string name, ActionHandler handler, bool needsRegion, bool write, bool fleetRegion, string[] parameters)
            {
                table.TryGetValue(name, out ActionDefinition[] same);
                var def = new ActionDefinition
                {
                    Name = name, Service = service, NeedsRegion = needsRegion, FleetRegion = fleetRegion, IsWrite = write, Handler = handler,
                    Parameters = new HashSet<string>(parameters, StringComparer.Ordinal),
                };
                table[name] = same == null ? new[] { def } : same.Append(def).ToArray();
            }

            Add("cvm", "DescribeRegions", CvmActions.DescribeRegions, needsRegion: false);
            Add("cvm", "DescribeZones", CvmActions.DescribeZones);
            Add("cvm", "DescribeInstances", CvmActions.DescribeInstances, true, false, "InstanceIds", "Filters", "Offset", "Limit");
            Add("vpc", "DescribeSecurityGroups", VpcActions.DescribeSecurityGroups, true, false, "SecurityGroupIds", "Filters", "Offset", "Limit", "OrderField", "OrderDirection");
            Add("vpc", "DescribeSecurityGroupPolicies", VpcActions.DescribeSecurityGroupPolicies, true, false, "SecurityGroupId", "Filters");
            Add("vpc", "CreateSecurityGroupPolicies", VpcActions.CreateSecurityGroupPolicies, true, true, "SecurityGroupId", "SecurityGroupPolicySet");
            Add("vpc", "DeleteSecurityGroupPolicies", VpcActions.DeleteSecurityGroupPolicies, true, true, "SecurityGroupId", "SecurityGroupPolicySet");
            Add("vpc", "ReplaceSecurityGroupPolicies", VpcActions.ReplaceSecurityGroupPolicies, true, true, "SecurityGroupId", "SecurityGroupPolicySet", "OriginalSecurityGroupPolicySet");
            Add("vpc", "ModifySecurityGroupPolicies", VpcActions.ModifySecurityGroupPolicies, true, true, "SecurityGroupId", "SecurityGroupPolicySet", "SortPolicys");
            Add("vpc", "DescribeServiceTemplates", TemplateActions.DescribeServiceTemplates, true, false, "Filters", "Offset", "Limit", "NeedMemberInfo");
            Add("vpc", "DescribeServiceTemplateGroups", TemplateActions.DescribeServiceTemplateGroups, true, false, "Filters", "Offset", "Limit", "NeedMemberInfo");
            Add("vpc", "DescribeAddressTemplates", TemplateActions.DescribeAddressTemplates, true, false, "Filters", "Offset", "Limit", "NeedMemberInfo");
            Add("vpc", "DescribeAddressTemplateGroups", TemplateActions.DescribeAddressTemplateGroups, true, false, "Filters", "Offset", "Limit", "NeedMemberInfo");
            Add("lighthouse", "DescribeRegions", LighthouseActions.DescribeRegions, needsRegion: false);
            Add("lighthouse", "DescribeInstances", LighthouseActions.DescribeInstances, true, false, "InstanceIds", "Filters", "Offset", "Limit");
            Add("lighthouse", "DescribeFirewallRules", LighthouseActions.DescribeFirewallRules, true, false, "InstanceId", "Offset", "Limit");
            Add("lighthouse", "CreateFirewallRules", LighthouseActions.CreateFirewallRules, true, true, "InstanceId", "FirewallRules", "FirewallVersion");
            Add("lighthouse", "DeleteFirewallRules", LighthouseActions.DeleteFirewallRules, true, true, "InstanceId", "FirewallRules", "FirewallVersion");
            Add("lighthouse", "ModifyFirewallRules", LighthouseActions.ModifyFirewallRules, true, true, "InstanceId", "FirewallRules", "FirewallVersion");
            AddDefinition("sts", "AssumeRole", AccountActions.AssumeRole, true, false, false, new[] { "RoleArn", "RoleSessionName", "DurationSeconds", "Policy", "ExternalId" });
            AddDefinition("sts", "GetCallerIdentity", AccountActions.GetCallerIdentity, true, false, false, Array.Empty<string>());
            Add("organization", "DescribeOrganizationMembers", AccountActions.DescribeOrganizationMembers, false, false, "Offset", "Limit", "Lang", "SearchKey", "AuthName", "Product");
            return table;
        }

        /// <summary>Writes TotalCount and one page of a set, serialising the records as Tencent returns them.</summary>
        public static void WritePage<T>(Utf8JsonWriter w, string setName, IReadOnlyList<T> all, int offset, int limit)
        {
            w.WriteNumber("TotalCount", all.Count);
            w.WriteStartArray(setName);
            for (int i = offset; i < all.Count && i < (long)offset + limit; i++)
                JsonSerializer.Serialize(w, all[i], FleetJson.WireOptions);
            w.WriteEndArray();
        }
    }
}
