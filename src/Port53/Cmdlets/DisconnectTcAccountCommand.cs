using System.Management.Automation;
using Port53.Resources;

namespace Port53.Cmdlets
{
    /// <summary>Forgets the credentials, region and endpoint Connect-TcAccount chose; the credential chain applies again.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "TcAccount")]
    [OutputType(typeof(void))]
    public sealed class DisconnectTcAccountCommand : TcCmdlet
    {
        protected override void EndProcessing()
        {
            Session.Disconnect();
            WriteVerbose(Strings.Core["VerboseDisconnected"]);
        }
    }
}
