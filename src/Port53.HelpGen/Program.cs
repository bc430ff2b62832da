using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using Port53.HelpGen.Packaging;

namespace Port53.HelpGen
{
    /// <summary>
    /// Port53.HelpGen help    --assembly out/Port53/Port53.dll --docs docs --out out/Port53
    /// Port53.HelpGen package --module out/Port53 --changelog CHANGELOG.md --out out
    /// Problems in the help source are printed as MSBuild warnings; only a broken invocation or I/O fails.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            try
            {
                if (args.Length == 0) return Usage();
                var options = Options(args);
                switch (args[0])
                {
                    case "help":
                        {
                            string assemblyPath = Path.GetFullPath(Required(options, "assembly"));
                            // LoadFrom resolves the module's own dependencies (Newtonsoft.Json) from its folder; its
                            // PowerShellStandard references bind to this tool's System.Management.Automation 7.
                            var assembly = Assembly.LoadFrom(assemblyPath);
                            var result = HelpBuilder.Build(assembly, Required(options, "docs"), Required(options, "out"));
                            foreach (var warning in result.Warnings) Console.WriteLine("Port53.HelpGen : warning P53HELP : " + warning);
                            Console.WriteLine("Port53.HelpGen: wrote " + result.Written.Count + " help files.");
                            return 0;
                        }
                    case "package":
                        {
                            var result = ModulePackager.Package(Required(options, "module"), Required(options, "out"),
                                options.TryGetValue("changelog", out var changelog) ? changelog : null);
                            Console.WriteLine("Port53.HelpGen: wrote " + result.NupkgPath);
                            Console.WriteLine("Port53.HelpGen: wrote " + result.ZipPath);
                            return 0;
                        }
                    default:
                        return Usage();
                }
            }
            catch (Exception ex) when (ex is IOException || ex is ArgumentException || ex is InvalidDataException || ex is UnauthorizedAccessException || ex is BadImageFormatException)
            {
                Console.Error.WriteLine("Port53.HelpGen : error P53HELP : " + ex.Message);
                return 1;
            }
        }

        private static Dictionary<string, string> Options(string[] args)
        {
            var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (int i = 1; i < args.Length; i++)
            {
                if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                    throw new ArgumentException("Expected --name value pairs, got '" + args[i] + "'.");
                options[args[i].Substring(2)] = args[++i];
            }
            return options;
        }

        private static string Required(Dictionary<string, string> options, string name) =>
            options.TryGetValue(name, out var value) && value.Length > 0 ? value : throw new ArgumentException("--" + name + " is required.");

        private static int Usage()
        {
            Console.Error.WriteLine("usage: Port53.HelpGen help --assembly <Port53.dll> --docs <docs dir> --out <module dir>");
            Console.Error.WriteLine("       Port53.HelpGen package --module <module dir> --out <dir> [--changelog CHANGELOG.md]");
            return 2;
        }
    }
}
