<#
.SYNOPSIS
    Closes public DNS (port 53) on every Tencent Cloud instance, records each change, and fails when something
    stays exposed. Meant for a scheduled automation runbook (Windows PowerShell 5.1 or PowerShell 7).

.DESCRIPTION
    1. Audits every instance of the regions given (default: every available region).
    2. Blocks port 53 from the internet on each exposed instance (DROP rules directly above the rules that admit
       it, UDP and TCP, IPv4 and IPv6), recording each write in the journal: its intent before the write call, its
       outcome after it. A run stopped midway leaves intents that the next run reconciles.
    3. Audits again, and exits with code 1 when any instance is still exposed or any change failed, so the
       scheduler raises an alert. Exit code 0 means every audited instance is closed.

    Credentials come from the session (Connect-TcAccount, Start-TcEmulator) or from the environment
    (TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY, TENCENTCLOUD_REGION), as for every Port53 cmdlet.

.EXAMPLE
    ./examples/runbook.ps1 -JournalPath /var/log/port53/changes.jsonl

.EXAMPLE
    ./examples/runbook.ps1 -Region ap-guangzhou, ap-shanghai -AuditOnly
#>
[CmdletBinding()]
param(
    # Regions to audit: names, wildcards, or * for every available region.
    [string[]] $Region = '*',

    # The write-ahead change journal: one JSON record per line (intents and outcomes; see about_Port53).
    [string] $JournalPath = [IO.Path]::Combine([IO.Path]::GetTempPath(), 'port53-changes.jsonl'),

    # Report only: change nothing, but still exit 1 when something is exposed.
    [switch] $AuditOnly
)

# Already loaded under Port53.Shell or by a test; on a runbook worker, from PSModulePath.
if (-not (Get-Module Port53)) { Import-Module Port53 -ErrorAction Stop }

$before = @(Get-TcInstance -Region $Region | Test-TcPort53 -ErrorVariable auditErrors)
$exposed = @($before | Where-Object Exposed)

$changes = @()
$blockErrors = @()
if ($exposed.Count -gt 0 -and -not $AuditOnly) {
    $changes = @($exposed | Block-TcPort53 -Force -JournalPath $JournalPath -PassThru -ErrorVariable blockErrors)
}

$after = if ($AuditOnly) { $before } else { @(Get-TcInstance -Region $Region | Test-TcPort53 -ErrorVariable +auditErrors) }
$stillExposed = @($after | Where-Object Exposed)

[pscustomobject]@{
    Instances      = $before.Count
    ExposedBefore  = $exposed.Count
    GroupsChanged  = @($changes | Where-Object Status -EQ 'Changed').Count
    StillExposed   = $stillExposed.Count
    Errors         = $auditErrors.Count + $blockErrors.Count
    Journal        = if ($AuditOnly) { $null } else { $JournalPath }
}

# $PSCmdlet rather than Write-Warning: the same call works in every host, even one without the Utility module.
foreach ($e in $stillExposed) {
    $PSCmdlet.WriteWarning(("{0} ({1}) is still exposed on port 53" -f $e.InstanceId, $e.Region))
}
if ($stillExposed.Count -gt 0 -or $auditErrors.Count -gt 0 -or $blockErrors.Count -gt 0) { exit 1 }
exit 0
