using System;
using System.Collections.Generic;

// Which API version each Tencent service speaks (the X-TC-Version header): the client sends it, the emulator
// checks it. See README.md in this folder.
#if PORT53_EMULATOR
namespace Port53.Emulator.Model
#else
namespace Port53.Api.Models
#endif
{
    internal static class TencentApiVersions
    {
        /// <summary>Service (the credential scope's name, the endpoint's first label) to its API version.</summary>
        public static readonly IReadOnlyDictionary<string, string> ByService = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["cvm"] = "2017-03-12",
            ["vpc"] = "2017-03-12",
            ["lighthouse"] = "2020-03-24",
            ["sts"] = "2018-08-13",
            ["organization"] = "2021-03-31",
        };

        /// <summary>The version of <paramref name="service"/>; null for a service the project does not call.</summary>
        public static string Of(string service) =>
            service != null && ByService.TryGetValue(service, out string version) ? version : null;
    }
}
