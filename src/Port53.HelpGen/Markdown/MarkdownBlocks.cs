using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace Port53.HelpGen.Markdown
{
    public enum BlockKind { Paragraph, ListItem, Code, Table }

    /// <summary>One unit of body text: a paragraph, one list item, a fenced code block or a table.</summary>
    public sealed class Block
    {
        public Block(BlockKind kind, string text, string language = null, int indent = 0)
        {
            Kind = kind;
            Text = text;
            Language = language;
            Indent = indent;
        }

        public BlockKind Kind { get; }
        /// <summary>Paragraphs and list items: inline markup removed, lines joined. Code and tables: verbatim lines.</summary>
        public string Text { get; }
        /// <summary>The info string of a fenced code block ("powershell", "yaml"), else null.</summary>
        public string Language { get; }
        /// <summary>Nesting depth of a list item (0 for top level).</summary>
        public int Indent { get; }
        /// <summary>"1." for an ordered list item, "-" for a bullet.</summary>
        public string Marker { get; private set; }

        internal Block WithMarker(string marker)
        {
            Marker = marker;
            return this;
        }

        public override string ToString() => Kind + ": " + Text;
    }

    /// <summary>A heading and what follows it up to the next heading of the same or a higher level.</summary>
    public sealed class Section
    {
        public Section(int level, string title)
        {
            Level = level;
            Title = title;
        }

        public int Level { get; }
        public string Title { get; }
        public List<string> Lines { get; } = new List<string>();
        public List<Section> Children { get; } = new List<Section>();

        public IReadOnlyList<Block> Blocks => MarkdownBlocks.Parse(Lines);

        public override string ToString() => new string('#', Level) + " " + Title;
    }

    /// <summary>
    /// The small part of CommonMark that help sources use: ATX headings, paragraphs, bullet and numbered lists,
    /// fenced code and pipe tables, with emphasis, inline code and links reduced to plain text. Help is read in a
    /// console, so the goal is readable text, not HTML fidelity.
    /// </summary>
    public static class MarkdownBlocks
    {
        private static readonly Regex Heading = new Regex(@"^(#{1,6})\s+(.*?)\s*#*\s*$");
        private static readonly Regex Fence = new Regex(@"^\s*(```+|~~~+)\s*([^\s`]*)");
        private static readonly Regex ListStart = new Regex(@"^(\s*)([-*+]|\d+[.)])\s+(.*)$");

        /// <summary>Removes a leading "---" YAML front matter block and returns its key: value pairs.</summary>
        public static IDictionary<string, string> SplitFrontMatter(string text, out string body)
        {
            var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            body = text;
            var lines = SplitLines(text);
            if (lines.Count == 0 || lines[0].Trim() != "---") return result;
            int end = lines.FindIndex(1, l => l.Trim() == "---");
            if (end < 0) return result;
            foreach (var line in lines.Skip(1).Take(end - 1))
            {
                int colon = line.IndexOf(':');
                if (colon > 0) result[line.Substring(0, colon).Trim()] = line.Substring(colon + 1).Trim();
            }
            body = string.Join("\n", lines.Skip(end + 1));
            return result;
        }

        public static List<string> SplitLines(string text) =>
            text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n').ToList();

        /// <summary>Builds the heading tree. Lines before the first heading go to a level-0 root section.</summary>
        public static Section ParseSections(string text)
        {
            var root = new Section(0, "");
            var stack = new Stack<Section>();
            stack.Push(root);
            bool inFence = false;
            string fenceMark = null;
            foreach (var line in SplitLines(text))
            {
                var fence = Fence.Match(line);
                if (fence.Success)
                {
                    if (!inFence) { inFence = true; fenceMark = fence.Groups[1].Value; }
                    else if (line.Trim().StartsWith(fenceMark, StringComparison.Ordinal) && line.Trim().Trim(fenceMark[0]).Length == 0) inFence = false;
                }
                var heading = inFence ? Match.Empty : Heading.Match(line);
                if (heading.Success)
                {
                    var section = new Section(heading.Groups[1].Value.Length, heading.Groups[2].Value.Trim());
                    while (stack.Peek().Level >= section.Level) stack.Pop();
                    stack.Peek().Children.Add(section);
                    stack.Push(section);
                }
                else
                {
                    stack.Peek().Lines.Add(line);
                }
            }
            return root;
        }

        public static IReadOnlyList<Block> Parse(IEnumerable<string> lines)
        {
            var blocks = new List<Block>();
            var paragraph = new List<string>();
            var list = lines.ToList();

            void FlushParagraph()
            {
                if (paragraph.Count > 0) blocks.Add(new Block(BlockKind.Paragraph, Inline(JoinLines(paragraph))));
                paragraph.Clear();
            }

            for (int i = 0; i < list.Count; i++)
            {
                string line = list[i];
                var fence = Fence.Match(line);
                if (fence.Success)
                {
                    FlushParagraph();
                    string mark = fence.Groups[1].Value;
                    int indent = line.Length - line.TrimStart().Length;
                    var code = new List<string>();
                    for (i++; i < list.Count; i++)
                    {
                        string t = list[i].Trim();
                        if (t.StartsWith(mark, StringComparison.Ordinal) && t.Trim(mark[0]).Length == 0) break;
                        code.Add(list[i].Length >= indent && list[i].Substring(0, indent).Trim().Length == 0 ? list[i].Substring(indent) : list[i].TrimStart());
                    }
                    blocks.Add(new Block(BlockKind.Code, string.Join("\n", code).TrimEnd(), fence.Groups[2].Value));
                    continue;
                }
                if (line.Trim().Length == 0) { FlushParagraph(); continue; }
                if (line.TrimStart().StartsWith("|", StringComparison.Ordinal))
                {
                    FlushParagraph();
                    var rows = new List<string>();
                    for (; i < list.Count && list[i].TrimStart().StartsWith("|", StringComparison.Ordinal); i++) rows.Add(list[i].Trim());
                    i--;
                    blocks.Add(new Block(BlockKind.Table, string.Join("\n", rows)));
                    continue;
                }
                var item = ListStart.Match(line);
                if (item.Success)
                {
                    FlushParagraph();
                    int depth = item.Groups[1].Value.Replace("\t", "    ").Length / 2;
                    var text = new List<string> { item.Groups[3].Value };
                    // Continuation lines: indented, not blank, not a new item or fence.
                    while (i + 1 < list.Count && list[i + 1].Trim().Length > 0 && char.IsWhiteSpace(list[i + 1][0])
                           && !ListStart.IsMatch(list[i + 1]) && !Fence.IsMatch(list[i + 1]))
                        text.Add(list[++i].Trim());
                    string marker = char.IsDigit(item.Groups[2].Value[0]) ? item.Groups[2].Value : "-";
                    blocks.Add(new Block(BlockKind.ListItem, Inline(JoinLines(text)), indent: depth).WithMarker(marker));
                    continue;
                }
                paragraph.Add(line);
            }
            FlushParagraph();
            return blocks;
        }

        /// <summary>
        /// The lines of one paragraph as one line. A line break becomes a space, except between two Han or kana
        /// characters: Chinese and Japanese put no spaces between words, so a source line break there is not one.
        /// </summary>
        public static string JoinLines(IEnumerable<string> lines)
        {
            var sb = new StringBuilder();
            foreach (var raw in lines)
            {
                string line = raw.Trim();
                if (line.Length == 0) continue;
                if (sb.Length > 0 && !(About.TextWrap.BreaksAnywhere(sb[sb.Length - 1]) && About.TextWrap.BreaksAnywhere(line[0]))) sb.Append(' ');
                sb.Append(line);
            }
            return sb.ToString();
        }

        private static readonly Regex Link = new Regex(@"(?<!!)\[([^\]]+)\]\(([^)\s]+)\)");
        private static readonly Regex Code = new Regex(@"`+([^`]+?)`+");
        private static readonly Regex Strong = new Regex(@"(\*\*|__)(?=\S)(.+?)(?<=\S)\1");
        private static readonly Regex Escape = new Regex(@"\\([\\`*_{}\[\]()#+\-.!|<>])");

        /// <summary>
        /// Plain text for the console: links become "text (url)" unless they point at another help page, strong
        /// emphasis and code spans lose their markers, backslash escapes resolve. Single '*' is left alone
        /// because it is meaningful in PowerShell text ("-Region *").
        /// </summary>
        public static string Inline(string text)
        {
            var codeSpans = new List<string>();
            // Code spans are literal: protect them before any other rule looks inside.
            string s = Code.Replace(text, m => { codeSpans.Add(m.Groups[1].Value); return "\u0001" + (codeSpans.Count - 1) + "\u0002"; });
            s = Link.Replace(s, m =>
            {
                string target = m.Groups[2].Value;
                bool local = !target.Contains("://", StringComparison.Ordinal);
                return local || target == m.Groups[1].Value ? m.Groups[1].Value : m.Groups[1].Value + " (" + target + ")";
            });
            s = Strong.Replace(s, m => m.Groups[2].Value);
            s = Escape.Replace(s, m => m.Groups[1].Value);
            s = Regex.Replace(s, "\u0001(\\d+)\u0002", m => codeSpans[int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)]);
            return s;
        }

        /// <summary>Text of a run of blocks as MAML paragraphs would show it: one string per block.</summary>
        public static IEnumerable<string> ToParagraphs(IEnumerable<Block> blocks)
        {
            foreach (var b in blocks)
            {
                switch (b.Kind)
                {
                    case BlockKind.ListItem:
                        yield return new string(' ', b.Indent * 2) + b.Marker + " " + b.Text;
                        break;
                    case BlockKind.Code:
                        yield return string.Join("\n", MarkdownBlocks.SplitLines(b.Text).Select(l => l.Length == 0 ? l : "    " + l));
                        break;
                    default:
                        yield return b.Text;
                        break;
                }
            }
        }

        internal static string Join(IEnumerable<string> paragraphs)
        {
            var sb = new StringBuilder();
            foreach (var p in paragraphs)
            {
                if (sb.Length > 0) sb.Append("\n\n");
                sb.Append(p);
            }
            return sb.ToString();
        }
    }
}
