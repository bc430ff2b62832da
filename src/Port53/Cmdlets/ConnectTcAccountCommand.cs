using System;
using System.Management.Automation;
using System.Net;
using System.Security;
using Port53.Api;
using Port53.Credentials;
using Port53.Model;
using Port53.Resources;
using Port53.Session;

namespace Port53.Cmdlets
{
    /// <summary>
    /// Makes a context (credentials, default region, endpoint, name), adds it to the session and makes it the default;
    /// a context of the same name is replaced, the others stay for -Account and for the objects read with them. Each
    /// piped organization member (MemberUin, Name) is one context of its -RoleName. Makes no API call unless a role is
    /// to be assumed (one STS AssumeRole, so that a role that cannot be assumed fails here): keys are checked by the
    /// first cmdlet that uses them. Only -UseInstanceRole and the credential chain read something (the metadata
    /// service, files) to be sure there is something to use.
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "TcAccount", DefaultParameterSetName = ChainSet)]
    [OutputType(typeof(TcContext))]
    public sealed class ConnectTcAccountCommand : TcCmdlet
    {
        private const string ChainSet = "Chain";
        private const string KeysSet = "Keys";
        private const string CredentialSet = "Credential";
        private const string ProfileSet = "Profile";
        private const string InstanceRoleSet = "InstanceRole";

        [Parameter(ParameterSetName = KeysSet, Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string SecretId { get; set; }

        [Parameter(ParameterSetName = KeysSet, Mandatory = true, Position = 1)]
        [ValidateNotNull]
        public SecureString SecretKey { get; set; }

        /// <summary>The session token of temporary credentials (STS, CAM role).</summary>
        [Parameter(ParameterSetName = KeysSet)]
        [Parameter(ParameterSetName = CredentialSet)]
        [ValidateNotNull]
        public SecureString Token { get; set; }

        /// <summary>User name = SecretId, password = SecretKey.</summary>
        [Parameter(ParameterSetName = CredentialSet, Mandatory = true)]
        [ValidateNotNull]
        [Credential]
        public PSCredential Credential { get; set; }

        /// <summary>A [section] of ~/.tencentcloud/credentials or a tccli profile (~/.tccli/&lt;name&gt;.credential).</summary>
        [Parameter(ParameterSetName = ProfileSet, Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string ProfileName { get; set; }

        /// <summary>The CAM role of the CVM instance this runs on, renewed before it expires.</summary>
        [Parameter(ParameterSetName = InstanceRoleSet, Mandatory = true)]
        public SwitchParameter UseInstanceRole { get; set; }

        /// <summary>The default region of cmdlets run without -Region.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RegionCompleter))]
        public string Region { get; set; }

        /// <summary>A base URL every service is reached at (an emulator), or "intl" / "regional" for Tencent's other forms.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Endpoint { get; set; }

        /// <summary>Seconds one attempt of an API call waits for its reply; a timed-out attempt is tried once more.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = (int)TcHttp.DefaultRequestTimeout.TotalSeconds;

        /// <summary>A CAM role to assume with the keys chosen above (STS AssumeRole): qcs::cam::uin/&lt;uin&gt;:roleName/&lt;name&gt;.</summary>
        [Parameter]
        [ValidateNotBlank]
        public string RoleArn { get; set; }

        /// <summary>A role of the account -MemberUin names (piped from Get-TcOrganizationMember), e.g. OrganizationAccessControlRole.</summary>
        [Parameter]
        [ValidateNotBlank]
        public string RoleName { get; set; }

        /// <summary>The account whose -RoleName to assume; bound from Get-TcOrganizationMember's MemberUin.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, long.MaxValue)]
        public long MemberUin { get; set; }

        /// <summary>
        /// The context's name in the session (objects read with it carry it as ContextName); connecting a name again
        /// replaces that context. Bound from a piped organization member's Name.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        [AllowEmptyString]
        public string Name { get; set; }

        /// <summary>The role session's name, as the role's account sees the caller; "port53" by default.</summary>
        [Parameter]
        [ValidateNotBlank]
        public string RoleSessionName { get; set; }

        /// <summary>How long the role's keys last before they are renewed; STS's default is 7200.</summary>
        [Parameter]
        [ValidateRange(1, TcCredentialChain.MaxRoleDurationSeconds)]
        public long DurationSeconds { get; set; }

        /// <summary>The external id the role's trust policy asks for, if any.</summary>
        [Parameter]
        [ValidateNotBlank]
        public string ExternalId { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        // The default context when the command started: the keys -RoleArn / -RoleName assume with when no others are
        // given, the same for every piped member (each one connected becomes the default in turn).
        private TcConnection _source;

        protected override void BeginProcessing()
        {
            if (ParameterSetName == ChainSet && Session.Connection != null) _source = Complete(Session.Connection);
        }

        protected override void ProcessRecord()
        {
            TcEndpoint endpoint = null;
            if (Endpoint != null && !TcEndpoint.TryParse(Endpoint, out endpoint))
                ThrowTerminatingError(TcErrors.Create("InvalidEndpoint", ErrorCategory.InvalidArgument, Endpoint, Strings.Core.Format("EndpointInvalid", Endpoint)));
            if (RoleName != null && MemberUin == 0)
                ThrowTerminatingError(TcErrors.Create("RoleNameWithoutMember", ErrorCategory.InvalidArgument, RoleName, Strings.Core.Format("RoleNameWithoutMember", RoleName)));
            if (RoleName == null && MemberUin != 0)
                ThrowTerminatingError(TcErrors.Create("MemberUinWithoutRole", ErrorCategory.InvalidArgument, MemberUin, Strings.Core.Format("MemberUinWithoutRole", MemberUin)));

            string region = Region;
            ITcCredentialProvider provider = null;
            TcRoleRequest assume = null;
            try
            {
                switch (ParameterSetName)
                {
                    case KeysSet:
                        provider = new StaticCredentialProvider(new TcCredential(SecretId, Plain(SecretKey), Plain(Token)), TcCredentialSource.Parameters);
                        break;
                    case CredentialSet:
                        provider = new StaticCredentialProvider(new TcCredential(Credential.UserName, Plain(Credential.Password), Plain(Token)), TcCredentialSource.Parameters);
                        break;
                    case ProfileSet:
                        provider = Chain.FromProfile(ProfileName, required: true);
                        region = region ?? Chain.ProfileRegion(ProfileName);
                        break;
                    case InstanceRoleSet:
                        var role = new InstanceRoleCredentialProvider(Chain.Variable(InstanceRoleCredentialProvider.MetadataEndpointVariable));
                        Await(role.GetCredentialAsync(CancellationToken));
                        provider = role;
                        break;
                    default:
                        // A role named here is assumed with the session's default context when there is one (the management
                        // account a pipeline of members starts from), at its endpoint; else with the credential chain.
                        TcConnection source = RoleToAssumeIsNamed ? _source : null;
                        provider = source?.Credentials ?? Await(Chain.ResolveAsync(CancellationToken));
                        if (provider == null)
                            ThrowTerminatingError(TcErrors.Create("NoCredentials", ErrorCategory.AuthenticationError, null, Strings.Core["NoCredentials"]));
                        if (source != null)
                        {
                            endpoint = endpoint ?? source.Endpoint;
                            region = region ?? source.Region;
                        }
                        break;
                }
                assume = RoleToAssume();
                if (assume != null) provider = AssumeRole(provider, assume, region, ref endpoint);
            }
            catch (TcCredentialException ex) when (RoleName != null)
            {
                // One member whose role cannot be assumed: the others piped after it still connect.
                WriteError(TcErrors.ToErrorRecord(ex, MemberUin));
                return;
            }
            catch (TcCredentialException ex)
            {
                ThrowTerminatingError(TcErrors.ToErrorRecord(ex, (object)RoleArn ?? ProfileName));
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(TcErrors.Create("InvalidCredential", ErrorCategory.InvalidArgument, null, ex.Message));
            }

            string name = !string.IsNullOrWhiteSpace(Name) ? Name
                : ParameterSetName == ProfileSet ? ProfileName
                : TcConnection.DefaultName(provider, CredentialOf(provider));
            var chosen = new TcConnection(provider, region, endpoint, TimeSpan.FromSeconds(TimeoutSec), name);
            Session.Connect(chosen);
            TcContext context = ContextOf(Complete(chosen), chosen, isDefault: true);
            WriteVerbose(Strings.Core.Format("VerboseConnected", context.Source, context.SecretId, context.Region ?? "-", context.Endpoint));
            if (PassThru) WriteObject(context);
        }

        /// <summary>Whether a role is named by a parameter of this command (not only by the environment's variables).</summary>
        private bool RoleToAssumeIsNamed => RoleArn != null || RoleName != null;

        /// <summary>
        /// -RoleArn, else the role the credentials' own source names (a tccli profile's role-arn; for the chain, tccli's or
        /// Terraform's role variables), with -RoleSessionName, -DurationSeconds and -ExternalId applied to either.
        /// </summary>
        private TcRoleRequest RoleToAssume()
        {
            TcRoleRequest named = RoleArn != null ? new TcRoleRequest(TcRoleArn.Parse(RoleArn)) { Origin = "-RoleArn" }
                : RoleName != null ? new TcRoleRequest(TcRoleArn.ForRole(MemberUin, RoleName)) { Origin = "-RoleName" }
                : ParameterSetName == ProfileSet ? Chain.RoleFromProfile(ProfileName)
                : ParameterSetName == ChainSet ? Chain.RoleFromEnvironment()
                : null;
            bool options = RoleSessionName != null || DurationSeconds > 0 || ExternalId != null;
            if (named == null)
            {
                if (options)
                    ThrowTerminatingError(TcErrors.Create("RoleOptionsWithoutRole", ErrorCategory.InvalidArgument, null, Strings.Core["RoleOptionsWithoutRole"]));
                return null;
            }
            if (!options) return named;
            return new TcRoleRequest(named.Role, RoleSessionName ?? named.SessionName, DurationSeconds > 0 ? DurationSeconds : named.DurationSeconds,
                ExternalId ?? named.ExternalId) { Origin = named.Origin };
        }

        /// <summary>
        /// The role's keys in place of the keys given: assumed now, so that a role that is missing or does not trust these
        /// keys fails here and leaves the session as it was, and renewed before they expire. STS needs a region: the
        /// session's default, else ap-guangzhou.
        /// </summary>
        private ITcCredentialProvider AssumeRole(ITcCredentialProvider source, TcRoleRequest role, string region, ref TcEndpoint endpoint)
        {
            endpoint = EndpointOr(endpoint);
            var assumed = AssumedRoleCredentialProvider.For(source, endpoint, RoleClientOptions(TimeSpan.FromSeconds(TimeoutSec)),
                region ?? Chain.EnvironmentRegion, role);
            Await(assumed.GetCredentialAsync(CancellationToken));
            return assumed;
        }

        private static string Plain(SecureString secure) =>
            secure == null || secure.Length == 0 ? null : new NetworkCredential(string.Empty, secure).Password;
    }
}
