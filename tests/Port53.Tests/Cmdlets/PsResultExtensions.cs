using System.Management.Automation;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Cmdlets
{
    internal static class PsResultExtensions
    {
        /// <summary>
        /// The one failure of a script: a cmdlet's ThrowTerminatingError ends its statement, and the hosted
        /// script records it in the error stream and goes on, so it may be in either place.
        /// </summary>
        public static ErrorRecord SingleFailure(this PsResult result)
        {
            if (result.Terminating != null)
            {
                Assert.Empty(result.Errors);
                return result.Terminating;
            }
            return Assert.Single(result.Errors);
        }
    }
}
