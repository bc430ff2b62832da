namespace Port53.Model
{
    /// <summary>A Tencent Cloud region as Get-TcRegion emits it; Region binds to -Region downstream.</summary>
    public sealed class TcRegion
    {
        public string Region { get; set; }
        public string RegionName { get; set; }
        /// <summary>AVAILABLE or UNAVAILABLE, as Tencent reports it.</summary>
        public string RegionState { get; set; }

        public bool IsAvailable => string.Equals(RegionState, "AVAILABLE", System.StringComparison.OrdinalIgnoreCase);

        public override string ToString() => Region ?? string.Empty;
    }
}
