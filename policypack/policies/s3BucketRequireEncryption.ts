import { stackPolicy } from "../lib/guard";
import { BUCKET_TYPES, bucketLinks } from "../lib/s3";
import { isUnknown } from "../lib/unknown";

const SSE = ["aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"];

interface Config {
    requireKms: boolean;
}

export const s3BucketRequireEncryption = stackPolicy<Config>({
    name: "aws-s3-bucket-require-encryption",
    description: "S3 buckets should declare default encryption (an aws.s3.BucketServerSideEncryptionConfiguration, " +
        "or the bucket's serverSideEncryptionConfiguration), with KMS when requireKms is set.",
    enforcementLevel: "advisory",
    severity: "medium",
    config: {
        requireKms: { type: "boolean", default: false, description: "Require aws:kms or aws:kms:dsse rather than AES256." },
    },
    validate: (args, check) => {
        const buckets = check.index.ofType(...BUCKET_TYPES);
        if (buckets.length === 0) return;
        const links = bucketLinks(check.index, SSE);
        for (const u of links.unresolved) check.unknown(u, "bucket");
        for (const bucket of buckets) {
            const configs = links.byBucket.get(bucket.urn) ?? [];
            // The algorithms declared: a configuration without one (a rule with only bucketKeyEnabled) declares none.
            const algorithms: unknown[] = [
                ...configs.map((c) => check.read(c, () => c.props.rules?.[0]?.applyServerSideEncryptionByDefault?.sseAlgorithm)),
                check.read(bucket, () => bucket.props.serverSideEncryptionConfiguration?.rule?.applyServerSideEncryptionByDefault?.sseAlgorithm),
            ].filter((a) => a !== undefined);
            if (algorithms.some(isUnknown)) continue;
            if (algorithms.length === 0) {
                if (links.unresolved.length === 0) {
                    check.report(bucket, `Bucket '${bucket.name}' declares no default encryption: add an ` +
                        `aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm "aws:kms" and a key.`);
                }
            } else if (check.config.requireKms && !algorithms.some((a) => String(a).startsWith("aws:kms"))) {
                check.report(bucket, `Bucket '${bucket.name}' is encrypted with ${algorithms.join(", ")}, not KMS: use sseAlgorithm "aws:kms".`);
            }
        }
    },
});
