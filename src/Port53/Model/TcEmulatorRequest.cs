namespace Port53.Model
{
    /// <summary>
    /// One API call as the emulator logged it (Get-TcEmulatorRequest). Its fields are the emulator's own log entry,
    /// defined once in src/Port53.Wire/EmulatorRequest.cs; this part adds what the cmdlet shows.
    /// </summary>
    public sealed partial class TcEmulatorRequest
    {
        /// <summary>Whether the call failed: an error code or an injected fault.</summary>
        public bool Failed => ErrorCode != null || Fault != null;

        public override string ToString() => Action + " " + (Region ?? "-") + (Failed ? " " + (ErrorCode ?? Fault) : string.Empty);
    }
}
