import * as assert from "assert";
import { ACCOUNT, allow, json, messages, resource, role, urnOf, violationsOf } from "./support";

const ESCALATION = "aws-iam-principal-disallow-privilege-escalation";
const POLICY = "aws:iam/policy:Policy";
const arnOf = (name: string) => `arn:aws:iam::${ACCOUNT}:policy/${name}`;
const managed = (name: string, ...statements: object[]) => resource(POLICY, name, { name, arn: arnOf(name), policy: json(...statements) });
const attach = (name: string, roleName: string, policyArn: string) =>
    resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", name, { role: `${roleName}-abc123`, policyArn });

describe("aws-iam-principal-disallow-privilege-escalation", () => {
    const singleActionPaths = [
        "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:AttachRolePolicy", "iam:AttachUserPolicy", "iam:AttachGroupPolicy",
        "iam:PutRolePolicy", "iam:PutUserPolicy", "iam:PutGroupPolicy", "iam:CreateAccessKey", "iam:CreateLoginProfile",
        "iam:UpdateLoginProfile", "iam:UpdateAssumeRolePolicy", "iam:AddUserToGroup", "iam:DeleteRolePermissionsBoundary",
        "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration",
    ];
    for (const action of singleActionPaths) {
        it(`flags ${action}, naming the path and where it was granted`, async () => {
            const vs = await violationsOf(ESCALATION, [role("r", { inlinePolicies: [{ name: "i", policy: json(allow(action, `arn:aws:iam::${ACCOUNT}:*`)) }] })]);
            assert.strictEqual(vs.length, 1, action);
            assert.match(vs[0].message, new RegExp(`role 'r' can escalate its privileges: ${action} on (other users \\()?arn:aws:iam::${ACCOUNT}:\\*\\)? \\(Role 'r' inlinePolicies\\[0\\]\\.policy statement 0\\)`));
        });
    }

    const passRoleCombos: [string, string[]][] = [
        ["lambda", ["lambda:CreateFunction", "lambda:InvokeFunction"]],
        ["lambda event source", ["lambda:CreateFunction", "lambda:CreateEventSourceMapping"]],
        ["ec2", ["ec2:RunInstances"]],
        ["glue", ["glue:CreateDevEndpoint"]],
        ["cloudformation", ["cloudformation:CreateStack"]],
        ["codebuild", ["codebuild:CreateProject", "codebuild:StartBuild"]],
        ["sagemaker", ["sagemaker:CreateNotebookInstance"]],
        ["datapipeline", ["datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition"]],
    ];
    for (const [what, actions] of passRoleCombos) {
        it(`flags iam:PassRole with ${what} create-and-run actions, combined across documents`, async () => {
            const vs = await violationsOf(ESCALATION, [
                role("r", { inlinePolicies: [{ name: "pass", policy: json(allow("iam:PassRole", `arn:aws:iam::${ACCOUNT}:role/worker-*`)) }] }),
                resource("aws:iam/rolePolicy:RolePolicy", "run", { role: "r-abc123", policy: json(allow(actions, "*")) }),
            ]);
            assert.strictEqual(vs.length, 1, what);
            assert.match(vs[0].message, /iam:PassRole on any role \(arn:aws:iam::\d+:role\/worker-\*\) \(Role 'r' inlinePolicies\[0\]\.policy statement 0\) \+ /);
            assert.match(vs[0].message, /RolePolicy 'run' policy statement 0/);
        });
        it(`does not flag ${what} actions without iam:PassRole`, async () => {
            // codebuild:StartBuild on every project is a path of its own (a buildspec override runs as the project's role).
            const on = what === "codebuild" ? `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/build` : "*";
            const vs = await violationsOf(ESCALATION, [role("r", { inlinePolicies: [{ name: "run", policy: json(allow(actions, on)) }] })]);
            assert.deepStrictEqual(messages(vs), []);
        });
    }

    it("flags sts:AssumeRole and iam:PassRole on *, not on named roles", async () => {
        const onStar = await violationsOf(ESCALATION, [role("r", { inlinePolicies: [{ name: "i", policy: json(allow(["sts:AssumeRole", "iam:PassRole"], "*")) }] })]);
        assert.match(onStar[0].message, /sts:AssumeRole on any role .*iam:PassRole on any role/);
        const named = await violationsOf(ESCALATION, [role("r", { inlinePolicies: [{ name: "i", policy: json(allow(["sts:AssumeRole", "iam:PassRole"], `arn:aws:iam::${ACCOUNT}:role/x`)) }] })]);
        assert.deepStrictEqual(named, []);
    });

    it("counts wildcards and NotAction as granting the path", async () => {
        const vs = await violationsOf(ESCALATION, [
            role("star", { inlinePolicies: [{ name: "i", policy: json(allow("iam:*", "*")) }] }),
            role("not", { inlinePolicies: [{ name: "i", policy: json({ Effect: "Allow", NotAction: "s3:*", Resource: "*" }) }] }),
        ]);
        assert.deepStrictEqual(vs.map((v) => v.name).sort(), ["not", "star"]);
    });

    it("follows managed attachments by propertyDependencies and by value, and AWS managed policies", async () => {
        const vs = await violationsOf(ESCALATION, [
            managed("keys", allow("iam:CreateAccessKey", "*")),
            role("byvalue"),
            attach("a1", "byvalue", arnOf("keys")),
            role("bydep"),
            resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "a2", { role: "04da6b54-80e4-46f7-96ec-b56ff0331ba9", policyArn: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }, {
                propertyDependencies: { role: [urnOf("aws:iam/role:Role", "bydep")], policyArn: [urnOf(POLICY, "keys")] },
            }),
            role("admin", { managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] }),
            role("power"),
            attach("a3", "power", "arn:aws:iam::aws:policy/PowerUserAccess"),
            role("readonly"),
            attach("a4", "readonly", "arn:aws:iam::aws:policy/ReadOnlyAccess"),
        ]);
        assert.deepStrictEqual(vs.map((v) => v.name).sort(), ["admin", "bydep", "byvalue", "power"]);
        assert.match(vs.find((v) => v.name === "admin")!.message, /AWS managed policy AdministratorAccess/);
        assert.match(vs.find((v) => v.name === "power")!.message, /lambda:UpdateFunctionCode on \* \(AWS managed policy PowerUserAccess/);
    });

    it("judges users over their groups' policies, and permission sets over their attachments", async () => {
        const vs = await violationsOf(ESCALATION, [
            resource("aws:iam/user:User", "alice", { name: "alice", arn: `arn:aws:iam::${ACCOUNT}:user/alice` }),
            resource("aws:iam/group:Group", "admins", { name: "admins" }),
            resource("aws:iam/groupPolicy:GroupPolicy", "admins-p", { group: "admins", policy: json(allow("iam:AttachUserPolicy", "*")) }),
            resource("aws:iam/groupMembership:GroupMembership", "m", { group: "admins", users: ["alice"] }),
            resource("aws:ssoadmin/permissionSet:PermissionSet", "devs", { name: "devs", instanceArn: "i", arn: "arn:aws:sso:::permissionSet/ssoins-1/devs" }),
            resource("aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment", "devs-admin", {
                instanceArn: "i", permissionSetArn: "arn:aws:sso:::permissionSet/ssoins-1/devs", managedPolicyArn: "arn:aws:iam::aws:policy/IAMFullAccess",
            }),
            managed("ops-extra", allow("iam:PutRolePolicy", "*")),
            resource("aws:ssoadmin/permissionSet:PermissionSet", "ops", { name: "ops", instanceArn: "i", arn: "arn:aws:sso:::permissionSet/ssoins-1/ops" }),
            resource("aws:ssoadmin/customerManagedPolicyAttachment:CustomerManagedPolicyAttachment", "ops-cm", {
                instanceArn: "i", permissionSetArn: "arn:aws:sso:::permissionSet/ssoins-1/ops", customerManagedPolicyReference: { name: "ops-extra", path: "/" },
            }),
        ]);
        assert.deepStrictEqual(vs.map((v) => v.name).sort(), ["admins", "alice", "devs", "ops"]);
        assert.match(vs.find((v) => v.name === "alice")!.message, /via group 'admins'/);
        assert.match(vs.find((v) => v.name === "devs")!.message, /^permission set 'devs'/);
    });

    it("does not flag what an unconditional Deny or the permissions boundary withholds", async () => {
        const boundary = managed("boundary", allow(["dynamodb:GetItem", "iam:CreatePolicyVersion"], "*"), { Effect: "Deny", Action: "iam:CreatePolicyVersion", Resource: "*" });
        const vs = await violationsOf(ESCALATION, [
            boundary,
            role("denied", {
                permissionsBoundary: arnOf("boundary"),
                inlinePolicies: [{ name: "i", policy: json(allow(["iam:CreatePolicyVersion"], "*")) }],
            }),
            role("bounded", {
                permissionsBoundary: arnOf("boundary"),
                inlinePolicies: [{ name: "i", policy: json(allow(["iam:CreateAccessKey"], "*")) }],
            }),
            role("selfdeny", {
                permissionsBoundary: arnOf("elsewhere"),
                inlinePolicies: [{ name: "i", policy: json(allow("iam:PutRolePolicy", "*"), { Effect: "Deny", Action: "iam:Put*", Resource: "*" }) }],
            }),
            role("conditional", {
                permissionsBoundary: arnOf("elsewhere"),
                inlinePolicies: [{ name: "i", policy: json(allow("iam:PutRolePolicy", "*"), { Effect: "Deny", Action: "iam:Put*", Resource: "*", Condition: { Bool: { "aws:MultiFactorAuthPresent": "false" } } }) }],
            }),
        ]);
        assert.deepStrictEqual(vs.map((v) => v.name), ["conditional"]);
    });

    it("reports a grant it cannot follow during preview as an advisory, not a pass", async () => {
        const result = await violationsOf(ESCALATION, [
            managed("keys", allow("iam:CreateAccessKey", "*")),
            role("r"),
            resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "a", { role: "04da6b54-80e4-46f7-96ec-b56ff0331ba9", policyArn: arnOf("keys") }),
        ]);
        assert.strictEqual(result.length, 1);
        assert.strictEqual(result[0].enforcementLevel, "advisory");
        assert.match(result[0].message, /RolePolicyAttachment 'a' `role` cannot be verified until the value is known/);
    });
});
