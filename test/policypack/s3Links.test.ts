// Which bucket a bucket-level resource configures, which account a provider acts in, and what an S3 pattern reaches
// (policypack/lib/s3.ts), as the S3 policies decide them.

import * as assert from "assert";
import { PolicyResource } from "@pulumi/policy";
import { bucketLinks, s3WildcardScope } from "../../policypack/lib/s3";
import { stackIndex } from "../../policypack/lib/stackIndex";
import { RunnerResource } from "../../tools/lib/packRunner";
import { ACCOUNT, UNKNOWN, messages, resource, violationsOf } from "./support";

const BUCKET = "aws:s3/bucket:Bucket";
const PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const ACCOUNT_PAB = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock";
const BLOCK_POLICY = "aws-s3-bucket-require-public-access-block";
const VERSIONING_POLICY = "aws-s3-bucket-require-versioning";
const allFlags = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };

const provider = (name: string, props: Record<string, unknown>) =>
    ({ urn: `urn:pulumi:dev::test::pulumi:providers:aws::${name}`, type: "pulumi:providers:aws", name, props });
type Provider = ReturnType<typeof provider>;
const onProvider = (p?: Provider): Partial<RunnerResource> => (p ? { provider: p as never } : {});
const bucket = (name: string, p?: Provider) => resource(BUCKET, name, { bucket: `${name}-1234`, arn: `arn:aws:s3:::${name}-1234` }, onProvider(p));
const accountBlock = (name: string, props: object, p?: Provider) => resource(ACCOUNT_PAB, name, { ...allFlags, ...props }, onProvider(p));

describe("each S3 policy sees the resources of its own types that configure a bucket", () => {
    it("keeps a bucket's public access block and its versioning apart", async () => {
        const stack = [
            bucket("b"),
            resource(PAB, "b-pab", { bucket: "b-1234", ...allFlags }),
            resource("aws:s3/bucketVersioning:BucketVersioning", "b-versioning", { bucket: "b-1234", versioningConfiguration: { status: "Enabled" } }),
        ];
        assert.deepStrictEqual(messages([...await violationsOf(BLOCK_POLICY, stack), ...await violationsOf(VERSIONING_POLICY, stack)]), []);
    });

    it("builds the links once per stack for each set of types, so policies sharing a stack index get their own", () => {
        const stack = [
            bucket("b"),
            resource(PAB, "b-pab", { bucket: "b-1234", ...allFlags }),
            resource("aws:s3/bucketVersioning:BucketVersioning", "b-versioning", { bucket: "b-1234", versioningConfiguration: { status: "Enabled" } }),
        ];
        // As the policy server hands resources over: propertyDependencies always set.
        const index = stackIndex(stack.map((r) => ({ ...r, propertyDependencies: {} })) as unknown as PolicyResource[]);
        const linked = (types: string[]) => [...bucketLinks(index, types).byBucket.values()].map((rs) => rs.map((r) => r.name));
        assert.deepStrictEqual([linked([PAB]), linked(["aws:s3/bucketVersioning:BucketVersioning"])], [[["b-pab"]], [["b-versioning"]]]);
    });

    it("sees every resource that configures the bucket, not only the first", async () => {
        const vs = await violationsOf(VERSIONING_POLICY, [
            bucket("b"),
            resource("aws:s3/bucketVersioning:BucketVersioning", "first", { bucket: "b-1234", versioningConfiguration: { status: "Suspended" } }),
            resource("aws:s3/bucketVersioningV2:BucketVersioningV2", "second", { bucket: "b-1234", versioningConfiguration: { status: "Enabled" } }),
            resource("aws:s3/bucketVersioningV2:BucketVersioningV2", "third", { bucket: "b-1234", versioningConfiguration: { status: "Suspended" } }),
        ]);
        assert.deepStrictEqual(messages(vs), []);
    });
});

describe("an account-level public access block covers the buckets of the account its provider acts in", () => {
    const twoAccounts = provider("two", { allowedAccountIds: ["111111111111", "222222222222"] });
    const stateJson = provider("state", { allowedAccountIds: JSON.stringify(["111111111111"]) });
    const plain = provider("plain", { allowedAccountIds: ["111111111111"] });
    const malformed = provider("malformed", { allowedAccountIds: "[111111111111" });

    it("reads a provider's allowedAccountIds from its state (a JSON string) as from its inputs", async () => {
        assert.deepStrictEqual(messages(await violationsOf(BLOCK_POLICY, [accountBlock("acct", {}, stateJson), bucket("b", plain)])), []);
    });

    it("knows no account from two allowed accounts or malformed state, and then compares providers", async () => {
        const vs = await violationsOf(BLOCK_POLICY, [accountBlock("acct", {}, twoAccounts), bucket("other", plain), bucket("same", twoAccounts)]);
        assert.deepStrictEqual(vs.map((v) => v.name), ["other"]);
        const broken = await violationsOf(BLOCK_POLICY, [accountBlock("acct", {}, malformed), bucket("other", plain), bucket("same", malformed)]);
        assert.deepStrictEqual(broken.map((v) => v.name), ["other"]);
    });

    it("takes the provider's account when the block's accountId is unknown during preview", async () => {
        const vs = await violationsOf(BLOCK_POLICY, [accountBlock("acct", { accountId: UNKNOWN }, stateJson), bucket("same-account", plain), bucket("default")]);
        assert.deepStrictEqual(vs.map((v) => v.name), ["default"]);
    });

    it("compares by provider when only the block's account is known", async () => {
        const vs = await violationsOf(BLOCK_POLICY, [accountBlock("acct", { accountId: ACCOUNT }), bucket("default"), bucket("elsewhere", plain)]);
        assert.deepStrictEqual(vs.map((v) => v.name), ["elsewhere"]);
    });
});

describe("an S3 resource pattern reaches other accounts' buckets when its bucket name has a wildcard", () => {
    it("names the bucket-name wildcard whatever the region and account fields say", () => {
        assert.strictEqual(s3WildcardScope("arn:aws:s3:*:*:app-*"), `every bucket whose name matches "app-*", including other accounts' buckets`);
    });

    it("names it behind a leading wildcard too, which matches the same buckets", () => {
        assert.strictEqual(s3WildcardScope("*arn:aws:s3:::app-*/*"), `every bucket whose name matches "app-*", including other accounts' buckets`);
    });

    it("leaves access points and other services alone", () => {
        assert.deepStrictEqual([
            `arn:aws:s3:eu-west-1:${ACCOUNT}:accesspoint*`,
            `arn:aws:s3:eu-west-1:${ACCOUNT}:accesspoint/app-*`,
            "arn:aws:dynamodb:*:*:table/*",
            "arn:aws:sqs:eu-west-1:*:app-*",
        ].map(s3WildcardScope), [undefined, undefined, undefined, undefined]);
    });
});
