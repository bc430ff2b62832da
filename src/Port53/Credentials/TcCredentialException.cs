using System;
using System.Management.Automation;

namespace Port53.Credentials
{
    /// <summary>Credentials could not be found or read. Message says which source and how to fix it, never a secret.</summary>
    public sealed class TcCredentialException : Exception
    {
        internal TcCredentialException(string errorId, ErrorCategory category, string message, Exception inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Category = category;
        }

        /// <summary>The name after "Port53." in the ErrorId.</summary>
        public string ErrorId { get; }
        public ErrorCategory Category { get; }
    }
}
