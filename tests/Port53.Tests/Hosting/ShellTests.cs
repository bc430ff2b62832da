using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Port53.LocalEmulator;
using Xunit;

namespace Port53.Tests.Hosting
{
    /// <summary>Port53.Shell as a user runs it: a child process, its stdout, stderr and exit code.</summary>
    public class ShellTests : IDisposable
    {
        private readonly string _home = Path.Combine(Path.GetTempPath(), "port53-shell-" + Guid.NewGuid().ToString("N"));

        public ShellTests() => Directory.CreateDirectory(_home);

        public void Dispose() => Directory.Delete(_home, true);

        /// <summary>The built shell next to this test build's configuration (bin/Release/... or bin/Debug/...).</summary>
        public static string ShellDll
        {
            get
            {
                string configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent.Name;
                return Path.Combine(PowerShellSession.RepoRoot, "src", "Port53.Shell", "bin", configuration, "net10.0", "Port53.Shell.dll");
            }
        }

        /// <summary>Runs the shell with no Tencent credentials anywhere (empty HOME, no TENCENTCLOUD_* variables).</summary>
        public static (int ExitCode, string Stdout, string Stderr) RunShell(string home, params string[] args) =>
            RunShellIn(null, home, TimeSpan.FromSeconds(60), args);

        /// <summary>As <see cref="RunShell"/>, in <paramref name="workingDirectory"/>; the process tree is killed if it outlives <paramref name="timeout"/>.</summary>
        public static (int ExitCode, string Stdout, string Stderr) RunShellIn(string workingDirectory, string home, TimeSpan timeout, params string[] args)
        {
            Assert.True(File.Exists(ShellDll), ShellDll + " is missing: build the solution first");
            var start = new ProcessStartInfo(DotnetHost.Find())
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
                WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
            };
            start.ArgumentList.Add(ShellDll);
            foreach (string a in args) start.ArgumentList.Add(a);
            start.Environment["HOME"] = home;
            start.Environment["DOTNET_CLI_HOME"] = home;
            foreach (string name in new[] { "TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_SESSION_TOKEN", "TENCENTCLOUD_REGION", "TENCENTCLOUD_ENDPOINT", "TENCENTCLOUD_CREDENTIALS_FILE" })
                start.Environment.Remove(name);
            using (Process p = Process.Start(start))
            {
                var stdout = p.StandardOutput.ReadToEndAsync();
                var stderr = p.StandardError.ReadToEndAsync();
                if (!p.WaitForExit((int)timeout.TotalMilliseconds))
                {
                    p.Kill(entireProcessTree: true);
                    Assert.Fail("the shell did not exit within " + timeout);
                }
                return (p.ExitCode, stdout.Result, stderr.Result);
            }
        }

        private string Script(string text)
        {
            string path = Path.Combine(_home, "script.ps1");
            File.WriteAllText(path, text);
            return path;
        }

        [Fact]
        public void A_command_ending_in_a_terminating_error_exits_1_with_the_error_on_stderr()
        {
            var (code, stdout, stderr) = RunShell(_home, "-Command", "Get-TcInstance -Region ap-guangzhou");
            Assert.Equal(1, code);
            Assert.Contains("No Tencent Cloud credentials", stderr);
            Assert.DoesNotContain("No Tencent Cloud credentials", stdout);
        }

        [Fact]
        public void A_command_that_recovers_after_an_error_exits_0_and_output_goes_to_stdout()
        {
            var (code, stdout, stderr) = RunShell(_home, "-Command", "Get-TcInstance -Region ap-guangzhou; 'after'");
            Assert.Equal(0, code);
            Assert.Contains("after", stdout);
            Assert.Contains("No Tencent Cloud credentials", stderr);
        }

        [Fact]
        public void The_module_is_imported_and_exit_codes_pass_through()
        {
            var (code, stdout, _) = RunShell(_home, "-Command", "(Get-Command -Module Port53 -Name Get-TcInstance).Name; exit 3");
            Assert.Equal(3, code);
            Assert.Contains("Get-TcInstance", stdout);
        }

        [Fact]
        public void A_file_gets_its_arguments_and_a_throw_exits_1()
        {
            string path = Script("param([string] $Region, [switch] $Fail)\n\"region=$Region\"\nif ($Fail) { throw 'stopped on purpose' }\n");
            var ok = RunShell(_home, "-File", path, "-Region", "ap-guangzhou");
            Assert.Equal(0, ok.ExitCode);
            Assert.Contains("region=ap-guangzhou", ok.Stdout);
            var failed = RunShell(_home, "-File", path, "-Region", "x", "-Fail");
            Assert.Equal(1, failed.ExitCode);
            Assert.Contains("stopped on purpose", failed.Stderr);
        }

        [Fact]
        public void PowerShells_built_in_cmdlets_shape_Port53_output_and_Pester_imports()
        {
            var (code, stdout, stderr) = RunShell(_home, "-Command",
                "Start-TcEmulator -Demo; " +
                "Get-TcInstance -Region * | Sort-Object InstanceId | Select-Object -First 2 InstanceId | ConvertTo-Json -Compress; " +
                "Get-TcInstance -Region * | Test-TcPort53 | Group-Object Exposed | Sort-Object Name | Format-Table Name, Count; " +
                "'pester ' + (Import-Module Pester -PassThru).Version.Major; Stop-TcEmulator");
            Assert.True(code == 0, stderr);
            Assert.Equal("", stderr);
            Assert.Contains("[{\"InstanceId\":\"ins-bjaddr01\"},{\"InstanceId\":\"ins-bjblock1\"}]", stdout);
            int exposed = Port53.Tests.Cmdlets.DemoExposure.Instances.Count(i => i.Exposed);
            Assert.Matches(@"(?m)^False\s+" + (Port53.Tests.Cmdlets.DemoExposure.Instances.Length - exposed) + @"\s*$", stdout);
            Assert.Matches(@"(?m)^True\s+" + exposed + @"\s*$", stdout);
            Assert.Contains("pester 5", stdout);
        }

        [Fact]
        public void Bad_arguments_exit_2_with_usage()
        {
            var (code, _, stderr) = RunShell(_home, "-File", Path.Combine(_home, "missing.ps1"));
            Assert.Equal(2, code);
            Assert.Contains("Script not found", stderr);
            Assert.Contains("usage:", stderr);
        }
    }
}
