using System.Management.Automation;
using Port53.Api;
using Port53.Resources;
using Port53.Session;

namespace Port53.Cmdlets
{
    /// <summary>
    /// Forgets the contexts Connect-TcAccount made (the credential chain applies again), or with -Name only those; when
    /// the default goes, the context connected before it becomes the default.
    /// </summary>
    [Cmdlet(VerbsCommunications.Disconnect, "TcAccount")]
    [OutputType(typeof(void))]
    public sealed class DisconnectTcAccountCommand : TcCmdlet
    {
        /// <summary>The contexts to forget; bound from piped contexts (Get-TcContext -ListAvailable).</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotBlank]
        [ArgumentCompleter(typeof(ContextNameCompleter))]
        public string[] Name { get; set; }

        private bool _named;

        protected override void ProcessRecord()
        {
            if (Name == null) return;
            _named = true;
            foreach (string name in Name)
            {
                TcConnection context = Session.Context(name.Trim());
                if (context == null || !Session.Disconnect(context))
                {
                    WriteError(TcErrors.Create("ContextNotFound", ErrorCategory.ObjectNotFound, name, Strings.Core.Format("ContextNotFound", name)));
                    continue;
                }
                WriteVerbose(Strings.Core.Format("VerboseDisconnectedContext", context.Name, Session.Connection?.Name ?? "-"));
            }
        }

        protected override void EndProcessing()
        {
            if (_named) return;
            Session.Disconnect();
            WriteVerbose(Strings.Core["VerboseDisconnected"]);
        }
    }
}
