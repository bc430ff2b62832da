using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Resources;
using System.Runtime.Loader;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Help
{
    /// <summary>
    /// Every message table (src/Port53/Resources/&lt;Area&gt;.resx) must be translated into every supported language:
    /// each English key present in &lt;Area&gt;.&lt;culture&gt;.resx, non-empty, with the same {0} {1}... placeholders, and
    /// no key English does not have. Run just these with:
    ///     dotnet test tests/Port53.Tests -c Release --filter FullyQualifiedName~TranslationTests
    /// To add a language, add it to <see cref="Cultures"/> and add the .resx files (docs/help-and-packaging.md).
    /// </summary>
    public class TranslationTests
    {
        public static readonly string[] Cultures = { "zh-CN", "ja-JP", "ko-KR" };

        private static string ResourceDir => Path.Combine(PowerShellSession.RepoRoot, "src", "Port53", "Resources");

        /// <summary>The English tables: Area.resx, with no culture in the name.</summary>
        public static IEnumerable<string> Areas() =>
            Directory.GetFiles(ResourceDir, "*.resx").Select(Path.GetFileNameWithoutExtension).Where(n => !n.Contains('.')).OrderBy(n => n, StringComparer.Ordinal);

        public static IEnumerable<object[]> TableCultures() => Areas().SelectMany(a => Cultures.Select(c => new object[] { a, c }));

        public static Dictionary<string, string> Read(string path) =>
            XDocument.Load(path).Root.Elements("data")
                .Where(d => d.Attribute("type") == null && d.Attribute("mimetype") == null)
                .ToDictionary(d => (string)d.Attribute("name"), d => (string)d.Element("value") ?? "", StringComparer.Ordinal);

        private static readonly Regex Placeholder = new Regex(@"(?<!\{)\{(\d+)(?:,-?\d+)?(?::[^{}]*)?\}(?!\})");

        /// <summary>The format items of a message, as a sorted multiset: "{1} of {0}" → "0,1".</summary>
        public static string Placeholders(string text) =>
            string.Join(",", Placeholder.Matches(text.Replace("{{", "").Replace("}}", "")).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).OrderBy(i => i));

        [Theory]
        [MemberData(nameof(TableCultures))]
        public void EveryEnglishKeyIsTranslatedWithTheSamePlaceholders(string area, string culture)
        {
            var english = Read(Path.Combine(ResourceDir, area + ".resx"));
            string path = Path.Combine(ResourceDir, area + "." + culture + ".resx");
            if (english.Count == 0 && !File.Exists(path)) return;
            Assert.True(File.Exists(path), "src/Port53/Resources/" + area + "." + culture + ".resx is missing; it must translate: " + string.Join(", ", english.Keys));

            var translated = Read(path);
            var problems = new List<string>();
            foreach (var (key, text) in english)
            {
                if (!translated.TryGetValue(key, out var t) || t.Trim().Length == 0) problems.Add(key + ": not translated");
                else if (Placeholders(t) != Placeholders(text)) problems.Add(key + ": placeholders {" + Placeholders(t) + "}, English has {" + Placeholders(text) + "}");
            }
            problems.AddRange(translated.Keys.Where(k => !english.ContainsKey(k)).Select(k => k + ": not in " + area + ".resx (renamed or removed?)"));
            Assert.True(problems.Count == 0, area + "." + culture + ".resx:\n  " + string.Join("\n  ", problems));
        }

        [Fact]
        public void EveryTranslatedTableHasAnEnglishTableAndASupportedCulture()
        {
            var areas = Areas().ToHashSet(StringComparer.Ordinal);
            foreach (var name in Directory.GetFiles(ResourceDir, "*.*.resx").Select(Path.GetFileNameWithoutExtension))
            {
                int dot = name.IndexOf('.');
                Assert.True(areas.Contains(name.Substring(0, dot)), name + ".resx has no English table");
                Assert.Contains(name.Substring(dot + 1), Cultures);
            }
        }

        [Theory]
        [InlineData("{0} of {1}", "0,1")]
        [InlineData("{1:N0} 个 {0,-5}", "0,1")]
        [InlineData("{{literal}} {0}", "0")]
        [InlineData("none", "")]
        public void PlaceholdersAreCompared(string text, string expected) => Assert.Equal(expected, Placeholders(text));

        /// <summary>The module folder's satellite assemblies carry the translations (what Import-Module users get).</summary>
        [Theory]
        [InlineData("zh-CN", "未找到腾讯云凭据")]
        [InlineData("ja-JP", "資格情報が見つかりませんでした")]
        [InlineData("ko-KR", "자격 증명을 찾을 수 없습니다")]
        public void ModuleFolderHasASatelliteAssemblyPerLanguage(string culture, string expected)
        {
            string path = Path.Combine(PowerShellSession.RepoRoot, "out", "Port53", culture, "Port53.resources.dll");
            Assert.True(File.Exists(path), path + " is missing: the build did not copy the satellite assemblies into the module folder");
            var context = new AssemblyLoadContext("satellite-" + culture, isCollectible: true);
            try
            {
                var satellite = context.LoadFromAssemblyPath(path);
                Assert.Equal(culture, satellite.GetName().CultureName);
                using var stream = satellite.GetManifestResourceStream("Port53.Resources.Core." + culture + ".resources");
                Assert.NotNull(stream);
                using var reader = new ResourceReader(stream);
                var values = reader.Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => e.Value as string);
                Assert.Contains(expected, values["NoCredentials"]);
            }
            finally
            {
                context.Unload();
            }
        }
    }

    public class LocalizedMessageTests : IClassFixture<PowerShellSession>
    {
        private readonly PowerShellSession _ps;
        public LocalizedMessageTests(PowerShellSession ps) => _ps = ps;

        [Fact]
        public void WithUICultureZhCnTheModuleSpeaksChinese()
        {
            // PowerShell 7 runs a pipeline with the thread's UI culture (what [CultureInfo]::CurrentUICulture sets, and
            // what a Chinese system starts with). No cmdlet emits NoCredentials yet in this branch, so the script asks the
            // module's own string table from inside the engine, on the pipeline thread, as a cmdlet would.
            var r = _ps.Run(
                "$saved = [System.Globalization.CultureInfo]::CurrentUICulture\n" +
                "try {\n" +
                "  [System.Globalization.CultureInfo]::CurrentUICulture = [System.Globalization.CultureInfo]::GetCultureInfo('zh-CN')\n" +
                "  $strings = (Get-Module Port53).ImplementingAssembly.GetType('Port53.Resources.Strings')\n" +
                "  $core = $strings.GetField('Core').GetValue($null)\n" +
                "  $core.GetType().GetProperty('Item').GetValue($core, @('NoCredentials'))\n" +
                "} finally { [System.Globalization.CultureInfo]::CurrentUICulture = $saved }");
            r.AssertNoErrors();
            Assert.StartsWith("未找到腾讯云凭据。", r.Output.Single().ToString());
        }
    }
}
