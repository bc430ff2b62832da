using System.Linq;
using Port53.Tests.Hosting;
using Xunit;

namespace Port53.Tests.Hosting
{
    public class ModuleImportTests : IClassFixture<PowerShellSession>
    {
        private readonly PowerShellSession _ps;
        public ModuleImportTests(PowerShellSession ps) => _ps = ps;

        [Fact]
        public void ModuleIsImportedFromTheAssembledFolder()
        {
            var r = _ps.Run("Get-Module Port53");
            r.AssertNoErrors();
            Assert.Single(r.Output);
            Assert.EndsWith(System.IO.Path.Combine("out", "Port53"), ((string)r.Property(0, "ModuleBase")).TrimEnd('/', '\\'));
        }

        [Fact]
        public void ManifestExportsEveryCmdletTheAssemblyDefinesAndNothingElse()
        {
            var defined = typeof(Port53.Api.Tc3Signer).Assembly.GetTypes()
                .Select(t => t.GetCustomAttributes(typeof(System.Management.Automation.CmdletAttribute), false)
                    .Cast<System.Management.Automation.CmdletAttribute>().FirstOrDefault())
                .Where(a => a != null).Select(a => a.VerbName + "-" + a.NounName).OrderBy(n => n).ToList();
            var r = _ps.Run("(Get-Command -Module Port53 -CommandType Cmdlet).Name");
            r.AssertNoErrors();
            var exported = r.Output.Where(o => o != null).Select(o => o.ToString()).OrderBy(n => n).ToList();
            Assert.Equal(defined, exported);
            var manifest = _ps.Run("(Test-ModuleManifest -Path $args[0] -ErrorAction Stop).ExportedCmdlets.Keys".Replace("$args[0]", "'" + PowerShellSession.ModuleManifest + "'"));
            manifest.AssertNoErrors();
            Assert.Equal(defined, manifest.Output.Where(o => o != null).Select(o => o.ToString()).OrderBy(n => n).ToList());
        }

        [Fact]
        public void ModuleTypesAreTheTypesTheTestsSee()
        {
            // Tests cast pipeline output to Port53 types: the module must not be a second copy of the assembly.
            var r = _ps.Run("(Get-Module Port53).ImplementingAssembly");
            r.AssertNoErrors();
            Assert.Same(typeof(Port53.Api.Tc3Signer).Assembly, r.Output[0].BaseObject);
        }
    }
}
