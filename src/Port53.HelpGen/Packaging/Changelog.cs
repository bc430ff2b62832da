using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Port53.HelpGen.Markdown;

namespace Port53.HelpGen.Packaging
{
    /// <summary>Release notes for the package: the Keep a Changelog section of this version, else the newest one.</summary>
    public static class Changelog
    {
        private static readonly Regex SectionHeading = new Regex(@"^##\s+\[?([^\]\s]+)\]?");

        public static string ReleaseNotes(string changelogText, string version)
        {
            var lines = MarkdownBlocks.SplitLines(changelogText);
            var starts = lines.Select((l, i) => (l, i)).Where(x => SectionHeading.IsMatch(x.l)).Select(x => x.i).ToList();
            if (starts.Count == 0) return "";
            int start = starts.FirstOrDefault(i => SectionHeading.Match(lines[i]).Groups[1].Value.Equals(version, StringComparison.OrdinalIgnoreCase), starts[0]);
            int next = starts.FirstOrDefault(i => i > start, lines.Count);
            var sb = new StringBuilder();
            for (int i = start; i < next; i++) sb.Append(lines[i]).Append('\n');
            return sb.ToString().Trim();
        }

        public static string ReleaseNotesFromFile(string path, string version) =>
            path != null && File.Exists(path) ? ReleaseNotes(File.ReadAllText(path), version) : "";
    }
}
