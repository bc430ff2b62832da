<#
.SYNOPSIS
    The Port53 demo: a local Tencent Cloud emulator serving the demo fleet; list, audit, block, re-audit, unblock; Lighthouse servers too; then a second account, reached through the organization, audited and closed in one pipeline with the first.

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

    '== 4. Who answers DNS from the internet, and which rule decides (Test-TcPort53)'
    $audit = @(Get-TcInstance -Region * | Test-TcPort53)
    $exposed = @($audit | Where-Object Exposed)
    $exposed | Out-Default
    ('{0} of {1} instances are exposed on port 53.' -f $exposed.Count, $audit.Count)

    '== 5. The rules behind one exposure: the shared group sg-shared01, bound by five instances'
    Get-TcSecurityGroupRule -Region ap-guangzhou -SecurityGroupId sg-shared01 | Out-Default

    '== 6. What Block-TcPort53 would add, and where (-WhatIf: no write is made)'
    # The least change: each DROP goes directly above the rule that decides (the one Test-TcPort53 names), in its
    # group. sg-private1, ins-gzshr002's first group, admits no public DNS and serves ins-gzpriv01's internal
    # resolvers: it is left alone. In sg-dropblw1 Tencent's DROP was added by hand below an ALL/ALL ACCEPT; it comes
    # out in the same write that puts the new DROP above the ACCEPT.
    $exposed | Block-TcPort53 -WhatIf

    '== 7. For comparison, Tencent''s literal placement: index 0 of each instance''s first group (-Placement Top -WhatIf)'
    # The warning names the internal (private-source) DNS rules that placement would stop too.
    $exposed | Block-TcPort53 -WhatIf -Placement Top

    '== 8. Block it (least change), recorded in a journal'
    $journal = [IO.Path]::Combine([IO.Path]::GetTempPath(), ('port53-demo-{0}.jsonl' -f [guid]::NewGuid().ToString('N')))
    $changes = @($exposed | Block-TcPort53 -Force -PassThru -JournalPath $journal)
    $changes | Out-Default
    # The journal is write-ahead: an intent before each write call, then its outcome; a changed group is one of these.
    $recorded = @([IO.File]::ReadAllLines($journal) -match '^\{"Record":"Outcome",.*"Status":"Changed"')
    ('{0} groups changed; {1} change records in {2}.' -f $changes.Count, $recorded.Count, $journal)

    '== 9. The group whose DROP sat below the ACCEPT, after the block: the Port53 rules above, the user''s rule out'
    Get-TcSecurityGroupRule -Region ap-guangzhou -SecurityGroupId sg-dropblw1 | Out-Default
    ($changes | Where-Object SecurityGroupId -EQ sg-dropblw1).RulesRemoved | Out-Default

    '== 10. Audit again: is anything still exposed? (Test-TcPort53 -Quiet, as a monitoring runbook asks)'
    ('Still exposed: {0}' -f (Get-TcInstance -Region * | Test-TcPort53 -Quiet))

    '== 11. Undo: Unblock-TcPort53 removes exactly the rules Port53 added, and puts the user''s rule back'
    $undone = @(Get-TcInstance -Region * | Unblock-TcPort53 -Force -PassThru | Where-Object Status -EQ Changed)
    ('{0} groups restored; exposed again: {1}' -f $undone.Count, @(Get-TcInstance -Region * | Test-TcPort53 | Where-Object Exposed).Count)
    Get-TcSecurityGroupRule -Region ap-guangzhou -SecurityGroupId sg-dropblw1 | Out-Default
    [IO.File]::Delete($journal)

    '== 12. Lighthouse servers: no security groups, a firewall each; found and closed the same way'
    # lhins-gzdns001 runs AdGuard Home with UDP/TCP 53 open to the world; lhins-shlate01 has the seed's DROPs below an
    # ALL ACCEPT. The firewall is written whole (one ModifyFirewallRules at its FirewallVersion): CreateFirewallRules
    # takes no position, and the DROPs must go directly above the deciding ACCEPT.
    $lighthouse = @(Get-TcLighthouseInstance -Region * | Test-TcPort53)
    $lighthouse | Out-Default
    Get-TcLighthouseFirewallRule lhins-gzdns001 -Region ap-guangzhou | Out-Default
    $closed = @($lighthouse | Where-Object Exposed | Block-TcPort53 -Force -PassThru)
    $closed | Select-Object Firewall, Status, VersionBefore, VersionAfter, @{ n = 'Rules'; e = { $_.RulesAdded.Text -join '; ' } } | Format-Table -AutoSize | Out-Default
    Get-TcLighthouseFirewallRule lhins-gzdns001 -Region ap-guangzhou | Out-Default
    ('Lighthouse servers still exposed: {0}' -f (Get-TcLighthouseInstance -Region * | Test-TcPort53 -Quiet))

    '== 13. A second account: the organization''s member, through its role; both accounts in one pipeline'
    # Start-TcEmulator connected the demo's first account, the organization's management account, as the context
    # "emulator". Its keys assume the role each member account trusts it with; the member's context, named after the
    # member, becomes the session's default, and "emulator" stays connected beside it.
    Get-TcOrganizationMember | Out-Default
    Get-TcOrganizationMember | Connect-TcAccount -RoleName OrganizationAccessControlRole -PassThru |
        Format-Table Name, IsDefault, AccountUin, RoleArn -AutoSize | Out-Default
    # Each context lists its own account's instances; every result carries AccountUin and ContextName, and
    # Test-TcPort53 and Block-TcPort53 use the credentials of the account each object came from.
    $fleet = @(Get-TcContext -ListAvailable | Get-TcInstance -Region * | Test-TcPort53)
    $fleet | Where-Object Exposed | Sort-Object ContextName, InstanceId |
        Format-Table ContextName, AccountUin, Region, InstanceId, UdpIPv4, TcpIPv4 -AutoSize | Out-Default
    $fleet | Group-Object ContextName | Sort-Object Name | ForEach-Object {
        '{0}: {1} of {2} instances exposed' -f $_.Name, @($_.Group | Where-Object Exposed).Count, $_.Count
    }
    # One Block for both accounts: each group is written with the keys of the account it was read in, and each change
    # record names the account, the context, the masked SecretId and the role (empty for the first account's own keys).
    $records = @($fleet | Where-Object Exposed | Block-TcPort53 -Force -PassThru | Where-Object Status -EQ Changed)
    $records | Sort-Object ContextName, SecurityGroupId |
        Format-Table ContextName, AccountUin, SecurityGroupId, Status, ChangedBy, RoleArn -AutoSize | Out-String -Width 160
    ('Still exposed in any account: {0}' -f (Get-TcContext -ListAvailable | Get-TcInstance -Region * | Test-TcPort53 -Quiet))

    # Last, so that it counts the calls of every section before it. Start-TcEmulator itself makes one
    # DescribeRegions call, to check that signed calls work and to choose the default region.
    '== 14. The API calls this demo made, by action, and by account'
    $calls = [ordered]@{}
    foreach ($request in Get-TcEmulatorRequest) { $calls[$request.Action] = 1 + $calls[$request.Action] }
    $calls.GetEnumerator() | ForEach-Object { [pscustomobject]@{ Action = $_.Key; Calls = $_.Value } } | Out-Default
    Get-TcEmulatorRequest | Group-Object AccountUin | ForEach-Object { 'Account {0}: {1} calls' -f $_.Name, $_.Count }
}
finally {
    if ($emulator) {
        Stop-TcEmulator
        ('Stopped the emulator (process {0}).' -f $emulator.ProcessId)
    }
}
