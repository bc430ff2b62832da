using System;
using System.Management.Automation;
using Port53.Credentials;
using Port53.Services;

namespace Port53.Api
{
    /// <summary>
    /// Turns failures into ErrorRecords. ErrorIds are stable API: scripts match on them.
    ///
    /// ErrorId scheme (PowerShell appends ",&lt;cmdlet type&gt;" to form the FullyQualifiedErrorId):
    ///   TencentCloud.&lt;Code&gt;   an error Tencent's API returned, Code verbatim
    ///                              (TencentCloud.AuthFailure.SignatureFailure, TencentCloud.RequestLimitExceeded,
    ///                              TencentCloud.UnsupportedOperation.VersionMismatch), and transport faults under
    ///                              the codes Tencent's SDKs use: TencentCloud.ClientNetworkError (connect, reset,
    ///                              timeout), TencentCloud.ServerNetworkError (non-200 reply without a Tencent
    ///                              body), TencentCloud.ClientParseError (unreadable reply).
    ///   Port53.&lt;Name&gt;          a condition Port53 itself detects: Port53.NoCredentials, Port53.NoRegion,
    ///                              Port53.UnknownRegion, Port53.InstanceNotFound, Port53.RegionNotFound,
    ///                              Port53.ProfileNotFound, Port53.CredentialUnavailable, ...
    /// </summary>
    internal static class TcErrors
    {
        public const string ApiPrefix = "TencentCloud.";
        public const string LocalPrefix = "Port53.";

        public static ErrorRecord ToErrorRecord(Exception exception, object target)
        {
            if (exception is AggregateException aggregate && aggregate.InnerExceptions.Count == 1)
                exception = aggregate.InnerException;
            switch (exception)
            {
                case TcApiException api:
                    return new ErrorRecord(api, ApiPrefix + api.Code, CategoryFor(api.Code), target);
                case TcLocalException local:
                    return new ErrorRecord(local, LocalPrefix + local.ErrorId, local.Category, target);
                default:
                    return new ErrorRecord(exception, LocalPrefix + "UnexpectedError", ErrorCategory.NotSpecified, target);
            }
        }

        /// <summary>An error of Port53's own, with its message from the resource tables.</summary>
        public static ErrorRecord Create(string name, ErrorCategory category, object target, string message, Exception inner = null)
        {
            var exception = category == ErrorCategory.InvalidArgument
                ? new ArgumentException(message, inner)
                : category == ErrorCategory.ObjectNotFound ? (Exception)new ItemNotFoundException(message, inner) : new InvalidOperationException(message, inner);
            return new ErrorRecord(exception, LocalPrefix + name, category, target);
        }

        /// <summary>
        /// The record of a problem a service returned (services know no PowerShell): a condition Port53 detected is
        /// "Port53.&lt;ErrorId&gt;" with its message; a failure is recorded as <see cref="ToErrorRecord(Exception, object)"/>
        /// does, with the service's explanation, if any, as its ErrorDetails.
        /// </summary>
        public static ErrorRecord ToErrorRecord(ServiceProblem problem)
        {
            if (problem.Failure == null) return Create(problem.ErrorId, CategoryOf(problem.Category), problem.Target, problem.Message);
            ErrorRecord record = ToErrorRecord(problem.Failure, problem.Target);
            if (problem.MessageKey != null) record.ErrorDetails = new ErrorDetails(problem.Message);
            return record;
        }

        /// <summary>The PowerShell category a <see cref="ProblemCategory"/> stands for (the one of the same name).</summary>
        public static ErrorCategory CategoryOf(ProblemCategory category) => (ErrorCategory)Enum.Parse(typeof(ErrorCategory), category.ToString());

        /// <summary>Tencent refused the call for a quota (LimitExceeded), not for the request rate.</summary>
        public static bool IsQuotaExceeded(TcApiException exception) => CategoryFor(exception.Code) == ErrorCategory.QuotaExceeded;

        /// <summary>The credentials may not do this (UnauthorizedOperation, AuthFailure.UnauthorizedOperation).</summary>
        public static bool IsPermissionDenied(TcApiException exception) => CategoryFor(exception.Code) == ErrorCategory.PermissionDenied;

        public static ErrorCategory CategoryFor(string code)
        {
            code = code ?? string.Empty;
            if (code == "AuthFailure.UnauthorizedOperation" || Is(code, "UnauthorizedOperation")) return ErrorCategory.PermissionDenied;
            if (Is(code, "AuthFailure")) return ErrorCategory.AuthenticationError;
            if (Is(code, "RequestLimitExceeded")) return ErrorCategory.LimitsExceeded;
            if (Is(code, "LimitExceeded")) return ErrorCategory.QuotaExceeded;
            // A stale Version means someone else changed the group meanwhile: busy, re-read and try again.
            if (code == "UnsupportedOperation.VersionMismatch" || Is(code, "ResourceInUse")) return ErrorCategory.ResourceBusy;
            if (Is(code, "ResourceNotFound") || code.EndsWith(".NotFound", StringComparison.Ordinal)) return ErrorCategory.ObjectNotFound;
            if (Is(code, "InvalidParameter") || Is(code, "InvalidParameterValue") || Is(code, "MissingParameter") ||
                Is(code, "UnsupportedRegion") || code.EndsWith(".Malformed", StringComparison.Ordinal)) return ErrorCategory.InvalidArgument;
            if (Is(code, "InvalidAction")) return ErrorCategory.NotImplemented;
            if (Is(code, "UnsupportedOperation") || Is(code, "FailedOperation") || Is(code, "OperationDenied")) return ErrorCategory.InvalidOperation;
            if (Is(code, "ResourceUnavailable") || Is(code, "ResourceInsufficient") || Is(code, "InternalError")) return ErrorCategory.ResourceUnavailable;
            if (code == TcApiException.ClientNetworkError || code == TcApiException.ServerNetworkError) return ErrorCategory.ConnectionError;
            if (code == TcApiException.ClientParseError) return ErrorCategory.InvalidResult;
            return ErrorCategory.NotSpecified;
        }

        /// <summary>
        /// Failures after which nothing else the cmdlet would do can succeed (the credentials are bad), or may be
        /// done (the change journal cannot be written), so one terminating error beats one error per region or target.
        /// </summary>
        public static bool IsFatal(Exception exception)
        {
            if (exception is AggregateException aggregate && aggregate.InnerExceptions.Count == 1)
                exception = aggregate.InnerException;
            if (exception is TcCredentialException || (exception is TcLocalException local && local.StopsCommand)) return true;
            return exception is TcApiException api && Is(api.Code, "AuthFailure") && api.Code != "AuthFailure.UnauthorizedOperation";
        }

        /// <summary>Code is the family or one of its sub-codes ("InvalidParameter" and "InvalidParameter.Foo", not "InvalidParameterValue").</summary>
        private static bool Is(string code, string family) =>
            code == family || (code.Length > family.Length && code[family.Length] == '.' && code.StartsWith(family, StringComparison.Ordinal));
    }
}
