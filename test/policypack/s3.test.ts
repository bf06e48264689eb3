import * as assert from "assert";
import { ACCOUNT, json, messages, resource, urnOf, violationsOf } from "./support";

const BUCKET = "aws:s3/bucket:Bucket";
const PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const bucket = (name: string, props: object = {}, type = BUCKET) => resource(type, name, { bucket: `${name}-1234`, arn: `arn:aws:s3:::${name}-1234`, ...props });
const allFlags = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };

describe("aws-s3-bucket-disallow-public-acl", () => {
    const policy = "aws-s3-bucket-disallow-public-acl";
    it("flags public canned ACLs and AllUsers/AuthenticatedUsers grants on buckets and BucketAcl", async () => {
        const vs = await violationsOf(policy, [
            bucket("a", { acl: "public-read" }),
            bucket("b", { acl: "public-read-write" }, "aws:s3/bucketV2:BucketV2"),
            bucket("c", { grants: [{ type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers", permissions: ["READ"] }] }),
            resource("aws:s3/bucketAcl:BucketAcl", "d", { bucket: "x", acl: "authenticated-read" }),
            resource("aws:s3/bucketAcl:BucketAcl", "e", { bucket: "x", accessControlPolicy: { grants: [{ grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AuthenticatedUsers" }, permission: "READ" }], owner: { id: "o" } } }),
        ]);
        assert.deepStrictEqual(vs.map((v) => v.name), ["a", "b", "c", "d", "e"]);
    });
    it("passes private ACLs and canonical-user grants", async () => {
        const vs = await violationsOf(policy, [
            bucket("a", { acl: "private" }),
            resource("aws:s3/bucketAcl:BucketAcl", "e", { bucket: "x", accessControlPolicy: { grants: [{ grantee: { type: "CanonicalUser", id: "abc" }, permission: "FULL_CONTROL" }], owner: { id: "o" } } }),
        ]);
        assert.deepStrictEqual(vs, []);
    });
});

describe("aws-s3-bucket-require-public-access-block", () => {
    const policy = "aws-s3-bucket-require-public-access-block";
    it("flags buckets without a block, or with a block missing a flag", async () => {
        const vs = await violationsOf(policy, [
            bucket("none"),
            bucket("partial"),
            resource(PAB, "partial-pab", { bucket: "partial-1234", ...allFlags, restrictPublicBuckets: false }),
        ]);
        assert.deepStrictEqual(messages(vs), [
            "none: Bucket 'none' has no BucketPublicAccessBlock: add one with bucket = this bucket's id and blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.",
            "partial: Bucket 'partial' has a BucketPublicAccessBlock ('partial-pab') that does not set restrictPublicBuckets to true: set all four flags to true.",
        ]);
    });
    it("passes blocks linked by value, by propertyDependencies, and an account-level block", async () => {
        assert.deepStrictEqual(await violationsOf(policy, [bucket("v"), resource(PAB, "v-pab", { bucket: "v-1234", ...allFlags })]), []);
        assert.deepStrictEqual(await violationsOf(policy, [
            bucket("d", { bucket: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }),
            resource(PAB, "d-pab", { bucket: "04da6b54-80e4-46f7-96ec-b56ff0331ba9", ...allFlags }, { propertyDependencies: { bucket: [urnOf(BUCKET, "d")] } }),
        ]), []);
        assert.deepStrictEqual(await violationsOf(policy, [bucket("a"), resource("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", "acct", allFlags)]), []);
    });
});

describe("aws-s3-bucket-policy-disallow-public-principal", () => {
    const policy = "aws-s3-bucket-policy-disallow-public-principal";
    const statement = (extra: object) => ({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*", ...extra });
    it("flags Principal * and {AWS: *} in BucketPolicy (string and object) and the bucket's inline policy", async () => {
        const vs = await violationsOf(policy, [
            resource("aws:s3/bucketPolicy:BucketPolicy", "str", { bucket: "b", policy: json(statement({ Principal: "*" })) }),
            resource("aws:s3/bucketPolicy:BucketPolicy", "obj", { bucket: "b", policy: { Version: "2012-10-17", Statement: statement({ Principal: { AWS: "*" } }) } }),
            bucket("inline", { policy: json(statement({ Principal: { AWS: ["*"] } })) }),
        ]);
        assert.deepStrictEqual(vs.map((v) => v.name), ["str", "obj", "inline"]);
        assert.match(vs[0].message, /policy statement 0 allows Principal "\*".*makes the bucket public/);
    });
    it("passes a public principal pinned by aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID or aws:SourceVpce, and Deny statements", async () => {
        const pinned = [
            { ArnLike: { "aws:SourceArn": "arn:aws:cloudfront::123456789012:distribution/E1" } },
            { StringEquals: { "aws:SourceAccount": ACCOUNT } },
            { StringEquals: { "aws:PrincipalOrgID": "o-abc" } },
            { StringEquals: { "aws:SourceVpce": "vpce-123" } },
        ];
        const vs = await violationsOf(policy, [
            ...pinned.map((Condition, i) => resource("aws:s3/bucketPolicy:BucketPolicy", `p${i}`, { bucket: "b", policy: json(statement({ Principal: "*", Condition })) })),
            resource("aws:s3/bucketPolicy:BucketPolicy", "deny", { bucket: "b", policy: json({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }) }),
        ]);
        assert.deepStrictEqual(messages(vs), []);
    });
    it("does not accept a wildcard-only or negated pinning condition", async () => {
        const vs = await violationsOf(policy, [
            resource("aws:s3/bucketPolicy:BucketPolicy", "wild", { bucket: "b", policy: json(statement({ Principal: "*", Condition: { StringLike: { "aws:SourceAccount": "*" } } })) }),
            resource("aws:s3/bucketPolicy:BucketPolicy", "neg", { bucket: "b", policy: json(statement({ Principal: "*", Condition: { StringNotEquals: { "aws:SourceAccount": ACCOUNT } } })) }),
        ]);
        assert.deepStrictEqual(vs.map((v) => v.name), ["wild", "neg"]);
    });
});

describe("aws-s3-bucket-disallow-website-hosting", () => {
    const policy = "aws-s3-bucket-disallow-website-hosting";
    it("flags website configuration resources and the bucket's website block", async () => {
        const vs = await violationsOf(policy, [
            resource("aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration", "site", { bucket: "b", indexDocument: { suffix: "index.html" } }),
            bucket("inline", { website: { indexDocument: "index.html" } }),
            bucket("plain"),
        ]);
        assert.deepStrictEqual(vs.map((v) => v.name), ["site", "inline"]);
    });
});
