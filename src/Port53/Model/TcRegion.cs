namespace Port53.Model
{
    /// <summary>A Tencent Cloud region as Get-TcRegion emits it; Region binds to -Region downstream.</summary>
    public sealed class TcRegion : ITcAccountObject
    {
        public string Region { get; set; }
        /// <summary>The account it was read from (or changed in); null when Port53 could not learn it.</summary>
        public long? AccountUin { get; set; }
        /// <summary>The session context it was read with: commands it is piped to act in that context.</summary>
        public string ContextName { get; set; }
        public string RegionName { get; set; }
        /// <summary>AVAILABLE or UNAVAILABLE, as Tencent reports it.</summary>
        public string RegionState { get; set; }

        public bool IsAvailable => string.Equals(RegionState, "AVAILABLE", System.StringComparison.OrdinalIgnoreCase);

        public override string ToString() => Region ?? string.Empty;
    }
}
