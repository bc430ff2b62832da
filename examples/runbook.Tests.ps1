#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    How a user tests their own runbook: against the local emulator, with Tencent's rate limits and injected
    faults, so the runbook is proven to converge before it meets production. Run with:
        Invoke-Pester ./examples/runbook.Tests.ps1
    (Import the built module first, or put out/Port53 on PSModulePath.) The README's test command runs it too.
#>
BeforeAll {
    $modulePath = Join-Path $PSScriptRoot '../out/Port53/Port53.psd1'
    if (-not (Get-Module Port53)) { Import-Module $modulePath -ErrorAction Stop }
    $runbook = Join-Path $PSScriptRoot 'runbook.ps1'
}

Describe 'runbook.ps1' {
    BeforeEach {
        Start-TcEmulator -Demo
        $journal = Join-Path $TestDrive 'changes.jsonl'
    }
    AfterEach {
        Stop-TcEmulator
    }

    It 'closes every exposed instance, writes the journal and exits 0' {
        $summary = & $runbook -JournalPath $journal
        $LASTEXITCODE | Should -Be 0
        $summary.ExposedBefore | Should -BeGreaterThan 0
        $summary.StillExposed | Should -Be 0
        # Write-ahead: each write's intent, then its outcome; each changed group has a Changed outcome.
        @((Get-Content $journal) -match '^\{"Record":"Outcome",.*"Status":"Changed"').Count |
            Should -Be $summary.GroupsChanged
        Get-TcInstance -Region * | Test-TcPort53 -Quiet | Should -BeFalse
    }

    It 'converges under throttling, server errors and a concurrent editor' {
        Set-TcEmulatorFault -RequestLimitExceededRate 0.3 -InternalErrorRate 0.05 -ConcurrentEditorRate 0.2
        $summary = & $runbook -JournalPath $journal
        $LASTEXITCODE | Should -Be 0
        $summary.StillExposed | Should -Be 0
        # The faults did happen: the runbook retried through them rather than never meeting one.
        Get-TcEmulatorRequest -Failed | Should -Not -BeNullOrEmpty
        Set-TcEmulatorFault -RequestLimitExceededRate 0 -InternalErrorRate 0 -ConcurrentEditorRate 0
        Get-TcInstance -Region * | Test-TcPort53 -Quiet | Should -BeFalse
    }

    It 'is idempotent: a second run changes nothing' {
        & $runbook -JournalPath $journal | Out-Null
        $lines = (Get-Content $journal).Count
        $summary = & $runbook -JournalPath $journal
        $LASTEXITCODE | Should -Be 0
        $summary.GroupsChanged | Should -Be 0
        (Get-Content $journal).Count | Should -Be $lines
    }

    It 'exits 1 and reports the group it could not change' {
        Stop-TcEmulator
        Start-TcEmulator -Demo -Unauthorized sg-shared01
        $summary = & $runbook -JournalPath $journal -WarningVariable warnings 2>$null
        $LASTEXITCODE | Should -Be 1
        $summary.StillExposed | Should -BeGreaterThan 0
        $warnings -join "`n" | Should -Match 'ins-gzshr001'
    }

    It '-AuditOnly changes nothing and still fails on exposure' {
        $summary = & $runbook -AuditOnly
        $LASTEXITCODE | Should -Be 1
        $summary.StillExposed | Should -Be $summary.ExposedBefore
        Get-TcEmulatorRequest -Action Create* | Should -BeNullOrEmpty
    }
}
