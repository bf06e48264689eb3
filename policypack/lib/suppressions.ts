// Suppressions: each policy's config may carry `suppressions: [{ resource, reason }]`. A suppressed violation is
// never dropped: it goes into the ledger below, and the pack's last two policies (policies/suppressedViolations.ts)
// report every entry as an advisory "<policy> suppressed on <resource>: <reason> (<message>)".

import { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { MemoWeakMap } from "./memo";

/** Shortest reason accepted, as in cdk-nag: a reason must explain, not just acknowledge. */
export const MIN_REASON_LENGTH = 10;

/** Fewest non-`*` characters in the name part of a suppression pattern that has a wildcard there. */
export const MIN_LITERAL_NAME_CHARS = 3;

/**
 * What `resource` must look like: the name part (after the last `::`) is an exact name, or a glob with at least
 * MIN_LITERAL_NAME_CHARS characters besides `*`. So `*`, `**` and `urn:...::*` (which would silence a policy
 * stack-wide) are rejected. No lookahead: the CLI validates config schemas with Go's RE2.
 */
const LITERAL = "(?:[^*:]|:[^*:])";
const NAME_SEGMENT_PATTERN = `^(?:urn:.*::)?(?:${LITERAL}+|\\**(?:${LITERAL}\\**){${MIN_LITERAL_NAME_CHARS},})$`;
const nameSegment = new RegExp(NAME_SEGMENT_PATTERN, "u");

/** Why a suppression pattern is refused (it would match far more than one resource), or undefined. */
function patternProblem(pattern: string): string | undefined {
    // A pattern starting with urn: is matched against the URN, so it must reach a name part (`urn:*` has none).
    if (pattern.startsWith("urn:") && !pattern.includes("::")) return "is a URN pattern without a `::<name>` part";
    if (!nameSegment.test(pattern)) {
        return `has no name: its name part (after the last \`::\`) must be a logical name, or a pattern with at ` +
            `least ${MIN_LITERAL_NAME_CHARS} characters besides \`*\` (e.g. "sandbox-*")`;
    }
    return undefined;
}

/** The JSON schema every policy's `suppressions` config property uses (the CLI validates config against it). */
export const suppressionsSchema: PolicyConfigJSONSchema = {
    type: "array",
    description: "Violations to suppress on named resources. Each suppression is still reported as advisory, with its reason.",
    items: {
        type: "object",
        required: ["resource", "reason"],
        additionalProperties: false,
        properties: {
            resource: {
                type: "string",
                minLength: 1,
                pattern: NAME_SEGMENT_PATTERN,
                description: "Logical resource name, or a pattern where `*` matches any run of characters (starting " +
                    "with urn: it matches the URN). The name part (after the last `::`) must be a name, or hold at " +
                    `least ${MIN_LITERAL_NAME_CHARS} characters besides \`*\`.`,
            },
            reason: {
                type: "string",
                minLength: MIN_REASON_LENGTH,
                description: `Why this violation is acceptable (at least ${MIN_REASON_LENGTH} characters).`,
            },
        },
    },
};

export interface Suppression {
    resource: string;
    reason: string;
}

/** A violation that a suppression matched. */
export interface SuppressedViolation {
    policy: string;
    urn: string;
    /** The resource's logical name. */
    resource: string;
    reason: string;
    message: string;
}

export interface CompiledSuppression {
    /** The pattern as written (trimmed). */
    resource: string;
    reason: string;
    matches(urn: string, name: string): boolean;
}

/**
 * A child of a component has a qualified type in its URN (`my:comp$aws:iam/policy:Policy`); the same URN with
 * only the resource's own type (the last `$` segment), so that a pattern written with the plain type matches too.
 */
function withOwnType(urn: string): string {
    // The engine's URNs always end in `::<type>::<name>`; a type without `$` comes back unchanged.
    const parts = urn.split("::");
    const type = parts[parts.length - 2];
    parts[parts.length - 2] = type.slice(type.lastIndexOf("$") + 1);
    return parts.join("::");
}

function globToRegExp(pattern: string): RegExp {
    const body = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
    return new RegExp(`^${body}$`);
}

const compiledCache = new MemoWeakMap<object, CompiledSuppression[]>();

/**
 * Validates and compiles a policy's suppressions. The CLI already enforces the schema; this re-checks so that the
 * in-process runner and a hand-built config fail the same way: loudly, naming the policy and the entry.
 */
export function compileSuppressions(policy: string, raw: unknown): CompiledSuppression[] {
    if (raw === undefined || raw === null) return [];
    if (!Array.isArray(raw)) {
        throw new Error(`policy ${policy}: "suppressions" must be a list of { resource, reason }`);
    }
    const cached = compiledCache.get(raw);
    // Stryker disable next-line ConditionalExpression: memo only: compiling the same list again gives equal matchers
    if (cached) return cached;
    const compiled = raw.map((entry: unknown, i): CompiledSuppression => {
        const e = (entry ?? {}) as Partial<Suppression>;
        if (typeof e.resource !== "string" || e.resource.trim() === "") {
            throw new Error(`policy ${policy}: suppression ${i} needs a "resource" (logical name or URN pattern)`);
        }
        if (typeof e.reason !== "string" || e.reason.trim().length < MIN_REASON_LENGTH) {
            throw new Error(
                `policy ${policy}: suppression ${i} for "${e.resource}" needs a "reason" of at least ` +
                `${MIN_REASON_LENGTH} characters explaining why the violation is acceptable`);
        }
        const pattern = e.resource.trim();
        const reason = e.reason.trim();
        const problem = patternProblem(pattern);
        if (problem) {
            throw new Error(`policy ${policy}: suppression ${i} "${e.resource}" ${problem}; a suppression must name ` +
                `the resources it silences, never the whole stack`);
        }
        const re = globToRegExp(pattern);
        // A URN pattern is matched against the URN, also with a component child's type reduced to its own;
        // a name or a bare glob (`api-*`) against the logical name.
        return pattern.startsWith("urn:")
            ? { resource: pattern, reason, matches: (urn) => re.test(urn) || re.test(withOwnType(urn)) }
            : { resource: pattern, reason, matches: (_urn, name) => re.test(name) };
    });
    // Stryker disable next-line CallExpression: memo only: without it the list is compiled again, to equal matchers
    compiledCache.set(raw, compiled);
    return compiled;
}

/** Returns the reason of the first suppression matching the resource, if any. */
export function findSuppression(suppressions: CompiledSuppression[], urn: string, name: string): string | undefined {
    for (const s of suppressions) {
        if (s.matches(urn, name)) return s.reason;
    }
    return undefined;
}

/**
 * Suppressed violations waiting to be reported, keyed by URN. The resource reporter takes a resource's entries when
 * it validates that same resource (the policy server runs a pack's policies in order for each resource, so they are
 * the resource policies' ones); stack policies run after every resource, so the stack reporter takes theirs, and
 * anything left over.
 */
class SuppressionLedger {
    private readonly byUrn = new Map<string, SuppressedViolation[]>();
    private readonly listeners = new Set<(s: SuppressedViolation) => void>();

    record(entry: SuppressedViolation): void {
        const list = this.byUrn.get(entry.urn);
        if (list) list.push(entry);
        else this.byUrn.set(entry.urn, [entry]);
        for (const listener of this.listeners) listener(entry);
    }

    takeForResource(urn: string): SuppressedViolation[] {
        const list = this.byUrn.get(urn) ?? [];
        this.byUrn.delete(urn);
        return list;
    }

    takeRemaining(): SuppressedViolation[] {
        const all = [...this.byUrn.values()].flat();
        this.byUrn.clear();
        return all;
    }

    /** Calls `listener` for every suppressed violation until the returned function is called. */
    subscribe(listener: (s: SuppressedViolation) => void): () => void {
        this.listeners.add(listener);
        return () => { this.listeners.delete(listener); };
    }

    clear(): void {
        this.byUrn.clear();
    }
}

export const suppressionLedger = new SuppressionLedger();

/** The advisory text a reporter emits for a suppressed violation. */
export function describeSuppressed(s: SuppressedViolation): string {
    return `${s.policy} suppressed on ${s.resource}: ${s.reason} (${s.message})`;
}
