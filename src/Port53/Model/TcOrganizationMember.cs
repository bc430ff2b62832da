namespace Port53.Model
{
    /// <summary>
    /// A member account of the caller's Tencent Cloud Organization, as Get-TcOrganizationMember emits it. MemberUin
    /// is the account a role ARN names: qcs::cam::uin/&lt;MemberUin&gt;:roleName/OrganizationAccessControlRole.
    /// </summary>
    public sealed class TcOrganizationMember
    {
        public long MemberUin { get; set; }
        public string Name { get; set; }
        /// <summary>Invite (an existing account invited in) or Create (an account the organization created).</summary>
        public string MemberType { get; set; }
        /// <summary>The department (organization node) the member sits in.</summary>
        public string NodeName { get; set; }
        /// <summary>Whether the management account's access to the member is granted (Confirmed) or not yet.</summary>
        public string PermissionStatus { get; set; }
        public string CreateTime { get; set; }

        public override string ToString() => Name ?? MemberUin.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
