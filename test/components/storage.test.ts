import { strict as assert } from "node:assert";
import { PrivateBucket } from "../../components/storage/privateBucket";
import { cloudFrontReadViaOac } from "../../components/iam/storageStatements";
import { ProgramFailed, ProgramRun, RecordedResource, runProgram } from "../../tools/mocks/harness";

const BUCKET = "aws:s3/bucket:Bucket";
const POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const DISTRIBUTION_ARN = "arn:aws:cloudfront::123456789012:distribution/EDFDVBD6EXAMPLE";

/** The one resource of `type` configuring `bucket` (by the bucket's physical name). */
function configOf(run: ProgramRun, type: string, bucket: RecordedResource): RecordedResource {
    const found = run.ofType(type).filter((r) => r.inputs.bucket === bucket.id);
    assert.equal(found.length, 1, `expected one ${type} for ${bucket.name}, found ${found.length}`);
    return found[0];
}

const policyOf = (run: ProgramRun, bucket: RecordedResource) => JSON.parse(configOf(run, POLICY, bucket).inputs.policy);

describe("PrivateBucket", () => {
    let run: ProgramRun;
    let plain: RecordedResource;
    let kms: RecordedResource;
    let granted: RecordedResource;
    const KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    before(async () => {
        run = await runProgram({
            program: () => {
                new PrivateBucket("plain", {});
                new PrivateBucket("kms", { kmsKeyArn: KEY, noncurrentVersionExpirationDays: 90 });
                const site = new PrivateBucket("granted", { forceDestroy: true });
                site.attachPolicy([cloudFrontReadViaOac(site.arn, DISTRIBUTION_ARN)]);
            },
        });
        plain = run.named(BUCKET, "plain");
        kms = run.named(BUCKET, "kms");
        granted = run.named(BUCKET, "granted");
    });

    it("blocks every form of public access on every bucket", () => {
        for (const bucket of [plain, kms, granted]) {
            const block = configOf(run, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", bucket);
            for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
                assert.equal(block.inputs[flag], true, `${bucket.name}: ${flag}`);
            }
        }
    });

    it("disables ACLs: the bucket owner owns every object", () => {
        for (const bucket of [plain, kms, granted]) {
            const controls = configOf(run, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", bucket);
            assert.deepEqual(controls.inputs.rule, { objectOwnership: "BucketOwnerEnforced" });
        }
    });

    it("encrypts by default with SSE-S3, or with the given KMS key and a bucket key", () => {
        const rule = (b: RecordedResource) =>
            configOf(run, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", b).inputs.rules[0];
        assert.deepEqual(rule(plain).applyServerSideEncryptionByDefault, { sseAlgorithm: "AES256" });
        assert.deepEqual(rule(kms).applyServerSideEncryptionByDefault, { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY });
        assert.equal(rule(kms).bucketKeyEnabled, true);
        assert.deepEqual(rule(plain).blockedEncryptionTypes, ["SSE-C"]);
    });

    it("versions every bucket and expires noncurrent versions only when asked", () => {
        for (const bucket of [plain, kms, granted]) {
            const versioning = configOf(run, "aws:s3/bucketVersioning:BucketVersioning", bucket);
            assert.equal(versioning.inputs.versioningConfiguration.status, "Enabled");
        }
        const lifecycles = run.ofType("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration");
        assert.deepEqual(lifecycles.map((l) => l.inputs.bucket), [kms.id]);
        assert.equal(lifecycles[0].inputs.rules[0].noncurrentVersionExpiration.noncurrentDays, 90);
        assert.ok(lifecycles[0].dependencies.includes(configOf(run, "aws:s3/bucketVersioning:BucketVersioning", kms).urn));
    });

    it("keeps objects on destroy unless forceDestroy is asked for", () => {
        assert.equal(plain.inputs.forceDestroy, false);
        assert.equal(granted.inputs.forceDestroy, true);
    });

    it("gives a bucket nobody grants on a TLS-only policy of its own", () => {
        for (const bucket of [plain, kms]) {
            const doc = policyOf(run, bucket);
            assert.equal(doc.Statement.length, 1);
            assert.deepEqual(doc.Statement[0], {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: ["s3:*"],
                Resource: [bucket.outputs.arn, `${bucket.outputs.arn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            });
        }
    });

    it("puts the TLS-only deny first in an attached policy, followed by the caller's statements", () => {
        const doc = policyOf(run, granted);
        assert.deepEqual(doc.Statement.map((s: { Sid: string }) => s.Sid), ["DenyInsecureTransport", "CloudFrontReadViaOac"]);
        assert.deepEqual(doc.Statement[1].Condition, { StringEquals: { "AWS:SourceArn": DISTRIBUTION_ARN } });
    });

    it("never evaluates a policy on a bucket that could be public or use ACLs", () => {
        for (const bucket of [plain, kms, granted]) {
            const policy = configOf(run, POLICY, bucket);
            assert.ok(policy.dependencies.includes(configOf(run, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", bucket).urn));
            assert.ok(policy.dependencies.includes(configOf(run, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", bucket).urn));
        }
    });

    it("parents every resource to the component", () => {
        const components = run.ofType("swiftsupport:storage:PrivateBucket");
        assert.equal(components.length, 3);
        const owned = new Set(components.flatMap((c) => run.childrenOf(c.urn).map((r) => r.urn)));
        for (const r of run.resources.filter((r) => r.type.startsWith("aws:s3/"))) assert.ok(owned.has(r.urn), r.name);
    });

    it("refuses a second policy", async () => {
        await assert.rejects(
            runProgram({
                program: () => {
                    const bucket = new PrivateBucket("twice", {});
                    bucket.attachPolicy([]);
                    bucket.attachPolicy([]);
                },
            }),
            (e: unknown) => e instanceof ProgramFailed && /already has its policy/.test(e.message),
        );
    });

    it("refuses an attachPolicy that comes after the bucket already fell back to TLS-only", async () => {
        await assert.rejects(
            runProgram({
                program: async () => {
                    const bucket = new PrivateBucket("late", {});
                    await new Promise((resolve) => setTimeout(resolve, 0));
                    bucket.attachPolicy([]);
                },
            }),
            (e: unknown) => e instanceof ProgramFailed && /already has its policy/.test(e.message),
        );
    });

    it("refuses a noncurrent-version expiry that is not a positive whole number of days", async () => {
        await assert.rejects(
            runProgram({ program: () => new PrivateBucket("bad", { noncurrentVersionExpirationDays: 0 }) }),
            (e: unknown) => e instanceof ProgramFailed && /noncurrentVersionExpirationDays/.test(e.message),
        );
    });
});
