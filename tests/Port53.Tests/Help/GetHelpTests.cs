using System.Linq;
using Xunit;

namespace Port53.Tests.Help
{
    /// <summary>What a user sees: Get-Help in a real engine reading the MAML the generator wrote.</summary>
    public class GetHelpTests : IClassFixture<HelpFixtureModule>
    {
        private readonly HelpFixtureModule _m;
        public GetHelpTests(HelpFixtureModule m) => _m = m;

        // Get-Help ends each MAML paragraph with a line break; the text itself is what is compared.
        private string One(string script) => _m.Run(script).Single()?.ToString().Trim();
        private string[] Many(string script) => _m.Run(script).Select(o => o?.ToString().TrimEnd()).ToArray();

        [Fact]
        public void SynopsisAndDescriptionComeFromTheMarkdown()
        {
            Assert.Equal("Gets widgets by name or id.", One("(Get-Help Get-HgWidget -Full).Synopsis"));
            var description = Many("(Get-Help Get-HgWidget -Full).Description | ForEach-Object Text");
            Assert.Equal("The Get-HgWidget cmdlet gets widgets. It reads the widget guide (https://example.invalid/guide) first.", description[0]);
            Assert.Contains("- Names may contain wildcards.", description);
            // Get-Help trims a paragraph's leading spaces, so a code block in prose shows unindented.
            Assert.Contains("Get-HgWidget -Name w*", description);
        }

        [Fact]
        public void EveryParameterHasItsDescriptionAndReflectedFacts()
        {
            Assert.Equal("Names of the widgets to get. Wildcards are allowed: w*.", One("(Get-Help Get-HgWidget -Parameter Name).Description.Text"));
            Assert.Equal("0", One("(Get-Help Get-HgWidget -Parameter Name).Position"));
            Assert.Equal("True (ByValue)", One("(Get-Help Get-HgWidget -Parameter Name).PipelineInput"));
            Assert.Equal("true", One("(Get-Help Get-HgWidget -Parameter Name).Globbing"));
            Assert.Equal("WidgetName", One("(Get-Help Get-HgWidget -Parameter Name).Aliases"));
            Assert.Equal("All widgets", One("(Get-Help Get-HgWidget -Parameter Name).DefaultValue"));
            Assert.Equal("True (ByPropertyName)", One("(Get-Help Get-HgWidget -Parameter Id).PipelineInput"));
            Assert.Equal("System.Int32", One("(Get-Help Get-HgWidget -Parameter Limit).Type.Name"));
            var names = Many("(Get-Help Get-HgWidget -Full).Parameters.Parameter | ForEach-Object Name");
            Assert.Equal(new[] { "Name", "Id", "Size", "Limit", "Force" }, names);
            Assert.All(Many("(Get-Help Get-HgWidget -Full).Parameters.Parameter | ForEach-Object { ($_.Description | ForEach-Object Text) -join ' ' }"),
                d => Assert.False(string.IsNullOrWhiteSpace(d)));
        }

        [Fact]
        public void SyntaxHasOneLinePerParameterSetDefaultFirst()
        {
            var sets = Many("(Get-Help Get-HgWidget).Syntax.SyntaxItem | ForEach-Object { ($_.Parameter | ForEach-Object Name) -join ',' }");
            Assert.Equal(new[] { "Name,Size,Limit,Force", "Id,Size,Limit,Force" }, sets);
            Assert.Equal("Small|Large", One("((Get-Help Get-HgWidget).Syntax.SyntaxItem[0].Parameter | Where-Object Name -eq Size).ParameterValueGroup.ParameterValue -join '|'"));
        }

        [Fact]
        public void ExamplesShowCodeAndRemarks()
        {
            var codes = Many("(Get-Help Get-HgWidget -Examples).Examples.Example | ForEach-Object Code");
            Assert.Equal(new[] { "PS> Get-HgWidget", "PS> 'w-1' | Get-HgWidget" }, codes);
            Assert.Contains("Example 1: Get every widget", One("(Get-Help Get-HgWidget -Examples).Examples.Example[0].Title"));
            Assert.Equal("Pipes an id. Second line of the same paragraph.", One("(Get-Help Get-HgWidget -Examples).Examples.Example[1].Remarks[0].Text"));
        }

        [Fact]
        public void InputsOutputsNotesAndLinks()
        {
            Assert.Equal("System.String", One("(Get-Help Get-HgWidget -Full).InputTypes.InputType.Type.Name"));
            Assert.Equal("System.IO.FileInfo", One("(Get-Help Get-HgWidget -Full).ReturnValues.ReturnValue.Type.Name"));
            Assert.Equal("Widgets are imaginary.", One("(Get-Help Get-HgWidget -Full).AlertSet.Alert.Text"));
            Assert.Equal(new[] { "Online Version:", "Stop-HgWidget", "Widget guide" }, Many("(Get-Help Get-HgWidget -Full).RelatedLinks.NavigationLink | ForEach-Object LinkText"));
            Assert.Equal("https://example.invalid/Get-HgWidget", One("(Get-Help Get-HgWidget -Full).RelatedLinks.NavigationLink[0].Uri"));
        }

        [Fact]
        public void ShouldProcessCmdletsDocumentWhatIfAndConfirm()
        {
            Assert.Contains("makes no change", One("(Get-Help Stop-HgWidget -Parameter WhatIf).Description.Text"));
            Assert.Contains("confirmation", One("(Get-Help Stop-HgWidget -Parameter Confirm).Description.Text"));
            Assert.Equal(new[] { "Id", "Reason", "Force", "WhatIf", "Confirm" }, Many("(Get-Help Stop-HgWidget).Syntax.SyntaxItem.Parameter | ForEach-Object Name"));
        }

        [Fact]
        public void ACultureFolderTranslatesHelpAndUntranslatedCmdletsFallBackToEnglish()
        {
            string Synopsis(string culture, string cmdlet) => _m.RunIsolated(
                "$saved = [System.Globalization.CultureInfo]::CurrentUICulture\n" +
                "try { [System.Globalization.CultureInfo]::CurrentUICulture = [System.Globalization.CultureInfo]::GetCultureInfo('" + culture + "'); (Get-Help " + cmdlet + ").Synopsis }\n" +
                "finally { [System.Globalization.CultureInfo]::CurrentUICulture = $saved }").Single().ToString().Trim();
            Assert.Equal("按名称或 ID 获取小部件。", Synopsis("zh-CN", "Get-HgWidget"));
            Assert.Equal("Stops a widget.", Synopsis("zh-CN", "Stop-HgWidget"));
            Assert.Equal("Gets widgets by name or id.", Synopsis("en-US", "Get-HgWidget"));
            Assert.True(System.IO.File.Exists(System.IO.Path.Combine(_m.ModuleDir, "zh-CN", "Port53.Tests.dll-Help.xml")));
        }

        [Fact]
        public void TheBuildReportsNoGapsForCompleteDocs() => Assert.Empty(_m.Result.Warnings);
    }
}
