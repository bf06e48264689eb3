import { resourcePolicy } from "../lib/guard";
import { isUnknown } from "../lib/unknown";

const PUBLIC_CANNED = new Set(["public-read", "public-read-write", "authenticated-read"]);
const PUBLIC_GROUPS = /\/groups\/global\/(AllUsers|AuthenticatedUsers)$/;

interface GrantLike {
    uri?: string;
    grantee?: { uri?: string };
}

export const s3BucketNoPublicAcl = resourcePolicy({
    name: "aws-s3-bucket-disallow-public-acl",
    description: "S3 buckets must not be made public by ACL: no public-read, public-read-write or authenticated-read " +
        "canned ACL and no grant to AllUsers or AuthenticatedUsers, on the bucket or in an aws.s3.BucketAcl.",
    enforcementLevel: "mandatory",
    severity: "critical",
    resourceTypes: ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2", "aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2"],
    validate: (args, check) => {
        const what = `${args.type.slice(args.type.lastIndexOf(":") + 1)} '${args.name}'`;
        const acl = check.read(() => args.props.acl);
        if (typeof acl === "string" && PUBLIC_CANNED.has(acl)) {
            check.report(`${what} sets acl "${acl}", which lets ${acl === "authenticated-read" ? "any AWS account" : "anyone"} ` +
                `read${acl === "public-read-write" ? " and write" : ""} it: use "private" (or no ACL with BucketOwnerEnforced ownership).`);
        }
        const grants = check.read(() => {
            const g = args.type.includes("bucketAcl") ? args.props.accessControlPolicy?.grants : args.props.grants;
            return Array.isArray(g) ? (g as GrantLike[]).map((x) => x?.grantee?.uri ?? x?.uri) : [];
        });
        if (isUnknown(grants)) return;
        for (const uri of grants) {
            const m = typeof uri === "string" ? PUBLIC_GROUPS.exec(uri) : null;
            if (m) check.report(`${what} grants access to the ${m[1]} group (${uri}): remove the grant; share through a bucket policy naming principals.`);
        }
    },
});
