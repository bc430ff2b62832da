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
        [InlineData(nameof(Strings.Core), "NoCredentials", "UnknownRegion")]
        [InlineData(nameof(Strings.Emulator), "DotnetNotFound", "NotRunning")]
        public void EveryKeyTheCodeUsesIsInTheTable(string area, string someKey, string anotherKey)
        {
            var table = (StringTable)typeof(Strings).GetField(area).GetValue(null);
            string src = Path.Combine(PowerShellSession.RepoRoot, "src", "Port53");
            var used = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
                .SelectMany(f => Regex.Matches(File.ReadAllText(f), @"Strings\." + area + @"(?:\.Format\(|\[)""(\w+)""").Cast<Match>())
                .Select(m => m.Groups[1].Value).Distinct().ToList();
            Assert.Contains(someKey, used);
            Assert.Contains(anotherKey, used);
            Assert.DoesNotContain(used, key => table[key] == "[" + key + "]");
        }
    }
}
