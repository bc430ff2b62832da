using System;
using System.Management.Automation;
using System.Threading.Tasks;
using Port53.Api;
using Port53.LocalEmulator;
using Port53.Resources;

namespace Port53.Cmdlets
{
    /// <summary>
    /// What the emulator cmdlets share: which emulator a control call goes to, stopping the session's emulator,
    /// and reporting <see cref="EmulatorException"/> as terminating errors.
    /// </summary>
    public abstract class TcEmulatorCmdlet : TcCmdlet
    {
        /// <summary>
        /// Waits for an emulator call; a failure ends the cmdlet, because each of these cmdlets works on one
        /// emulator and has nothing else to go on with.
        /// </summary>
        internal T Call<T>(Task<T> task, object target)
        {
            Call((Task)task, target);
            return task.Result;
        }

        internal void Call(Task task, object target)
        {
            try
            {
                Await(task);
            }
            catch (EmulatorException ex)
            {
                ThrowTerminatingError(TcErrors.ToErrorRecord(ex, target));
            }
        }

        /// <summary>
        /// The control API to talk to: <paramref name="endpoint"/> when given; else the emulator Start-TcEmulator
        /// runs for this session; else the session's custom endpoint (Connect-TcAccount -Endpoint to an emulator
        /// started some other way). Nothing of these is a terminating error that says what to do.
        /// </summary>
        internal EmulatorControlClient ControlClient(string endpoint)
        {
            if (endpoint != null)
            {
                string text = endpoint.Trim();
                if (text.IndexOf("://", StringComparison.Ordinal) < 0) text = "http://" + text;
                if (!Uri.TryCreate(text, UriKind.Absolute, out Uri url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
                    ThrowTerminatingError(TcErrors.Create("InvalidEndpoint", ErrorCategory.InvalidArgument, endpoint, Strings.Emulator.Format("EndpointInvalid", endpoint)));
                return new EmulatorControlClient(url);
            }
            EmulatorProcess emulator = Session.Emulator;
            if (emulator != null)
            {
                if (emulator.HasExited)
                    ThrowTerminatingError(TcErrors.Create("EmulatorExited", ErrorCategory.ResourceUnavailable, emulator.Url.ToString(),
                        Strings.Emulator.Format("Exited", emulator.Url, emulator.ProcessId, emulator.ExitCode?.ToString() ?? "?")));
                return new EmulatorControlClient(emulator.Url);
            }
            TcEndpoint connected = Session.Connection?.Endpoint;
            if (connected != null && connected.Kind == TcEndpointKind.Custom) return new EmulatorControlClient(connected.BaseUri);
            ThrowTerminatingError(TcErrors.Create("EmulatorNotRunning", ErrorCategory.ObjectNotFound, null, Strings.Emulator["NotRunningControl"]));
            return null;
        }

        /// <summary>
        /// Stops the emulator this session started, if any, and disconnects the session when it points there (its
        /// keys would only fail from now on). Returns the one stopped, or null.
        /// </summary>
        internal EmulatorProcess StopSessionEmulator()
        {
            EmulatorProcess emulator = Session.ExchangeEmulator(null);
            if (emulator == null) return null;
            emulator.Stop();
            WriteVerbose(Strings.Emulator.Format("VerboseStopped", emulator.Url, emulator.ProcessId));
            DisconnectIfUsing(emulator);
            return emulator;
        }

        internal void DisconnectIfUsing(EmulatorProcess emulator)
        {
            TcEndpoint connected = Session.Connection?.Endpoint;
            if (connected == null || connected.Kind != TcEndpointKind.Custom ||
                !string.Equals(connected.BaseUri.GetLeftPart(UriPartial.Authority), emulator.Url.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
                return;
            Session.Disconnect();
            WriteVerbose(Strings.Emulator["VerboseDisconnected"]);
        }
    }
}
