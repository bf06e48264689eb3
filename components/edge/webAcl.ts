import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DeliveryLogGroup } from "./deliveryLogGroup";

/**
 * CloudFront, CLOUDFRONT-scope web ACLs and their log delivery live in us-east-1. Provider v7 resources take a
 * per-resource `region`, so these resources keep the stack's one default provider (its credentials, assumed role
 * and default tags) instead of a second, separately configured provider.
 */
export const CLOUDFRONT_REGION = "us-east-1";

/** WAF's limits on a rate-based rule's request count per evaluation window. */
const RATE_LIMIT_MIN = 10;
const RATE_LIMIT_MAX = 2_000_000_000;

/** The AWS managed rule groups every request passes, cheapest and most decisive first. */
export const MANAGED_RULE_GROUPS = [
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesSQLiRuleSet",
] as const;

export interface EdgeWebAclArgs {
    /** Requests one client IP may make in a 5-minute window before WAF blocks it (stack config `wafRateLimit`). */
    rateLimit: number;
    /** Days to keep WAF logs (a CloudWatch Logs retention value). */
    logRetentionDays: number;
}

/**
 * The WAFv2 web ACL in front of the site distribution (and so of the API under `/api/*`; HTTP APIs cannot take a
 * WAF association themselves). Scope CLOUDFRONT, default allow; the AWS IP-reputation, Common, KnownBadInputs and
 * SQLi managed groups, then a per-IP rate limit; CloudWatch metrics and sampled requests on every rule; full
 * logging to an `aws-waf-logs-*` log group with the Authorization header redacted.
 *
 * There is no association resource: `aws.wafv2.WebAclAssociation` does not support CloudFront. The ACL is
 * associated by passing `arn` as the distribution's `webAclId` (SiteDistribution's `webAclArn`).
 */
export class EdgeWebAcl extends pulumi.ComponentResource {
    /** The web ACL. */
    readonly webAcl: aws.wafv2.WebAcl;
    /** Web ACL ARN: the distribution's `webAclId`. */
    readonly arn: pulumi.Output<string>;
    /** ARN of the log group holding the WAF logs. */
    readonly logGroupArn: pulumi.Output<string>;
    /** Region of the ACL and its logs. */
    readonly region: string = CLOUDFRONT_REGION;

    constructor(name: string, args: EdgeWebAclArgs, opts?: pulumi.ComponentResourceOptions) {
        super("swiftsupport:edge:EdgeWebAcl", name, {}, opts);
        if (!Number.isInteger(args.rateLimit) || args.rateLimit < RATE_LIMIT_MIN || args.rateLimit > RATE_LIMIT_MAX) {
            throw new pulumi.ResourceError(
                `rateLimit must be a whole number of requests between ${RATE_LIMIT_MIN} and ${RATE_LIMIT_MAX}, got ${args.rateLimit}`,
                this,
            );
        }

        const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });
        const managed = MANAGED_RULE_GROUPS.map((group, priority) => ({
            name: group,
            priority,
            // `none` keeps each group's own block actions; `count` would only observe.
            overrideAction: { none: {} },
            statement: { managedRuleGroupStatement: { vendorName: "AWS", name: group } },
            visibilityConfig: visibility(group),
        }));
        const rateLimit = {
            name: "RateLimitPerClientIp",
            priority: managed.length,
            action: { block: {} },
            statement: { rateBasedStatement: { aggregateKeyType: "IP", limit: args.rateLimit, evaluationWindowSec: 300 } },
            visibilityConfig: visibility("RateLimitPerClientIp"),
        };

        this.webAcl = new aws.wafv2.WebAcl(
            name,
            {
                scope: "CLOUDFRONT",
                region: CLOUDFRONT_REGION,
                description: "Edge protection for the SwiftSupport site and API",
                defaultAction: { allow: {} },
                rules: [...managed, rateLimit],
                visibilityConfig: visibility(name.replace(/[^A-Za-z0-9_-]/g, "-")),
            },
            { parent: this },
        );
        this.arn = this.webAcl.arn;

        const logs = new DeliveryLogGroup(
            `${name}-logs`,
            {
                // WAF only delivers to log groups whose name starts with `aws-waf-logs-`.
                logGroupName: `aws-waf-logs-${pulumi.getProject()}-${pulumi.getStack()}`,
                retentionDays: args.logRetentionDays,
                region: CLOUDFRONT_REGION,
            },
            { parent: this },
        );
        this.logGroupArn = logs.arn;
        new aws.wafv2.WebAclLoggingConfiguration(
            `${name}-logging`,
            {
                resourceArn: this.webAcl.arn,
                logDestinationConfigs: [logs.arn],
                // Bearer tokens must not be readable by whoever can read the WAF logs.
                redactedFields: [{ singleHeader: { name: "authorization" } }],
                region: CLOUDFRONT_REGION,
            },
            { parent: this, dependsOn: [logs.policy] },
        );

        this.registerOutputs({ arn: this.arn, logGroupArn: this.logGroupArn, region: this.region });
    }
}
