using System.IO;
using System.Linq;
using Port53.HelpGen;
using Port53.HelpGen.About;
using Port53.HelpGen.Markdown;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Help
{
    public class AboutTopicTests
    {
        private const string Sample = "---\nfoo: bar\n---\n# about_Thing\n\n## Short description\nOne line.\n\n## Long description\n" +
            "A long paragraph that goes on and on and on well past the eighty column limit that console help is written for, so it wraps.\n\n" +
            "- first item\n- second item that is also long enough to wrap past the eighty column limit of the console help text\n\n" +
            "```powershell\nGet-Thing |\n    Set-Thing\n```\n\n### A sub heading\n| a | b |\n|---|---|\n| 1 | 2 |\n";

        [Fact]
        public void TopicHeadingsProseListsCodeAndTables()
        {
            var lines = MarkdownBlocks.SplitLines(AboutTopicWriter.Convert(Sample));
            Assert.Equal(new[] { "TOPIC", "    about_Thing", "", "SHORT DESCRIPTION", "", "    One line.", "", "LONG DESCRIPTION", "" }, lines.Take(9));
            Assert.All(lines, l => Assert.True(TextWrap.Width(l) <= AboutTopicWriter.Width, l));
            Assert.Contains("    - first item", lines);
            int second = lines.IndexOf("    - first item") + 1;
            Assert.StartsWith("    - second item", lines[second]);
            Assert.StartsWith("      ", lines[second + 1]);
            Assert.Contains("        Get-Thing |", lines);
            Assert.Contains("            Set-Thing", lines);
            Assert.Contains("  A sub heading", lines);
            Assert.Contains("    | 1 | 2 |", lines);
            Assert.DoesNotContain(lines, l => l.Contains("foo"));
        }

        [Fact]
        public void ChineseAndJapaneseWrapBetweenCharactersAndKeepPunctuationOffTheLineStart()
        {
            string zh = string.Concat(Enumerable.Repeat("安全组规则按优先级从上到下匹配，第一条命中的规则决定结果。", 6));
            var lines = TextWrap.Wrap(zh, 80, "    ", "    ").ToList();
            Assert.True(lines.Count > 1);
            Assert.All(lines, l => Assert.True(TextWrap.Width(l) <= 81, l));
            Assert.All(lines.Skip(1), l => Assert.DoesNotMatch("^    [，。、]", l));
            Assert.Equal(zh, string.Concat(lines.Select(l => l.Substring(4))));
        }

        [Fact]
        public void KoreanWrapsAtSpaces()
        {
            string ko = string.Join(" ", Enumerable.Repeat("보안 그룹 규칙은 위에서 아래로 평가됩니다.", 8));
            var lines = TextWrap.Wrap(ko, 80, "", "").ToList();
            Assert.True(lines.Count > 1);
            Assert.All(lines, l => Assert.True(TextWrap.Width(l) <= 80, l));
            Assert.Equal(ko, string.Join(" ", lines));
        }

        /// <summary>The shipped topics: every language has the English topic's outline, and every line fits a console.</summary>
        [Fact]
        public void ShippedAboutTopicsConvertAndTranslationsKeepTheOutline()
        {
            string docs = Path.Combine(PowerShellSession.RepoRoot, "docs");
            string english = Path.Combine(docs, "about_Port53.md");
            Assert.True(File.Exists(english), "docs/about_Port53.md is missing");
            var outline = Outline(english);
            var cultures = HelpBuilder.Cultures(docs).ToList();
            Assert.Equal(new[] { "ja-JP", "ko-KR", "zh-CN" }, cultures.OrderBy(c => c));
            foreach (var culture in cultures)
            {
                string path = Path.Combine(docs, culture, "about_Port53.md");
                Assert.True(File.Exists(path), path + " is missing");
                Assert.True(outline.SequenceEqual(Outline(path)), culture + " about_Port53.md does not have the English topic's sections (same count of ## and ### headings, in order)");
                var text = AboutTopicWriter.Convert(File.ReadAllText(path));
                Assert.StartsWith("TOPIC\n    about_Port53\n", text);
            }
            var lines = MarkdownBlocks.SplitLines(AboutTopicWriter.Convert(File.ReadAllText(english)));
            Assert.All(lines.Where(l => !l.StartsWith("        ") && !l.TrimStart().StartsWith("|")), l => Assert.True(TextWrap.Width(l) <= 80, l));
        }

        private static int[] Outline(string path)
        {
            var root = MarkdownBlocks.ParseSections(File.ReadAllText(path));
            return root.Children.SelectMany(h1 => h1.Children).SelectMany(h2 => new[] { 2 }.Concat(h2.Children.Select(_ => 3))).ToArray();
        }
    }
}
