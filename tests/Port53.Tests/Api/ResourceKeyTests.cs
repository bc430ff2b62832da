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
    }
}
