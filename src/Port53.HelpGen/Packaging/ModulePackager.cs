using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace Port53.HelpGen.Packaging
{
    public sealed class PackageResult
    {
        public string NupkgPath { get; set; }
        public string ZipPath { get; set; }
        public string Version { get; set; }
    }

    /// <summary>
    /// Packs the assembled module folder the way Publish-PSResource does, so Install-PSResource and Install-Module
    /// accept it from a feed or a local repository: the module's files at the package root beside Port53.nuspec,
    /// plus the OPC parts every nupkg carries ([Content_Types].xml, _rels/.rels, the core-properties part).
    /// Also writes a plain zip of the folder for machines with no repository at all.
    /// </summary>
    public static class ModulePackager
    {
        private static readonly XNamespace Nuspec = "http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd";
        private static readonly XNamespace ContentTypes = "http://schemas.openxmlformats.org/package/2006/content-types";
        private static readonly XNamespace Relationships = "http://schemas.openxmlformats.org/package/2006/relationships";
        private static readonly XNamespace CoreProperties = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";
        private static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";

        public static PackageResult Package(string moduleDir, string outDir, string changelogPath)
        {
            moduleDir = Path.GetFullPath(moduleDir);
            string name = Path.GetFileName(moduleDir.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
            string manifestPath = Path.Combine(moduleDir, name + ".psd1");
            if (!File.Exists(manifestPath)) throw new FileNotFoundException("No module manifest " + manifestPath + "; build the module first.", manifestPath);
            var manifest = ModuleManifest.Load(manifestPath);
            var files = ModuleFiles(moduleDir);
            string releaseNotes = Changelog.ReleaseNotesFromFile(changelogPath, manifest.ModuleVersion);

            Directory.CreateDirectory(outDir);
            var result = new PackageResult
            {
                Version = manifest.PackageVersion,
                NupkgPath = Path.GetFullPath(Path.Combine(outDir, name + "." + manifest.PackageVersion + ".nupkg")),
                ZipPath = Path.GetFullPath(Path.Combine(outDir, name + "." + manifest.PackageVersion + ".zip")),
            };

            string nuspecName = name + ".nuspec";
            // A stable part name: the same version always gets the same core-properties file.
            string psmdcp = "package/services/metadata/core-properties/" +
                Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(name + "/" + manifest.PackageVersion)), 0, 16).ToLowerInvariant() + ".psmdcp";

            File.Delete(result.NupkgPath);
            using (var zip = ZipFile.Open(result.NupkgPath, ZipArchiveMode.Create))
            {
                Add(zip, "_rels/.rels", Rels(nuspecName, psmdcp));
                Add(zip, nuspecName, BuildNuspec(manifest, releaseNotes));
                foreach (var (full, relative) in files) zip.CreateEntryFromFile(full, relative, CompressionLevel.Optimal);
                Add(zip, psmdcp, CoreProps(manifest));
                Add(zip, "[Content_Types].xml", BuildContentTypes(files.Select(f => f.Relative).Append(nuspecName)));
            }
            File.Delete(result.ZipPath);
            using (var zip = ZipFile.Open(result.ZipPath, ZipArchiveMode.Create))
                foreach (var (full, relative) in files) zip.CreateEntryFromFile(full, name + "/" + relative, CompressionLevel.Optimal);
            return result;
        }

        /// <summary>Every file of the module folder with its forward-slash path relative to the folder, in a stable order.</summary>
        public static List<(string Full, string Relative)> ModuleFiles(string moduleDir) =>
            Directory.GetFiles(moduleDir, "*", SearchOption.AllDirectories)
                .Select(f => (Full: f, Relative: Path.GetRelativePath(moduleDir, f).Replace('\\', '/')))
                .OrderBy(f => f.Relative, StringComparer.Ordinal)
                .ToList();

        /// <summary>
        /// The Gallery's tags: the manifest's own, PSModule, and PSCmdlet_/PSCommand_ per exported cmdlet (and
        /// PSFunction_ per function) so that Find-PSResource -Command and -Type Cmdlet find the module.
        /// </summary>
        public static IReadOnlyList<string> Tags(ModuleManifest manifest)
        {
            var tags = new List<string>(manifest.Tags) { "PSModule" };
            if (manifest.CmdletsToExport.Count > 0) tags.Add("PSIncludes_Cmdlet");
            if (manifest.FunctionsToExport.Count > 0) tags.Add("PSIncludes_Function");
            foreach (var cmdlet in manifest.CmdletsToExport) { tags.Add("PSCmdlet_" + cmdlet); tags.Add("PSCommand_" + cmdlet); }
            foreach (var function in manifest.FunctionsToExport) { tags.Add("PSFunction_" + function); tags.Add("PSCommand_" + function); }
            return tags.Where(t => t.Length > 0 && !t.Any(char.IsWhiteSpace)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        }

        public static XDocument BuildNuspec(ModuleManifest manifest, string releaseNotes)
        {
            var metadata = new XElement(Nuspec + "metadata",
                new XElement(Nuspec + "id", manifest.Name),
                new XElement(Nuspec + "version", manifest.PackageVersion),
                new XElement(Nuspec + "authors", manifest.Author ?? manifest.CompanyName ?? manifest.Name),
                new XElement(Nuspec + "owners", manifest.CompanyName ?? manifest.Author ?? manifest.Name),
                new XElement(Nuspec + "requireLicenseAcceptance", "false"),
                new XElement(Nuspec + "license", new XAttribute("type", "expression"), "MIT"),
                // Older clients ignore <license>; this is the URL nuget.org itself gives an expression.
                new XElement(Nuspec + "licenseUrl", "https://licenses.nuget.org/MIT"));
            if (!string.IsNullOrEmpty(manifest.ProjectUri)) metadata.Add(new XElement(Nuspec + "projectUrl", manifest.ProjectUri));
            if (!string.IsNullOrEmpty(manifest.IconUri)) metadata.Add(new XElement(Nuspec + "iconUrl", manifest.IconUri));
            metadata.Add(new XElement(Nuspec + "description", manifest.Description ?? manifest.Name));
            if (!string.IsNullOrEmpty(releaseNotes)) metadata.Add(new XElement(Nuspec + "releaseNotes", releaseNotes));
            if (!string.IsNullOrEmpty(manifest.Copyright)) metadata.Add(new XElement(Nuspec + "copyright", manifest.Copyright));
            metadata.Add(new XElement(Nuspec + "tags", string.Join(" ", Tags(manifest))));
            return new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement(Nuspec + "package", metadata));
        }

        private static XDocument Rels(string nuspecName, string psmdcp) =>
            new XDocument(new XDeclaration("1.0", "utf-8", null),
                new XElement(Relationships + "Relationships",
                    new XElement(Relationships + "Relationship",
                        new XAttribute("Type", "http://schemas.microsoft.com/packaging/2010/07/manifest"),
                        new XAttribute("Target", "/" + nuspecName), new XAttribute("Id", "R" + Id(nuspecName))),
                    new XElement(Relationships + "Relationship",
                        new XAttribute("Type", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"),
                        new XAttribute("Target", "/" + psmdcp), new XAttribute("Id", "R" + Id(psmdcp)))));

        private static XDocument CoreProps(ModuleManifest manifest) =>
            new XDocument(new XDeclaration("1.0", "utf-8", null),
                new XElement(CoreProperties + "coreProperties",
                    new XAttribute(XNamespace.Xmlns + "dc", Dc),
                    new XElement(Dc + "creator", manifest.Author ?? ""),
                    new XElement(Dc + "description", manifest.Description ?? ""),
                    new XElement(Dc + "identifier", manifest.Name),
                    new XElement(CoreProperties + "version", manifest.PackageVersion),
                    new XElement(CoreProperties + "keywords", string.Join(" ", Tags(manifest))),
                    new XElement(CoreProperties + "lastModifiedBy", "Port53.HelpGen")));

        /// <summary>A Default per file extension; files without one (LICENSE) need an Override naming the part.</summary>
        public static XDocument BuildContentTypes(IEnumerable<string> partNames)
        {
            var types = new XElement(ContentTypes + "Types",
                new XElement(ContentTypes + "Default", new XAttribute("Extension", "rels"), new XAttribute("ContentType", "application/vnd.openxmlformats-package.relationships+xml")),
                new XElement(ContentTypes + "Default", new XAttribute("Extension", "psmdcp"), new XAttribute("ContentType", "application/vnd.openxmlformats-package.core-properties+xml")));
            var parts = partNames.ToList();
            foreach (var ext in parts.Select(p => Path.GetExtension(p).TrimStart('.')).Where(e => e.Length > 0)
                         .Distinct(StringComparer.OrdinalIgnoreCase).Where(e => e != "rels" && e != "psmdcp").OrderBy(e => e, StringComparer.Ordinal))
                types.Add(new XElement(ContentTypes + "Default", new XAttribute("Extension", ext), new XAttribute("ContentType", "application/octet")));
            foreach (var part in parts.Where(p => Path.GetExtension(p).Length == 0))
                types.Add(new XElement(ContentTypes + "Override", new XAttribute("PartName", "/" + part), new XAttribute("ContentType", "application/octet")));
            return new XDocument(new XDeclaration("1.0", "utf-8", null), types);
        }

        private static string Id(string part) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(part)), 0, 8);

        private static void Add(ZipArchive zip, string entryName, XDocument document)
        {
            var entry = zip.CreateEntry(entryName, CompressionLevel.Optimal);
            using var stream = entry.Open();
            using var writer = new StreamWriter(stream, new UTF8Encoding(false));
            document.Save(writer);
        }
    }
}
