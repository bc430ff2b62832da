using System;

namespace Port53.Emulator.Api
{
    /// <summary>A Tencent Cloud API error: answered with HTTP 200 and {"Response":{"Error":{Code,Message},RequestId}}.</summary>
    internal sealed class ApiException : Exception
    {
        public string Code { get; }

        public ApiException(string code, string message) : base(message) => Code = code;

        public static ApiException Missing(string field) =>
            new ApiException(ErrorCodes.MissingParameter, "The request is missing a required parameter `" + field + "`.");

        public static ApiException BadValue(string field, string detail, string code = ErrorCodes.InvalidParameterValue) =>
            new ApiException(code, "The value of parameter `" + field + "` is invalid: " + detail);

        public static ApiException BadType(string field, string expected) =>
            new ApiException(ErrorCodes.InvalidParameter, "The parameter `" + field + "` must be " + expected + ".");
    }

    internal static class ErrorCodes
    {
        public const string SignatureFailure = "AuthFailure.SignatureFailure";
        public const string SignatureExpire = "AuthFailure.SignatureExpire";
        public const string SecretIdNotFound = "AuthFailure.SecretIdNotFound";
        public const string TokenFailure = "AuthFailure.TokenFailure";
        public const string InvalidAuthorization = "AuthFailure.InvalidAuthorization";
        public const string UnauthorizedOperation = "AuthFailure.UnauthorizedOperation";
        public const string MissingParameter = "MissingParameter";
        public const string InvalidParameter = "InvalidParameter";
        public const string UnknownParameter = "UnknownParameter";
        public const string InvalidParameterValue = "InvalidParameterValue";
        public const string ValueLimitExceeded = "InvalidParameterValue.LimitExceeded";
        public const string ValueRange = "InvalidParameterValue.Range";
        public const string ValueMalformed = "InvalidParameterValue.Malformed";
        public const string InvalidInstanceIdMalformed = "InvalidInstanceId.Malformed";
        public const string InvalidFilter = "InvalidFilter";
        public const string FilterInvalidKey = "InvalidParameter.FilterInvalidKey";
        public const string InvalidAction = "InvalidAction";
        public const string NoSuchVersion = "NoSuchVersion";
        public const string UnsupportedRegion = "UnsupportedRegion";
        public const string ResourceNotFound = "ResourceNotFound";
        public const string RequestLimitExceeded = "RequestLimitExceeded";
        public const string InternalError = "InternalError";
        public const string VersionMismatch = "UnsupportedOperation.VersionMismatch";
        public const string DuplicatePolicy = "UnsupportedOperation.DuplicatePolicy";
        public const string PolicyLimitExceeded = "LimitExceeded.SecurityGroupPolicySet";

        // Lighthouse 2020-03-24.
        public const string FilterNotSupportedName = "InvalidParameter.InvalidFilterNotSupportedName";
        public const string ParameterConflict = "InvalidParameter.ParameterConflict";
        public const string InstanceIdMalformed = "InvalidParameterValue.InstanceIdMalformed";
        public const string InstanceIdNotFound = "ResourceNotFound.InstanceIdNotFound";
        public const string FirewallRulesExist = "InvalidParameter.FirewallRulesExist";
        public const string FirewallRulesDuplicated = "InvalidParameter.FirewallRulesDuplicated";
        public const string FirewallRulesLimitExceeded = "LimitExceeded.FirewallRulesLimitExceeded";
        public const string FirewallRulesNotFound = "ResourceNotFound.FirewallRulesNotFound";
        public const string FirewallVersionMismatch = "UnsupportedOperation.FirewallVersionMismatch";

        // STS 2018-08-13 and Organization 2021-03-31.
        public const string RoleNotFound = "ResourceNotFound.RoleNotFound";
        public const string UnauthorizedOperationPlain = "UnauthorizedOperation";
        public const string UnsupportedOperation = "UnsupportedOperation";
        public const string OrganizationNotExist = "ResourceNotFound.OrganizationNotExist";
    }
}
