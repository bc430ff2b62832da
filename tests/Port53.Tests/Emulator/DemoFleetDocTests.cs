using System;
using System.IO;
using System.Linq;
using Port53.Emulator.Model;
using Port53.Tests.Cmdlets;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Emulator
{
    /// <summary>docs/emulator.md's demo tables are what other tests assert against: they must describe the real demo fleet.</summary>
    public class DemoFleetDocTests
    {
        private static string[] Rows(string prefix, string heading = null) => DemoExposure.DocRows(prefix, heading);

        private static string[] Cells(string row) => row.Trim('|').Split('|').Select(c => c.Trim()).ToArray();

        [Fact]
        public void InstanceTableMatchesTheDemoFleet()
        {
            Fleet demo = FleetJson.Demo();
            string[] rows = Rows("ins-", DemoExposure.InstanceTable);
            Assert.Equal(demo.Instances.Count, rows.Length);
            foreach (string row in rows)
            {
                string[] c = Cells(row);
                Instance i = demo.Instances.Single(x => x.InstanceId == c[0]);
                Assert.Equal(i.InstanceName, c[1]);
                Assert.Equal(i.Region, c[2]);
                Assert.Equal(string.Join(", ", i.SecurityGroupIds), c[3]);
                Assert.Equal(i.PublicIpAddresses == null ? "none (`null`)" : string.Join(", ", i.PublicIpAddresses), c[4]);
                Assert.Equal(i.IPv6Addresses.Count == 0 ? "–" : string.Join(", ", i.IPv6Addresses), c[5]);
            }
        }

        [Fact]
        public void MemberTableMatchesTheDemosSecondAccountAndTheExpectedVerdicts()
        {
            FleetAccount member = Assert.Single(FleetJson.Demo().Accounts);
            Assert.Equal(DemoExposure.MemberUin, member.Uin);
            string[] rows = Rows("ins-", "### The member account");
            Assert.Equal(DemoExposure.MemberInstances.Select(r => r.InstanceId), rows.Select(r => Cells(r)[0]));
            Assert.Equal(member.Instances.Select(i => i.InstanceId), rows.Select(r => Cells(r)[0]));
            foreach (string row in rows)
            {
                string[] c = Cells(row);
                Instance i = member.Instances.Single(x => x.InstanceId == c[0]);
                DemoExposure.Row expected = DemoExposure.MemberInstances.Single(x => x.InstanceId == c[0]);
                Assert.Equal((i.InstanceName, string.Join(", ", i.SecurityGroupIds), string.Join(", ", i.PublicIpAddresses)), (c[1], c[2], c[4]));
                Assert.Equal(expected.Verdicts, c.Skip(5).Select(v => v.Replace("**", "").Replace("closed —", "closed -")));
            }
        }

        [Fact]
        public void LighthouseTableMatchesTheDemoFleetAndTheExpectedVerdicts()
        {
            Fleet demo = FleetJson.Demo();
            string[] rows = Rows("lhins-");
            Assert.Equal(demo.LighthouseInstances.Count, rows.Length);
            Assert.Equal(DemoExposure.Lighthouse.Select(r => r.InstanceId), rows.Select(r => Cells(r)[0]));
            foreach (string row in rows)
            {
                string[] c = Cells(row);
                LighthouseInstance i = demo.LighthouseInstances.Single(x => x.InstanceId == c[0]);
                DemoExposure.LighthouseRow expected = DemoExposure.LighthouseInstance(c[0]);
                Assert.Equal((i.InstanceName, i.Region, expected.Region), (c[1], c[2], c[2]));
                Assert.Equal((i.FirewallVersion, expected.FirewallVersion), (long.Parse(c[3]), long.Parse(c[3])));
                Assert.Equal(i.FirewallRuleSet.Count, c[4].Split('·').Length);
                Assert.Equal(expected.Rules, i.FirewallRuleSet.Count);
                Assert.Equal(string.Join(", ", i.PublicAddresses.Concat(i.PublicIpv6Addresses)), c[5]);
                Assert.Equal(expected.Verdicts.Select(v => v.Replace("open", "**open**").Replace("closed -", "closed —")), c.Skip(6).Take(4));
            }
        }

        [Fact]
        public void GroupTableMatchesTheDemoFleet()
        {
            Fleet demo = FleetJson.Demo();
            string[] rows = Rows("sg-");
            Assert.Equal(demo.SecurityGroups.Count, rows.Length);
            foreach (string row in rows)
            {
                string[] c = Cells(row);
                SecurityGroup g = demo.SecurityGroups.Single(x => x.SecurityGroupId == c[0]);
                Assert.Equal((g.Region, g.SecurityGroupName), (c[1], c[2]));
                Assert.Equal(g.SecurityGroupPolicySet.Ingress.Count, c[3].Split('·').Length);
            }
        }
    }
}
