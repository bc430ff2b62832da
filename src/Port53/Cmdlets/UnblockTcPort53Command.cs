using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Port53.Model;

namespace Port53.Cmdlets
{
    /// <summary>
    /// Removes the rules Block-TcPort53 added (recognised by their marker and exact fields) and nothing else, from
    /// every group bound to each instance (or from the groups named), Version-checked, confirmed by reading back.
    /// </summary>
    [Cmdlet(VerbsSecurity.Unblock, "TcPort53", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(TcPort53Change))]
    public sealed class UnblockTcPort53Command : Port53ChangeCmdlet
    {
        internal override TcPort53ChangeAction ChangeAction => TcPort53ChangeAction.Unblock;

        // Block writes to the first group unless told otherwise, so a rule it added may be in any bound group.
        internal override IEnumerable<string> DefaultGroups(string[] boundInBindingOrder) => boundInBindingOrder.Distinct(StringComparer.OrdinalIgnoreCase);
    }
}
