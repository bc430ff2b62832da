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
        [Theory]
        [InlineData("Core", "NoCredentials", "UnknownRegion")]
        [InlineData("Audit", "NoSecurityGroup", "SecurityGroupNotFound")]
        [InlineData("Emulator", "DotnetNotFound", "NotRunning")]
        public void EveryKeyTheCodeUsesIsInTheTable(string area, string knownKey, string otherKnownKey)
        {
            var table = (StringTable)typeof(Strings).GetField(area).GetValue(null);
            string src = Path.Combine(PowerShellSession.RepoRoot, "src", "Port53");
            var used = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
                .SelectMany(f => Regex.Matches(File.ReadAllText(f), @"Strings\." + area + @"(?:\.Format\(|\[)""(\w+)""\s*[,\])]").Cast<Match>())
                .Select(m => m.Groups[1].Value).Distinct().ToList();
            Assert.Contains(knownKey, used);
            Assert.Contains(otherKnownKey, used);
            Assert.DoesNotContain(used, key => table[key] == "[" + key + "]");
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
