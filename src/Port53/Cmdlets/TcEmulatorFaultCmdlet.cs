using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using Port53.Api;
using Port53.LocalEmulator;
using Port53.Model;
using Port53.Resources;

namespace Port53.Cmdlets
{
    /// <summary>
    /// The fault parameters Start-TcEmulator and Set-TcEmulatorFault share, and their translation into the
    /// emulator's settings. Only parameters the user gave are sent, so Set changes just those and Start keeps
    /// the emulator's defaults (Tencent's rate limits on, no faults) for the rest.
    /// </summary>
    public abstract class TcEmulatorFaultCmdlet : TcEmulatorCmdlet
    {
        /// <summary>Switches the per-action rate limits off (-NoRateLimit:$false switches them on again).</summary>
        [Parameter]
        public SwitchParameter NoRateLimit { get; set; }

        /// <summary>Requests per second for single actions, e.g. @{ DescribeInstances = 5 }.</summary>
        [Parameter]
        [ValidateNotNull]
        public Hashtable RateLimit { get; set; }

        /// <summary>Account-wide ceilings per action across access regions, e.g. @{ '*' = 300 }.</summary>
        [Parameter]
        [ValidateNotNull]
        public Hashtable AccountRateLimit { get; set; }

        /// <summary>One value: a fixed added latency; two: the minimum and maximum of a uniformly random one.</summary>
        [Parameter]
        [ValidateCount(1, 2)]
        [ValidateRange(0, 600000)]
        public int[] LatencyMs { get; set; }

        [Parameter]
        [ValidateRange(0.0, 1.0)]
        public double RequestLimitExceededRate { get; set; }

        [Parameter]
        [ValidateRange(0.0, 1.0)]
        public double InternalErrorRate { get; set; }

        [Parameter]
        [ValidateRange(0.0, 1.0)]
        public double BadGatewayRate { get; set; }

        [Parameter]
        [ValidateRange(0.0, 1.0)]
        public double ConnectionResetRate { get; set; }

        /// <summary>The action runs (a write is applied), then its reply arrives cut off or as an HTML page.</summary>
        [Parameter]
        [ValidateRange(0.0, 1.0)]
        public double GarbledReplyRate { get; set; }

        /// <summary>Limits the injected faults to these actions; @() applies them to every action again.</summary>
        [Parameter]
        [ValidateNotBlank(AllowEmptyList = true)]
        [AllowEmptyCollection]
        public string[] FaultAction { get; set; }

        [Parameter]
        [ValidateRange(0.0, 1.0)]
        public double ConcurrentEditorRate { get; set; }

        /// <summary>Writes to these groups fail with AuthFailure.UnauthorizedOperation; @() lifts that.</summary>
        [Parameter]
        [Alias("Unauthorized")]
        [ValidateNotNull]
        [AllowEmptyCollection]
        [ValidateTcId("sg")]
        public string[] UnauthorizedSecurityGroupId { get; set; }

        [Parameter]
        public int Seed { get; set; }

        /// <summary>The settings the user asked for; a bad -LatencyMs or -RateLimit is a terminating InvalidArgument error.</summary>
        internal EmulatorFaultPatch FaultPatch()
        {
            var patch = new EmulatorFaultPatch();
            if (Bound(nameof(NoRateLimit))) patch.RateLimitEnabled = !NoRateLimit.IsPresent;
            if (RateLimit != null) patch.RateLimits = RateLimits(RateLimit);
            if (AccountRateLimit != null) patch.AccountRateLimits = RateLimits(AccountRateLimit);
            if (LatencyMs != null)
            {
                if (LatencyMs.Length == 2 && LatencyMs[0] > LatencyMs[1])
                    ThrowTerminatingError(TcErrors.Create("InvalidLatency", ErrorCategory.InvalidArgument, LatencyMs,
                        Strings.Emulator.Format("LatencyInvalid", string.Join(", ", LatencyMs))));
                patch.LatencyMinMs = LatencyMs[0];
                patch.LatencyMaxMs = LatencyMs[LatencyMs.Length - 1];
            }
            if (Bound(nameof(RequestLimitExceededRate))) patch.RequestLimitExceededRate = RequestLimitExceededRate;
            if (Bound(nameof(InternalErrorRate))) patch.InternalErrorRate = InternalErrorRate;
            if (Bound(nameof(BadGatewayRate))) patch.BadGatewayRate = BadGatewayRate;
            if (Bound(nameof(ConnectionResetRate))) patch.ConnectionResetRate = ConnectionResetRate;
            if (Bound(nameof(GarbledReplyRate))) patch.GarbledReplyRate = GarbledReplyRate;
            if (FaultAction != null) patch.FaultActions = FaultAction.Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a.Trim()).ToList();
            if (Bound(nameof(ConcurrentEditorRate))) patch.ConcurrentEditorRate = ConcurrentEditorRate;
            if (UnauthorizedSecurityGroupId != null) patch.UnauthorizedSecurityGroupIds = UnauthorizedSecurityGroupId.Select(TcIds.Normalise).ToList();
            if (Bound(nameof(Seed))) patch.Seed = Seed;
            return patch;
        }

        private bool Bound(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);

        private Dictionary<string, int> RateLimits(Hashtable table)
        {
            var limits = new Dictionary<string, int>();
            foreach (DictionaryEntry entry in table)
            {
                string action = entry.Key?.ToString()?.Trim();
                object value = entry.Value is PSObject ps ? ps.BaseObject : entry.Value;
                int perSecond = 0;
                if (string.IsNullOrEmpty(action) || !LanguagePrimitives.TryConvertTo(value, CultureInfo.InvariantCulture, out perSecond) || perSecond < 1)
                {
                    ThrowTerminatingError(TcErrors.Create("InvalidRateLimit", ErrorCategory.InvalidArgument, entry.Key,
                        Strings.Emulator.Format("RateLimitInvalid", action, value)));
                }
                limits[action] = perSecond;
            }
            return limits;
        }
    }
}
