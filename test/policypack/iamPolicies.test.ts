import * as assert from "assert";
import { ACCOUNT, allow, doc, json, messages, resource, role, urnOf, violationsOf } from "./support";

const WILDCARD_ACTIONS = "aws-iam-policy-disallow-wildcard-actions";
const WILDCARD_RESOURCES = "aws-iam-policy-disallow-wildcard-resources";
const UNKNOWN_ACTIONS = "aws-iam-policy-disallow-unknown-actions";
const TRUST = "aws-iam-role-trust-disallow-any-principal";
const BOUNDARY = "aws-iam-role-require-permissions-boundary";
const PS_BOUNDARY = "aws-ssoadmin-permission-set-require-permissions-boundary";

describe("aws-iam-policy-disallow-wildcard-actions", () => {
    const encodings: [string, (statement: object) => ReturnType<typeof resource>][] = [
        ["Policy with a JSON string", (s) => resource("aws:iam/policy:Policy", "p", { policy: json(s) })],
        ["Policy with an object document", (s) => resource("aws:iam/policy:Policy", "p", { policy: doc(s) })],
        ["Policy with a single Statement object", (s) => resource("aws:iam/policy:Policy", "p", { policy: { Version: "2012-10-17", Statement: s } })],
        ["RolePolicy", (s) => resource("aws:iam/rolePolicy:RolePolicy", "p", { role: "r", policy: json(s) })],
        ["UserPolicy", (s) => resource("aws:iam/userPolicy:UserPolicy", "p", { user: "u", policy: json(s) })],
        ["GroupPolicy", (s) => resource("aws:iam/groupPolicy:GroupPolicy", "p", { group: "g", policy: doc(s) })],
        ["Role inline policy", (s) => role("p", { inlinePolicies: [{ name: "i", policy: json(s) }] })],
        ["PermissionSetInlinePolicy", (s) => resource("aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy", "p", { inlinePolicy: json(s), permissionSetArn: "ps", instanceArn: "i" })],
        ["SQS QueuePolicy", (s) => resource("aws:sqs/queuePolicy:QueuePolicy", "p", { queueUrl: "q", policy: json({ ...s, Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/x` } }) })],
    ];
    for (const [what, make] of encodings) {
        it(`flags *, service:* and partial wildcards in ${what}`, async () => {
            for (const action of ["*", "s3:*", "dynamodb:Get*", ["s3:GetObject", "s3:Put?bject"]]) {
                const vs = await violationsOf(WILDCARD_ACTIONS, [make(allow(action))]);
                assert.strictEqual(vs.length, 1, `${JSON.stringify(action)}: ${messages(vs)}`);
                assert.match(vs[0].message, /statement 0 allows `/);
            }
        });
        it(`passes exact actions in ${what}`, async () => {
            assert.deepStrictEqual(await violationsOf(WILDCARD_ACTIONS, [make(allow(["s3:GetObject", "S3:PUTOBJECT"]))]), []);
        });
    }

    it("flags NotAction with Allow, and names the expansion of a partial wildcard", async () => {
        const vs = await violationsOf(WILDCARD_ACTIONS, [resource("aws:iam/policy:Policy", "p", {
            policy: json({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }, { Sid: "Read", ...allow("dynamodb:Get*") }),
        })]);
        assert.strictEqual(vs.length, 2);
        assert.match(vs[0].message, /NotAction with Allow/);
        assert.match(vs[1].message, /statement 1 \(Sid "Read"\) allows `dynamodb:Get\*` \(\d+ actions: .*dynamodb:GetItem/);
    });

    it("allows wildcards in Deny statements and the key policy's delegation to account IAM", async () => {
        const vs = await violationsOf(WILDCARD_ACTIONS, [
            resource("aws:iam/policy:Policy", "deny", { policy: json({ Effect: "Deny", Action: "iam:*", Resource: "*" }) }),
            resource("aws:kms/key:Key", "key", {
                arn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/k-1`,
                policy: json({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }),
            }),
        ]);
        assert.deepStrictEqual(vs, []);
    });
});

describe("aws-iam-policy-disallow-unknown-actions", () => {
    it("flags misspelt actions, unknown services and malformed names with a suggestion", async () => {
        const vs = await violationsOf(UNKNOWN_ACTIONS, [resource("aws:iam/policy:Policy", "p", {
            policy: json(allow(["dynamodb:GetIten", "dynamodbb:GetItem", "s3", "dynamodb:Gte*"]), { Effect: "Deny", Action: "iam:CreatPolicyVersion", Resource: "*" }),
        })]);
        const text = messages(vs).join("\n");
        assert.strictEqual(vs.length, 5, text);
        assert.match(text, /dynamodb:GetIten.*did you mean dynamodb:GetItem/);
        assert.match(text, /"dynamodbb" is not an IAM service prefix \(did you mean "dynamodb"\?\)/);
        assert.match(text, /`s3`, which is not of the form service:Action/);
        assert.match(text, /dynamodb:Gte\*`, which matches no IAM action/);
        assert.match(text, /iam:CreatPolicyVersion.*did you mean iam:CreatePolicyVersion/);
    });

    it("accepts real actions in any case, `*`, and trust-policy actions", async () => {
        const vs = await violationsOf(UNKNOWN_ACTIONS, [
            resource("aws:iam/policy:Policy", "p", { policy: json(allow(["DynamoDB:getitem", "xray:PutTraceSegments", "s3:Get*"]), { Effect: "Deny", Action: "*", Resource: "*" }) }),
            role("r", { assumeRolePolicy: json({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }) }),
        ]);
        assert.deepStrictEqual(messages(vs), []);
    });

    it("reports a document that is not valid JSON", async () => {
        const vs = await violationsOf(UNKNOWN_ACTIONS, [resource("aws:iam/rolePolicy:RolePolicy", "p", { role: "r", policy: "{ \"Statement\": [ }" })]);
        assert.strictEqual(vs.length, 1);
        assert.match(vs[0].message, /cannot be read as an IAM policy: the document is not valid JSON/);
    });
});

describe("aws-iam-policy-disallow-wildcard-resources", () => {
    it("flags Resource * and NotResource for actions with resource-level permissions, in every identity encoding", async () => {
        const vs = await violationsOf(WILDCARD_RESOURCES, [
            resource("aws:iam/policy:Policy", "json", { policy: json(allow("dynamodb:GetItem", "*")) }),
            resource("aws:iam/rolePolicy:RolePolicy", "object", { role: "r", policy: doc(allow(["s3:GetObject"], ["*"])) }),
            role("inline", { inlinePolicies: [{ name: "i", policy: json({ Effect: "Allow", Action: "sqs:SendMessage", NotResource: "arn:aws:sqs:eu-west-1:1:x" }) }] }),
            resource("aws:iam/userPolicy:UserPolicy", "star", { user: "u", policy: json(allow("*", "*")) }),
            resource("aws:iam/groupPolicy:GroupPolicy", "notaction", { group: "g", policy: json({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }) }),
            resource("aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy", "ps", { inlinePolicy: json(allow("dynamodb:Query", "arn:aws:*:*:*:*")), permissionSetArn: "x", instanceArn: "i" }),
        ]);
        assert.deepStrictEqual(vs.map((v) => v.name).sort(), ["inline", "json", "notaction", "object", "ps", "star"]);
        assert.match(vs.find((v) => v.name === "json")!.message, /allows `dynamodb:GetItem` on Resource "\*", but these actions support resource-level permissions/);
    });

    it("allows Resource * for actions that support no resource, Deny statements, and resource ARNs", async () => {
        const vs = await violationsOf(WILDCARD_RESOURCES, [
            resource("aws:iam/policy:Policy", "ok", {
                policy: json(
                    allow(["xray:PutTraceSegments", "xray:PutTelemetryRecords", "ce:GetCostAndUsage", "cloudwatch:GetMetricData", "cloudtrail:LookupEvents", "s3:ListAllMyBuckets"], "*"),
                    { Effect: "Deny", Action: "dynamodb:*", Resource: "*" },
                    allow("dynamodb:GetItem", `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/tickets`),
                ),
            }),
        ]);
        assert.deepStrictEqual(messages(vs), []);
    });

    it("exempts a policy used only as a permissions boundary, linked by propertyDependencies or by value", async () => {
        const boundaryDoc = json(allow(["dynamodb:GetItem", "s3:GetObject"], "*"), { Effect: "Deny", Action: "iam:*", Resource: "*" });
        const byDependency = [
            resource("aws:iam/policy:Policy", "boundary", { name: "boundary-1", policy: boundaryDoc }),
            role("r", { permissionsBoundary: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }, { propertyDependencies: { permissionsBoundary: [urnOf("aws:iam/policy:Policy", "boundary")] } }),
        ];
        assert.deepStrictEqual(await violationsOf(WILDCARD_RESOURCES, byDependency), []);
        const byValue = [
            resource("aws:iam/policy:Policy", "boundary", { name: "boundary-1", arn: `arn:aws:iam::${ACCOUNT}:policy/boundary-1`, policy: boundaryDoc }),
            role("r", { permissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/boundary-1` }),
        ];
        assert.deepStrictEqual(await violationsOf(WILDCARD_RESOURCES, byValue), []);
        // Attached as a grant as well: it grants, so it is checked.
        const alsoAttached = [...byValue, resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "att", { role: "r-abc123", policyArn: `arn:aws:iam::${ACCOUNT}:policy/boundary-1` })];
        assert.strictEqual((await violationsOf(WILDCARD_RESOURCES, alsoAttached)).length, 1);
    });

    it("accepts configured actions on Resource *", async () => {
        const r = [resource("aws:iam/policy:Policy", "p", { policy: json(allow("dynamodb:GetItem", "*")) })];
        assert.deepStrictEqual(await violationsOf(WILDCARD_RESOURCES, r, { [WILDCARD_RESOURCES]: { allowedActions: ["dynamodb:Get*"] } }), []);
    });
});

describe("aws-iam-role-trust-disallow-any-principal", () => {
    const trust = (statement: object) => role("r", { assumeRolePolicy: json({ Effect: "Allow", Action: "sts:AssumeRole", ...statement }) });

    it("flags Principal *, {AWS: *}, account wildcards and NotPrincipal, as string or object", async () => {
        for (const principal of [{ Principal: "*" }, { Principal: { AWS: "*" } }, { Principal: { AWS: ["arn:aws:iam::*:root"] } }, { NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }]) {
            const vs = await violationsOf(TRUST, [trust(principal)]);
            assert.strictEqual(vs.length, 1, JSON.stringify(principal));
            assert.match(vs[0].message, /assumeRolePolicy statement 0 .*any AWS account can assume the role/);
        }
        const objectDoc = role("r", { assumeRolePolicy: doc({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }) });
        assert.strictEqual((await violationsOf(TRUST, [objectDoc])).length, 1);
    });

    it("flags federated trust without an aud/sub condition", async () => {
        const vs = await violationsOf(TRUST, [trust({ Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` }, Action: "sts:AssumeRoleWithWebIdentity" })]);
        assert.strictEqual(vs.length, 1);
        assert.match(vs[0].message, /admits every identity/);
    });

    it("passes named accounts, services, pinned wildcards and scoped federation", async () => {
        const vs = await violationsOf(TRUST, [
            trust({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }),
            trust({ Principal: { AWS: "*" }, Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } } }),
            trust({
                Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
                    StringLike: { "token.actions.githubusercontent.com:sub": "repo:org/repo:*" },
                },
            }),
        ]);
        assert.deepStrictEqual(messages(vs), []);
    });

    it("does not accept conditions that pass when the key is absent", async () => {
        const vs = await violationsOf(TRUST, [trust({ Principal: "*", Condition: { StringEqualsIfExists: { "aws:PrincipalOrgID": "o-abc123" } } })]);
        assert.strictEqual(vs.length, 1);
    });
});

describe("aws-iam-role-require-permissions-boundary", () => {
    it("flags a role without a boundary and passes one with a boundary, known or not yet known", async () => {
        const vs = await violationsOf(BOUNDARY, [
            role("none", { permissionsBoundary: undefined }),
            role("set"),
            role("unknown", { permissionsBoundary: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }),
        ]);
        assert.deepStrictEqual(vs.map((v) => v.name), ["none"]);
        assert.match(vs[0].message, /has no permissionsBoundary/);
    });
});

describe("aws-ssoadmin-permission-set-require-permissions-boundary", () => {
    const ps = (name: string) => resource("aws:ssoadmin/permissionSet:PermissionSet", name, { name, instanceArn: "i", arn: `arn:aws:sso:::permissionSet/ssoins-1/${name}` });
    const attachment = (name: string, props: object, extra = {}) =>
        resource("aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment", name, { instanceArn: "i", permissionsBoundary: { customerManagedPolicyReference: { name: "boundary" } }, ...props }, extra);

    it("flags a permission set without a PermissionsBoundaryAttachment", async () => {
        const vs = await violationsOf(PS_BOUNDARY, [ps("devs"), ps("ops"), attachment("ops-b", { permissionSetArn: "arn:aws:sso:::permissionSet/ssoins-1/ops" })]);
        assert.deepStrictEqual(vs.map((v) => v.name), ["devs"]);
    });

    it("links attachments by propertyDependencies when the ARN is not yet known", async () => {
        const vs = await violationsOf(PS_BOUNDARY, [ps("devs"), attachment("devs-b", { permissionSetArn: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }, {
            propertyDependencies: { permissionSetArn: [urnOf("aws:ssoadmin/permissionSet:PermissionSet", "devs")] },
        })]);
        assert.deepStrictEqual(vs, []);
    });
});
