import * as pulumi from "@pulumi/pulumi";
import { GENERATE_DATA_KEY_ANY, ResourceStatement, THIS_KEY } from "./resourcePolicy";

/*
 * Resource-policy statements for the audit trail and the security alarms: the trail bucket's policy, the trail key's
 * policy, the alarm topic's key and topic policies. Every CloudTrail, CloudWatch Logs, CloudWatch alarm and SNS
 * action string these policies use lives here; components pass the statements to `resourcePolicyDocument` (through
 * `PrivateBucket.attachPolicy` for the bucket). In a key policy `*` is the only way to say "this key".
 *
 * AWS matches each of these at run time, and a mismatch fails silently (a trail that stops delivering, an alarm that
 * never notifies), so each is in the form the AWS page named next to it gives; a condition the page does not show is
 * not added.
 */

type Arn = pulumi.Input<string>;

const CLOUDTRAIL = "cloudtrail.amazonaws.com";
const CLOUDWATCH = "cloudwatch.amazonaws.com";

/** Every trail of the account, in any region: the form CloudTrail documents for its encryption-context key. */
const accountTrails = (accountId: pulumi.Input<string>, partition: pulumi.Input<string>) =>
    pulumi.interpolate`arn:${partition}:cloudtrail:*:${accountId}:trail/*`;

// ---- The trail bucket ----

/**
 * Lets CloudTrail check the bucket's ACL before delivering, for one trail only. As "Amazon S3 bucket policy for
 * CloudTrail" (AWS CloudTrail User Guide) gives it, `aws:SourceArn` included.
 */
export const cloudTrailBucketAclCheck = (bucketArn: Arn, trailArn: Arn): ResourceStatement => ({
    sid: "CloudTrailAclCheck",
    effect: "Allow",
    principal: { Service: CLOUDTRAIL },
    actions: ["s3:GetBucketAcl"],
    resources: [bucketArn],
    conditions: { StringEquals: { "aws:SourceArn": trailArn } },
});

/**
 * Lets CloudTrail write log and digest files for one trail under this account's prefix, handing ownership to the
 * bucket owner. As "Amazon S3 bucket policy for CloudTrail" (AWS CloudTrail User Guide) gives it.
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
 * Lets CloudTrail generate data keys for one trail's log and digest files. "Configure AWS KMS key policies for
 * CloudTrail" (AWS CloudTrail User Guide, "Granting encrypt permissions for trails"): `kms:GenerateDataKey*` (written
 * out, GENERATE_DATA_KEY_ANY), the `aws:cloudtrail:arn` encryption context for the account's trails and
 * `aws:SourceArn` for this trail. With S3 Bucket Keys on the trail bucket the page asks for nothing else here.
 */
export const cloudTrailKeyEncrypt = (
    trailArn: Arn,
    accountId: pulumi.Input<string>,
    partition: pulumi.Input<string> = "aws",
): ResourceStatement => ({
    sid: "CloudTrailEncryptLogs",
    effect: "Allow",
    principal: { Service: CLOUDTRAIL },
    actions: GENERATE_DATA_KEY_ANY,
    resources: [THIS_KEY],
    conditions: {
        StringEquals: { "aws:SourceArn": trailArn },
        StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": accountTrails(accountId, partition) },
    },
});

/**
 * Lets CloudTrail describe the key, for one trail: "Configure AWS KMS key policies for CloudTrail" ("Enable
 * CloudTrail to describe KMS key properties") gives it with `aws:SourceArn`.
 */
export const cloudTrailKeyDescribe = (trailArn: Arn): ResourceStatement => ({
    sid: "CloudTrailDescribeKey",
    effect: "Allow",
    principal: { Service: CLOUDTRAIL },
    actions: ["kms:DescribeKey"],
    resources: [THIS_KEY],
    conditions: { StringEquals: { "aws:SourceArn": trailArn } },
});

/**
 * Lets CloudTrail decrypt with the key, which it needs to create or update a trail whose bucket uses an S3 Bucket Key
 * (PrivateBucket's SSE-KMS does). "Configure AWS KMS key policies for CloudTrail" ("Granting decrypt permissions for
 * trails", "Allow CloudTrail to decrypt a trail") gives it without a condition, and no page shows which condition
 * keys CloudTrail sends on that call, so none is added: a refused Decrypt stops the trail from being created or
 * updated. It only decrypts data already encrypted under this key, which only this account's trails can produce.
 */
export const cloudTrailKeyDecrypt = (): ResourceStatement => ({
    sid: "CloudTrailDecrypt",
    effect: "Allow",
    principal: { Service: CLOUDTRAIL },
    actions: ["kms:Decrypt"],
    resources: [THIS_KEY],
});

/**
 * Lets principals of this account read CloudTrail's files (decrypt only, only CloudTrail-encrypted data); their own
 * IAM policies still have to grant it, so the key policy alone gives nobody access. The conditions are those of
 * "Allow principals in the account to decrypt log files" in "Default KMS key policy created in CloudTrail console"
 * (AWS CloudTrail User Guide); the principal is the account root rather than `*` with the same `kms:CallerAccount`.
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
 * `aws:logs:arn` encryption context: "Encrypt log data in CloudWatch Logs using AWS Key Management Service" (Amazon
 * CloudWatch Logs User Guide). Its `kms:Encrypt*`, `kms:Decrypt*`, `kms:ReEncrypt*`, `kms:GenerateDataKey*` and
 * `kms:Describe*` are written out as the key actions they match today (`kms:DescribeCustomKeyStores`, which
 * `Describe*` also matches, is not an action on a key, so a key policy cannot grant it).
 */
export const logsKeyUse = (
    logGroupArn: Arn,
    region: string,
    dnsSuffix = "amazonaws.com",
): ResourceStatement => ({
    sid: "LogsEncryptLogGroup",
    effect: "Allow",
    principal: { Service: `logs.${region}.${dnsSuffix}` },
    actions: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", ...GENERATE_DATA_KEY_ANY, "kms:DescribeKey"],
    resources: [THIS_KEY],
    conditions: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": logGroupArn } },
});

// ---- The alarm topic ----

/**
 * Lets CloudWatch alarms publish to a topic encrypted with the key (they cannot use the AWS-managed `alias/aws/sns`
 * key at all). AWS Knowledge Center "How do I configure a CloudWatch alarm with an encrypted SNS topic?"
 * (knowledge-center/cloudwatch-configure-alarm-sns) gives `kms:Decrypt` and `kms:GenerateDataKey*` (written out)
 * without a condition; no page shows CloudWatch sending `aws:SourceAccount` to KMS, so none is added. Who may publish
 * at all is pinned by the topic policy (alarmsPublish).
 */
export const alarmsKeyUse = (): ResourceStatement => ({
    sid: "CloudWatchAlarmsEncrypt",
    effect: "Allow",
    principal: { Service: CLOUDWATCH },
    actions: [...GENERATE_DATA_KEY_ANY, "kms:Decrypt"],
    resources: [THIS_KEY],
});

/**
 * Lets exactly the named alarms publish to the topic; nobody else gets a resource-policy grant. AWS Knowledge Center
 * knowledge-center/cloudwatch-receive-sns-for-alarm-trigger gives `sns:Publish` for `cloudwatch.amazonaws.com` pinned
 * with `ArnLike` on `aws:SourceArn` (the alarm ARNs); it shows no `aws:SourceAccount`, so none is added.
 */
export const alarmsPublish = (topicArn: Arn, alarmArns: pulumi.Input<pulumi.Input<string>[]>): ResourceStatement => ({
    sid: "CloudWatchAlarmsPublish",
    effect: "Allow",
    principal: { Service: CLOUDWATCH },
    actions: ["sns:Publish"],
    resources: [topicArn],
    conditions: { ArnLike: { "aws:SourceArn": pulumi.output(alarmArns) } },
});
