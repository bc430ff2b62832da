using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using Port53.Api;
using Port53.Services;
using Xunit;

namespace Port53.Tests.Services
{
    /// <summary>Services return problems without PowerShell; the cmdlet edge (TcErrors) makes the ErrorRecords users see.</summary>
    public class ServiceProblemTests
    {
        [Fact]
        public void Every_problem_category_is_the_PowerShell_category_of_the_same_name()
        {
            foreach (ProblemCategory category in Enum.GetValues(typeof(ProblemCategory)))
                Assert.Equal(category.ToString(), TcErrors.CategoryOf(category).ToString());
        }

        [Fact]
        public void A_detected_problem_becomes_a_Port53_error_with_its_category_target_and_message()
        {
            ServiceProblem problem = ServiceProblem.Detected("GroupNotBound", ProblemCategory.InvalidArgument, "sg-0000000b",
                "GroupNotBound", "sg-0000000b", "ins-0000000a", "sg-0000000a");
            ErrorRecord record = TcErrors.ToErrorRecord(problem);
            Assert.Equal("Port53.GroupNotBound", record.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, record.CategoryInfo.Category);
            Assert.Equal("sg-0000000b", record.TargetObject);
            Assert.Contains("'ins-0000000a'", record.Exception.Message);
            Assert.Null(record.ErrorDetails);
        }

        [Fact]
        public void A_failure_keeps_Tencents_code_and_category_and_carries_the_services_explanation_as_details()
        {
            var refused = new TcApiException("LimitExceeded.SecurityGroupPolicySet", "too many rules", "req-1", "CreateSecurityGroupPolicies", "ap-guangzhou");
            ServiceProblem problem = ServiceProblem.Failed(refused, "sg-0000000a", "QuotaExceeded", "sg-0000000a", "ap-guangzhou", 1, 1,
                "CreateSecurityGroupPolicies", refused.Message);
            ErrorRecord record = TcErrors.ToErrorRecord(problem);
            Assert.Equal("TencentCloud.LimitExceeded.SecurityGroupPolicySet", record.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.QuotaExceeded, record.CategoryInfo.Category);
            Assert.Same(refused, record.Exception);
            Assert.Contains("sg-0000000a", record.ErrorDetails.Message);
            Assert.NotEqual(refused.Message, record.ErrorDetails.Message);
        }

        [Fact]
        public void A_failure_that_explains_itself_has_no_details()
        {
            var refused = new TcApiException("ResourceNotFound", "no such group", "req-2", "DescribeSecurityGroupPolicies", "ap-guangzhou");
            ErrorRecord record = TcErrors.ToErrorRecord(ServiceProblem.Failed(refused, "ins-0000000a"));
            Assert.Equal(ErrorCategory.ObjectNotFound, record.CategoryInfo.Category);
            Assert.Equal("ins-0000000a", record.TargetObject);
            Assert.Null(record.ErrorDetails);
        }

        /// <summary>
        /// What a service hands out or takes in names no PowerShell type (the source of Services/ has no
        /// System.Management.Automation either: the records are made at the cmdlet edge).
        /// </summary>
        [Fact]
        public void No_service_type_takes_or_returns_a_PowerShell_type()
        {
            Assembly powerShell = typeof(ErrorRecord).Assembly;
            var offending = new List<string>();
            foreach (Type type in typeof(ServiceProblem).Assembly.GetTypes().Where(t => t.Namespace == "Port53.Services"))
            {
                const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
                IEnumerable<(string Member, Type Type)> uses =
                    type.GetFields(all).Select(f => (f.Name, f.FieldType))
                    .Concat(type.GetProperties(all).Select(p => (p.Name, p.PropertyType)))
                    .Concat(type.GetMethods(all).SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType).Select(t => (m.Name, t))));
                offending.AddRange(uses.Where(u => Mentions(u.Type, powerShell)).Select(u => type.Name + "." + u.Member + ": " + u.Type.Name));
            }
            Assert.Empty(offending);
        }

        private static bool Mentions(Type type, Assembly assembly) =>
            type.Assembly == assembly || (type.IsGenericType && type.GetGenericArguments().Any(a => Mentions(a, assembly)))
            || (type.HasElementType && Mentions(type.GetElementType(), assembly));
    }
}
