using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace Port53.HelpGen.Markdown
{
    public sealed class ExampleDoc
    {
        public string Title { get; set; }
        public string Code { get; set; }
        public List<string> Remarks { get; } = new List<string>();
    }

    public sealed class ParameterDoc
    {
        public string Name { get; set; }
        public List<string> Description { get; } = new List<string>();
        /// <summary>From a platyPS-style yaml block's "Default value:" line, when the author gives one.</summary>
        public string DefaultValue { get; set; }
    }

    /// <summary>An INPUTS or OUTPUTS entry: "### TypeName" and what it means.</summary>
    public sealed class TypeDoc
    {
        public string TypeName { get; set; }
        public List<string> Description { get; } = new List<string>();
    }

    public sealed class LinkDoc
    {
        public string Text { get; set; }
        public string Uri { get; set; }
    }

    /// <summary>
    /// One docs/cmdlets/&lt;Verb-Noun&gt;.md file in the platyPS layout. SYNTAX is accepted but ignored: syntax,
    /// parameter types, sets, positions and pipeline input come from the compiled cmdlet, so they cannot drift.
    /// </summary>
    public sealed class CommandHelpDoc
    {
        public string Name { get; set; }
        public string SourcePath { get; set; }
        public IDictionary<string, string> FrontMatter { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        public List<string> Synopsis { get; } = new List<string>();
        public List<string> Description { get; } = new List<string>();
        public List<ExampleDoc> Examples { get; } = new List<ExampleDoc>();
        public Dictionary<string, ParameterDoc> Parameters { get; } = new Dictionary<string, ParameterDoc>(StringComparer.OrdinalIgnoreCase);
        public List<TypeDoc> Inputs { get; } = new List<TypeDoc>();
        public List<TypeDoc> Outputs { get; } = new List<TypeDoc>();
        public List<string> Notes { get; } = new List<string>();
        public List<LinkDoc> RelatedLinks { get; } = new List<LinkDoc>();
        /// <summary>Headings the reader did not recognise; reported so typos do not silently drop text.</summary>
        public List<string> Problems { get; } = new List<string>();

        public string OnlineVersion => FrontMatter.TryGetValue("online version", out var v) && v.Length > 0 ? v : null;

        public static CommandHelpDoc Load(string path)
        {
            var doc = Parse(File.ReadAllText(path), Path.GetFileNameWithoutExtension(path));
            doc.SourcePath = path;
            return doc;
        }

        private static readonly Regex LinkLine = new Regex(@"^\s*(?:[-*+]\s+)?\[([^\]]+)\]\(([^)\s]*)\)\s*$");
        private static readonly Regex BareLine = new Regex(@"^\s*(?:[-*+]\s+)?(\S.*?)\s*$");
        private static readonly Regex DefaultValueLine = new Regex(@"^\s*Default value:\s*(.*?)\s*$", RegexOptions.IgnoreCase);

        public static CommandHelpDoc Parse(string markdown, string fallbackName)
        {
            var doc = new CommandHelpDoc { FrontMatter = MarkdownBlocks.SplitFrontMatter(markdown, out string body) };
            var root = MarkdownBlocks.ParseSections(body);
            var title = root.Children.FirstOrDefault(s => s.Level == 1);
            doc.Name = title?.Title ?? fallbackName;
            var sections = title != null ? title.Children : root.Children;

            foreach (var section in sections)
            {
                switch (section.Title.ToUpperInvariant())
                {
                    case "SYNOPSIS":
                        doc.Synopsis.AddRange(MarkdownBlocks.ToParagraphs(section.Blocks));
                        break;
                    case "SYNTAX":
                        break;
                    case "DESCRIPTION":
                        doc.Description.AddRange(AllParagraphs(section));
                        break;
                    case "EXAMPLES":
                        foreach (var ex in section.Children) doc.Examples.Add(ReadExample(ex));
                        break;
                    case "PARAMETERS":
                        foreach (var p in section.Children) ReadParameter(doc, p);
                        break;
                    case "INPUTS":
                        doc.Inputs.AddRange(section.Children.Select(ReadType));
                        break;
                    case "OUTPUTS":
                        doc.Outputs.AddRange(section.Children.Select(ReadType));
                        break;
                    case "NOTES":
                        doc.Notes.AddRange(AllParagraphs(section));
                        break;
                    case "RELATED LINKS":
                        foreach (var line in section.Lines)
                        {
                            var m = LinkLine.Match(line);
                            if (m.Success) doc.RelatedLinks.Add(new LinkDoc { Text = m.Groups[1].Value, Uri = m.Groups[2].Value.Contains("://", StringComparison.Ordinal) ? m.Groups[2].Value : "" });
                            else if (BareLine.IsMatch(line)) doc.RelatedLinks.Add(new LinkDoc { Text = BareLine.Match(line).Groups[1].Value, Uri = "" });
                        }
                        break;
                    default:
                        doc.Problems.Add("unknown section '## " + section.Title + "'");
                        break;
                }
            }
            return doc;
        }

        /// <summary>Body text plus any sub-headings, which MAML has no place for, kept as paragraphs of their own.</summary>
        private static IEnumerable<string> AllParagraphs(Section section)
        {
            foreach (var p in MarkdownBlocks.ToParagraphs(section.Blocks)) yield return p;
            foreach (var child in section.Children)
            {
                yield return MarkdownBlocks.Inline(child.Title).ToUpperInvariant();
                foreach (var p in AllParagraphs(child)) yield return p;
            }
        }

        private static ExampleDoc ReadExample(Section section)
        {
            var example = new ExampleDoc { Title = MarkdownBlocks.Inline(section.Title) };
            var code = new List<string>();
            foreach (var block in section.Blocks)
            {
                if (block.Kind == BlockKind.Code) code.Add(block.Text);
                else example.Remarks.AddRange(MarkdownBlocks.ToParagraphs(new[] { block }));
            }
            example.Code = string.Join("\n\n", code);
            return example;
        }

        private static void ReadParameter(CommandHelpDoc doc, Section section)
        {
            string name = section.Title.Trim().TrimStart('-').Trim();
            // platyPS's boilerplate entry: PowerShell documents the common parameters itself.
            if (name.Equals("CommonParameters", StringComparison.OrdinalIgnoreCase)) return;
            var parameter = new ParameterDoc { Name = name };
            foreach (var block in section.Blocks)
            {
                // platyPS puts type/position/pipeline facts in a yaml block; those come from reflection here,
                // except the default value, which reflection cannot see.
                if (block.Kind == BlockKind.Code && string.Equals(block.Language, "yaml", StringComparison.OrdinalIgnoreCase))
                {
                    foreach (var line in MarkdownBlocks.SplitLines(block.Text))
                    {
                        var m = DefaultValueLine.Match(line);
                        if (m.Success && m.Groups[1].Value.Length > 0 && !m.Groups[1].Value.Equals("None", StringComparison.OrdinalIgnoreCase))
                            parameter.DefaultValue = m.Groups[1].Value;
                    }
                    continue;
                }
                parameter.Description.AddRange(MarkdownBlocks.ToParagraphs(new[] { block }));
            }
            if (doc.Parameters.ContainsKey(name)) doc.Problems.Add("parameter -" + name + " is described twice");
            doc.Parameters[name] = parameter;
        }

        private static TypeDoc ReadType(Section section)
        {
            var type = new TypeDoc { TypeName = MarkdownBlocks.Inline(section.Title) };
            type.Description.AddRange(MarkdownBlocks.ToParagraphs(section.Blocks));
            return type;
        }
    }
}
