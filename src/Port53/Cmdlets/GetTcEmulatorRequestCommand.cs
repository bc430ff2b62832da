using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Port53.LocalEmulator;
using Port53.Model;

namespace Port53.Cmdlets
{
    /// <summary>
    /// Reads the emulator's request log (GET /_emulator/requests), oldest first: which API calls a script made,
    /// in which region, and how each was answered. Filters match client-side; -Clear empties the log afterwards.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "TcEmulatorRequest")]
    [OutputType(typeof(TcEmulatorRequest))]
    public sealed class GetTcEmulatorRequestCommand : TcEmulatorCmdlet
    {
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ValidateNotBlank]
        public string[] Action { get; set; }

        [Parameter]
        [SupportsWildcards]
        [ValidateNotBlank]
        public string[] Region { get; set; }

        [Parameter]
        [SupportsWildcards]
        [ValidateNotBlank]
        public string[] SecurityGroupId { get; set; }

        /// <summary>Only the calls answered with an error or hit by an injected fault.</summary>
        [Parameter]
        public SwitchParameter Failed { get; set; }

        /// <summary>Empties the whole log after reading it.</summary>
        [Parameter]
        public SwitchParameter Clear { get; set; }

        /// <summary>The emulator's URL; default: the session's emulator.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Url")]
        [ValidateNotNullOrEmpty]
        public string Endpoint { get; set; }

        protected override void ProcessRecord()
        {
            EmulatorControlClient control = ControlClient(Endpoint);
            string target = control.BaseUrl.GetLeftPart(System.UriPartial.Authority);
            IReadOnlyList<TcEmulatorRequest> log = Call(control.GetRequestsAsync(CancellationToken), target);
            List<WildcardPattern> actions = Patterns(Action), regions = Patterns(Region), groups = Patterns(SecurityGroupId);
            foreach (TcEmulatorRequest request in log)
            {
                if (Failed && !request.Failed) continue;
                if (!Matches(actions, request.Action) || !Matches(regions, request.Region) || !Matches(groups, request.SecurityGroupId)) continue;
                WriteObject(request);
            }
            if (Clear) Call(control.ClearRequestsAsync(CancellationToken), target);
        }

        private static List<WildcardPattern> Patterns(string[] values) =>
            values?.Select(v => WildcardPattern.Get(v.Trim(), WildcardOptions.IgnoreCase)).ToList();

        private static bool Matches(List<WildcardPattern> patterns, string value) =>
            patterns == null || patterns.Any(p => p.IsMatch(value ?? string.Empty));
    }
}
