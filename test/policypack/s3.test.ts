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

describe("S3 classes from the adversarial review", () => {
    const V2 = "aws:s3/bucketV2:BucketV2";
    const provider = (name: string, props: object) => ({ urn: `urn:pulumi:dev::test::pulumi:providers:aws::${name}`, type: "pulumi:providers:aws", name, props: props as Record<string, unknown> });
    const ACCOUNT_PAB = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock";

    it("finds website hosting in BucketV2 websites, a website block, and a deployed website endpoint", async () => {
        const vs = await violationsOf("aws-s3-bucket-disallow-website-hosting", [
            bucket("list", { websites: [{ indexDocument: "index.html" }] }, V2),
            bucket("redirect", { websites: [{ redirectAllRequestsTo: "https://example.com" }] }, V2),
            bucket("block", { website: { indexDocument: "index.html" } }),
            bucket("deployed", { websiteEndpoint: "deployed-1234.s3-website-eu-west-1.amazonaws.com", websiteDomain: "s3-website-eu-west-1.amazonaws.com" }, V2),
            bucket("empty-list", { websites: [] }, V2),
            bucket("empty-block", { website: { indexDocument: "", routingRules: null } }),
            bucket("no-endpoint", { websiteEndpoint: "", websiteDomain: "" }, V2),
        ]);
        assert.deepStrictEqual(vs.map((v) => v.name), ["list", "redirect", "block", "deployed"]);
        assert.match(vs[0].message, /sets websites: website hosting is on/);
    });

    it("flags public object ACLs and grants on BucketObject, BucketObjectv2 and ObjectCopy", async () => {
        const vs = await violationsOf("aws-s3-bucket-disallow-public-acl", [
            resource("aws:s3/bucketObject:BucketObject", "o1", { bucket: "b", key: "k", acl: "public-read" }),
            resource("aws:s3/bucketObjectv2:BucketObjectv2", "o2", { bucket: "b", key: "k", acl: "public-read-write" }),
            resource("aws:s3/bucketObjectv2:BucketObjectv2", "o3", { bucket: "b", key: "k", acl: "authenticated-read" }),
            resource("aws:s3/bucketObjectv2:BucketObjectv2", "o4", { bucket: "b", key: "k", acl: "PUBLIC-READ" }),
            resource("aws:s3/objectCopy:ObjectCopy", "o5", { bucket: "b", key: "k", source: "b/s", grants: [{ type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers", permissions: ["READ"] }] }),
            resource("aws:s3/objectCopy:ObjectCopy", "o6", { bucket: "b", key: "k", source: "b/s", acl: "public-read" }),
            resource("aws:s3/bucketObjectv2:BucketObjectv2", "private", { bucket: "b", key: "k", acl: "private" }),
            resource("aws:s3/bucketObjectv2:BucketObjectv2", "owner", { bucket: "b", key: "k", acl: "bucket-owner-full-control" }),
            resource("aws:s3/objectCopy:ObjectCopy", "canonical", { bucket: "b", key: "k", source: "b/s", grants: [{ type: "CanonicalUser", id: "abc", permissions: ["READ"] }] }),
        ]);
        assert.deepStrictEqual(vs.map((v) => v.name), ["o1", "o2", "o3", "o4", "o5", "o6"]);
        assert.match(vs[0].message, /^BucketObject 'o1' sets acl "public-read", which lets anyone read it/);
    });

    describe("an account-level public access block covers only its own account", () => {
        const policy = "aws-s3-bucket-require-public-access-block";
        const prodProvider = provider("prod", { region: "eu-west-1", allowedAccountIds: ["111111111111"] });
        const devProvider = provider("dev", { region: "eu-west-1", allowedAccountIds: ["222222222222"] });
        const assumeProd = provider("assume-prod", { region: "eu-west-1", assumeRoles: JSON.stringify([{ roleArn: "arn:aws:iam::111111111111:role/deploy" }]) });
        const assumeDev = provider("assume-dev", { region: "eu-west-1", assumeRole: { roleArn: "arn:aws:iam::222222222222:role/deploy" } });
        const other = provider("other", { region: "us-east-1" });
        const block = (name: string, props: object, p?: object) => resource(ACCOUNT_PAB, name, { ...allFlags, ...props }, p ? { provider: p as never } : {});
        const onProvider = (name: string, p?: object) => bucket(name, {}, BUCKET) && { ...bucket(name), ...(p ? { provider: p as never } : {}) };

        it("covers buckets of its account: same provider, same allowed account, same assumed account", async () => {
            const vs = await violationsOf(policy, [
                block("acct", {}, prodProvider),
                onProvider("same-provider", prodProvider),
                onProvider("same-account-by-role", assumeProd),
                block("default-acct", {}),
                onProvider("default"),
            ]);
            assert.deepStrictEqual(messages(vs), []);
        });
        it("does not cover buckets of another account, by accountId, by provider account or by another provider", async () => {
            const vs = await violationsOf(policy, [
                block("acct", { accountId: "111111111111" }, prodProvider),
                onProvider("dev-allowed", devProvider),
                onProvider("dev-assumed", assumeDev),
                onProvider("other-provider", other),
                onProvider("default-provider"),
            ]);
            assert.deepStrictEqual(vs.map((v) => v.name), ["dev-allowed", "dev-assumed", "other-provider", "default-provider"]);
            assert.match(vs[0].message, /the stack's AccountPublicAccessBlock is for another account/);
        });
        it("compares an explicit accountId with the bucket's account", async () => {
            const vs = await violationsOf(policy, [block("named", { accountId: "222222222222" }), onProvider("dev", devProvider), onProvider("prod", prodProvider)]);
            assert.deepStrictEqual(vs.map((v) => v.name), ["prod"]);
        });
    });

    describe("aws-s3-policy-disallow-wildcard-write-resources", () => {
        const policy = "aws-s3-policy-disallow-wildcard-write-resources";
        const iamPolicy = (name: string, Action: string | string[], Resource: string | string[]) =>
            resource("aws:iam/policy:Policy", name, { policy: json({ Effect: "Allow", Action, Resource }) });
        it("flags S3 writes on *-equivalent ARNs and bucket-name wildcards", async () => {
            const vs = await violationsOf(policy, [
                iamPolicy("all-objects", "s3:PutObject", "arn:aws:s3:::*/*"),
                iamPolicy("all-buckets", "s3:PutBucketPolicy", "arn:aws:s3:::*"),
                iamPolicy("any-partition", "s3:DeleteObject", "arn:*:s3:::*"),
                iamPolicy("prefix", "s3:PutObject", "arn:*:s3:::bucket*"),
                iamPolicy("prefix-objects", ["s3:GetObject", "s3:PutObject"], "arn:aws:s3:::logs-*/*"),
                iamPolicy("question", "s3:PutObject", "arn:aws:s3:::bucke?/*"),
                iamPolicy("wild-service", "s3:Put*", "arn:aws:s3*:::*"),
                iamPolicy("all-arns", "s3:PutObjectAcl", "arn:aws:*"),
                resource("aws:iam/rolePolicy:RolePolicy", "inline", { role: "r", policy: json({ Effect: "Allow", Action: "s3:*", Resource: ["arn:aws:s3:::mine", "arn:aws:s3:::*/*"] }) }),
                resource("aws:iam/policy:Policy", "not-action", { policy: json({ Effect: "Allow", NotAction: "iam:*", Resource: "arn:aws:s3:::*/*" }) }),
                iamPolicy("everything", "*", "arn:aws:s3:::*"),
            ]);
            assert.deepStrictEqual(vs.map((v) => v.name), ["all-objects", "all-buckets", "any-partition", "prefix", "prefix-objects", "question", "wild-service", "all-arns", "inline", "not-action", "everything"]);
            assert.match(vs[0].message, /allows s3:PutObject on `arn:aws:s3:::\*\/\*`, which is every object in every bucket/);
            assert.match(vs[3].message, /every bucket whose name matches "bucket\*", including other accounts' buckets/);
        });
        it("passes named buckets with object wildcards, reads, Deny, and plain * (the wildcard-resources policy's)", async () => {
            const vs = await violationsOf(policy, [
                iamPolicy("named", ["s3:PutObject", "s3:DeleteObject"], ["arn:aws:s3:::my-bucket/*", "arn:aws:s3:::my-bucket"]),
                iamPolicy("reads", ["s3:GetObject", "s3:ListBucket"], "arn:aws:s3:::*"),
                iamPolicy("star", "s3:PutObject", "*"),
                iamPolicy("access-point", "s3:PutObject", `arn:aws:s3:eu-west-1:${ACCOUNT}:accesspoint/ap/object/*`),
                resource("aws:iam/policy:Policy", "deny", { policy: json({ Effect: "Deny", Action: "s3:*", Resource: "arn:aws:s3:::*/*" }) }),
                resource("aws:iam/policy:Policy", "not-s3", { policy: json({ Effect: "Allow", NotAction: "s3:*", Resource: "arn:aws:s3:::*" }) }),
            ]);
            assert.deepStrictEqual(messages(vs), []);
        });
    });
});
