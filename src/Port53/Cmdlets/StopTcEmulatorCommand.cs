using System.Management.Automation;
using Port53.Api;
using Port53.LocalEmulator;
using Port53.Resources;

namespace Port53.Cmdlets
{
    /// <summary>
    /// Stops the emulator Start-TcEmulator started in this session and disconnects the session from it. Like
    /// Stop-Process with a name that matches nothing, asking when none runs is a non-terminating ObjectNotFound
    /// error (EmulatorNotRunning), which -ErrorAction SilentlyContinue turns into "make sure it is stopped".
    /// </summary>
    [Cmdlet(VerbsLifecycle.Stop, "TcEmulator", SupportsShouldProcess = true)]
    [OutputType(typeof(void))]
    public sealed class StopTcEmulatorCommand : TcEmulatorCmdlet
    {
        protected override void EndProcessing()
        {
            EmulatorProcess emulator = Session.Emulator;
            if (emulator == null)
            {
                WriteError(TcErrors.Create("EmulatorNotRunning", ErrorCategory.ObjectNotFound, null, Strings.Emulator["NotRunning"]));
                return;
            }
            if (!ShouldProcess(Strings.Emulator.Format("StopTarget", emulator.Url, emulator.ProcessId), Strings.Emulator["StopAction"])) return;
            StopSessionEmulator();
        }
    }
}
