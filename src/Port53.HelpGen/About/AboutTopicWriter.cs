using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Port53.HelpGen.Markdown;

namespace Port53.HelpGen.About
{
    /// <summary>
    /// Converts an about_*.md topic into the plain text Get-Help prints for about_* names: "# about_X" becomes
    /// TOPIC, "## Heading" an upper-case heading at the margin, "### Heading" a heading as written; prose is
    /// wrapped to 80 columns with a four-space indent, code and tables are kept verbatim.
    /// </summary>
    public static class AboutTopicWriter
    {
        public const int Width = 80;

        public static string Convert(string markdown)
        {
            MarkdownBlocks.SplitFrontMatter(markdown, out string body);
            var root = MarkdownBlocks.ParseSections(body);
            var output = new List<string>();
            Write(root, output);
            // Exactly one blank line between blocks and none at the ends.
            var text = new StringBuilder();
            bool blank = false;
            foreach (var line in output.SkipWhile(l => l.Length == 0))
            {
                if (line.Length == 0) { blank = true; continue; }
                if (blank) text.Append('\n');
                text.Append(line).Append('\n');
                blank = false;
            }
            return text.ToString();
        }

        private static void Write(Section section, List<string> output)
        {
            string title = MarkdownBlocks.Inline(section.Title);
            switch (section.Level)
            {
                case 0:
                    break;
                case 1:
                    output.Add("");
                    output.Add("TOPIC");
                    output.Add("    " + title);
                    break;
                case 2:
                    output.Add("");
                    output.Add(title.ToUpperInvariant());
                    break;
                case 3:
                    output.Add("");
                    output.Add("  " + title);
                    break;
                default:
                    output.Add("");
                    output.Add("    " + title);
                    break;
            }
            bool previousWasListItem = false;
            foreach (var block in section.Blocks)
            {
                // Items of one list stay together: no blank line between them.
                if (!(block.Kind == BlockKind.ListItem && previousWasListItem)) output.Add("");
                previousWasListItem = block.Kind == BlockKind.ListItem;
                switch (block.Kind)
                {
                    case BlockKind.Paragraph:
                        output.AddRange(TextWrap.Wrap(block.Text, Width, "    ", "    "));
                        break;
                    case BlockKind.ListItem:
                        string indent = new string(' ', 4 + 2 * block.Indent);
                        string marker = block.Marker + " ";
                        output.AddRange(TextWrap.Wrap(block.Text, Width, indent + marker, indent + new string(' ', marker.Length)));
                        break;
                    case BlockKind.Code:
                        output.AddRange(MarkdownBlocks.SplitLines(block.Text).Select(l => l.Length == 0 ? "" : "        " + l));
                        break;
                    case BlockKind.Table:
                        output.AddRange(MarkdownBlocks.SplitLines(block.Text).Select(l => "    " + l));
                        break;
                }
            }
            foreach (var child in section.Children) Write(child, output);
        }
    }
}
