using System.Collections;
using System.Collections.Generic;
using System.Linq;
using Port53.Api;

namespace Port53.Cmdlets
{
    /// <summary>-Tag and -Filter tables as Describe filters, the same for every product that takes Tencent's tag filters.</summary>
    internal static class SelectorTables
    {
        /// <summary>No tag value can be '*' (Tencent allows letters, digits, spaces and + - = . _ : / @), so it can mean "any value".</summary>
        public const string AnyTagValue = "*";

        /// <summary>Tag key → value(s): tag:&lt;key&gt; filters; '*' as a value: a tag-key filter (any instance that has the key).</summary>
        public static TcQuery WithTags(this TcQuery query, Hashtable tags)
        {
            if (tags == null) return query;
            foreach (DictionaryEntry entry in tags)
            {
                // Keys and values were checked at binding (ValidateFilterTable): none is blank.
                string key = entry.Key.ToString();
                IReadOnlyList<string> values = SelectorValues.Of(entry.Value);
                if (values.Contains(AnyTagValue)) query.WithFilter("tag-key", key);
                else query.WithFilter("tag:" + key, values);
            }
            return query;
        }

        /// <summary>Raw filters: name → value(s), passed as they are.</summary>
        public static TcQuery WithFilters(this TcQuery query, Hashtable filters)
        {
            if (filters == null) return query;
            foreach (DictionaryEntry entry in filters)
                query.WithFilter(entry.Key.ToString(), SelectorValues.Of(entry.Value));
            return query;
        }
    }
}
