// lib/wildcard.ts matches IAM patterns without regular expressions (so no pattern can make it backtrack). Here a
// regular expression is the reference: on random patterns and texts, matching, covering and intersecting must
// agree with it exactly.

import * as assert from "assert";
import * as fc from "fast-check";
import { covers, hasWildcard, intersects, wildcardMatcher } from "../../policypack/lib/wildcard";

const escape = (c: string) => c.replace(/[.+?^${}()|[\]\\*/]/g, "\\$&");
/** The reference: `*` any run, `?` one character (in `covers`, never a stand-in for a `*`), case-insensitive. */
function reference(pattern: string, { star = "[\\s\\S]*", one = "[\\s\\S]", percent }: { star?: string; one?: string; percent?: string } = {}): RegExp {
    const body = [...pattern].map((c) => (c === "*" ? star : c === "?" ? one : c === "%" && percent ? percent : escape(c))).join("");
    return new RegExp(`^${body}$`, "i");
}

const patternOf = (chars: string[], maxLength: number) => fc.array(fc.constantFrom(...chars), { maxLength }).map((a) => a.join(""));
const PATTERN = patternOf(["a", "A", "b", ":", "/", "*", "?"], 8);
const TEXT = patternOf(["a", "b", "B", ":", "/"], 10);

describe("IAM wildcard matching agrees with a regular expression", () => {
    it("wildcardMatcher: * matches any run (across : and /), ? one character, case-insensitively", () => {
        fc.assert(fc.property(PATTERN, TEXT, (p, t) => wildcardMatcher(p).test(t) === reference(p).test(t)), { numRuns: 1000 });
    });

    it("wildcardMatcher on texts built to match: a literal text, and the pattern with its wildcards filled", () => {
        fc.assert(fc.property(PATTERN, fc.array(TEXT, { minLength: 8, maxLength: 8 }), (p, fills) => {
            let i = 0;
            const text = [...p].map((c) => (c === "*" ? fills[i++ % 8] : c === "?" ? (fills[i++ % 8][0] ?? "x") : c)).join("");
            return wildcardMatcher(p).test(text) && wildcardMatcher(p).test(text.toUpperCase()) === reference(p).test(text.toUpperCase());
        }), { numRuns: 500 });
    });

    it("covers: a pattern covers a template when every string the template matches, the pattern matches", () => {
        // The template's wildcards become a stand-in only a * of the pattern may absorb.
        const STAND_IN = "\u0001";
        fc.assert(fc.property(PATTERN, PATTERN, (p, t) => {
            const template = t.replace(/[*%]/g, STAND_IN);
            return covers(p, t) === reference(p, { one: `[^${STAND_IN}]` }).test(template);
        }), { numRuns: 1000 });
        assert.deepStrictEqual([covers("arn:aws:iam::*", "arn:aws:iam::*:role/*"), covers("arn:aws:iam::1:role/a*", "arn:aws:iam::1:role/*"),
            covers("a?", "a*"), covers("a*", "a%"), covers("*", "")], [true, false, false, true, true]);
    });

    it("intersects: some string matches both, where % in the template is one ARN field (no :)", () => {
        // Search every string over the letters that matter, up to the longest a shortest witness can be.
        const SMALL = patternOf(["a", "A", ":", "*", "?"], 3);
        const TEMPLATE = patternOf(["a", ":", "*", "?", "%"], 3);
        const strings = (n: number): string[] => (n === 0 ? [""] : strings(n - 1).flatMap((s) => (s.length === n - 1 ? [s, ...["a", ":", "x"].map((c) => s + c)] : [s])));
        const all = [...new Set(strings(6))];
        fc.assert(fc.property(SMALL, TEMPLATE, (p, q) => {
            const rp = reference(p);
            const rq = reference(q, { percent: "[^:]*" });
            return intersects(p, q) === all.some((s) => rp.test(s) && rq.test(s));
        }), { numRuns: 200 });
    });

    it("hasWildcard: * or ?", () => {
        assert.deepStrictEqual(["a*", "a?", "a", "", "%"].map(hasWildcard), [true, true, false, false, false]);
    });
});
