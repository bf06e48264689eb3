import { resourcePolicy } from "../lib/guard";

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
        if ("website" in args.props) {
            const website = check.read(() => args.props.website);
            if (website !== undefined && website !== null) {
                check.report(`Bucket '${args.name}' sets website, which turns on website hosting: remove it and serve ` +
                    `the bucket through a CloudFront distribution with origin access control.`);
            }
        }
    },
});
