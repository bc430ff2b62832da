#requires -Version 5.1
<#
.SYNOPSIS
    Build, test and package Port53. Runs in pwsh, and in the repo's own shell on machines without pwsh:
        dotnet run --project src/Port53.Shell -c Release -- -File build.ps1 -Task Pester
.EXAMPLE
    ./build.ps1 -Task Build
.EXAMPLE
    ./build.ps1 -Task Build, Pester
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Pester', 'Package')]
    [string[]] $Task = @('Build', 'Test'),
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)
# No script-wide $ErrorActionPreference: Pester runs the test files in scopes below this one, and a preference set
# here would change how their commands fail. Each step that must stop says so itself.
Set-Location $PSScriptRoot

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE" }
}

function Invoke-PesterSuites {
    $module = Join-Path $PSScriptRoot 'out/Port53/Port53.psd1'
    if (-not (Test-Path $module)) { throw "$module is missing: run the Build task first (./build.ps1 -Task Build, Pester)." }
    Import-Module Pester -MinimumVersion 5.0 -MaximumVersion 5.99 -ErrorAction Stop
    $config = New-PesterConfiguration
    # The module's own suite, and the example of how a user tests a runbook of theirs.
    $config.Run.Path = @((Join-Path $PSScriptRoot 'tests/Pester'), (Join-Path $PSScriptRoot 'examples/runbook.Tests.ps1'))
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    $result = Invoke-Pester -Configuration $config
    # A block or file that failed before its tests ran has no failed test to show for it; count it as one.
    $failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    # The line .ci/run adds to the xunit counts.
    "Pester: $($result.PassedCount) passed, $failed failed, $($result.SkippedCount) skipped"
    if ($failed -gt 0 -or $result.Result -ne 'Passed') { exit 1 }
}

switch ($Task) {
    'Build'   { Invoke-Dotnet build Port53Cmdlets.sln -c $Configuration }
    'Test'    { Invoke-Dotnet test Port53Cmdlets.sln -c $Configuration }
    'Pester'  { Invoke-PesterSuites }
    # out/Port53.<version>.nupkg (PowerShell Gallery layout) and out/Port53.<version>.zip; see docs/help-and-packaging.md.
    'Package' { Invoke-Dotnet build Port53Cmdlets.sln -c $Configuration -t:Package }
}
