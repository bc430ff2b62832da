using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;

namespace Port53.HelpGen.Packaging
{
    /// <summary>
    /// The fields of a .psd1 the package needs, read with PowerShell's own parser and SafeGetValue: the manifest is
    /// data, so nothing in it is executed and no runspace is needed.
    /// </summary>
    public sealed class ModuleManifest
    {
        public string Name { get; private set; }
        public string ModuleVersion { get; private set; }
        /// <summary>ModuleVersion plus "-Prerelease" when PSData has one, as the Gallery builds it.</summary>
        public string PackageVersion { get; private set; }
        public string Author { get; private set; }
        public string CompanyName { get; private set; }
        public string Copyright { get; private set; }
        public string Description { get; private set; }
        public IReadOnlyList<string> Tags { get; private set; }
        public string ProjectUri { get; private set; }
        public string LicenseUri { get; private set; }
        public string IconUri { get; private set; }
        public IReadOnlyList<string> CmdletsToExport { get; private set; }
        public IReadOnlyList<string> FunctionsToExport { get; private set; }

        public static ModuleManifest Load(string path)
        {
            var ast = Parser.ParseFile(path, out _, out ParseError[] errors);
            if (errors.Length > 0) throw new InvalidDataException(path + ": " + errors[0].Message);
            var hashtable = ast.Find(a => a is HashtableAst, false) as HashtableAst
                ?? throw new InvalidDataException(path + ": no @{ } manifest hashtable.");
            var data = (Hashtable)hashtable.SafeGetValue();
            var psData = (data["PrivateData"] as Hashtable)?["PSData"] as Hashtable ?? new Hashtable();

            string version = Text(data, "ModuleVersion") ?? throw new InvalidDataException(path + ": no ModuleVersion.");
            string prerelease = Text(psData, "Prerelease");
            return new ModuleManifest
            {
                Name = Path.GetFileNameWithoutExtension(path),
                ModuleVersion = version,
                PackageVersion = string.IsNullOrEmpty(prerelease) ? version : version + "-" + prerelease.TrimStart('-'),
                Author = Text(data, "Author"),
                CompanyName = Text(data, "CompanyName"),
                Copyright = Text(data, "Copyright"),
                Description = Text(data, "Description"),
                Tags = List(psData, "Tags"),
                ProjectUri = Text(psData, "ProjectUri"),
                LicenseUri = Text(psData, "LicenseUri"),
                IconUri = Text(psData, "IconUri"),
                CmdletsToExport = List(data, "CmdletsToExport"),
                FunctionsToExport = List(data, "FunctionsToExport"),
            };
        }

        private static string Text(Hashtable table, string key) => table[key]?.ToString();

        private static IReadOnlyList<string> List(Hashtable table, string key)
        {
            switch (table[key])
            {
                case null: return Array.Empty<string>();
                case string s: return s.Length == 0 ? Array.Empty<string>() : new[] { s };
                case IEnumerable e: return e.Cast<object>().Where(o => o != null).Select(o => o.ToString()).ToList();
                default: return new[] { table[key].ToString() };
            }
        }
    }
}
