import { resourcePolicy } from "../lib/guard";
import { isUnknown } from "../lib/unknown";

/** A block that configures something: a non-empty string, or a list/object holding one (website settings are all strings). */
function isConfigured(v: unknown): boolean {
    if (typeof v === "string") return v !== "";
    return typeof v === "object" && v !== null && Object.values(v).some(isConfigured);
}

/**
 * Where a bucket says it hosts a website: `website` (Bucket, and BucketV2 in older programs), `websites` (BucketV2's
 * list), and in a deployed state `websiteEndpoint`/`websiteDomain`, which AWS fills only while hosting is on.
 */
const WEBSITE_PROPERTIES = ["website", "websites", "websiteEndpoint", "websiteDomain"];

export const s3BucketNoWebsite = resourcePolicy({
    name: "aws-s3-bucket-disallow-website-hosting",
    description: "S3 buckets must not be configured for static website hosting, which serves objects over plain " +
        "HTTP to anyone; serve content through CloudFront with origin access control instead.",
    enforcementLevel: "mandatory",
    severity: "high",
    resourceTypes: ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2",
        "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration", "aws:s3/bucketWebsiteConfigurationV2:BucketWebsiteConfigurationV2"],
    validate: (args, check) => {
        if (args.type.includes("bucketWebsiteConfiguration")) {
            check.report(`BucketWebsiteConfiguration '${args.name}' turns on website hosting: remove it and serve the ` +
                `bucket through a CloudFront distribution with origin access control.`);
            return;
        }
        const set = WEBSITE_PROPERTIES.filter((p) => {
            const v = check.read(() => args.props[p]);
            return !isUnknown(v) && isConfigured(v);
        });
        if (set.length) {
            check.report(`Bucket '${args.name}' sets ${set.join(", ")}: website hosting is on. Remove it and serve ` +
                `the bucket through a CloudFront distribution with origin access control.`);
        }
    },
});
