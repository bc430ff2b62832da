namespace Port53.Model
{
    /// <summary>
    /// An object read from (or changed in) one account: the commands it is piped to act in the context it names
    /// (ContextName, else AccountUin), so one pipeline can span several accounts.
    /// </summary>
    internal interface ITcAccountObject
    {
        long? AccountUin { get; set; }
        string ContextName { get; set; }
    }

    /// <summary>The account a pipeline record names by its properties alone (a command bound ContextName and AccountUin).</summary>
    internal sealed class AccountReference : ITcAccountObject
    {
        public long? AccountUin { get; set; }
        public string ContextName { get; set; }

        public override string ToString() => ContextName ?? AccountUin?.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
