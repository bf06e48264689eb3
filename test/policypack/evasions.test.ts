// Attempts to get past the pack: conditions that only look pinning, trusts open to the world, escalation written
// another way, odd input; each a case the pack once missed or refused wrongly.

import * as assert from "assert";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { policies } from "../../policypack/policies";
import { runPack } from "../../tools/lib/packRunner";
import { ACCOUNT, UNKNOWN, doc, json, messages, resource, role, run, urnOf, violationsOf } from "./support";

const S3_PUBLIC = "aws-s3-bucket-policy-disallow-public-principal";
const PUBLIC = "aws-iam-resource-policy-disallow-public-principal";
const TRUST = "aws-iam-role-trust-disallow-any-principal";
const ESCALATION = "aws-iam-principal-disallow-privilege-escalation";
const WILDCARD_ACTIONS = "aws-iam-policy-disallow-wildcard-actions";
const BOUNDARY = "aws-iam-role-require-permissions-boundary";
const SSO_BOUNDARY = "aws-ssoadmin-permission-set-require-permissions-boundary";

const mandatory = async (policy: string, resources: Parameters<typeof run>[0]) =>
    (await violationsOf(policy, resources)).filter((v) => v.enforcementLevel === "mandatory");
const advisory = async (policy: string, resources: Parameters<typeof run>[0]) =>
    (await violationsOf(policy, resources)).filter((v) => v.enforcementLevel === "advisory");

const bucketPolicy = (name: string, condition: object) => resource("aws:s3/bucketPolicy:BucketPolicy", name, {
    bucket: "b",
    policy: json({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*", Condition: condition }),
});
const rolePolicy = (name: string, roleName: string, ...statements: object[]) =>
    resource("aws:iam/rolePolicy:RolePolicy", name, { role: `${roleName}-abc123`, policy: json(...statements) });

describe("a condition pins the caller only with concrete values", () => {
    const open: [string, object][] = [
        ["ArnLike aws:SourceArn arn:aws:*", { ArnLike: { "aws:SourceArn": "arn:aws:*" } }],
        ["ArnLike aws:PrincipalArn arn:aws:iam::*:role/*", { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/*" } }],
        ["ForAnyValue:StringLike aws:PrincipalOrgPaths o-*/*", { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": "o-*/*" } }],
        ["StringLike aws:SourceAccount ?*", { StringLike: { "aws:SourceAccount": "?*" } }],
    ];
    for (const [what, condition] of open) {
        it(`flags Principal "*" pinned only by ${what}`, async () => {
            assert.strictEqual((await mandatory(S3_PUBLIC, [bucketPolicy("b", condition)])).length, 1);
        });
    }
    it("flags a Lambda permission for principal * with sourceArn arn:aws:execute-api:*:*:*", async () => {
        const p = resource("aws:lambda/permission:Permission", "sa", { action: "lambda:InvokeFunction", function: "f", principal: "*", sourceArn: "arn:aws:execute-api:*:*:*" });
        assert.strictEqual((await mandatory(PUBLIC, [p])).length, 1);
    });
    it("still passes concrete pins: an ARN with a literal account, an org path with literal org and root", async () => {
        const vs = await mandatory(S3_PUBLIC, [
            bucketPolicy("arn", { ArnLike: { "aws:SourceArn": `arn:aws:cloudfront::${ACCOUNT}:distribution/*` } }),
            bucketPolicy("path", { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-ab12/*" } }),
            bucketPolicy("acct", { StringEquals: { "aws:SourceAccount": ACCOUNT } }),
        ]);
        assert.deepStrictEqual(messages(vs), []);
    });
});

describe("federated trust must pin the subject (OIDC) or the identity pool (Cognito)", () => {
    const GITHUB = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    const trust = (name: string, Federated: string, Condition: object) => role(name, {
        assumeRolePolicy: json({ Effect: "Allow", Principal: { Federated }, Action: "sts:AssumeRoleWithWebIdentity", Condition }),
    });
    const open: [string, string, object][] = [
        ["GitHub with only aud", GITHUB, { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } }],
        ["GitHub with sub *", GITHUB, { StringLike: { "token.actions.githubusercontent.com:sub": "*" } }],
        ["GitHub with sub repo:*", GITHUB, { StringLike: { "token.actions.githubusercontent.com:sub": "repo:*" } }],
        ["GitHub with StringLikeIfExists sub", GITHUB, { StringLikeIfExists: { "token.actions.githubusercontent.com:sub": "repo:org/r:*" } }],
        ["Cognito with only amr", "cognito-identity.amazonaws.com", { "ForAnyValue:StringLike": { "cognito-identity.amazonaws.com:amr": "authenticated" } }],
    ];
    for (const [what, provider, condition] of open) {
        it(`flags ${what}`, async () => {
            const vs = await mandatory(TRUST, [trust("t", provider, condition)]);
            assert.strictEqual(vs.length, 1, JSON.stringify(messages(vs)));
            assert.match(vs[0].message, /admits every identity of .*\(no restricting condition/);
        });
    }
    it("passes GitHub pinned to a repository and Cognito pinned to its identity pool", async () => {
        const vs = await mandatory(TRUST, [
            trust("gh", GITHUB, { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" }, StringLike: { "token.actions.githubusercontent.com:sub": "repo:org/repo:ref:refs/heads/main" } }),
            trust("cog", "cognito-identity.amazonaws.com", {
                StringEquals: { "cognito-identity.amazonaws.com:aud": "eu-west-1:11111111-2222-3333-4444-555555555555" },
                "ForAnyValue:StringLike": { "cognito-identity.amazonaws.com:amr": "authenticated" },
            }),
        ]);
        assert.deepStrictEqual(messages(vs), []);
    });
});

describe("iam:PassRole / sts:AssumeRole on a wildcarded role ARN is on any role", () => {
    it("flags PassRole on arn:aws:iam::*:role/* with lambda create and invoke", async () => {
        const vs = await violationsOf(ESCALATION, [role("r1"), rolePolicy("p1", "r1",
            { Effect: "Allow", Action: ["iam:PassRole"], Resource: "arn:aws:iam::*:role/*" },
            { Effect: "Allow", Action: ["lambda:CreateFunction", "lambda:InvokeFunction"], Resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:*` })]);
        assert.strictEqual(vs.length, 1);
        assert.match(vs[0].message, /iam:PassRole on any role .* \+ lambda:CreateFunction/);
    });
    it("flags PassRole on every role of one account, and sts:AssumeRole on any account's roles", async () => {
        const vs = await violationsOf(ESCALATION, [
            role("r2"), rolePolicy("p2", "r2", { Effect: "Allow", Action: "iam:PassRole", Resource: `arn:aws:iam::${ACCOUNT}:role/*` }),
            role("r3"), rolePolicy("p3", "r3", { Effect: "Allow", Action: "sts:AssumeRole", Resource: "arn:aws:iam::*:role/*" }),
        ]);
        assert.deepStrictEqual(vs.map((v) => v.name).sort(), ["r2", "r3"]);
    });
});

describe("a Deny with NotResource is not a deny on everything", () => {
    it("flags PassRole + RunInstances on * despite Deny PassRole NotResource role/Admin", async () => {
        const vs = await violationsOf(ESCALATION, [role("r5"), rolePolicy("p5", "r5",
            { Effect: "Allow", Action: ["iam:PassRole", "ec2:RunInstances"], Resource: "*" },
            { Effect: "Deny", Action: "iam:PassRole", NotResource: `arn:aws:iam::${ACCOUNT}:role/Admin` })]);
        assert.strictEqual(vs.length, 1);
        assert.match(vs[0].message, /ec2:RunInstances/);
    });
});

describe("an unknown condition at preview is unverified, not a violation", () => {
    const pending = /cannot be verified until the value is known/;
    it("BucketPolicy with Principal {AWS: *} and an unknown aws:SourceArn", async () => {
        const bp = resource("aws:s3/bucketPolicy:BucketPolicy", "bp", { bucket: UNKNOWN, policy: doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:GetObject", Resource: UNKNOWN, Condition: { StringEquals: { "aws:SourceArn": UNKNOWN } } }) });
        assert.deepStrictEqual(await mandatory(S3_PUBLIC, [bp]), []);
        assert.match((await advisory(S3_PUBLIC, [bp]))[0].message, pending);
    });
    it("SQS queue policy with an unknown Condition block", async () => {
        const qp = resource("aws:sqs/queuePolicy:QueuePolicy", "qp", { queueUrl: UNKNOWN, policy: doc({ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: UNKNOWN, Condition: UNKNOWN }) });
        assert.deepStrictEqual(await mandatory(PUBLIC, [qp]), []);
        assert.match((await advisory(PUBLIC, [qp]))[0].message, pending);
    });
    it("Lambda permission for principal * with an unknown sourceArn", async () => {
        const lp = resource("aws:lambda/permission:Permission", "lp", { action: "lambda:InvokeFunction", function: UNKNOWN, principal: "*", sourceArn: UNKNOWN });
        assert.deepStrictEqual(await mandatory(PUBLIC, [lp]), []);
        assert.match((await advisory(PUBLIC, [lp]))[0].message, pending);
    });
});

describe("kms:CallerAccount and s3:DataAccessPoint* pin the caller", () => {
    it("passes the AWS default key pattern (Principal AWS * with kms:CallerAccount and kms:ViaService)", async () => {
        const key = resource("aws:kms/key:Key", "k", { enableKeyRotation: true, policy: json(
            { Sid: "via", Effect: "Allow", Principal: { AWS: "*" }, Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"], Resource: "*", Condition: { StringEquals: { "kms:CallerAccount": ACCOUNT, "kms:ViaService": "dynamodb.us-east-1.amazonaws.com" } } }) });
        assert.deepStrictEqual(await violationsOf(PUBLIC, [key]), []);
    });
    it("passes access-point delegation (Principal AWS * with s3:DataAccessPointAccount)", async () => {
        const bp = resource("aws:s3/bucketPolicy:BucketPolicy", "bp", { bucket: "b", policy: json(
            { Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*", Condition: { StringEquals: { "s3:DataAccessPointAccount": ACCOUNT } } }) });
        assert.deepStrictEqual(await violationsOf(S3_PUBLIC, [bp]), []);
    });
});

describe("iam:PassRole on one exact role is least privilege, not escalation", () => {
    it("passes a deployer passing one exact execution role to Lambda", async () => {
        const vs = await violationsOf(ESCALATION, [role("deployer"), rolePolicy("dp", "deployer",
            { Effect: "Allow", Action: "iam:PassRole", Resource: `arn:aws:iam::${ACCOUNT}:role/app-exec-role`, Condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } } },
            { Effect: "Allow", Action: ["lambda:CreateFunction", "lambda:InvokeFunction"], Resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:app-*` })]);
        assert.deepStrictEqual(messages(vs), []);
    });
});

describe("ECS, SSM and IAM Identity Center escalation paths", () => {
    const cases: [string, object[], RegExp][] = [
        ["PassRole + ecs:RegisterTaskDefinition + ecs:RunTask", [
            { Effect: "Allow", Action: "iam:PassRole", Resource: `arn:aws:iam::${ACCOUNT}:role/*` },
            { Effect: "Allow", Action: ["ecs:RegisterTaskDefinition", "ecs:RunTask"], Resource: "*" }], /new ECS task/],
        ["ssm:SendCommand on *", [{ Effect: "Allow", Action: "ssm:SendCommand", Resource: "*" }], /ssm:SendCommand on any instance \(\*\)/],
        ["sso:PutInlinePolicyToPermissionSet + sso:ProvisionPermissionSet", [
            { Effect: "Allow", Action: ["sso:PutInlinePolicyToPermissionSet", "sso:ProvisionPermissionSet"], Resource: "*" }], /permission set's policies/],
        ["sso:CreateAccountAssignment", [{ Effect: "Allow", Action: "sso:CreateAccountAssignment", Resource: "*" }], /more privileged permission set/],
        ["identitystore:CreateGroupMembership", [{ Effect: "Allow", Action: "identitystore:CreateGroupMembership", Resource: "*" }], /Identity Center group/],
    ];
    for (const [what, statements, effect] of cases) {
        it(`flags ${what}`, async () => {
            const vs = await violationsOf(ESCALATION, [role("r"), rolePolicy("p", "r", ...statements)]);
            assert.strictEqual(vs.length, 1, what);
            assert.match(vs[0].message, effect);
        });
    }
    it("flags a permission set that can rewrite permission sets", async () => {
        const vs = await violationsOf(ESCALATION, [
            resource("aws:ssoadmin/permissionSet:PermissionSet", "ps2", { name: "ps2", instanceArn: "i" }),
            resource("aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy", "psi", { instanceArn: "i", permissionSetArn: "x", inlinePolicy: json({ Effect: "Allow", Action: ["sso:PutInlinePolicyToPermissionSet", "sso:ProvisionPermissionSet", "identitystore:CreateGroupMembership"], Resource: "*" }) },
                { propertyDependencies: { permissionSetArn: [urnOf("aws:ssoadmin/permissionSet:PermissionSet", "ps2")] } }),
        ]);
        assert.strictEqual(vs.length, 1);
        assert.match(vs[0].message, /permission set 'ps2' can escalate/);
    });
});

describe("EventBridge permissions are resource policies", () => {
    it("flags EventPermission principal * and passes one pinned to the organisation", async () => {
        const vs = await mandatory(PUBLIC, [
            resource("aws:cloudwatch/eventPermission:EventPermission", "ep", { principal: "*", statementId: "x" }),
            resource("aws:cloudwatch/eventPermission:EventPermission", "org", { principal: "*", statementId: "y", condition: { key: "aws:PrincipalOrgID", type: "StringEquals", value: "o-a1b2c3d4e5" } }),
        ]);
        assert.deepStrictEqual(vs.map((v) => v.name), ["ep"]);
        assert.match(vs[0].message, /EventPermission 'ep' statement 0 allows Principal "\*"/);
    });
});

describe("the KMS delegation exemption is kms:* for the key's own account only", () => {
    const key = (name: string, statement: object, arn?: string) =>
        resource("aws:kms/key:Key", name, { enableKeyRotation: true, ...(arn ? { arn } : {}), policy: json(statement) });
    it("flags Action * for a foreign account root", async () => {
        const vs = await mandatory(WILDCARD_ACTIONS, [key("k2", { Effect: "Allow", Principal: { AWS: "arn:aws:iam::999999999999:root" }, Action: "*", Resource: "*" })]);
        assert.strictEqual(vs.length, 1);
    });
    it("flags kms:* for an account other than the key's", async () => {
        const vs = await mandatory(WILDCARD_ACTIONS, [key("k3", { Effect: "Allow", Principal: { AWS: "arn:aws:iam::999999999999:root" }, Action: "kms:*", Resource: "*" }, `arn:aws:kms:eu-west-1:${ACCOUNT}:key/k3`)]);
        assert.strictEqual(vs.length, 1);
    });
    it("leaves kms:* for the root unverified when the key's account cannot be told", async () => {
        const k = key("k4", { Effect: "Allow", Principal: { AWS: "arn:aws:iam::999999999999:root" }, Action: "kms:*", Resource: "*" });
        assert.deepStrictEqual(await mandatory(WILDCARD_ACTIONS, [k]), []);
        assert.match((await advisory(WILDCARD_ACTIONS, [k]))[0].message, /is the key's own account/);
    });
});

describe("suppressions must name resources", () => {
    const noBoundary = role("nb", { permissionsBoundary: undefined });
    for (const pattern of ["*", "urn:*", "**", "urn:pulumi:dev::test::aws:iam/role:Role::*"]) {
        it(`refuses the pattern "${pattern}" with a config error`, async () => {
            await assert.rejects(run([noBoundary], { [BOUNDARY]: { suppressions: [{ resource: pattern, reason: "temporary exception for sandbox" }] } }),
                /suppression 0 .* (has no name|without a `::<name>` part)/);
        });
    }
    it("matches the README's URN pattern on a component child", async () => {
        const child = { urn: "urn:pulumi:dev::swiftsupport::my:comp$aws:iam/policy:Policy::sandbox-a", type: "aws:iam/policy:Policy", name: "sandbox-a",
            props: { policy: json({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }) } };
        const result = await runPack(policies, [child], { "aws-iam-policy-disallow-wildcard-resources": { suppressions: [
            { resource: "urn:pulumi:dev::swiftsupport::aws:iam/policy:Policy::sandbox-*", reason: "Sandbox stacks are throwaway and isolated" }] } });
        assert.deepStrictEqual(result.violations.filter((v) => v.enforcementLevel === "mandatory"), []);
        assert.strictEqual(result.suppressed.length, 1);
    });
});

describe("one unresolved boundary attachment does not hide every unbounded permission set", () => {
    const set = (name: string) => resource("aws:ssoadmin/permissionSet:PermissionSet", name, { name, instanceArn: "i" });
    const pending = (name: string) => resource("aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment", name,
        { instanceArn: "i", permissionSetArn: UNKNOWN, permissionsBoundary: { customerManagedPolicyReference: { name: "b" } } });
    it("reports unbounded sets that outnumber the unresolved attachments", async () => {
        const vs = await mandatory(SSO_BOUNDARY, [set("psA"), set("psB"), pending("pba")]);
        assert.deepStrictEqual(vs.map((v) => v.name).sort(), ["psA", "psB"]);
    });
    it("marks each set unverified when the unresolved attachments could bound them all", async () => {
        const vs = await violationsOf(SSO_BOUNDARY, [set("psA"), pending("pba")]);
        assert.deepStrictEqual(vs.filter((v) => v.enforcementLevel === "mandatory"), []);
        assert.match(vs[0].message, /PermissionSet 'psA' `PermissionsBoundaryAttachment/);
    });
});

describe("stack policies see outputs, resource policies inputs", () => {
    it("gives validateResource the inputs and validateStack the outputs", async () => {
        const seen: Record<string, unknown> = {};
        const probe: StackValidationPolicy = {
            name: "probe-stack", description: "records what a stack policy sees", enforcementLevel: "advisory",
            validateStack: (args) => { seen.stack = args.resources.map((r: PolicyResource) => r.props.arn); },
        };
        const r = { ...resource("aws:iam/role:Role", "r", { name: "r" }), outputs: { name: "r", arn: `arn:aws:iam::${ACCOUNT}:role/r` } };
        await runPack([probe, {
            name: "probe-resource", description: "records what a resource policy sees", enforcementLevel: "advisory",
            validateResource: (args) => { seen.resource = args.props.arn; },
        }], [r]);
        assert.deepStrictEqual(seen, { resource: undefined, stack: [`arn:aws:iam::${ACCOUNT}:role/r`] });
    });
});

describe("boundaries are judged as boundaries", () => {
    it("exempts a boundary written as Allow NotAction iam:* from wildcard actions", async () => {
        const vs = await violationsOf(WILDCARD_ACTIONS, [
            resource("aws:iam/policy:Policy", "bnd", { name: "bnd", arn: `arn:aws:iam::${ACCOUNT}:policy/bnd`, policy: json({ Effect: "Allow", NotAction: ["iam:*"], Resource: "*" }) }),
            role("r10", { permissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/bnd` }),
        ]);
        assert.deepStrictEqual(messages(vs), []);
    });
    it("still flags the same document when it is attached as a grant", async () => {
        const vs = await violationsOf(WILDCARD_ACTIONS, [
            resource("aws:iam/policy:Policy", "bnd", { name: "bnd", arn: `arn:aws:iam::${ACCOUNT}:policy/bnd`, policy: json({ Effect: "Allow", NotAction: ["iam:*"], Resource: "*" }) }),
            role("r10", { managedPolicyArns: [`arn:aws:iam::${ACCOUNT}:policy/bnd`] }),
        ]);
        assert.strictEqual(vs.length, 1);
    });
    it("flags a role bounded by AdministratorAccess", async () => {
        const vs = await violationsOf("aws-iam-principal-disallow-permissive-boundary", [role("admin", { permissionsBoundary: "arn:aws:iam::aws:policy/AdministratorAccess" })]);
        assert.strictEqual(vs.length, 1);
        assert.match(vs[0].message, /role 'admin' is bounded by AWS managed policy AdministratorAccess, which allows/);
    });
});
