// Wire models for STS 2018-08-13 (cloud.tencent.com/document/api/1312/48197, AssumeRole), named as Tencent names them.
namespace Port53.Api.Models
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
}
