using System.Globalization;
using System.Resources;

namespace Port53.Resources
{
    /// <summary>
    /// Every user-facing string comes from a resx table, chosen by the current UI culture with English as the
    /// fallback. One table per area so that the areas can grow independently; the keys are never shown to users
    /// and never change between languages (ErrorIds and property names are not in these tables).
    /// </summary>
    internal static class Strings
    {
        /// <summary>Client, credentials, context, regions and instances.</summary>
        public static readonly StringTable Core = new StringTable("Core");
        /// <summary>Security groups, rules and Test-TcPort53.</summary>
        public static readonly StringTable Audit = new StringTable("Audit");
        /// <summary>Block-TcPort53 and Unblock-TcPort53.</summary>
        public static readonly StringTable Remediation = new StringTable("Remediation");
        /// <summary>Start-TcEmulator and friends.</summary>
        public static readonly StringTable Emulator = new StringTable("Emulator");
    }

    internal sealed class StringTable
    {
        private readonly ResourceManager _resources;

        public StringTable(string area)
        {
            _resources = new ResourceManager("Port53.Resources." + area, typeof(StringTable).Assembly);
        }

        /// <summary>The string for the current UI culture; a missing key is a bug, so it shows itself rather than vanishing.</summary>
        public string this[string key] => _resources.GetString(key, CultureInfo.CurrentUICulture) ?? "[" + key + "]";

        public string Format(string key, params object[] args) =>
            string.Format(CultureInfo.CurrentCulture, this[key], args);
    }
}
