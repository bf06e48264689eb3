// "Who can use this statement?" for resource-based and trust policies: a statement that Allows Principal `*`
// (or `{ "AWS": "*" }`, an account wildcard, or NotPrincipal) is open to every AWS account unless a condition pins
// the caller to an organisation, account, source resource or VPC endpoint. This is the ONE place that decides
// whether a condition pins the caller; federated trust (web identity / SAML claims) is judged here too.

import { IamCondition, IamDocument, IamStatement, hasWildcard } from "./iamDocument";
import { covers } from "./wildcard";

/** How a pinning key's value must look to pin anything. */
type ValueRule = (value: string) => boolean;

const VARIABLE = /\$\{([^}]*)\}/g;

/**
 * Policy variables that name the resource's owner, not the caller: `aws:PrincipalAccount = ${aws:ResourceAccount}`
 * keeps callers in the resource's own account (the data-perimeter form). Every other variable is a value of the
 * request (`${aws:PrincipalAccount}`, `${aws:SourceAccount}`, `${aws:PrincipalTag/x}`, ...): comparing a key with a
 * value the caller brings pins nothing, and comparing a key with itself is always true.
 */
const OWNER_VARIABLES: Record<string, string> = {
    "aws:resourceaccount": "111111111111",
    "aws:resourceorgid": "o-resourceowner",
    "aws:resourceorgpaths": "o-resourceowner/r-root/",
};

/** `rule` applied after the owner's variables are read as concrete values; any other variable pins nothing. */
function concrete(rule: ValueRule): ValueRule {
    return (v) => {
        let callerVariable = false;
        const resolved = v.replace(VARIABLE, (whole, name: string) => {
            const owner = OWNER_VARIABLES[name.toLowerCase()];
            if (owner === undefined) callerVariable = true;
            return owner ?? whole;
        });
        return !callerVariable && rule(resolved);
    };
}

const literal: ValueRule = (v) => v !== "" && !hasWildcard(v);

/** An ARN whose account field is a literal 12-digit account, or (S3 buckets: no account) whose name is literal. */
const pinnedArn: ValueRule = (v) => {
    const parts = v.split(":");
    if (parts[0] !== "arn") return false;
    // A `*` in the partition or service can stand for `:` and shift the account field (`arn:*:123456789012:x`).
    // A region wildcard is kept: no resource name another account could choose lines up its account there.
    if (parts.slice(0, 3).some(hasWildcard)) return false;
    if (/^\d{12}$/.test(parts[4])) return true;
    // Stryker disable next-line StringLiteral: the separator only matters for a resource part made of colons, which no bucket name is
    return parts[4] === "" && parts[2] === "s3" && literal(parts.slice(5).join(":"));
};

/** `o-xxxxxxxxxx/...`: the organisation literal, whatever follows (`o-a1b2c3d4e5/*` is that organisation). */
const pinnedOrgPath: ValueRule = (v) => /^o-[a-z0-9]+\//.test(v);

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
].map(([k, rule]) => [k as string, concrete(rule as ValueRule)]));

/**
 * Whether the operator requires the key to be present and to match: `...IfExists` and `ForAllValues:` also pass
 * when the key is absent, negations pass for every other value, and `Null` only tests presence.
 */
export function isRestrictingOperator(operator: string): boolean {
    const op = operator.toLowerCase();
    return !(op.endsWith("ifexists") || op.includes("not") || op.startsWith("forallvalues:") || op === "null");
}

/** `StringNotEquals`, `ArnNotLike`, ...: a negation that also applies when the key is absent (not `...IfExists`). */
function isExcludingOperator(operator: string): boolean {
    const op = operator.toLowerCase();
    return op.includes("not") && !op.endsWith("ifexists") && !op.startsWith("forallvalues:") && !op.startsWith("foranyvalue:");
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
export function mayPinWhenKnown(c: IamCondition): boolean {
    return !!c.unknown && (c.key === "?" || PINNING_KEYS.has(c.key)) && isRestrictingOperator(c.operator);
}

/**
 * An AWS principal that stands for any account: `*`, or an ARN with a wildcard in or before its account field
 * (`arn:aws:iam::*:root`, `arn:aws:iam::*:role/x`, `arn:aws:iam::*`, `arn:*`), since a `*` there can match any account.
 */
export function isAnyAccountPrincipal(p: string): boolean {
    return p.split(":").slice(0, 5).some(hasWildcard);
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

/** Whether some Deny pattern of `deny` covers `allowed` (every action, or every resource, it names). */
function denyCovers(deny: string[] | undefined, allowed: string[] | undefined): boolean {
    if (!deny || !allowed) return false;
    return allowed.every((a) => deny.some((d) => covers(d, a)));
}

/**
 * Whether a Deny in the same document removes everything the Allow grants unless the caller is pinned: the form AWS
 * documents for private APIs (Allow `*`, then Deny `execute-api:Invoke` on the same resources when aws:SourceVpce
 * is not the endpoint) and for data perimeters (Deny unless aws:PrincipalOrgID). The Deny must apply to everyone,
 * cover the Allow's actions and resources, and have only negated conditions on pinning keys with concrete values
 * (its conditions are ANDed, so the request escapes it only by matching one of the pins).
 */
function guardedByDeny(s: IamStatement, doc: IamDocument): boolean {
    return doc.statements.some((d) => d.effect === "Deny" && !d.notAction && !d.notResource && !d.notPrincipal &&
        !!d.principal?.anyone &&
        (d.action?.includes("*") || denyCovers(d.action, s.action)) &&
        (d.resource?.includes("*") || denyCovers(d.resource, s.resource)) &&
        d.conditions.length > 0 &&
        d.conditions.every((c) => {
            const rule = PINNING_KEYS.get(c.key);
            return !!rule && !c.unknown && isExcludingOperator(c.operator) && c.values.length > 0 && c.values.every(rule);
        }));
}

/**
 * Why an Allow statement is open to any AWS account, or undefined when it is not. With `doc`, a Deny in the same
 * document that admits only pinned callers (see guardedByDeny) closes it.
 */
export function publicReason(s: IamStatement, doc?: IamDocument): OpenStatement | undefined {
    if (s.effect !== "Allow") return undefined;
    let reason: string | undefined;
    if (s.notPrincipal) reason = "uses NotPrincipal, which allows everyone not listed";
    else if (s.principal?.anyone) reason = "allows Principal \"*\" (any AWS account, and anonymous callers where the service allows them)";
    else {
        const wild = s.principal?.aws.find(isAnyAccountPrincipal);
        if (wild) reason = `allows principal "${wild}", which matches any AWS account`;
    }
    if (!reason) return undefined;
    const open = openUnless(s, reason, pinsCaller, mayPinWhenKnown);
    return open && doc && guardedByDeny(s, doc) ? undefined : open;
}

export const PINNING_ADVICE =
    "name the principals (account, role or service), or add a condition that pins the caller " +
    "(aws:SourceArn or aws:PrincipalArn with a literal account, aws:SourceAccount, aws:PrincipalOrgID, " +
    "kms:CallerAccount or aws:SourceVpce with a concrete value; wildcards there pin nothing)";

// ---- Federated trust: which claims must be pinned, per provider (the keys AWS documents for each). ----

const COGNITO = "cognito-identity.amazonaws.com";

/**
 * A subject that pins its owner: the claim name and the owner are literal before any wildcard, as in
 * `repo:octo-org/` (GitHub), `project_path:group/` (GitLab), `organization:org:` (Terraform Cloud). A leading
 * wildcard, `repo*`, `repo:*` or `repo:oct*` admit other owners' repositories.
 */
const ownerSubject: ValueRule = concrete((v) => v !== "" && (!hasWildcard(v) || /^[^:*?]+:[^:/*?]+[:/]/.test(v)));

/** An EKS service-account subject: `system:serviceaccount:<namespace>:` literal before any wildcard. */
const serviceAccountSubject: ValueRule = concrete((v) => !hasWildcard(v) || /^system:serviceaccount:[^:*?]+:/.test(v));

const literalClaim: ValueRule = concrete(literal);

interface ClaimRequirement {
    /** The condition key, lower-cased (e.g. `accounts.google.com:aud`). */
    key: string;
    rule: ValueRule;
    advice: string;
}

/** The provider's host path: `token.actions.githubusercontent.com` from its OIDC provider ARN, or the bare name. */
function providerHost(provider: string): string {
    return provider.replace(/^arn:[^:]*:iam::[^:]*:oidc-provider\//, "").replace(/^https:\/\//, "");
}

/**
 * What a federated principal's trust must pin, each requirement needed (the condition keys AWS documents as the
 * pin for the provider): GitHub the subject's owner and the audience; EKS the service account's namespace; Google
 * the client (`aud`); Facebook and Login with Amazon the app (`app_id`); Cognito the identity pool (`aud`); SAML
 * the audience (`SAML:aud`); any other OIDC provider the subject's owner.
 */
function claimsFor(provider: string): ClaimRequirement[] {
    const host = providerHost(provider);
    const h = host.toLowerCase();
    const lit = (claim: string, example: string): ClaimRequirement =>
        ({ key: `${h}:${claim}`, rule: literalClaim, advice: `StringEquals { "${host}:${claim}": ${example} }` });
    if (/:saml-provider\//.test(provider)) {
        return [{ key: "saml:aud", rule: literalClaim, advice: `StringEquals { "SAML:aud": "https://signin.aws.amazon.com/saml" }` }];
    }
    if (h === COGNITO) return [lit("aud", "<identity pool id>")];
    if (h === "accounts.google.com") return [lit("aud", "<your app's client id>")];
    if (h === "graph.facebook.com" || h === "www.amazon.com") return [lit("app_id", "<your app id>")];
    if (/^oidc\.eks\.[^/]+\.amazonaws\.com\/id\//.test(h)) {
        return [{ key: `${h}:sub`, rule: serviceAccountSubject, advice: `StringEquals { "${host}:sub": "system:serviceaccount:<namespace>:<service account>" }` }];
    }
    const sub: ClaimRequirement = {
        key: `${h}:sub`,
        rule: ownerSubject,
        advice: `StringEquals (or StringLike) { "${host}:sub": <the exact subject, e.g. repo:org/repo:ref:refs/heads/main> }`,
    };
    if (h.startsWith("token.actions.githubusercontent.com")) return [sub, lit("aud", "\"sts.amazonaws.com\"")];
    return [sub];
}

/**
 * Why a trust statement admits identities of a federated provider it should not: each claim AWS documents as the
 * pin for the provider (see claimsFor) needs a restricting condition whose every value pins. IfExists,
 * ForAllValues:, negated and Null operators, wildcards before the owner and policy variables do not count.
 */
export function unscopedFederation(s: IamStatement): (OpenStatement & { advice: string }) | undefined {
    if (s.effect !== "Allow" || !s.principal) return undefined;
    for (const provider of s.principal.federated) {
        for (const requirement of claimsFor(provider)) {
            const claim = requirement.key.slice(requirement.key.lastIndexOf(":") + 1);
            const open = openUnless(s, `admits every identity of ${provider} (no restricting condition on its ${claim} claim)`,
                (c) => c.key === requirement.key && restricts(c, requirement.rule),
                (c) => !!c.unknown && (c.key === "?" || c.key === requirement.key));
            if (open) return { ...open, advice: requirement.advice };
        }
    }
    return undefined;
}
