import { strict as assert } from "node:assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EdgeWebAcl, MANAGED_RULE_GROUPS } from "../../components/edge/webAcl";
import { SiteDistribution, SiteDistributionArgs } from "../../components/edge/siteDistribution";
import { PrivateBucket } from "../../components/storage/privateBucket";
import { ProgramFailed, ProgramRun, RecordedResource, runProgram } from "../../tools/mocks/harness";

const DISTRIBUTION = "aws:cloudfront/distribution:Distribution";
const WEB_ACL = "aws:wafv2/webAcl:WebAcl";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const LOG_POLICY = "aws:cloudwatch/logResourcePolicy:LogResourcePolicy";
const CERTIFICATE = "arn:aws:acm:us-east-1:111111111111:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
const MANAGED_IDS = {
    cachingOptimized: "658327ea-f89d-4fab-a63d-7e88639e58f6",
    cachingDisabled: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
    allViewerExceptHostHeader: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
};

/** The stack's edge in the lead's order: site bucket, web ACL, distribution in front of a real (mocked) HTTP API. */
function edge(overrides: Partial<SiteDistributionArgs> = {}, apiEndpoint?: pulumi.Input<string>) {
    return () => {
        const api = new aws.apigatewayv2.Api("api", { protocolType: "HTTP" });
        const bucket = new PrivateBucket("site", {});
        const acl = new EdgeWebAcl("edge", { rateLimit: 500, logRetentionDays: 14 });
        new SiteDistribution("site", {
            bucket,
            apiEndpoint: apiEndpoint ?? api.apiEndpoint,
            webAclArn: acl.arn,
            logRetentionDays: 14,
            connectOrigins: ["https://swiftsupport-dev.eu.auth0.com/"],
            ...overrides,
        });
    };
}

const only = (run: ProgramRun, type: string): RecordedResource => {
    const found = run.ofType(type);
    assert.equal(found.length, 1, `expected one ${type}, found ${found.length}`);
    return found[0];
};

/** Every resource below `root` in the parent tree. */
function descendants(run: ProgramRun, root: RecordedResource): RecordedResource[] {
    const children = run.childrenOf(root.urn);
    return children.flatMap((c) => [c, ...descendants(run, c)]);
}

describe("EdgeWebAcl", () => {
    let run: ProgramRun;
    let acl: RecordedResource;
    let rules: RecordedResource["inputs"][];

    before(async () => {
        run = await runProgram({ program: () => new EdgeWebAcl("edge", { rateLimit: 500, logRetentionDays: 14 }) });
        acl = only(run, WEB_ACL);
        rules = acl.inputs.rules;
    });

    it("is a CLOUDFRONT-scope ACL in us-east-1 that allows what no rule blocks", () => {
        assert.equal(acl.inputs.scope, "CLOUDFRONT");
        assert.equal(acl.inputs.region, "us-east-1");
        assert.deepEqual(acl.inputs.defaultAction, { allow: {} });
    });

    it("runs the AWS IP-reputation, Common, KnownBadInputs and SQLi groups with their own actions", () => {
        const groups = rules.filter((r) => r.statement.managedRuleGroupStatement);
        assert.deepEqual(
            groups.map((r) => r.statement.managedRuleGroupStatement.name).sort(),
            [
                "AWSManagedRulesAmazonIpReputationList",
                "AWSManagedRulesCommonRuleSet",
                "AWSManagedRulesKnownBadInputsRuleSet",
                "AWSManagedRulesSQLiRuleSet",
            ],
        );
        for (const rule of groups) {
            assert.equal(rule.statement.managedRuleGroupStatement.vendorName, "AWS");
            assert.deepEqual(rule.overrideAction, { none: {} }, `${rule.name} must block, not only count`);
            assert.equal(rule.statement.managedRuleGroupStatement.ruleActionOverrides, undefined);
        }
    });

    it("blocks a client IP above the configured rate", () => {
        const rate = rules.filter((r) => r.statement.rateBasedStatement);
        assert.equal(rate.length, 1);
        assert.deepEqual(rate[0].action, { block: {} });
        assert.equal(rate[0].statement.rateBasedStatement.aggregateKeyType, "IP");
        assert.equal(rate[0].statement.rateBasedStatement.limit, 500);
    });

    it("gives every rule a distinct priority", () => {
        assert.equal(rules.length, MANAGED_RULE_GROUPS.length + 1);
        assert.equal(new Set(rules.map((r) => r.priority)).size, rules.length);
    });

    it("emits metrics and samples requests for every rule and for the ACL", () => {
        for (const config of [acl.inputs.visibilityConfig, ...rules.map((r) => r.visibilityConfig)]) {
            assert.equal(config.cloudwatchMetricsEnabled, true);
            assert.equal(config.sampledRequestsEnabled, true);
            assert.match(config.metricName, /^[A-Za-z0-9_-]+$/);
        }
    });

    it("logs every request to an aws-waf-logs-* group in us-east-1 with the stack's retention", () => {
        const group = only(run, LOG_GROUP);
        assert.equal(group.inputs.name, "aws-waf-logs-swiftsupport-dev");
        assert.equal(group.inputs.retentionInDays, 14);
        assert.equal(group.inputs.region, "us-east-1");
        const logging = only(run, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration");
        assert.equal(logging.inputs.resourceArn, acl.outputs.arn);
        assert.deepEqual(logging.inputs.logDestinationConfigs, [group.outputs.arn]);
        assert.equal(logging.inputs.loggingFilter, undefined, "a filter would drop requests from the log");
    });

    it("redacts the Authorization header from the WAF logs", () => {
        const logging = only(run, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration");
        assert.deepEqual(logging.inputs.redactedFields, [{ singleHeader: { name: "authorization" } }]);
    });

    it("lets only log delivery for this account write to the WAF log group, before logging starts", () => {
        const policy = only(run, LOG_POLICY);
        const group = only(run, LOG_GROUP);
        assert.equal(policy.inputs.region, "us-east-1");
        const [statement, ...rest] = JSON.parse(policy.inputs.policyDocument).Statement;
        assert.equal(rest.length, 0);
        assert.deepEqual(statement.Principal, { Service: "delivery.logs.amazonaws.com" });
        assert.deepEqual(statement.Action, ["logs:CreateLogStream", "logs:PutLogEvents"]);
        assert.equal(statement.Resource, `${group.outputs.arn}:log-stream:*`);
        assert.deepEqual(statement.Condition, {
            StringEquals: { "aws:SourceAccount": "111111111111" },
            ArnLike: { "aws:SourceArn": "arn:aws:logs:us-east-1:111111111111:*" },
        });
        const logging = only(run, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration");
        assert.ok(logging.dependencies.includes(policy.urn));
    });

    it("refuses a rate limit WAF would reject", async () => {
        for (const rateLimit of [5, 2.5, 3_000_000_000]) {
            await assert.rejects(
                runProgram({ program: () => new EdgeWebAcl("edge", { rateLimit, logRetentionDays: 14 }) }),
                (e: unknown) => e instanceof ProgramFailed && /rateLimit/.test(e.message),
            );
        }
    });

    it("refuses a retention CloudWatch Logs does not offer", async () => {
        await assert.rejects(
            runProgram({ program: () => new EdgeWebAcl("edge", { rateLimit: 500, logRetentionDays: 10 }) }),
            (e: unknown) => e instanceof ProgramFailed && /retentionDays 10/.test(e.message),
        );
    });
});

describe("SiteDistribution", () => {
    let run: ProgramRun;
    let dist: RecordedResource;
    let inputs: RecordedResource["inputs"];

    before(async () => {
        run = await runProgram({ program: edge() });
        dist = only(run, DISTRIBUTION);
        inputs = dist.inputs;
    });

    const apiBehavior = () => {
        const behaviors = inputs.orderedCacheBehaviors.filter((b: { pathPattern: string }) => b.pathPattern === "/api/*");
        assert.equal(behaviors.length, 1);
        return behaviors[0];
    };
    const origin = (id: string) => inputs.origins.find((o: { originId: string }) => o.originId === id);

    it("redirects site viewers to HTTPS and serves the API over HTTPS only", () => {
        assert.equal(inputs.defaultCacheBehavior.viewerProtocolPolicy, "redirect-to-https");
        assert.equal(apiBehavior().viewerProtocolPolicy, "https-only");
        for (const b of inputs.orderedCacheBehaviors) assert.notEqual(b.viewerProtocolPolicy, "allow-all");
    });

    it("reads the site bucket through an Origin Access Control that signs every request", () => {
        const oac = only(run, "aws:cloudfront/originAccessControl:OriginAccessControl");
        assert.deepEqual(
            [oac.inputs.originAccessControlOriginType, oac.inputs.signingBehavior, oac.inputs.signingProtocol],
            ["s3", "always", "sigv4"],
        );
        const bucket = run.named("aws:s3/bucket:Bucket", "site");
        assert.equal(origin("site").domainName, bucket.outputs.bucketRegionalDomainName);
        assert.equal(origin("site").originAccessControlId, oac.id);
        assert.equal(origin("site").s3OriginConfig, undefined, "no legacy origin access identity");
        assert.equal(inputs.defaultCacheBehavior.targetOriginId, "site");
    });

    it("lets only CloudFront, for this distribution, read the site's objects, over TLS", () => {
        const bucket = run.named("aws:s3/bucket:Bucket", "site");
        const policies = run.ofType("aws:s3/bucketPolicy:BucketPolicy");
        assert.equal(policies.length, 1);
        assert.equal(policies[0].inputs.bucket, bucket.id);
        const statements = JSON.parse(policies[0].inputs.policy).Statement;
        assert.deepEqual(statements.map((s: { Sid: string; Effect: string }) => [s.Sid, s.Effect]), [
            ["DenyInsecureTransport", "Deny"],
            ["CloudFrontReadViaOac", "Allow"],
        ]);
        assert.deepEqual(statements[0].Condition, { Bool: { "aws:SecureTransport": "false" } });
        assert.deepEqual(statements[1], {
            Sid: "CloudFrontReadViaOac",
            Effect: "Allow",
            Principal: { Service: "cloudfront.amazonaws.com" },
            Action: ["s3:GetObject"],
            Resource: `${bucket.outputs.arn}/*`,
            Condition: { StringEquals: { "AWS:SourceArn": dist.outputs.arn } },
        });
    });

    it("is associated with the web ACL through its webAclId (WebAclAssociation does not support CloudFront)", () => {
        assert.equal(inputs.webAclId, only(run, WEB_ACL).outputs.arn);
        assert.equal(run.ofType("aws:wafv2/webAclAssociation:WebAclAssociation").length, 0);
    });

    it("uses the default certificate when no custom domain is configured", () => {
        assert.deepEqual(inputs.viewerCertificate, { cloudfrontDefaultCertificate: true });
        assert.deepEqual(inputs.aliases, []);
    });

    it("sends HSTS, CSP, nosniff, DENY framing and a strict referrer policy on every response", () => {
        const policy = only(run, "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy");
        const h = policy.inputs.securityHeadersConfig;
        assert.ok(h.strictTransportSecurity.accessControlMaxAgeSec >= 31_536_000);
        assert.equal(h.strictTransportSecurity.includeSubdomains, true);
        assert.equal(h.strictTransportSecurity.preload, true);
        assert.deepEqual(h.contentTypeOptions, { override: true });
        assert.deepEqual(h.frameOptions, { frameOption: "DENY", override: true });
        assert.deepEqual(h.referrerPolicy, { referrerPolicy: "strict-origin-when-cross-origin", override: true });
        const csp: string[] = h.contentSecurityPolicy.contentSecurityPolicy.split("; ");
        assert.equal(csp[0], "default-src 'self'");
        assert.ok(csp.includes("frame-ancestors 'none'"));
        assert.ok(csp.includes("object-src 'none'"));
        assert.ok(csp.includes("connect-src 'self' https://swiftsupport-dev.eu.auth0.com"));
        for (const header of Object.values<{ override: boolean }>(h)) assert.equal(header.override, true);
        assert.equal(inputs.defaultCacheBehavior.responseHeadersPolicyId, policy.id);
        assert.equal(apiBehavior().responseHeadersPolicyId, policy.id);
    });

    it("sends /api/* to the API over TLS 1.2, uncached, with the viewer's Authorization header", () => {
        const api = only(run, "aws:apigatewayv2/api:Api");
        const behavior = apiBehavior();
        assert.equal(behavior.targetOriginId, "api");
        assert.deepEqual([...behavior.allowedMethods].sort(), ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]);
        assert.equal(behavior.cachePolicyId, MANAGED_IDS.cachingDisabled);
        assert.equal(behavior.originRequestPolicyId, MANAGED_IDS.allViewerExceptHostHeader);
        assert.equal(origin("api").domainName, new URL(api.outputs.apiEndpoint).hostname);
        assert.deepEqual(origin("api").customOriginConfig, {
            httpPort: 80,
            httpsPort: 443,
            originProtocolPolicy: "https-only",
            originSslProtocols: ["TLSv1.2"],
        });
    });

    it("caches the site with the managed CachingOptimized policy and serves index.html at the root", () => {
        assert.equal(inputs.defaultCacheBehavior.cachePolicyId, MANAGED_IDS.cachingOptimized);
        assert.deepEqual(inputs.defaultCacheBehavior.allowedMethods, ["GET", "HEAD"]);
        assert.equal(inputs.defaultRootObject, "index.html");
        assert.equal(inputs.httpVersion, "http2and3");
        assert.equal(inputs.priceClass, "PriceClass_100");
    });

    it("logs access through CloudWatch vended delivery in us-east-1, not ACL-based legacy logging", () => {
        assert.equal(inputs.loggingConfig, undefined);
        const source = only(run, "aws:cloudwatch/logDeliverySource:LogDeliverySource");
        const destination = only(run, "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination");
        const delivery = only(run, "aws:cloudwatch/logDelivery:LogDelivery");
        const group = run.ofType(LOG_GROUP).find((g) => g.inputs.name.startsWith("/aws/vendedlogs/cloudfront/"));
        assert.ok(group, "no CloudFront access log group");
        assert.equal(group.inputs.retentionInDays, 14);
        assert.equal(source.inputs.logType, "ACCESS_LOGS");
        assert.equal(source.inputs.resourceArn, dist.outputs.arn);
        assert.equal(destination.inputs.deliveryDestinationConfiguration.destinationResourceArn, group.outputs.arn);
        assert.equal(delivery.inputs.deliverySourceName, source.outputs.name);
        assert.equal(delivery.inputs.deliveryDestinationArn, destination.outputs.arn);
        for (const r of [group, source, destination, delivery]) assert.equal(r.inputs.region, "us-east-1", r.type);
        const policy = run.ofType(LOG_POLICY).find((p) => JSON.parse(p.inputs.policyDocument).Statement[0].Resource.startsWith(group.outputs.arn));
        assert.ok(policy && delivery.dependencies.includes(policy.urn), "delivery must wait for the log group's delivery policy");
    });

    it("parents everything it creates to the component", () => {
        const component = only(run, "swiftsupport:edge:SiteDistribution");
        const owned = new Set(descendants(run, component).map((r) => r.urn));
        for (const type of [DISTRIBUTION, "aws:cloudfront/originAccessControl:OriginAccessControl", "aws:cloudwatch/logDelivery:LogDelivery"]) {
            assert.ok(owned.has(only(run, type).urn), type);
        }
    });

    it("requires TLSv1.2_2021 over SNI when a custom domain and certificate are configured", async () => {
        const custom = await runProgram({ program: edge({ aliases: ["support.example.com"], certificateArn: CERTIFICATE }) });
        const d = only(custom, DISTRIBUTION).inputs;
        assert.deepEqual(d.aliases, ["support.example.com"]);
        assert.deepEqual(d.viewerCertificate, {
            acmCertificateArn: CERTIFICATE,
            minimumProtocolVersion: "TLSv1.2_2021",
            sslSupportMethod: "sni-only",
        });
    });

    it("keeps a stage path in front of /api when the endpoint names a stage", async () => {
        const staged = await runProgram({ program: edge({}, "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/") });
        const api = only(staged, DISTRIBUTION).inputs.origins.find((o: { originId: string }) => o.originId === "api");
        assert.equal(api.domainName, "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com");
        assert.equal(api.originPath, "/prod");
    });

    it("refuses a custom domain without its certificate, and a certificate without a domain", async () => {
        for (const overrides of [{ aliases: ["support.example.com"] }, { certificateArn: CERTIFICATE }]) {
            await assert.rejects(
                runProgram({ program: edge(overrides) }),
                (e: unknown) => e instanceof ProgramFailed && /aliases and certificateArn together/.test(e.message),
            );
        }
    });

    it("refuses an API endpoint that is not https execute-api", async () => {
        for (const endpoint of ["http://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com", "https://example.com"]) {
            await assert.rejects(
                runProgram({ program: edge({}, endpoint) }),
                (e: unknown) => e instanceof ProgramFailed && /apiEndpoint/.test(e.message),
            );
        }
    });

    it("refuses an API endpoint Output that resolves to plain http, registering no distribution", async () => {
        // The error surfaces inside an Output (an unhandled rejection, which fails a real deployment); the harness
        // turns it into ProgramFailed the same way.
        await assert.rejects(
            runProgram({ program: edge({}, pulumi.output("http://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com")) }),
            (e: unknown) =>
                e instanceof ProgramFailed &&
                /apiEndpoint "http:\/\/a1b2c3d4e5[^"]*" must be https/.test(e.message) &&
                e.resources.every((r) => r.type !== DISTRIBUTION),
        );
    });

    it("refuses a connect origin that is not https", async () => {
        await assert.rejects(
            runProgram({ program: edge({ connectOrigins: ["http://tenant.auth0.com"] }) }),
            (e: unknown) => e instanceof ProgramFailed && /connectOrigins: "http:\/\/tenant.auth0.com" must be https/.test(e.message),
        );
    });
});
