import * as pulumi from "@pulumi/pulumi";
import { KEY_DATA_ACTIONS, ResourceStatement, THIS_KEY } from "./resourcePolicy";

/*
 * Resource-policy statements for the audit trail and the security alarms: the trail bucket's policy, the trail key's
 * policy, the alarm topic's key and topic policies. Every CloudTrail, CloudWatch Logs, CloudWatch alarm and SNS
 * action string these policies use lives here; components pass the statements to `resourcePolicyDocument` (through
 * `PrivateBucket.attachPolicy` for the bucket). In a key policy `*` is the only way to say "this key".
 */

type Arn = pulumi.Input<string>;

const CLOUDTRAIL = "cloudtrail.amazonaws.com";
const CLOUDWATCH = "cloudwatch.amazonaws.com";

/** Every trail of the account, in any region: the form CloudTrail documents for its encryption-context key. */
const accountTrails = (accountId: pulumi.Input<string>, partition: pulumi.Input<string>) =>
    pulumi.interpolate`arn:${partition}:cloudtrail:*:${accountId}:trail/*`;

// ---- The trail bucket ----

/** Lets CloudTrail check the bucket's ACL before delivering, for one trail only (`aws:SourceArn`). */
export const cloudTrailBucketAclCheck = (bucketArn: Arn, trailArn: Arn): ResourceStatement => ({
    sid: "CloudTrailAclCheck",
    effect: "Allow",
    principal: { Service: CLOUDTRAIL },
    actions: ["s3:GetBucketAcl"],
    resources: [bucketArn],
    conditions: { StringEquals: { "aws:SourceArn": trailArn } },
});

/**
 * Lets CloudTrail write log and digest files for one trail (`aws:SourceArn`) under this account's prefix only,
 * handing ownership to the bucket owner as AWS documents.
 */
export const cloudTrailBucketWrite = (bucketArn: Arn, accountId: pulumi.Input<string>, trailArn: Arn): ResourceStatement => ({
    sid: "CloudTrailWrite",
    effect: "Allow",
    principal: { Service: CLOUDTRAIL },
    actions: ["s3:PutObject"],
    resources: [pulumi.interpolate`${bucketArn}/AWSLogs/${accountId}/*`],
    conditions: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": trailArn } },
});

// ---- The trail key ----

/**
 * Lets CloudTrail generate data keys for one trail's log and digest files: `aws:SourceArn` pins the trail, the
 * encryption-context condition is the one AWS's default CloudTrail key policy carries. CloudTrail calls
 * GenerateDataKey only, so AWS's `GenerateDataKey*` is written out as that one action.
 */
export const cloudTrailKeyEncrypt = (
    trailArn: Arn,
    accountId: pulumi.Input<string>,
    partition: pulumi.Input<string> = "aws",
): ResourceStatement => ({
    sid: "CloudTrailEncryptLogs",
    effect: "Allow",
    principal: { Service: CLOUDTRAIL },
    actions: ["kms:GenerateDataKey"],
    resources: [THIS_KEY],
    conditions: {
        StringEquals: { "aws:SourceArn": trailArn },
        StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": accountTrails(accountId, partition) },
    },
});

/**
 * Lets CloudTrail describe the key (it checks the key when the trail is created or updated) and decrypt with it:
 * AWS requires `kms:Decrypt` for a trail whose bucket uses an S3 Bucket Key, as PrivateBucket's SSE-KMS does.
 * Both for one trail only.
 */
export const cloudTrailKeyDescribeAndDecrypt = (trailArn: Arn): ResourceStatement => ({
    sid: "CloudTrailDescribeAndDecrypt",
    effect: "Allow",
    principal: { Service: CLOUDTRAIL },
    actions: ["kms:DescribeKey", "kms:Decrypt"],
    resources: [THIS_KEY],
    conditions: { StringEquals: { "aws:SourceArn": trailArn } },
});

/**
 * Lets principals of this account read CloudTrail's files (decrypt only, only CloudTrail-encrypted data); their own
 * IAM policies still have to grant it, so the key policy alone gives nobody access.
 */
export const cloudTrailLogDecrypt = (accountId: pulumi.Input<string>, partition: pulumi.Input<string> = "aws"): ResourceStatement => ({
    sid: "AccountReadsTrailLogs",
    effect: "Allow",
    principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${accountId}:root` },
    actions: ["kms:Decrypt"],
    resources: [THIS_KEY],
    conditions: {
        StringEquals: { "kms:CallerAccount": accountId },
        StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": accountTrails(accountId, partition) },
    },
});

/**
 * Lets CloudWatch Logs (the regional service principal) encrypt and read one log group with the key, pinned by the
 * `aws:logs:arn` encryption context as AWS documents; AWS's wildcards (`Encrypt*`, `ReEncrypt*`, ...) are written
 * out as the symmetric-key actions they stand for.
 */
export const logsKeyUse = (
    logGroupArn: Arn,
    region: string,
    dnsSuffix = "amazonaws.com",
): ResourceStatement => ({
    sid: "LogsEncryptLogGroup",
    effect: "Allow",
    principal: { Service: `logs.${region}.${dnsSuffix}` },
    actions: KEY_DATA_ACTIONS,
    resources: [THIS_KEY],
    conditions: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": logGroupArn } },
});

// ---- The alarm topic ----

/**
 * Lets CloudWatch alarms of this account publish to a topic encrypted with the key: CloudWatch needs a data key
 * and Decrypt, and cannot use the AWS-managed `alias/aws/sns` key at all.
 */
export const alarmsKeyUse = (accountId: pulumi.Input<string>): ResourceStatement => ({
    sid: "CloudWatchAlarmsEncrypt",
    effect: "Allow",
    principal: { Service: CLOUDWATCH },
    actions: ["kms:GenerateDataKey", "kms:Decrypt"],
    resources: [THIS_KEY],
    conditions: { StringEquals: { "aws:SourceAccount": accountId } },
});

/** Lets exactly the named alarms of this account publish to the topic; nobody else gets a resource-policy grant. */
export const alarmsPublish = (
    topicArn: Arn,
    accountId: pulumi.Input<string>,
    alarmArns: pulumi.Input<pulumi.Input<string>[]>,
): ResourceStatement => ({
    sid: "CloudWatchAlarmsPublish",
    effect: "Allow",
    principal: { Service: CLOUDWATCH },
    actions: ["sns:Publish"],
    resources: [topicArn],
    conditions: {
        StringEquals: { "aws:SourceAccount": accountId },
        ArnEquals: { "aws:SourceArn": pulumi.output(alarmArns) },
    },
});
