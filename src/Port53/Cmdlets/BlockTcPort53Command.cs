using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Port53.Model;

namespace Port53.Cmdlets
{
    /// <summary>
    /// Closes port 53 to the internet with the least change: a DROP directly above the rule that decides each open
    /// protocol and family, in that rule's group (or, with -Placement Top, at PolicyIndex 0 of the first bound group),
    /// only for what is still open, once per group however many instances share it, Version-checked, and confirmed by
    /// reading the group back.
    /// </summary>
    [Cmdlet(VerbsSecurity.Block, "TcPort53", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(TcPort53Change))]
    public sealed class BlockTcPort53Command : Port53ChangeCmdlet
    {
        [Parameter]
        public TcPort53Placement Placement { get; set; } = TcPort53Placement.AboveDecidingRule;

        internal override TcPort53ChangeAction ChangeAction => TcPort53ChangeAction.Block;

        internal override TcPort53Placement PlacementChoice => Placement;

        internal override bool ChoosesGroupsByRules => Placement == TcPort53Placement.AboveDecidingRule;

        // -Placement Top: the first group is evaluated first, so a DROP at its top decides before any ACCEPT the instance has.
        internal override IEnumerable<string> DefaultGroups(string[] boundInBindingOrder) => boundInBindingOrder.Take(1);
    }
}
