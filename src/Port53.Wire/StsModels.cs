// Wire models for STS 2018-08-13 (cloud.tencent.com/document/api/1312/48197 AssumeRole, /66098 GetCallerIdentity),
// named as Tencent names them.
#if PORT53_EMULATOR
namespace Port53.Emulator.Model
#else
namespace Port53.Api.Models
#endif
{
    internal sealed class AssumeRoleRequest
    {
        public string RoleArn { get; set; }
        public string RoleSessionName { get; set; }
        public long? DurationSeconds { get; set; }
        public string ExternalId { get; set; }
    }

    internal sealed class AssumeRoleCredentials
    {
        public string Token { get; set; }
        public string TmpSecretId { get; set; }
        public string TmpSecretKey { get; set; }
    }

    internal sealed class AssumeRoleResponse : TcResponse
    {
        public AssumeRoleCredentials Credentials { get; set; }
        /// <summary>When the keys stop working, in unix seconds.</summary>
        public long ExpiredTime { get; set; }
        /// <summary>The same instant as ISO 8601 UTC text.</summary>
        public string Expiration { get; set; }
    }

    internal sealed class GetCallerIdentityRequest
    {
    }

    /// <summary>Who the keys belong to. AccountId is the owning (main) account's uin, as text.</summary>
    internal sealed class GetCallerIdentityResponse : TcResponse
    {
        public string Arn { get; set; }
        public string AccountId { get; set; }
        public string UserId { get; set; }
        /// <summary>The account whose keys asked for the role's keys, for a role; the account itself otherwise.</summary>
        public string PrincipalId { get; set; }
        public string Type { get; set; }
    }
}
