using System.Management.Automation;
using Port53.Resources;

namespace Port53.Api
{
    /// <summary>
    /// A query with an id list or filter that has no value: Tencent ignores such a filter and lists everything, so
    /// it is never sent. Parameter validation refuses blank selectors first; this is the last line behind it.
    /// </summary>
    public sealed class TcBlankSelectorException : TcLocalException
    {
        internal TcBlankSelectorException(string selector)
            : base("BlankSelector", ErrorCategory.InvalidArgument, Strings.Core.Format("BlankSelector", selector), null)
        {
        }
    }
}
