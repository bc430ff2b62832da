using System;

namespace Port53.Model
{
    /// <summary>One API call as the emulator logged it (Get-TcEmulatorRequest).</summary>
    public sealed class TcEmulatorRequest
    {
        /// <summary>When the emulator received it, in local time.</summary>
        public DateTime Time { get; set; }
        public string Action { get; set; }
        public string Region { get; set; }
        /// <summary>
        /// The access region the call reached, which its rate limits were counted in: the region of a Host
        /// &lt;service&gt;.&lt;region&gt;.tencentcloudapi.com, else "default".
        /// </summary>
        public string AccessRegion { get; set; }
        /// <summary>cvm or vpc.</summary>
        public string Service { get; set; }
        /// <summary>The request's top-level SecurityGroupId, when it names one.</summary>
        public string SecurityGroupId { get; set; }
        /// <summary>The Tencent error code it was answered with; null on success and for transport faults.</summary>
        public string ErrorCode { get; set; }
        /// <summary>An injected fault: connection-reset, http-502 or injected; else null.</summary>
        public string Fault { get; set; }
        public string RequestId { get; set; }
        /// <summary>200 for every Tencent answer, errors included; 502 for the injected gateway fault; 0 for a reset.</summary>
        public int HttpStatus { get; set; }

        /// <summary>Whether the call failed: an error code or an injected fault.</summary>
        public bool Failed => ErrorCode != null || Fault != null;

        public override string ToString() => Action + " " + (Region ?? "-") + (Failed ? " " + (ErrorCode ?? Fault) : string.Empty);
    }
}
