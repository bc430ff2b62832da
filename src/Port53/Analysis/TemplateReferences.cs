using System;
using System.Collections.Generic;
using Port53.Api.Models;

namespace Port53.Analysis
{
    /// <summary>The template ids a set of rules refers to, so the caller fetches exactly those before building a catalog.</summary>
    internal sealed class TemplateReferences
    {
        private readonly SortedSet<string> _serviceIds = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly SortedSet<string> _serviceGroupIds = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly SortedSet<string> _addressIds = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly SortedSet<string> _addressGroupIds = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);

        public IReadOnlyCollection<string> ServiceIds => _serviceIds;
        public IReadOnlyCollection<string> ServiceGroupIds => _serviceGroupIds;
        public IReadOnlyCollection<string> AddressIds => _addressIds;
        public IReadOnlyCollection<string> AddressGroupIds => _addressGroupIds;

        public bool IsEmpty => _serviceIds.Count + _serviceGroupIds.Count + _addressIds.Count + _addressGroupIds.Count == 0;

        public static TemplateReferences Collect(IEnumerable<SecurityGroupPolicy> policies)
        {
            var refs = new TemplateReferences();
            foreach (SecurityGroupPolicy p in policies)
            {
                if (p == null) continue;
                Add(refs._serviceIds, p.ServiceTemplate?.ServiceId);
                Add(refs._serviceGroupIds, p.ServiceTemplate?.ServiceGroupId);
                Add(refs._addressIds, p.AddressTemplate?.AddressId);
                Add(refs._addressGroupIds, p.AddressTemplate?.AddressGroupId);
            }
            return refs;
        }

        private static void Add(SortedSet<string> set, string id)
        {
            string k = TemplateCatalog.Id(id);
            if (k != null) set.Add(k);
        }
    }
}
