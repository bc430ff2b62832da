using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Port53.Model;
using Port53.Api;
using Port53.Resources;
using Port53.Session;

namespace Port53.Cmdlets
{
    /// <summary>
    /// Shows the identity cmdlets will use (SecretId masked), where it came from, the default region and the
    /// endpoint; -ListAvailable every context of the session, -Name the ones of those names. Like Get-AzContext,
    /// emits nothing when there are no credentials at all.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "TcContext", DefaultParameterSetName = DefaultSet)]
    [OutputType(typeof(TcContext))]
    public sealed class GetTcContextCommand : TcCmdlet
    {
        private const string DefaultSet = "Default";
        private const string ListSet = "List";
        private const string NameSet = "Name";

        /// <summary>Every context connected in this session, the default among them (IsDefault).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ListSet)]
        public SwitchParameter ListAvailable { get; set; }

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet)]
        [SupportsWildcards]
        [ValidateNotBlank]
        [ArgumentCompleter(typeof(ContextNameCompleter))]
        public string[] Name { get; set; }

        protected override void EndProcessing()
        {
            if (ParameterSetName == DefaultSet)
            {
                TcConnection connection = TryGetConnection();
                if (connection == null)
                {
                    WriteVerbose(Strings.Core["VerboseNoContext"]);
                    return;
                }
                WriteObject(ContextOf(connection, Session.Connection, true));
                return;
            }
            TcConnection chosen = Session.Connection;
            IReadOnlyList<TcConnection> contexts = Session.Contexts;
            if (ParameterSetName == ListSet)
            {
                foreach (TcConnection context in contexts) WriteObject(ContextOf(Complete(context), context, ReferenceEquals(context, chosen)));
                // Nothing connected: the credential chain is what the session uses, so it is the one context there is.
                TcConnection chain = contexts.Count == 0 ? TryGetConnection() : null;
                if (chain != null) WriteObject(ContextOf(chain, null, true));
                return;
            }
            foreach (string name in Name)
            {
                var pattern = WildcardPattern.Get(name.Trim(), WildcardOptions.IgnoreCase);
                List<TcConnection> matched = contexts.Where(c => pattern.IsMatch(c.Name ?? string.Empty)).ToList();
                foreach (TcConnection context in matched) WriteObject(ContextOf(Complete(context), context, ReferenceEquals(context, chosen)));
                if (matched.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
                    WriteError(TcErrors.Create("ContextNotFound", ErrorCategory.ObjectNotFound, name, Strings.Core.Format("ContextNotFound", name)));
            }
        }
    }
}
