// What the S3 policies tell a user, decision by decision: which bucket (or statement, or setting) made the verdict,
// the exact message, and what stays unverified during preview (a value unknown, a bucket-level resource whose
// `bucket` is unknown) instead of being reported.

import * as assert from "assert";
import { PackConfig, RunnerResource } from "../../tools/lib/packRunner";
import { UNKNOWN, json, resource, violationsOf } from "./support";

const BUCKET = "aws:s3/bucket:Bucket";
const BUCKET_V2 = "aws:s3/bucketV2:BucketV2";
const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const bucket = (name: string, props: object = {}, type = BUCKET) =>
    resource(type, name, { bucket: `${name}-1234`, arn: `arn:aws:s3:::${name}-1234`, ...props });
/** A bucket-level resource of `type` configuring the bucket made by `bucket(name)`. */
const configures = (type: string, name: string, props: object = {}) => resource(type, `${name}-cfg`, { bucket: `${name}-1234`, ...props });
/** The same, for a bucket still unknown during preview (no dependency to follow). */
const unresolved = (type: string, name: string, props: object = {}) => resource(type, name, { bucket: UNKNOWN, ...props });

/** Each violation as a user reads it; a policy that met preview unknowns reads "unverified: <what>". */
async function verdicts(policy: string, resources: RunnerResource[], config: PackConfig = {}): Promise<string[]> {
    return (await violationsOf(policy, resources, config)).map((v) => {
        const pending = /^can't run policy '[^']+' from policy pack '[^']+' during preview: (.*) cannot be verified until the value is known \(it is checked in full when known, e\.g\. on `pulumi up`\)$/.exec(v.message);
        return pending ? `unverified: ${pending[1]}` : `${v.name}: ${v.message}`;
    });
}

describe("aws-s3-bucket-require-tls-only-policy: which statement makes a bucket TLS-only", () => {
    const policy = "aws-s3-bucket-require-tls-only-policy";
    const deny = (extra: object = {}) => ({
        Effect: "Deny", Principal: "*", Action: "s3:*", Resource: ["arn:aws:s3:::b-1234", "arn:aws:s3:::b-1234/*"],
        Condition: { Bool: { "aws:SecureTransport": "false" } }, ...extra,
    });
    const withPolicy = (name: string, ...statements: object[]) => [bucket(name), configures(BUCKET_POLICY, name, { policy: json(...statements) })];
    const plainHttp = (name: string) => `${name}: Bucket '${name}' accepts plain-HTTP requests: add a bucket policy statement ` +
        `{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucket arn, bucket arn/*], Condition: { Bool: { "aws:SecureTransport": "false" } } }.`;

    it("accepts a Deny for everyone of all S3 on plain HTTP or an old TLS version, in the bucket's policy or a BucketPolicy", async () => {
        assert.deepStrictEqual(await verdicts(policy, [
            bucket("own", { policy: json(deny()) }),
            ...withPolicy("linked", deny()),
            ...withPolicy("if-exists", deny({ Condition: { BoolIfExists: { "aws:SecureTransport": "false" } } })),
            ...withPolicy("tls-version", deny({ Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } } })),
            ...withPolicy("tls-version-equals", deny({ Condition: { NumericLessThanEquals: { "s3:TlsVersion": "1.1" } } })),
            ...withPolicy("both", deny({ Condition: { Bool: { "aws:SecureTransport": "false" }, NumericLessThan: { "s3:TlsVersion": "1.2" } } })),
            ...withPolicy("any-action", deny({ Action: "*" })),
            ...withPolicy("listed", deny({ Action: ["s3:GetObject", "S3:*"] })),
            bucket("v2", {}, BUCKET_V2), configures(BUCKET_POLICY, "v2", { policy: json(deny()) }),
        ]), []);
    });

    it("reports a bucket whose Deny spares someone, some S3 actions, or plain HTTP", async () => {
        assert.deepStrictEqual(await verdicts(policy, [
            ...withPolicy("allow", deny({ Effect: "Allow" })),
            ...withPolicy("one-account", deny({ Principal: { AWS: "arn:aws:iam::123456789012:root" } })),
            ...withPolicy("not-principal", { ...deny(), Principal: undefined, NotPrincipal: { AWS: "arn:aws:iam::123456789012:role/admin" } }),
            ...withPolicy("one-action", deny({ Action: "s3:GetObject" })),
            ...withPolicy("https", deny({ Condition: { Bool: { "aws:SecureTransport": "true" } } })),
            ...withPolicy("other-key", deny({ Condition: { Bool: { "aws:MultiFactorAuthPresent": "false" } } })),
            ...withPolicy("string-operator", deny({ Condition: { StringEquals: { "aws:SecureTransport": "false" } } })),
            ...withPolicy("newer-tls", deny({ Condition: { NumericGreaterThan: { "s3:TlsVersion": "1.2" } } })),
            ...withPolicy("other-numeric", deny({ Condition: { NumericLessThan: { "s3:signatureAge": "600000" } } })),
            // The extra condition narrows the Deny: plain HTTP through the VPC endpoint is still accepted.
            ...withPolicy("narrowed", deny({ Condition: { Bool: { "aws:SecureTransport": "false" }, StringNotEquals: { "aws:SourceVpce": "vpce-1" } } })),
            ...withPolicy("unconditional", deny({ Condition: undefined })),
            bucket("none"),
        ]), ["allow", "one-account", "not-principal", "one-action", "https", "other-key", "string-operator", "newer-tls", "other-numeric", "narrowed", "unconditional", "none"].map(plainHttp));
    });

    it("reports a bucket whose BucketPolicy cannot be read (the unreadable document is another policy's finding)", async () => {
        const broken = [bucket("broken"), configures(BUCKET_POLICY, "broken", { policy: "{ not json" }), ...withPolicy("tls", deny())];
        assert.deepStrictEqual(await verdicts(policy, broken), [plainHttp("broken")]);
    });

    it("leaves unverified a policy unknown during preview, and a bucket with no policy while one's bucket is unknown", async () => {
        assert.deepStrictEqual(await verdicts(policy, [bucket("pending"), configures(BUCKET_POLICY, "pending", { policy: UNKNOWN })]),
            ["unverified: Bucket 'pending' `policy (TLS-only statement)`"]);
        assert.deepStrictEqual(await verdicts(policy, [
            bucket("mine"),
            ...withPolicy("has-one", deny({ Action: "s3:GetObject" })),
            unresolved(BUCKET_POLICY, "somewhere", { policy: json(deny()) }),
        ]), [plainHttp("has-one"), "unverified: BucketPolicy 'somewhere' `bucket`"]);
    });

    it("says nothing when the stack has no bucket", async () => {
        assert.deepStrictEqual(await verdicts(policy, [unresolved(BUCKET_POLICY, "somewhere", { policy: json(deny()) })]), []);
    });
});

describe("aws-s3-bucket-require-encryption: which declaration encrypts a bucket", () => {
    const policy = "aws-s3-bucket-require-encryption";
    const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
    const SSE_V2 = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2";
    const rule = (sseAlgorithm: unknown) => ({ applyServerSideEncryptionByDefault: { sseAlgorithm } });
    const linked = (name: string, sseAlgorithm: unknown, type = SSE) => configures(type, name, { rules: [rule(sseAlgorithm)] });
    const inline = (sseAlgorithm: unknown) => ({ serverSideEncryptionConfiguration: { rule: rule(sseAlgorithm) } });
    const KMS: PackConfig = { [policy]: { requireKms: true } };
    const none = (name: string) => `${name}: Bucket '${name}' declares no default encryption: add an ` +
        `aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm "aws:kms" and a key.`;

    it("accepts any algorithm by default, from a linked configuration (V1 or V2) or the bucket's own block", async () => {
        assert.deepStrictEqual(await verdicts(policy, [
            bucket("aes"), linked("aes", "AES256"),
            bucket("v2", {}, BUCKET_V2), linked("v2", "aws:kms", SSE_V2),
            bucket("own", inline("AES256")),
        ]), []);
    });

    it("reports a bucket with no declaration, or one that names no algorithm (a rule with only bucketKeyEnabled)", async () => {
        assert.deepStrictEqual(await verdicts(policy, [
            bucket("plain"),
            bucket("key-only"), configures(SSE, "key-only", { rules: [{ bucketKeyEnabled: true }] }),
            bucket("own-key-only", { serverSideEncryptionConfiguration: { rule: { bucketKeyEnabled: true } } }),
        ]), [none("plain"), none("key-only"), none("own-key-only")]);
    });

    it("reads a partial state (no rules, an empty list or block) as no declaration, not as an error", async () => {
        assert.deepStrictEqual(await verdicts(policy, [
            bucket("no-rules"), configures(SSE, "no-rules"),
            bucket("empty-rules"), configures(SSE, "empty-rules", { rules: [] }),
            bucket("own-empty", { serverSideEncryptionConfiguration: {} }),
        ]), [none("no-rules"), none("empty-rules"), none("own-empty")]);
    });

    it("with requireKms, names the bucket's non-KMS algorithm; aws:kms and aws:kms:dsse pass, from either declaration", async () => {
        assert.deepStrictEqual(await verdicts(policy, [
            bucket("aes"), linked("aes", "AES256"),
            bucket("own-aes", inline("AES256")),
            bucket("kms"), linked("kms", "aws:kms"),
            bucket("dsse"), linked("dsse", "aws:kms:dsse"),
            bucket("own-kms", inline("aws:kms")),
            bucket("overridden", inline("AES256")), linked("overridden", "aws:kms"),
            bucket("plain"),
        ], KMS), [
            `aes: Bucket 'aes' is encrypted with AES256, not KMS: use sseAlgorithm "aws:kms".`,
            `own-aes: Bucket 'own-aes' is encrypted with AES256, not KMS: use sseAlgorithm "aws:kms".`,
            none("plain"),
        ]);
    });

    it("leaves unverified an algorithm unknown during preview, and a bucket without one while a configuration's bucket is unknown", async () => {
        assert.deepStrictEqual(await verdicts(policy, [bucket("pending"), linked("pending", UNKNOWN)], KMS),
            ["unverified: BucketServerSideEncryptionConfiguration 'pending-cfg' `rules[0].applyServerSideEncryptionByDefault.sseAlgorithm`"]);
        assert.deepStrictEqual(await verdicts(policy, [bucket("mine"), bucket("aes"), linked("aes", "AES256"), unresolved(SSE, "somewhere", { rules: [rule("aws:kms")] })], KMS), [
            `aes: Bucket 'aes' is encrypted with AES256, not KMS: use sseAlgorithm "aws:kms".`,
            "unverified: BucketServerSideEncryptionConfiguration 'somewhere' `bucket`",
        ]);
        assert.deepStrictEqual(await verdicts(policy, [unresolved(SSE, "somewhere", { rules: [rule("aws:kms")] })]), [], "no bucket, nothing to say");
    });
});

describe("aws-s3-bucket-require-versioning: which setting versions a bucket", () => {
    const policy = "aws-s3-bucket-require-versioning";
    const VERSIONING = "aws:s3/bucketVersioning:BucketVersioning";
    const status = (name: string, s: unknown, type = VERSIONING) => configures(type, name, { versioningConfiguration: { status: s } });
    const unversioned = (name: string) => `${name}: Bucket '${name}' is not versioned: add an aws.s3.BucketVersioning with ` +
        `versioningConfiguration.status "Enabled".`;

    it("accepts status Enabled on a BucketVersioning (V1 or V2) or the bucket's versioning.enabled; reports the rest", async () => {
        assert.deepStrictEqual(await verdicts(policy, [
            bucket("on"), status("on", "Enabled"),
            bucket("v2", {}, BUCKET_V2), status("v2", "Enabled", "aws:s3/bucketVersioningV2:BucketVersioningV2"),
            bucket("own", { versioning: { enabled: true } }),
            bucket("suspended"), status("suspended", "Suspended"),
            bucket("own-off", { versioning: { enabled: false } }),
            bucket("no-config"), configures(VERSIONING, "no-config"),
            bucket("plain"),
        ]), ["suspended", "own-off", "no-config", "plain"].map(unversioned));
    });

    it("leaves unverified a status unknown during preview, and a bucket without one while a BucketVersioning's bucket is unknown", async () => {
        assert.deepStrictEqual(await verdicts(policy, [bucket("pending-own", { versioning: { enabled: UNKNOWN } }), bucket("pending"), status("pending", UNKNOWN)]),
            ["unverified: Bucket 'pending-own' `versioning.enabled`, BucketVersioning 'pending-cfg' `versioningConfiguration.status`"]);
        assert.deepStrictEqual(await verdicts(policy, [
            bucket("mine"),
            bucket("suspended"), status("suspended", "Suspended"),
            unresolved(VERSIONING, "somewhere", { versioningConfiguration: { status: "Enabled" } }),
        ]), [unversioned("suspended"), "unverified: BucketVersioning 'somewhere' `bucket`"]);
        assert.deepStrictEqual(await verdicts(policy, [unresolved(VERSIONING, "somewhere", { versioningConfiguration: { status: "Enabled" } })]), [], "no bucket, nothing to say");
    });
});

describe("aws-s3-bucket-require-public-access-block: which block covers a bucket", () => {
    const policy = "aws-s3-bucket-require-public-access-block";
    const PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
    const ACCOUNT_PAB = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock";
    const allFlags = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };
    const noBlock = (name: string) => `${name}: Bucket '${name}' has no BucketPublicAccessBlock: add one with bucket = this bucket's id ` +
        `and blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.`;

    it("names every flag a block leaves unset, and accepts a bucket one of whose blocks sets all four", async () => {
        assert.deepStrictEqual(await verdicts(policy, [
            bucket("two-off"), configures(PAB, "two-off", { ...allFlags, blockPublicPolicy: false, restrictPublicBuckets: undefined }),
            bucket("one-whole"), configures(PAB, "one-whole", { ...allFlags, ignorePublicAcls: false }), resource(PAB, "one-whole-full", { bucket: "one-whole-1234", ...allFlags }),
        ]), ["two-off: Bucket 'two-off' has a BucketPublicAccessBlock ('two-off-cfg') that does not set blockPublicPolicy, restrictPublicBuckets to true: set all four flags to true."]);
    });

    it("does not count an account-level block that leaves a flag unset", async () => {
        assert.deepStrictEqual(await verdicts(policy, [resource(ACCOUNT_PAB, "acct", { ...allFlags, restrictPublicBuckets: false }), bucket("b")]), [noBlock("b")]);
    });

    it("leaves unverified a flag unknown during preview, still naming a flag known to be unset", async () => {
        assert.deepStrictEqual(await verdicts(policy, [
            bucket("pending"), configures(PAB, "pending", { ...allFlags, blockPublicAcls: UNKNOWN }),
            bucket("known-off"), configures(PAB, "known-off", { ...allFlags, blockPublicAcls: UNKNOWN, restrictPublicBuckets: false }),
        ]), [
            "known-off: Bucket 'known-off' has a BucketPublicAccessBlock ('known-off-cfg') that does not set restrictPublicBuckets to true: set all four flags to true.",
            "unverified: BucketPublicAccessBlock 'pending-cfg' `blockPublicAcls`, BucketPublicAccessBlock 'known-off-cfg' `blockPublicAcls`",
        ]);
        assert.deepStrictEqual(await verdicts(policy, [resource(ACCOUNT_PAB, "acct", { ...allFlags, ignorePublicAcls: UNKNOWN }), bucket("b")]),
            ["unverified: AccountPublicAccessBlock 'acct' `ignorePublicAcls`"], "an account block that may be whole covers the bucket until known");
    });

    it("leaves unverified a bucket without a block while a block's bucket is unknown; says nothing without buckets", async () => {
        assert.deepStrictEqual(await verdicts(policy, [bucket("mine"), unresolved(PAB, "somewhere", allFlags)]), ["unverified: BucketPublicAccessBlock 'somewhere' `bucket`"]);
        assert.deepStrictEqual(await verdicts(policy, [unresolved(PAB, "somewhere", allFlags)]), []);
    });
});

describe("aws-s3-bucket-disallow-website-hosting: the message names what turns hosting on", () => {
    const policy = "aws-s3-bucket-disallow-website-hosting";
    const advice = "Remove it and serve the bucket through a CloudFront distribution with origin access control.";

    it("names the website configuration resource, or each bucket property that is set", async () => {
        assert.deepStrictEqual(await verdicts(policy, [
            resource("aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration", "site", { bucket: "b", indexDocument: { suffix: "index.html" } }),
            resource("aws:s3/bucketWebsiteConfigurationV2:BucketWebsiteConfigurationV2", "site-v2", { bucket: "b", redirectAllRequestsTo: { hostName: "example.com" } }),
            bucket("deployed", { websiteEndpoint: "deployed-1234.s3-website-eu-west-1.amazonaws.com", websiteDomain: "s3-website-eu-west-1.amazonaws.com" }, BUCKET_V2),
            bucket("error-only", { websites: [{ indexDocument: "index.html", errorDocument: "" }] }, BUCKET_V2),
            bucket("empty", { website: { indexDocument: "", routingRules: null }, websites: [{}] }),
        ]), [
            "site: BucketWebsiteConfiguration 'site' turns on website hosting: remove it and serve the bucket through a CloudFront distribution with origin access control.",
            "site-v2: BucketWebsiteConfiguration 'site-v2' turns on website hosting: remove it and serve the bucket through a CloudFront distribution with origin access control.",
            `deployed: Bucket 'deployed' sets websiteEndpoint, websiteDomain: website hosting is on. ${advice}`,
            `error-only: Bucket 'error-only' sets websites: website hosting is on. ${advice}`,
        ]);
    });

    it("leaves a website block unknown during preview unverified", async () => {
        assert.deepStrictEqual(await verdicts(policy, [bucket("pending", { website: UNKNOWN })]), ["unverified: `website`"]);
    });
});

describe("aws-s3-bucket-disallow-public-acl: the message says who gets access and what to do", () => {
    const policy = "aws-s3-bucket-disallow-public-acl";
    const ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
    const AUTHENTICATED = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
    const bucketAdvice = `use "private" (or no ACL with BucketOwnerEnforced ownership).`;

    it("names the canned ACL, who it opens the bucket or object to, and whether writes too", async () => {
        assert.deepStrictEqual(await verdicts(policy, [
            bucket("read", { acl: "public-read" }),
            bucket("write", { acl: "Public-Read-Write" }, BUCKET_V2),
            resource("aws:s3/bucketAcl:BucketAcl", "authenticated", { bucket: "b", acl: "authenticated-read" }),
            resource("aws:s3/bucketAclV2:BucketAclV2", "authenticated-v2", { bucket: "b", acl: "AUTHENTICATED-READ" }),
            resource("aws:s3/bucketObjectv2:BucketObjectv2", "object", { bucket: "b", key: "k", acl: "public-read" }),
        ]), [
            `read: Bucket 'read' sets acl "public-read", which lets anyone read it: ${bucketAdvice}`,
            `write: BucketV2 'write' sets acl "Public-Read-Write", which lets anyone read and write it: ${bucketAdvice}`,
            `authenticated: BucketAcl 'authenticated' sets acl "authenticated-read", which lets any AWS account read it: ${bucketAdvice}`,
            `authenticated-v2: BucketAclV2 'authenticated-v2' sets acl "AUTHENTICATED-READ", which lets any AWS account read it: ${bucketAdvice}`,
            `object: BucketObjectv2 'object' sets acl "public-read", which lets anyone read it: use "private" (and BucketOwnerEnforced ownership on the bucket, which disables object ACLs).`,
        ]);
    });

    it("names each public group a grant reaches, skipping entries that name none", async () => {
        assert.deepStrictEqual(await verdicts(policy, [
            bucket("grants", { grants: [null, { type: "CanonicalUser", id: "abc" }, { type: "Group", uri: ALL_USERS, permissions: ["READ"] }] }),
            resource("aws:s3/bucketAcl:BucketAcl", "acl", { bucket: "b", accessControlPolicy: { grants: [{ grantee: { type: "Group", uri: AUTHENTICATED }, permission: "READ" }], owner: { id: "o" } } }),
        ]), [
            `grants: Bucket 'grants' grants access to the AllUsers group (${ALL_USERS}): remove the grant; share through a bucket policy naming principals.`,
            `acl: BucketAcl 'acl' grants access to the AuthenticatedUsers group (${AUTHENTICATED}): remove the grant; share through a bucket policy naming principals.`,
        ]);
    });

    it("leaves grants unknown during preview unverified", async () => {
        assert.deepStrictEqual(await verdicts(policy, [bucket("pending", { grants: UNKNOWN })]), ["unverified: `grants`"]);
    });
});

describe("public-principal policies: a statement part unknown during preview is unverified, by name", () => {
    const statements = [
        { Effect: UNKNOWN, Principal: UNKNOWN, Action: "s3:GetObject", Resource: "*", Condition: UNKNOWN },
        { Effect: "Deny", NotPrincipal: UNKNOWN, Action: "s3:GetObject", Resource: "*" },
    ];
    const parts = "`policy Statement[0].Effect`, `policy Statement[0].Principal`, `policy Statement[0].Condition`, `policy Statement[1].NotPrincipal`";

    it("in a bucket policy", async () => {
        assert.deepStrictEqual(await verdicts("aws-s3-bucket-policy-disallow-public-principal", [
            resource(BUCKET_POLICY, "p", { bucket: "b", policy: { Version: "2012-10-17", Statement: statements } }),
        ]), [`unverified: ${parts}`]);
    });

    it("in a queue policy", async () => {
        assert.deepStrictEqual(await verdicts("aws-iam-resource-policy-disallow-public-principal", [
            resource("aws:sqs/queuePolicy:QueuePolicy", "q", { queueUrl: "u", policy: { Version: "2012-10-17", Statement: statements } }),
        ]), [`unverified: ${parts}`]);
    });
});

describe("aws-s3-policy-disallow-wildcard-write-resources: the message lists the writes allowed", () => {
    const policy = "aws-s3-policy-disallow-wildcard-write-resources";
    const iamPolicy = (name: string, statement: object) => resource("aws:iam/policy:Policy", name, { policy: json(statement) });
    const advice = "name the bucket (arn:aws:s3:::my-bucket and arn:aws:s3:::my-bucket/*).";

    it("lists up to three writes, then counts the rest; a statement without actions allows none", async () => {
        assert.deepStrictEqual(await verdicts(policy, [
            iamPolicy("three", { Effect: "Allow", Action: ["s3:PutObject", "s3:DeleteObject", "s3:PutObjectAcl"], Resource: "arn:aws:s3:::*/*" }),
            iamPolicy("many", { Effect: "Allow", Action: "s3:PutObject*", Resource: ["arn:aws:s3:::logs/*", "arn:aws:s3:::*/*"] }),
            iamPolicy("no-action", { Effect: "Allow", Resource: "arn:aws:s3:::*/*" }),
        ]), [
            `three: Policy 'three' policy statement 0 allows s3:DeleteObject, s3:PutObject, s3:PutObjectAcl on \`arn:aws:s3:::*/*\`, which is every object in every bucket: ${advice}`,
            `many: Policy 'many' policy statement 0 allows s3:PutObject, s3:PutObjectAcl, s3:PutObjectAnnotation and 6 more S3 writes on \`arn:aws:s3:::*/*\`, which is every object in every bucket: ${advice}`,
        ]);
    });
});
