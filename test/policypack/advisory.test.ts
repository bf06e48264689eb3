import * as assert from "assert";
import { policies } from "../../policypack/policies";
import { RunnerResource } from "../../tools/lib/packRunner";
import { ACCOUNT, LAMBDA_TRUST, UNKNOWN, json, messages, resource, role, urnOf, violationsOf } from "./support";

const FN = "aws:lambda/function:Function";
const fn = (name: string, props: object = {}, extra: Partial<RunnerResource> = {}) =>
    resource(FN, name, { name: `${name}-1`, runtime: "nodejs22.x", role: "arn", tracingConfig: { mode: "Active" }, ...props }, extra);
const table = (name: string, props: object = {}) => resource("aws:dynamodb/table:Table", name, {
    pointInTimeRecovery: { enabled: true }, serverSideEncryption: { enabled: true }, deletionProtectionEnabled: true, ...props,
});
const distribution = (name: string, props: object = {}) => resource("aws:cloudfront/distribution:Distribution", name, {
    defaultCacheBehavior: { viewerProtocolPolicy: "redirect-to-https" },
    viewerCertificate: { acmCertificateArn: "arn:aws:acm:us-east-1:1:certificate/x", minimumProtocolVersion: "TLSv1.2_2021" },
    webAclId: "arn:aws:wafv2:us-east-1:1:global/webacl/x/y",
    ...props,
});
const trail = (name: string, props: object = {}) => resource("aws:cloudtrail/trail:Trail", name, {
    isMultiRegionTrail: true, enableLogFileValidation: true, kmsKeyId: "arn:aws:kms:eu-west-1:1:key/x", ...props,
});
const bucket = (name: string) => resource("aws:s3/bucket:Bucket", name, { bucket: `${name}-1` });
const sqliRule = { name: "sqli", priority: 1, overrideAction: { none: {} }, statement: { managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesSQLiRuleSet" } }, visibilityConfig: {} };

interface Case {
    policy: string;
    fail: RunnerResource[];
    /** Names expected to fail, when `fail` also holds resources that only support them. */
    failing?: string[];
    pass: RunnerResource[];
}

const cases: Case[] = [
    { policy: "aws-lambda-function-disallow-deprecated-runtime", fail: [fn("old", { runtime: "nodejs16.x" }), fn("py", { runtime: "python3.8" })], pass: [fn("new")] },
    { policy: "aws-lambda-function-require-tracing", fail: [fn("none", { tracingConfig: undefined }), fn("pass", { tracingConfig: { mode: "PassThrough" } })], pass: [fn("active")] },
    {
        policy: "aws-cloudwatch-loggroup-require-retention",
        fail: [resource("aws:cloudwatch/logGroup:LogGroup", "forever", {}), resource("aws:cloudwatch/logGroup:LogGroup", "zero", { retentionInDays: 0 })],
        pass: [resource("aws:cloudwatch/logGroup:LogGroup", "month", { retentionInDays: 30 })],
    },
    {
        policy: "aws-lambda-function-require-log-retention",
        fail: [fn("orphan"), fn("kept", { loggingConfig: { logFormat: "JSON", logGroup: "/app/kept" } }), resource("aws:cloudwatch/logGroup:LogGroup", "kept-logs", { name: "/app/kept" })],
        failing: ["orphan", "kept"],
        pass: [
            fn("byname"), resource("aws:cloudwatch/logGroup:LogGroup", "byname-logs", { name: "/aws/lambda/byname-1", retentionInDays: 14 }),
            fn("bydep", { name: UNKNOWN }),
            resource("aws:cloudwatch/logGroup:LogGroup", "bydep-logs", { name: UNKNOWN, retentionInDays: 14 }, { propertyDependencies: { name: [urnOf(FN, "bydep")] } }),
        ],
    },
    {
        policy: "aws-apigateway-route-require-authorizer",
        fail: [
            resource("aws:apigatewayv2/route:Route", "open", { apiId: "a", routeKey: "POST /tickets" }),
            resource("aws:apigatewayv2/route:Route", "none", { apiId: "a", routeKey: "GET /tickets", authorizationType: "NONE" }),
            resource("aws:apigateway/method:Method", "rest", { restApi: "a", resourceId: "r", httpMethod: "GET", authorization: "NONE" }),
        ],
        pass: [
            resource("aws:apigatewayv2/route:Route", "jwt", { apiId: "a", routeKey: "GET /me", authorizationType: "JWT", authorizerId: "x" }),
            resource("aws:apigateway/method:Method", "iam", { restApi: "a", resourceId: "r", httpMethod: "GET", authorization: "AWS_IAM" }),
        ],
    },
    {
        policy: "aws-apigateway-stage-require-access-logs",
        fail: [resource("aws:apigatewayv2/stage:Stage", "v2", { apiId: "a" }), resource("aws:apigateway/stage:Stage", "rest", { restApi: "a", deployment: "d", stageName: "prod" })],
        pass: [resource("aws:apigatewayv2/stage:Stage", "logged", { apiId: "a", accessLogSettings: { destinationArn: "arn:aws:logs:eu-west-1:1:log-group:x", format: "{}" } })],
    },
    {
        policy: "aws-apigateway-stage-require-throttling",
        fail: [
            resource("aws:apigatewayv2/stage:Stage", "v2", { apiId: "a", defaultRouteSettings: { throttlingBurstLimit: 10 } }),
            resource("aws:apigateway/stage:Stage", "rest", { restApi: "a", deployment: "d", stageName: "prod" }),
        ],
        pass: [
            resource("aws:apigatewayv2/stage:Stage", "v2ok", { apiId: "a", defaultRouteSettings: { throttlingBurstLimit: 10, throttlingRateLimit: 5 } }),
            resource("aws:apigateway/stage:Stage", "restok", { restApi: "a", deployment: "d", stageName: "live" }),
            resource("aws:apigateway/methodSettings:MethodSettings", "restok-ms", { restApi: "a", stageName: "live", methodPath: "*/*", settings: { throttlingBurstLimit: 10, throttlingRateLimit: 5 } }),
        ],
    },
    { policy: "aws-dynamodb-table-require-point-in-time-recovery", fail: [table("t", { pointInTimeRecovery: { enabled: false } })], pass: [table("ok")] },
    { policy: "aws-dynamodb-table-require-kms-encryption", fail: [table("t", { serverSideEncryption: undefined })], pass: [table("ok")] },
    { policy: "aws-dynamodb-table-require-deletion-protection", fail: [table("t", { deletionProtectionEnabled: false })], pass: [table("ok")] },
    {
        policy: "aws-s3-bucket-require-encryption",
        fail: [bucket("plain")],
        pass: [
            bucket("sse"),
            resource("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "sse-enc", { bucket: "sse-1", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] }),
        ],
    },
    {
        policy: "aws-s3-bucket-require-versioning",
        fail: [bucket("plain"), bucket("off"), resource("aws:s3/bucketVersioning:BucketVersioning", "off-v", { bucket: "off-1", versioningConfiguration: { status: "Suspended" } })],
        failing: ["plain", "off"],
        pass: [bucket("on"), resource("aws:s3/bucketVersioning:BucketVersioning", "on-v", { bucket: "on-1", versioningConfiguration: { status: "Enabled" } })],
    },
    {
        policy: "aws-s3-bucket-require-tls-only-policy",
        fail: [bucket("plain")],
        pass: [
            bucket("tls"),
            resource("aws:s3/bucketPolicy:BucketPolicy", "tls-p", {
                bucket: "tls-1",
                policy: json({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: ["arn:aws:s3:::tls-1", "arn:aws:s3:::tls-1/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } }),
            }),
        ],
    },
    {
        policy: "aws-cloudfront-distribution-require-https-only",
        fail: [distribution("d", { orderedCacheBehaviors: [{ pathPattern: "/img/*", viewerProtocolPolicy: "allow-all" }] })],
        pass: [distribution("ok")],
    },
    {
        policy: "aws-cloudfront-distribution-require-modern-tls",
        fail: [distribution("default", { viewerCertificate: { cloudfrontDefaultCertificate: true } }), distribution("old", { viewerCertificate: { acmCertificateArn: "a", minimumProtocolVersion: "TLSv1.1_2016" } })],
        pass: [distribution("ok")],
    },
    { policy: "aws-cloudfront-distribution-require-waf", fail: [distribution("d", { webAclId: undefined })], pass: [distribution("ok"), distribution("later", { webAclId: UNKNOWN })] },
    {
        policy: "aws-wafv2-webacl-require-sqli-rule-group",
        fail: [
            resource("aws:wafv2/webAcl:WebAcl", "none", { scope: "CLOUDFRONT", rules: [] }),
            resource("aws:wafv2/webAcl:WebAcl", "count", { scope: "CLOUDFRONT", rules: [{ ...sqliRule, overrideAction: { count: {} } }] }),
        ],
        pass: [
            resource("aws:wafv2/webAcl:WebAcl", "ok", { scope: "CLOUDFRONT", rules: [sqliRule] }),
            resource("aws:wafv2/webAcl:WebAcl", "json", { scope: "CLOUDFRONT", ruleJson: JSON.stringify([{ Name: "sqli", OverrideAction: { None: {} }, Statement: { ManagedRuleGroupStatement: { VendorName: "AWS", Name: "AWSManagedRulesSQLiRuleSet" } } }]) }),
        ],
    },
    { policy: "aws-cloudtrail-trail-require-multi-region", fail: [trail("t", { isMultiRegionTrail: false })], pass: [trail("ok")] },
    { policy: "aws-cloudtrail-trail-require-log-file-validation", fail: [trail("t", { enableLogFileValidation: undefined })], pass: [trail("ok")] },
    { policy: "aws-cloudtrail-trail-require-kms", fail: [trail("t", { kmsKeyId: undefined })], pass: [trail("ok"), trail("later", { kmsKeyId: UNKNOWN })] },
    {
        policy: "aws-kms-key-require-rotation",
        fail: [resource("aws:kms/key:Key", "k", {})],
        pass: [resource("aws:kms/key:Key", "ok", { enableKeyRotation: true }), resource("aws:kms/key:Key", "rsa", { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" })],
    },
    {
        policy: "aws-iam-role-require-service-trust-source-condition",
        fail: [
            role("r", { assumeRolePolicy: json({ Effect: "Allow", Principal: { Service: "states.amazonaws.com" }, Action: "sts:AssumeRole" }) }),
            // One documented service does not excuse another in the same statement.
            role("mixed", { assumeRolePolicy: json({ Effect: "Allow", Principal: { Service: ["lambda.amazonaws.com", "events.amazonaws.com"] }, Action: "sts:AssumeRole" }) }),
        ],
        pass: [
            role("ok", { assumeRolePolicy: LAMBDA_TRUST }),
            role("acct", { assumeRolePolicy: json({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "sts:AssumeRole" }) }),
            // Documented without a source condition: Lambda's execution-role trust, CloudTrail's CloudWatch Logs role.
            role("lambda", { assumeRolePolicy: json({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }) }),
            role("trail", { assumeRolePolicy: json({ Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "sts:AssumeRole" }) }),
        ],
    },
    {
        policy: "aws-iam-policy-require-readable-document",
        fail: [
            resource("aws:sqs/queuePolicy:QueuePolicy", "q", { queueUrl: "u", policy: "[secret]" }),
            role("r", { inlinePolicies: [{ name: "i", policy: "[secret]" }] }),
            resource("aws:s3control/multiRegionAccessPointPolicy:MultiRegionAccessPointPolicy", "m", { details: { name: "m", policy: "[secret]" } }),
        ],
        pass: [resource("aws:sqs/queuePolicy:QueuePolicy", "ok", { queueUrl: "u", policy: json({ Effect: "Allow", Principal: { AWS: ACCOUNT }, Action: "sqs:SendMessage", Resource: "*" }) }),
            resource("aws:sqs/queuePolicy:QueuePolicy", "later", { queueUrl: "u", policy: UNKNOWN })],
    },
];

describe("advisory policies", () => {
    it("covers every advisory policy of the pack", () => {
        const advisory = policies.filter((p) => p.enforcementLevel === "advisory" && !p.name.startsWith("swiftsupport-")).map((p) => p.name).sort();
        assert.deepStrictEqual(cases.map((c) => c.policy).sort(), advisory);
    });
    for (const c of cases) {
        describe(c.policy, () => {
            it("reports each failing resource, as advisory, with what to do", async () => {
                const vs = await violationsOf(c.policy, c.fail);
                const expected = c.failing ?? c.fail.map((r) => r.name);
                assert.deepStrictEqual(vs.map((v) => v.name).sort(), [...expected].sort(), messages(vs).join("\n"));
                for (const v of vs) {
                    assert.strictEqual(v.enforcementLevel, "advisory");
                    assert.match(v.message, /: |, /);
                }
            });
            it("passes compliant resources", async () => {
                assert.deepStrictEqual(messages(await violationsOf(c.policy, c.pass)), []);
            });
        });
    }
});
