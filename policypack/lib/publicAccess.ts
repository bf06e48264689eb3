// "Who can use this statement?" for resource-based and trust policies: a statement that Allows Principal `*`
// (or `{ "AWS": "*" }`, an account wildcard, or NotPrincipal) is open to every AWS account unless a condition pins
// the caller to an organisation, account, source resource or VPC endpoint. This is the ONE place that decides
// whether a condition pins the caller; federated trust (web identity / SAML claims) is judged here too.

import { IamCondition, IamStatement, hasWildcard } from "./iamDocument";

/** How a pinning key's value must look to pin anything. */
type ValueRule = (value: string) => boolean;

const literal: ValueRule = (v) => v !== "" && !hasWildcard(v);

/** An ARN whose account field is a literal 12-digit account, or (S3 buckets: no account) whose name is literal. */
const pinnedArn: ValueRule = (v) => {
    const parts = v.split(":");
    if (parts.length < 6 || parts[0] !== "arn") return false;
    if (/^\d{12}$/.test(parts[4])) return true;
    return parts[4] === "" && parts[2] === "s3" && literal(parts.slice(5).join(":"));
};

/** `o-xxxxxxxxxx/r-xxxx/...`: the organisation and root literal, whatever follows. */
const pinnedOrgPath: ValueRule = (v) => /^o-[a-z0-9]+\/r-[a-z0-9]+(\/|$)/.test(v);

/** Condition keys that, with a value passing their rule, restrict callers to known accounts, resources or networks. */
const PINNING_KEYS = new Map<string, ValueRule>([
    ["aws:sourcearn", pinnedArn],
    ["aws:principalarn", pinnedArn],
    ["s3:dataaccesspointarn", pinnedArn],
    ["aws:sourceaccount", literal],
    ["aws:principalaccount", literal],
    ["aws:sourceowner", literal],
    ["kms:calleraccount", literal],
    ["s3:dataaccesspointaccount", literal],
    ["aws:sourceorgid", literal],
    ["aws:principalorgid", literal],
    ["aws:sourceorgpaths", pinnedOrgPath],
    ["aws:principalorgpaths", pinnedOrgPath],
    ["aws:sourcevpce", literal],
    ["aws:sourcevpc", literal],
]);

/**
 * Whether the operator requires the key to be present and to match: `...IfExists` and `ForAllValues:` also pass
 * when the key is absent, negations pass for every other value, and `Null` only tests presence.
 */
export function isRestrictingOperator(operator: string): boolean {
    const op = operator.toLowerCase();
    return !(op.endsWith("ifexists") || op.includes("not") || op.startsWith("forallvalues:") || op === "null");
}

/** Whether a condition restricts `key` to values that each pass `rule` (known values only). */
function restricts(c: IamCondition, rule: ValueRule): boolean {
    return !c.unknown && isRestrictingOperator(c.operator) && c.values.length > 0 && c.values.every(rule);
}

/**
 * Whether the condition restricts the caller: a pinning key, a restricting operator, and every value concrete for
 * its key (account and organisation ids and VPC ids without wildcards, ARNs with a literal account, organisation
 * paths with a literal `o-.../r-...` prefix).
 */
export function pinsCaller(c: IamCondition): boolean {
    const rule = PINNING_KEYS.get(c.key);
    return !!rule && restricts(c, rule);
}

/** A condition unknown during preview that might pin the caller once known. */
function mayPinWhenKnown(c: IamCondition): boolean {
    return !!c.unknown && (c.key === "?" || PINNING_KEYS.has(c.key)) && (c.operator === "?" || isRestrictingOperator(c.operator));
}

/** An AWS principal that stands for any account: `*`, `arn:aws:iam::*:root`, `arn:aws:iam::*:role/x`. */
export function isAnyAccountPrincipal(p: string): boolean {
    if (p === "*") return true;
    const m = /^arn:aws[a-z-]*:(?:iam|sts)::([^:]*):/.exec(p);
    return !!m && /[*?]/.test(m[1]);
}

/** Why a statement is open: `pending` when a condition unknown during preview may still pin the caller. */
export interface OpenStatement {
    reason: string;
    pending: boolean;
}

function openUnless(s: IamStatement, reason: string, pins: (c: IamCondition) => boolean, mayPin: (c: IamCondition) => boolean): OpenStatement | undefined {
    if (s.conditions.some(pins)) return undefined;
    return { reason, pending: s.conditions.some(mayPin) };
}

/** Why an Allow statement is open to any AWS account, or undefined when it is not. */
export function publicReason(s: IamStatement): OpenStatement | undefined {
    if (s.effect !== "Allow") return undefined;
    let reason: string | undefined;
    if (s.notPrincipal) reason = "uses NotPrincipal, which allows everyone not listed";
    else if (s.principal?.anyone) reason = "allows Principal \"*\" (any AWS account, and anonymous callers where the service allows them)";
    else {
        const wild = s.principal?.aws.find(isAnyAccountPrincipal);
        if (wild) reason = `allows principal "${wild}", which matches any AWS account`;
    }
    return reason ? openUnless(s, reason, pinsCaller, mayPinWhenKnown) : undefined;
}

export const PINNING_ADVICE =
    "name the principals (account, role or service), or add a condition that pins the caller " +
    "(aws:SourceArn or aws:PrincipalArn with a literal account, aws:SourceAccount, aws:PrincipalOrgID, " +
    "kms:CallerAccount or aws:SourceVpce with a concrete value; wildcards there pin nothing)";

// ---- Federated trust: which claims must be pinned, per provider. ----

const COGNITO = "cognito-identity.amazonaws.com";

/** A `sub` value that still admits any subject: only wildcards, or GitHub's `repo:` with a wildcard owner. */
const pinnedSubject: ValueRule = (v) => v.replace(/[*?]/g, "") !== "" && !/^repo:[^/]*[*?]/.test(v) && !/^repo:[*?]*$/.test(v);

interface ClaimRequirement {
    claim: string;
    rule: ValueRule;
    advice: string;
}

/** What a federated principal's trust must pin: Cognito the identity pool (`aud`), SAML aud or sub, OIDC the subject. */
function claimsFor(provider: string): { key: (c: IamCondition) => boolean; requirement: ClaimRequirement } {
    if (provider === COGNITO) {
        return {
            key: (c) => c.key === `${COGNITO}:aud`,
            requirement: { claim: "aud", rule: literal, advice: `StringEquals { "${COGNITO}:aud": <identity pool id> }` },
        };
    }
    if (/:saml-provider\//.test(provider)) {
        return {
            key: (c) => /^saml:(aud|sub)$/.test(c.key),
            requirement: { claim: "aud or sub", rule: pinnedSubject, advice: `StringEquals { "SAML:aud": "https://signin.aws.amazon.com/saml" }` },
        };
    }
    const host = provider.replace(/^arn:[^:]*:iam::[^:]*:oidc-provider\//, "");
    return {
        key: (c) => c.key === `${host.toLowerCase()}:sub`,
        requirement: {
            claim: "sub",
            rule: pinnedSubject,
            advice: `StringEquals (or StringLike) { "${host}:sub": <the exact subject, e.g. repo:org/repo:ref:refs/heads/main> }`,
        },
    };
}

/**
 * Why a trust statement admits every identity of a federated provider: OIDC providers need a restricting `sub`
 * condition (not `*`, not `repo:*`), Cognito a literal `aud` (the identity pool; `amr` alone admits every pool),
 * SAML an `aud` or `sub`. IfExists, ForAllValues:, negated and Null operators do not count.
 */
export function unscopedFederation(s: IamStatement): (OpenStatement & { advice: string }) | undefined {
    if (s.effect !== "Allow" || !s.principal) return undefined;
    for (const provider of s.principal.federated) {
        const { key, requirement } = claimsFor(provider);
        const open = openUnless(s, `admits every identity of ${provider} (no restricting condition on its ${requirement.claim} claim)`,
            (c) => key(c) && restricts(c, requirement.rule),
            (c) => !!c.unknown && (c.key === "?" || key(c)));
        if (open) return { ...open, advice: requirement.advice };
    }
    return undefined;
}
