import * as assert from "assert";
import * as path from "path";
import { PROJECT_ROOT, loadStackConfig, runProgram } from "../../tools/mocks/harness";
import { toRunner } from "../../tools/plan";
import { accessHeld, allowedActions, configPathOf, environmentOf, permissionSetsOf, provisionedRoleName, rolesOf } from "../../tools/lib/ops/principals";
import { policyDocument } from "../../tools/lib/ops/stackInput";
import { runOrganization } from "../support/organization";
import { ORG_CONFIG, tempFiles } from "./support";

describe("access-review's principals", () => {
    it("finds every role of the composed prod program with the actions of its inline policy", async () => {
        const run = await runProgram({ stack: "prod" });
        const resources = run.resources.map(toRunner);
        const roles = rolesOf({ name: "prod", resources, outputs: {}, source: "mocks" });
        const declared = resources.filter((r) => r.type === "aws:iam/role:Role");
        assert.ok(declared.length >= 4, "the functions' roles and the trail's delivery role");
        assert.deepStrictEqual(roles.map((r) => r.urn).sort(), declared.map((r) => r.urn).sort());
        for (const role of roles) {
            const expected = resources
                .filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.props.role === role.name)
                .flatMap((r) => allowedActions(policyDocument(r.props.policy)).actions);
            assert.ok(expected.length > 0, `${role.name} has an inline policy`);
            assert.deepStrictEqual(role.granted, [...new Set(expected)].sort());
            assert.match(role.roleArn ?? "", /^arn:aws:iam::\d{12}:role\//);
        }
    });

    it("finds each permission set the org stack assigns to an account, with its group and the access Pulumi.org.yaml gives it there", async () => {
        const { org, environments } = await runOrganization();
        const stack = { name: "org", resources: org.resources.map(toRunner), outputs: {}, source: "mocks" };
        const groups = loadStackConfig("org")["swiftsupport:groups"] as { name: string; environments: Record<string, { access: string[] }> }[];
        const configFile = path.join(PROJECT_ROOT, "Pulumi.org.yaml");
        for (const env of environments) {
            const sets = permissionSetsOf(stack, env.accountId);
            const given = groups.filter((g) => g.environments[env.name]);
            assert.strictEqual(sets.length, given.length, `${env.name}: one permission set per group with access there`);
            assert.strictEqual(environmentOf(configFile, env.accountId), env.name);
            for (const group of given) {
                const set = sets.find((s) => s.groups.includes(group.name));
                assert.ok(set, `${env.name}: a set assigned to ${group.name}`);
                const access = group.environments[env.name].access;
                assert.deepStrictEqual(accessHeld(set.granted).map((a) => a.name).sort(), [...access].sort(), `${group.name} in ${env.name}`);
                for (const [i, name] of access.entries()) {
                    assert.match(configPathOf(configFile, group.name, name, env.name) ?? "", new RegExp(`\\.environments\\.${env.name}\\.access\\[${i}\\]$`));
                }
            }
        }
    });

    it("adds the customer-managed policies attached to a role and notes the ones it cannot read", () => {
        const res = (type: string, name: string, props: Record<string, unknown>) => ({ urn: `urn:pulumi:prod::p::${type}::${name}`, type, name, props, outputs: props });
        const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["sqs:SendMessage"], Resource: "arn:aws:sqs:eu-west-1:222222222222:dlq" }] });
        const [role] = rolesOf({
            name: "prod",
            outputs: {},
            source: "test",
            resources: [
                res("aws:iam/role:Role", "fn-role", { name: "fn-role", arn: "arn:aws:iam::222222222222:role/fn-role" }),
                res("aws:iam/policy:Policy", "dlq", { arn: "arn:aws:iam::222222222222:policy/dlq", policy }),
                res("aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", "only", {
                    roleName: "fn-role",
                    policyArns: ["arn:aws:iam::222222222222:policy/dlq", "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"],
                }),
            ],
        });
        assert.deepStrictEqual(role.granted, ["sqs:SendMessage"]);
        assert.deepStrictEqual(role.notes, ["attached arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess is not in the stack: its actions are not reviewed here"]);
    });

    it("recognises only the role Identity Center provisions for that permission set", () => {
        assert.ok(provisionedRoleName("Developers-prod", "AWSReservedSSO_Developers-prod_0123456789abcdef"));
        assert.ok(!provisionedRoleName("Developers", "AWSReservedSSO_Developers-prod_0123456789abcdef"), "a name that is a prefix of another set's");
        assert.ok(!provisionedRoleName("Dev.ops", "AWSReservedSSO_DevXops_0123456789abcdef"), "the name is matched literally");
    });

    it("locates a group's access in the org config, preferring the entry of the reviewed environment", () => {
        const files = tempFiles({ "Pulumi.org.yaml": ORG_CONFIG });
        try {
            const file = files.file("Pulumi.org.yaml");
            assert.strictEqual(configPathOf(file, "Developers", "functions:read", "production"), "config.swiftsupport:groups[0].environments.production.access[0]");
            assert.strictEqual(configPathOf(file, "Developers", "functions:read", "dev"), "config.swiftsupport:groups[0].environments.dev.access[0]");
            assert.strictEqual(configPathOf(file, "DataScience", "functions:read", "production"), undefined, "not given to that group");
            assert.strictEqual(environmentOf(file, "222222222222"), "production");
            assert.strictEqual(environmentOf(file, "333333333333"), undefined);
        } finally {
            files.cleanup();
        }
    });
});
