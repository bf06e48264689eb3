// Where the pack finds each resource's IAM documents (policypack/lib/iamDocumentSources.ts): the statement a flat
// permission resource reads as, the property each document is read from, and what is skipped, unknown or unreadable.

import * as assert from "assert";
import { IamDocument, IamStatement, readIamDocument } from "../../policypack/lib/iamDocument";
import { FoundDocument, readResourceDocuments, unknownElements } from "../../policypack/lib/iamDocumentSources";
import { unknownCheckingProxy } from "../../policypack/lib/policyInternals";
import { PackViolation } from "../../tools/lib/packRunner";
import { ACCOUNT, UNKNOWN, allow, doc, json, resource, role, violationsOf } from "./support";

const PUBLIC = "aws-iam-resource-policy-disallow-public-principal";
const DEPUTY = "aws-lambda-permission-require-source-condition";
const READABLE = "aws-iam-policy-require-readable-document";
const TRUST = "aws-iam-role-trust-disallow-any-principal";
const LAMBDA = "aws:lambda/permission:Permission";
const LAYER = "aws:lambda/layerVersionPermission:LayerVersionPermission";
const EVENTS = "aws:cloudwatch/eventPermission:EventPermission";
const ORG = "o-a1b2c3d4e5";
const PENDING = "cannot be verified until the value is known (it is checked in full when known, e.g. on `pulumi up`)";

/** An advisory's message after the engine's preamble (`can't run policy '<name>' from policy pack '<pack>' during preview: `). */
function unverified(v: PackViolation): string {
    const preamble = new RegExp(`^can't run policy '${v.policy}' from policy pack '[^']+' during preview: `);
    assert.match(v.message, preamble);
    return `${v.enforcementLevel} ${v.name}: ${v.message.replace(preamble, "")}`;
}

/** What readResourceDocuments found on props as the policy server hands them over (unknowns throw when read). */
function read(type: string, props: Record<string, unknown>) {
    const unknown: string[] = [];
    const unreadable: string[] = [];
    const found = readResourceDocuments(type, unknownCheckingProxy(props), (p) => unknown.push(p), (p) => unreadable.push(p));
    return { found, unknown, unreadable };
}

function readable(f: FoundDocument): IamDocument {
    assert.ok(!("error" in f.doc), `${f.property}: ${JSON.stringify(f.doc)}`);
    return f.doc as IamDocument;
}

/** The one statement a permission resource reads as, in the fields the policies judge. */
function permissionStatement(type: string, props: Record<string, unknown>) {
    const { found, unknown } = read(type, props);
    assert.deepStrictEqual(unknown, []);
    assert.deepStrictEqual(found.map((f) => [f.kind, f.property, f.principalIsScopedElsewhere]), [["resource", "(permission)", false]]);
    const d = readable(found[0]);
    assert.strictEqual(d.statements.length, 1);
    const s = d.statements[0];
    return { effect: s.effect, principal: s.principal, action: s.action, resource: s.resource, conditions: s.conditions, unknownParts: d.unknownParts };
}

const aws = (...arns: string[]) => ({ anyone: arns.includes("*"), aws: arns, service: [], federated: [], canonicalUser: [] });
const service = (name: string) => ({ anyone: false, aws: [], service: [name], federated: [], canonicalUser: [] });
const lambdaPermission = (props: Record<string, unknown>) => ({ action: "lambda:InvokeFunction", function: "worker", ...props });

describe("a Lambda permission reads as the one statement it adds to the function's resource policy", () => {
    it("maps sourceArn, sourceAccount, principalOrgId and functionUrlAuthType to the conditions Lambda writes", () => {
        assert.deepStrictEqual(permissionStatement(LAMBDA, lambdaPermission({
            principal: "s3.amazonaws.com", sourceArn: "arn:aws:s3:::uploads", sourceAccount: ACCOUNT, principalOrgId: ORG, functionUrlAuthType: "AWS_IAM",
        })), {
            effect: "Allow", principal: service("s3.amazonaws.com"), action: ["lambda:InvokeFunction"], resource: ["worker"],
            conditions: [
                { operator: "ArnLike", key: "aws:sourcearn", values: ["arn:aws:s3:::uploads"] },
                { operator: "StringEquals", key: "aws:sourceaccount", values: [ACCOUNT] },
                { operator: "StringEquals", key: "aws:principalorgid", values: [ORG] },
                { operator: "StringEquals", key: "lambda:functionurlauthtype", values: ["AWS_IAM"] },
            ],
            unknownParts: [],
        });
    });

    it("maps a layer permission's organizationId to aws:PrincipalOrgID on the layer", () => {
        const layer = `arn:aws:lambda:eu-west-1:${ACCOUNT}:layer:shared`;
        assert.deepStrictEqual(permissionStatement(LAYER, { action: "lambda:GetLayerVersion", layerName: layer, versionNumber: 1, principal: "*", organizationId: ORG }), {
            effect: "Allow", principal: aws("*"), action: ["lambda:GetLayerVersion"], resource: [layer],
            conditions: [{ operator: "StringEquals", key: "aws:principalorgid", values: [ORG] }],
            unknownParts: [],
        });
    });

    it("reads an account id or an ARN (even one with a dot) as an AWS principal and a dotted name as a service", () => {
        const principal = (p: unknown) => permissionStatement(LAMBDA, lambdaPermission({ principal: p })).principal;
        assert.deepStrictEqual(principal(ACCOUNT), aws(ACCOUNT));
        assert.deepStrictEqual(principal(`arn:aws:iam::${ACCOUNT}:role/ci.deploy`), aws(`arn:aws:iam::${ACCOUNT}:role/ci.deploy`));
        assert.deepStrictEqual(principal("events.amazonaws.com"), service("events.amazonaws.com"));
        assert.deepStrictEqual(principal("*"), aws("*"));
        assert.strictEqual(principal(undefined), undefined);
    });

    it("adds no condition for a source left empty or null, so principal * stays public", async () => {
        assert.deepStrictEqual(permissionStatement(LAMBDA, lambdaPermission({ principal: "*", sourceArn: "", sourceAccount: null })).conditions, []);
        const vs = await violationsOf(PUBLIC, [resource(LAMBDA, "blank", lambdaPermission({ principal: "*", sourceArn: "", sourceAccount: null }))]);
        assert.deepStrictEqual(vs.map((v) => [v.enforcementLevel, v.message.slice(0, 70)]),
            [["mandatory", "Permission 'blank' statement 0 allows Principal \"*\" (any AWS account, "]]);
    });

    it("names the unknown principal during preview, and judges nothing until it is known", async () => {
        assert.deepStrictEqual(permissionStatement(LAMBDA, lambdaPermission({ principal: UNKNOWN })).unknownParts, ["Statement[0].Principal"]);
        const vs = await violationsOf(DEPUTY, [resource(LAMBDA, "p", lambdaPermission({ principal: UNKNOWN }))]);
        assert.deepStrictEqual(vs.map(unverified), [`advisory p: \`(permission) Statement[0].Principal\` ${PENDING}`]);
    });

    it("lets sourceAccount alone pin an S3 service principal, and flags it without", async () => {
        const vs = await violationsOf(DEPUTY, [
            resource(LAMBDA, "pinned", lambdaPermission({ principal: "s3.amazonaws.com", sourceAccount: ACCOUNT })),
            resource(LAMBDA, "open", lambdaPermission({ principal: "s3.amazonaws.com", sourceAccount: "" })),
        ]);
        assert.deepStrictEqual(vs.map((v) => `${v.name}: ${v.message}`), ["open: Permission 'open' statement 0 lets s3.amazonaws.com invoke the function on " +
            "behalf of any account's resources: set `sourceArn` to the calling resource's ARN (with its account) or `sourceAccount` to the account id."]);
    });
});

describe("an EventBridge permission reads as the one statement it adds to the bus policy", () => {
    it("defaults to events:PutEvents on the default bus, without a condition", () => {
        assert.deepStrictEqual(permissionStatement(EVENTS, { principal: ACCOUNT, statementId: "s" }), {
            effect: "Allow", principal: aws(ACCOUNT), action: ["events:PutEvents"], resource: ["*"], conditions: [], unknownParts: [],
        });
        assert.deepStrictEqual(permissionStatement(EVENTS, { principal: "*", statementId: "s", condition: null }).conditions, []);
    });

    it("reads the bus and the organisation condition", () => {
        assert.deepStrictEqual(permissionStatement(EVENTS, {
            principal: "*", statementId: "s", action: "events:PutEvents", eventBusName: "orders", condition: { key: "aws:PrincipalOrgID", type: "StringEquals", value: ORG },
        }), {
            effect: "Allow", principal: aws("*"), action: ["events:PutEvents"], resource: ["orders"],
            conditions: [{ operator: "StringEquals", key: "aws:principalorgid", values: [ORG] }], unknownParts: [],
        });
    });

    it("keeps what is unknown during preview: the action, the principal, a condition value, or the whole condition", () => {
        const unknownParts = (props: Record<string, unknown>) => permissionStatement(EVENTS, { principal: "*", statementId: "s", ...props }).unknownParts;
        assert.deepStrictEqual(unknownParts({ action: UNKNOWN }), ["Statement[0].Action"]);
        assert.deepStrictEqual(unknownParts({ principal: UNKNOWN }), ["Statement[0].Principal"]);
        assert.deepStrictEqual(unknownParts({ condition: { key: "aws:PrincipalOrgID", type: "StringEquals", value: UNKNOWN } }),
            ["Statement[0].Condition.StringEquals.aws:PrincipalOrgID"]);
        assert.deepStrictEqual(unknownParts({ condition: { key: UNKNOWN, type: "StringEquals", value: ORG } }), ["Statement[0].Condition"]);
        assert.deepStrictEqual(unknownParts({ condition: { key: "aws:PrincipalOrgID", type: UNKNOWN, value: ORG } }), ["Statement[0].Condition"]);
        assert.deepStrictEqual(unknownParts({ condition: UNKNOWN }), ["Statement[0].Condition"]);
    });

    it("leaves principal * with an unknown condition unverified instead of public", async () => {
        const vs = await violationsOf(PUBLIC, [resource(EVENTS, "ep", { principal: "*", statementId: "s", condition: UNKNOWN })]);
        assert.deepStrictEqual(vs.map(unverified), [`advisory ep: \`(permission) Statement[0].Condition\` ${PENDING}`]);
    });
});

describe("documents are read from the property that holds them", () => {
    const policy = json(allow("s3:GetObject"));

    it("reads a role's trust policy and each inline policy by its index, skipping entries without a policy", () => {
        const { found, unknown, unreadable } = read("aws:iam/role:Role", {
            assumeRolePolicy: policy, inlinePolicies: [{ name: "a", policy }, { name: "b" }, null, { name: "d", policy }],
        });
        assert.deepStrictEqual(found.map((f) => [f.kind, f.property]), [["trust", "assumeRolePolicy"], ["identity", "inlinePolicies[0].policy"], ["identity", "inlinePolicies[3].policy"]]);
        assert.deepStrictEqual([unknown, unreadable], [[], []]);
    });

    it("notes inline policies that are unknown during preview, and reports them when they are an unreadable secret", async () => {
        assert.deepStrictEqual(read("aws:iam/role:Role", { assumeRolePolicy: policy, inlinePolicies: UNKNOWN }).unknown, ["inlinePolicies"]);
        assert.deepStrictEqual(read("aws:iam/role:Role", { assumeRolePolicy: policy, inlinePolicies: "[secret]" }).unreadable, ["inlinePolicies"]);
        const vs = await violationsOf(READABLE, [role("r", { inlinePolicies: "[secret]" })]);
        assert.deepStrictEqual(vs.map((v) => v.message), ["Role 'r' inlinePolicies is a secret the pack cannot read, so no policy judged it: export with " +
            "`pulumi stack export --show-secrets`, or keep IAM documents out of secrets."]);
    });

    it("reads a document inside a nested block by its path, and none when the block is absent or null", () => {
        const type = "aws:s3control/multiRegionAccessPointPolicy:MultiRegionAccessPointPolicy";
        assert.deepStrictEqual(read(type, { details: { name: "mrap", policy } }).found.map((f) => [f.kind, f.property]), [["resource", "details.policy"]]);
        assert.deepStrictEqual(read(type, {}).found, []);
        assert.deepStrictEqual(read(type, { details: null }).found, []);
    });

    it("reads no document from an empty or null policy, nor from a type that carries none", () => {
        for (const props of [{ policy: "" }, { policy: null }, {}]) {
            assert.deepStrictEqual(read("aws:sqs/queue:Queue", props), { found: [], unknown: [], unreadable: [] }, JSON.stringify(props));
        }
        assert.deepStrictEqual(read("aws:dynamodb/table:Table", { policy }), { found: [], unknown: [], unreadable: [] });
    });

    it("reports a document with a secret inside as unreadable, and judges nothing in it", async () => {
        const secretInside = doc({ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "*", Condition: { StringEquals: { "aws:SourceAccount": ["[secret]"] } } });
        assert.deepStrictEqual(read("aws:sqs/queue:Queue", { policy: secretInside }), { found: [], unknown: [], unreadable: ["policy"] });
        assert.deepStrictEqual(read("aws:sqs/queue:Queue", { policy: "[secret]" }), { found: [], unknown: [], unreadable: ["policy"] });
        const q = resource("aws:sqs/queue:Queue", "q", { policy: secretInside });
        assert.deepStrictEqual((await violationsOf(READABLE, [q])).map((v) => v.message), ["Queue 'q' policy is a secret the pack cannot read, so no policy " +
            "judged it: export with `pulumi stack export --show-secrets`, or keep IAM documents out of secrets."]);
        assert.deepStrictEqual(await violationsOf(PUBLIC, [q]), []);
    });

    it("reads an object document without a secret, null members included", () => {
        const open = doc({ Sid: null, Effect: "Allow", Principal: { AWS: ["*"] }, Action: ["sqs:SendMessage"], Resource: "*" });
        const { found, unreadable } = read("aws:sqs/queue:Queue", { policy: open });
        assert.deepStrictEqual(unreadable, []);
        assert.deepStrictEqual(found.map((f) => readable(f).statements.map((s) => [s.sid, s.principal?.anyone, s.action])), [[[undefined, true, ["sqs:SendMessage"]]]]);
    });
});

describe("a policy sees the unknown parts of a document it needs, and only the documents of its kinds", () => {
    // Statement 0's Resource, all of statement 1, and statement 10's principal and condition are unknown.
    const known = (i: number) => ({ Sid: `S${i}`, Effect: "Allow", Principal: { AWS: ACCOUNT }, Action: "sqs:SendMessage", Resource: "*" });
    const statements = [{ ...known(0), Resource: UNKNOWN }, UNKNOWN as unknown as object, ...[2, 3, 4, 5, 6, 7, 8, 9].map(known),
        { ...known(10), Principal: { AWS: [UNKNOWN] }, Condition: { StringEquals: { "aws:SourceAccount": UNKNOWN } } }];
    const d = readIamDocument(doc(...statements)) as IamDocument;

    it("keeps the parts of the elements asked for, and a whole unknown statement or list for any element", () => {
        assert.deepStrictEqual(unknownElements(d, undefined, ["Principal", "Condition"]),
            ["Statement[1]", "Statement[10].Principal.AWS[0]", "Statement[10].Condition.StringEquals.aws:SourceAccount"]);
        assert.deepStrictEqual(unknownElements(d, undefined, ["Resource"]), ["Statement[0].Resource", "Statement[1]"]);
        assert.deepStrictEqual(unknownElements(d, d.statements[10] as IamStatement, ["Condition"]), ["Statement[10].Condition.StringEquals.aws:SourceAccount"]);
        const wholeList = readIamDocument({ Version: "2012-10-17", Statement: UNKNOWN }) as IamDocument;
        assert.deepStrictEqual(unknownElements(wholeList, undefined, ["Action"]), ["Statement"]);
    });

    it("notes each needed unknown part with the property it is in, and a whole unknown document by its property", async () => {
        const vs = await violationsOf(PUBLIC, [
            resource("aws:sqs/queuePolicy:QueuePolicy", "parts", { queueUrl: "u", policy: doc(...statements) }),
            resource("aws:sqs/queuePolicy:QueuePolicy", "whole", { queueUrl: "u", policy: UNKNOWN }),
        ]);
        assert.deepStrictEqual(vs.map(unverified), [
            `advisory parts: \`policy Statement[1]\`, \`policy Statement[10].Principal.AWS[0]\`, \`policy Statement[10].Condition.StringEquals.aws:SourceAccount\` ${PENDING}`,
            `advisory whole: \`policy\` ${PENDING}`,
        ]);
    });

    it("reports a role's public trust policy once, under the trust rule, not as a resource policy", async () => {
        const r = role("r", { assumeRolePolicy: json({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }) });
        assert.deepStrictEqual(await violationsOf(PUBLIC, [r]), []);
        assert.deepStrictEqual((await violationsOf(TRUST, [r])).map((v) => v.name), ["r"]);
    });
});
