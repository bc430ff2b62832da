using System;

// One call of the emulator's request log, as GET /_emulator/requests lists it: the emulator keeps it as
// RequestLogEntry, Get-TcEmulatorRequest returns it as TcEmulatorRequest (which adds Failed and its text form in
// src/Port53/Model). One class under the name each side has always given it; see README.md in this folder.
#if PORT53_EMULATOR
namespace Port53.Emulator.Hosting
{
    public sealed partial class RequestLogEntry
#else
namespace Port53.Model
{
    public sealed partial class TcEmulatorRequest
#endif
    {
        /// <summary>When the emulator received it (the module shows it in local time).</summary>
        public DateTimeOffset Time { get; set; }
        public string Action { get; set; }
        public string Region { get; set; }
        /// <summary>
        /// The access region the call reached, which its rate limits were counted in: the region of a Host
        /// &lt;service&gt;.&lt;region&gt;.tencentcloudapi.com, else "default".
        /// </summary>
        public string AccessRegion { get; set; }
        /// <summary>cvm, vpc, lighthouse, sts or organization (from the action), or the credential scope's service when the action is unknown.</summary>
        public string Service { get; set; }
        /// <summary>The account the call was served from (the one its SecretId or temporary key belongs to); null when it was refused before that was known.</summary>
        public long? AccountUin { get; set; }
        /// <summary>The request's top-level SecurityGroupId, when it names one.</summary>
        public string SecurityGroupId { get; set; }
        /// <summary>The Tencent error code it was answered with; null on success and for transport faults.</summary>
        public string ErrorCode { get; set; }
        /// <summary>An injected fault: connection-reset, http-502, injected (an injected error response), garbled-json or garbled-html; else null.</summary>
        public string Fault { get; set; }
        public string RequestId { get; set; }
        /// <summary>200 for every Tencent answer, errors included; 502 for the injected gateway fault; 0 for a reset.</summary>
        public int HttpStatus { get; set; }
    }
}
