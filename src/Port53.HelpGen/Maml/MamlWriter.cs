using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Xml.Linq;
using Port53.HelpGen.Markdown;
using Port53.HelpGen.Reflection;

namespace Port53.HelpGen.Maml
{
    /// <summary>
    /// Writes MAML command help, the XML that Get-Help reads from &lt;Assembly&gt;.dll-Help.xml: prose from the
    /// Markdown source, everything structural (syntax, sets, types, positions, pipeline input, aliases, accepted
    /// values, output types) from the compiled cmdlet.
    /// </summary>
    public static class MamlWriter
    {
        public static readonly XNamespace Msh = "http://msh";
        public static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
        public static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        public static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
        public static readonly XNamespace MsHelp = "http://msdn.microsoft.com/mshelp";

        /// <summary>Fallback text for the parameters PowerShell adds to SupportsShouldProcess cmdlets.</summary>
        public static readonly IReadOnlyDictionary<string, string> RiskMitigationText = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["WhatIf"] = "Shows what would happen if the cmdlet runs. The cmdlet is not run and makes no change.",
            ["Confirm"] = "Prompts you for confirmation before running the cmdlet.",
        };

        /// <param name="commands">Each cmdlet with its help source, or null where none exists (it still gets syntax).</param>
        public static XDocument Write(IEnumerable<(CmdletMetadata Cmdlet, CommandHelpDoc Doc)> commands)
        {
            var root = new XElement(Msh + "helpItems", new XAttribute("schema", "maml"),
                new XAttribute(XNamespace.Xmlns + "maml", Maml),
                new XAttribute(XNamespace.Xmlns + "command", Command),
                new XAttribute(XNamespace.Xmlns + "dev", Dev),
                new XAttribute(XNamespace.Xmlns + "MSHelp", MsHelp));
            foreach (var (cmdlet, doc) in commands) root.Add(CommandElement(cmdlet, doc));
            return new XDocument(new XDeclaration("1.0", "utf-8", null), root);
        }

        public static XElement CommandElement(CmdletMetadata cmdlet, CommandHelpDoc doc)
        {
            doc ??= new CommandHelpDoc { Name = cmdlet.Name };
            var command = new XElement(Command + "command",
                new XElement(Command + "details",
                    new XElement(Command + "name", cmdlet.Name),
                    new XElement(Command + "verb", cmdlet.Verb),
                    new XElement(Command + "noun", cmdlet.Noun),
                    Description(doc.Synopsis)),
                Description(doc.Description),
                new XElement(Command + "syntax", cmdlet.ParameterSets.Select(set => SyntaxItem(cmdlet, doc, set))),
                new XElement(Command + "parameters", cmdlet.Parameters.Select(p => Parameter(p, doc, null, withValueGroup: false))),
                new XElement(Command + "inputTypes", InputTypes(cmdlet, doc).Select(t =>
                    new XElement(Command + "inputType", TypeElement(t.TypeName), Description(t.Description)))),
                new XElement(Command + "returnValues", OutputTypes(cmdlet, doc).Select(t =>
                    new XElement(Command + "returnValue", TypeElement(t.TypeName), Description(t.Description)))));
            if (doc.Notes.Count > 0)
                command.Add(new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paras(doc.Notes))));
            command.Add(new XElement(Command + "examples", doc.Examples.Select((e, i) => Example(e, i))));
            var links = new List<LinkDoc>();
            if (doc.OnlineVersion != null) links.Add(new LinkDoc { Text = "Online Version:", Uri = doc.OnlineVersion });
            links.AddRange(doc.RelatedLinks);
            command.Add(new XElement(Maml + "relatedLinks", links.Select(l =>
                new XElement(Maml + "navigationLink", new XElement(Maml + "linkText", l.Text), new XElement(Maml + "uri", l.Uri ?? "")))));
            return command;
        }

        private static XElement SyntaxItem(CmdletMetadata cmdlet, CommandHelpDoc doc, string set)
        {
            // The order Get-Command uses for syntax: positional by position, then mandatory named, then optional
            // named, each as declared; -WhatIf and -Confirm last.
            var parameters = cmdlet.ParametersIn(set)
                .Select((p, i) => (p, i))
                .OrderBy(x => x.p.IsRiskMitigation)
                .ThenBy(x => x.p.Sets[set].Position ?? int.MaxValue)
                .ThenBy(x => !x.p.Sets[set].Mandatory)
                .ThenBy(x => x.i)
                .Select(x => x.p);
            return new XElement(Command + "syntaxItem",
                new XElement(Maml + "name", cmdlet.Name),
                parameters.Select(p => Parameter(p, doc, set, withValueGroup: true)));
        }

        private static XElement Parameter(ParameterMetadata p, CommandHelpDoc doc, string set, bool withValueGroup)
        {
            bool required = set != null ? p.Sets[set].Mandatory : p.MandatoryEverywhere;
            int? position = set != null ? p.Sets[set].Position : p.Position;
            bool byValue = set != null ? p.Sets[set].ValueFromPipeline : p.ByValue;
            bool byName = set != null ? p.Sets[set].ValueFromPipelineByPropertyName : p.ByPropertyName;
            string pipeline = byValue && byName ? "True (ByPropertyName, ByValue)"
                : byValue ? "True (ByValue)" : byName ? "True (ByPropertyName)" : "False";

            doc.Parameters.TryGetValue(p.Name, out var pdoc);
            IEnumerable<string> text = pdoc?.Description.Count > 0 ? pdoc.Description
                : p.IsRiskMitigation ? new[] { RiskMitigationText[p.Name] } : Array.Empty<string>();

            var element = new XElement(Command + "parameter",
                new XAttribute("required", Bool(required)),
                new XAttribute("variableLength", Bool(p.Type.IsArray)),
                new XAttribute("globbing", Bool(p.SupportsWildcards)),
                new XAttribute("pipelineInput", pipeline),
                new XAttribute("position", position.HasValue ? position.Value.ToString(CultureInfo.InvariantCulture) : "named"),
                new XAttribute("aliases", p.Aliases.Count > 0 ? string.Join(", ", p.Aliases) : "none"),
                new XElement(Maml + "name", p.Name),
                Description(text));
            if (withValueGroup && p.ValidValues.Count > 0)
                element.Add(new XElement(Command + "parameterValueGroup", p.ValidValues.Select(v =>
                    new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), v))));
            // A switch takes no value: with no parameterValue, Get-Help shows "[-Force]" rather than "[-Force <SwitchParameter>]".
            if (!p.IsSwitch)
                element.Add(new XElement(Command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", Bool(p.Type.IsArray)),
                    CmdletMetadata.ShortName(p.Type)));
            element.Add(TypeElement(CmdletMetadata.FullName(p.Type)),
                new XElement(Dev + "defaultValue", pdoc?.DefaultValue ?? (p.IsSwitch ? "False" : "None")));
            return element;
        }

        private static IEnumerable<TypeDoc> InputTypes(CmdletMetadata cmdlet, CommandHelpDoc doc)
        {
            if (doc.Inputs.Count > 0) return doc.Inputs;
            var piped = cmdlet.Parameters.Where(p => p.ByValue || p.ByPropertyName).Select(p => CmdletMetadata.FullName(p.Type))
                .Distinct(StringComparer.Ordinal).Select(n => new TypeDoc { TypeName = n }).ToList();
            return piped.Count > 0 ? piped : new[] { new TypeDoc { TypeName = "None" } };
        }

        private static IEnumerable<TypeDoc> OutputTypes(CmdletMetadata cmdlet, CommandHelpDoc doc)
        {
            if (doc.Outputs.Count > 0) return doc.Outputs;
            var declared = cmdlet.OutputTypes.Select(n => new TypeDoc { TypeName = n }).ToList();
            return declared.Count > 0 ? declared : new[] { new TypeDoc { TypeName = "None" } };
        }

        private static XElement Example(ExampleDoc example, int index)
        {
            string title = string.IsNullOrWhiteSpace(example.Title) ? "Example " + (index + 1) : example.Title;
            return new XElement(Command + "example",
                new XElement(Maml + "title", "-------------------------- " + title + " --------------------------"),
                new XElement(Dev + "code", example.Code ?? ""),
                new XElement(Dev + "remarks", Paras(example.Remarks)));
        }

        private static XElement TypeElement(string name) =>
            new XElement(Dev + "type", new XElement(Maml + "name", name), new XElement(Maml + "uri"));

        private static XElement Description(IEnumerable<string> paragraphs) => new XElement(Maml + "description", Paras(paragraphs));

        private static IEnumerable<XElement> Paras(IEnumerable<string> paragraphs)
        {
            var list = paragraphs.ToList();
            return list.Count == 0 ? new[] { new XElement(Maml + "para") } : list.Select(p => new XElement(Maml + "para", p));
        }

        private static string Bool(bool value) => value ? "true" : "false";
    }
}
