import { PolicyResource } from "@pulumi/policy";
import { stackPolicy } from "../lib/guard";
import { IamCondition, IamStatement, isDocumentError } from "../lib/iamDocument";
import { readResourceDocuments } from "../lib/iamDocumentSources";
import { BUCKET_TYPES, bucketLinks } from "../lib/s3";

const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";

/** A condition that holds for a plain-HTTP request (aws:SecureTransport false) or one below a TLS version. */
function onInsecureTransport(c: IamCondition): boolean {
    return (c.key === "aws:securetransport" && c.operator.toLowerCase().startsWith("bool") && c.values.includes("false")) ||
        (c.key === "s3:tlsversion" && c.operator.toLowerCase().startsWith("numericlessthan"));
}

/**
 * `Deny` any s3 action for everyone, on insecure transport alone: a further condition (say aws:SourceVpce) would
 * narrow the Deny, leaving plain HTTP open to every request that condition does not match.
 */
function deniesInsecureTransport(s: IamStatement): boolean {
    if (s.effect !== "Deny") return false;
    const everyone = s.principal?.anyone ?? false;
    // Stryker disable next-line ArrayDeclaration: a placeholder action is neither * nor s3:*, so it denies no more than no Action (a NotAction statement)
    const allS3 = (s.action ?? []).some((a) => a === "*" || a.toLowerCase() === "s3:*");
    const onTransport = s.conditions.length > 0 && s.conditions.every(onInsecureTransport);
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
            const linked = links.byBucket.get(bucket.urn) ?? [];
            const results = [bucket, ...linked].map(enforces);
            if (results.includes(true)) continue;
            if (results.includes("unknown")) {
                check.unknown(bucket, "policy (TLS-only statement)");
                continue;
            }
            // No policy of its own while one is unresolved: that one may be this bucket's (noted as unknown above).
            if (linked.length === 0 && links.unresolved.length > 0) continue;
            check.report(bucket, `Bucket '${bucket.name}' accepts plain-HTTP requests: add a bucket policy statement ` +
                `{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucket arn, bucket arn/*], ` +
                `Condition: { Bool: { "aws:SecureTransport": "false" } } }.`);
        }
    },
});
