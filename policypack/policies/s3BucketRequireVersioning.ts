import { stackPolicy } from "../lib/guard";
import { BUCKET_TYPES, bucketLinks } from "../lib/s3";
import { isUnknown } from "../lib/unknown";

const VERSIONING = ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"];

export const s3BucketRequireVersioning = stackPolicy({
    name: "aws-s3-bucket-require-versioning",
    description: "S3 buckets should have versioning enabled (an aws.s3.BucketVersioning with status \"Enabled\", or the bucket's versioning.enabled).",
    enforcementLevel: "advisory",
    severity: "low",
    validate: (args, check) => {
        const buckets = check.index.ofType(...BUCKET_TYPES);
        if (buckets.length === 0) return;
        const links = bucketLinks(check.index, VERSIONING);
        for (const u of links.unresolved) check.unknown(u, "bucket");
        for (const bucket of buckets) {
            const states: unknown[] = (links.byBucket.get(bucket.urn) ?? []).map((v) => check.read(v, () => v.props.versioningConfiguration?.status));
            const inline = check.read(bucket, () => bucket.props.versioning?.enabled);
            if (isUnknown(inline) || states.some(isUnknown)) continue;
            if (inline === true || states.includes("Enabled")) continue;
            if (states.length === 0 && links.unresolved.length > 0) continue;
            check.report(bucket, `Bucket '${bucket.name}' is not versioned: add an aws.s3.BucketVersioning with ` +
                `versioningConfiguration.status "Enabled".`);
        }
    },
});
