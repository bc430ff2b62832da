using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using System.Threading.Tasks;
using Port53.Api;
using Port53.Credentials;
using Port53.Resources;
using Port53.Session;
using RegionInfo = Port53.Api.Models.RegionInfo;

namespace Port53.Cmdlets
{
    /// <summary>
    /// Tab completion of region ids (-Region, Get-TcRegion -Name), `*` included, with each region's name.
    /// Usage: <c>[ArgumentCompleter(typeof(RegionCompleter))]</c> on the parameter.
    /// </summary>
    public sealed class RegionCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            TcCompletion.Guarded(() => Complete(TcSessionState.Current, wordToComplete));

        internal static List<CompletionResult> Complete(TcSessionState session, string wordToComplete)
        {
            WildcardPattern pattern = TcCompletion.PatternFor(wordToComplete);
            var matches = new List<(string Id, string Name)>();
            if (pattern.IsMatch("*")) matches.Add(("*", Strings.Core["CompletionAllRegions"]));
            matches.AddRange(TcRegionCatalog.ForCompletion(session)
                .Where(r => !string.IsNullOrEmpty(r.Region) && pattern.IsMatch(r.Region))
                .OrderBy(r => r.Region, StringComparer.Ordinal)
                .Select(r => (r.Region, Describe(r))));
            // Padding the ids lines the names up in a completion menu.
            int width = matches.Count == 0 ? 0 : matches.Max(m => m.Id.Length);
            return matches.Select(m => new CompletionResult(m.Id,
                string.IsNullOrEmpty(m.Name) ? m.Id : m.Id.PadRight(width) + "  " + m.Name,
                CompletionResultType.ParameterValue,
                string.IsNullOrEmpty(m.Name) ? m.Id : m.Name)).ToList();
        }

        private static string Describe(RegionInfo region)
        {
            bool available = string.IsNullOrEmpty(region.RegionState) || string.Equals(region.RegionState, "AVAILABLE", StringComparison.OrdinalIgnoreCase);
            string name = region.RegionName ?? string.Empty;
            return available ? name : (name + " [" + region.RegionState.ToUpperInvariant() + "]").Trim();
        }
    }

    /// <summary>
    /// Tab completion of instance ids from the ones this session has seen (no API call):
    /// <c>[ArgumentCompleter(typeof(InstanceIdCompleter))]</c>.
    /// </summary>
    public sealed class InstanceIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            TcCompletion.Guarded(() => TcCompletion.RecentIds(TcSessionState.Current, TcIdKind.Instance, wordToComplete, fakeBoundParameters));
    }

    /// <summary>
    /// Tab completion of security group ids from the ones this session has seen (no API call):
    /// <c>[ArgumentCompleter(typeof(SecurityGroupIdCompleter))]</c>.
    /// </summary>
    public sealed class SecurityGroupIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            TcCompletion.Guarded(() => TcCompletion.RecentIds(TcSessionState.Current, TcIdKind.SecurityGroup, wordToComplete, fakeBoundParameters));
    }

    /// <summary>
    /// Tab completion of the names of the session's contexts (Get-TcContext -Name, Disconnect-TcAccount -Name), each
    /// with its masked SecretId and source: <c>[ArgumentCompleter(typeof(ContextNameCompleter))]</c>.
    /// </summary>
    public sealed class ContextNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            TcCompletion.Guarded(() => Complete(TcSessionState.Current, wordToComplete));

        internal static List<CompletionResult> Complete(TcSessionState session, string wordToComplete, Func<string, string> text = null)
        {
            WildcardPattern pattern = TcCompletion.PatternFor(wordToComplete);
            return session.Contexts.Where(c => c.Name != null && pattern.IsMatch(c.Name)).OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
                .Select(c => new CompletionResult((text ?? Quoted)(c.Name), c.Name, CompletionResultType.ParameterValue, c.Name + " (" + c.Credentials.Source + ")"))
                .ToList();
        }

        // Names may hold spaces or colons (a member's name, a role ARN): quoted, they complete to one argument.
        internal static string Quoted(string name) =>
            name.IndexOfAny(new[] { ' ', '\'', '"', ';', '$', '`', '(', ')', '{', '}', ',', '@', '#' }) < 0 ? name : "'" + name.Replace("'", "''") + "'";
    }

    /// <summary>
    /// Tab completion of -Account: each context of the session, completed to the expression that gives it,
    /// <c>(Get-TcContext -Name 'prod')</c>, listed by name: <c>[ArgumentCompleter(typeof(AccountCompleter))]</c>.
    /// </summary>
    public sealed class AccountCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            TcCompletion.Guarded(() => ContextNameCompleter.Complete(TcSessionState.Current, wordToComplete,
                name => "(Get-TcContext -Name '" + name.Replace("'", "''") + "')"));
    }

    /// <summary>
    /// Tab completion of Lighthouse instance ids (lhins-…) from the ones this session has seen (no API call):
    /// <c>[ArgumentCompleter(typeof(LighthouseInstanceIdCompleter))]</c>.
    /// </summary>
    public sealed class LighthouseInstanceIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            TcCompletion.Guarded(() => TcCompletion.RecentIds(TcSessionState.Current, TcIdKind.LighthouseInstance, wordToComplete, fakeBoundParameters));
    }

    internal static class TcCompletion
    {
        /// <summary>
        /// Completion runs while the user types: an error there would only get in the way, and PowerShell would
        /// fall back to completing file names. An empty answer instead says "nothing to offer here".
        /// </summary>
        public static IEnumerable<CompletionResult> Guarded(Func<List<CompletionResult>> complete)
        {
            try
            {
                return complete();
            }
            catch (Exception)
            {
                return new CompletionResult[0];
            }
        }

        /// <summary>What was typed as a case-insensitive prefix; wildcards in it keep their meaning.</summary>
        public static WildcardPattern PatternFor(string wordToComplete)
        {
            string typed = (wordToComplete ?? string.Empty).Trim().Trim('\'', '"');
            return WildcardPattern.Get(typed + "*", WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
        }

        /// <summary>
        /// Recently seen ids whose id or name matches what was typed, newest first; when -Region is already on
        /// the command line, only those of the regions it names.
        /// </summary>
        public static List<CompletionResult> RecentIds(TcSessionState session, TcIdKind kind, string wordToComplete, IDictionary fakeBoundParameters)
        {
            WildcardPattern pattern = PatternFor(wordToComplete);
            List<WildcardPattern> regions = BoundRegions(fakeBoundParameters);
            return session.Recent.Recall(kind)
                .Where(r => pattern.IsMatch(r.Id) || (!string.IsNullOrEmpty(r.Name) && pattern.IsMatch(r.Name)))
                .Where(r => regions == null || r.Region == null || regions.Any(p => p.IsMatch(r.Region)))
                .Select(r => new CompletionResult(r.Id, r.Id, CompletionResultType.ParameterValue, r.Label))
                .ToList();
        }

        private static List<WildcardPattern> BoundRegions(IDictionary fakeBoundParameters)
        {
            if (fakeBoundParameters == null || !fakeBoundParameters.Contains("Region")) return null;
            string[] names;
            try
            {
                names = LanguagePrimitives.ConvertTo<string[]>(fakeBoundParameters["Region"]);
            }
            catch (PSInvalidCastException)
            {
                return null;
            }
            List<WildcardPattern> patterns = names?.Where(n => !string.IsNullOrWhiteSpace(n))
                .Select(n => WildcardPattern.Get(n.Trim(), WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant)).ToList();
            return patterns == null || patterns.Count == 0 ? null : patterns;
        }
    }

    /// <summary>
    /// The regions tab completion offers: the session's cached list for its account; else one DescribeRegions
    /// call, bounded, whose answer is cached for every later use; else Tencent Cloud's public regions.
    /// </summary>
    internal static class TcRegionCatalog
    {
        /// <summary>How long one Tab may wait for the region list.</summary>
        internal static readonly TimeSpan LookupBound = TimeSpan.FromSeconds(2);

        /// <summary>After a failed lookup, how long completion uses the built-in list before trying again.</summary>
        internal static readonly TimeSpan RetryAfter = TimeSpan.FromMinutes(5);

        /// <summary>
        /// Tencent Cloud's public (non-financial) regions and their English names, from Tencent's "Regions and
        /// Availability Zones" documentation; used when no account can be asked.
        /// </summary>
        internal static readonly IReadOnlyList<RegionInfo> PublicRegions = new[]
        {
            ("ap-guangzhou", "South China (Guangzhou)"),
            ("ap-shanghai", "East China (Shanghai)"),
            ("ap-nanjing", "East China (Nanjing)"),
            ("ap-beijing", "North China (Beijing)"),
            ("ap-chengdu", "Southwest China (Chengdu)"),
            ("ap-chongqing", "Southwest China (Chongqing)"),
            ("ap-hongkong", "Hong Kong/Macao/Taiwan (Hong Kong, China)"),
            ("ap-singapore", "Southeast Asia (Singapore)"),
            ("ap-jakarta", "Southeast Asia (Jakarta)"),
            ("ap-bangkok", "Southeast Asia (Bangkok)"),
            ("ap-seoul", "Northeast Asia (Seoul)"),
            ("ap-tokyo", "Northeast Asia (Tokyo)"),
            ("na-siliconvalley", "US West (Silicon Valley)"),
            ("na-ashburn", "US East (Virginia)"),
            ("eu-frankfurt", "Europe (Frankfurt)"),
            ("sa-saopaulo", "South America (São Paulo)"),
        }.Select(r => new RegionInfo { Region = r.Item1, RegionName = r.Item2 }).ToList();

        public static IReadOnlyList<RegionInfo> ForCompletion(TcSessionState session)
        {
            TcConnection connection = ConnectionWithoutProbing(session);
            if (connection == null) return PublicRegions;
            DateTime deadline = DateTime.UtcNow + LookupBound;
            using (var cancel = new CancellationTokenSource(LookupBound))
            {
                if (!TryWait(connection.Credentials.GetCredentialAsync(cancel.Token), deadline, out TcCredential credential)) return PublicRegions;
                string key = RegionCache.Key(connection, credential);
                IReadOnlyList<RegionInfo> cached = session.Regions.Get(key);
                if (cached != null) return cached;
                if (session.Regions.MissedRecently(key, RetryAfter)) return PublicRegions;
                var client = new TcClient(connection.Credentials, connection.Endpoint, new TcClientOptions
                {
                    Retry = new TcRetryPolicy { MaxAttempts = 1 },
                    RequestTimeout = LookupBound,
                });
                if (TryWait(new CvmService(client).DescribeRegionsAsync(cancel.Token, connection.Region), deadline, out List<RegionInfo> loaded) && loaded != null)
                {
                    session.Regions.Set(key, loaded);
                    return loaded;
                }
                session.Regions.NoteMissed(key);
                return PublicRegions;
            }
        }

        /// <summary>
        /// The session's connection, else credentials from the environment or the default profile. Unlike the
        /// cmdlets, completion never looks for an instance role: off a CVM that means waiting for the metadata
        /// service to time out, on every Tab.
        /// </summary>
        private static TcConnection ConnectionWithoutProbing(TcSessionState session)
        {
            TcConnection chosen = session.Connection;
            TcCredentialChain chain = TcCredentialChain.Process;
            ITcCredentialProvider credentials = chosen?.Credentials ?? chain.FromEnvironment() ?? chain.FromProfile(TcCredentialChain.DefaultProfile, required: false);
            if (credentials == null) return null;
            TcEndpoint endpoint = chosen?.Endpoint;
            if (endpoint == null && !TcConnection.TryEnvironmentEndpoint(chain, out endpoint)) return null;
            return TcConnection.WithDefaults(chosen, credentials, endpoint, chain);
        }

        /// <summary>The task's result if it succeeds before the deadline; a late task is left to finish on its own.</summary>
        private static bool TryWait<T>(Task<T> task, DateTime deadline, out T result)
        {
            result = default(T);
            TimeSpan left = deadline - DateTime.UtcNow;
            bool done;
            try
            {
                done = left > TimeSpan.Zero && task.Wait(left);
            }
            catch (AggregateException)
            {
                return false;
            }
            if (!done)
            {
                // Observed, so that its eventual cancellation or failure is not reported as unobserved.
                task.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
                return false;
            }
            result = task.Result;
            return true;
        }
    }
}
