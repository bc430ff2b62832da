namespace Port53.Session
{
    /// <summary>An id as last seen: what it is called and where it lives, either of them possibly unknown.</summary>
    internal sealed class TcRecentId
    {
        public TcRecentId(string id, string name, string region)
        {
            Id = id;
            Name = name;
            Region = region;
        }

        public string Id { get; }
        public string Name { get; }
        public string Region { get; }

        /// <summary>"name (region)", or as much of it as is known; the id itself when nothing is.</summary>
        public string Label
        {
            get
            {
                bool named = !string.IsNullOrEmpty(Name), placed = !string.IsNullOrEmpty(Region);
                if (named && placed) return Name + " (" + Region + ")";
                if (named) return Name;
                return placed ? "(" + Region + ")" : Id;
            }
        }
    }
}
