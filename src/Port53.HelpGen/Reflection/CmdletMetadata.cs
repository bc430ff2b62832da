using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;

namespace Port53.HelpGen.Reflection
{
    /// <summary>How one parameter takes part in one parameter set.</summary>
    public sealed class SetMembership
    {
        public bool Mandatory { get; set; }
        /// <summary>Null when the parameter is named-only in this set.</summary>
        public int? Position { get; set; }
        public bool ValueFromPipeline { get; set; }
        public bool ValueFromPipelineByPropertyName { get; set; }
    }

    public sealed class ParameterMetadata
    {
        public string Name { get; set; }
        public Type Type { get; set; }
        public IReadOnlyList<string> Aliases { get; set; } = Array.Empty<string>();
        public bool SupportsWildcards { get; set; }
        public IReadOnlyList<string> ValidValues { get; set; } = Array.Empty<string>();
        /// <summary>Set name → membership. The pseudo-set "__AllParameterSets" is expanded to every real set.</summary>
        public Dictionary<string, SetMembership> Sets { get; } = new Dictionary<string, SetMembership>(StringComparer.OrdinalIgnoreCase);
        /// <summary>-WhatIf and -Confirm, which PowerShell adds for SupportsShouldProcess; not declared by the class.</summary>
        public bool IsRiskMitigation { get; set; }

        public bool IsSwitch => Type == typeof(SwitchParameter);
        public bool MandatoryEverywhere => Sets.Count > 0 && Sets.Values.All(s => s.Mandatory);
        public bool ByValue => Sets.Values.Any(s => s.ValueFromPipeline);
        public bool ByPropertyName => Sets.Values.Any(s => s.ValueFromPipelineByPropertyName);

        /// <summary>The position when every set agrees, else null ("named" in help).</summary>
        public int? Position
        {
            get
            {
                var positions = Sets.Values.Select(s => s.Position).Distinct().ToList();
                return positions.Count == 1 ? positions[0] : null;
            }
        }
    }

    /// <summary>What the compiled cmdlet says about itself: the facts help must not restate by hand.</summary>
    public sealed class CmdletMetadata
    {
        public const string AllSets = "__AllParameterSets";

        public string Name => Verb + "-" + Noun;
        public string Verb { get; set; }
        public string Noun { get; set; }
        public Type Type { get; set; }
        public bool SupportsShouldProcess { get; set; }
        public ConfirmImpact ConfirmImpact { get; set; }
        /// <summary>Real set names, default set first; a single "__AllParameterSets" when the cmdlet has none.</summary>
        public List<string> ParameterSets { get; } = new List<string>();
        public List<ParameterMetadata> Parameters { get; } = new List<ParameterMetadata>();
        /// <summary>[OutputType] names, as PowerShell shows them.</summary>
        public List<string> OutputTypes { get; } = new List<string>();

        public IEnumerable<ParameterMetadata> ParametersIn(string set) => Parameters.Where(p => p.Sets.ContainsKey(set));

        /// <summary>Every public, non-abstract class with [Cmdlet] in the assembly, ordered by name.</summary>
        public static IReadOnlyList<CmdletMetadata> FromAssembly(Assembly assembly)
        {
            Type[] types;
            try { types = assembly.GetTypes(); }
            catch (ReflectionTypeLoadException ex) { types = ex.Types.Where(t => t != null).ToArray(); }
            return types.Where(t => t.IsPublic && !t.IsAbstract && t.GetCustomAttribute<CmdletAttribute>(false) != null)
                .Select(FromType)
                .OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
                .ToList();
        }

        public static CmdletMetadata FromType(Type type)
        {
            var attr = type.GetCustomAttribute<CmdletAttribute>(false)
                ?? throw new ArgumentException(type.FullName + " has no [Cmdlet] attribute.", nameof(type));
            var cmdlet = new CmdletMetadata
            {
                Verb = attr.VerbName,
                Noun = attr.NounName,
                Type = type,
                SupportsShouldProcess = attr.SupportsShouldProcess,
                ConfirmImpact = attr.ConfirmImpact,
            };

            // Derived-class parameters first, each class in declaration order, like Get-Command shows them.
            var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Select(p => (Property: p, Depth: Depth(type, p.DeclaringType), Attributes: p.GetCustomAttributes<ParameterAttribute>(true).ToList()))
                .Where(p => p.Attributes.Count > 0)
                .OrderBy(p => p.Depth).ThenBy(p => p.Property.MetadataToken)
                .ToList();

            var explicitSets = properties.SelectMany(p => p.Attributes).Select(a => a.ParameterSetName)
                .Where(n => !string.IsNullOrEmpty(n) && n != AllSets).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (explicitSets.Count == 0) explicitSets.Add(AllSets);
            string defaultSet = explicitSets.FirstOrDefault(s => s.Equals(attr.DefaultParameterSetName, StringComparison.OrdinalIgnoreCase));
            if (defaultSet != null) { explicitSets.Remove(defaultSet); explicitSets.Insert(0, defaultSet); }
            cmdlet.ParameterSets.AddRange(explicitSets);

            foreach (var (property, _, attributes) in properties)
            {
                var parameter = new ParameterMetadata
                {
                    Name = property.Name,
                    Type = property.PropertyType,
                    Aliases = property.GetCustomAttributes<AliasAttribute>(true).SelectMany(a => a.AliasNames).ToList(),
                    SupportsWildcards = property.GetCustomAttributes<SupportsWildcardsAttribute>(true).Any(),
                    ValidValues = property.GetCustomAttributes<ValidateSetAttribute>(true).SelectMany(a => a.ValidValues).ToList(),
                };
                foreach (var pa in attributes)
                {
                    var membership = new SetMembership
                    {
                        Mandatory = pa.Mandatory,
                        Position = pa.Position == int.MinValue ? (int?)null : pa.Position,
                        ValueFromPipeline = pa.ValueFromPipeline,
                        ValueFromPipelineByPropertyName = pa.ValueFromPipelineByPropertyName,
                    };
                    if (string.IsNullOrEmpty(pa.ParameterSetName) || pa.ParameterSetName == AllSets)
                    {
                        // An explicit set entry for the same parameter wins over its all-sets entry.
                        foreach (var set in cmdlet.ParameterSets)
                            if (!parameter.Sets.ContainsKey(set)) parameter.Sets[set] = membership;
                    }
                    else
                    {
                        parameter.Sets[pa.ParameterSetName] = membership;
                    }
                }
                cmdlet.Parameters.Add(parameter);
            }

            if (cmdlet.SupportsShouldProcess)
            {
                foreach (var name in new[] { "WhatIf", "Confirm" })
                {
                    var p = new ParameterMetadata
                    {
                        Name = name,
                        Type = typeof(SwitchParameter),
                        Aliases = name == "WhatIf" ? new[] { "wi" } : new[] { "cf" },
                        IsRiskMitigation = true,
                    };
                    foreach (var set in cmdlet.ParameterSets) p.Sets[set] = new SetMembership();
                    cmdlet.Parameters.Add(p);
                }
            }

            cmdlet.OutputTypes.AddRange(type.GetCustomAttributes<OutputTypeAttribute>(true)
                .SelectMany(a => a.Type).Select(t => t.Type?.FullName ?? t.Name).Distinct(StringComparer.OrdinalIgnoreCase));
            return cmdlet;
        }

        private static int Depth(Type type, Type declaring)
        {
            int depth = 0;
            for (var t = type; t != null && t != declaring; t = t.BaseType) depth++;
            return depth;
        }

        /// <summary>C#-free type name as help shows it: "String[]", "Nullable`1[Int32]" becomes "Int32".</summary>
        public static string ShortName(Type type)
        {
            if (type.IsArray) return ShortName(type.GetElementType()) + "[]";
            var underlying = Nullable.GetUnderlyingType(type);
            if (underlying != null) return ShortName(underlying);
            if (!type.IsGenericType) return type.Name;
            string name = type.Name.Substring(0, type.Name.IndexOf('`'));
            return name + "[" + string.Join(", ", type.GetGenericArguments().Select(ShortName)) + "]";
        }

        public static string FullName(Type type)
        {
            if (type.IsArray) return FullName(type.GetElementType()) + "[]";
            var underlying = Nullable.GetUnderlyingType(type);
            if (underlying != null) return FullName(underlying);
            if (!type.IsGenericType) return type.FullName ?? type.Name;
            string name = type.GetGenericTypeDefinition().FullName;
            name = name.Substring(0, name.IndexOf('`'));
            return name + "[" + string.Join(", ", type.GetGenericArguments().Select(FullName)) + "]";
        }
    }
}
