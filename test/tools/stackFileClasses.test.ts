// `check` on stack files as they come from real stacks: deployed state after a refresh, secrets, resources read with
// .get(), local-backend checkpoints, byte-order marks, empty stacks, preview "same" steps and binary junk. Each class
// is tried in several variants; files are written to a temporary folder and checked in process.

import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../tools/check";
import { Report } from "../../tools/lib/report";
import { collectingIo, isOneCleanLine } from "./support";

/** A C0 control character other than tab and newline, or DEL: what a message must never echo (checked by code, not a regex of control characters). */
const hasControlChar = (s: string) => [...s].some((c) => {
    const code = c.charCodeAt(0);
    return code <= 0x08 || (code >= 0x0b && code <= 0x1f) || code === 0x7f;
});

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const ACCOUNT = "123456789012";
const PROVIDER_URN = "urn:pulumi:dev::p::pulumi:providers:aws::default";
const PROVIDER = `${PROVIDER_URN}::0b1c2d3e-0000-4000-8000-000000000001`;
const urn = (type: string, name: string) => `urn:pulumi:dev::p::${type}::${name}`;

const doc = (statement: object) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
const SAFE_TRUST = doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } } });
const PUBLIC_TRUST = doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" });
const SAFE_BUCKET_POLICY = doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "s3:GetObject", Resource: "arn:aws:s3:::b-1/*" });
const PUBLIC_BUCKET_POLICY = doc({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b-1/*" });
const PUBLIC_QUEUE_POLICY = doc({ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "*" });
const SAFE_QUEUE_POLICY = doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "sqs:SendMessage", Resource: "*" });
const FLAGS = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };

interface State {
    urn: string;
    type: string;
    custom?: boolean;
    external?: boolean;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    provider?: string;
}

const stack = (): State => ({ urn: urn("pulumi:pulumi:Stack", "p-dev"), type: "pulumi:pulumi:Stack", custom: false, inputs: {}, outputs: {} });
const provider = (): State => ({ urn: PROVIDER_URN, type: "pulumi:providers:aws", custom: true, inputs: { region: "eu-west-1" }, outputs: { region: "eu-west-1" } });
const state = (type: string, name: string, inputs: Record<string, unknown>, outputs?: Record<string, unknown>, extra: Partial<State> = {}): State =>
    ({ urn: urn(type, name), type, custom: true, inputs, ...(outputs ? { outputs } : {}), provider: PROVIDER, ...extra });
const role = (name: string, trust: unknown, outputTrust?: unknown) =>
    state("aws:iam/role:Role", name, { name, assumeRolePolicy: trust, permissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/b` },
        outputTrust === undefined ? undefined : { name, arn: `arn:aws:iam::${ACCOUNT}:role/${name}`, assumeRolePolicy: outputTrust, permissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/b` });
const bucketPolicy = (name: string, policy: unknown, outputPolicy?: unknown) =>
    state("aws:s3/bucketPolicy:BucketPolicy", name, { bucket: "b-1", policy }, outputPolicy === undefined ? undefined : { bucket: "b-1", id: "b-1", policy: outputPolicy });
const queuePolicy = (name: string, policy: unknown, outputPolicy?: unknown) =>
    state("aws:sqs/queuePolicy:QueuePolicy", name, { queueUrl: "https://q", policy }, outputPolicy === undefined ? undefined : { queueUrl: "https://q", policy: outputPolicy });

const exportOf = (...resources: State[]) => ({ version: 3, deployment: { manifest: { time: "t", magic: "m", version: "v3" }, resources: [stack(), provider(), ...resources] } });
const checkpointOf = (...resources: State[]) => ({ version: 3, checkpoint: { stack: "organization/p/dev", latest: exportOf(...resources).deployment } });
const previewOf = (...steps: object[]) => ({ steps: [{ op: "same", urn: stack().urn, newState: stack() }, ...steps] });

let dir: string;
let count = 0;
function write(content: unknown): string {
    const file = path.join(dir, `f${count++}.json`);
    fs.writeFileSync(file, Buffer.isBuffer(content) ? content : typeof content === "string" ? content : JSON.stringify(content));
    return file;
}

async function check(content: unknown, ...flags: string[]) {
    const io = collectingIo();
    const code = await main([write(content), "--json", ...flags], io);
    const report: Report | undefined = code < 2 && io.out ? JSON.parse(io.out) : undefined;
    return { code, report, stderr: io.err };
}

const mandatory = (r: Report | undefined) => (r?.violations ?? []).filter((v) => v.enforcementLevel === "mandatory").map((v) => `${v.policy} ${v.name}`);
const ofPolicy = (r: Report | undefined, policy: string) => (r?.violations ?? []).filter((v) => v.policy === policy);

before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "check-classes-"));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("check judges what is deployed", () => {
    const variants: [string, State, string][] = [
        ["a trust policy opened after a refresh", role("r", SAFE_TRUST, PUBLIC_TRUST), "aws-iam-role-trust-disallow-any-principal r"],
        ["a bucket policy opened after a refresh", bucketPolicy("bp", SAFE_BUCKET_POLICY, PUBLIC_BUCKET_POLICY), "aws-s3-bucket-policy-disallow-public-principal bp"],
        ["a queue policy opened after a refresh", queuePolicy("qp", SAFE_QUEUE_POLICY, PUBLIC_QUEUE_POLICY), "aws-iam-resource-policy-disallow-public-principal qp"],
        ["a policy document only in the outputs (an import)", queuePolicy("qp2", undefined, PUBLIC_QUEUE_POLICY), "aws-iam-resource-policy-disallow-public-principal qp2"],
    ];
    for (const [what, resource, violation] of variants) {
        it(`fails an export with ${what}`, async () => {
            const { code, report } = await check(exportOf(resource));
            assert.strictEqual(code, 1);
            assert.ok(mandatory(report).includes(violation), mandatory(report).join("; "));
        });
        it(`fails a local-backend checkpoint with ${what}`, async () => {
            const { code, report } = await check(checkpointOf(resource));
            assert.strictEqual(code, 1);
            assert.ok(mandatory(report).includes(violation), mandatory(report).join("; "));
        });
    }

    it("fails an export whose public access block was loosened after deployment (a stack policy)", async () => {
        const bucket = state("aws:s3/bucketV2:BucketV2", "b", { bucket: "b-1" }, { bucket: "b-1", id: "b-1", arn: "arn:aws:s3:::b-1" });
        const block = state("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "b-pab", { bucket: "b-1", ...FLAGS },
            { bucket: "b-1", id: "b-1", ...FLAGS, restrictPublicBuckets: false, blockPublicPolicy: false });
        const { code, report } = await check(exportOf(bucket, block));
        assert.strictEqual(code, 1);
        assert.match(ofPolicy(report, "aws-s3-bucket-require-public-access-block")[0].message, /does not set blockPublicPolicy, restrictPublicBuckets to true/);
    });

    it("passes an export whose outputs were fixed (the deployed policy is safe) though the inputs were not", async () => {
        const { code, report } = await check(exportOf(role("r", PUBLIC_TRUST, SAFE_TRUST), queuePolicy("q", PUBLIC_QUEUE_POLICY, SAFE_QUEUE_POLICY)));
        assert.deepStrictEqual(mandatory(report), []);
        assert.strictEqual(code, 0);
    });

    it("judges a preview's new inputs, whatever the old outputs were", async () => {
        const { code, report } = await check(previewOf(
            { op: "update", oldState: role("r", SAFE_TRUST, SAFE_TRUST), newState: role("r", PUBLIC_TRUST, SAFE_TRUST) },
            { op: "create", newState: queuePolicy("q", PUBLIC_QUEUE_POLICY) },
        ));
        assert.strictEqual(code, 1);
        assert.deepStrictEqual(mandatory(report).sort(), ["aws-iam-resource-policy-disallow-public-principal q", "aws-iam-role-trust-disallow-any-principal r"]);
    });

    it("keeps a preview \"same\" step that carries only its old state", async () => {
        const bucket = state("aws:s3/bucketV2:BucketV2", "b", { bucket: "b-1" }, { bucket: "b-1", id: "b-1" });
        const block = state("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "b-pab", { bucket: "b-1", ...FLAGS }, { bucket: "b-1", id: "b-1", ...FLAGS });
        const { code, report } = await check(previewOf({ op: "same", oldState: bucket }, { op: "same", oldState: block }));
        assert.strictEqual(code, 0);
        assert.deepStrictEqual(ofPolicy(report, "aws-s3-bucket-require-public-access-block"), [], "the block is found");
        assert.ok(ofPolicy(report, "aws-s3-bucket-require-versioning").some((v) => v.name === "b"), "the bucket is judged");
    });

    it("gives stack policies a preview \"same\" step's old outputs, which the step itself does not carry", async () => {
        const bucket = (outputs?: object) => state("aws:s3/bucketV2:BucketV2", "b", { bucket: "b-1" }, outputs as Record<string, unknown>);
        const block = state("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "b-pab", { bucket: "b-1", ...FLAGS });
        const { code, report } = await check(previewOf(
            { op: "same", oldState: bucket({ bucket: "b-1", id: "b-1", arn: "arn:aws:s3:::b-1", versioning: { enabled: true, mfaDelete: false } }), newState: bucket() },
            { op: "same", oldState: { ...block, outputs: { bucket: "b-1", id: "b-1", ...FLAGS } }, newState: block },
        ));
        assert.strictEqual(code, 0);
        assert.deepStrictEqual(ofPolicy(report, "aws-s3-bucket-require-versioning"), [], "the old outputs say versioning is on");
    });
});

describe("check reads secrets as secrets, not as preview unknowns", () => {
    const cipher = { [SIG]: SECRET, ciphertext: "AAABAHNlY3JldA==" };
    const variants: [string, () => object][] = [
        ["an export's ciphertext trust policy", () => exportOf(role("r", cipher, cipher))],
        ["an export's ciphertext bucket policy", () => exportOf(bucketPolicy("r", cipher, cipher))],
        ["a checkpoint's ciphertext queue policy", () => checkpointOf(queuePolicy("r", cipher))],
        ["a preview's \"[secret]\" queue policy", () => previewOf({ op: "create", newState: queuePolicy("r", "[secret]") })],
        ["a preview's object policy with a secret inside", () => previewOf({ op: "create", newState: queuePolicy("r", { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "[secret]" }, Action: "sqs:SendMessage", Resource: "*" }] }) })],
        ["an export's ciphertext inline policies", () => exportOf(state("aws:iam/role:Role", "r", { assumeRolePolicy: SAFE_TRUST, permissionsBoundary: "arn:aws:iam::1:policy/b", inlinePolicies: cipher }))],
    ];
    for (const [what, file] of variants) {
        it(`reports ${what} as unreadable: advisory by default, mandatory with --strict or the pack config`, async () => {
            const plain = await check(file());
            assert.strictEqual(plain.code, 0, plain.stderr);
            const unreadable = ofPolicy(plain.report, "aws-iam-policy-require-readable-document");
            assert.deepStrictEqual(unreadable.map((v) => `${v.enforcementLevel} ${v.name}`), ["advisory r"]);
            assert.match(unreadable[0].message, /is a secret the pack cannot read/);
            assert.ok(!plain.report!.violations.some((v) => /during preview|cannot be verified until/.test(v.message)), "not a preview unknown");
            assert.ok(!plain.report!.violations.some((v) => /cannot be read as an IAM policy/.test(v.message)), "not a parse error");

            const strict = await check(file(), "--strict");
            assert.strictEqual(strict.code, 1);
            assert.deepStrictEqual(mandatory(strict.report), ["aws-iam-policy-require-readable-document r"]);

            const config = write({ "aws-iam-policy-require-readable-document": "mandatory" });
            const configured = await check(file(), "--policy-pack-config", config);
            assert.strictEqual(configured.code, 1);
        });
    }

    it("reads a plaintext secret and judges it", async () => {
        const plaintext = { [SIG]: SECRET, plaintext: JSON.stringify(PUBLIC_QUEUE_POLICY) };
        const { code, report } = await check(exportOf(queuePolicy("q", plaintext, plaintext)));
        assert.strictEqual(code, 1);
        assert.deepStrictEqual(mandatory(report), ["aws-iam-resource-policy-disallow-public-principal q"]);
    });
});

describe("check leaves out resources read with .get()", () => {
    const external = { external: true };
    it("does not hold an external bucket, role or queue policy to the stack's rules (export)", async () => {
        const { code, report } = await check(exportOf(
            state("aws:s3/bucketV2:BucketV2", "shared", { bucket: "shared" }, { bucket: "shared", acl: "public-read", website: { indexDocument: "i.html" } }, external),
            role("legacy", PUBLIC_TRUST, PUBLIC_TRUST) && { ...role("legacy", PUBLIC_TRUST, PUBLIC_TRUST), ...external },
            { ...queuePolicy("theirs", PUBLIC_QUEUE_POLICY, PUBLIC_QUEUE_POLICY), ...external },
            queuePolicy("ours", SAFE_QUEUE_POLICY, SAFE_QUEUE_POLICY),
        ));
        assert.strictEqual(code, 0, mandatory(report).join("; "));
        assert.ok(!JSON.stringify(report).includes("shared"), "the read bucket is not judged");
    });
    it("does not judge a preview's read steps, nor a new state marked external", async () => {
        const { code, report } = await check(previewOf(
            { op: "read", newState: { ...role("legacy", PUBLIC_TRUST), external: true } },
            { op: "refresh", newState: { ...state("aws:s3/bucketV2:BucketV2", "shared", { bucket: "shared", acl: "public-read" }), external: true } },
            { op: "create", newState: queuePolicy("ours", SAFE_QUEUE_POLICY) },
        ));
        assert.strictEqual(code, 0, mandatory(report).join("; "));
    });
    it("still judges the stack's own resources next to read ones", async () => {
        const { code, report } = await check(exportOf({ ...role("legacy", PUBLIC_TRUST, PUBLIC_TRUST), external: true }, role("ours", PUBLIC_TRUST, PUBLIC_TRUST)));
        assert.strictEqual(code, 1);
        assert.deepStrictEqual(mandatory(report), ["aws-iam-role-trust-disallow-any-principal ours"]);
    });
});

describe("check on files as they come", () => {
    it("accepts a UTF-8 byte-order mark on an export, a checkpoint and a preview", async () => {
        for (const content of [exportOf(queuePolicy("q", SAFE_QUEUE_POLICY)), checkpointOf(queuePolicy("q", SAFE_QUEUE_POLICY)), previewOf({ op: "create", newState: queuePolicy("q", SAFE_QUEUE_POLICY) })]) {
            const { code, stderr } = await check("\uFEFF" + JSON.stringify(content, null, 2));
            assert.strictEqual(code, 0, stderr);
        }
    });

    it("reads UTF-16 with a byte-order mark, as Windows PowerShell writes a redirect", async () => {
        const text = JSON.stringify(exportOf(queuePolicy("q", PUBLIC_QUEUE_POLICY)));
        const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
        const be = Buffer.from(le);
        be.subarray(2).swap16();
        be[0] = 0xfe;
        be[1] = 0xff;
        for (const bytes of [le, be]) {
            const { code, report, stderr } = await check(bytes);
            assert.strictEqual(code, 1, stderr);
            assert.deepStrictEqual(mandatory(report), ["aws-iam-resource-policy-disallow-public-principal q"]);
        }
    });

    const empty: [string, unknown][] = [
        ["an export with no resources", { version: 3, deployment: { resources: [] } }],
        ["an export without a resources list", { version: 3, deployment: { manifest: {} } }],
        ["an export with only the stack and its provider", exportOf()],
        ["a checkpoint never deployed", { version: 3, checkpoint: { stack: "organization/p/dev", latest: null } }],
        ["a checkpoint with only the stack", checkpointOf()],
        ["a preview with no steps", { steps: [] }],
        ["a preview that only deletes", { steps: [{ op: "delete", oldState: queuePolicy("q", SAFE_QUEUE_POLICY) }] }],
        ["an export whose only resource is read with .get()", exportOf({ ...queuePolicy("q", SAFE_QUEUE_POLICY), external: true })],
        ["an export with only components", exportOf({ urn: urn("my:app:Component", "c"), type: "my:app:Component", custom: false, inputs: {}, outputs: { arn: "x" } })],
        ["a preview whose only step reads", previewOf({ op: "read", newState: { ...queuePolicy("q", SAFE_QUEUE_POLICY), external: true } })],
    ];
    for (const [what, content] of empty) {
        it(`says "nothing to check" (exit 2), not a pass, for ${what}`, async () => {
            const { code, report, stderr } = await check(content);
            assert.strictEqual(code, 2);
            assert.strictEqual(report, undefined);
            assert.match(stderr, /nothing to check/);
            assert.ok(isOneCleanLine(stderr), stderr);
        });
    }

    const junk: [string, Buffer][] = [
        ["NUL bytes", Buffer.from([0x7b, 0x00, 0x01, 0x02, 0x53, 0x45, 0x43, 0x52, 0x45, 0x54, 0x7d])],
        ["invalid UTF-8", Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d])],
        ["a gzip header", Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x53, 0x45, 0x43, 0x52, 0x45, 0x54])],
        ["escape sequences in text", Buffer.from("\x1b[31mSECRET\x1b]0;title\x07 not json")],
        ["a long text that is not JSON", Buffer.from(`SECRET ${"x".repeat(5000)}`)],
        ["JSON with junk after it", Buffer.from(`{"steps": []} SECRET\x1b[2J`)],
    ];
    for (const [what, bytes] of junk) {
        it(`exits 2 without echoing ${what}`, async () => {
            const { code, stderr } = await check(bytes);
            assert.strictEqual(code, 2);
            assert.ok(isOneCleanLine(stderr), stderr);
            assert.ok(!stderr.includes("SECRET") && !hasControlChar(stderr.replace(/\n$/, "")), JSON.stringify(stderr));
        });
    }

    it("reads a deployment version 4 export and checkpoint (features such as taint or byte strings)", async () => {
        const bytes = { [SIG]: "803fd3297a5875dc03ca845dda5d2a98", value: Buffer.from([0xff, 0xfe, 0x41]).toString("base64") };
        const nan = { [SIG]: "8ad145fe-0d11-4827-bfd7-1abcbf086f5c", value: "7ff8000000000000" };
        const resources = [queuePolicy("q", PUBLIC_QUEUE_POLICY, PUBLIC_QUEUE_POLICY), state("aws:sqs/queue:Queue", "odd", { name: bytes, delaySeconds: nan })];
        const v4 = { ...exportOf(...resources), version: 4, features: ["taint", "byteString"] };
        const cp = { version: 4, features: ["byteString"], checkpoint: { stack: "organization/p/dev", latest: v4.deployment } };
        for (const content of [v4, cp]) {
            const { code, report, stderr } = await check(content);
            assert.strictEqual(code, 1, stderr);
            assert.deepStrictEqual(mandatory(report), ["aws-iam-resource-policy-disallow-public-principal q"]);
        }
    });

    it("judges a replaced resource once, though the preview shows it in two steps", async () => {
        const replaced = queuePolicy("q", PUBLIC_QUEUE_POLICY);
        const { report } = await check(previewOf(
            { op: "create-replacement", oldState: queuePolicy("q", SAFE_QUEUE_POLICY), newState: replaced },
            { op: "replace", oldState: queuePolicy("q", SAFE_QUEUE_POLICY), newState: replaced },
            { op: "delete-replaced", oldState: queuePolicy("q", SAFE_QUEUE_POLICY) },
        ));
        assert.deepStrictEqual(mandatory(report), ["aws-iam-resource-policy-disallow-public-principal q"]);
    });

    it("names an odd special value without echoing it raw", async () => {
        const { code, stderr } = await check(exportOf(queuePolicy("q", { [SIG]: "\x1b[2J\u0000SECRET-SIGNATURE-THAT-GOES-ON-AND-ON-AND-ON" })));
        assert.strictEqual(code, 2);
        assert.ok(isOneCleanLine(stderr), stderr);
        assert.ok(!hasControlChar(stderr.trimEnd()) && !stderr.includes("ON-AND-ON-AND-ON"), JSON.stringify(stderr));
    });
});
