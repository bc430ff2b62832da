using System.Text;
using Port53.Api;
using Xunit;

namespace Port53.Tests.Api
{
    public class Tc3SignerTests
    {
        // Tencent's published example (signature v3, cloud.tencent.com/document/api/213/30654): these exact bytes and values give this signature.
        private const string ExampleBody = "{\"Limit\": 1, \"Filters\": [{\"Values\": [\"\\u672a\\u547d\\u540d\"], \"Name\": \"instance-name\"}]}";

        [Fact]
        public void PublishedExampleVector()
        {
            string sig = Tc3Signer.Signature("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "cvm", 1551113065,
                "cvm.tencentcloudapi.com", Tc3Signer.JsonContentType, Encoding.UTF8.GetBytes(ExampleBody));
            Assert.Equal("72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168", sig);
        }

        [Fact]
        public void AuthorizationHeaderNamesScopeAndSignedHeaders()
        {
            string auth = Tc3Signer.Authorization("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "cvm",
                1551113065, "cvm.tencentcloudapi.com", Tc3Signer.JsonContentType, Encoding.UTF8.GetBytes(ExampleBody));
            Assert.Equal("TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, " +
                "SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168", auth);
        }

        [Theory]
        [InlineData("vpc", "cvm.tencentcloudapi.com", "{\"Limit\": 1, \"Filters\": [{\"Values\": [\"\\u672a\\u547d\\u540d\"], \"Name\": \"instance-name\"}]}")]
        [InlineData("cvm", "127.0.0.1:4566", "{\"Limit\": 1, \"Filters\": [{\"Values\": [\"\\u672a\\u547d\\u540d\"], \"Name\": \"instance-name\"}]}")]
        [InlineData("cvm", "cvm.tencentcloudapi.com", "{\"Limit\": 2, \"Filters\": [{\"Values\": [\"\\u672a\\u547d\\u540d\"], \"Name\": \"instance-name\"}]}")]
        public void AnyChangeOfServiceHostOrBodyChangesTheSignature(string service, string host, string body)
        {
            string sig = Tc3Signer.Signature("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", service, 1551113065, host,
                Tc3Signer.JsonContentType, Encoding.UTF8.GetBytes(body));
            Assert.NotEqual("72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168", sig);
        }

        [Fact]
        public void ScopeDateIsUtcDateOfTimestamp()
        {
            Assert.Equal("2019-02-25", Tc3Signer.ScopeDate(1551113065));
            Assert.Equal("1970-01-01", Tc3Signer.ScopeDate(86399));
            Assert.Equal("1970-01-02", Tc3Signer.ScopeDate(86400));
        }

        [Fact]
        public void SignatureComparisonIsExact()
        {
            Assert.True(Tc3Signer.SignaturesEqual("ab12", "ab12"));
            Assert.False(Tc3Signer.SignaturesEqual("ab12", "ab13"));
            Assert.False(Tc3Signer.SignaturesEqual("ab12", "ab1"));
            Assert.False(Tc3Signer.SignaturesEqual(null, "ab1"));
        }
    }
}
