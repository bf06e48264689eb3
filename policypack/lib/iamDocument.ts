// The ONE reader of IAM policy documents. Whatever the encoding (a JSON string, an object built with
// aws.iam.PolicyDocument, a single Statement object or a list, Action/Resource as a string or a list,
// NotAction/NotResource/NotPrincipal), every policy in the pack sees the same normalised `IamStatement`s.
// Values unknown during preview inside an object document are kept as `unknownParts` so the rest is still checked.

import { getSpecialProxyTarget, isUnknownSentinel } from "./policyInternals";
import { Matcher, covers, hasWildcard, intersects, wildcardMatcher } from "./wildcard";
import { MemoWeakMap, memoMap } from "./memo";

export interface IamPrincipal {
    /** `"*"` or `{ "AWS": "*" }`: anyone, in any account. */
    anyone: boolean;
    aws: string[];
    service: string[];
    federated: string[];
    canonicalUser: string[];
}

export interface IamCondition {
    /** Operator as written, e.g. `StringEquals`, `ForAnyValue:StringLike`, `ArnLikeIfExists`. */
    operator: string;
    /** Condition key, lower-cased (keys are case-insensitive), e.g. `aws:sourcearn`. */
    key: string;
    /** The known values (a value unknown during preview is left out and `unknown` is set). */
    values: string[];
    /**
     * Part of the condition is unknown during preview: its values, its whole operator block (key `?`) or the whole
     * Condition element (operator and key `?`). Such a condition may pin the caller once known.
     */
    unknown?: boolean;
}

export interface IamStatement {
    /** Position in the document's Statement list (0 when Statement is a single object). */
    index: number;
    sid?: string;
    effect: "Allow" | "Deny" | string;
    action?: string[];
    notAction?: string[];
    resource?: string[];
    notResource?: string[];
    principal?: IamPrincipal;
    notPrincipal?: IamPrincipal;
    conditions: IamCondition[];
    /** Elements unknown during preview, e.g. `Statement[1].Resource`. */
    unknownParts: string[];
}

export interface IamDocument {
    statements: IamStatement[];
    unknownParts: string[];
}

/** A document that could not be read: not JSON, or not the shape of a policy. */
export interface IamDocumentError {
    error: string;
}

export function isDocumentError<T extends object>(d: T | IamDocumentError): d is IamDocumentError {
    return (d as IamDocumentError).error !== undefined;
}

const UNKNOWN_PART = Symbol("unknown part");

function unwrap(v: unknown): unknown {
    if (v !== null && typeof v === "object") {
        const target = (v as Record<string, unknown>)[getSpecialProxyTarget];
        if (target !== undefined) return target;
    }
    return isUnknownSentinel(v) ? UNKNOWN_PART : v;
}

function stringList(v: unknown, where: string, unknownParts: string[]): string[] | undefined {
    v = unwrap(v);
    if (v === undefined || v === null) return undefined;
    if (v === UNKNOWN_PART) {
        unknownParts.push(where);
        return undefined;
    }
    const items = Array.isArray(v) ? v : [v];
    const out: string[] = [];
    items.forEach((item, i) => {
        item = unwrap(item);
        if (item === UNKNOWN_PART) unknownParts.push(`${where}[${i}]`);
        else if (item !== undefined && item !== null) out.push(String(item));
    });
    return out;
}

function principalOf(v: unknown, where: string, unknownParts: string[]): IamPrincipal | undefined {
    v = unwrap(v);
    if (v === undefined || v === null) return undefined;
    const p: IamPrincipal = { anyone: false, aws: [], service: [], federated: [], canonicalUser: [] };
    if (v === UNKNOWN_PART) {
        unknownParts.push(where);
        return p;
    }
    if (typeof v === "string") {
        if (v === "*") p.anyone = true;
        else p.aws.push(v);
        return p;
    }
    for (const [k, raw] of Object.entries(v as Record<string, unknown>)) {
        const list = stringList(raw, `${where}.${k}`, unknownParts) ?? [];
        switch (k.toLowerCase()) {
            case "service": p.service.push(...list); break;
            case "federated": p.federated.push(...list); break;
            case "canonicaluser": p.canonicalUser.push(...list); break;
            default: p.aws.push(...list); // `AWS`, and any key IAM would reject, as the broadest reading
        }
    }
    if (p.aws.includes("*")) p.anyone = true;
    return p;
}

function conditionsOf(v: unknown, where: string, unknownParts: string[]): IamCondition[] {
    v = unwrap(v);
    if (v === UNKNOWN_PART) {
        unknownParts.push(where);
        return [{ operator: "?", key: "?", values: [], unknown: true }];
    }
    if (v === null || typeof v !== "object") return [];
    const out: IamCondition[] = [];
    for (const [operator, block] of Object.entries(v as Record<string, unknown>)) {
        const b = unwrap(block);
        if (b === UNKNOWN_PART) {
            unknownParts.push(`${where}.${operator}`);
            out.push({ operator, key: "?", values: [], unknown: true });
            continue;
        }
        if (b === null || typeof b !== "object") continue;
        for (const [key, values] of Object.entries(b as Record<string, unknown>)) {
            const before = unknownParts.length;
            const list = stringList(values, `${where}.${operator}.${key}`, unknownParts) ?? [];
            const condition: IamCondition = { operator, key: key.toLowerCase(), values: list };
            if (unknownParts.length > before) condition.unknown = true;
            out.push(condition);
        }
    }
    return out;
}

function statementOf(raw: unknown, index: number, where: string): IamStatement | IamDocumentError {
    const s = unwrap(raw);
    const unknownParts: string[] = [];
    if (s === UNKNOWN_PART) {
        return { index, effect: "Allow", conditions: [], unknownParts: [where] };
    }
    if (s === null || typeof s !== "object" || Array.isArray(s)) {
        return { error: `${where} is not an object` };
    }
    const o = s as Record<string, unknown>;
    const effect = unwrap(o.Effect);
    if (effect === UNKNOWN_PART) unknownParts.push(`${where}.Effect`);
    const sid = unwrap(o.Sid);
    return {
        index,
        sid: typeof sid === "string" ? sid : undefined,
        effect: effect === UNKNOWN_PART ? "Allow" : String(effect ?? ""),
        action: stringList(o.Action, `${where}.Action`, unknownParts),
        notAction: stringList(o.NotAction, `${where}.NotAction`, unknownParts),
        resource: stringList(o.Resource, `${where}.Resource`, unknownParts),
        notResource: stringList(o.NotResource, `${where}.NotResource`, unknownParts),
        principal: principalOf(o.Principal, `${where}.Principal`, unknownParts),
        notPrincipal: principalOf(o.NotPrincipal, `${where}.NotPrincipal`, unknownParts),
        conditions: conditionsOf(o.Condition, `${where}.Condition`, unknownParts),
        unknownParts,
    };
}

function documentOf(value: unknown): IamDocument | IamDocumentError {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        return { error: "the document is not a JSON object" };
    }
    const raw = unwrap((value as Record<string, unknown>).Statement);
    if (raw === UNKNOWN_PART) return { statements: [], unknownParts: ["Statement"] };
    if (raw === undefined || raw === null) return { error: "the document has no Statement" };
    const list = Array.isArray(raw) ? raw : [raw];
    const statements: IamStatement[] = [];
    const unknownParts: string[] = [];
    for (let i = 0; i < list.length; i++) {
        const st = statementOf(list[i], i, `Statement[${i}]`);
        if (isDocumentError(st)) return st;
        statements.push(st);
        unknownParts.push(...st.unknownParts);
    }
    return { statements, unknownParts };
}

// The same document string is read by several policies (and the principal graph): parse it once.
const parsedStrings = memoMap<string, IamDocument | IamDocumentError>();
const parsedObjects = new MemoWeakMap<object, IamDocument | IamDocumentError>();
const MAX_CACHED_STRINGS = 20_000;

/**
 * Reads an IAM document given as a JSON string or an object (plain, or the policy server's proxy). The result is
 * shared between callers and must not be mutated.
 */
export function readIamDocument(value: unknown): IamDocument | IamDocumentError {
    if (typeof value === "string") {
        const cached = parsedStrings.get(value);
        if (cached) return cached;
        let doc: IamDocument | IamDocumentError;
        try {
            doc = documentOf(JSON.parse(value));
        } catch (e) {
            doc = { error: `the document is not valid JSON (${(e as Error).message})` };
        }
        // Stryker disable next-line all: the memo's size bound; parsing again gives the same document
        if (parsedStrings.size >= MAX_CACHED_STRINGS) parsedStrings.clear();
        parsedStrings.set(value, doc);
        return doc;
    }
    const raw = unwrap(value);
    if (raw !== null && typeof raw === "object") {
        const cached = parsedObjects.get(raw);
        if (cached) return cached;
        const doc = documentOf(raw);
        parsedObjects.set(raw, doc);
        return doc;
    }
    return { error: "the document is neither a JSON string nor an object" };
}

/** `Sid "ReadTable"` or `statement 2` for messages. */
export function statementLabel(s: IamStatement): string {
    return s.sid ? `statement ${s.index} (Sid "${s.sid}")` : `statement ${s.index}`;
}

// ---- IAM wildcard matching (lib/wildcard.ts: linear, no RegExp built from a pattern). ----

export type { Matcher } from "./wildcard";
export { hasWildcard } from "./wildcard";

/** A case-insensitive matcher for an IAM pattern such as `dynamodb:Get*` or `s3:?etObject`. */
export const iamPattern = wildcardMatcher;

/** Exact action names in a set, wildcard patterns as regexes: one matcher per action list. */
function compileActions(patterns: readonly string[]): (action: string) => boolean {
    const exact = new Set<string>();
    const wild: Matcher[] = [];
    for (const p of patterns) {
        // Stryker disable next-line ConditionalExpression: a fast path; a matcher for an exact name matches what the set does
        if (hasWildcard(p)) wild.push(iamPattern(p));
        else exact.add(p.toLowerCase());
    }
    return (action) => exact.has(action.toLowerCase()) || wild.some((re) => re.test(action));
}

// Escalation asks each principal's statements (boundaries list hundreds of actions) about every escalation action:
// compiling a statement's list once, instead of a regex per pattern per question, is what keeps check linear-fast.
const statementMatchers = new MemoWeakMap<IamStatement, (action: string) => boolean>();

/** Whether a statement's Action/NotAction covers `action` (an exact, lower- or mixed-case action name). */
export function statementCoversAction(s: IamStatement, action: string): boolean {
    let covers = statementMatchers.get(s);
    // Stryker disable next-line ConditionalExpression: the memo; compiling again gives the same matcher
    if (!covers) {
        if (s.action) covers = compileActions(s.action);
        else if (s.notAction) {
            const excluded = compileActions(s.notAction);
            covers = (a) => !excluded(a);
        } else covers = () => false;
        // Stryker disable next-line all: the memo; compiling again gives the same matcher
        statementMatchers.set(s, covers);
    }
    return covers(action);
}

// ---- What a Resource reaches, decided by IAM's own matching (a `*` matches across `:` and `/`). ----

/** The partition of an ARN pattern when it is literal (`aws`, `aws-cn`), else `*`. */
function partitionOf(resource: string): string {
    const p = resource.split(":")[1];
    return p && !hasWildcard(p) ? p : "*";
}

/**
 * A pattern that matches every ARN of its partition: `*`, `arn:*`, `arn:aws:*`, `arn:aws:*:*:*:*`, and as much
 * `a*` or `*:*` (every ARN starts with `a` and has a `:`).
 */
export function isAllResources(resource: string): boolean {
    return covers(resource, `arn:${partitionOf(resource)}:*:*:*:*`);
}

/** Whether an Allow statement applies to every resource: Resource `*` (or an equivalent ARN pattern), or NotResource. */
export function appliesToAllResources(s: IamStatement): boolean {
    if (s.notResource) return true;
    return !!s.resource && s.resource.some(isAllResources);
}

/**
 * Whether `resource` names every resource of the ARN `template` (written with `*` for each name part) in the
 * partition, region and account the pattern itself names: `arn:aws:s3:::*\/*` is every object,
 * `arn:aws:ec2:eu-west-1:123456789012:instance/*` every instance of that account and region, `arn:aws:iam::*` every
 * role. `template` looks like `arn:*:ec2:*:*:instance/*`.
 */
export function namesEvery(resource: string, template: string): boolean {
    const r = resource.split(":");
    const t = template.split(":");
    // Take partition, region and account from the pattern where it has them literally.
    for (const i of [1, 3, 4]) if ((t[i] === "*" || t[i] === "%") && r[i] !== undefined && !hasWildcard(r[i])) t[i] = r[i];
    return covers(resource, t.join(":"));
}

/**
 * Whether a Resource entry can name resources of `template` the author did not pick: `*`, or a pattern with a
 * wildcard that matches some ARN of the template (`arn:aws:iam::*:role/x`, `...:role/*`, `...:role/app-*`,
 * `arn:aws:iam::*` for roles). An exact ARN does not.
 */
export function reachesAny(resource: string, template: string): boolean {
    return hasWildcard(resource) && intersects(resource, template);
}

// ARN shapes for `reachesAny` (`%` is one field: a run without `:`).
export const ROLE_ARN = "arn:%:iam::%:role/%";
export const USER_ARN = "arn:%:iam::%:user/%";
export const INSTANCE_ARNS = ["arn:%:ec2:%:%:instance/%", "arn:%:ssm:%:%:managed-instance/%"];

/** Whether a Resource entry of iam:PassRole / sts:AssumeRole can name roles the author did not pick. */
export function isWildcardRoleResource(resource: string): boolean {
    return reachesAny(resource, ROLE_ARN);
}

/** Whether an Allow statement reaches roles the author did not name (see isWildcardRoleResource); NotResource does. */
export function appliesToAnyRole(s: IamStatement): boolean {
    if (s.notResource) return true;
    return !!s.resource && s.resource.some(isWildcardRoleResource);
}

/**
 * A Deny that removes its actions everywhere: no condition, and a Resource that is `*`. A Deny with NotResource
 * denies everything *except* what it lists, so it never counts (it leaves the listed resources allowed).
 */
export function isUnconditionalDenyOnAll(s: IamStatement): boolean {
    return s.effect === "Deny" && s.conditions.length === 0 && !s.notResource && !!s.resource && s.resource.some(isAllResources);
}
