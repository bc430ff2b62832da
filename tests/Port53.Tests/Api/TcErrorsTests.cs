using System;
using System.Management.Automation;
using Port53.Api;
using Port53.Credentials;
using Xunit;

namespace Port53.Tests.Api
{
    public class TcErrorsTests
    {
        [Theory]
        [InlineData("AuthFailure.UnauthorizedOperation", ErrorCategory.PermissionDenied)]
        [InlineData("UnauthorizedOperation", ErrorCategory.PermissionDenied)]
        [InlineData("UnauthorizedOperation.NoPermission", ErrorCategory.PermissionDenied)]
        [InlineData("AuthFailure.SignatureFailure", ErrorCategory.AuthenticationError)]
        [InlineData("AuthFailure.SecretIdNotFound", ErrorCategory.AuthenticationError)]
        [InlineData("AuthFailure.TokenFailure", ErrorCategory.AuthenticationError)]
        [InlineData("ResourceNotFound", ErrorCategory.ObjectNotFound)]
        [InlineData("ResourceNotFound.SecurityGroup", ErrorCategory.ObjectNotFound)]
        [InlineData("InvalidInstanceId.NotFound", ErrorCategory.ObjectNotFound)]
        [InlineData("InvalidParameter", ErrorCategory.InvalidArgument)]
        [InlineData("InvalidParameterValue", ErrorCategory.InvalidArgument)]
        [InlineData("InvalidParameterValue.Malformed", ErrorCategory.InvalidArgument)]
        [InlineData("MissingParameter", ErrorCategory.InvalidArgument)]
        [InlineData("InvalidInstanceId.Malformed", ErrorCategory.InvalidArgument)]
        [InlineData("UnsupportedRegion", ErrorCategory.InvalidArgument)]
        [InlineData("LimitExceeded", ErrorCategory.QuotaExceeded)]
        [InlineData("LimitExceeded.SecurityGroupPolicySet", ErrorCategory.QuotaExceeded)]
        [InlineData("RequestLimitExceeded", ErrorCategory.LimitsExceeded)]
        [InlineData("RequestLimitExceeded.UinLimitExceeded", ErrorCategory.LimitsExceeded)]
        [InlineData("UnsupportedOperation.VersionMismatch", ErrorCategory.ResourceBusy)]
        [InlineData("UnsupportedOperation.DuplicatePolicy", ErrorCategory.InvalidOperation)]
        [InlineData("UnsupportedOperation", ErrorCategory.InvalidOperation)]
        [InlineData("InvalidAction", ErrorCategory.NotImplemented)]
        [InlineData("InternalError", ErrorCategory.ResourceUnavailable)]
        [InlineData("ClientNetworkError", ErrorCategory.ConnectionError)]
        [InlineData("ServerNetworkError", ErrorCategory.ConnectionError)]
        [InlineData("ClientParseError", ErrorCategory.InvalidResult)]
        [InlineData("SomethingElse", ErrorCategory.NotSpecified)]
        public void CodesMapToCategoriesAndStableErrorIds(string code, ErrorCategory category)
        {
            var error = new TcApiException(code, "message", "req-1", "DescribeInstances", "ap-guangzhou");
            ErrorRecord record = TcErrors.ToErrorRecord(error, "target");
            Assert.Equal(category, record.CategoryInfo.Category);
            Assert.Equal("TencentCloud." + code, record.FullyQualifiedErrorId);
            Assert.Equal("target", record.TargetObject);
            Assert.Same(error, record.Exception);
            Assert.Contains(code, record.Exception.Message);
            Assert.Contains("req-1", record.Exception.Message);
        }

        [Fact]
        public void FamiliesMatchWholeSegmentsOnly()
        {
            Assert.Equal(ErrorCategory.NotSpecified, TcErrors.CategoryFor("AuthFailureX"));
            Assert.Equal(ErrorCategory.NotSpecified, TcErrors.CategoryFor("ResourceNotFoundish"));
            Assert.Equal(ErrorCategory.NotSpecified, TcErrors.CategoryFor(null));
        }

        [Fact]
        public void BadCredentialsAreFatalAndPerTargetErrorsAreNot()
        {
            Assert.True(TcErrors.IsFatal(new TcApiException("AuthFailure.SignatureFailure", "m", "r", "a", "x")));
            Assert.True(TcErrors.IsFatal(new TcApiException("AuthFailure.SecretIdNotFound", "m", "r", "a", "x")));
            Assert.True(TcErrors.IsFatal(new TcCredentialException("NoCredentials", ErrorCategory.AuthenticationError, "m")));
            Assert.False(TcErrors.IsFatal(new TcApiException("AuthFailure.UnauthorizedOperation", "m", "r", "a", "x")));
            Assert.False(TcErrors.IsFatal(new TcApiException("ResourceNotFound", "m", "r", "a", "x")));
            Assert.False(TcErrors.IsFatal(new TcApiException("RequestLimitExceeded", "m", "r", "a", "x")));
        }

        [Fact]
        public void PortOwnErrorsUseThePort53Prefix()
        {
            ErrorRecord record = TcErrors.Create("InstanceNotFound", ErrorCategory.ObjectNotFound, "ins-00000001", "missing");
            Assert.Equal("Port53.InstanceNotFound", record.FullyQualifiedErrorId);
            Assert.IsType<ItemNotFoundException>(record.Exception);
            var credential = TcErrors.ToErrorRecord(new TcCredentialException("ProfileNotFound", ErrorCategory.ObjectNotFound, "m"), "p");
            Assert.Equal("Port53.ProfileNotFound", credential.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, credential.CategoryInfo.Category);
            Assert.Equal("Port53.UnexpectedError", TcErrors.ToErrorRecord(new InvalidOperationException("x"), null).FullyQualifiedErrorId);
        }

        [Fact]
        public void MessageWithoutRequestIdStillNamesTheCode()
        {
            var error = new TcApiException(TcApiException.ClientNetworkError, "Connection refused", null, "DescribeRegions", null);
            Assert.Contains("ClientNetworkError", error.Message);
            Assert.Contains("Connection refused", error.Message);
            Assert.True(error.IsTransport);
        }
    }
}
