import { resourcePolicy } from "../lib/guard";
import { forEachIamDocument, noteUnknownParts } from "../lib/iamDocumentSources";
import { PINNING_ADVICE, publicReason, unscopedFederation } from "../lib/publicAccess";

export const iamRoleTrustNoPublic = resourcePolicy({
    name: "aws-iam-role-trust-disallow-any-principal",
    description: "A role's trust policy must not let Principal `*`, any AWS account (`{\"AWS\": \"*\"}`, " +
        "`arn:aws:iam::*:root`) or identities of a federated provider beyond the ones it names: each claim AWS " +
        "documents as the provider's pin needs a restricting condition (GitHub `sub` with a literal owner and `aud`, " +
        "EKS `sub` with a literal namespace, Google and Cognito `aud`, Facebook and Amazon `app_id`, SAML `SAML:aud`).",
    enforcementLevel: "mandatory",
    severity: "critical",
    resourceTypes: ["aws:iam/role:Role"],
    validate: forEachIamDocument((d, check) => {
        noteUnknownParts(d, check, ["Effect", "Principal", "NotPrincipal", "Condition"]);
        for (const s of d.doc.statements) {
            const open = publicReason(s, d.doc);
            if (open && !open.pending) {
                check.report(`${d.where(s)} ${open.reason}, so any AWS account can assume the role: ${PINNING_ADVICE}.`);
            }
            const federation = unscopedFederation(s);
            if (federation && !federation.pending) {
                check.report(`${d.where(s)} ${federation.reason}, so any of its users (for GitHub, any repository) can ` +
                    `assume the role: add ${federation.advice}; IfExists, ForAllValues:, negated operators and ` +
                    `wildcard-only values do not count.`);
            }
        }
    }, ["trust"]),
});
