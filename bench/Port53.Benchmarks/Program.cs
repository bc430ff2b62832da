using System;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Running;
using Port53.Analysis;

namespace Port53.Benchmarks
{
    public static class Program
    {
        private const string Usage =
@"usage:
  Port53.Benchmarks [BenchmarkDotNet options]   micro-benchmarks, e.g. --filter '*' --job short
  Port53.Benchmarks import [--runs N] [--module path.psd1] [--cold]
                                                 Import-Module start-up in N fresh processes
  Port53.Benchmarks first-call [--runs N] [--module path.psd1] [--latency ms]
                                                 fresh process to the first Get-TcInstance result (emulator)
  Port53.Benchmarks fleet [--instances 10000] [--regions 20] [--groups 2000] [--exposed 0.3] [--latency 30]
                          [--seed 1] [--faults [--concurrent-editor 0.2]] [--memory-scaling [--runs 2]] [--live-heap] [--collecting] [--collateral-only]
                          [--phases inventory,audit,block,reaudit] [--out file.json] [--module path.psd1]
                                                 inventory, audit, block and re-audit of a generated fleet against
                                                 the emulator with Tencent's rate limits (bench/README.md)
  Port53.Benchmarks fleet --accounts 5 [--instances 2000] [--regions 4] [--groups 400] [--latency 30] [--runs 1] [--phases audit,block,reaudit]
                                                 the same as 5 member accounts of an organization, each with that
                                                 fleet, against the first member alone
  Port53.Benchmarks scenarios                    describe the benchmark inputs (rules, visits, verdicts, sizes)";

        public static int Main(string[] args)
        {
            string command = args.Length > 0 ? args[0] : null;
            switch (command)
            {
                case "import": return ImportProbe.RunParent(args.Skip(1).ToArray());
                case "import-child": return ImportProbe.RunChild(args.Skip(1).ToArray());
                case "first-call": return FirstCallProbe.RunParent(args.Skip(1).ToArray());
                case "first-call-child": return FirstCallProbe.RunChild(args.Skip(1).ToArray());
                case "fleet": return FleetBenchmark.Run(args.Skip(1).ToArray());
                case "scenarios": return DescribeScenarios();
                case "-h":
                case "--help":
                case "help":
                    Console.WriteLine(Usage);
                    return 0;
            }
            // The default config already exports GitHub markdown and CSV (what bench/results keeps). Median because
            // the machine is shared and means are pulled by noise; Op/s because for EvaluateBenchmarks it is rules/s.
            IConfig config = DefaultConfig.Instance
                .AddColumn(StatisticColumn.Median, StatisticColumn.OperationsPerSecond);
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
            return 0;
        }

        private static int DescribeScenarios()
        {
            TemplateCatalog catalog = Scenarios.SmallCatalog();
            Describe("Mixed20", new[] { Scenarios.Mixed20() }, catalog);
            Describe("PartialDrops", new[] { Scenarios.PartialDrops() }, catalog);
            Describe("ThreeGroups", Scenarios.ThreeGroupsWithTemplates(), catalog);
            Describe("Quota100", new[] { Scenarios.Quota100() }, catalog);
            var signer = new SignerBenchmarks();
            signer.Setup();
            Console.WriteLine("Signer bodies: DescribeInstances " + signer.DescribeInstancesBytes + " B, large " + signer.TenKbBytes + " B");
            var json = new JsonBenchmarks();
            json.Setup();
            Console.WriteLine("DescribeInstances page: 100 instances, " + json.PageBytes + " B");
            return 0;
        }

        private static void Describe(string name, GroupPolicies[] groups, TemplateCatalog catalog)
        {
            ParsedGroup[] parsed = Scenarios.ParseAll(groups, catalog);
            ExposureResult result = RuleEvaluator.Evaluate(parsed);
            int rules = parsed.Sum(g => g.Rules.Count);
            int warnings = parsed.Sum(g => g.Warnings.Count);
            Console.WriteLine(name + ": " + parsed.Length + " group(s), " + rules + " rules, " + warnings + " warnings, visits " +
                Scenarios.RulesVisited(parsed, result) + " rules per Evaluate");
            foreach (ExposureVerdict v in result.Verdicts) Console.WriteLine("    " + v);
        }
    }
}
