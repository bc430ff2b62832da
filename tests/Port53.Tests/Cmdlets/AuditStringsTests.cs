using System;
using System.Linq;
using Port53.Analysis;
using Port53.Resources;
using Xunit;

namespace Port53.Tests.Cmdlets
{
    public class AuditStringsTests
    {
        [Fact]
        public void EveryEvaluationWarningHasAMessage()
        {
            // The key is built from the kind ("Warning" + kind), so ResourceKeyTests' scan of the code cannot see these.
            Assert.DoesNotContain(Enum.GetNames(typeof(WarningKind)).Select(k => "Warning" + k), key => Strings.Audit[key] == "[" + key + "]");
        }
    }
}
