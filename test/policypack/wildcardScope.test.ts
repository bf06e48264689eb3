// What an IAM pattern reaches, as the pack's resource and action checks decide it (policypack/lib/wildcard.ts): each
// literal run between `*`s needs its own characters, and a `*` in a template is covered only by a `*`.

import * as assert from "assert";
import { covers, intersects, wildcardMatcher } from "../../policypack/lib/wildcard";

describe("a pattern's literal runs each need their own characters", () => {
    it("does not let a middle run reuse the characters of the tail", () => {
        const twice = wildcardMatcher("arn:aws:s3:::app-*-logs*-logs");
        assert.deepStrictEqual(["arn:aws:s3:::app-x-logs", "arn:aws:s3:::app-x-logs-logs", "arn:aws:s3:::APP-x-logs-y-logs"].map((t) => twice.test(t)), [false, true, true]);
        const withOne = wildcardMatcher("arn:aws:s3:::app-*-lo?s*-logs");
        assert.deepStrictEqual(["arn:aws:s3:::app-x-logs", "arn:aws:s3:::app-x-lots-logs"].map((t) => withOne.test(t)), [false, true]);
    });

    it("matches a pattern without * only whole, with ? standing for exactly one character", () => {
        const m = wildcardMatcher("s3:?etObject");
        assert.deepStrictEqual(["s3:GetObject", "s3:getobject", "s3:GetObjectAcl", "s3:etObject", "s3:GGetObject"].map((t) => m.test(t)), [true, true, false, false, false]);
    });

    it("treats ** as one *", () => {
        assert.deepStrictEqual(["iam:PassRole", "iam:Pass", "sts:PassRole"].map((t) => wildcardMatcher("iam:Pass**").test(t)), [true, true, false]);
        assert.strictEqual(covers("arn:aws:iam::**", "arn:aws:iam::*:role/*"), true);
    });
});

describe("intersects finds a common ARN only within both patterns", () => {
    it("does not carry a pattern's * past the end of the template onto the next field", () => {
        // `arn:aws:iam::1:role/*x`: a role named ...x; `%` is one field.
        assert.deepStrictEqual([
            intersects("arn:aws:iam::1:role/*x", "arn:%:iam::%:role/%"),
            intersects("arn:aws:iam::1:user/*", "arn:%:iam::%:role/%"),
            intersects("arn:aws:iam::1:role*", "arn:%:iam::%:role/%"),
            intersects("arn:aws:iam::1:*", "arn:%:iam::%:role"),
            intersects("arn:aws:iam::1:rolex*", "arn:%:iam::%:role"),
        ], [true, false, true, true, false]);
        // Past the template's end a `*` has nothing left to match: it does not start the template over.
        assert.deepStrictEqual([intersects("app*app", "app"), intersects("app*app", "app%")], [false, true]);
    });
});
