import { resourcePolicy } from "../lib/guard";
import { forEachIamDocument, noteUnknownParts } from "../lib/iamDocumentSources";
import { PINNING_ADVICE, publicReason } from "../lib/publicAccess";

export const S3_POLICY_TYPES = ["aws:s3/bucketPolicy:BucketPolicy", "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2",
    "aws:s3/accessPoint:AccessPoint", "aws:s3control/accessPointPolicy:AccessPointPolicy", "aws:s3control/bucketPolicy:BucketPolicy",
    "aws:s3control/objectLambdaAccessPointPolicy:ObjectLambdaAccessPointPolicy", "aws:s3control/multiRegionAccessPointPolicy:MultiRegionAccessPointPolicy"];

export const s3BucketPolicyNoPublicPrincipal = resourcePolicy({
    name: "aws-s3-bucket-policy-disallow-public-principal",
    description: "A bucket (or access point) policy must not Allow Principal `*` or `{\"AWS\": \"*\"}` unless a " +
        "condition pins the caller (aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID, aws:SourceVpce).",
    enforcementLevel: "mandatory",
    severity: "critical",
    resourceTypes: S3_POLICY_TYPES,
    validate: forEachIamDocument((d, check) => {
        noteUnknownParts(d, check, ["Effect", "Principal", "NotPrincipal", "Condition"]);
        for (const s of d.doc.statements) {
            const open = publicReason(s, d.doc);
            // A condition unknown during preview may pin the caller: noteUnknownParts has noted it as unverified.
            if (open && !open.pending) check.report(`${d.where(s)} ${open.reason}, which makes the bucket public: ${PINNING_ADVICE}.`);
        }
    }, ["resource"]),
});
