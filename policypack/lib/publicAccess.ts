// "Who can use this statement?" for resource-based and trust policies: a statement that Allows Principal `*`
// (or `{ "AWS": "*" }`, an account wildcard, or NotPrincipal) is open to every AWS account unless a condition pins
// the caller to an organisation, account, source resource or VPC endpoint.

import { IamCondition, IamStatement } from "./iamDocument";

/** Condition keys that, with a concrete value, restrict callers to known accounts, resources or networks. */
const PINNING_KEYS = new Set([
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceowner",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourcevpce",
    "aws:sourcevpc",
]);

/**
 * Whether the condition restricts the caller. Operators that also pass when the key is absent (`...IfExists`,
 * `ForAllValues:`), negations and `Null` do not; nor does a value that is only wildcards.
 */
export function pinsCaller(c: IamCondition): boolean {
    if (!PINNING_KEYS.has(c.key)) return false;
    const op = c.operator.toLowerCase();
    if (op.endsWith("ifexists") || op.includes("not") || op.startsWith("forallvalues:") || op === "null") return false;
    return c.values.length > 0 && c.values.every((v) => v.replace(/[*?]/g, "") !== "");
}

/** An AWS principal that stands for any account: `*`, `arn:aws:iam::*:root`, `arn:aws:iam::*:role/x`. */
export function isAnyAccountPrincipal(p: string): boolean {
    if (p === "*") return true;
    const m = /^arn:aws[a-z-]*:(?:iam|sts)::([^:]*):/.exec(p);
    return !!m && /[*?]/.test(m[1]);
}

/** Why an Allow statement is open to any AWS account, or undefined when it is not. */
export function publicReason(s: IamStatement): string | undefined {
    if (s.effect !== "Allow") return undefined;
    let reason: string | undefined;
    if (s.notPrincipal) reason = "uses NotPrincipal, which allows everyone not listed";
    else if (s.principal?.anyone) reason = "allows Principal \"*\" (any AWS account, and anonymous callers where the service allows them)";
    else {
        const wild = s.principal?.aws.find(isAnyAccountPrincipal);
        if (wild) reason = `allows principal "${wild}", which matches any AWS account`;
    }
    if (!reason) return undefined;
    return s.conditions.some(pinsCaller) ? undefined : reason;
}

export const PINNING_ADVICE =
    "name the principals (account, role or service), or add a condition that pins the caller " +
    "(aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID or aws:SourceVpce with a concrete value)";
