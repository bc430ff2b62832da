using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Examples
{
    /// <summary>
    /// Every script the repository ships parses, and names only commands that exist: Port53's, PowerShell's own,
    /// PowerShell's built-in ones (the hosted engine has them all), or Pester's in the Pester files. Catches a
    /// misspelt command before the Pester suites ever run it.
    /// </summary>
    public class ScriptSyntaxTests : IClassFixture<PowerShellSession>
    {
        private static readonly string[] PesterCommands = { "BeforeAll", "AfterAll", "BeforeEach", "AfterEach", "Describe", "Context", "It", "Should", "Invoke-Pester", "New-PesterConfiguration" };

        private readonly PowerShellSession _ps;

        public ScriptSyntaxTests(PowerShellSession ps) => _ps = ps;

        public static IEnumerable<object[]> Scripts() =>
            new[] { "examples", Path.Combine("tests", "Pester") }
                .SelectMany(d => Directory.EnumerateFiles(Path.Combine(PowerShellSession.RepoRoot, d), "*.ps1"))
                .Concat(new[] { Path.Combine(PowerShellSession.RepoRoot, "build.ps1") })
                .Select(f => new object[] { Path.GetRelativePath(PowerShellSession.RepoRoot, f) });

        [Theory]
        [MemberData(nameof(Scripts))]
        public void TheScriptParsesAndItsCommandsExist(string relativePath)
        {
            ScriptBlockAst ast = Parser.ParseFile(Path.Combine(PowerShellSession.RepoRoot, relativePath), out _, out ParseError[] errors);
            Assert.Empty(errors.Select(e => e.Extent.StartLineNumber + ": " + e.Message));
            var names = ast.FindAll(a => a is CommandAst, true).Cast<CommandAst>().Select(c => c.GetCommandName())
                .Where(n => n != null && n.Contains('-') && !n.Contains('$') && !n.EndsWith(".ps1")).Distinct().ToList();
            var defined = ast.FindAll(a => a is FunctionDefinitionAst, true).Cast<FunctionDefinitionAst>().Select(f => f.Name).ToList();
            var unknown = names.Where(n => !PesterCommands.Contains(n) && !defined.Contains(n))
                .Where(n => _ps.Run("Get-Command -Name '" + n + "' -ErrorAction SilentlyContinue").Output.Count == 0).ToList();
            Assert.Empty(unknown);
        }
    }
}
