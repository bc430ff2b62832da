using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Port53.HelpGen;
using Port53.HelpGen.Markdown;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Help
{
    /// <summary>
    /// A translation (docs/cmdlets/&lt;culture&gt;/&lt;Verb-Noun&gt;.md, docs/&lt;culture&gt;/about_Port53.md) translates the
    /// prose and nothing else: code blocks, code spans, parameters, examples, INPUTS/OUTPUTS types and links stay as
    /// the English file has them. So when the English help changes its code or its parameters, the translations that
    /// have fallen behind fail here, and a translated heading (which the help reader would drop) is reported.
    /// A cmdlet without a translation is allowed: the build gives that culture its English text.
    /// </summary>
    public class TranslatedHelpTests
    {
        private static string Docs => Path.Combine(PowerShellSession.RepoRoot, "docs");
        private static string CmdletDocs => Path.Combine(Docs, "cmdlets");

        public static IEnumerable<object[]> Cultures() => TranslationTests.Cultures.Select(c => new object[] { c });

        private static readonly Regex Fence = new Regex(@"^```[^\n]*\n.*?^```[ \t]*$", RegexOptions.Multiline | RegexOptions.Singleline);
        private static readonly Regex CodeSpan = new Regex(@"`([^`\n]+)`");

        /// <summary>Fenced blocks in order, with line endings normalised.</summary>
        public static List<string> CodeBlocks(string markdown) =>
            Fence.Matches(markdown.Replace("\r\n", "\n")).Select(m => m.Value).ToList();

        /// <summary>Inline code spans outside fenced blocks, sorted: a translation may reorder a sentence.</summary>
        public static List<string> CodeSpans(string markdown) =>
            CodeSpan.Matches(Fence.Replace(markdown.Replace("\r\n", "\n"), "")).Select(m => m.Groups[1].Value).OrderBy(s => s, StringComparer.Ordinal).ToList();

        private static void CompareCode(string where, string english, string translated, List<string> gaps)
        {
            var enBlocks = CodeBlocks(english);
            var trBlocks = CodeBlocks(translated);
            if (enBlocks.Count != trBlocks.Count) gaps.Add(where + trBlocks.Count + " code blocks, English has " + enBlocks.Count);
            else
                for (int i = 0; i < enBlocks.Count; i++)
                    if (enBlocks[i] != trBlocks[i]) gaps.Add(where + "code block " + (i + 1) + " differs from English:\n" + trBlocks[i] + "\nEnglish:\n" + enBlocks[i]);
            var enSpans = CodeSpans(english);
            var trSpans = CodeSpans(translated);
            var missing = enSpans.ToList();
            foreach (var s in trSpans) missing.Remove(s);
            var extra = trSpans.ToList();
            foreach (var s in enSpans) extra.Remove(s);
            if (missing.Count > 0) gaps.Add(where + "code spans of the English text missing: " + string.Join(" ", missing.Select(s => "`" + s + "`")));
            if (extra.Count > 0) gaps.Add(where + "code spans the English text does not have: " + string.Join(" ", extra.Select(s => "`" + s + "`")));
        }

        [Theory]
        [InlineData("Uses `-Region *`.\n\n```powershell\nGet-TcRegion\n```\n", "使用 `-Region *`。\n\n```powershell\nGet-TcRegion\n```\n", 0)]
        [InlineData("Policy `Reject`.", "策略 `拒绝`。", 2)]
        [InlineData("```powershell\nGet-TcRegion\n```\n", "```powershell\nGet-TcRegion -Name ap-*\n```\n", 1)]
        [InlineData("`a` and `b`.", "`b` 和 `a`。", 0)]
        public void CodeComparisonFindsChangedCodeAndTranslatedValues(string english, string translated, int gapCount)
        {
            var gaps = new List<string>();
            CompareCode("", english, translated, gaps);
            Assert.Equal(gapCount, gaps.Count);
        }

        private static string Parameters(List<string> names) => names.Count == 0 ? "no parameters" : "-" + string.Join(", -", names);

        [Theory]
        [MemberData(nameof(Cultures))]
        public void TranslatedCommandHelpKeepsTheEnglishCodeParametersExamplesTypesAndLinks(string culture)
        {
            var english = HelpBuilder.LoadDocs(CmdletDocs);
            var translated = HelpBuilder.LoadDocs(Path.Combine(CmdletDocs, culture));
            Assert.True(translated.Count > 0, "docs/cmdlets/" + culture + " has no translated help");
            var gaps = new List<string>();
            foreach (var (name, doc) in translated)
            {
                // A translation without an English original is HelpCoverageTests' to report.
                if (!english.TryGetValue(name, out var en)) continue;
                string where = "docs/cmdlets/" + culture + "/" + name + ".md: ";
                gaps.AddRange(doc.Problems.Select(p => where + p + " (keep the English ## headings)"));
                if (!doc.Name.Equals(name, StringComparison.Ordinal)) gaps.Add(where + "title '# " + doc.Name + "' is not the command name");
                if (doc.Synopsis.Count == 0 || doc.Synopsis.SequenceEqual(en.Synopsis)) gaps.Add(where + "the synopsis is missing or still English");
                if (doc.Description.Count == 0) gaps.Add(where + "no description");
                if (en.Notes.Count > 0 && doc.Notes.Count == 0) gaps.Add(where + "no notes");

                if (doc.Examples.Count != en.Examples.Count) gaps.Add(where + doc.Examples.Count + " examples, English has " + en.Examples.Count);
                else
                    for (int i = 0; i < en.Examples.Count; i++)
                    {
                        if (doc.Examples[i].Code != en.Examples[i].Code) gaps.Add(where + "example " + (i + 1) + " has other code than English");
                        if (doc.Examples[i].Remarks.Count == 0) gaps.Add(where + "example " + (i + 1) + " has no explanation");
                    }

                var enParameters = en.Parameters.Keys.OrderBy(k => k, StringComparer.OrdinalIgnoreCase).ToList();
                var trParameters = doc.Parameters.Keys.OrderBy(k => k, StringComparer.OrdinalIgnoreCase).ToList();
                if (!enParameters.SequenceEqual(trParameters, StringComparer.OrdinalIgnoreCase))
                    gaps.Add(where + "describes " + Parameters(trParameters) + "; English describes " + Parameters(enParameters));
                foreach (var (parameter, text) in doc.Parameters)
                {
                    if (text.Description.Count == 0) gaps.Add(where + "-" + parameter + " has no description");
                    if (en.Parameters.TryGetValue(parameter, out var enText) && text.DefaultValue != enText.DefaultValue)
                        gaps.Add(where + "-" + parameter + " default value '" + text.DefaultValue + "', English has '" + enText.DefaultValue + "'");
                }

                if (!doc.Inputs.Select(t => t.TypeName).SequenceEqual(en.Inputs.Select(t => t.TypeName))) gaps.Add(where + "INPUTS types differ from English");
                if (!doc.Outputs.Select(t => t.TypeName).SequenceEqual(en.Outputs.Select(t => t.TypeName))) gaps.Add(where + "OUTPUTS types differ from English");
                if (!doc.RelatedLinks.Select(l => l.Text).SequenceEqual(en.RelatedLinks.Select(l => l.Text))) gaps.Add(where + "RELATED LINKS differ from English");

                CompareCode(where, File.ReadAllText(en.SourcePath), File.ReadAllText(doc.SourcePath), gaps);
            }
            Assert.True(gaps.Count == 0, "Translations that differ from their English original in more than prose:\n  " + string.Join("\n  ", gaps));
        }

        [Theory]
        [MemberData(nameof(Cultures))]
        public void TranslatedAboutTopicKeepsTheEnglishCodeBlocksAndCodeSpans(string culture)
        {
            string path = Path.Combine(Docs, culture, "about_Port53.md");
            Assert.True(File.Exists(path), path + " is missing");
            var gaps = new List<string>();
            CompareCode("docs/" + culture + "/about_Port53.md: ", File.ReadAllText(Path.Combine(Docs, "about_Port53.md")), File.ReadAllText(path), gaps);
            Assert.True(gaps.Count == 0, string.Join("\n", gaps));
        }

        private static string Normalize(string text) => Regex.Replace(text ?? "", @"\s+", " ").Trim();
        private static string Clip(string text) => text.Length <= 100 ? text : text.Substring(0, 100) + "...";

        /// <summary>
        /// What a user with that UI culture reads: the synopsis, the first paragraph of the description, every
        /// parameter's description and every example's title come from the translation.
        /// </summary>
        [Theory]
        [MemberData(nameof(Cultures))]
        public void GetHelpInThatUICultureShowsTheTranslatedCommandHelp(string culture)
        {
            var translated = HelpBuilder.LoadDocs(Path.Combine(CmdletDocs, culture));
            Assert.True(translated.Count > 0, "docs/cmdlets/" + culture + " has no translated help");
            // A session of its own: Get-Help caches what it has read per session, whatever the culture.
            using var session = new PowerShellSession();
            var r = session.Run(
                "$saved = [System.Globalization.CultureInfo]::CurrentUICulture\n" +
                "try {\n" +
                "  [System.Globalization.CultureInfo]::CurrentUICulture = [System.Globalization.CultureInfo]::GetCultureInfo('" + culture + "')\n" +
                "  foreach ($name in $names) {\n" +
                "    $h = Get-Help $name -Full\n" +
                "    \"$name|synopsis|$($h.Synopsis)\"\n" +
                "    \"$name|description|$(@($h.Description)[0].Text)\"\n" +
                "    foreach ($p in $h.Parameters.Parameter) { \"$name|-$($p.Name)|$(@($p.Description)[0].Text)\" }\n" +
                "    foreach ($e in $h.Examples.Example) { \"$name|example|$($e.Title)\" }\n" +
                "  }\n" +
                "} finally { [System.Globalization.CultureInfo]::CurrentUICulture = $saved }",
                new Dictionary<string, object> { ["names"] = translated.Keys.ToArray() });
            r.AssertNoErrors();
            var shown = r.Output.Select(o => o.ToString().Split('|', 3)).ToLookup(p => p[0] + "|" + p[1], p => Normalize(p[2]));

            var gaps = new List<string>();
            foreach (var (name, doc) in translated)
            {
                void Expect(string what, string expected, Func<string, string, bool> matches)
                {
                    var seen = shown[name + "|" + what].ToList();
                    if (!seen.Any(s => matches(s, Normalize(expected))))
                        gaps.Add(name + " " + what + ": Get-Help shows '" + Clip(string.Join("' / '", seen)) + "', the translation says '" + Clip(Normalize(expected)) + "'");
                }
                Expect("synopsis", string.Join(" ", doc.Synopsis), (s, e) => s == e);
                Expect("description", doc.Description.FirstOrDefault(), (s, e) => s == e);
                foreach (var (parameter, text) in doc.Parameters)
                    Expect("-" + parameter, text.Description.FirstOrDefault(), (s, e) => s == e);
                foreach (var example in doc.Examples)
                    Expect("example", example.Title, (s, e) => s.Contains(e, StringComparison.Ordinal));
            }
            Assert.True(gaps.Count == 0, "Get-Help in " + culture + " does not show the translated help (" + gaps.Count + " places):\n  " + string.Join("\n  ", gaps.Take(10)));
        }
    }
}
