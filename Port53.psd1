@{
    RootModule           = 'Port53.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5f3c0a53-53d0-4e53-9a53-c0ffee000053'
    Author               = 'Port53 contributors'
    CompanyName          = 'Port53'
    Copyright            = '(c) Port53 contributors. MIT License.'
    Description          = 'Audit and close public DNS (port 53) exposure on Tencent Cloud CVM security groups.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('Port53.format.ps1xml')
    CmdletsToExport      = @(
        'Block-TcPort53'
        'Connect-TcAccount'
        'Disconnect-TcAccount'
        'Get-TcContext'
        'Get-TcEmulatorRequest'
        'Get-TcInstance'
        'Get-TcRegion'
        'Get-TcSecurityGroup'
        'Get-TcSecurityGroupRule'
        'Set-TcEmulatorFault'
        'Start-TcEmulator'
        'Stop-TcEmulator'
        'Test-TcPort53'
        'Unblock-TcPort53'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('TencentCloud', 'Tencent', 'DNS', 'Port53', 'Security', 'SecurityGroup', 'Compliance', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ProjectUri   = 'https://github.com/port53/Port53'
            ReleaseNotes = 'See CHANGELOG.md'
        }
    }
}
