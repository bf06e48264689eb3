import { resourcePolicy, shortType } from "../lib/guard";
import { isUnknown } from "../lib/unknown";

const PUBLIC_CANNED = new Set(["public-read", "public-read-write", "authenticated-read"]);
const PUBLIC_GROUPS = /\/groups\/global\/(AllUsers|AuthenticatedUsers)$/;

/** Objects carry their own ACL: a public-read object is public whatever its bucket's ACL says. */
const OBJECT_TYPES = ["aws:s3/bucketObject:BucketObject", "aws:s3/bucketObjectv2:BucketObjectv2", "aws:s3/objectCopy:ObjectCopy"];

interface GrantLike {
    uri?: string;
    grantee?: { uri?: string };
}

export const s3BucketNoPublicAcl = resourcePolicy({
    name: "aws-s3-bucket-disallow-public-acl",
    description: "S3 buckets and objects must not be made public by ACL: no public-read, public-read-write or " +
        "authenticated-read canned ACL and no grant to AllUsers or AuthenticatedUsers, on a bucket, an aws.s3.BucketAcl, " +
        "or an object (BucketObject, BucketObjectv2, ObjectCopy).",
    enforcementLevel: "mandatory",
    severity: "critical",
    resourceTypes: ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2", "aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2", ...OBJECT_TYPES],
    validate: (args, check) => {
        const what = `${shortType(args.type)} '${args.name}'`;
        const isObject = OBJECT_TYPES.includes(args.type);
        const acl = check.read(() => args.props.acl);
        if (typeof acl === "string" && PUBLIC_CANNED.has(acl.toLowerCase())) {
            const canned = acl.toLowerCase();
            check.report(`${what} sets acl "${acl}", which lets ${canned === "authenticated-read" ? "any AWS account" : "anyone"} ` +
                `read${canned === "public-read-write" ? " and write" : ""} it: use "private"` +
                `${isObject ? " (and BucketOwnerEnforced ownership on the bucket, which disables object ACLs)" : " (or no ACL with BucketOwnerEnforced ownership)"}.`);
        }
        const grants = check.read(() => {
            const g = args.type.includes("bucketAcl") ? args.props.accessControlPolicy?.grants : args.props.grants;
            // Stryker disable next-line ArrayDeclaration: a placeholder entry is no group URI, so it reports nothing, as no grants do
            return Array.isArray(g) ? (g as GrantLike[]).map((x) => x?.grantee?.uri ?? x?.uri) : [];
        });
        if (isUnknown(grants)) return;
        for (const uri of grants) {
            const m = PUBLIC_GROUPS.exec(String(uri));
            if (m) check.report(`${what} grants access to the ${m[1]} group (${uri}): remove the grant; share through a bucket policy naming principals.`);
        }
    },
});
