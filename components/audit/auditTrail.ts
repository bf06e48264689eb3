import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LOG_RETENTION_DAYS } from "../../config/schema";
import {
    cloudTrailBucketAclCheck,
    cloudTrailBucketWrite,
    cloudTrailKeyDecrypt,
    cloudTrailKeyDescribe,
    cloudTrailKeyEncrypt,
    cloudTrailLogDecrypt,
    logsKeyUse,
} from "../iam/auditStatements";
import { logGroupWrite } from "../iam/grants";
import { keyAdministration, resourcePolicyDocument } from "../iam/resourcePolicy";
import { ServiceRole } from "../iam/serviceRole";
import { cloudTrailLogsDeliveryTrust } from "../iam/trust";
import { PrivateBucket } from "../storage/privateBucket";

export interface AuditTrailArgs {
    /** Managed policy ARN used as the permissions boundary of the trail's CloudWatch Logs delivery role. */
    permissionsBoundary: pulumi.Input<string>;
    /** Days to keep the trail's events in CloudWatch Logs (one of the periods CloudWatch Logs accepts). */
    logRetentionDays: number;
    /** Refuse deletion of the trail's log group (prod). */
    deletionProtection?: boolean;
    /** Let `pulumi destroy` delete the trail bucket with its log files (dev only). */
    forceDestroy?: boolean;
}

/**
 * The account's CloudTrail trail: every region, global service events, log file validation, files encrypted with
 * the trail's own rotating key into a private bucket that only this trail may write to, and events delivered to an
 * encrypted CloudWatch Logs group (for the security alarms) through a bounded role that can only write there.
 *
 * Plain resources, not `awsx.cloudtrail.Trail`: that component runs in the awsx plugin (so its children are not
 * ours to shape), always writes its own bucket policy (no `aws:SourceArn`, and S3 allows one policy per bucket, which
 * PrivateBucket owns), and takes no CloudWatch Logs role, so delivery through a bounded role is impossible with it.
 */
export class AuditTrail extends pulumi.ComponentResource {
    /** The trail. */
    public readonly trail: aws.cloudtrail.Trail;
    /** The key encrypting log files, the bucket and the log group. */
    public readonly key: aws.kms.Key;
    /** The bucket receiving log and digest files. */
    public readonly bucket: PrivateBucket;
    /** The log group receiving the trail's events, for metric filters. */
    public readonly logGroup: aws.cloudwatch.LogGroup;
    /** The role CloudTrail assumes to write to the log group. */
    public readonly deliveryRole: aws.iam.Role;
    /** Trail ARN. */
    public readonly trailArn: pulumi.Output<string>;
    /** Log group name, for metric filters. */
    public readonly logGroupName: pulumi.Output<string>;

    constructor(name: string, args: AuditTrailArgs, opts?: pulumi.ComponentResourceOptions) {
        super("swiftsupport:audit:AuditTrail", name, {}, opts);
        if (!args.permissionsBoundary) {
            throw new pulumi.ResourceError("an audit trail needs permissionsBoundary for its CloudWatch Logs delivery role", this);
        }
        if (!(LOG_RETENTION_DAYS as readonly number[]).includes(args.logRetentionDays)) {
            throw new pulumi.ResourceError(
                `logRetentionDays ${args.logRetentionDays} is not a CloudWatch Logs retention period (${LOG_RETENTION_DAYS.join(", ")})`,
                this,
            );
        }

        const partition = aws.getPartitionOutput({}, { parent: this });
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;

        // CloudTrail validates the bucket policy and key policy when the trail is created, and CloudWatch Logs the key
        // policy when the log group is associated with the key, so both policies must name the trail and the log group
        // before they exist: explicit names, ARNs assembled from them (the trail's own `arn` output would be a cycle).
        const trailName = `swiftsupport-${pulumi.getStack()}`;
        const trailArn = pulumi.interpolate`arn:${partition.partition}:cloudtrail:${region}:${accountId}:trail/${trailName}`;
        const logGroupName = `/aws/cloudtrail/${trailName}`;
        const logGroupArn = pulumi.interpolate`arn:${partition.partition}:logs:${region}:${accountId}:log-group:${logGroupName}`;

        this.key = new aws.kms.Key(
            `${name}-key`,
            {
                description: `SwiftSupport ${pulumi.getStack()} audit trail: log files, trail bucket, trail log group`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: pulumi
                    .all([partition.partition, partition.dnsSuffix, region])
                    .apply(([p, dnsSuffix, r]) =>
                        resourcePolicyDocument([
                            keyAdministration(accountId, p),
                            cloudTrailKeyEncrypt(trailArn, accountId, p),
                            cloudTrailKeyDescribe(trailArn),
                            cloudTrailKeyDecrypt(),
                            cloudTrailLogDecrypt(accountId, p),
                            logsKeyUse(logGroupArn, r, dnsSuffix),
                        ]),
                    ),
            },
            { parent: this },
        );

        this.bucket = new PrivateBucket(
            `${name}-bucket`,
            { kmsKeyArn: this.key.arn, forceDestroy: args.forceDestroy ?? false },
            { parent: this },
        );
        const bucketPolicy = this.bucket.attachPolicy([
            cloudTrailBucketAclCheck(this.bucket.arn, trailArn),
            cloudTrailBucketWrite(this.bucket.arn, accountId, trailArn),
        ]);

        this.logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            {
                name: logGroupName,
                retentionInDays: args.logRetentionDays,
                kmsKeyId: this.key.arn,
                deletionProtectionEnabled: args.deletionProtection ?? false,
            },
            { parent: this },
        );

        const delivery = new ServiceRole(
            `${name}-delivery-role`,
            {
                trust: cloudTrailLogsDeliveryTrust,
                permissionsBoundary: args.permissionsBoundary,
                grants: [logGroupWrite(this.logGroup.arn)],
                description: `CloudTrail delivery of trail ${trailName} to CloudWatch Logs`,
            },
            { parent: this },
        );
        this.deliveryRole = delivery.role;
        const deliveryPolicy = delivery.policy;

        this.trail = new aws.cloudtrail.Trail(
            name,
            {
                name: trailName,
                s3BucketName: this.bucket.name,
                isMultiRegionTrail: true,
                includeGlobalServiceEvents: true,
                enableLogFileValidation: true,
                kmsKeyId: this.key.arn,
                // CloudTrail wants the log group ARN with its streams' `:*` suffix.
                cloudWatchLogsGroupArn: pulumi.interpolate`${this.logGroup.arn}:*`,
                cloudWatchLogsRoleArn: this.deliveryRole.arn,
            },
            // CloudTrail checks at creation that it can write to the bucket and that the role can write to the group.
            { parent: this, dependsOn: [bucketPolicy, deliveryPolicy] },
        );

        this.trailArn = this.trail.arn;
        this.logGroupName = this.logGroup.name;
        this.registerOutputs({
            trailArn: this.trailArn,
            keyArn: this.key.arn,
            bucketName: this.bucket.name,
            logGroupName: this.logGroupName,
            logGroupArn: this.logGroup.arn,
            deliveryRoleArn: this.deliveryRole.arn,
        });
    }
}
