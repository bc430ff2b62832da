using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using Port53.Analysis;
using Port53.Api.Models;
using Port53.Execution;
using Port53.Model;
using Port53.Resources;
using Port53.Services;

namespace Port53.Cmdlets
{
    /// <summary>
    /// Lists security-group rules the way the console does, one object per rule with the group's Version. From an
    /// instance, the rules of its groups in binding order, each carrying the InstanceId and the group's binding
    /// position; a group bound by many instances is still read once per command.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "TcSecurityGroupRule", DefaultParameterSetName = SecurityGroupSet)]
    [OutputType(typeof(TcSecurityGroupRule))]
    public sealed class GetTcSecurityGroupRuleCommand : TcAuditCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = SecurityGroupSet)]
        [ValidateNotNullOrEmpty]
        [ValidateTcId("sg")]
        [ArgumentCompleter(typeof(SecurityGroupIdCompleter))]
        public string[] SecurityGroupId { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public TcRuleDirection[] Direction { get; set; } = { TcRuleDirection.Ingress };

        internal override TargetFeed CreateFeed(AccountScope account) => new TargetFeed(this, account, ThrottleLimit, Strings.Audit["ProgressRules"], RulesOfInstanceAsync, RulesOfGroupAsync, readAhead: true);

        internal override string[] SecurityGroupIds => SecurityGroupId;

        internal override void ProcessSecurityGroups(AccountScope account, IReadOnlyList<string> ids, IReadOnlyList<string> regions) =>
            FeedFor(account).AddSecurityGroupIds(ids, regions);

        private async Task RulesOfInstanceAsync(TcInstance instance, WorkerOutput worker)
        {
            if (instance.SecurityGroupIds == null || instance.SecurityGroupIds.Length == 0)
            {
                worker.WriteVerbose(Strings.Audit.Format("VerboseNoGroups", instance.InstanceId));
                return;
            }
            GroupSnapshot[] groups = await FeedOf(worker).Reader.GetBoundAsync(instance.Region, instance.SecurityGroupIds, worker.CancellationToken).ConfigureAwait(false);
            var rules = new List<TcSecurityGroupRule>();
            for (int position = 0; position < groups.Length; position++)
            {
                foreach (TcSecurityGroupRule rule in Rules(groups[position], worker.Account))
                {
                    rule.InstanceId = instance.InstanceId;
                    rule.BindingPosition = position;
                    rules.Add(rule);
                }
            }
            worker.WriteObjects(rules);
        }

        private Task RulesOfGroupAsync(GroupSnapshot group, WorkerOutput worker)
        {
            worker.WriteObjects(Rules(group, worker.Account).ToList());
            return Task.CompletedTask;
        }

        /// <summary>The group's rules of the directions asked for, in the order Tencent evaluates them.</summary>
        private IEnumerable<TcSecurityGroupRule> Rules(GroupSnapshot group, AccountScope account)
        {
            foreach (TcRuleDirection direction in Direction.Distinct())
            {
                IReadOnlyList<SecurityGroupPolicy> policies = ParsedGroup.Order(direction == TcRuleDirection.Ingress ? group.Ingress : group.Egress);
                for (int i = 0; i < policies.Count; i++)
                    yield return account.Stamp(TcSecurityGroupRule.From(group.Region, group.SecurityGroupId, group.Version, direction, policies[i], i));
            }
        }
    }
}
