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

interface Compiled {
    exact?: string;
    segments: string[];
    /** The pattern starts / ends with a literal segment (not a `*`). */
    head: string;
    tail: string;
}

function compile(pattern: string): Compiled {
    const p = pattern.toLowerCase();
    if (!p.includes("*")) return { exact: p, segments: [], head: "", tail: "" };
    const parts = p.split("*");
    return { segments: parts.slice(1, -1).filter((s) => s !== ""), head: parts[0], tail: parts[parts.length - 1] };
}

function segmentAt(seg: string, text: string, at: number): boolean {
    if (at + seg.length > text.length) return false;
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
    if (!seg.includes("?")) {
        const i = text.indexOf(seg, from);
        return i >= 0 && i + seg.length <= to ? i : -1;
    }
    for (let i = from; i + seg.length <= to; i++) if (segmentAt(seg, text, i)) return i;
    return -1;
}

function matches(c: Compiled, text: string): boolean {
    if (c.exact !== undefined) return text.length === c.exact.length && segmentAt(c.exact, text, 0);
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

const cache = memoMap<string, Matcher>();
const compiled = memoMap<string, Compiled>();

function compiledOf(pattern: string): Compiled {
    let c = compiled.get(pattern);
    if (!c) {
        c = compile(pattern);
        if (compiled.size > 50_000) compiled.clear();
        compiled.set(pattern, c);
    }
    return c;
}

/** A case-insensitive matcher for an IAM pattern such as `dynamodb:Get*`, `s3:?etObject` or `arn:aws:iam::*`. */
export function wildcardMatcher(pattern: string): Matcher {
    let m = cache.get(pattern);
    if (!m) {
        const c = compiledOf(pattern);
        m = { test: (text: string) => matches(c, text.toLowerCase()) };
        if (cache.size > 50_000) cache.clear();
        cache.set(pattern, m);
    }
    return m;
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
    const seen = new Uint8Array(states);
    // Each state is pushed at most three times (two empty matches and one consumed character) before it is seen.
    const stack = new Int32Array(states * 3 + 1);
    let top = 0;
    stack[top++] = 0;
    const STAR_CODE = 42, PERCENT = 37, QUESTION = 63, COLON = 58;
    while (top > 0) {
        const k = stack[--top];
        if (seen[k]) continue;
        seen[k] = 1;
        const i = (k / width) | 0;
        const j = k - i * width;
        if (i === p.length && j === q.length) return true;
        const pc = i < p.length ? p.charCodeAt(i) : -1;
        const qc = j < q.length ? q.charCodeAt(j) : -1;
        const qStar = qc === STAR_CODE || qc === PERCENT;
        // A `*` (or `%`) may match nothing.
        if (pc === STAR_CODE && !seen[k + width]) stack[top++] = k + width;
        if (qStar && !seen[k + 1]) stack[top++] = k + 1;
        if (pc < 0 || qc < 0) continue;
        // Consume one character both can match; a `*` (or `%`) stays in place after consuming.
        const wild = pc === STAR_CODE || pc === QUESTION;
        const compatible = qc === PERCENT ? wild || pc !== COLON : qc === STAR_CODE || qc === QUESTION || wild || pc === qc;
        if (!compatible) continue;
        const next = (pc === STAR_CODE ? k : k + width) + (qStar ? 0 : 1);
        if (!seen[next]) stack[top++] = next;
    }
    return false;
}
