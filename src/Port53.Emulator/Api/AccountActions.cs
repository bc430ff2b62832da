using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using Port53.Emulator.Model;

namespace Port53.Emulator.Api
{
    /// <summary>
    /// The actions that cross accounts: STS 2018-08-13 AssumeRole (temporary keys for a role of an account that
    /// trusts the caller's) and GetCallerIdentity, and Organization 2021-03-31 DescribeOrganizationMembers.
    /// </summary>
    internal static class AccountActions
    {
        public const long DefaultDurationSeconds = 7200, MaxDurationSeconds = 43200;
        private const int DefaultMembersLimit = 10, MaxMembersLimit = 50;
        private const string MemberCreated = "2024-03-01 16:00:00";

        private static readonly Regex RoleNameArn = new Regex(@"^qcs::cam::uin/([0-9]{1,20}):roleName/([A-Za-z0-9_+=,.@-]{1,128})$", RegexOptions.CultureInvariant);
        private static readonly Regex RoleIdArn = new Regex(@"^qcs::cam::uin/([0-9]{1,20}):role/([0-9]+)$", RegexOptions.CultureInvariant);
        private static readonly Regex SessionName = new Regex(@"^[A-Za-z0-9_+=,.@-]{2,128}$", RegexOptions.CultureInvariant);
        private static readonly Regex ExternalId = new Regex(@"^[A-Za-z0-9_+=,.@:/-]{2,128}$", RegexOptions.CultureInvariant);

        public static void AssumeRole(ApiContext c, Utf8JsonWriter w)
        {
            string arn = Params.String(c.Body, "RoleArn", required: true);
            string session = Params.String(c.Body, "RoleSessionName", required: true);
            long duration = Params.Integer(c.Body, "DurationSeconds") ?? DefaultDurationSeconds;
            string externalId = Params.String(c.Body, "ExternalId");
            Params.String(c.Body, "Policy");

            if (RoleIdArn.IsMatch(arn))
                throw new ApiException(ErrorCodes.UnsupportedOperation, "The emulator names roles by name only: use qcs::cam::uin/<uin>:roleName/<name> instead of `" + arn + "`.");
            Match m = RoleNameArn.Match(arn);
            if (!m.Success || !long.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long uin))
                throw new ApiException(ErrorCodes.InvalidParameter, "The parameter `RoleArn` is invalid: `" + arn + "` is not of the form qcs::cam::uin/<uin>:roleName/<name>.");
            if (!SessionName.IsMatch(session))
                throw new ApiException(ErrorCodes.InvalidParameter, "The parameter `RoleSessionName` is invalid: `" + session + "` must be 2 to 128 of A-Z a-z 0-9 _ + = , . @ -.");
            if (duration < 1 || duration > MaxDurationSeconds)
                throw new ApiException(ErrorCodes.InvalidParameter, "The parameter `DurationSeconds` is invalid: " + duration + " is not between 1 and " + MaxDurationSeconds + ".");
            if (externalId != null && !ExternalId.IsMatch(externalId))
                throw new ApiException(ErrorCodes.InvalidParameter, "The parameter `ExternalId` is invalid: it must be 2 to 128 characters without spaces.");

            string roleName = m.Groups[2].Value;
            FleetStore account = c.Accounts.Account(uin);
            if (account == null || !account.Roles.TryGetValue(roleName, out var role))
                throw new ApiException(ErrorCodes.RoleNotFound, "The role `" + roleName + "` does not exist in account " + uin + ".");
            if (role.Role.TrustedUins == null || !role.Role.TrustedUins.Contains(c.Store.Uin))
                throw new ApiException(ErrorCodes.UnauthorizedOperationPlain, "Account " + c.Store.Uin + " is not allowed to assume the role `" + roleName + "` of account " + uin + " (it is not in the role's TrustedUins).");

            TemporaryKey key = c.Accounts.Issue(account, c.Temporary?.PrincipalUin ?? c.Store.Uin, roleName, role.RoleId, session, c.Now, duration);
            w.WritePropertyName("Credentials");
            JsonSerializer.Serialize(w, new AssumeRoleCredentials { Token = key.Credential.Token, TmpSecretId = key.Credential.SecretId, TmpSecretKey = key.Credential.SecretKey }, FleetJson.WireOptions);
            w.WriteNumber("ExpiredTime", key.Expires.ToUnixTimeSeconds());
            w.WriteString("Expiration", Iso(key.Expires));
        }

        private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

        /// <summary>
        /// Who signed: the account of a fleet key (the emulator's keys are the account's own, so Type RootAccount),
        /// or the assumed role of a temporary one — UserId roleId:session, PrincipalId the account that assumed it.
        /// </summary>
        public static void GetCallerIdentity(ApiContext c, Utf8JsonWriter w)
        {
            string uin = c.Store.Uin.ToString(CultureInfo.InvariantCulture);
            TemporaryKey t = c.Temporary;
            var identity = t == null
                ? new GetCallerIdentityResponse { Arn = "qcs::cam::uin/" + uin + ":uin/" + uin, AccountId = uin, UserId = uin, PrincipalId = uin, Type = "RootAccount" }
                : new GetCallerIdentityResponse
                {
                    Arn = "qcs::cam::uin/" + uin + ":roleName/" + t.RoleName, AccountId = uin, UserId = t.RoleId + ":" + t.SessionName,
                    PrincipalId = t.PrincipalUin.ToString(CultureInfo.InvariantCulture), Type = "CAMRole",
                };
            w.WriteString("Arn", identity.Arn);
            w.WriteString("AccountId", identity.AccountId);
            w.WriteString("UserId", identity.UserId);
            w.WriteString("PrincipalId", identity.PrincipalId);
            w.WriteString("Type", identity.Type);
        }

        public static void DescribeOrganizationMembers(ApiContext c, Utf8JsonWriter w)
        {
            long offset = Params.Integer(c.Body, "Offset") ?? 0;
            long limit = Params.Integer(c.Body, "Limit") ?? DefaultMembersLimit;
            if (limit < 1 || limit > MaxMembersLimit)
                throw new ApiException(ErrorCodes.InvalidParameter, "The parameter `Limit` is invalid: " + limit + " is not between 1 and " + MaxMembersLimit + ".");
            if (offset < 0 || offset % limit != 0)
                throw new ApiException(ErrorCodes.InvalidParameter, "The parameter `Offset` is invalid: " + offset + " must be a non-negative multiple of Limit (" + limit + ").");
            FleetOrganization org = c.Accounts.Organization;
            if (org == null || org.ManagementUin != c.Store.Uin)
                throw new ApiException(ErrorCodes.OrganizationNotExist, "Account " + c.Store.Uin + " manages no organization.");

            List<OrganizationMember> members = org.Members ?? new List<OrganizationMember>();
            w.WriteNumber("Total", members.Count);
            w.WriteStartArray("Items");
            foreach (OrganizationMember member in members.Skip((int)Math.Min(offset, int.MaxValue)).Take((int)limit))
                JsonSerializer.Serialize(w, WithDefaults(member), FleetJson.WireOptions);
            w.WriteEndArray();
        }

        /// <summary>A member as Tencent lists one: what the fleet file left out gets the values an invited member has.</summary>
        private static OrganizationMember WithDefaults(OrganizationMember m) => new OrganizationMember
        {
            MemberUin = m.MemberUin, Name = m.Name ?? m.MemberUin.ToString(CultureInfo.InvariantCulture),
            MemberType = m.MemberType ?? "Invite", NodeId = m.NodeId ?? 0, NodeName = m.NodeName ?? "Root",
            PermissionStatus = m.PermissionStatus ?? "Confirmed", CreateTime = m.CreateTime ?? MemberCreated, Extra = m.Extra,
        };
    }
}
