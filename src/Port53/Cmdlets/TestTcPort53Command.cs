using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using Port53.Analysis;
using Port53.Api;
using Port53.Execution;
using Port53.Model;
using Port53.Resources;
using Port53.Services;

namespace Port53.Cmdlets
{
    /// <summary>
    /// Whether UDP/TCP port 53 of an instance (its groups in binding order), of a Lighthouse instance (its firewall) or
    /// of one security group is open to the internet over IPv4/IPv6, and which rule decides, with Tencent's semantics. One exposure object per target,
    /// streamed as each is ready; with -Quiet a single bool at the end. Targets that cannot be tested (no group
    /// bound, a group that cannot be read) are one error each and never pass as closed.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "TcPort53", DefaultParameterSetName = InstanceSet)]
    [OutputType(typeof(TcPort53Exposure))]
    [OutputType(typeof(bool))]
    public sealed class TestTcPort53Command : TcAuditCmdlet
    {
        /// <summary>Groups tested on their own, as if bound alone.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = SecurityGroupSet)]
        [ValidateNotNullOrEmpty]
        [ValidateTcId("sg")]
        [ArgumentCompleter(typeof(SecurityGroupIdCompleter))]
        public string[] SecurityGroupId { get; set; }

        /// <summary>Lighthouse instances as Get-TcLighthouseInstance emits them; each one's firewall is read and evaluated.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = LighthouseInstanceSet)]
        [ValidateNotNull]
        public TcLighthouseInstance[] LighthouseInstance { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public TcDnsProtocol[] Protocol { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public TcAddressFamily[] AddressFamily { get; set; }

        [Parameter]
        public SwitchParameter Quiet { get; set; }

        private IReadOnlyList<ExposureKey> _keys;
        private volatile bool _anyExposed;
        private readonly ConcurrentDictionary<string, bool> _warned = new ConcurrentDictionary<string, bool>(StringComparer.OrdinalIgnoreCase);

        internal override TargetFeed CreateFeed(AccountScope account) => new TargetFeed(this, account, ThrottleLimit, Strings.Audit["ProgressTest"], TestInstanceAsync, TestGroupAsync, readAhead: true);

        protected override void BeginProcessing()
        {
            _keys = TcPort53Exposure.Keys(Protocol, AddressFamily);
        }

        internal override string[] SecurityGroupIds => SecurityGroupId;

        internal override void ProcessSecurityGroups(AccountScope account, IReadOnlyList<string> ids, IReadOnlyList<string> regions) =>
            FeedFor(account).AddSecurityGroupIds(ids, regions);

        protected override void ProcessRecord()
        {
            if (ParameterSetName != LighthouseInstanceSet)
            {
                base.ProcessRecord();
                return;
            }
            foreach (TcLighthouseInstance instance in LighthouseInstance.Where(i => i != null))
                InAccountOf(instance, account => FeedFor(account).StartAfterRead(instance, worker => ReadFirewallAsync(instance.Region, instance.InstanceId, worker),
                    (firewall, worker) => TestFirewall(firewall, instance.InstanceName, instance.PublicIpAddresses, instance.Ipv6Addresses, worker)));
        }

        protected override void EndProcessing()
        {
            FinishTargets();
            if (Quiet) WriteObject(_anyExposed);
        }

        private async Task TestInstanceAsync(TcInstance instance, WorkerOutput worker)
        {
            // An earlier result for a Lighthouse instance, piped back in: its firewall is read again.
            if (TcIds.IsLighthouseInstance(instance.InstanceId))
            {
                FirewallSnapshot read = await ReadFirewallAsync(instance.Region, instance.InstanceId, worker).ConfigureAwait(false);
                TestFirewall(read, instance.InstanceName, instance.PublicIpAddresses, instance.Ipv6Addresses, worker);
                return;
            }
            if (instance.SecurityGroupIds == null || instance.SecurityGroupIds.Length == 0)
            {
                // Not "closed": Port53 cannot know what Tencent applies to an instance with no group, so it will not vouch for it.
                worker.WriteError(TcErrors.Create("NoSecurityGroup", ErrorCategory.InvalidData, instance,
                    Strings.Audit.Format("NoSecurityGroup", instance.InstanceId, instance.Region)));
                return;
            }
            GroupSnapshot[] groups = await FeedOf(worker).Reader.GetBoundAsync(instance.Region, instance.SecurityGroupIds, worker.CancellationToken).ConfigureAwait(false);
            (TcPort53Exposure exposure, ExposureResult result) = Expose(groups);
            Describe(exposure, instance.InstanceId, instance.InstanceName, instance.PublicIpAddresses, instance.Ipv6Addresses);
            Emit(exposure, result, worker);
        }

        private static Task<FirewallSnapshot> ReadFirewallAsync(string region, string instanceId, WorkerOutput worker) =>
            FirewallSnapshot.ReadAsync(worker.Lighthouse, region, instanceId, worker.CancellationToken);

        private void TestFirewall(FirewallSnapshot firewall, string name, string[] publicIps, string[] ipv6, WorkerOutput worker)
        {
            string region = firewall.Region, instanceId = firewall.InstanceId;
            FeedOf(worker).RecordFirewall(firewall);
            ExposureResult result = RuleEvaluator.Evaluate(new[] { firewall.Parsed });
            TcPort53Exposure exposure = TcPort53Exposure.From(result, _keys, DateTime.UtcNow);
            exposure.Region = region;
            exposure.FirewallVersion = firewall.FirewallVersion;
            exposure.Versions[instanceId] = firewall.Parsed.Version;
            Describe(exposure, instanceId, name, publicIps, ipv6);
            Emit(exposure, result, worker);
        }

        private static void Describe(TcPort53Exposure exposure, string instanceId, string name, string[] publicIps, string[] ipv6)
        {
            exposure.InstanceId = instanceId;
            exposure.InstanceName = name;
            exposure.PublicIpAddresses = publicIps ?? new string[0];
            exposure.Ipv6Addresses = ipv6 ?? new string[0];
            exposure.HasPublicAddress = exposure.PublicIpAddresses.Length > 0 || exposure.Ipv6Addresses.Length > 0;
        }

        private Task TestGroupAsync(GroupSnapshot group, WorkerOutput worker)
        {
            (TcPort53Exposure exposure, ExposureResult result) = Expose(new[] { group });
            exposure.SecurityGroupId = group.SecurityGroupId;
            Emit(exposure, result, worker);
            return Task.CompletedTask;
        }

        private (TcPort53Exposure, ExposureResult) Expose(GroupSnapshot[] groups)
        {
            ExposureResult result = SecurityGroupReader.Evaluate(groups);
            TcPort53Exposure exposure = TcPort53Exposure.From(result, _keys, DateTime.UtcNow);
            exposure.Region = groups[0].Region;
            exposure.SecurityGroupIds = groups.Select(g => g.SecurityGroupId).ToArray();
            foreach (GroupSnapshot g in groups) exposure.Versions[g.SecurityGroupId] = g.Version;
            return (exposure, result);
        }

        private void Emit(TcPort53Exposure exposure, ExposureResult result, WorkerOutput worker)
        {
            WarnOnce(exposure.Region, result, worker);
            worker.Account.Stamp(exposure);
            if (exposure.Exposed) _anyExposed = true;
            if (!Quiet) worker.WriteObject(exposure);
        }

        /// <summary>
        /// One warning per unclear template (per region) or unclear rule, however many targets reach it: the verdicts
        /// themselves carry IsCertain = false and the text in Warnings.
        /// </summary>
        private void WarnOnce(string region, ExposureResult result, WorkerOutput worker)
        {
            foreach (EvaluationWarning w in _keys.SelectMany(k => result[k].Warnings))
            {
                string key = region + "\n" + (w.TemplateId != null ? w.Kind + "\n" + w.TemplateId : w.GroupId + "\n" + w.Position + "\n" + w.Kind);
                if (_warned.TryAdd(key, true)) worker.WriteWarning(TcPort53Verdict.WarningText(w));
            }
        }
    }
}
