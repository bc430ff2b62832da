using System.Globalization;
using System.Threading;
using Port53.Resources;
using Xunit;

namespace Port53.Tests.Api
{
    public class StringsTests
    {
        [Fact]
        public void EnglishTableResolvesAndMissingKeysShowThemselves()
        {
            var saved = Thread.CurrentThread.CurrentUICulture;
            try
            {
                Thread.CurrentThread.CurrentUICulture = new CultureInfo("en-US");
                Assert.StartsWith("No Tencent Cloud credentials were found.", Strings.Core["NoCredentials"]);
                Assert.Equal("[NoSuchKey]", Strings.Core["NoSuchKey"]);
            }
            finally
            {
                Thread.CurrentThread.CurrentUICulture = saved;
            }
        }
    }
}
