using System;
using System.Management.Automation;
using Port53.Api;

namespace Port53.LocalEmulator
{
    /// <summary>Starting or talking to an emulator failed. Messages come from Strings.Emulator.</summary>
    public sealed class EmulatorException : TcLocalException
    {
        internal EmulatorException(string errorId, ErrorCategory category, string message, Exception inner = null)
            : base(errorId, category, message, inner)
        {
        }
    }
}
