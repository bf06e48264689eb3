import * as pulumi from "@pulumi/pulumi";
import { ResourceStatement } from "./resourcePolicy";

/*
 * Resource-policy statements for S3 buckets, CloudFront and vended log delivery. Every S3, CloudFront and
 * log-delivery action string the program writes lives here; components pass these to `resourcePolicyDocument`
 * (through `PrivateBucket.attachPolicy` for buckets).
 */

type Arn = pulumi.Input<string>;

/**
 * Denies every S3 request to the bucket and its objects that does not arrive over TLS. A Deny may use the service
 * wildcard: it only narrows, and a new S3 action must not slip past it.
 */
export const denyInsecureTransport = (bucketArn: Arn): ResourceStatement => ({
    sid: "DenyInsecureTransport",
    effect: "Deny",
    principal: "*",
    actions: ["s3:*"],
    resources: [bucketArn, pulumi.interpolate`${bucketArn}/*`],
    conditions: { Bool: { "aws:SecureTransport": "false" } },
});

/**
 * Lets exactly one CloudFront distribution read objects through Origin Access Control. CloudFront signs as the
 * service principal, so `AWS:SourceArn` is what stops every other distribution (in any account) from reading. The
 * statement "Restrict access to an Amazon S3 origin" (Amazon CloudFront Developer Guide) gives for OAC; the site bucket
 * uses SSE-S3, so no key policy statement is needed for CloudFront.
 */
export const cloudFrontReadViaOac = (bucketArn: Arn, distributionArn: Arn): ResourceStatement => ({
    sid: "CloudFrontReadViaOac",
    effect: "Allow",
    principal: { Service: "cloudfront.amazonaws.com" },
    actions: ["s3:GetObject"],
    resources: [pulumi.interpolate`${bucketArn}/*`],
    conditions: { StringEquals: { "AWS:SourceArn": distributionArn } },
});

/**
 * Lets CloudWatch vended log delivery (WAF logs, CloudFront standard logging v2) write into one log group, for
 * sources of this account only. Written by us so AWS does not append its own statement to an account-level policy
 * behind Pulumi's back. It is the statement AWS itself creates, per "Enable logging from AWS services" > "Logs sent
 * to CloudWatch Logs" (Amazon CloudWatch Logs User Guide): `delivery.logs.amazonaws.com`, the log group's streams,
 * `aws:SourceAccount` and `aws:SourceArn` like `arn:<partition>:logs:<region>:<account>:*`.
 */
export const logDeliveryWrite = (
    logGroupArn: Arn,
    accountId: pulumi.Input<string>,
    region: pulumi.Input<string>,
    partition: pulumi.Input<string> = "aws",
): ResourceStatement => ({
    sid: "LogDeliveryWrite",
    effect: "Allow",
    principal: { Service: "delivery.logs.amazonaws.com" },
    actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
    resources: [pulumi.interpolate`${logGroupArn}:log-stream:*`],
    conditions: {
        StringEquals: { "aws:SourceAccount": accountId },
        ArnLike: { "aws:SourceArn": pulumi.interpolate`arn:${partition}:logs:${region}:${accountId}:*` },
    },
});
