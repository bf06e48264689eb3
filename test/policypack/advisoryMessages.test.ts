// What each advisory (and the confused-deputy) policy tells a user, word for word, per decision: which resource,
// which setting, what to do; the alternative shapes each policy accepts; and what it leaves for `pulumi up` when a
// value is unknown during preview.

import * as assert from "assert";
import { mock } from "node:test";
import { PackConfig, RunnerResource } from "../../tools/lib/packRunner";
import { UNKNOWN, messages, resource, urnOf, violationsOf } from "./support";

const FN = "aws:lambda/function:Function";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const RANDOM = "random:index/randomString:RandomString";
const V2_STAGE = "aws:apigatewayv2/stage:Stage";
const REST_STAGE = "aws:apigateway/stage:Stage";
const METHOD_SETTINGS = "aws:apigateway/methodSettings:MethodSettings";
const WEB_ACL = "aws:wafv2/webAcl:WebAcl";
const ROUTE = "aws:apigatewayv2/route:Route";
const METHOD = "aws:apigateway/method:Method";
const DISTRIBUTION = "aws:cloudfront/distribution:Distribution";
const PERMISSION = "aws:lambda/permission:Permission";

const PREVIEW = /^can't run policy '[^']+' from policy pack '[^']+' during preview: (.*) cannot be verified until the value is known \(it is checked in full when known, e\.g\. on `pulumi up`\)$/;

/** `name: message` per violation, sorted; a preview note reads `name: (preview) <what cannot be verified>`. */
async function said(policy: string, resources: RunnerResource[], config: PackConfig = {}): Promise<string[]> {
    const vs = await violationsOf(policy, resources, config);
    return messages(vs.map((v) => ({ ...v, message: v.message.replace(PREVIEW, "(preview) $1") }))).sort();
}

const fn = (name: string, props: object = {}, extra: Partial<RunnerResource> = {}) =>
    resource(FN, name, { name: `${name}-1`, runtime: "nodejs22.x", role: "arn", ...props }, extra);
const logGroup = (name: string, props: Record<string, unknown>, extra: Partial<RunnerResource> = {}) => resource(LOG_GROUP, name, props, extra);

describe("advisory policies, word for word", () => {
    describe("aws-lambda-function-require-log-retention", () => {
        const P = "aws-lambda-function-require-log-retention";
        const unmanaged = (fnName: string, group: string) => `${fnName}: Function '${fnName}' logs to '${group}', which the stack does not manage, ` +
            "so Lambda creates it with no retention: add an aws.cloudwatch.LogGroup with that name and retentionInDays.";
        const forever = (fnName: string, group: string) => `${fnName}: Function '${fnName}' logs to '${group}', which keeps logs forever: set its retentionInDays.`;

        it("names the group Lambda would create when the stack manages none", async () => {
            assert.deepStrictEqual(await said(P, [fn("orphan")]), [unmanaged("orphan", "/aws/lambda/orphan-1")]);
        });
        it("names the group a function logs to when it keeps logs forever (no retention, or 0), by its name or its loggingConfig", async () => {
            assert.deepStrictEqual(await said(P, [
                fn("zero"), logGroup("zero-logs", { name: "/aws/lambda/zero-1", retentionInDays: 0 }),
                fn("cfg", { loggingConfig: { logFormat: "JSON", logGroup: "/app/cfg" } }), logGroup("cfg-logs", { name: "/app/cfg" }),
            ]), [forever("cfg", "/app/cfg"), forever("zero", "/aws/lambda/zero-1")]);
        });
        it("passes a function whose loggingConfig names a managed group with a retention, whatever the default group", async () => {
            assert.deepStrictEqual(await said(P, [
                fn("cfgok", { loggingConfig: { logFormat: "JSON", logGroup: "/app/cfgok" } }), logGroup("cfgok-logs", { name: "/app/cfgok", retentionInDays: 7 }),
            ]), []);
        });
        it("does not let a group whose name depends on the function cover it when that group keeps logs forever", async () => {
            assert.deepStrictEqual(await said(P, [
                fn("dep"),
                logGroup("dep-logs", { name: "/aws/lambda/dep-1" }, { propertyDependencies: { name: [urnOf(FN, "dep")] } }),
            ]), [forever("dep", "/aws/lambda/dep-1")]);
        });
        it("leaves a function whose loggingConfig depends on a LogGroup to that group's own retention policy", async () => {
            assert.deepStrictEqual(await said(P, [
                resource(RANDOM, "sfx", { length: 4 }),
                logGroup("viadep-logs", { name: "/app/viadep" }),
                fn("viadep", { loggingConfig: { logFormat: "JSON", logGroup: "/app/viadep" } },
                    { propertyDependencies: { loggingConfig: [urnOf(LOG_GROUP, "viadep-logs"), urnOf(RANDOM, "sfx")] } }),
            ]), []);
        });
        it("matches by value a loggingConfig that depends on something other than a LogGroup", async () => {
            assert.deepStrictEqual(await said(P, [
                resource(RANDOM, "sfx", { length: 4 }),
                fn("suffix", { loggingConfig: { logFormat: "JSON", logGroup: "/app/suffix-abcd" } }, { propertyDependencies: { loggingConfig: [urnOf(RANDOM, "sfx")] } }),
            ]), [unmanaged("suffix", "/app/suffix-abcd")]);
        });
        it("agrees with aws-cloudwatch-loggroup-require-retention that a retention which is not a number keeps logs forever", async () => {
            const resources = [fn("text"), logGroup("text-logs", { name: "/aws/lambda/text-1", retentionInDays: "14" })];
            assert.deepStrictEqual(await said(P, resources), [forever("text", "/aws/lambda/text-1")]);
            assert.deepStrictEqual(await said("aws-cloudwatch-loggroup-require-retention", resources),
                ["text-logs: LogGroup 'text-logs' keeps logs forever: set retentionInDays (e.g. 30 for dev, 365 for prod)."]);
        });
        it("in preview, leaves an unknown group or function name, and an unknown retention, for when they are known", async () => {
            assert.deepStrictEqual(await said(P, [
                fn("later", { loggingConfig: { logFormat: "JSON", logGroup: UNKNOWN } }),
                fn("anon", { name: UNKNOWN }),
                fn("pending"), logGroup("pending-logs", { name: "/aws/lambda/pending-1", retentionInDays: UNKNOWN }),
            ]), [": (preview) LogGroup 'pending-logs' `retentionInDays`, Function 'later' `loggingConfig.logGroup`, Function 'anon' `name`"]);
        });
    });

    describe("aws-apigateway-stage-require-throttling", () => {
        const P = "aws-apigateway-stage-require-throttling";
        const v2 = (name: string, defaultRouteSettings: unknown) => resource(V2_STAGE, name, { apiId: "a", name, defaultRouteSettings });
        const v2Message = (name: string) => `${name}: Stage '${name}' has no throttling: set defaultRouteSettings.throttlingBurstLimit and throttlingRateLimit.`;
        const rest = (name: string) => resource(REST_STAGE, name, { restApi: "a", deployment: "d", stageName: name });
        const ms = (name: string, stageName: unknown, settings: unknown) => resource(METHOD_SETTINGS, name, { restApi: "a", stageName, methodPath: "*/*", settings });
        const restMessage = (name: string) => `${name}: Stage '${name}' has no throttling: add an aws.apigateway.MethodSettings with ` +
            `methodPath "*/*" and settings.throttlingBurstLimit / throttlingRateLimit for this stage.`;

        it("needs both a burst and a rate limit, each a number of at least 0, on an HTTP stage", async () => {
            assert.deepStrictEqual(await said(P, [
                v2("burst", { throttlingBurstLimit: 10 }),
                v2("rate", { throttlingRateLimit: 5 }),
                v2("negburst", { throttlingBurstLimit: -1, throttlingRateLimit: 5 }),
                v2("negrate", { throttlingBurstLimit: 10, throttlingRateLimit: -1 }),
                v2("nullburst", { throttlingBurstLimit: null, throttlingRateLimit: 5 }),
                v2("nullrate", { throttlingBurstLimit: 10, throttlingRateLimit: null }),
                v2("zero", { throttlingBurstLimit: 0, throttlingRateLimit: 0 }),
            ]), ["burst", "negburst", "negrate", "nullburst", "nullrate", "rate"].map(v2Message));
        });
        it("in preview, leaves unknown route settings for when they are known", async () => {
            assert.deepStrictEqual(await said(P, [v2("later", UNKNOWN)]), [": (preview) Stage 'later' `defaultRouteSettings`"]);
        });
        it("passes a REST stage only through MethodSettings that throttle it, named by stageName", async () => {
            assert.deepStrictEqual(await said(P, [
                rest("live"), ms("live-ms", "live", { throttlingBurstLimit: 10, throttlingRateLimit: 5 }),
                rest("metrics"), ms("metrics-ms", "metrics", { metricsEnabled: true }),
                rest("bare"),
            ]), [restMessage("bare"), restMessage("metrics")]);
        });
        it("does not guess which REST stage MethodSettings with an unknown stage name throttle", async () => {
            assert.deepStrictEqual(await said(P, [rest("a"), ms("a-ms", UNKNOWN, { throttlingBurstLimit: 10, throttlingRateLimit: 5 })]), []);
        });
        it("reads no MethodSettings in a stack without REST stages", async () => {
            assert.deepStrictEqual(await said(P, [ms("lone", "x", UNKNOWN)]), []);
        });
    });

    describe("aws-wafv2-webacl-require-sqli-rule-group", () => {
        const P = "aws-wafv2-webacl-require-sqli-rule-group";
        const acl = (name: string, props: object) => resource(WEB_ACL, name, { scope: "CLOUDFRONT", ...props });
        const sqli = { name: "sqli", priority: 1, overrideAction: { none: {} }, statement: { managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesSQLiRuleSet" } }, visibilityConfig: {} };
        const rate = { name: "rate", priority: 0, action: { block: {} }, statement: { rateBasedStatement: { limit: 100, aggregateKeyType: "IP" } }, visibilityConfig: {} };
        const SQLI = { Name: "sqli", OverrideAction: { None: {} }, Statement: { ManagedRuleGroupStatement: { VendorName: "AWS", Name: "AWSManagedRulesSQLiRuleSet" } } };
        const RATE = { Name: "rate", Action: { Block: {} }, Statement: { RateBasedStatement: { Limit: 100, AggregateKeyType: "IP" } } };
        const absent = (name: string) => `${name}: WebAcl '${name}' does not use the AWS managed AWSManagedRulesSQLiRuleSet rule group: add a rule with ` +
            `statement.managedRuleGroupStatement { vendorName: "AWS", name: "AWSManagedRulesSQLiRuleSet" }.`;
        const counting = (name: string) => `${name}: WebAcl '${name}' runs AWSManagedRulesSQLiRuleSet in count mode, so SQL injection is logged, not blocked: ` +
            `set overrideAction { none: {} }.`;
        const unusable = (name: string, why: string) => `${name}: WebAcl '${name}' ruleJson ${why}, so AWS rejects the web ACL and no rule can be verified: ` +
            `write it with JSON.stringify of a list of rules.`;
        const parseError = (text: string) => {
            try {
                JSON.parse(text);
            } catch (e) {
                return (e as Error).message;
            }
            throw new Error(`${text} parses`);
        };

        it("finds the group among other rules, in rules or in ruleJson", async () => {
            assert.deepStrictEqual(await said(P, [
                acl("none", { rules: [] }),
                acl("rateonly", { rules: [rate] }),
                acl("ratefirst", { rules: [rate, sqli] }),
                acl("jsonrate", { ruleJson: JSON.stringify([RATE, SQLI]) }),
                acl("jsonrateonly", { ruleJson: JSON.stringify([RATE]) }),
                acl("jsonnull", { ruleJson: JSON.stringify([null, SQLI]) }),
                acl("emptyjson", { ruleJson: "", rules: [sqli] }),
            ]), [absent("jsonrateonly"), absent("none"), absent("rateonly")]);
        });
        it("names count mode, in either spelling", async () => {
            assert.deepStrictEqual(await said(P, [
                acl("count", { rules: [{ ...sqli, overrideAction: { count: {} } }] }),
                acl("jsoncount", { ruleJson: JSON.stringify([{ ...SQLI, OverrideAction: { Count: {} } }]) }),
            ]), [counting("count"), counting("jsoncount")]);
        });
        it("reports a ruleJson AWS cannot read: not JSON, or not a list", async () => {
            assert.deepStrictEqual(await said(P, [
                acl("bad", { ruleJson: "[{\"Name\": " }),
                acl("object", { ruleJson: JSON.stringify(SQLI) }),
            ]), [unusable("bad", `is not valid JSON (${parseError("[{\"Name\": ")})`), unusable("object", "is not a JSON list of rules")]);
        });
        it("in preview, leaves unknown rules for when they are known", async () => {
            assert.deepStrictEqual(await said(P, [acl("later", { rules: UNKNOWN })]), ["later: (preview) `rules`"]);
        });
    });

    describe("aws-apigateway-route-require-authorizer", () => {
        const P = "aws-apigateway-route-require-authorizer";
        const route = (name: string, routeKey: unknown, authorizationType?: unknown) => resource(ROUTE, name, { apiId: "a", routeKey, authorizationType });
        const method = (name: string, httpMethod: string, authorization: unknown) => resource(METHOD, name, { restApi: "a", resourceId: "r", httpMethod, authorization });
        const openRoute = (name: string, key: string) => `${name}: Route '${name}' (${key}) has no authorizer: set authorizationType (JWT, CUSTOM or AWS_IAM) ` +
            `and authorizerId, or list it in publicRoutes if it is meant to be public.`;
        const openMethod = (name: string, key: string) => `${name}: Method '${name}' (${key}) has no authorizer: set authorization ` +
            `(COGNITO_USER_POOLS, CUSTOM or AWS_IAM), or list it in publicRoutes if it is meant to be public.`;

        it("names the route or method, its key, and the setting to add; NONE in any case and null count as none", async () => {
            assert.deepStrictEqual(await said(P, [
                route("open", "POST /tickets"),
                route("nullauth", "GET /tickets", null),
                route("lower", "DELETE /tickets/{id}", "none"),
                route("jwt", "GET /me", "JWT"),
                method("rest", "GET", "NONE"),
                method("iam", "PUT", "AWS_IAM"),
            ]), [openRoute("lower", "DELETE /tickets/{id}"), openRoute("nullauth", "GET /tickets"), openRoute("open", "POST /tickets"), openMethod("rest", "GET")]);
        });
        it("passes what publicRoutes lists, by route key or by resource name", async () => {
            const config = { [P]: { publicRoutes: ["GET /health", "rest"] } };
            assert.deepStrictEqual(await said(P, [route("health", "GET /health"), method("rest", "GET", "NONE"), route("other", "GET /other")], config),
                [openRoute("other", "GET /other")]);
        });
        it("in preview, leaves an unknown authorization or route key for when it is known", async () => {
            assert.deepStrictEqual(await said(P, [route("auth", "GET /x", UNKNOWN), route("key", UNKNOWN)]),
                ["auth: (preview) `authorizationType`", "key: (preview) `routeKey`"]);
        });
    });

    describe("aws-lambda-permission-require-source-condition", () => {
        const P = "aws-lambda-permission-require-source-condition";
        const permission = (name: string, props: object) => resource(PERMISSION, name, { action: "lambda:InvokeFunction", function: "f", ...props });
        const open = (name: string, service: string) => `${name}: Permission '${name}' statement 0 lets ${service} invoke the function on behalf of any ` +
            "account's resources: set `sourceArn` to the calling resource's ARN (with its account) or `sourceAccount` to the account id.";

        it("names the service and the properties that pin the caller", async () => {
            assert.deepStrictEqual(await said(P, [permission("s3", { principal: "s3.amazonaws.com" })]), [open("s3", "s3.amazonaws.com")]);
        });
        it("tells a layer permission given to a service to set its organization", async () => {
            assert.deepStrictEqual(await said(P, [resource("aws:lambda/layerVersionPermission:LayerVersionPermission", "l", {
                action: "lambda:GetLayerVersion", layerName: "arn:aws:lambda:eu-west-1:123456789012:layer:shared", versionNumber: 1, principal: "ecs-tasks.amazonaws.com", statementId: "s",
            })]), ["l: LayerVersionPermission 'l' statement 0 lets ecs-tasks.amazonaws.com invoke the layer on behalf of any account's resources: set `organizationId`."]);
        });
        it("exempts the services config lists, and only those", async () => {
            const config = { [P]: { exemptServices: ["events.amazonaws.com"] } };
            assert.deepStrictEqual(await said(P, [permission("events", { principal: "events.amazonaws.com" }), permission("sns", { principal: "sns.amazonaws.com" })], config),
                [open("sns", "sns.amazonaws.com")]);
        });
        it("takes an eventSourceToken as the pin for Alexa only", async () => {
            assert.deepStrictEqual(await said(P, [
                permission("alexa", { principal: "alexa-appkit.amazon.com", eventSourceToken: "amzn1.ask.skill.1" }),
                permission("token", { principal: "events.amazonaws.com", eventSourceToken: "amzn1.ask.skill.1" }),
            ]), [open("token", "events.amazonaws.com")]);
        });
        it("leaves a permission without a principal (the provider rejects it) alone", async () => {
            assert.deepStrictEqual(await said(P, [permission("nobody", {})]), []);
        });
        it("in preview, leaves an unknown principal for when it is known", async () => {
            assert.deepStrictEqual(await said(P, [permission("later", { principal: UNKNOWN })]), ["later: (preview) `(permission) Statement[0].Principal`"]);
        });
    });

    describe("aws-cloudfront-distribution-require-https-only", () => {
        const P = "aws-cloudfront-distribution-require-https-only";
        const plain = (name: string, path: string) => `${name}: Distribution '${name}' cache behaviour ${path} allows plain HTTP: set viewerProtocolPolicy "redirect-to-https".`;

        it("names the default behaviour and each ordered behaviour by path, past malformed ones", async () => {
            assert.deepStrictEqual(await said(P, [
                resource(DISTRIBUTION, "d", { defaultCacheBehavior: { viewerProtocolPolicy: "allow-all" } }),
                resource(DISTRIBUTION, "o", {
                    orderedCacheBehaviors: [null, { pathPattern: "/img/*", viewerProtocolPolicy: "allow-all" }, { pathPattern: "/api/*", viewerProtocolPolicy: "https-only" }],
                }),
            ]), [plain("d", "default"), plain("o", "/img/*")]);
        });
        it("in preview, leaves unknown behaviours for when they are known", async () => {
            assert.deepStrictEqual(await said(P, [resource(DISTRIBUTION, "later", { defaultCacheBehavior: { viewerProtocolPolicy: "https-only" }, orderedCacheBehaviors: UNKNOWN })]),
                ["later: (preview) `orderedCacheBehaviors`"]);
        });
    });

    describe("presence policies: WAF on CloudFront, KMS on CloudTrail", () => {
        const waf = (name: string) => `${name}: Distribution '${name}' has no WAF web ACL: set webAclId to the ARN of an aws.wafv2.WebAcl with ` +
            `scope "CLOUDFRONT" (created in us-east-1).`;
        const kms = (name: string) => `${name}: Trail '${name}' logs are encrypted with S3-managed keys only: set kmsKeyId to a KMS key ARN ` +
            "whose policy lets cloudtrail.amazonaws.com encrypt.";
        it("reports a missing, empty or null webAclId, and passes one created in the same update", async () => {
            assert.deepStrictEqual(await said("aws-cloudfront-distribution-require-waf", [
                resource(DISTRIBUTION, "missing", {}), resource(DISTRIBUTION, "empty", { webAclId: "" }), resource(DISTRIBUTION, "null", { webAclId: null }),
                resource(DISTRIBUTION, "later", { webAclId: UNKNOWN }), resource(DISTRIBUTION, "set", { webAclId: "arn:aws:wafv2:us-east-1:1:global/webacl/x/y" }),
            ]), [waf("empty"), waf("missing"), waf("null")]);
        });
        it("reports a missing, empty or null kmsKeyId, and passes one created in the same update", async () => {
            const trail = (name: string, props: object) => resource("aws:cloudtrail/trail:Trail", name, { s3BucketName: "b", ...props });
            assert.deepStrictEqual(await said("aws-cloudtrail-trail-require-kms", [
                trail("missing", {}), trail("empty", { kmsKeyId: "" }), trail("null", { kmsKeyId: null }),
                trail("later", { kmsKeyId: UNKNOWN }), trail("set", { kmsKeyId: "arn:aws:kms:eu-west-1:1:key/x" }),
            ]), [kms("empty"), kms("missing"), kms("null")]);
        });
    });

    describe("aws-cloudfront-distribution-require-modern-tls", () => {
        const P = "aws-cloudfront-distribution-require-modern-tls";
        const dist = (name: string, viewerCertificate: unknown) => resource(DISTRIBUTION, name, { viewerCertificate });
        const acm = "arn:aws:acm:us-east-1:1:certificate/x";
        it("names the default certificate, and the version a custom one accepts (TLSv1 when unset)", async () => {
            assert.deepStrictEqual(await said(P, [
                dist("default", { cloudfrontDefaultCertificate: true }),
                dist("old", { acmCertificateArn: acm, minimumProtocolVersion: "TLSv1.1_2016" }),
                dist("unset", { acmCertificateArn: acm }),
                dist("ok", { acmCertificateArn: acm, minimumProtocolVersion: "TLSv1.2_2021" }),
            ]), [
                "default: Distribution 'default' uses the default CloudFront certificate, which accepts TLSv1: use an ACM certificate with minimumProtocolVersion \"TLSv1.2_2021\".",
                "old: Distribution 'old' accepts TLSv1.1_2016: set viewerCertificate.minimumProtocolVersion to \"TLSv1.2_2021\" or newer.",
                "unset: Distribution 'unset' accepts TLSv1: set viewerCertificate.minimumProtocolVersion to \"TLSv1.2_2021\" or newer.",
            ]);
        });
        it("holds distributions to the configured oldest policy", async () => {
            const config = { [P]: { minimumProtocolVersion: "TLSv1.2_2019" } };
            assert.deepStrictEqual(await said(P, [
                dist("y2018", { acmCertificateArn: acm, minimumProtocolVersion: "TLSv1.2_2018" }),
                dist("y2019", { acmCertificateArn: acm, minimumProtocolVersion: "TLSv1.2_2019" }),
            ], config), ["y2018: Distribution 'y2018' accepts TLSv1.2_2018: set viewerCertificate.minimumProtocolVersion to \"TLSv1.2_2019\" or newer."]);
        });
        it("in preview, leaves an unknown certificate for when it is known", async () => {
            assert.deepStrictEqual(await said(P, [dist("later", UNKNOWN)]), ["later: (preview) `viewerCertificate`"]);
        });
    });

    describe("aws-lambda-function-disallow-deprecated-runtime", () => {
        const P = "aws-lambda-function-disallow-deprecated-runtime";
        const advice = "move to a supported runtime (e.g. nodejs22.x, python3.13, java21).";
        afterEach(() => mock.timers.reset());

        it("names the runtime and the day AWS deprecated it, or that config lists it", async () => {
            const config = { [P]: { additionalDeprecatedRuntimes: ["nodejs20.x"] } };
            assert.deepStrictEqual(await said(P, [fn("old", { runtime: "nodejs16.x" }), fn("listed", { runtime: "nodejs20.x" }), fn("new")], config), [
                `listed: Function 'listed' uses runtime nodejs20.x, which is deprecated: ${advice}`,
                `old: Function 'old' uses runtime nodejs16.x, deprecated since 2024-06-12: ${advice}`,
            ]);
        });
        it("flags a runtime from its deprecation day on, not the day before", async () => {
            mock.timers.enable({ apis: ["Date"], now: new Date("2026-11-09T23:59:59Z") });
            assert.deepStrictEqual(await said(P, [fn("dotnet", { runtime: "dotnet8" })]), []);
            mock.timers.setTime(new Date("2026-11-10T00:00:00Z").getTime());
            assert.deepStrictEqual(await said(P, [fn("dotnet", { runtime: "dotnet8" })]), [`dotnet: Function 'dotnet' uses runtime dotnet8, deprecated since 2026-11-10: ${advice}`]);
        });
    });

    describe("single-setting policies", () => {
        it("aws-apigateway-stage-require-access-logs: an empty destination is no destination; unknown waits", async () => {
            const msg = (name: string) => `${name}: Stage '${name}' writes no access logs: set accessLogSettings { destinationArn: <log group arn>, ` +
                "format: <JSON with requestId, ip, routeKey, status> }.";
            assert.deepStrictEqual(await said("aws-apigateway-stage-require-access-logs", [
                resource(V2_STAGE, "empty", { apiId: "a", accessLogSettings: { destinationArn: "", format: "{}" } }),
                resource(REST_STAGE, "rest", { restApi: "a", deployment: "d", stageName: "prod" }),
                resource(V2_STAGE, "later", { apiId: "a", accessLogSettings: { destinationArn: UNKNOWN, format: "{}" } }),
            ]), [msg("empty"), "later: (preview) `accessLogSettings.destinationArn`", msg("rest")]);
        });
        it("aws-kms-key-require-rotation: symmetric keys only, asymmetric encryption keys included", async () => {
            assert.deepStrictEqual(await said("aws-kms-key-require-rotation", [
                resource("aws:kms/key:Key", "off", { enableKeyRotation: false }),
                resource("aws:kms/key:Key", "rsa", { customerMasterKeySpec: "RSA_2048", keyUsage: "ENCRYPT_DECRYPT" }),
            ]), ["off: Key 'off' does not rotate: set enableKeyRotation: true."]);
        });
        it("aws-lambda-function-require-tracing: says whether tracing is off or in which mode", async () => {
            const tail = "set tracingConfig: { mode: \"Active\" } and grant xray:PutTraceSegments and xray:PutTelemetryRecords.";
            assert.deepStrictEqual(await said("aws-lambda-function-require-tracing", [
                fn("none"), fn("pass", { tracingConfig: { mode: "PassThrough" } }), fn("active", { tracingConfig: { mode: "Active" } }),
            ]), [`none: Function 'none' has tracing off: ${tail}`, `pass: Function 'pass' has tracing mode "PassThrough": ${tail}`]);
        });
        it("aws-cloudwatch-loggroup-require-retention: forever, or fewer days than configured; unknown waits", async () => {
            const config = { "aws-cloudwatch-loggroup-require-retention": { minimumRetentionDays: 30 } };
            assert.deepStrictEqual(await said("aws-cloudwatch-loggroup-require-retention", [
                logGroup("zero", { retentionInDays: 0 }), logGroup("week", { retentionInDays: 7 }), logGroup("month", { retentionInDays: 30 }),
                logGroup("later", { retentionInDays: UNKNOWN }),
            ], config), [
                "later: (preview) `retentionInDays`",
                "week: LogGroup 'week' keeps logs 7 days, less than the 30 required: raise retentionInDays.",
                "zero: LogGroup 'zero' keeps logs forever: set retentionInDays (e.g. 30 for dev, 365 for prod).",
            ]);
        });
        it("aws-dynamodb-table-require-point-in-time-recovery: a table with no pointInTimeRecovery block", async () => {
            assert.deepStrictEqual(await said("aws-dynamodb-table-require-point-in-time-recovery", [resource("aws:dynamodb/table:Table", "t", {})]),
                ["t: Table 't' has no point-in-time recovery: set pointInTimeRecovery: { enabled: true }."]);
        });
    });
});
