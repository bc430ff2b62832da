using System.Management.Automation;
using Port53.LocalEmulator;
using Port53.Model;
using Port53.Resources;

namespace Port53.Cmdlets
{
    /// <summary>
    /// Changes the faults of a running emulator (POST /_emulator/faults): only the parameters given, the rest
    /// stay as they are. Any change restarts the seeded fault sequence and refills the rate-limit buckets.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "TcEmulatorFault", SupportsShouldProcess = true)]
    [OutputType(typeof(TcEmulatorFault))]
    public sealed class SetTcEmulatorFaultCommand : TcEmulatorFaultCmdlet
    {
        /// <summary>The emulator's URL; default: the session's emulator.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Url")]
        [ValidateNotNullOrEmpty]
        public string Endpoint { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            EmulatorFaultPatch patch = FaultPatch();
            EmulatorControlClient control = ControlClient(Endpoint);
            string target = control.BaseUrl.GetLeftPart(System.UriPartial.Authority);
            if (!ShouldProcess(target, Strings.Emulator.Format("SetFaultsAction", patch.ToJson()))) return;
            TcEmulatorFault settings = Call(control.SetFaultsAsync(patch, CancellationToken), target);
            if (PassThru) WriteObject(settings);
        }
    }
}
