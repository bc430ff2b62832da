using System.Collections.Generic;
using System.Linq;
using Port53.Analysis;
using Port53.Api.Models;

namespace Port53.Tests.Analysis
{
    /// <summary>Terse builders for wire policies and one-call evaluation.</summary>
    internal static class Rules
    {
        public static SecurityGroupPolicy Rule(string protocol, string port, string cidr, string action = "ACCEPT", long? index = null) =>
            new SecurityGroupPolicy { Protocol = protocol, Port = port, CidrBlock = cidr, Action = action, PolicyIndex = index };

        public static SecurityGroupPolicy Rule6(string protocol, string port, string cidr6, string action = "ACCEPT", long? index = null) =>
            new SecurityGroupPolicy { Protocol = protocol, Port = port, Ipv6CidrBlock = cidr6, Action = action, PolicyIndex = index };

        public static SecurityGroupPolicy Accept(string protocol, string port, string cidr) => Rule(protocol, port, cidr, "ACCEPT");

        public static SecurityGroupPolicy Drop(string protocol, string port, string cidr) => Rule(protocol, port, cidr, "DROP");

        public static SecurityGroupPolicy FromGroup(string protocol, string port, string sourceGroup, string action = "ACCEPT") =>
            new SecurityGroupPolicy { Protocol = protocol, Port = port, SecurityGroupId = sourceGroup, Action = action };

        public static SecurityGroupPolicy Service(string serviceId, string serviceGroupId, string cidr, string action = "ACCEPT") =>
            new SecurityGroupPolicy
            {
                ServiceTemplate = new ServiceTemplateSpecification { ServiceId = serviceId, ServiceGroupId = serviceGroupId },
                Protocol = "", Port = "", CidrBlock = cidr, Action = action,
            };

        public static SecurityGroupPolicy Address(string protocol, string port, string addressId, string addressGroupId, string action = "ACCEPT") =>
            new SecurityGroupPolicy
            {
                Protocol = protocol, Port = port, Action = action,
                AddressTemplate = new AddressTemplateSpecification { AddressId = addressId, AddressGroupId = addressGroupId },
            };

        public static GroupPolicies Group(string id, params SecurityGroupPolicy[] ingress) => new GroupPolicies(id, "1", ingress);

        public static ExposureResult Eval(params SecurityGroupPolicy[] ingress) => Eval(TemplateCatalog.Empty, Group("sg-1", ingress));

        public static ExposureResult Eval(TemplateCatalog catalog, params SecurityGroupPolicy[] ingress) => Eval(catalog, Group("sg-1", ingress));

        public static ExposureResult Eval(TemplateCatalog catalog, params GroupPolicies[] groups) =>
            RuleEvaluator.Evaluate(groups.Select(g => ParsedGroup.Parse(g, catalog)).ToArray());

        public static ExposureResult Eval(params GroupPolicies[] groups) => Eval(TemplateCatalog.Empty, groups);

        public static ServiceTemplate Svc(string id, params string[] entries) =>
            new ServiceTemplate { ServiceTemplateId = id, ServiceSet = entries.ToList() };

        public static ServiceTemplateGroup SvcGroup(string id, params string[] members) =>
            new ServiceTemplateGroup { ServiceTemplateGroupId = id, ServiceTemplateIdSet = members.ToList() };

        public static AddressTemplate Addr(string id, params string[] entries) =>
            new AddressTemplate { AddressTemplateId = id, AddressSet = entries.ToList() };

        public static AddressTemplateGroup AddrGroup(string id, params string[] members) =>
            new AddressTemplateGroup { AddressTemplateGroupId = id, AddressTemplateIdSet = members.ToList() };

        public static TemplateCatalog Catalog(IEnumerable<ServiceTemplate> s = null, IEnumerable<ServiceTemplateGroup> sg = null,
            IEnumerable<AddressTemplate> a = null, IEnumerable<AddressTemplateGroup> ag = null) => new TemplateCatalog(s, sg, a, ag);
    }
}
