import { PolicyResource } from "@pulumi/policy";
import { stackPolicy } from "../lib/guard";
import { IamStatement, isDocumentError } from "../lib/iamDocument";
import { readResourceDocuments } from "../lib/iamDocumentSources";
import { BUCKET_TYPES, bucketLinks } from "../lib/s3";

const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";

/** `Deny` any s3 action when aws:SecureTransport is false (or TLS below 1.2), for everyone. */
function deniesInsecureTransport(s: IamStatement): boolean {
    if (s.effect !== "Deny") return false;
    const everyone = s.principal?.anyone ?? false;
    const allS3 = (s.action ?? []).some((a) => a === "*" || a.toLowerCase() === "s3:*");
    const onTransport = s.conditions.some((c) =>
        (c.key === "aws:securetransport" && c.operator.toLowerCase().startsWith("bool") && c.values.includes("false")) ||
        (c.key === "s3:tlsversion" && c.operator.toLowerCase().startsWith("numericlessthan")));
    return everyone && allS3 && onTransport;
}

export const s3BucketRequireTlsPolicy = stackPolicy({
    name: "aws-s3-bucket-require-tls-only-policy",
    description: "S3 buckets should have a bucket policy that Denies `s3:*` to Principal `*` when aws:SecureTransport is false.",
    enforcementLevel: "advisory",
    severity: "medium",
    validate: (args, check) => {
        const buckets = check.index.ofType(...BUCKET_TYPES);
        if (buckets.length === 0) return;
        const links = bucketLinks(check.index, [BUCKET_POLICY]);
        for (const u of links.unresolved) check.unknown(u, "bucket");
        const enforces = (r: PolicyResource): boolean | "unknown" => {
            let unknown = false;
            const found = readResourceDocuments(r.type, r.props, () => { unknown = true; });
            if (found.some((f) => !isDocumentError(f.doc) && f.doc.statements.some(deniesInsecureTransport))) return true;
            return unknown ? "unknown" : false;
        };
        for (const bucket of buckets) {
            const results = [bucket, ...(links.byBucket.get(bucket.urn) ?? [])].map(enforces);
            if (results.includes(true)) continue;
            if (results.includes("unknown")) {
                check.unknown(bucket, "policy (TLS-only statement)");
                continue;
            }
            if ((links.byBucket.get(bucket.urn) ?? []).length === 0 && links.unresolved.length > 0) continue;
            check.report(bucket, `Bucket '${bucket.name}' accepts plain-HTTP requests: add a bucket policy statement ` +
                `{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucket arn, bucket arn/*], ` +
                `Condition: { Bool: { "aws:SecureTransport": "false" } } }.`);
        }
    },
});
