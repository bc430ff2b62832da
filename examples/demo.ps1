<#
.SYNOPSIS
    The Port53 demo: a local Tencent Cloud emulator serving the demo fleet, explored from PowerShell.

.DESCRIPTION
    Needs no Tencent Cloud account and finishes in seconds. From a clone, without pwsh:

        dotnet run --project src/Port53.Shell -c Release -- -File examples/demo.ps1

    or in pwsh: ./examples/demo.ps1 (it imports ./out/Port53 when the module is not loaded yet).
    Each numbered section prints a header line and then what its cmdlets return. The emulator is stopped at the
    end, also when a section fails, so the demo leaves no process behind. docs/emulator.md describes the demo
    fleet and the port-53 exposure of each of its instances.
#>
$ErrorActionPreference = 'Stop'
if (-not (Get-Command Start-TcEmulator -ErrorAction SilentlyContinue)) {
    Import-Module (Join-Path $PSScriptRoot '../out/Port53/Port53.psd1')
}

$emulator = $null
try {
    '== 1. Start a local Tencent Cloud emulator with the demo fleet'
    $emulator = Start-TcEmulator -Demo -PassThru
    ('Listening at {0} (process {1}): {2} instances and {3} security groups in {4} regions. The session now uses it, default region {5}.' -f
        $emulator.Url, $emulator.ProcessId, $emulator.Instances, $emulator.SecurityGroups, $emulator.Regions, $emulator.Region)

    '== 2. The regions of the account'
    Get-TcRegion | Out-Default

    '== 3. Every instance in every region, fetched from all regions at once'
    Get-TcInstance -Region * | Out-Default

    # Last, so that it counts the calls of every section before it. Start-TcEmulator itself makes one
    # DescribeRegions call, to check that signed calls work and to choose the default region.
    '== 4. The API calls this demo made, by action'
    $calls = [ordered]@{}
    foreach ($request in Get-TcEmulatorRequest) { $calls[$request.Action] = 1 + $calls[$request.Action] }
    $calls.GetEnumerator() | ForEach-Object { [pscustomobject]@{ Action = $_.Key; Calls = $_.Value } } | Out-Default
}
finally {
    if ($emulator) {
        Stop-TcEmulator
        ('Stopped the emulator (process {0}).' -f $emulator.ProcessId)
    }
}
