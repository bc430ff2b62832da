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
    }
}
