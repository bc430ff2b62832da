using System;
using System.Management.Automation;
using Port53.Api;

namespace Port53.Credentials
{
    /// <summary>Credentials could not be found or read. Message says which source and how to fix it, never a secret.</summary>
    public sealed class TcCredentialException : TcLocalException
    {
        internal TcCredentialException(string errorId, ErrorCategory category, string message, Exception inner = null)
            : base(errorId, category, message, inner)
        {
        }
    }
}
