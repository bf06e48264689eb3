import { resourcePolicy } from "../lib/guard";
import { forEachIamDocument, iamDocumentTypes, noteUnknownParts } from "../lib/iamDocumentSources";
import { PINNING_ADVICE, publicReason } from "../lib/publicAccess";
import { S3_POLICY_TYPES } from "./s3BucketPolicyNoPublicPrincipal";

export const resourcePolicyNoPublicPrincipal = resourcePolicy({
    name: "aws-iam-resource-policy-disallow-public-principal",
    description: "Resource-based policies (queues, topics, keys, secrets, Lambda permissions, repositories, ...) must " +
        "not Allow Principal `*` or any AWS account unless a condition pins the caller. S3 has its own policy.",
    enforcementLevel: "mandatory",
    severity: "critical",
    resourceTypes: iamDocumentTypes.filter((t) => !S3_POLICY_TYPES.includes(t)),
    validate: forEachIamDocument((d, check) => {
        if (d.principalIsScopedElsewhere) return;
        noteUnknownParts(d, check, ["Effect", "Principal", "NotPrincipal", "Condition"]);
        for (const s of d.doc.statements) {
            const open = publicReason(s, d.doc);
            // A condition unknown during preview may pin the caller: noteUnknownParts has noted it as unverified.
            if (open && !open.pending) check.report(`${d.where(s)} ${open.reason}: ${PINNING_ADVICE}.`);
        }
    }, ["resource"]),
});
