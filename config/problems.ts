// How a stack-config schema reports problems: every problem at once, each as `path: message`, a wrong type as
// "must be <type>", a misspelling with a "did you mean". Shared by every schema under config/.

import { closest, distance } from "fastest-levenshtein";
import { z } from "zod";

/**
 * Options for a cross-field `superRefine` that must run even when some field failed its own schema: zod skips an
 * object's refinements after an aborting issue (a wrong type anywhere), which would hide e.g. an unknown group
 * behind an unrelated typo. Such a refinement sees the input as parsed so far and must read it defensively.
 */
export const EVEN_AFTER_ERRORS = { when: () => true } as const;

/**
 * Reports `message` at `path` below the refined value. (A problem at the value itself is `ctx.addIssue(message)`.)
 */
export function problemAt(ctx: z.core.$RefinementCtx, path: (string | number)[], message: string): void {
    // Stryker disable next-line StringLiteral: zod requires a code here, and describeIssues prints every code but invalid_type and unrecognized_keys as the message alone
    ctx.addIssue({ code: "custom", path, message });
}

/** `users[3].groups[0]` from zod's path. */
export function formatPath(path: readonly PropertyKey[]): string {
    return path.reduce<string>((s, p) => (typeof p === "number" ? `${s}[${p}]` : s === "" ? String(p) : `${s}.${String(p)}`), "");
}

/** ` (did you mean "DevOps"?)` when a known value is close enough to `value`, else "". */
export function suggestion(value: string, known: readonly string[]): string {
    if (known.length === 0) return "";
    const lower = known.map((k) => k.toLowerCase());
    const best = closest(value.toLowerCase(), lower);
    return distance(value.toLowerCase(), best) <= Math.max(2, Math.floor(best.length / 3)) ? ` (did you mean "${known[lower.indexOf(best)]}"?)` : "";
}

const TYPE_NAMES: Record<string, string> = {
    string: "a string",
    number: "a number",
    int: "an integer",
    boolean: "a boolean (true or false)",
    array: "a list",
    object: "a mapping of keys to values",
    record: "a mapping of keys to values",
    map: "a mapping of keys to values",
    bigint: "an integer",
};

/** The schema inside optional/nullable/default wrappers. */
function unwrapped(schema: z.ZodType | undefined): z.ZodType | undefined {
    let s = schema;
    while (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault) s = s.unwrap() as z.ZodType;
    return s;
}

/** The keys an object schema accepts at `path` below `schema`, for a "did you mean" on an unknown key. */
function knownKeysAt(schema: z.ZodType | undefined, path: readonly PropertyKey[]): string[] {
    let current = unwrapped(schema);
    for (const p of path) {
        if (current instanceof z.ZodArray) current = unwrapped(current.element as z.ZodType);
        else if (current instanceof z.ZodRecord) current = unwrapped(current.valueType as z.ZodType);
        else if (current instanceof z.ZodObject) current = unwrapped((current.shape as Record<string, z.ZodType>)[String(p)]);
        // Anything else (a union) has no one set of keys; it stays, and gives none below.
    }
    // Stryker disable next-line ArrayDeclaration: no known keys and a list of one name no config key resembles both give no suggestion
    return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

/** One `path: message` per zod issue, worded for a person editing YAML. */
export function describeIssues(schema: z.ZodType | undefined, issues: readonly z.core.$ZodIssue[]): string[] {
    return issues.flatMap((issue) => {
        const where = formatPath(issue.path);
        const at = (message: string, path = where) => (path === "" ? message : `${path}: ${message}`);
        if (issue.code === "invalid_type") {
            const input = (issue as { input?: unknown }).input;
            return [at(input === undefined ? "is required" : `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}`)];
        }
        if (issue.code === "unrecognized_keys") {
            const known = knownKeysAt(schema, issue.path);
            return issue.keys.map((k) => at(`unknown key${suggestion(k, known)}`, formatPath([...issue.path, k])));
        }
        return [at(issue.message)];
    });
}

/** Parses `raw` with `schema`: the parsed value, or every problem as `path: message`. Never throws. */
export function validateWith<S extends z.ZodType>(schema: S, raw: unknown): { ok: true; value: z.output<S> } | { ok: false; problems: string[] } {
    // reportInput: without it zod leaves `input` out of issues and a wrong type would read as a missing value.
    const parsed = schema.safeParse(raw, { reportInput: true });
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problems: describeIssues(schema, parsed.error.issues) };
}
