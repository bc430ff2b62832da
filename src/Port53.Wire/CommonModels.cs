using System.Collections.Generic;

// Shapes every Tencent service uses alike: a resource tag and a Describe filter. See README.md in this folder.
#if PORT53_EMULATOR
namespace Port53.Emulator.Model
#else
namespace Port53.Api.Models
#endif
{
    sealed partial class Tag
    {
        public string Key { get; set; }
        public string Value { get; set; }
    }

    /// <summary>One of a Describe action's Filters: values OR'ed, filters AND'ed.</summary>
    internal sealed class Filter
    {
        public Filter()
        {
        }

        public Filter(string name, IEnumerable<string> values)
        {
            Name = name;
            Values = new List<string>(values);
        }

        public string Name { get; set; }
        public List<string> Values { get; set; } = new List<string>();
    }
}
