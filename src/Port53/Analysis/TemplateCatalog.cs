using System;
using System.Collections.Generic;
using Port53.Api.Models;

namespace Port53.Analysis
{
    /// <summary>
    /// The service and address templates (and template groups) of one region, parsed once and looked up by
    /// id when rules are parsed. Immutable and safe to share across threads.
    /// </summary>
    internal sealed class TemplateCatalog
    {
        public static readonly TemplateCatalog Empty = new TemplateCatalog(null, null, null, null);

        private readonly Dictionary<string, ServicePorts> _services = new Dictionary<string, ServicePorts>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, ServicePorts> _serviceGroups = new Dictionary<string, ServicePorts>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, AddressSpec> _addresses = new Dictionary<string, AddressSpec>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, AddressSpec> _addressGroups = new Dictionary<string, AddressSpec>(StringComparer.OrdinalIgnoreCase);

        public TemplateCatalog(
            IEnumerable<ServiceTemplate> serviceTemplates,
            IEnumerable<ServiceTemplateGroup> serviceTemplateGroups,
            IEnumerable<AddressTemplate> addressTemplates,
            IEnumerable<AddressTemplateGroup> addressTemplateGroups)
        {
            foreach (ServiceTemplate t in serviceTemplates ?? new ServiceTemplate[0])
            {
                string id = Id(t?.ServiceTemplateId);
                if (id == null) continue;
                ServicePorts ports = ServicePorts.None;
                foreach (string entry in t.ServiceSet ?? new List<string>()) ports = ports.Union(ServicePorts.ParseServiceEntry(id, entry));
                _services[id] = ports;
            }
            foreach (ServiceTemplateGroup g in serviceTemplateGroups ?? new ServiceTemplateGroup[0])
            {
                string id = Id(g?.ServiceTemplateGroupId);
                if (id == null) continue;
                ServicePorts ports = ServicePorts.None;
                foreach (string member in g.ServiceTemplateIdSet ?? new List<string>()) ports = ports.Union(Service(member));
                _serviceGroups[id] = ports;
            }
            foreach (AddressTemplate t in addressTemplates ?? new AddressTemplate[0])
            {
                string id = Id(t?.AddressTemplateId);
                if (id == null) continue;
                _addresses[id] = AddressSpec.FromAddressSet(id, t.AddressSet);
            }
            foreach (AddressTemplateGroup g in addressTemplateGroups ?? new AddressTemplateGroup[0])
            {
                string id = Id(g?.AddressTemplateGroupId);
                if (id == null) continue;
                AddressSpec spec = AddressSpec.None;
                foreach (string member in g.AddressTemplateIdSet ?? new List<string>()) spec = spec.Union(Address(member));
                _addressGroups[id] = spec;
            }
        }

        internal bool HasServiceTemplate(string id) => Id(id) is string k && _services.ContainsKey(k);
        internal bool HasServiceTemplateGroup(string id) => Id(id) is string k && _serviceGroups.ContainsKey(k);
        internal bool HasAddressTemplate(string id) => Id(id) is string k && _addresses.ContainsKey(k);
        internal bool HasAddressTemplateGroup(string id) => Id(id) is string k && _addressGroups.ContainsKey(k);

        /// <summary>The ports a rule's ServiceTemplate reference covers; an unknown id gives an uncertain, empty result.</summary>
        public ServicePorts ResolveService(ServiceTemplateSpecification spec)
        {
            string id = Id(spec?.ServiceId), groupId = Id(spec?.ServiceGroupId);
            if ((id == null) == (groupId == null))
            {
                return ServicePorts.Uncertain(new TemplateIssue(WarningKind.MalformedTemplateReference, id ?? groupId, null));
            }
            if (id != null) return Service(id);
            return _serviceGroups.TryGetValue(groupId, out ServicePorts g)
                ? g
                : ServicePorts.Uncertain(new TemplateIssue(WarningKind.UnknownServiceTemplate, groupId, null));
        }

        /// <summary>The addresses a rule's AddressTemplate reference covers; an unknown id gives an uncertain, empty result.</summary>
        public AddressSpec ResolveAddress(AddressTemplateSpecification spec)
        {
            string id = Id(spec?.AddressId), groupId = Id(spec?.AddressGroupId);
            if ((id == null) == (groupId == null))
            {
                return AddressSpec.Uncertain(new TemplateIssue(WarningKind.MalformedTemplateReference, id ?? groupId, null));
            }
            if (id != null) return Address(id);
            return _addressGroups.TryGetValue(groupId, out AddressSpec g)
                ? g
                : AddressSpec.Uncertain(new TemplateIssue(WarningKind.UnknownAddressTemplate, groupId, null));
        }

        private ServicePorts Service(string id)
        {
            string k = Id(id);
            if (k != null && _services.TryGetValue(k, out ServicePorts p)) return p;
            return ServicePorts.Uncertain(new TemplateIssue(WarningKind.UnknownServiceTemplate, k ?? id, null));
        }

        private AddressSpec Address(string id)
        {
            string k = Id(id);
            if (k != null && _addresses.TryGetValue(k, out AddressSpec a)) return a;
            return AddressSpec.Uncertain(new TemplateIssue(WarningKind.UnknownAddressTemplate, k ?? id, null));
        }

        /// <summary>A trimmed id, or null for null/blank (Tencent returns "" for unset fields).</summary>
        internal static string Id(string value)
        {
            if (value == null) return null;
            string s = value.Trim();
            return s.Length == 0 ? null : s;
        }
    }
}
