using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Port53.Resources;

namespace Port53.Cmdlets
{
    /// <summary>
    /// Refuses a blank selector at binding time: $null, an empty list, or an entry that is empty or only spaces.
    /// Tencent ignores a filter without values, and Port53 reads "no value" as "no filter", so a variable that was
    /// never set would otherwise widen a listing to every resource — and, piped into Block-TcPort53, a write to
    /// every resource.
    /// </summary>
    public sealed class ValidateNotBlankAttribute : ValidateArgumentsAttribute
    {
        /// <summary>For a list whose emptiness means "none" (clearing a setting), never "all".</summary>
        public bool AllowEmptyList { get; set; }

        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            IReadOnlyList<string> values = SelectorValues.Of(arguments);
            if (values.Count == 0 && !AllowEmptyList) throw new ValidationMetadataException(Strings.Core["SelectorEmpty"]);
            foreach (string value in values)
                if (SelectorValues.IsBlank(value)) throw new ValidationMetadataException(Strings.Core.Format("SelectorBlank", value));
        }
    }

    /// <summary>
    /// Refuses a filter table with a blank selector at binding time: no entry, a blank key, or a key without a
    /// value (see <see cref="ValidateNotBlankAttribute"/> for why). For -Tag, '*' is the explicit "any value".
    /// </summary>
    public sealed class ValidateFilterTableAttribute : ValidateArgumentsAttribute
    {
        public ValidateFilterTableAttribute(bool tags) => Tags = tags;

        /// <summary>Keys are tag keys (else DescribeInstances filter names); the messages say which.</summary>
        public bool Tags { get; }

        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            var table = (arguments is PSObject ps ? ps.BaseObject : arguments) as IDictionary;
            if (table == null || table.Count == 0) throw new ValidationMetadataException(Strings.Core["SelectorEmpty"]);
            foreach (DictionaryEntry entry in table)
            {
                string key = entry.Key?.ToString();
                if (SelectorValues.IsBlank(key))
                    throw new ValidationMetadataException(Strings.Core.Format(Tags ? "TagKeyBlank" : "FilterNameBlank", key));
                IReadOnlyList<string> values = SelectorValues.Of(entry.Value);
                if (values.Count == 0 || values.Any(SelectorValues.IsBlank))
                    throw new ValidationMetadataException(Strings.Core.Format(Tags ? "TagValueBlank" : "FilterValueBlank", key));
            }
        }
    }

    /// <summary>A parameter's or a hashtable entry's value as the strings it selects by.</summary>
    internal static class SelectorValues
    {
        /// <summary>Nothing for $null, one string, or one string per list element ($null elements kept as null).</summary>
        public static IReadOnlyList<string> Of(object value)
        {
            value = Unwrap(value);
            var values = new List<string>();
            if (value == null) return values;
            if (value is string one)
            {
                values.Add(one);
                return values;
            }
            if (value is IEnumerable many && !(value is IDictionary))
            {
                foreach (object element in many)
                {
                    object item = Unwrap(element);
                    values.Add(item == null ? null : LanguagePrimitives.ConvertTo<string>(item));
                }
                return values;
            }
            values.Add(LanguagePrimitives.ConvertTo<string>(value));
            return values;
        }

        public static bool IsBlank(string value) => string.IsNullOrWhiteSpace(value);

        private static object Unwrap(object value) => value is PSObject ps ? ps.BaseObject : value;
    }
}
