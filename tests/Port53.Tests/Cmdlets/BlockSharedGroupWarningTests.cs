using System;
using System.Linq;
using Port53.Tests.Execution;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Cmdlets
{
    /// <summary>Block's warning about private-source DNS rules on groups that dozens of instances share.</summary>
    public class SharedGroupWarningTests : IClassFixture<OneBigRegionFixture>
    {
        private readonly OneBigRegionFixture _f;

        public SharedGroupWarningTests(OneBigRegionFixture fixture) => _f = fixture;

        [Fact]
        public void TheWarningNamesFiveInstancesAndCountsTheRestWhichTheWhatIfLineNames()
        {
            // Tencent's literal placement, which stops the most internal rules: the warning's format is what is tested.
            PsResult r = _f.Session.Run("Get-TcInstance -Region * | Block-TcPort53 -WhatIf -Placement Top");
            r.AssertNoErrors();
            var warnings = r.Warnings.Select(w => System.Text.RegularExpressions.Regex.Match(w,
                @"^Blocking port 53 in (sg-\w+) also stops \d+ rule\(s\) .* If (.+?) must still answer DNS")).Where(m => m.Success).ToList();
            Assert.NotEmpty(warnings);
            int capped = 0;
            foreach (var m in warnings)
            {
                string group = m.Groups[1].Value, who = m.Groups[2].Value;
                var more = System.Text.RegularExpressions.Regex.Match(who, @"^(.+) and (\d+) more$");
                string[] named = (more.Success ? more.Groups[1].Value : who).Split(new[] { ", " }, StringSplitOptions.None);
                string whatIf = Assert.Single(r.HostText.Split('\n'), l => l.Contains("to security group " + group + " "));
                int listed = whatIf.Substring(whatIf.IndexOf("Affected instances: ", StringComparison.Ordinal)).Split(',').Length;
                // Every instance named is one the change affects (a rule of a later group stops only for those
                // that bind it after the written group, so the warning may name fewer than the -WhatIf line).
                Assert.All(named, n => Assert.Contains(n, whatIf));
                if (!more.Success)
                {
                    Assert.InRange(named.Length, 1, 5);
                    continue;
                }
                capped++;
                Assert.Equal(5, named.Length);
                Assert.InRange(5 + int.Parse(more.Groups[2].Value), 6, listed);
            }
            Assert.True(capped > 0, "no group with more than five instances had a private-source DNS rule");
        }
    }
}
