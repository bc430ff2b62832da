using System.Linq;
using System.Xml.Linq;
using Port53.HelpGen.Maml;
using Port53.HelpGen.Markdown;
using Port53.HelpGen.Reflection;
using Xunit;

namespace Port53.Tests.Help
{
    /// <summary>The XML itself, element by element, as the MAML command schema lays it out.</summary>
    public class MamlShapeTests
    {
        private static readonly XNamespace M = MamlWriter.Maml, C = MamlWriter.Command, D = MamlWriter.Dev;

        private static XDocument Maml(bool withDocs = true)
        {
            var get = CmdletMetadata.FromType(typeof(GetHgWidgetCommand));
            var stop = CmdletMetadata.FromType(typeof(StopHgWidgetCommand));
            return MamlWriter.Write(new[]
            {
                (get, withDocs ? CommandHelpDoc.Parse(HelpFixtureModule.GetWidgetMd, "Get-HgWidget") : null),
                (stop, withDocs ? CommandHelpDoc.Parse(HelpFixtureModule.StopWidgetMd, "Stop-HgWidget") : null),
            });
        }

        private static XElement Command(XDocument doc, string name) =>
            doc.Root.Elements(C + "command").Single(c => c.Element(C + "details").Element(C + "name").Value == name);

        [Fact]
        public void RootAndCommandElementsAreInTheSchemaOrder()
        {
            var doc = Maml();
            Assert.Equal(MamlWriter.Msh + "helpItems", doc.Root.Name);
            Assert.Equal("maml", (string)doc.Root.Attribute("schema"));
            var command = Command(doc, "Get-HgWidget");
            Assert.Equal(new[] { C + "details", M + "description", C + "syntax", C + "parameters", C + "inputTypes", C + "returnValues", M + "alertSet", C + "examples", M + "relatedLinks" },
                command.Elements().Select(e => e.Name));
            var details = command.Element(C + "details");
            Assert.Equal(("Get", "HgWidget"), (details.Element(C + "verb").Value, details.Element(C + "noun").Value));
            Assert.Equal("Gets widgets by name or id.", details.Element(M + "description").Element(M + "para").Value);
        }

        [Fact]
        public void ParameterAttributesComeFromReflection()
        {
            var parameters = Command(Maml(), "Get-HgWidget").Element(C + "parameters").Elements(C + "parameter").ToDictionary(p => p.Element(M + "name").Value);
            var name = parameters["Name"];
            Assert.Equal(("false", "true", "true", "True (ByValue)", "0", "WidgetName"),
                ((string)name.Attribute("required"), (string)name.Attribute("variableLength"), (string)name.Attribute("globbing"),
                 (string)name.Attribute("pipelineInput"), (string)name.Attribute("position"), (string)name.Attribute("aliases")));
            Assert.Equal("String[]", name.Element(C + "parameterValue").Value);
            Assert.Equal("System.String[]", name.Element(D + "type").Element(M + "name").Value);
            Assert.Equal("All widgets", name.Element(D + "defaultValue").Value);
            Assert.Equal(("true", "named", "True (ByPropertyName)"), ((string)parameters["Id"].Attribute("required"), (string)parameters["Id"].Attribute("position"), (string)parameters["Id"].Attribute("pipelineInput")));
            Assert.Null(parameters["Force"].Element(C + "parameterValue"));
            Assert.Equal("False", parameters["Force"].Element(D + "defaultValue").Value);
            Assert.Equal("Int32", parameters["Limit"].Element(C + "parameterValue").Value);
        }

        [Fact]
        public void SyntaxItemsFollowParameterSetsAndValidateSet()
        {
            var items = Command(Maml(), "Get-HgWidget").Element(C + "syntax").Elements(C + "syntaxItem").ToList();
            Assert.Equal(2, items.Count);
            Assert.All(items, i => Assert.Equal("Get-HgWidget", i.Element(M + "name").Value));
            Assert.Equal(new[] { "Name", "Size", "Limit", "Force" }, items[0].Elements(C + "parameter").Select(p => p.Element(M + "name").Value));
            Assert.Equal(new[] { "Id", "Size", "Limit", "Force" }, items[1].Elements(C + "parameter").Select(p => p.Element(M + "name").Value));
            var size = items[0].Elements(C + "parameter").Single(p => p.Element(M + "name").Value == "Size");
            Assert.Equal(new[] { "Small", "Large" }, size.Element(C + "parameterValueGroup").Elements(C + "parameterValue").Select(v => v.Value));
        }

        [Fact]
        public void ExamplesHaveTitleCodeAndRemarks()
        {
            var example = Command(Maml(), "Get-HgWidget").Element(C + "examples").Elements(C + "example").First();
            Assert.Equal("-------------------------- Example 1: Get every widget --------------------------", example.Element(M + "title").Value);
            Assert.Equal("PS> Get-HgWidget", example.Element(D + "code").Value);
            Assert.Equal("Gets every widget there is.", example.Element(D + "remarks").Element(M + "para").Value);
        }

        [Fact]
        public void WithoutDocsTheCommandStillHasSyntaxTypesAndOutputs()
        {
            var command = Command(Maml(withDocs: false), "Get-HgWidget");
            Assert.Equal(2, command.Element(C + "syntax").Elements().Count());
            Assert.Equal(new[] { "System.String[]", "System.String" }, command.Element(C + "inputTypes").Descendants(D + "type").Select(t => t.Element(M + "name").Value));
            Assert.Equal("System.IO.FileInfo", command.Element(C + "returnValues").Descendants(M + "name").Single().Value);
            Assert.Empty(command.Element(C + "examples").Elements());
            Assert.Null(command.Element(M + "alertSet"));
        }

        [Fact]
        public void RiskMitigationParametersAreAddedForShouldProcess()
        {
            var stop = CmdletMetadata.FromType(typeof(StopHgWidgetCommand));
            Assert.Equal(new[] { "Id", "Force", "Reason", "WhatIf", "Confirm" }, stop.Parameters.Select(p => p.Name));
            Assert.Equal(new[] { "None" }, Command(Maml(), "Stop-HgWidget").Element(C + "returnValues").Descendants(M + "name").Select(n => n.Value));
            var get = CmdletMetadata.FromType(typeof(GetHgWidgetCommand));
            Assert.DoesNotContain(get.Parameters, p => p.Name == "WhatIf");
            Assert.Equal(new[] { "ByName", "ById" }, get.ParameterSets);
        }

        [Fact]
        public void MissingDocsStillProduceHelpAndAreReportedNotFatal()
        {
            string root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "port53-nodocs-" + System.Guid.NewGuid().ToString("N"));
            try
            {
                var result = Port53.HelpGen.HelpBuilder.Build(typeof(GetHgWidgetCommand).Assembly, System.IO.Path.Combine(root, "no-docs"), root, "Fixture.dll-Help.xml");
                Assert.Equal(new[] { System.IO.Path.Combine(root, "en-US", "Fixture.dll-Help.xml") }, result.Written);
                Assert.Equal(2, XDocument.Load(result.Written[0]).Root.Elements(C + "command").Count());
                Assert.Contains("Get-HgWidget: no help source (docs/cmdlets/Get-HgWidget.md)", result.Warnings);
                Assert.Contains("Stop-HgWidget: no help source (docs/cmdlets/Stop-HgWidget.md)", result.Warnings);
            }
            finally
            {
                if (System.IO.Directory.Exists(root)) System.IO.Directory.Delete(root, true);
            }
        }

        [Theory]
        [InlineData(typeof(string[]), "String[]", "System.String[]")]
        [InlineData(typeof(int?), "Int32", "System.Int32")]
        [InlineData(typeof(System.Collections.Generic.List<string>), "List[String]", "System.Collections.Generic.List[System.String]")]
        public void TypeNamesAreWrittenAsPowerShellShowsThem(System.Type type, string shortName, string fullName)
        {
            Assert.Equal(shortName, CmdletMetadata.ShortName(type));
            Assert.Equal(fullName, CmdletMetadata.FullName(type));
        }
    }
}
