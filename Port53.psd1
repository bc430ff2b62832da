# The module's one manifest. `dotnet build` assembles the module folder out/Port53 and writes this manifest there
# with the NestedModules line below replaced by the dll and its format views; Import-Module ./Port53.psd1 from a
# built clone then loads that folder as a nested module, so its help (cmdlets and about_Port53) is found beside it.
@{
    NestedModules        = @('out/Port53/Port53.psd1')
    ModuleVersion        = '0.1.0'
    GUID                 = '5f3c0a53-53d0-4e53-9a53-c0ffee000053'
    Author               = 'Port53 contributors'
    CompanyName          = 'Port53'
    Copyright            = '(c) Port53 contributors. MIT License.'
    Description          = 'Audit and close public DNS (port 53) exposure on Tencent Cloud CVM security groups.'
    PowerShellVersion    = '5.1'
    # Windows PowerShell runs the netstandard2.0 dll only on .NET Framework 4.7.2 or later.
    DotNetFrameworkVersion = '4.7.2'
    CompatiblePSEditions = @('Desktop', 'Core')
    CmdletsToExport      = @(
        'Block-TcPort53'
        'Connect-TcAccount'
        'Disconnect-TcAccount'
        'Get-TcContext'
        'Get-TcEmulatorRequest'
        'Get-TcInstance'
        'Get-TcLighthouseFirewallRule'
        'Get-TcLighthouseInstance'
        'Get-TcOrganizationMember'
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
