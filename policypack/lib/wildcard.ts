// IAM wildcard matching without regular expressions: `*` matches any run of characters (across `:` and `/`, as IAM
// matches ARNs), `?` exactly one. A pattern is split once at its `*`s into segments; matching places each segment at
// its leftmost possible position and never revisits it, so no pattern (`iam:*?*?*?*?*y`) can make matching
// backtrack: the cost is at most the text length times the longest segment. Comparison is case-insensitive
// (action names are; for ARNs it only ever makes a pattern reach more, never less).

import { memoMap } from "./memo";

export interface Matcher {
    test(text: string): boolean;
}

/** In `covers`, the stand-in for a `*` of the pattern being covered: only a `*` may absorb it. */
const STAR = "\u0001";

/** A pattern without `*` (matched whole), or split at its `*`s. */
type Compiled = string | {
    /** The literal runs between `*`s (an empty one, from `**`, matches anywhere). */
    segments: string[];
    /** What the pattern starts / ends with before its first / after its last `*` (may be empty). */
    head: string;
    tail: string;
};

function compile(pattern: string): Compiled {
    const p = pattern.toLowerCase();
    if (!p.includes("*")) return p;
    const parts = p.split("*");
    return { segments: parts.slice(1, -1), head: parts[0], tail: parts[parts.length - 1] };
}

/** Whether `seg` matches `text` at `at` (callers keep `at + seg.length` within the text). */
function segmentAt(seg: string, text: string, at: number): boolean {
    for (let k = 0; k < seg.length; k++) {
        const c = seg.charCodeAt(k);
        const t = text.charCodeAt(at + k);
        if (c === 63 /* ? */) {
            if (t === 1) return false; // a `?` is one character, never a whole `*`
        } else if (c !== t) return false;
    }
    return true;
}

/** Leftmost position >= from where `seg` matches, or -1. */
function find(seg: string, text: string, from: number, to: number): number {
    // Stryker disable next-line ConditionalExpression,StringLiteral,BlockStatement: a fast path; the loop below finds the same position
    if (!seg.includes("?")) {
        const i = text.indexOf(seg, from);
        return i + seg.length <= to ? i : -1; // not found (-1) stays -1
    }
    for (let i = from; i + seg.length <= to; i++) if (segmentAt(seg, text, i)) return i;
    return -1;
}

function matches(c: Compiled, text: string): boolean {
    if (typeof c === "string") return text.length === c.length && segmentAt(c, text, 0);
    if (text.length < c.head.length + c.tail.length) return false;
    if (!segmentAt(c.head, text, 0)) return false;
    const end = text.length - c.tail.length;
    if (!segmentAt(c.tail, text, end)) return false;
    let pos = c.head.length;
    for (const seg of c.segments) {
        const i = find(seg, text, pos, end);
        if (i < 0) return false;
        pos = i + seg.length;
    }
    return true;
}

const compiled = memoMap<string, Compiled>();

// Stryker disable all: a memo (bounded in size): compiling again, or clearing it, gives the same matcher
function compiledOf(pattern: string): Compiled {
    let c = compiled.get(pattern);
    if (c === undefined) {
        c = compile(pattern);
        if (compiled.size > 50_000) compiled.clear();
        compiled.set(pattern, c);
    }
    return c;
}
// Stryker restore all

/** A case-insensitive matcher for an IAM pattern such as `dynamodb:Get*`, `s3:?etObject` or `arn:aws:iam::*`. */
export function wildcardMatcher(pattern: string): Matcher {
    const c = compiledOf(pattern);
    return { test: (text: string) => matches(c, text.toLowerCase()) };
}

export function hasWildcard(s: string): boolean {
    return s.includes("*") || s.includes("?");
}

/**
 * Whether `pattern` matches every string `template` matches (both IAM patterns): the template's `*`s are kept as
 * stand-ins that only a `*` of the pattern can absorb. `arn:aws:iam::*` covers `arn:aws:iam::*:role/*`,
 * `arn:aws:s3:::*` covers `arn:aws:s3:::*\/*`; `arn:aws:iam::1:role/a*` does not cover `arn:aws:iam::1:role/*`.
 */
export function covers(pattern: string, template: string): boolean {
    return matches(compiledOf(pattern), template.toLowerCase().replace(/[*%]/g, STAR));
}

/**
 * Whether some string matches both `pattern` and `template` (e.g. "can this Resource name a role?"): a search over
 * pairs of positions, each visited once, so it is linear in the product of the two lengths. In the template, `%`
 * stands for one ARN field (a run without `:`), so `arn:%:iam::%:role/%` is exactly the role ARNs.
 */
export function intersects(pattern: string, template: string): boolean {
    const p = pattern.toLowerCase();
    const q = template.toLowerCase();
    const width = q.length + 1;
    const states = (p.length + 1) * width;
    // A state is marked seen when it is pushed, so each is pushed and expanded once.
    const seen = new Uint8Array(states);
    const stack = [0];
    seen[0] = 1;
    const visit = (k: number) => {
        if (!seen[k]) {
            seen[k] = 1;
            stack.push(k);
        }
    };
    const STAR_CODE = 42, PERCENT = 37, QUESTION = 63, COLON = 58;
    while (stack.length > 0) {
        const k = stack.pop()!;
        const i = (k / width) | 0;
        const j = k - i * width;
        if (i === p.length && j === q.length) return true;
        const pc = p.charCodeAt(i); // NaN past the end
        const qc = q.charCodeAt(j);
        const qStar = qc === STAR_CODE || qc === PERCENT;
        // A `*` (or `%`) may match nothing.
        if (pc === STAR_CODE) visit(k + width);
        if (qStar) visit(k + 1);
        // One side is used up: nothing is left to consume (and k + 1 would wrap to the next row of the table).
        if (i === p.length || j === q.length) continue;
        // Consume one character both can match; a `*` (or `%`) stays in place after consuming.
        const wild = pc === STAR_CODE || pc === QUESTION;
        const compatible = qc === PERCENT ? wild || pc !== COLON : qc === STAR_CODE || qc === QUESTION || wild || pc === qc;
        if (compatible) visit((pc === STAR_CODE ? k : k + width) + (qStar ? 0 : 1));
    }
    return false;
}
