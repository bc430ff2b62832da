using System;
using Port53.Resources;

namespace Port53.Services
{
    /// <summary>
    /// What went wrong for one target of a service, without PowerShell: the services return these beside their
    /// outcomes, and the cmdlet edge (<see cref="Api.TcErrors.ToErrorRecord(ServiceProblem)"/>) makes one ErrorRecord
    /// of each. Either a condition Port53 detects itself (a stable ErrorId, "Port53.&lt;ErrorId&gt;", and its
    /// category), or a failure (a Tencent error or a failed read), whose ErrorId and category come from the failure
    /// and whose message, when the service explains it, goes to the record's ErrorDetails. Messages are keys of the
    /// Remediation table, formatted in the UI culture of the thread that reports them.
    /// </summary>
    internal sealed class ServiceProblem
    {
        private ServiceProblem(string errorId, ProblemCategory category, Exception failure, string target, string messageKey, object[] messageArgs)
        {
            ErrorId = errorId;
            Category = category;
            Failure = failure;
            Target = target;
            MessageKey = messageKey;
            MessageArgs = messageArgs ?? new object[0];
        }

        /// <summary>The name after "Port53." in the ErrorId; null when the problem is a <see cref="Failure"/>.</summary>
        public string ErrorId { get; }

        /// <summary>The category of a condition Port53 detects; a failure's comes from the failure.</summary>
        public ProblemCategory Category { get; }

        /// <summary>The error behind the problem (a Tencent error, a failed read); null for a condition Port53 detects.</summary>
        public Exception Failure { get; }

        /// <summary>What the problem is about: the instance, or the group when it stands alone.</summary>
        public string Target { get; }

        /// <summary>The key of the message in the Remediation table; null for a failure that explains itself.</summary>
        public string MessageKey { get; }

        public object[] MessageArgs { get; }

        /// <summary>The message in the current UI culture.</summary>
        public string Message => MessageKey == null ? Failure?.Message : Strings.Remediation.Format(MessageKey, MessageArgs);

        /// <summary>A condition Port53 detects itself: "Port53.<paramref name="errorId"/>", with its message.</summary>
        public static ServiceProblem Detected(string errorId, ProblemCategory category, string target, string messageKey, params object[] messageArgs) =>
            new ServiceProblem(errorId ?? throw new ArgumentNullException(nameof(errorId)), category, null, target, messageKey, messageArgs);

        /// <summary>A failure for <paramref name="target"/>, as it reports itself or explained by a message.</summary>
        public static ServiceProblem Failed(Exception failure, string target, string messageKey = null, params object[] messageArgs) =>
            new ServiceProblem(null, ProblemCategory.NotSpecified, failure ?? throw new ArgumentNullException(nameof(failure)), target, messageKey, messageArgs);

        public override string ToString() => (ErrorId ?? Failure.GetType().Name) + " " + Target + ": " + Message;
    }
}
