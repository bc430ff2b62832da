using System;
using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;
using Port53.Resources;

namespace Port53.Credentials
{
    /// <summary>
    /// A CAM role's resource name, as STS AssumeRole takes it: qcs::cam::uin/&lt;uin&gt;:roleName/&lt;name&gt; or
    /// qcs::cam::uin/&lt;uin&gt;:role/&lt;roleId&gt; (cloud.tencent.com/document/product/598/10606, the resource
    /// description). The uin is the account that owns the role, so it is the account the temporary keys act in.
    /// </summary>
    internal sealed class TcRoleArn
    {
        private static readonly Regex Shape = new Regex(@"^qcs::cam::uin/(?<uin>[0-9]{1,20}):(?<kind>roleName|role)/(?<name>[^\s/:]{1,128})$",
            RegexOptions.CultureInvariant);
        /// <summary>RoleSessionName and ExternalId: 2 to 128 of letters, digits and +=,.@_- (AssumeRole's parameter rules).</summary>
        private static readonly Regex SessionToken = new Regex(@"^[A-Za-z0-9_+=,.@-]{2,128}$", RegexOptions.CultureInvariant);

        private TcRoleArn(long accountUin, string roleName, string roleId)
        {
            AccountUin = accountUin;
            RoleName = roleName;
            RoleId = roleId;
        }

        public long AccountUin { get; }
        /// <summary>The role's name, or null when the ARN names it by id.</summary>
        public string RoleName { get; }
        public string RoleId { get; }

        public static TcRoleArn Parse(string text)
        {
            Match match = Shape.Match((text ?? string.Empty).Trim());
            if (!match.Success || !long.TryParse(match.Groups["uin"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long uin) || uin <= 0)
                throw new TcCredentialException("RoleArnInvalid", ErrorCategory.InvalidArgument, Strings.Core.Format("RoleArnInvalid", text));
            string name = match.Groups["name"].Value;
            return match.Groups["kind"].Value == "roleName" ? new TcRoleArn(uin, name, null) : new TcRoleArn(uin, null, name);
        }

        /// <summary>The role of that name in account <paramref name="accountUin"/> (Connect-TcAccount -RoleName with a member's uin).</summary>
        public static TcRoleArn ForRole(long accountUin, string roleName)
        {
            string name = (roleName ?? string.Empty).Trim();
            return Parse("qcs::cam::uin/" + accountUin.ToString(CultureInfo.InvariantCulture) + ":roleName/" + name);
        }

        /// <summary>Throws the parameter's own error when <paramref name="value"/> is not a session name or external id STS accepts.</summary>
        public static string CheckSessionToken(string value, string parameter)
        {
            if (value == null || !SessionToken.IsMatch(value))
                throw new TcCredentialException("RoleParameterInvalid", ErrorCategory.InvalidArgument, Strings.Core.Format("RoleParameterInvalid", parameter, value));
            return value;
        }

        public override string ToString() =>
            "qcs::cam::uin/" + AccountUin.ToString(CultureInfo.InvariantCulture) + (RoleName != null ? ":roleName/" + RoleName : ":role/" + RoleId);
    }
}
