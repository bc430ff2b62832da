using System;
using System.Collections.Generic;
using System.Linq;
using Port53.Api.Models;

namespace Port53.Api
{
    /// <summary>
    /// What a Describe call asks for: ids and/or filters. Tencent refuses ids together with filters and caps
    /// both (100 ids, 5 values per filter), so <see cref="Batches"/> splits one query into requests it accepts.
    /// Filters combine with AND and their values with OR, so splitting one filter's values gives disjoint
    /// results except where a resource matches several values (tags); callers dedupe by id.
    /// </summary>
    internal sealed class TcQuery
    {
        public const int MaxIds = 100;
        public const int MaxFilterValues = 5;

        public List<string> Ids { get; } = new List<string>();
        public List<Filter> Filters { get; } = new List<Filter>();

        public bool IsEmpty => Ids.Count == 0 && Filters.Count == 0;

        /// <summary>Null adds no id; a list must hold ids only, since an empty or blank one would select everything.</summary>
        public TcQuery WithIds(IEnumerable<string> ids)
        {
            if (ids == null) return this;
            List<string> list = NonBlank("Ids", ids);
            Ids.AddRange(list.Select(i => i.Trim()).Distinct(StringComparer.OrdinalIgnoreCase));
            return this;
        }

        public TcQuery WithFilter(string name, IEnumerable<string> values)
        {
            if (string.IsNullOrWhiteSpace(name)) throw new TcBlankSelectorException(name ?? string.Empty);
            List<string> list = NonBlank(name, values ?? Enumerable.Empty<string>());
            Filter existing = Filters.FirstOrDefault(f => f.Name == name);
            if (existing != null) existing.Values.AddRange(list.Except(existing.Values));
            else Filters.Add(new Filter(name, list.Distinct()));
            return this;
        }

        private static List<string> NonBlank(string selector, IEnumerable<string> values)
        {
            List<string> list = values.ToList();
            if (list.Count == 0 || list.Any(string.IsNullOrWhiteSpace)) throw new TcBlankSelectorException(selector);
            return list;
        }

        public TcQuery WithFilter(string name, params string[] values) => WithFilter(name, (IEnumerable<string>)values);

        /// <summary>
        /// The (ids, filters) of each request. With ids only: batches of 100 ids. With filters as well: the ids
        /// become the <paramref name="idFilterName"/> filter. Each filter's values split into batches of 5.
        /// </summary>
        public IEnumerable<(List<string> Ids, List<Filter> Filters)> Batches(string idFilterName)
        {
            if (Filters.Count == 0)
            {
                if (Ids.Count == 0)
                {
                    yield return (null, null);
                    yield break;
                }
                for (int i = 0; i < Ids.Count; i += MaxIds)
                    yield return (Ids.Skip(i).Take(MaxIds).ToList(), null);
                yield break;
            }

            var all = new List<Filter>(Filters);
            if (Ids.Count > 0) all.Add(new Filter(idFilterName, Ids));
            IEnumerable<List<Filter>> combos = new[] { new List<Filter>() };
            foreach (Filter filter in all)
            {
                List<Filter> parts = Chunk(filter.Values, MaxFilterValues).Select(chunk => new Filter(filter.Name, chunk)).ToList();
                combos = combos.SelectMany(combo => parts.Select(part => new List<Filter>(combo) { part })).ToList();
            }
            foreach (List<Filter> combo in combos) yield return (null, combo);
        }

        private static IEnumerable<List<string>> Chunk(List<string> values, int size)
        {
            for (int i = 0; i < values.Count; i += size) yield return values.Skip(i).Take(size).ToList();
        }
    }
}
