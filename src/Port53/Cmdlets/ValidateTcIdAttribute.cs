using System.Management.Automation;
using System.Text.RegularExpressions;
using Port53.Resources;

namespace Port53.Cmdlets
{
    /// <summary>
    /// Checks a Tencent resource id at binding time (ins-xxxxxxxx, sg-xxxxxxxx, ...), so a typo fails as a
    /// parameter-binding error that names the value and the expected form, before any request is made.
    /// </summary>
    public sealed class ValidateTcIdAttribute : ValidateEnumeratedArgumentsAttribute
    {
        private readonly Regex _pattern;

        public ValidateTcIdAttribute(string prefix)
        {
            Prefix = prefix;
            _pattern = new Regex("^" + Regex.Escape(prefix) + "-[0-9a-z]{8}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        }

        public string Prefix { get; }

        protected override void ValidateElement(object element)
        {
            string value = (element is PSObject ps ? ps.BaseObject : element) as string;
            if (value == null || !_pattern.IsMatch(value))
                throw new ValidationMetadataException(Strings.Core.Format("InvalidResourceId", element, Prefix + "-xxxxxxxx"));
        }
    }
}
