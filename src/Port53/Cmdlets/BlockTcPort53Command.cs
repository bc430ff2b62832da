using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Port53.Model;

namespace Port53.Cmdlets
{
    /// <summary>
    /// Closes port 53 to the internet: inserts DROP rules at PolicyIndex 0 of each instance's first bound security
    /// group (or of the group named), only for the protocols and families still open, once per group however many
    /// instances share it, Version-checked, and confirmed by reading the group back.
    /// </summary>
    [Cmdlet(VerbsSecurity.Block, "TcPort53", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(TcPort53Change))]
    public sealed class BlockTcPort53Command : Port53ChangeCmdlet
    {
        internal override TcPort53ChangeAction ChangeAction => TcPort53ChangeAction.Block;

        // The first group is evaluated first, so a DROP at its top decides before any ACCEPT the instance has.
        internal override IEnumerable<string> DefaultGroups(string[] boundInBindingOrder) => boundInBindingOrder.Take(1);
    }
}
