using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Port53.HelpGen;
using Port53.HelpGen.Markdown;
using Port53.HelpGen.Reflection;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Help
{
    /// <summary>
    /// Every cmdlet the module exports must have complete help: a docs/cmdlets/&lt;Verb-Noun&gt;.md that gives a
    /// synopsis, a description, an example and a description of each of its parameters (common parameters excepted),
    /// and Get-Help in a real engine must show them. The tests iterate over what the module exports, so a new
    /// cmdlet is covered the moment it lands and fails here until its help is written.
    /// </summary>
    public class HelpCoverageTests : IClassFixture<PowerShellSession>
    {
        private readonly PowerShellSession _ps;
        public HelpCoverageTests(PowerShellSession ps) => _ps = ps;

        private static string CmdletDocs => Path.Combine(PowerShellSession.RepoRoot, "docs", "cmdlets");

        private List<string> Exported()
        {
            var r = _ps.Run("(Get-Command -Module Port53 -CommandType Cmdlet).Name");
            r.AssertNoErrors();
            return r.Output.Where(o => o != null).Select(o => o.ToString()).OrderBy(n => n, StringComparer.Ordinal).ToList();
        }

        private static void AssertNoGaps(List<string> gaps, string what) =>
            Assert.True(gaps.Count == 0, what + ":\n  " + string.Join("\n  ", gaps) + "\n(See docs/help-and-packaging.md.)");

        [Fact]
        public void GetHelpFullShowsSynopsisDescriptionEveryParameterAndExamplesForEveryExportedCmdlet()
        {
            var gaps = new List<string>();
            foreach (var name in Exported())
            {
                if (!File.Exists(Path.Combine(CmdletDocs, name + ".md"))) gaps.Add(name + ": docs/cmdlets/" + name + ".md does not exist");
                var help = _ps.Run(
                    "$h = Get-Help " + name + " -Full\n" +
                    "$h.Synopsis\n" +
                    "(($h.Description | ForEach-Object Text) -join ' ')\n" +
                    "@($h.Examples.Example | Where-Object { $_ }).Count\n" +
                    "@($h.Examples.Example | Where-Object { $_ -and -not $_.Code }).Count\n" +
                    "(Get-Command " + name + ").Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.PSCmdlet]::CommonParameters }" +
                    " | ForEach-Object { $p = $_; $d = $h.Parameters.Parameter | Where-Object Name -eq $p; '{0}={1}' -f $p, (($d.Description | ForEach-Object Text) -join ' ').Trim() }");
                help.AssertNoErrors();
                var o = help.Output.Select(x => x?.ToString() ?? "").ToList();
                string synopsis = o[0].Trim();
                // With no MAML entry Get-Help makes up a synopsis from the syntax, which starts with the name.
                if (synopsis.Length == 0 || synopsis.StartsWith(name, StringComparison.OrdinalIgnoreCase)) gaps.Add(name + ": no synopsis");
                if (o[1].Trim().Length == 0) gaps.Add(name + ": no description");
                if (o[2] == "0") gaps.Add(name + ": no examples");
                if (o[3] != "0") gaps.Add(name + ": an example has no code");
                foreach (var parameter in o.Skip(4).Where(p => p.EndsWith("=", StringComparison.Ordinal)))
                    gaps.Add(name + ": parameter -" + parameter.TrimEnd('=') + " has no description");
            }
            AssertNoGaps(gaps, "Exported cmdlets with missing help");
        }

        [Fact]
        public void EveryHelpSourceNamesAnExportedCmdletAndOnlyItsParameters()
        {
            var cmdlets = CmdletMetadata.FromAssembly(typeof(Port53.Api.Tc3Signer).Assembly).ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
            var gaps = new List<string>();
            foreach (var doc in HelpBuilder.LoadDocs(CmdletDocs).Values)
            {
                var warnings = new List<string>();
                if (cmdlets.TryGetValue(doc.Name, out var cmdlet)) HelpBuilder.Check(new[] { cmdlet }, new Dictionary<string, CommandHelpDoc> { [cmdlet.Name] = doc }, warnings);
                else warnings.Add(doc.SourcePath + ": no such cmdlet in the module");
                gaps.AddRange(warnings);
            }
            AssertNoGaps(gaps, "Help sources that do not match the module");
        }

        [Fact]
        public void TranslatedCommandHelpHasAnEnglishOriginal()
        {
            var english = HelpBuilder.LoadDocs(CmdletDocs);
            var orphans = HelpBuilder.Cultures(CmdletDocs)
                .SelectMany(c => HelpBuilder.LoadDocs(Path.Combine(CmdletDocs, c)).Keys.Where(n => !english.ContainsKey(n)).Select(n => c + "/" + n + ".md"))
                .ToList();
            AssertNoGaps(orphans, "Translations with no English original");
        }

        [Fact]
        public void TheBuildPutHelpIntoTheModuleFolderForEveryCulture()
        {
            string module = Path.Combine(PowerShellSession.RepoRoot, "out", "Port53");
            string docs = Path.Combine(PowerShellSession.RepoRoot, "docs");
            foreach (var culture in new[] { HelpBuilder.DefaultCulture }.Concat(HelpBuilder.Cultures(docs)))
            {
                Assert.True(File.Exists(Path.Combine(module, culture, "Port53.dll-Help.xml")), culture + "/Port53.dll-Help.xml");
                Assert.True(File.Exists(Path.Combine(module, culture, "about_Port53.help.txt")), culture + "/about_Port53.help.txt");
            }
        }

        [Theory]
        [InlineData("en-US", "SHORT DESCRIPTION", "B26-1")]
        [InlineData("zh-CN", "简短说明", "B26-1")]
        [InlineData("ja-JP", "概要", "B26-1")]
        [InlineData("ko-KR", "간단한 설명", "B26-1")]
        public void GetHelpFindsTheAboutTopicInTheUsersLanguage(string culture, string heading, string fact)
        {
            // A session of its own: Get-Help caches what it has read per session, whatever the culture.
            using var session = new PowerShellSession();
            var r = session.Run(
                "$saved = [System.Globalization.CultureInfo]::CurrentUICulture\n" +
                "try { [System.Globalization.CultureInfo]::CurrentUICulture = [System.Globalization.CultureInfo]::GetCultureInfo('" + culture + "'); Get-Help about_Port53 }\n" +
                "finally { [System.Globalization.CultureInfo]::CurrentUICulture = $saved }");
            r.AssertNoErrors();
            var text = string.Join("\n", r.Output.Select(o => o?.ToString()));
            Assert.Contains(heading, text);
            Assert.Contains(fact, text);
            Assert.Contains("UDP:53", text);
        }
    }
}
