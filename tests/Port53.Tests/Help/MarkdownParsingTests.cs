using System.Linq;
using Port53.HelpGen.Markdown;
using Xunit;

namespace Port53.Tests.Help
{
    public class MarkdownParsingTests
    {
        private static CommandHelpDoc Doc() => CommandHelpDoc.Parse(HelpFixtureModule.GetWidgetMd, "fallback");

        [Fact]
        public void FrontMatterTitleAndSynopsis()
        {
            var doc = Doc();
            Assert.Equal("Get-HgWidget", doc.Name);
            Assert.Equal("https://example.invalid/Get-HgWidget", doc.OnlineVersion);
            Assert.Equal("HgFixture", doc.FrontMatter["Module Name"]);
            Assert.Equal(new[] { "Gets widgets by name or id." }, doc.Synopsis);
            Assert.Empty(doc.Problems);
        }

        [Fact]
        public void DescriptionKeepsParagraphsListItemsAndCode()
        {
            Assert.Equal(new[]
            {
                "The Get-HgWidget cmdlet gets widgets. It reads the widget guide (https://example.invalid/guide) first.",
                "- Names may contain wildcards.",
                "- Ids are exact.",
                "    Get-HgWidget -Name w*",
            }, Doc().Description);
        }

        [Fact]
        public void ExamplesSplitIntoTitleCodeAndRemarks()
        {
            var examples = Doc().Examples;
            Assert.Equal(2, examples.Count);
            Assert.Equal("Example 1: Get every widget", examples[0].Title);
            Assert.Equal("PS> Get-HgWidget", examples[0].Code);
            Assert.Equal(new[] { "Gets every widget there is." }, examples[0].Remarks);
            Assert.Equal(new[] { "Pipes an id. Second line of the same paragraph." }, examples[1].Remarks);
        }

        [Fact]
        public void ParametersTakeProseAndDefaultValueButNotTheYamlOrCommonParameters()
        {
            var parameters = Doc().Parameters;
            Assert.Equal(new[] { "Name", "Id", "Size", "Limit", "Force" }, parameters.Keys);
            Assert.Equal(new[] { "Names of the widgets to get. Wildcards are allowed: w*." }, parameters["name"].Description);
            Assert.Equal("All widgets", parameters["Name"].DefaultValue);
            Assert.Null(parameters["Id"].DefaultValue);
        }

        [Fact]
        public void InputsOutputsNotesAndRelatedLinks()
        {
            var doc = Doc();
            Assert.Equal("System.String", doc.Inputs.Single().TypeName);
            Assert.Equal(new[] { "A widget name." }, doc.Inputs.Single().Description);
            Assert.Equal("System.IO.FileInfo", doc.Outputs.Single().TypeName);
            Assert.Equal(new[] { "Widgets are imaginary." }, doc.Notes);
            Assert.Equal(new[] { ("Stop-HgWidget", ""), ("Widget guide", "https://example.invalid/guide") }, doc.RelatedLinks.Select(l => (l.Text, l.Uri)));
        }

        [Fact]
        public void HeadingsInsideCodeFencesAreCode()
        {
            var doc = CommandHelpDoc.Parse("# Get-X\n## EXAMPLES\n### Example 1\n```powershell\n# a comment, not a heading\nGet-X\n```\nText.\n", "x");
            Assert.Equal("# a comment, not a heading\nGet-X", doc.Examples.Single().Code);
        }

        [Fact]
        public void UnknownSectionsAndDuplicateParametersAreReported()
        {
            var doc = CommandHelpDoc.Parse("# Get-X\n## SYNOPSYS\nTypo.\n## PARAMETERS\n### -A\nOne.\n### -A\nTwo.\n", "x");
            Assert.Equal(2, doc.Problems.Count);
            Assert.Contains(doc.Problems, p => p.Contains("SYNOPSYS"));
            Assert.Contains(doc.Problems, p => p.Contains("-A"));
        }

        [Fact]
        public void MissingTitleFallsBackToTheFileName()
        {
            Assert.Equal("Get-Y", CommandHelpDoc.Parse("## SYNOPSIS\nS.\n", "Get-Y").Name);
        }

        [Theory]
        [InlineData("**bold** and __strong__", "bold and strong")]
        [InlineData("use `Get-TcInstance -Region *`", "use Get-TcInstance -Region *")]
        [InlineData("see [about_Port53](about_Port53.md)", "see about_Port53")]
        [InlineData("see [docs](https://x.invalid/a)", "see docs (https://x.invalid/a)")]
        [InlineData("a \\* star and -Region *", "a * star and -Region *")]
        [InlineData("`**not bold**`", "**not bold**")]
        public void InlineMarkupBecomesPlainText(string markdown, string text) => Assert.Equal(text, MarkdownBlocks.Inline(markdown));

        [Fact]
        public void LineBreaksBetweenHanOrKanaJoinWithoutASpace()
        {
            Assert.Equal("第一行第二行 and English", MarkdownBlocks.JoinLines(new[] { "第一行", "第二行", "and English" }));
            Assert.Equal("보안 그룹", MarkdownBlocks.JoinLines(new[] { "보안", "그룹" }));
        }

        [Fact]
        public void NestedAndNumberedListItemsKeepTheirShape()
        {
            var blocks = MarkdownBlocks.Parse(new[] { "1. first", "   continued", "  - nested", "2. second" });
            Assert.Equal(new[] { "1. first continued", "  - nested", "2. second" }, MarkdownBlocks.ToParagraphs(blocks));
        }
    }
}
