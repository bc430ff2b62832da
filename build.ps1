#requires -Version 5.1
<#
.SYNOPSIS
    Build, test and package Port53 on machines with pwsh (CI without pwsh uses .ci/run).
.EXAMPLE
    ./build.ps1 -Task Build
.EXAMPLE
    ./build.ps1 -Task Test, Pester
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Pester', 'Package')]
    [string[]] $Task = @('Build', 'Test'),
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE" }
}

switch ($Task) {
    'Build'   { Invoke-Dotnet build Port53Cmdlets.sln -c $Configuration }
    'Test'    { Invoke-Dotnet test Port53Cmdlets.sln -c $Configuration }
    'Pester'  {
        Invoke-Dotnet build Port53Cmdlets.sln -c $Configuration
        Import-Module Pester -MinimumVersion 5.0 -ErrorAction Stop
        $config = New-PesterConfiguration
        # The module's own suite, and the example of how a user tests a runbook of theirs.
        $config.Run.Path = @((Join-Path $PSScriptRoot 'tests/Pester'), (Join-Path $PSScriptRoot 'examples/runbook.Tests.ps1'))
        $config.Run.Exit = $true
        $config.Output.Verbosity = 'Detailed'
        Invoke-Pester -Configuration $config
    }
    # out/Port53.<version>.nupkg (PowerShell Gallery layout) and out/Port53.<version>.zip; see docs/help-and-packaging.md.
    'Package' { Invoke-Dotnet build Port53Cmdlets.sln -c $Configuration -t:Package }
}
