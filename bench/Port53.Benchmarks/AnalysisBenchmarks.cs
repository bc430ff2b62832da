using System;
using BenchmarkDotNet.Attributes;
using Port53.Analysis;
using Port53.Api.Models;

namespace Port53.Benchmarks
{
    /// <summary>
    /// First-match evaluation of pre-parsed groups (the hot path: groups are parsed once and shared by every
    /// instance that binds them). OperationsPerInvoke is the number of rules one Evaluate call visits over the four
    /// keys, so BenchmarkDotNet's Op/s column reads as rules evaluated per second and Mean as time per rule.
    /// GlobalSetup checks each constant against the evaluator's actual walk, so a changed scenario cannot
    /// silently report the wrong rate.
    /// </summary>
    [MemoryDiagnoser]
    public class EvaluateBenchmarks
    {
        public const int Mixed20Visits = 77;
        public const int PartialDropsVisits = 79;
        public const int ThreeGroupsVisits = 94;
        public const int Quota100Visits = 398;

        private ParsedGroup[] _mixed20;
        private ParsedGroup[] _partialDrops;
        private ParsedGroup[] _threeGroups;
        private ParsedGroup[] _quota100;

        [GlobalSetup]
        public void Setup()
        {
            TemplateCatalog catalog = Scenarios.SmallCatalog();
            _mixed20 = Check("Mixed20", Scenarios.ParseAll(new[] { Scenarios.Mixed20() }, catalog), Mixed20Visits);
            _partialDrops = Check("PartialDrops", Scenarios.ParseAll(new[] { Scenarios.PartialDrops() }, catalog), PartialDropsVisits);
            _threeGroups = Check("ThreeGroups", Scenarios.ParseAll(Scenarios.ThreeGroupsWithTemplates(), catalog), ThreeGroupsVisits);
            _quota100 = Check("Quota100", Scenarios.ParseAll(new[] { Scenarios.Quota100() }, catalog), Quota100Visits);
        }

        [Benchmark(OperationsPerInvoke = Mixed20Visits, Description = "Evaluate 20-rule mixed group (per rule)")]
        public object Mixed20() => RuleEvaluator.Evaluate(_mixed20);

        [Benchmark(OperationsPerInvoke = PartialDropsVisits, Description = "Evaluate 21-rule group with partial DROPs (per rule)")]
        public object PartialDrops() => RuleEvaluator.Evaluate(_partialDrops);

        [Benchmark(OperationsPerInvoke = ThreeGroupsVisits, Description = "Evaluate 3 bound groups with templates (per rule)")]
        public object ThreeGroups() => RuleEvaluator.Evaluate(_threeGroups);

        [Benchmark(OperationsPerInvoke = Quota100Visits, Description = "Evaluate 100-rule group at quota (per rule)")]
        public object Quota100() => RuleEvaluator.Evaluate(_quota100);

        private static ParsedGroup[] Check(string name, ParsedGroup[] groups, int expectedVisits)
        {
            ExposureResult result = RuleEvaluator.Evaluate(groups);
            int visits = Scenarios.RulesVisited(groups, result);
            if (visits != expectedVisits)
            {
                throw new InvalidOperationException(name + " visits " + visits + " rules, but OperationsPerInvoke says " + expectedVisits + ".");
            }
            foreach (ParsedGroup g in groups)
            {
                if (g.Warnings.Count != 0) throw new InvalidOperationException(name + ": scenario rule has a warning: " + g.Warnings[0]);
            }
            return groups;
        }
    }

    /// <summary>ParsedGroup.Parse: the once-per-group (per Version) cost before any evaluation.</summary>
    [MemoryDiagnoser]
    public class ParseBenchmarks
    {
        private TemplateCatalog _catalog;
        private GroupPolicies _mixed20;
        private GroupPolicies _partialDrops;
        private GroupPolicies _templated;
        private GroupPolicies _quota100;

        [GlobalSetup]
        public void Setup()
        {
            _catalog = Scenarios.SmallCatalog();
            _mixed20 = Scenarios.Mixed20();
            _partialDrops = Scenarios.PartialDrops();
            _templated = Scenarios.ThreeGroupsWithTemplates()[2];
            _quota100 = Scenarios.Quota100();
        }

        [Benchmark(Description = "Parse 20-rule mixed group")]
        public object Mixed20() => ParsedGroup.Parse(_mixed20, _catalog);

        [Benchmark(Description = "Parse 21-rule partial-DROP group")]
        public object PartialDrops() => ParsedGroup.Parse(_partialDrops, _catalog);

        [Benchmark(Description = "Parse 8-rule templated group")]
        public object Templated() => ParsedGroup.Parse(_templated, _catalog);

        [Benchmark(Description = "Parse 100-rule group")]
        public object Quota100() => ParsedGroup.Parse(_quota100, _catalog);
    }

    /// <summary>TemplateCatalog construction: once per region per audit.</summary>
    [MemoryDiagnoser]
    public class CatalogBenchmarks
    {
        private ServiceTemplate[] _services, _smallServices;
        private ServiceTemplateGroup[] _serviceGroups, _smallServiceGroups;
        private AddressTemplate[] _addresses, _smallAddresses;
        private AddressTemplateGroup[] _addressGroups, _smallAddressGroups;

        [GlobalSetup]
        public void Setup()
        {
            (_services, _serviceGroups, _addresses, _addressGroups) = Scenarios.RegionCatalogInput();
            _smallServices = Scenarios.SmallServiceTemplates();
            _smallServiceGroups = Scenarios.SmallServiceGroups();
            _smallAddresses = Scenarios.SmallAddressTemplates();
            _smallAddressGroups = Scenarios.SmallAddressGroups();
        }

        [Benchmark(Description = "TemplateCatalog: 5+2 services, 4+1 addresses")]
        public object Small() => Scenarios.BuildCatalog(_smallServices, _smallServiceGroups, _smallAddresses, _smallAddressGroups);

        [Benchmark(Description = "TemplateCatalog: 40+10 services, 40x8+10 addresses")]
        public object Region() => Scenarios.BuildCatalog(_services, _serviceGroups, _addresses, _addressGroups);
    }
}
