using System;
using Port53.Analysis;
using Xunit;

namespace Port53.Tests.Analysis
{
    public class PortSetTests
    {
        [Theory]
        [InlineData("ALL", true)]
        [InlineData("all", true)]
        [InlineData(" All ", true)]
        [InlineData("", true)]
        [InlineData(null, true)]
        [InlineData("53", true)]
        [InlineData(" 53 ", true)]
        [InlineData("52", false)]
        [InlineData("54", false)]
        [InlineData("1-100", true)]
        [InlineData("54-60", false)]
        [InlineData("1-52", false)]
        [InlineData("53-53", true)]
        [InlineData("53,80", true)]
        [InlineData("80,53", true)]
        [InlineData("80, 53", true)]
        [InlineData("22,50-60", true)]
        [InlineData("22, 50 - 60", true)]
        [InlineData("22,54-60,52", false)]
        [InlineData("0-65535", true)]
        public void ParsesAndContains53(string text, bool contains53)
        {
            Assert.True(PortSet.TryParse(text, out PortSet ports));
            Assert.Equal(contains53, ports.Contains(53));
        }

        [Theory]
        [InlineData("abc")]
        [InlineData("60-50")]
        [InlineData("70000")]
        [InlineData("65536")]
        [InlineData("53,")]
        [InlineData(",53")]
        [InlineData("-53")]
        [InlineData("53-")]
        [InlineData("5 3")]
        [InlineData("53;80")]
        [InlineData("1-2-3")]
        [InlineData("+53")]
        [InlineData("ALL,53")]
        public void RejectsMalformed(string text)
        {
            Assert.False(PortSet.TryParse(text, out _));
            Assert.Throws<FormatException>(() => PortSet.Parse(text));
        }

        [Fact]
        public void NormalisesAndFormats()
        {
            Assert.Equal("22,50-60,80", PortSet.Parse("80, 55-60,22,50-56").ToString());
            Assert.Equal("50-61", PortSet.Parse("50-55,56-61").ToString());
            Assert.Equal("ALL", PortSet.Parse("0-100,101-65535").ToString());
            Assert.True(PortSet.Parse("0-100,101-65535").IsAll);
            Assert.Equal(PortSet.Parse("53,80"), PortSet.Parse("80,53"));
        }

        [Fact]
        public void Union()
        {
            PortSet u = PortSet.Parse("53").Union(PortSet.Parse("54-60")).Union(PortSet.None);
            Assert.Equal("53-60", u.ToString());
            Assert.Same(PortSet.All, PortSet.Parse("1").Union(PortSet.All));
            Assert.True(PortSet.None.IsEmpty);
            Assert.False(PortSet.None.Contains(53));
        }

        [Theory]
        [InlineData(0, true)]
        [InlineData(65535, true)]
        [InlineData(52, false)]
        [InlineData(54, false)]
        [InlineData(53, true)]
        public void BoundaryMembership(int port, bool expected)
        {
            Assert.Equal(expected, PortSet.Parse("0,53,65535").Contains(port));
        }
    }
}
