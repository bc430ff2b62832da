using System.Collections;

namespace Port53.Model
{
    /// <summary>The emulator's fault settings, as Set-TcEmulatorFault -PassThru returns them (GET /_emulator/faults).</summary>
    public sealed class TcEmulatorFault
    {
        /// <summary>Whether the rate limits apply.</summary>
        public bool RateLimitEnabled { get; set; }
        /// <summary>Requests per second by action, per access region and SecretId.</summary>
        public Hashtable RateLimits { get; set; } = new Hashtable();
        /// <summary>Requests per second by action across access regions and SecretIds ("*": every other action); empty: none.</summary>
        public Hashtable AccountRateLimits { get; set; } = new Hashtable();
        public int LatencyMinMs { get; set; }
        public int LatencyMaxMs { get; set; }
        public double RequestLimitExceededRate { get; set; }
        public double InternalErrorRate { get; set; }
        public double BadGatewayRate { get; set; }
        public double ConnectionResetRate { get; set; }
        /// <summary>Probability that a call is carried out and its reply then arrives cut off or as an HTML page.</summary>
        public double GarbledReplyRate { get; set; }
        /// <summary>The actions the injected faults are limited to; empty: every action.</summary>
        public string[] FaultActions { get; set; } = new string[0];
        public double ConcurrentEditorRate { get; set; }
        public string[] UnauthorizedSecurityGroupIds { get; set; } = new string[0];
        public int Seed { get; set; }
    }
}
