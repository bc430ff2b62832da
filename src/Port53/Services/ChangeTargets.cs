using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Port53.Api;
using Port53.Model;
using Port53.Session;

namespace Port53.Services
{
    /// <summary>
    /// What a change command (Block-TcPort53, Unblock-TcPort53) acts on: the instances and groups its input named,
    /// gathered over the whole pipeline, made into targets (one per instance, or lone group, and group written) and
    /// the instances each change affects. Acts on the truth: bindings come from reads of this pipeline
    /// (<see cref="PipelineReads"/>) or lookups made here, never from a piped object alone.
    ///
    /// The steps run in order, each on what the one before left; those that call Tencent take one item at a time, so
    /// that the command runs them concurrently within its -ThrottleLimit. Every step returns the problems it found
    /// (one per target), which the command writes as errors. A second kind of target (a Lighthouse instance, whose one
    /// firewall is its rule list) comes in as requests of its own kind, skips the binding steps and is planned and
    /// written by its own engine; the problems, outcomes and change records it returns are the same types.
    /// </summary>
    internal sealed class ChangeTargets
    {
        private readonly List<ChangeRequest> _requests = new List<ChangeRequest>();
        private readonly PipelineReads _reads;
        private readonly string _command;

        /// <param name="reads">The reads of the command's pipeline, opened by the command in BeginProcessing.</param>
        /// <param name="command">The command's name, for messages that tell the user what to run again.</param>
        public ChangeTargets(PipelineReads reads, string command)
        {
            _reads = reads;
            _command = command;
        }

        public bool IsEmpty => _requests.Count == 0;

        /// <summary>
        /// Instances named by id, with the groups a piped object said the instance binds (null or empty: unknown) and
        /// the groups -SecurityGroupId named. A binding list belongs to one piped instance: several ids given at once
        /// are looked up.
        /// </summary>
        public void AddInstances(string region, string[] instanceIds, string[] bound, string[] named)
        {
            if (bound?.Length == 0) bound = null;
            foreach (string id in instanceIds)
                _requests.Add(new ChangeRequest(region, id, instanceIds.Length == 1 ? bound : null, named));
        }

        /// <summary>Groups named on their own, each a target of its own.</summary>
        public void AddGroups(string region, string[] groups)
        {
            foreach (string group in groups) _requests.Add(new ChangeRequest(region, null, null, new[] { group }));
        }

        /// <summary>
        /// Step 1. Piped bindings count only when a read of this pipeline (Get-TcInstance, or Test-TcPort53 looking
        /// instances up) saw the instance bound so; any other claim (a saved, imported or hand-made object) is checked
        /// against a lookup. A claim a read of this pipeline contradicts is stale at once.
        /// </summary>
        public List<ServiceProblem> TrustOnlyThisPipeline(string account)
        {
            var problems = new List<ServiceProblem>();
            foreach (ChangeRequest request in _requests.Where(r => r.InstanceId != null && r.Bound != null))
            {
                string[] read = _reads.Binding(account, request.Region, request.InstanceId);
                if (read != null && read.SequenceEqual(request.Bound, StringComparer.Ordinal)) continue;
                request.Claimed = request.Bound;
                request.Bound = null;
                if (read != null) problems.Add(Stale(request, read));
            }
            return problems;
        }

        /// <summary>
        /// Step 2, per region: the instances whose groups are not known yet (named by id alone, or whose piped groups no
        /// read of this pipeline vouches for).
        /// </summary>
        public List<IGrouping<string, ChangeRequest>> Unbound() =>
            _requests.Where(r => r.InstanceId != null && r.Bound == null && !r.Rejected).GroupBy(r => r.Region, StringComparer.OrdinalIgnoreCase).ToList();

        /// <summary>Step 2, one region: looks up the groups of its unbound instances, in binding order.</summary>
        public async Task<List<ServiceProblem>> LookUpBindingsAsync(Port53Remediation engine, IGrouping<string, ChangeRequest> requests,
            CancellationToken cancellationToken)
        {
            Dictionary<string, string[]> found = await engine.BindingsAsync(requests.Key, requests.Select(r => r.InstanceId), cancellationToken).ConfigureAwait(false);
            var problems = new List<ServiceProblem>();
            foreach (ChangeRequest request in requests)
            {
                if (found.TryGetValue(request.InstanceId, out string[] groups)) request.Bound = TcIds.Distinct(groups);
                else problems.Add(ServiceProblem.Detected("InstanceNotFound", ProblemCategory.ObjectNotFound, request.InstanceId,
                    "InstanceNotFound", request.InstanceId, request.Region));
            }
            return problems;
        }

        /// <summary>Step 2, after every lookup: a claim the lookup contradicts is stale, and nothing is done for it.</summary>
        public List<ServiceProblem> RejectStaleClaims()
        {
            var problems = new List<ServiceProblem>();
            foreach (ChangeRequest request in _requests.Where(r => r.Claimed != null && r.Bound != null))
            {
                if (request.Bound.Length == 0 || request.Claimed.SequenceEqual(request.Bound, StringComparer.Ordinal)) continue;
                problems.Add(Stale(request, request.Bound));
                request.Bound = null;
            }
            return problems;
        }

        private ServiceProblem Stale(ChangeRequest request, string[] current)
        {
            request.Rejected = true;
            return ServiceProblem.Detected("StaleBindings", ProblemCategory.InvalidData, request.InstanceId, "StaleBindings",
                request.InstanceId, request.Region, string.Join(", ", request.Claimed), string.Join(", ", current), _command);
        }

        /// <summary>Step 3 (Block, least change): the instances with known groups and no -SecurityGroupId.</summary>
        public List<ChangeRequest> Choosable() =>
            _requests.Where(r => r.InstanceId != null && r.Bound != null && r.Bound.Length > 0 && r.Named.Length == 0).ToList();

        /// <summary>Step 3, one instance: the groups that hold its deciding rules; a group that cannot be read is its problem.</summary>
        public async Task<ServiceProblem> ChooseGroupsAsync(Port53Remediation engine, ChangeRequest request, CancellationToken cancellationToken)
        {
            try
            {
                request.Chosen = await engine.DecidingGroupsAsync(request.Region, request.Bound, cancellationToken).ConfigureAwait(false);
                return null;
            }
            catch (Exception ex) when (!(ex is OperationCanceledException) && !TcErrors.IsFatal(ex))
            {
                request.Bound = null;
                return ServiceProblem.Failed(ex, request.InstanceId);
            }
        }

        /// <summary>
        /// Step 4: one target per (instance or lone group, group written), each once. An instance's groups are those it
        /// chose (step 3), else those -SecurityGroupId named, else <paramref name="defaultGroups"/> of its binding.
        /// </summary>
        public List<RemediationTarget> Targets(Func<string[], IEnumerable<string>> defaultGroups, List<ServiceProblem> problems)
        {
            var targets = new List<RemediationTarget>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (ChangeRequest request in _requests)
            {
                if (request.InstanceId == null)
                {
                    string group = request.Named[0];
                    if (seen.Add(request.Region + "\n\n" + group)) targets.Add(new RemediationTarget(request.Region, null, new[] { group }, group));
                    continue;
                }
                if (request.Bound == null) continue;
                if (request.Bound.Length == 0)
                {
                    problems.Add(ServiceProblem.Detected("NoSecurityGroup", ProblemCategory.InvalidOperation, request.InstanceId,
                        "NoSecurityGroup", request.InstanceId, request.Region));
                    continue;
                }
                if (request.Chosen != null)
                {
                    foreach (var (group, keys) in request.Chosen)
                        if (seen.Add(request.Region + "\n" + request.InstanceId + "\n" + group))
                            targets.Add(new RemediationTarget(request.Region, request.InstanceId, request.Bound, group, keys));
                    continue;
                }
                foreach (string group in request.Named.Length > 0 ? request.Named : defaultGroups(request.Bound))
                {
                    if (!request.Bound.Contains(group, StringComparer.OrdinalIgnoreCase))
                    {
                        problems.Add(ServiceProblem.Detected("GroupNotBound", ProblemCategory.InvalidArgument, group,
                            "GroupNotBound", group, request.InstanceId, string.Join(", ", request.Bound)));
                        continue;
                    }
                    if (seen.Add(request.Region + "\n" + request.InstanceId + "\n" + group))
                        targets.Add(new RemediationTarget(request.Region, request.InstanceId, request.Bound, group));
                }
            }
            return targets;
        }

        /// <summary>
        /// Step 5: every instance a change affects, not only those given. Where this pipeline listed a region in full,
        /// the listing says which instances bind each group; the plans of the other regions are returned, per region,
        /// for <see cref="AddBoundInstancesAsync"/>.
        /// </summary>
        public List<IGrouping<string, GroupChangePlan>> AddListedInstances(string account, IEnumerable<GroupChangePlan> plans)
        {
            var unlisted = new List<IGrouping<string, GroupChangePlan>>();
            foreach (IGrouping<string, GroupChangePlan> regionPlans in plans.GroupBy(p => p.Region, StringComparer.OrdinalIgnoreCase))
            {
                PipelineReads.RegionListing listing = _reads.Listing(account, regionPlans.Key);
                if (listing == null)
                {
                    unlisted.Add(regionPlans);
                    continue;
                }
                foreach (GroupChangePlan plan in regionPlans) plan.AffectedInstanceIds.UnionWith(listing.Binding(plan.SecurityGroupId));
            }
            return unlisted;
        }

        /// <summary>Whether this pipeline listed every region of <paramref name="targets"/> in full (so step 5 needs no call).</summary>
        public bool AllListed(string account, IEnumerable<RemediationTarget> targets) => targets.All(t => _reads.Listing(account, t.Region) != null);

        /// <summary>
        /// Step 5, one region nobody listed: the instances Tencent lists as bound to each plan's group. Null when done;
        /// when Tencent could not list them, the reason, and the records name only the instances given.
        /// </summary>
        public static async Task<string> AddBoundInstancesAsync(Port53Remediation engine, IGrouping<string, GroupChangePlan> regionPlans,
            CancellationToken cancellationToken)
        {
            try
            {
                await engine.AddBoundInstancesAsync(regionPlans.Key, regionPlans.ToList(), cancellationToken).ConfigureAwait(false);
                return null;
            }
            catch (TcApiException ex) when (!TcErrors.IsFatal(ex))
            {
                return ex.Message;
            }
        }
    }
}
