namespace Port53.Services
{
    /// <summary>
    /// The category a <see cref="ServiceProblem"/> (or a failure Port53 detects itself) is reported under, without
    /// PowerShell: each name is the PowerShell ErrorCategory of the same name, which the cmdlet edge
    /// (<see cref="Api.TcErrors"/>) puts on the ErrorRecord.
    /// </summary>
    internal enum ProblemCategory
    {
        NotSpecified,
        InvalidArgument,
        InvalidData,
        InvalidOperation,
        InvalidResult,
        ObjectNotFound,
        QuotaExceeded,
        WriteError,
    }
}
