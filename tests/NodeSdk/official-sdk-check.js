// Tencent's official Node.js SDK against a running emulator (docs/emulator.md, "Note: manual run of Tencent's
// official Node.js SDK"). Not part of the build: run it where tencentcloud-sdk-nodejs is installed,
//   NODE_PATH=<dir>/node_modules node tests/NodeSdk/official-sdk-check.js 127.0.0.1:<port> <SecretId> <SecretKey>
// against a fresh emulator with the demo fleet, signing with its first account's key. Exits 1 at the first answer that differs from the real service's.
const assert = require("assert");
const tencentcloud = require("tencentcloud-sdk-nodejs");

const [endpoint, secretId, secretKey] = process.argv.slice(2);
const config = (region) => ({
  credential: { secretId, secretKey },
  region,
  profile: { httpProfile: { endpoint, protocol: "http://" } },
});
const cvm = new tencentcloud.cvm.v20170312.Client(config("ap-guangzhou"));
const vpc = new tencentcloud.vpc.v20170312.Client(config("ap-guangzhou"));
const lighthouse = new tencentcloud.lighthouse.v20200324.Client(config("ap-guangzhou"));
const lighthouseSh = new tencentcloud.lighthouse.v20200324.Client(config("ap-shanghai"));
const sts = new tencentcloud.sts.v20180813.Client(config("ap-guangzhou"));
const organization = new tencentcloud.organization.v20210331.Client(config(""));

async function code(call) {
  try { await call(); } catch (e) { return e.code; }
  return "(succeeded)";
}

(async () => {
  // CVM and VPC, as in the first manual run.
  const regions = await cvm.DescribeRegions({});
  assert.strictEqual(regions.RegionSet.length, 5);
  const instances = await cvm.DescribeInstances({ Limit: 2, Filters: [{ Name: "security-group-id", Values: ["sg-shared01"] }] });
  assert.strictEqual(instances.TotalCount, 5);
  const policies = await vpc.DescribeSecurityGroupPolicies({ SecurityGroupId: "sg-dnsudp01" });
  const version = policies.SecurityGroupPolicySet.Version;
  await vpc.CreateSecurityGroupPolicies({ SecurityGroupId: "sg-dnsudp01",
    SecurityGroupPolicySet: { Version: version, Ingress: [{ PolicyIndex: 0, Protocol: "UDP", Port: "53", CidrBlock: "0.0.0.0/0", Action: "DROP" }] } });
  assert.strictEqual(await code(() => vpc.CreateSecurityGroupPolicies({ SecurityGroupId: "sg-dnsudp01",
    SecurityGroupPolicySet: { Version: version, Ingress: [{ PolicyIndex: 0, Protocol: "TCP", Port: "53", CidrBlock: "0.0.0.0/0", Action: "DROP" }] } })),
    "UnsupportedOperation.VersionMismatch");
  console.log("cvm/vpc: ok");

  // Lighthouse: the same action names as CVM, told apart by the version the SDK sends (2020-03-24).
  const lhRegions = await lighthouse.DescribeRegions({});
  assert.ok(lhRegions.RegionSet.find((r) => r.Region === "ap-guangzhou").IsChinaMainland);
  const lhInstances = await lighthouse.DescribeInstances({ Limit: 10 });
  assert.deepStrictEqual(lhInstances.InstanceSet.map((i) => i.InstanceId), ["lhins-gzdns001"]);
  assert.deepStrictEqual(lhInstances.InstanceSet[0].PublicAddresses, ["43.139.1.10"]);
  const byTag = await lighthouseSh.DescribeInstances({ Filters: [{ Name: "tag:app", Values: ["pihole"] }] });
  assert.strictEqual(byTag.InstanceSet[0].InstanceId, "lhins-shlate01");

  const before = await lighthouseSh.DescribeFirewallRules({ InstanceId: "lhins-shlate01", Limit: 100 });
  assert.strictEqual(before.FirewallVersion, 7);
  assert.strictEqual(before.FirewallRuleSet[0].Protocol, "ALL");
  const drop = { Protocol: "UDP", Port: "53", CidrBlock: "0.0.0.0/0", Action: "DROP", FirewallRuleDescription: "port53-block" };
  // A DROP above the deciding ACCEPT: the whole list again, carrying the version read.
  const rules = [drop].concat(before.FirewallRuleSet.filter((r) => !(r.Protocol === "UDP" && r.Port === "53"))
    .map(({ AppType, ...r }) => r));
  await lighthouseSh.ModifyFirewallRules({ InstanceId: "lhins-shlate01", FirewallRules: rules, FirewallVersion: before.FirewallVersion });
  const after = await lighthouseSh.DescribeFirewallRules({ InstanceId: "lhins-shlate01" });
  assert.strictEqual(after.FirewallVersion, 8);
  assert.deepStrictEqual([after.FirewallRuleSet[0].Protocol, after.FirewallRuleSet[0].Action], ["UDP", "DROP"]);
  assert.strictEqual(await code(() => lighthouseSh.ModifyFirewallRules({ InstanceId: "lhins-shlate01", FirewallRules: rules, FirewallVersion: 7 })),
    "UnsupportedOperation.FirewallVersionMismatch");

  await lighthouse.CreateFirewallRules({ InstanceId: "lhins-gzdns001", FirewallRules: [{ Protocol: "TCP", Port: "8053", Action: "DROP" }] });
  assert.strictEqual(await code(() => lighthouse.CreateFirewallRules({ InstanceId: "lhins-gzdns001", FirewallRules: [{ Protocol: "TCP", Port: "8053", Action: "DROP" }] })),
    "InvalidParameter.FirewallRulesExist");
  await lighthouse.DeleteFirewallRules({ InstanceId: "lhins-gzdns001", FirewallRules: [{ Protocol: "TCP", Port: "8053", Action: "DROP" }] });
  assert.strictEqual(await code(() => lighthouse.DeleteFirewallRules({ InstanceId: "lhins-gzdns001", FirewallRules: [{ Protocol: "TCP", Port: "8053", Action: "DROP" }] })),
    "ResourceNotFound.FirewallRulesNotFound");
  assert.strictEqual(await code(() => lighthouse.DescribeFirewallRules({ InstanceId: "lhins-nothere1" })), "ResourceNotFound.InstanceIdNotFound");
  assert.strictEqual((await lighthouse.DescribeFirewallRules({ InstanceId: "lhins-gzdns001" })).FirewallVersion, 6);
  console.log("lighthouse: ok");

  // Accounts: the demo's first account manages an organization whose member trusts it with a role.
  const members = await organization.DescribeOrganizationMembers({ Offset: 0, Limit: 50 });
  assert.strictEqual(members.Total, 1);
  assert.strictEqual(members.Items[0].MemberUin, 200000000002);
  assert.strictEqual(await code(() => organization.DescribeOrganizationMembers({ Offset: 3, Limit: 2 })), "InvalidParameter");
  const me = await sts.GetCallerIdentity({});
  assert.strictEqual(me.AccountId, "100000000001");
  const roleArn = "qcs::cam::uin/200000000002:roleName/OrganizationAccessControlRole";
  const assumed = await sts.AssumeRole({ RoleArn: roleArn, RoleSessionName: "sdk-check", DurationSeconds: 900 });
  assert.ok(assumed.Credentials.Token && assumed.Credentials.TmpSecretId && assumed.Credentials.TmpSecretKey);
  assert.ok(Math.abs(Date.parse(assumed.Expiration) / 1000 - assumed.ExpiredTime) < 1);
  assert.strictEqual(await code(() => sts.AssumeRole({ RoleArn: "qcs::cam::uin/200000000002:roleName/NoSuchRole", RoleSessionName: "sdk-check" })),
    "ResourceNotFound.RoleNotFound");
  const memberConfig = { credential: { secretId: assumed.Credentials.TmpSecretId, secretKey: assumed.Credentials.TmpSecretKey, token: assumed.Credentials.Token },
    region: "ap-guangzhou", profile: { httpProfile: { endpoint, protocol: "http://" } } };
  const inMember = await new tencentcloud.cvm.v20170312.Client(memberConfig).DescribeInstances({ Limit: 100 });
  assert.deepStrictEqual(inMember.InstanceSet.map((i) => i.InstanceId), ["ins-mbdns001", "ins-mbweb001"]);
  const who = await new tencentcloud.sts.v20180813.Client(memberConfig).GetCallerIdentity({});
  assert.deepStrictEqual([who.AccountId, who.PrincipalId], ["200000000002", "100000000001"]);
  assert.ok(who.UserId.endsWith(":sdk-check"));
  console.log("sts/organization: ok");
})().catch((e) => { console.error("FAILED", e); process.exit(1); });
