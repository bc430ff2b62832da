using System;
using System.Collections.Generic;

// The emulator's fault settings, as GET and POST /_emulator/faults carry them: the emulator acts on them as
// FaultSettings (which adds their defaults, merging and checks in src/Port53.Emulator/Faults), Set-TcEmulatorFault
// -PassThru returns them as TcEmulatorFault. One class under the name each side has always given it; see README.md
// in this folder.
#if PORT53_EMULATOR
namespace Port53.Emulator.Faults
{
    public sealed partial class FaultSettings
#else
namespace Port53.Model
{
    public sealed partial class TcEmulatorFault
#endif
    {
        /// <summary>
        /// Rate limiting (token bucket: burst = limit, refill = limit per second), counted as Tencent documents it: per
        /// action, access region (the region named by a Host of the form &lt;service&gt;.&lt;region&gt;.tencentcloudapi.com;
        /// any other Host is the one access region "default") and SecretId.
        /// </summary>
        public bool RateLimitEnabled { get; set; } = true;

        /// <summary>
        /// Requests per second by action (Lighthouse's keyed "lighthouse.&lt;Action&gt;"), per access region and SecretId;
        /// Tencent's published limits to begin with. A POST merges keys.
        /// </summary>
        public Dictionary<string, int> RateLimits { get; set; }

        /// <summary>
        /// Requests per second by action across every access region and SecretId: the main-account limit Tencent
        /// applies on top without publishing it. Key "*" covers the actions not named. Empty (the default): none.
        /// A POST merges keys.
        /// </summary>
        public Dictionary<string, int> AccountRateLimits { get; set; } = new Dictionary<string, int>(StringComparer.Ordinal);

        /// <summary>Added latency: fixed when LatencyMaxMs &lt;= LatencyMinMs, otherwise uniform in [min, max].</summary>
        public int LatencyMinMs { get; set; }
        public int LatencyMaxMs { get; set; }

        /// <summary>Probability per request of an injected RequestLimitExceeded error response.</summary>
        public double RequestLimitExceededRate { get; set; }
        /// <summary>Probability per request of an injected InternalError error response.</summary>
        public double InternalErrorRate { get; set; }
        /// <summary>Probability per request of an HTTP 502 with an HTML body (a gateway in front failing).</summary>
        public double BadGatewayRate { get; set; }
        /// <summary>Probability per request of the connection being reset with no response.</summary>
        public double ConnectionResetRate { get; set; }
        /// <summary>
        /// Probability per request that the action runs (a write is applied) and its reply then arrives garbled, as
        /// from a proxy: HTTP 200 with the JSON cut off halfway, or with an HTML page instead (one or the other at
        /// random). Only successful replies are garbled, so the client cannot tell from the reply what happened.
        /// </summary>
        public double GarbledReplyRate { get; set; }
        /// <summary>Injected faults (the rates above) hit only these actions; null or empty: every action.</summary>
        public List<string> FaultActions { get; set; }

        /// <summary>
        /// Probability that a successful DescribeSecurityGroupPolicies is followed, before the client's next write
        /// to that group, by another editor's change (an ACCEPT TCP 8080 from 10.0.0.0/8 inserted at the top, with
        /// PolicyDescription "concurrent-editor"), which bumps Version.
        /// </summary>
        public double ConcurrentEditorRate { get; set; }

        /// <summary>Writes to these security groups fail with AuthFailure.UnauthorizedOperation.</summary>
        public List<string> UnauthorizedSecurityGroupIds { get; set; } = new List<string>();

        /// <summary>Seed of the fault random sequence; setting it (or a reset) restarts the sequence.</summary>
        public int Seed { get; set; } = 1;
    }
}
