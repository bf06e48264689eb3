import { resourcePolicy } from "../lib/guard";
import { IamStatement } from "../lib/iamDocument";
import { forEachIamDocument, noteUnknownParts } from "../lib/iamDocumentSources";
import { PINNING_ADVICE, publicReason } from "../lib/publicAccess";

/** A web-identity or SAML trust without a condition on the token's audience or subject admits every identity of the provider. */
function unscopedFederation(s: IamStatement): string | undefined {
    if (s.effect !== "Allow" || !s.principal || s.principal.federated.length === 0) return undefined;
    const scoped = s.conditions.some((c) => /:(aud|sub|amr)$/.test(c.key) && !c.operator.toLowerCase().includes("not") && c.values.length > 0);
    return scoped ? undefined : `admits every identity of ${s.principal.federated.join(", ")} (no condition on its aud or sub claim)`;
}

export const iamRoleTrustNoPublic = resourcePolicy({
    name: "aws-iam-role-trust-disallow-any-principal",
    description: "A role's trust policy must not let Principal `*`, any AWS account (`{\"AWS\": \"*\"}`, " +
        "`arn:aws:iam::*:root`) or every identity of a federated provider assume it.",
    enforcementLevel: "mandatory",
    severity: "critical",
    resourceTypes: ["aws:iam/role:Role"],
    validate: forEachIamDocument((d, check) => {
        noteUnknownParts(d, check, ["Effect", "Principal", "NotPrincipal", "Condition"]);
        for (const s of d.doc.statements) {
            const reason = publicReason(s);
            if (reason) {
                check.report(`${d.where(s)} ${reason}, so any AWS account can assume the role: ${PINNING_ADVICE}.`);
            }
            const federation = unscopedFederation(s);
            if (federation) {
                check.report(`${d.where(s)} ${federation}: add a StringEquals/StringLike condition on the provider's ` +
                    `aud and sub claims (e.g. token.actions.githubusercontent.com:sub = repo:org/repo:ref:refs/heads/main).`);
            }
        }
    }, ["trust"]),
});
