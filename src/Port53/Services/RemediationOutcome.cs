using System.Collections.Generic;
using Port53.Model;

namespace Port53.Services
{
    /// <summary>
    /// The end of one write: the change record (null when nothing was written) and the problems to report for its
    /// targets. Kind-neutral: a change to a Lighthouse firewall ends the same way.
    /// </summary>
    internal sealed class RemediationOutcome
    {
        public TcPort53Change Change { get; set; }
        public List<ServiceProblem> Problems { get; } = new List<ServiceProblem>();
    }
}
