using System.Net;
using Port53.Api;
using Xunit;

namespace Port53.Tests.Api
{
    /// <summary>
    /// Under .NET Framework (Windows PowerShell 5.1) every call to Tencent goes over ServicePointManager's TLS
    /// versions; TcHttp makes sure they include TLS 1.2 without taking anything away or narrowing a stronger setting.
    /// </summary>
    public class TlsTests
    {
        // The obsolete names, by value: SSL 3 (48), TLS 1.0 (192), TLS 1.1 (768).
        private const SecurityProtocolType Ssl3 = (SecurityProtocolType)48, Tls10 = (SecurityProtocolType)192, Tls11 = (SecurityProtocolType)768;

        [Theory]
        [InlineData(Ssl3 | Tls10, Ssl3 | Tls10 | SecurityProtocolType.Tls12)] // Windows PowerShell 5.1's default without SchUseStrongCrypto
        [InlineData(Tls10 | Tls11, Tls10 | Tls11 | SecurityProtocolType.Tls12)]
        [InlineData(Tls10, Tls10 | SecurityProtocolType.Tls12)]
        [InlineData(Tls10 | TcHttp.Tls13, Tls10 | SecurityProtocolType.Tls12 | TcHttp.Tls13)] // 1.0 must not be the fallback where 1.3 is refused
        public void AnOldSettingGainsTls12AndKeepsWhatItHad(SecurityProtocolType current, SecurityProtocolType expected)
        {
            Assert.Equal(expected, TcHttp.WithTls12(current));
        }

        [Theory]
        [InlineData(TcHttp.SystemDefault)]
        [InlineData(SecurityProtocolType.Tls12)]
        [InlineData(TcHttp.Tls13)]
        [InlineData(TcHttp.Tls13 | SecurityProtocolType.Tls12)]
        [InlineData(Tls10 | SecurityProtocolType.Tls12)]
        public void ASettingWith12AlreadyOrOnly13OrTheOsDefaultIsLeftAlone(SecurityProtocolType current)
        {
            Assert.Equal(current, TcHttp.WithTls12(current));
        }
    }
}
