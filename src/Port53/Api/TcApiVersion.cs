using System;
using System.Collections.Generic;

namespace Port53.Api
{
    /// <summary>
    /// The API version each Tencent service is called with (X-TC-Version). Each product versions its API on its own,
    /// so the version follows the service, never the action.
    /// </summary>
    internal static class TcApiVersion
    {
        private static readonly Dictionary<string, string> ByService = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["cvm"] = "2017-03-12",
            ["vpc"] = "2017-03-12",
            ["lighthouse"] = "2020-03-24",
            ["sts"] = "2018-08-13",
            ["organization"] = "2021-03-31",
        };

        public static string Of(string service) =>
            service != null && ByService.TryGetValue(service, out string version)
                ? version
                : throw new ArgumentException("No API version is known for service '" + service + "'.", nameof(service));
    }
}
