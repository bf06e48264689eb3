import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { cloudFrontReadViaOac } from "../iam/storageStatements";
import { PrivateBucket } from "../storage/privateBucket";
import { DeliveryLogGroup } from "./deliveryLogGroup";
import { contentSecurityPolicy, securityHeadersConfig } from "./securityHeaders";
import { CLOUDFRONT_REGION } from "./webAcl";

/** Where requests for the API go; everything else is the site. */
export const API_PATH_PATTERN = "/api/*";

/** AWS managed CloudFront policies, looked up by name (their ids are global and fixed). */
const MANAGED = {
    /** Long TTLs, compressed, no headers/cookies/query in the key: the built site's immutable assets. */
    siteCache: "Managed-CachingOptimized",
    /** Nothing cached: every API request reaches the API. */
    apiCache: "Managed-CachingDisabled",
    /**
     * Every viewer header (Authorization included, which CloudFront allows only when caching is disabled), cookie
     * and query string except Host, which must stay the execute-api host for API Gateway to route the request.
     * AWS documents this pair for API Gateway origins.
     */
    apiOriginRequest: "Managed-AllViewerExceptHostHeader",
} as const;

export interface SiteDistributionArgs {
    /** The private bucket holding the built site; the distribution reads it through Origin Access Control and attaches the bucket's policy. */
    bucket: PrivateBucket;
    /** The HTTP API endpoint (`https://<id>.execute-api.<region>.amazonaws.com`, optionally with a stage path), served under `/api/*` with paths unchanged. */
    apiEndpoint: pulumi.Input<string>;
    /** ARN of the CLOUDFRONT-scope web ACL (EdgeWebAcl `arn`); the distribution's `webAclId` is the association. */
    webAclArn: pulumi.Input<string>;
    /** Custom domain names; set together with `certificateArn`. */
    aliases?: string[];
    /** ACM certificate in us-east-1 covering `aliases`; set together with `aliases`. */
    certificateArn?: pulumi.Input<string>;
    /** Days to keep the access logs (a CloudWatch Logs retention value). */
    logRetentionDays: number;
    /** Other https origins the site's scripts may call (CSP `connect-src`), e.g. the Auth0 tenant; default none. */
    connectOrigins?: string[];
    /** Edge locations served; default `PriceClass_100` (North America and Europe). */
    priceClass?: "PriceClass_100" | "PriceClass_200" | "PriceClass_All";
}

/**
 * The one CloudFront distribution users reach: the static site from a private S3 bucket (OAC, SigV4 on every
 * request) and the HTTP API under `/api/*`, both behind the web ACL, with security headers on every response and
 * standard logging v2 (CloudWatch vended logs; legacy logging needs bucket ACLs, which PrivateBucket disables).
 *
 * TLS: with `certificateArn`, viewers need TLSv1.2 (`TLSv1.2_2021` policy, SNI). Without one the distribution uses
 * the default `*.cloudfront.net` certificate, for which CloudFront fixes the security policy at TLSv1: viewers may
 * still negotiate TLS 1.0 or 1.1 on the cloudfront.net name. Configure a certificate for production.
 *
 * The API stays reachable directly at its execute-api endpoint, outside the WAF; it still requires the JWT there,
 * since the authorizer runs in API Gateway, not at the edge.
 */
export class SiteDistribution extends pulumi.ComponentResource {
    /** The distribution. */
    readonly distribution: aws.cloudfront.Distribution;
    /** Distribution ARN (the bucket policy's `AWS:SourceArn`). */
    readonly arn: pulumi.Output<string>;
    /** Distribution id. */
    readonly id: pulumi.Output<string>;
    /** `dxxxx.cloudfront.net`. */
    readonly domainName: pulumi.Output<string>;
    /** `https://` plus the first alias, or the cloudfront.net name without aliases. */
    readonly url: pulumi.Output<string>;
    /** The bucket policy granting this distribution (and only it) read access. */
    readonly bucketPolicy: aws.s3.BucketPolicy;
    /** ARN of the log group holding the access logs. */
    readonly accessLogGroupArn: pulumi.Output<string>;

    constructor(name: string, args: SiteDistributionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("swiftsupport:edge:SiteDistribution", name, {}, opts);
        const aliases = args.aliases ?? [];
        if ((aliases.length > 0) !== (args.certificateArn !== undefined)) {
            throw new pulumi.ResourceError("set aliases and certificateArn together, or neither (a custom name needs its certificate)", this);
        }
        let csp: string;
        try {
            csp = contentSecurityPolicy(args.connectOrigins ?? []);
        } catch (e) {
            throw new pulumi.ResourceError((e as Error).message, this);
        }

        const oac = new aws.cloudfront.OriginAccessControl(
            `${name}-oac`,
            {
                description: "Signs every request to the site bucket",
                originAccessControlOriginType: "s3",
                signingBehavior: "always",
                signingProtocol: "sigv4",
            },
            { parent: this },
        );
        const headers = new aws.cloudfront.ResponseHeadersPolicy(
            `${name}-security-headers`,
            {
                comment: "HSTS, CSP, nosniff, no framing, strict referrer",
                securityHeadersConfig: securityHeadersConfig(csp),
            },
            { parent: this },
        );
        const policyId = (policyName: string) => aws.cloudfront.getCachePolicyOutput({ name: policyName }, { parent: this }).apply(requireId(policyName));
        const siteCache = policyId(MANAGED.siteCache);
        const apiCache = policyId(MANAGED.apiCache);
        const apiOriginRequest = aws.cloudfront
            .getOriginRequestPolicyOutput({ name: MANAGED.apiOriginRequest }, { parent: this })
            .apply(requireId(MANAGED.apiOriginRequest));

        // A literal endpoint fails here, at construction; an Output (the usual case) fails when it resolves.
        if (typeof args.apiEndpoint === "string") apiOrigin(args.apiEndpoint, this);
        const api = pulumi.output(args.apiEndpoint).apply((endpoint) => apiOrigin(endpoint, this));
        const viewerCertificate: aws.types.input.cloudfront.DistributionViewerCertificate =
            args.certificateArn === undefined
                ? { cloudfrontDefaultCertificate: true }
                : { acmCertificateArn: args.certificateArn, minimumProtocolVersion: "TLSv1.2_2021", sslSupportMethod: "sni-only" };

        this.distribution = new aws.cloudfront.Distribution(
            name,
            {
                enabled: true,
                comment: "SwiftSupport site and API",
                aliases,
                isIpv6Enabled: true,
                httpVersion: "http2and3",
                priceClass: args.priceClass ?? "PriceClass_100",
                defaultRootObject: "index.html",
                webAclId: args.webAclArn,
                viewerCertificate,
                restrictions: { geoRestriction: { restrictionType: "none" } },
                origins: [
                    { originId: "site", domainName: args.bucket.regionalDomainName, originAccessControlId: oac.id },
                    {
                        originId: "api",
                        domainName: api.domainName,
                        originPath: api.originPath,
                        customOriginConfig: {
                            httpPort: 80,
                            httpsPort: 443,
                            originProtocolPolicy: "https-only",
                            originSslProtocols: ["TLSv1.2"],
                        },
                    },
                ],
                defaultCacheBehavior: {
                    targetOriginId: "site",
                    viewerProtocolPolicy: "redirect-to-https",
                    allowedMethods: ["GET", "HEAD"],
                    cachedMethods: ["GET", "HEAD"],
                    compress: true,
                    cachePolicyId: siteCache,
                    responseHeadersPolicyId: headers.id,
                },
                orderedCacheBehaviors: [
                    {
                        pathPattern: API_PATH_PATTERN,
                        targetOriginId: "api",
                        // Not a redirect: a redirected POST becomes a GET, and the token was already sent in clear.
                        viewerProtocolPolicy: "https-only",
                        allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"],
                        cachedMethods: ["GET", "HEAD"],
                        // No `compress`: CachingDisabled leaves Accept-Encoding out of the key, so it would do nothing.
                        cachePolicyId: apiCache,
                        originRequestPolicyId: apiOriginRequest,
                        responseHeadersPolicyId: headers.id,
                    },
                ],
            },
            { parent: this },
        );
        this.arn = this.distribution.arn;
        this.id = this.distribution.id;
        this.domainName = this.distribution.domainName;
        this.url = aliases.length > 0 ? pulumi.output(`https://${aliases[0]}`) : pulumi.interpolate`https://${this.domainName}`;

        // Only now is the distribution ARN known: the one grant on the bucket names it.
        this.bucketPolicy = args.bucket.attachPolicy([cloudFrontReadViaOac(args.bucket.arn, this.arn)]);

        const logs = new DeliveryLogGroup(
            `${name}-access-logs`,
            {
                logGroupName: `/aws/vendedlogs/cloudfront/${pulumi.getProject()}-${pulumi.getStack()}-${name}`,
                retentionDays: args.logRetentionDays,
                region: CLOUDFRONT_REGION,
            },
            { parent: this },
        );
        this.accessLogGroupArn = logs.arn;
        const source = new aws.cloudwatch.LogDeliverySource(
            `${name}-access-logs`,
            { logType: "ACCESS_LOGS", resourceArn: this.arn, region: CLOUDFRONT_REGION },
            { parent: this },
        );
        const destination = new aws.cloudwatch.LogDeliveryDestination(
            `${name}-access-logs`,
            { deliveryDestinationConfiguration: { destinationResourceArn: logs.arn }, outputFormat: "json", region: CLOUDFRONT_REGION },
            { parent: this },
        );
        new aws.cloudwatch.LogDelivery(
            `${name}-access-logs`,
            { deliverySourceName: source.name, deliveryDestinationArn: destination.arn, region: CLOUDFRONT_REGION },
            { parent: this, dependsOn: [logs.policy] },
        );

        this.registerOutputs({ arn: this.arn, id: this.id, domainName: this.domainName, url: this.url, accessLogGroupArn: this.accessLogGroupArn });
    }
}

/** Origin domain and path from the API endpoint URL; only https execute-api endpoints are accepted. */
function apiOrigin(endpoint: string, resource: pulumi.Resource): { domainName: string; originPath: string } {
    let url: URL;
    try {
        url = new URL(endpoint);
    } catch {
        throw new pulumi.ResourceError(`apiEndpoint "${endpoint}" is not a URL`, resource);
    }
    if (url.protocol !== "https:") throw new pulumi.ResourceError(`apiEndpoint "${endpoint}" must be https`, resource);
    if (!/\.execute-api\.[a-z0-9-]+\.amazonaws\.com$/.test(url.hostname)) {
        throw new pulumi.ResourceError(`apiEndpoint "${endpoint}" is not an execute-api endpoint`, resource);
    }
    // CloudFront appends the viewer path to originPath, so a stage path stays in front of `/api/...`.
    return { domainName: url.hostname, originPath: url.pathname.replace(/\/+$/, "") };
}

/** A managed policy lookup that found nothing is a deployment error, not an empty id. */
const requireId = (policyName: string) => (policy: { id?: string }): string => {
    if (!policy.id) throw new Error(`CloudFront managed policy ${policyName} not found`);
    return policy.id;
};
