using System.Management.Automation;
using Port53.Model;
using Port53.Resources;
using Port53.Session;

namespace Port53.Cmdlets
{
    /// <summary>
    /// Shows the identity cmdlets will use (SecretId masked), where it came from, the default region and the
    /// endpoint. Like Get-AzContext, emits nothing when there are no credentials at all.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "TcContext")]
    [OutputType(typeof(TcContext))]
    public sealed class GetTcContextCommand : TcCmdlet
    {
        protected override void EndProcessing()
        {
            TcConnection connection = TryGetConnection();
            if (connection == null)
            {
                WriteVerbose(Strings.Core["VerboseNoContext"]);
                return;
            }
            WriteObject(connection.ContextFor(CredentialOf(connection)));
        }
    }
}
