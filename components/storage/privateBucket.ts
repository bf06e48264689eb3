import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ResourceStatement, resourcePolicyDocument } from "../iam/resourcePolicy";
import { denyInsecureTransport } from "../iam/storageStatements";

export interface PrivateBucketArgs {
    /** KMS key ARN for SSE-KMS; omit for SSE-S3 (AES256). */
    kmsKeyArn?: pulumi.Input<string>;
    /** Days after which noncurrent object versions expire; omit to keep them. */
    noncurrentVersionExpirationDays?: number;
    /** Allow `pulumi destroy` to delete a non-empty bucket (dev only). */
    forceDestroy?: boolean;
}

/**
 * An S3 bucket nobody can make public: every public-access-block flag on, ACLs disabled (BucketOwnerEnforced),
 * default encryption, versioning, and exactly one bucket policy that starts with a TLS-only deny.
 *
 * The policy: grant access by calling `attachPolicy(statements)` once, in the same synchronous turn that constructed
 * the bucket (as Pulumi programs normally run: construct the bucket, the thing it grants to, then attach). A bucket
 * whose owner has not called `attachPolicy` by the end of that turn gets the TLS-only policy on its own, so no
 * bucket is ever without one; a later `attachPolicy` (inside an `apply`, after an `await`) is then a ResourceError
 * instead of a silent second policy that would overwrite the first.
 */
export class PrivateBucket extends pulumi.ComponentResource {
    /** The bucket itself. */
    readonly bucket: aws.s3.Bucket;
    /** Bucket ARN. */
    readonly arn: pulumi.Output<string>;
    /** Bucket name. */
    readonly name: pulumi.Output<string>;
    /** Regional domain name, what a CloudFront S3 origin uses. */
    readonly regionalDomainName: pulumi.Output<string>;
    /** All four flags on; every bucket policy depends on it. */
    readonly publicAccessBlock: aws.s3.BucketPublicAccessBlock;
    /** ACLs disabled: the bucket owner owns every object. */
    readonly ownershipControls: aws.s3.BucketOwnershipControls;
    /** Default encryption. */
    readonly encryption: aws.s3.BucketServerSideEncryptionConfiguration;
    /** Versioning, always enabled. */
    readonly versioning: aws.s3.BucketVersioning;

    private policy?: aws.s3.BucketPolicy;
    private readonly logicalName: string;

    constructor(name: string, args: PrivateBucketArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super("swiftsupport:storage:PrivateBucket", name, {}, opts);
        this.logicalName = name;
        const days = args.noncurrentVersionExpirationDays;
        if (days !== undefined && (!Number.isInteger(days) || days < 1)) {
            throw new pulumi.ResourceError(`noncurrentVersionExpirationDays must be a positive whole number of days, got ${days}`, this);
        }

        this.bucket = new aws.s3.Bucket(name, { forceDestroy: args.forceDestroy ?? false }, { parent: this });
        this.arn = this.bucket.arn;
        this.name = this.bucket.bucket;
        this.regionalDomainName = this.bucket.bucketRegionalDomainName;

        this.publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
            `${name}-public-access-block`,
            {
                bucket: this.bucket.id,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            },
            { parent: this },
        );
        this.ownershipControls = new aws.s3.BucketOwnershipControls(
            `${name}-ownership`,
            { bucket: this.bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
            { parent: this },
        );
        this.encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            {
                bucket: this.bucket.id,
                rules: [
                    {
                        applyServerSideEncryptionByDefault:
                            args.kmsKeyArn === undefined
                                ? { sseAlgorithm: "AES256" }
                                : { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn },
                        // With KMS, the bucket key cuts KMS calls (and cost) per object; meaningless for AES256.
                        bucketKeyEnabled: args.kmsKeyArn !== undefined,
                        // Customer-provided keys would put data in the bucket that the account cannot decrypt or audit.
                        blockedEncryptionTypes: ["SSE-C"],
                    },
                ],
            },
            { parent: this },
        );
        this.versioning = new aws.s3.BucketVersioning(
            `${name}-versioning`,
            { bucket: this.bucket.id, versioningConfiguration: { status: "Enabled" } },
            { parent: this },
        );
        if (days !== undefined) {
            new aws.s3.BucketLifecycleConfiguration(
                `${name}-lifecycle`,
                {
                    bucket: this.bucket.id,
                    rules: [
                        {
                            id: "expire-noncurrent-versions",
                            status: "Enabled",
                            filter: { prefix: "" },
                            noncurrentVersionExpiration: { noncurrentDays: days },
                            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                        },
                    ],
                },
                // S3 rejects noncurrent-version rules racing the versioning change on a new bucket.
                { parent: this, dependsOn: [this.versioning] },
            );
        }

        // See the class comment: the owner's attachPolicy in this turn wins, otherwise TLS-only.
        queueMicrotask(() => {
            if (this.policy === undefined) this.attachPolicy([]);
        });

        this.registerOutputs({ arn: this.arn, name: this.name, regionalDomainName: this.regionalDomainName });
    }

    /**
     * Creates the bucket's one BucketPolicy: always a TLS-only deny (aws:SecureTransport false) plus `statements`.
     * Callable once; a second call is a ResourceError. Returns the policy (so callers can dependOn it).
     */
    attachPolicy(statements: ResourceStatement[]): aws.s3.BucketPolicy {
        if (this.policy !== undefined) {
            throw new pulumi.ResourceError(
                `bucket ${this.logicalName} already has its policy; call attachPolicy once, in the turn that constructed the bucket, with every statement`,
                this,
            );
        }
        this.policy = new aws.s3.BucketPolicy(
            `${this.logicalName}-policy`,
            { bucket: this.bucket.id, policy: resourcePolicyDocument([denyInsecureTransport(this.arn), ...statements]) },
            // A policy is only ever evaluated on a bucket that cannot be public (and has no ACLs to combine with).
            { parent: this, dependsOn: [this.publicAccessBlock, this.ownershipControls] },
        );
        return this.policy;
    }
}
