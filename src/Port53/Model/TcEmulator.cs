using System;

namespace Port53.Model
{
    /// <summary>
    /// An emulator Start-TcEmulator started (-PassThru): where it listens, which process it is and what it serves.
    /// Holds no secret: the SecretId is the emulator's own key id, and the key itself is never exposed.
    /// </summary>
    public sealed class TcEmulator
    {
        /// <summary>The base URL, such as http://127.0.0.1:4566/; what Connect-TcAccount -Endpoint and -Endpoint of the control cmdlets take.</summary>
        public string Url { get; set; }
        public int Port { get; set; }
        public int ProcessId { get; set; }
        /// <summary>Demo, File or Generated.</summary>
        public string Fleet { get; set; }
        /// <summary>The fleet file's full path or the generator spec; empty for the demo fleet.</summary>
        public string FleetSource { get; set; }
        public int Regions { get; set; }
        public int Instances { get; set; }
        public int SecurityGroups { get; set; }
        /// <summary>The session's default region now.</summary>
        public string Region { get; set; }
        /// <summary>The key id the session signs with (the emulator's, not an account's).</summary>
        public string SecretId { get; set; }
        public DateTime StartTime { get; set; }

        public override string ToString() => Url ?? string.Empty;
    }
}
