#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
<#
    End-to-end tests of every Port53 cmdlet against a local emulator started with Start-TcEmulator, as a user's
    script drives them. The README's test command runs them (in src/Port53.Shell, with the Pester it ships), and so
    does ./build.ps1 -Task Build, Pester in pwsh.
#>
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/Port53/Port53.psd1') -Force -ErrorAction Stop
    # The demo fleet's exposure (docs/emulator.md): the instances with at least one open protocol/family.
    $script:ExposedDemo = @(
        'ins-gzweb001', 'ins-gzdns001', 'ins-gzshr001', 'ins-gzshr002', 'ins-gzshr003', 'ins-gzshr004', 'ins-gzshr005',
        'ins-gzlate01', 'ins-gznopub1', 'ins-shtcp001', 'ins-shrange1', 'ins-shlist01', 'ins-shsvc001', 'ins-bjipv601', 'ins-bjaddr01',
        'ins-hkdns001')
}

Describe 'Start-TcEmulator and the session' {
    BeforeAll { $script:emu = Start-TcEmulator -Demo -PassThru }
    AfterAll { Stop-TcEmulator }

    It 'points the session at the emulator' {
        # Regional routing through the emulator's address: each call names and signs its region's own host.
        (Get-TcContext).Endpoint.TrimEnd('/') | Should -Be ('regional+' + $emu.Url.TrimEnd('/'))
        (Get-TcContext).Source | Should -Be 'Emulator'
    }

    It 'never shows the secret key' {
        (Get-TcContext | Out-String) | Should -Not -Match 'Port53EmulatorDefaultSecretKey00'
        ($emu | Out-String) | Should -Not -Match 'Port53EmulatorDefaultSecretKey00'
    }

    It 'lists the demo regions' {
        (Get-TcRegion).Region | Should -Contain 'ap-hongkong'
    }
}

Describe 'Get-TcInstance' {
    BeforeAll { Start-TcEmulator -Demo }
    AfterAll { Stop-TcEmulator }

    It 'lists every region with -Region *' {
        (Get-TcInstance -Region *).Count | Should -Be 21
    }

    It 'filters by name with wildcards' {
        (Get-TcInstance -Region ap-guangzhou -Name gz-shared-*).InstanceId | Should -HaveCount 5
    }

    It 'reports a missing id as ObjectNotFound and goes on' {
        $found = Get-TcInstance -Region ap-guangzhou -InstanceId ins-gzweb001, ins-missing1 -ErrorVariable err -ErrorAction SilentlyContinue
        $found.InstanceId | Should -Be 'ins-gzweb001'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].TargetObject | Should -Be 'ins-missing1'
    }
}

Describe 'Security groups and rules' {
    BeforeAll { Start-TcEmulator -Demo }
    AfterAll { Stop-TcEmulator }

    It 'gives an instance''s groups in binding order' {
        (Get-TcInstance -Region ap-guangzhou -InstanceId ins-gzdrop01 | Get-TcSecurityGroup).SecurityGroupId |
            Should -Be @('sg-firstdrp', 'sg-allopen1')
    }

    It 'lists rules with upper-case protocols and the group Version' {
        $rules = Get-TcSecurityGroupRule -Region ap-shanghai -SecurityGroupId sg-dnstcp01
        $rules[0].Protocol | Should -Be 'TCP'
        $rules[0].Version | Should -Be '1'
        $rules[0].SourceKind | Should -Be 'Cidr'
    }
}

Describe 'Test-TcPort53' {
    BeforeAll { Start-TcEmulator -Demo }
    AfterAll { Stop-TcEmulator }

    It 'finds exactly the exposed demo instances' {
        $exposed = Get-TcInstance -Region * | Test-TcPort53 | Where-Object Exposed
        ($exposed.InstanceId | Sort-Object) | Should -Be ($ExposedDemo | Sort-Object)
    }

    It 'names the deciding rule' {
        $r = Get-TcInstance -Region ap-guangzhou -InstanceId ins-gzshr002 | Test-TcPort53
        $r.UdpIPv4.SecurityGroupId | Should -Be 'sg-shared01'
        $r.UdpIPv4.PolicyIndex | Should -Be 1
        $r.TcpIPv4.PolicyIndex | Should -Be 2
    }

    It 'reads a shared group once' {
        Get-TcEmulatorRequest -Clear | Out-Null
        Get-TcInstance -Region ap-guangzhou | Test-TcPort53 | Out-Null
        @(Get-TcEmulatorRequest -Action DescribeSecurityGroupPolicies | Where-Object SecurityGroupId -EQ 'sg-shared01').Count |
            Should -Be 1
    }

    It '-Quiet answers for monitoring' {
        Get-TcInstance -Region ap-hongkong -InstanceId ins-hkweb001 | Test-TcPort53 -Quiet | Should -BeFalse
        Get-TcInstance -Region ap-hongkong | Test-TcPort53 -Quiet | Should -BeTrue
    }
}

Describe 'Block-TcPort53 and Unblock-TcPort53' {
    BeforeEach { Start-TcEmulator -Demo }
    AfterEach { Stop-TcEmulator }

    It '-WhatIf writes nothing' {
        Get-TcInstance -Region * | Block-TcPort53 -WhatIf
        Get-TcEmulatorRequest -Action Create* | Should -BeNullOrEmpty
    }

    It 'closes every exposed instance, once, and records the changes' {
        $journal = Join-Path $TestDrive 'changes.jsonl'
        $changes = Get-TcInstance -Region * | Test-TcPort53 | Where-Object Exposed | Block-TcPort53 -Force -PassThru -JournalPath $journal
        Get-TcInstance -Region * | Test-TcPort53 -Quiet | Should -BeFalse
        # The journal is write-ahead: an intent before each write call and an outcome after it.
        $records = Get-Content $journal | ConvertFrom-Json
        @($records | Where-Object { $_.Record -eq 'Outcome' -and $_.Status -eq 'Changed' }).Count | Should -Be @($changes).Count
        @($records | Where-Object Record -EQ 'Intent').Count | Should -Be @($changes).Count
        Get-TcInstance -Region * | Block-TcPort53 -Force
        # One write per changed group: a Create, or a whole-list Modify where a user's DROP sat below the ACCEPT.
        @(Get-TcEmulatorRequest -Action CreateSecurityGroupPolicies, ModifySecurityGroupPolicies).Count | Should -Be @($changes).Count
    }

    It 'Unblock restores the original rules' {
        # -Region * queries the regions at once, so instances (and their groups) come in no fixed order: compare
        # the rules as a sorted list. Each line carries its group and PolicyIndex, so the order inside a group counts.
        function Get-RuleLines {
            Get-TcInstance -Region * | Get-TcSecurityGroupRule |
                ForEach-Object { "$($_.SecurityGroupId) $($_.PolicyIndex) $($_.Protocol) $($_.Port) $($_.Source) $($_.Action)" } |
                Sort-Object
        }
        $before = Get-RuleLines
        Get-TcInstance -Region * | Block-TcPort53 -Force
        Get-RuleLines | Should -Not -Be $before
        Get-TcInstance -Region * | Unblock-TcPort53 -Force
        Get-RuleLines | Should -Be $before
    }

    It 'survives throttling, server errors and a concurrent editor' {
        Set-TcEmulatorFault -RequestLimitExceededRate 0.3 -InternalErrorRate 0.05 -ConcurrentEditorRate 0.2
        Get-TcInstance -Region * | Block-TcPort53 -Force
        Set-TcEmulatorFault -RequestLimitExceededRate 0 -InternalErrorRate 0 -ConcurrentEditorRate 0
        Get-TcInstance -Region * | Test-TcPort53 -Quiet | Should -BeFalse
    }
}

Describe 'Several accounts in one pipeline' {
    BeforeAll {
        Start-TcEmulator -Demo
        $script:first = Get-TcContext
        # The demo organization's member, reached through its role with the first account's keys.
        $script:members = @(Get-TcOrganizationMember | Connect-TcAccount -RoleName OrganizationAccessControlRole -PassThru)
    }
    AfterAll { Stop-TcEmulator }

    It 'makes one context per organization member, the last connected the default' {
        $members.Name | Should -Be 'port53-demo-member'
        $members.AccountUin | Should -Be 200000000002
        (Get-TcContext -ListAvailable).Name | Should -Be @('emulator', 'port53-demo-member')
        (Get-TcContext).Name | Should -Be 'port53-demo-member'
    }

    It 'audits both accounts in one pipeline, each result carrying its account' {
        $results = $first, $members | Get-TcInstance -Region * | Test-TcPort53
        $byAccount = $results | Group-Object AccountUin -AsHashTable -AsString
        $byAccount['200000000002'].InstanceId | Sort-Object | Should -Be @('ins-mbdns001', 'ins-mbweb001')
        @($byAccount['100000000001']).Count | Should -Be 21
        ($results | Where-Object Exposed | Where-Object ContextName -EQ 'port53-demo-member').InstanceId | Should -Be 'ins-mbdns001'
    }

    It 'blocks each account with its own identity and records who changed what where' {
        $changes = $first, $members | Get-TcInstance -Region * | Test-TcPort53 | Where-Object Exposed | Block-TcPort53 -Force -PassThru
        $member = $changes | Where-Object AccountUin -EQ 200000000002
        $member.ContextName | Should -Be 'port53-demo-member'
        $member.RoleArn | Should -Be 'qcs::cam::uin/200000000002:roleName/OrganizationAccessControlRole'
        $first, $members | Get-TcInstance -Region * | Test-TcPort53 -Quiet | Should -BeFalse
    }
}
