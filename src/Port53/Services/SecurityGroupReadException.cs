using System;

namespace Port53.Services
{
    /// <summary>
    /// Reading one bound security group failed. Carries which group, so a target that binds several can say
    /// which one; InnerException is the read's own error (a TcApiException keeps its Tencent code).
    /// </summary>
    internal sealed class SecurityGroupReadException : Exception
    {
        public SecurityGroupReadException(string region, string securityGroupId, Exception inner)
            : base(inner.Message, inner)
        {
            Region = region;
            SecurityGroupId = securityGroupId;
        }

        public string Region { get; }
        public string SecurityGroupId { get; }
    }
}
