using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

// The emulator's parts of the shared Lighthouse shapes (src/Port53.Wire/LighthouseModels.cs): what a fleet file
// adds to a Lighthouse instance (its Region and its firewall), and the fields a record does not know, kept for
// round trips as in Fleet.cs.
namespace Port53.Emulator.Model
{
    public sealed partial class LighthouseInstance : RegionalRecord
    {
        /// <summary>In a fleet file: the firewall's version (1 when absent). The live value is in <see cref="Firewall"/>.</summary>
        public long? FirewallVersion { get; set; }
        /// <summary>In a fleet file: the firewall's rules in order. The live list is in <see cref="Firewall"/>.</summary>
        public List<FirewallRuleInfo> FirewallRuleSet { get; set; }

        /// <summary>The live firewall, replaced as a whole on every change (under FleetStore.Gate), so a reader sees one version.</summary>
        internal volatile LighthouseFirewall Firewall;

        internal LighthouseInstance ShallowCopy() => (LighthouseInstance)MemberwiseClone();
    }

    public partial class FirewallRule : FleetRecord
    {
    }

    public sealed partial class FirewallRuleInfo
    {
    }

    /// <summary>A Lighthouse firewall's quotas: rules per instance, characters of a description.</summary>
    internal static class LighthouseLimits
    {
        public const int RulesPerFirewall = 100;
        public const int DescriptionLength = 64;
    }

    /// <summary>A Lighthouse instance's firewall at one version; never changed once published.</summary>
    internal sealed class LighthouseFirewall
    {
        public LighthouseFirewall(long version, IReadOnlyList<FirewallRuleInfo> rules)
        {
            Version = version;
            Rules = rules;
        }

        public long Version { get; }
        public IReadOnlyList<FirewallRuleInfo> Rules { get; }
    }
}
