using System;
using System.Management.Automation;

namespace Port53.Api
{
    /// <summary>
    /// A condition Port53 detects itself (not an error Tencent returned), carrying its stable ErrorId and the
    /// category it is reported under; <see cref="TcErrors.ToErrorRecord(Exception, object)"/> turns it into "Port53.&lt;ErrorId&gt;".
    /// </summary>
    public abstract class TcLocalException : Exception
    {
        private protected TcLocalException(string errorId, ErrorCategory category, string message, Exception inner)
            : base(message, inner)
        {
            ErrorId = errorId;
            Category = category;
        }

        /// <summary>For conditions the services detect: they name their category without PowerShell.</summary>
        private protected TcLocalException(string errorId, Services.ProblemCategory category, string message, Exception inner)
            : this(errorId, TcErrors.CategoryOf(category), message, inner)
        {
        }

        /// <summary>The name after "Port53." in the ErrorId.</summary>
        public string ErrorId { get; }
        public ErrorCategory Category { get; }

        /// <summary>Whether nothing else the command would do may go on after it (see <see cref="TcErrors.IsFatal"/>).</summary>
        public virtual bool StopsCommand => false;
    }
}
