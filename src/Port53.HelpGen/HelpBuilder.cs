using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using Port53.HelpGen.About;
using Port53.HelpGen.Maml;
using Port53.HelpGen.Markdown;
using Port53.HelpGen.Reflection;

namespace Port53.HelpGen
{
    public sealed class HelpBuildResult
    {
        public List<string> Written { get; } = new List<string>();
        /// <summary>Gaps in the help source: they never fail the build (the help tests do that), but are shown.</summary>
        public List<string> Warnings { get; } = new List<string>();
    }

    /// <summary>
    /// docs/cmdlets/*.md and docs/about_*.md become en-US help; docs/cmdlets/&lt;culture&gt;/ and docs/&lt;culture&gt;/
    /// become &lt;culture&gt; help. A culture's command help falls back to the English text of any cmdlet it has not
    /// translated yet, because Get-Help reads one MAML file per culture and would otherwise show nothing.
    /// </summary>
    public static class HelpBuilder
    {
        public const string DefaultCulture = "en-US";
        public static readonly UTF8Encoding Utf8Bom = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);

        public static HelpBuildResult Build(Assembly assembly, string docsDir, string moduleDir, string helpFileName = null)
        {
            helpFileName ??= Path.GetFileName(assembly.Location) + "-Help.xml";
            var result = new HelpBuildResult();
            var cmdlets = CmdletMetadata.FromAssembly(assembly);
            string cmdletDocs = Path.Combine(docsDir, "cmdlets");

            var english = LoadDocs(cmdletDocs);
            Check(cmdlets, english, result.Warnings);
            WriteCulture(DefaultCulture, cmdlets, english, english, docsDir, moduleDir, helpFileName, result);

            foreach (var culture in Cultures(docsDir).Concat(Cultures(cmdletDocs)).Distinct(StringComparer.OrdinalIgnoreCase)
                         .Where(c => !c.Equals(DefaultCulture, StringComparison.OrdinalIgnoreCase)).OrderBy(c => c, StringComparer.Ordinal))
            {
                var translated = LoadDocs(Path.Combine(cmdletDocs, culture));
                foreach (var name in translated.Keys.Where(n => !english.ContainsKey(n)))
                    result.Warnings.Add(translated[name].SourcePath + ": translation of a command with no English help");
                WriteCulture(culture, cmdlets, translated, english, Path.Combine(docsDir, culture), moduleDir, helpFileName, result);
            }
            return result;
        }

        /// <summary>Folder names that are culture names ("zh-CN"), so docs/cmdlets and other folders are not mistaken for one.</summary>
        public static IEnumerable<string> Cultures(string dir)
        {
            if (!Directory.Exists(dir)) yield break;
            foreach (var sub in Directory.GetDirectories(dir).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal))
            {
                CultureInfo culture = null;
                try { culture = CultureInfo.GetCultureInfo(sub, predefinedOnly: true); }
                catch (CultureNotFoundException) { }
                if (culture != null && !string.IsNullOrEmpty(culture.Name) && culture.Name.Equals(sub, StringComparison.OrdinalIgnoreCase)) yield return culture.Name;
            }
        }

        public static Dictionary<string, CommandHelpDoc> LoadDocs(string dir)
        {
            var docs = new Dictionary<string, CommandHelpDoc>(StringComparer.OrdinalIgnoreCase);
            if (!Directory.Exists(dir)) return docs;
            foreach (var file in Directory.GetFiles(dir, "*.md").OrderBy(f => f, StringComparer.Ordinal))
            {
                var doc = CommandHelpDoc.Load(file);
                docs[Path.GetFileNameWithoutExtension(file)] = doc;
            }
            return docs;
        }

        /// <summary>What the help coverage test also checks, said early at build time.</summary>
        public static void Check(IReadOnlyList<CmdletMetadata> cmdlets, IDictionary<string, CommandHelpDoc> docs, List<string> warnings)
        {
            foreach (var cmdlet in cmdlets)
            {
                if (!docs.TryGetValue(cmdlet.Name, out var doc))
                {
                    warnings.Add(cmdlet.Name + ": no help source (docs/cmdlets/" + cmdlet.Name + ".md)");
                    continue;
                }
                foreach (var problem in doc.Problems) warnings.Add(doc.SourcePath + ": " + problem);
                if (!doc.Name.Equals(cmdlet.Name, StringComparison.OrdinalIgnoreCase)) warnings.Add(doc.SourcePath + ": title '# " + doc.Name + "' is not the file's command name");
                if (doc.Synopsis.Count == 0) warnings.Add(doc.SourcePath + ": no SYNOPSIS");
                if (doc.Examples.Count == 0) warnings.Add(doc.SourcePath + ": no EXAMPLES");
                var undocumented = cmdlet.Parameters.Where(p => !p.IsRiskMitigation && !(doc.Parameters.TryGetValue(p.Name, out var d) && d.Description.Count > 0)).Select(p => "-" + p.Name).ToList();
                if (undocumented.Count > 0) warnings.Add(doc.SourcePath + ": parameters without a description: " + string.Join(", ", undocumented));
                var stale = doc.Parameters.Keys.Where(n => !cmdlet.Parameters.Any(p => p.Name.Equals(n, StringComparison.OrdinalIgnoreCase))).Select(n => "-" + n).ToList();
                if (stale.Count > 0) warnings.Add(doc.SourcePath + ": describes parameters the cmdlet does not have: " + string.Join(", ", stale));
            }
            foreach (var name in docs.Keys.Where(n => !cmdlets.Any(c => c.Name.Equals(n, StringComparison.OrdinalIgnoreCase))))
                warnings.Add(docs[name].SourcePath + ": no such cmdlet in the module");
        }

        private static void WriteCulture(string culture, IReadOnlyList<CmdletMetadata> cmdlets, IDictionary<string, CommandHelpDoc> docs,
            IDictionary<string, CommandHelpDoc> fallback, string aboutDir, string moduleDir, string helpFileName, HelpBuildResult result)
        {
            string outDir = Path.Combine(moduleDir, culture);
            Directory.CreateDirectory(outDir);

            var maml = MamlWriter.Write(cmdlets.Select(c => (c, docs.TryGetValue(c.Name, out var d) ? d : fallback.TryGetValue(c.Name, out var f) ? f : null)));
            string mamlPath = Path.Combine(outDir, helpFileName);
            using (var writer = new StreamWriter(mamlPath, false, Utf8Bom)) maml.Save(writer);
            result.Written.Add(mamlPath);

            if (!Directory.Exists(aboutDir)) return;
            foreach (var about in Directory.GetFiles(aboutDir, "about_*.md").OrderBy(f => f, StringComparer.Ordinal))
            {
                // Windows PowerShell 5.1 needs the BOM to read non-ASCII about topics as UTF-8.
                string path = Path.Combine(outDir, Path.GetFileNameWithoutExtension(about) + ".help.txt");
                File.WriteAllText(path, AboutTopicWriter.Convert(File.ReadAllText(about)), Utf8Bom);
                result.Written.Add(path);
            }
        }
    }
}
