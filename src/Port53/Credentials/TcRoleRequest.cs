namespace Port53.Credentials
{
    /// <summary>
    /// A role to assume on top of a connection's own keys, and how: what Connect-TcAccount -RoleArn, a tccli profile's
    /// role-arn and the role variables of tccli and Terraform each describe. The keys come later, from STS.
    /// </summary>
    internal sealed class TcRoleRequest
    {
        /// <summary>The session name used when none is given: it shows in the role's CloudAudit records as the caller.</summary>
        public const string DefaultSessionName = "port53";

        public TcRoleRequest(TcRoleArn role, string sessionName = null, long? durationSeconds = null, string externalId = null)
        {
            Role = role;
            SessionName = TcRoleArn.CheckSessionToken(string.IsNullOrWhiteSpace(sessionName) ? DefaultSessionName : sessionName.Trim(), "RoleSessionName");
            DurationSeconds = durationSeconds;
            ExternalId = string.IsNullOrWhiteSpace(externalId) ? null : TcRoleArn.CheckSessionToken(externalId.Trim(), "ExternalId");
        }

        public TcRoleArn Role { get; }
        public string SessionName { get; }
        public long? DurationSeconds { get; }
        public string ExternalId { get; }
        /// <summary>Where the request came from, for messages: a parameter, a variable's name or a profile file.</summary>
        public string Origin { get; set; }
    }
}
