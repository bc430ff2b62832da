using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Port53.Resources;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Api
{
    public class ResourceKeyTests
    {
        [Fact]
        public void EveryCoreKeyTheCodeUsesIsInTheTable()
        {
            string src = Path.Combine(PowerShellSession.RepoRoot, "src", "Port53");
            var used = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
                .SelectMany(f => Regex.Matches(File.ReadAllText(f), @"Strings\.Core(?:\.Format\(|\[)""(\w+)""").Cast<Match>())
                .Select(m => m.Groups[1].Value).Distinct().ToList();
            Assert.Contains("NoCredentials", used);
            Assert.Contains("UnknownRegion", used);
            Assert.DoesNotContain(used, key => Strings.Core[key] == "[" + key + "]");
        }

        [Fact]
        public void EveryRemediationKeyTheCodeNamesIsInTheTableAndEveryMessageIsUsed()
        {
            string src = Path.Combine(PowerShellSession.RepoRoot, "src", "Port53");
            string code = string.Join("\n", Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories).Select(File.ReadAllText));
            var direct = Regex.Matches(code, @"Strings\.Remediation(?:\.Format\(|\[)""(\w+)""").Cast<Match>().Select(m => m.Groups[1].Value).Distinct().ToList();
            var table = System.Xml.Linq.XDocument.Load(Path.Combine(src, "Resources", "Remediation.resx")).Root.Elements("data")
                .Select(d => (string)d.Attribute("name")).ToList();
            Assert.Contains("NoTarget", direct);
            Assert.Empty(direct.Except(table));
            // Keys picked by a condition are named as literals elsewhere; a message no code names is dead.
            Assert.DoesNotContain(table, key => !code.Contains("\"" + key + "\""));
        }
    }
}
