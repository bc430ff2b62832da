using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Port53.Emulator.Model;

namespace Port53.Emulator.Api
{
    /// <summary>Parsing, validating and comparing security-group rules as the VPC service does.</summary>
    internal static class PolicyRules
    {
        private static readonly HashSet<string> Protocols = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "TCP", "UDP", "ICMP", "ICMPv6", "GRE", "ALL" };
        private static readonly HashSet<string> PolicyFields = new HashSet<string>(StringComparer.Ordinal)
        {
            "PolicyIndex", "Protocol", "Port", "ServiceTemplate", "CidrBlock", "Ipv6CidrBlock", "SecurityGroupId",
            "AddressTemplate", "Action", "PolicyDescription", "ModifyTime",
        };

        /// <summary>The parsed SecurityGroupPolicySet parameter of a write.</summary>
        internal sealed class PolicySetParam
        {
            public string Version;
            public List<SecurityGroupPolicy> Ingress;
            public List<SecurityGroupPolicy> Egress;
        }

        public static PolicySetParam ReadSet(JsonElement body, string name, bool required)
        {
            if (!Params.TryGet(body, name, out JsonElement set))
            {
                if (required) throw ApiException.Missing(name);
                return null;
            }
            if (set.ValueKind != JsonValueKind.Object) throw ApiException.BadType(name, "an object {Version, Ingress, Egress}");
            foreach (JsonProperty p in set.EnumerateObject())
                if (p.Name != "Version" && p.Name != "Ingress" && p.Name != "Egress" && p.Name != "PolicyStatistics")
                    throw new ApiException(ErrorCodes.UnknownParameter, "The parameter `" + name + "." + p.Name + "` is not defined.");
            return new PolicySetParam
            {
                Version = Empty(Params.String(set, "Version", name + ".Version")),
                Ingress = ReadList(set, "Ingress", name + ".Ingress"),
                Egress = ReadList(set, "Egress", name + ".Egress"),
            };
        }

        private static List<SecurityGroupPolicy> ReadList(JsonElement set, string name, string path)
        {
            if (!Params.TryGet(set, name, out JsonElement list)) return null;
            if (list.ValueKind != JsonValueKind.Array) throw ApiException.BadType(path, "an array of policies");
            var result = new List<SecurityGroupPolicy>();
            int i = 0;
            foreach (JsonElement e in list.EnumerateArray())
            {
                result.Add(ReadPolicy(e, path + "." + i));
                i++;
            }
            return result;
        }

        private static SecurityGroupPolicy ReadPolicy(JsonElement e, string path)
        {
            Params.RequireObject(e, path, PolicyFields, "a policy object");
            var policy = new SecurityGroupPolicy
            {
                Protocol = Empty(Params.String(e, "Protocol", path + ".Protocol")),
                Port = Empty(Params.String(e, "Port", path + ".Port")),
                CidrBlock = Empty(Params.String(e, "CidrBlock", path + ".CidrBlock")),
                Ipv6CidrBlock = Empty(Params.String(e, "Ipv6CidrBlock", path + ".Ipv6CidrBlock")),
                SecurityGroupId = Empty(Params.String(e, "SecurityGroupId", path + ".SecurityGroupId")),
                Action = Empty(Params.String(e, "Action", path + ".Action")),
                PolicyDescription = Params.String(e, "PolicyDescription", path + ".PolicyDescription"),
            };
            if (Params.TryGet(e, "PolicyIndex", out JsonElement index))
            {
                if (index.ValueKind != JsonValueKind.Number || !index.TryGetInt64(out long n)) throw ApiException.BadType(path + ".PolicyIndex", "an integer");
                policy.PolicyIndex = n;
            }
            if (Params.TryGet(e, "ServiceTemplate", out JsonElement st))
            {
                if (st.ValueKind != JsonValueKind.Object) throw ApiException.BadType(path + ".ServiceTemplate", "an object {ServiceId, ServiceGroupId}");
                string id = Empty(Params.String(st, "ServiceId", path + ".ServiceTemplate.ServiceId"));
                string gid = Empty(Params.String(st, "ServiceGroupId", path + ".ServiceTemplate.ServiceGroupId"));
                if (id != null || gid != null) policy.ServiceTemplate = new ServiceTemplateSpecification { ServiceId = id, ServiceGroupId = gid };
            }
            if (Params.TryGet(e, "AddressTemplate", out JsonElement at))
            {
                if (at.ValueKind != JsonValueKind.Object) throw ApiException.BadType(path + ".AddressTemplate", "an object {AddressId, AddressGroupId}");
                string id = Empty(Params.String(at, "AddressId", path + ".AddressTemplate.AddressId"));
                string gid = Empty(Params.String(at, "AddressGroupId", path + ".AddressTemplate.AddressGroupId"));
                if (id != null || gid != null) policy.AddressTemplate = new AddressTemplateSpecification { AddressId = id, AddressGroupId = gid };
            }
            return policy;
        }

        /// <summary>Describe responses leave unused fields as "" and empty template objects; clients echo them back.</summary>
        private static string Empty(string s) => string.IsNullOrEmpty(s) ? null : s;

        /// <summary>Checks one rule for a write; returns the rule as it will be stored (Action upper-cased).</summary>
        public static SecurityGroupPolicy Validate(SecurityGroupPolicy p, string path, FleetStore store, string region)
        {
            string action = p.Action ?? throw ApiException.Missing(path + ".Action");
            if (!action.Equals("ACCEPT", StringComparison.OrdinalIgnoreCase) && !action.Equals("DROP", StringComparison.OrdinalIgnoreCase))
                throw ApiException.BadValue(path + ".Action", "'" + action + "' is not ACCEPT or DROP.");

            if (p.ServiceTemplate != null)
            {
                if (p.Protocol != null || p.Port != null)
                    throw new ApiException(ErrorCodes.InvalidParameter, "`" + path + ".ServiceTemplate` cannot be combined with Protocol or Port.");
                ServiceTemplateSpecification st = p.ServiceTemplate;
                if ((st.ServiceId == null) == (st.ServiceGroupId == null))
                    throw new ApiException(ErrorCodes.InvalidParameter, "`" + path + ".ServiceTemplate` needs exactly one of ServiceId and ServiceGroupId.");
                if (st.ServiceId != null && !(store.ServiceTemplates.TryGetValue(st.ServiceId, out var t) && t.Region == region))
                    throw new ApiException(ErrorCodes.ResourceNotFound, "The service template `" + st.ServiceId + "` (" + path + ".ServiceTemplate.ServiceId) does not exist in " + region + ".");
                if (st.ServiceGroupId != null && !(store.ServiceTemplateGroups.TryGetValue(st.ServiceGroupId, out var tg) && tg.Region == region))
                    throw new ApiException(ErrorCodes.ResourceNotFound, "The service template group `" + st.ServiceGroupId + "` (" + path + ".ServiceTemplate.ServiceGroupId) does not exist in " + region + ".");
            }
            else
            {
                string protocol = p.Protocol ?? throw ApiException.Missing(path + ".Protocol");
                if (!Protocols.Contains(protocol)) throw ApiException.BadValue(path + ".Protocol", "'" + protocol + "' is not one of TCP, UDP, ICMP, ICMPv6, GRE, ALL.");
                bool ported = protocol.Equals("TCP", StringComparison.OrdinalIgnoreCase) || protocol.Equals("UDP", StringComparison.OrdinalIgnoreCase);
                if (ported)
                {
                    if (p.Port == null) throw ApiException.Missing(path + ".Port");
                    if (!ValidPort(p.Port)) throw ApiException.BadValue(path + ".Port", "'" + p.Port + "' is not ALL, a port (1-65535), a range like 50-60 or a list like 53,80.");
                }
                else if (p.Port != null && !p.Port.Equals("ALL", StringComparison.OrdinalIgnoreCase))
                    throw ApiException.BadValue(path + ".Port", "a port can only be given with TCP or UDP, not with " + protocol + ".");
            }

            int sources = (p.CidrBlock != null ? 1 : 0) + (p.Ipv6CidrBlock != null ? 1 : 0) + (p.SecurityGroupId != null ? 1 : 0) + (p.AddressTemplate != null ? 1 : 0);
            if (sources == 0) throw ApiException.Missing(path + ".CidrBlock (or Ipv6CidrBlock, SecurityGroupId, AddressTemplate)");
            if (sources > 1) throw new ApiException(ErrorCodes.InvalidParameter, "`" + path + "`: CidrBlock, Ipv6CidrBlock, SecurityGroupId and AddressTemplate are mutually exclusive.");
            if (p.CidrBlock != null && !ValidCidr(p.CidrBlock, AddressFamily.InterNetwork))
                throw ApiException.BadValue(path + ".CidrBlock", "'" + p.CidrBlock + "' is not an IPv4 address or CIDR block.");
            if (p.Ipv6CidrBlock != null && !ValidCidr(p.Ipv6CidrBlock, AddressFamily.InterNetworkV6))
                throw ApiException.BadValue(path + ".Ipv6CidrBlock", "'" + p.Ipv6CidrBlock + "' is not an IPv6 address or CIDR block.");
            if (p.SecurityGroupId != null && !(store.SecurityGroups.TryGetValue(p.SecurityGroupId, out var sg) && sg.Region == region))
                throw new ApiException(ErrorCodes.ResourceNotFound, "The security group `" + p.SecurityGroupId + "` (" + path + ".SecurityGroupId) does not exist in " + region + ".");
            if (p.AddressTemplate != null)
            {
                AddressTemplateSpecification at = p.AddressTemplate;
                if ((at.AddressId == null) == (at.AddressGroupId == null))
                    throw new ApiException(ErrorCodes.InvalidParameter, "`" + path + ".AddressTemplate` needs exactly one of AddressId and AddressGroupId.");
                if (at.AddressId != null && !(store.AddressTemplates.TryGetValue(at.AddressId, out var a) && a.Region == region))
                    throw new ApiException(ErrorCodes.ResourceNotFound, "The address template `" + at.AddressId + "` (" + path + ".AddressTemplate.AddressId) does not exist in " + region + ".");
                if (at.AddressGroupId != null && !(store.AddressTemplateGroups.TryGetValue(at.AddressGroupId, out var ag) && ag.Region == region))
                    throw new ApiException(ErrorCodes.ResourceNotFound, "The address template group `" + at.AddressGroupId + "` (" + path + ".AddressTemplate.AddressGroupId) does not exist in " + region + ".");
            }
            if (p.PolicyDescription != null && p.PolicyDescription.Length > 100)
                throw ApiException.BadValue(path + ".PolicyDescription", "at most 100 characters are allowed.");

            SecurityGroupPolicy stored = p.Clone();
            stored.PolicyIndex = null;
            stored.Action = action.ToUpperInvariant();
            return stored;
        }

        public static bool ValidPort(string port)
        {
            if (port.Equals("ALL", StringComparison.OrdinalIgnoreCase)) return true;
            int dash = port.IndexOf('-');
            if (dash > 0)
                return PortNumber(port.Substring(0, dash), out int lo) && PortNumber(port.Substring(dash + 1), out int hi) && lo <= hi;
            foreach (string part in port.Split(','))
                if (!PortNumber(part, out _)) return false;
            return true;
        }

        private static bool PortNumber(string s, out int n) =>
            int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out n) && n >= 1 && n <= 65535;

        public static bool ValidCidr(string text, AddressFamily family)
        {
            int slash = text.IndexOf('/');
            string address = slash < 0 ? text : text.Substring(0, slash);
            if (!IPAddress.TryParse(address, out IPAddress ip) || ip.AddressFamily != family) return false;
            if (family == AddressFamily.InterNetwork && address.Split('.').Length != 4) return false;
            if (slash < 0) return true;
            int max = family == AddressFamily.InterNetwork ? 32 : 128;
            return int.TryParse(text.Substring(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int prefix) && prefix <= max;
        }

        /// <summary>What makes two rules "the same rule" for DuplicatePolicy and delete-by-fields: everything but the description.</summary>
        public static string Identity(SecurityGroupPolicy p)
        {
            string protocol = p.Protocol?.ToUpperInvariant() ?? "";
            string port = p.Port == null ? "" : p.Port.Replace(" ", "").ToUpperInvariant();
            if (protocol != "TCP" && protocol != "UDP" && port == "ALL") port = "";
            return string.Join("|", protocol, port,
                p.ServiceTemplate?.ServiceId ?? "", p.ServiceTemplate?.ServiceGroupId ?? "",
                Lower(p.CidrBlock), Lower(p.Ipv6CidrBlock), p.SecurityGroupId ?? "",
                p.AddressTemplate?.AddressId ?? "", p.AddressTemplate?.AddressGroupId ?? "",
                p.Action?.ToUpperInvariant() ?? "");
        }

        private static string Lower(string s) => string.IsNullOrEmpty(s) ? "" : s.ToLowerInvariant();

        /// <summary>A rule on the wire: every field present, "" for unused ones, as DescribeSecurityGroupPolicies returns it.</summary>
        public static void Write(Utf8JsonWriter w, SecurityGroupPolicy p, int index)
        {
            w.WriteStartObject();
            w.WriteNumber("PolicyIndex", index);
            w.WriteString("Protocol", p.Protocol ?? "");
            w.WriteString("Port", p.Port ?? "");
            w.WriteStartObject("ServiceTemplate");
            w.WriteString("ServiceId", p.ServiceTemplate?.ServiceId ?? "");
            w.WriteString("ServiceGroupId", p.ServiceTemplate?.ServiceGroupId ?? "");
            w.WriteEndObject();
            w.WriteString("CidrBlock", p.CidrBlock ?? "");
            w.WriteString("Ipv6CidrBlock", p.Ipv6CidrBlock ?? "");
            w.WriteString("SecurityGroupId", p.SecurityGroupId ?? "");
            w.WriteStartObject("AddressTemplate");
            w.WriteString("AddressId", p.AddressTemplate?.AddressId ?? "");
            w.WriteString("AddressGroupId", p.AddressTemplate?.AddressGroupId ?? "");
            w.WriteEndObject();
            w.WriteString("Action", p.Action ?? "");
            w.WriteString("PolicyDescription", p.PolicyDescription ?? "");
            w.WriteString("ModifyTime", p.ModifyTime ?? "");
            if (p.Extra != null)
                foreach (var kv in p.Extra)
                {
                    w.WritePropertyName(kv.Key);
                    kv.Value.WriteTo(w);
                }
            w.WriteEndObject();
        }
    }
}
