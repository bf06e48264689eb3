// Which suppression silences which violation, what the pack says about a suppression it refuses, and which reporter
// tells the user about each silenced violation.

import * as assert from "assert";
import { SuppressedViolation, compileSuppressions, findSuppression, suppressionLedger } from "../../policypack/lib/suppressions";
import { policies } from "../../policypack/policies";
import { PackConfigError, makeUrn, resolvePackConfig } from "../../tools/lib/packRunner";
import { resource, run, urnOf } from "./support";

const REASON = "legacy export job, tracked in SEC-142";
const TRACING = "aws-lambda-function-require-tracing";
const RUNTIME = "aws-lambda-function-disallow-deprecated-runtime";
const RESOURCE_REPORTER = "swiftsupport-suppressed-violations";
const STACK_REPORTER = "swiftsupport-suppressed-stack-violations";
const POLICY_TYPE = "aws:iam/policy:Policy";
const FUNCTION_TYPE = "aws:lambda/function:Function";

/** Whether one suppression of `pattern` silences the resource with this URN and logical name. */
function silences(pattern: string, urn: string, name: string): boolean {
    return compileSuppressions("p", [{ resource: pattern, reason: REASON }])[0].matches(urn, name);
}

/** The message compileSuppressions refuses `entries` with. */
function refusal(entries: unknown): string {
    try {
        compileSuppressions("aws-iam-policy-disallow-wildcard-actions", entries);
    } catch (e) {
        return (e as Error).message;
    }
    return "accepted";
}

describe("suppression patterns: which resource each one silences", () => {
    const apiPolicy = urnOf(POLICY_TYPE, "api");

    it("a logical name silences that name only, never a longer one or one that merely contains it", () => {
        assert.strictEqual(silences("api", apiPolicy, "api"), true);
        assert.strictEqual(silences("api", urnOf(POLICY_TYPE, "api-v2"), "api-v2"), false);
        assert.strictEqual(silences("api", urnOf(POLICY_TYPE, "my-api"), "my-api"), false);
    });

    it("a bare glob is matched against the logical name, its dots and brackets literally", () => {
        assert.strictEqual(silences("api-*", urnOf(POLICY_TYPE, "api-read"), "api-read"), true);
        assert.strictEqual(silences("api-*", urnOf(POLICY_TYPE, "web-api-read"), "web-api-read"), false);
        assert.strictEqual(silences("api.v2-*", urnOf(POLICY_TYPE, "api.v2-read"), "api.v2-read"), true);
        assert.strictEqual(silences("api.v2-*", urnOf(POLICY_TYPE, "apixv2-read"), "apixv2-read"), false);
        assert.strictEqual(silences("(api)-*", urnOf(POLICY_TYPE, "(api)-read"), "(api)-read"), true);
    });

    it("a URN pattern silences a component's child written with the child's own type, and not another type", () => {
        const child = makeUrn("dev", "test", POLICY_TYPE, "api-read", "swiftsupport:iam:ServiceRole");
        assert.strictEqual(child, "urn:pulumi:dev::test::swiftsupport:iam:ServiceRole$aws:iam/policy:Policy::api-read");
        const nested = "urn:pulumi:dev::test::swiftsupport:api:Api$swiftsupport:iam:ServiceRole$aws:iam/policy:Policy::api-read";
        for (const pattern of ["urn:pulumi:dev::test::aws:iam/policy:Policy::api-*", "urn:pulumi:dev::test::aws:iam/policy:Policy::api-read"]) {
            assert.strictEqual(silences(pattern, child, "api-read"), true, pattern);
            assert.strictEqual(silences(pattern, nested, "api-read"), true, pattern);
            assert.strictEqual(silences(pattern, urnOf(POLICY_TYPE, "api-read"), "api-read"), true, pattern);
        }
        // The qualified type as the engine writes it matches too; the own type must be the whole last `$` segment.
        assert.strictEqual(silences("urn:pulumi:dev::test::swiftsupport:iam:ServiceRole$aws:iam/policy:Policy::api-read", child, "api-read"), true);
        const role = makeUrn("dev", "test", "aws:iam/role:Role", "api-read", "swiftsupport:iam:ServiceRole");
        assert.strictEqual(silences("urn:pulumi:dev::test::aws:iam/policy:Policy::api-*", role, "api-read"), false);
        assert.strictEqual(silences("urn:pulumi:dev::test::aws:iam/policy:Policy::api-read", makeUrn("dev", "test", POLICY_TYPE, "api-read-2", "swiftsupport:iam:ServiceRole"), "api-read-2"), false);
        assert.strictEqual(silences("urn:pulumi:dev::test::Policy:Policy::api-read", child, "api-read"), false);
    });

    it("trims the pattern and the reason as written", () => {
        const [s] = compileSuppressions("p", [{ resource: "  api  ", reason: "   legacy export job, SEC-142   " }]);
        assert.deepStrictEqual([s.resource, s.reason, s.matches(apiPolicy, "api")], ["api", "legacy export job, SEC-142", true]);
    });

    it("the first matching suppression gives the reason; none matching gives none", () => {
        const compiled = compileSuppressions("p", [
            { resource: "web", reason: "the web tier, SEC-1 ticket" },
            { resource: "api-*", reason: "all api policies, SEC-2 ticket" },
            { resource: "api-read", reason: "api-read itself, SEC-3 ticket" },
        ]);
        assert.strictEqual(findSuppression(compiled, urnOf(POLICY_TYPE, "api-read"), "api-read"), "all api policies, SEC-2 ticket");
        assert.strictEqual(findSuppression(compiled, urnOf(POLICY_TYPE, "db"), "db"), undefined);
    });

    it("no suppressions config means none", () => {
        assert.deepStrictEqual(compileSuppressions("p", undefined), []);
        assert.deepStrictEqual(compileSuppressions("p", null), []);
        assert.deepStrictEqual(compileSuppressions("p", []), []);
    });
});

describe("suppressions the pack refuses, in its words", () => {
    const P = "policy aws-iam-policy-disallow-wildcard-actions";
    const NEVER_STACK = "a suppression must name the resources it silences, never the whole stack";

    it("a URN pattern without a name part, which would silence the policy for every resource", () => {
        for (const pattern of ["urn:pulumi:dev", "urn:*"]) {
            assert.strictEqual(refusal([{ resource: pattern, reason: REASON }]),
                `${P}: suppression 0 "${pattern}" is a URN pattern without a \`::<name>\` part; ${NEVER_STACK}`);
        }
    });

    it("a name part with fewer than three characters besides *", () => {
        for (const pattern of ["*", "a*b", "urn:pulumi:dev::test::aws:s3/bucket:Bucket::*"]) {
            assert.strictEqual(refusal([{ resource: pattern, reason: REASON }]),
                `${P}: suppression 0 "${pattern}" has no name: its name part (after the last \`::\`) must be a logical ` +
                `name, or a pattern with at least 3 characters besides \`*\` (e.g. "sandbox-*"); ${NEVER_STACK}`);
        }
        assert.strictEqual(refusal([{ resource: "abc*", reason: REASON }]), "accepted");
    });

    it("an entry without a resource, naming the entry", () => {
        for (const entry of [{ reason: REASON }, { resource: "   ", reason: REASON }, { resource: 42, reason: REASON }, null]) {
            assert.strictEqual(refusal([{ resource: "api", reason: REASON }, entry]),
                `${P}: suppression 1 needs a "resource" (logical name or URN pattern)`, JSON.stringify(entry));
        }
    });

    it("a reason shorter than ten characters once trimmed; ten are enough", () => {
        assert.strictEqual(refusal([{ resource: " api ", reason: "  123456789  " }]),
            `${P}: suppression 0 for " api " needs a "reason" of at least 10 characters explaining why the violation is acceptable`);
        assert.strictEqual(refusal([{ resource: "api", reason: "1234567890" }]), "accepted");
    });

    it("suppressions that are not a list", () => {
        for (const raw of ["api", { resource: "api", reason: REASON }]) {
            assert.strictEqual(refusal(raw), `${P}: "suppressions" must be a list of { resource, reason }`);
        }
    });

    it("a null list is reported once, by the config schema", () => {
        assert.throws(() => resolvePackConfig(policies, { [TRACING]: { suppressions: null } }),
            (e: PackConfigError) => e.errors.length === 1 && e.errors[0].startsWith(`${TRACING}: suppressions`));
    });
});

describe("who reports a suppressed violation", () => {
    const untraced = resource(FUNCTION_TYPE, "fn", { name: "fn-1", runtime: "nodejs16.x", role: "r" });
    const suppress = { suppressions: [{ resource: "fn", reason: REASON }] };

    it("a resource policy's is reported once, by the resource reporter, on that resource", async () => {
        const result = await run([untraced], { [TRACING]: suppress, [RUNTIME]: "disabled" });
        assert.deepStrictEqual(result.violations.filter((v) => v.policy === TRACING), []);
        const reported = result.violations.filter((v) => v.policy === RESOURCE_REPORTER || v.policy === STACK_REPORTER);
        assert.deepStrictEqual(reported.map((v) => [v.policy, v.urn, v.enforcementLevel]), [[RESOURCE_REPORTER, untraced.urn, "advisory"]]);
        assert.match(reported[0].message, new RegExp(`^${TRACING} suppressed on fn: ${REASON} \\(Function 'fn' `));
        assert.deepStrictEqual(result.suppressed.map((s) => [s.policy, s.urn, s.resource, s.reason]), [[TRACING, untraced.urn, "fn", REASON]]);
    });

    it("two policies' violations on one resource are both reported by the resource reporter", async () => {
        const result = await run([untraced], { [TRACING]: suppress, [RUNTIME]: suppress });
        const reported = result.violations.filter((v) => v.policy === RESOURCE_REPORTER || v.policy === STACK_REPORTER);
        assert.deepStrictEqual(reported.map((v) => `${v.policy} ${v.message.slice(0, v.message.indexOf(":"))}`).sort(), [
            `${RESOURCE_REPORTER} ${RUNTIME} suppressed on fn`,
            `${RESOURCE_REPORTER} ${TRACING} suppressed on fn`,
        ]);
        assert.deepStrictEqual(result.violations.filter((v) => v.policy === TRACING || v.policy === RUNTIME), []);
    });

    it("with the resource reporter disabled, the stack reporter reports what it left", async () => {
        const result = await run([untraced], { [TRACING]: suppress, [RUNTIME]: "disabled", [RESOURCE_REPORTER]: "disabled" });
        const reported = result.violations.filter((v) => v.policy === STACK_REPORTER);
        assert.deepStrictEqual(reported.map((v) => [v.urn, v.name]), [[untraced.urn, "fn"]]);
        assert.match(reported[0].message, new RegExp(`^${TRACING} suppressed on fn: ${REASON} \\(`));
    });

    it("a run never reports another run's suppressed violations", async () => {
        await run([untraced], { [TRACING]: suppress, [RUNTIME]: "disabled", [RESOURCE_REPORTER]: "disabled", [STACK_REPORTER]: "disabled" });
        const next = await run([untraced], { [RUNTIME]: "disabled" });
        assert.deepStrictEqual(next.violations.filter((v) => v.policy === RESOURCE_REPORTER || v.policy === STACK_REPORTER), []);
        assert.deepStrictEqual(next.suppressed, []);
    });
});

describe("the suppression ledger", () => {
    const entry = (urn: string, policy: string): SuppressedViolation => ({ policy, urn, resource: "fn", reason: REASON, message: "m" });
    const fn = urnOf(FUNCTION_TYPE, "fn");
    afterEach(() => suppressionLedger.clear());

    it("hands each entry out once: a resource's to its reporter, the rest to the stack reporter", () => {
        const other = urnOf(FUNCTION_TYPE, "other");
        suppressionLedger.record(entry(fn, "a"));
        suppressionLedger.record(entry(fn, "b"));
        suppressionLedger.record(entry(other, "c"));
        assert.deepStrictEqual(suppressionLedger.takeForResource(fn).map((e) => e.policy), ["a", "b"]);
        assert.deepStrictEqual(suppressionLedger.takeForResource(fn), []);
        assert.deepStrictEqual(suppressionLedger.takeRemaining().map((e) => e.policy), ["c"]);
        assert.deepStrictEqual(suppressionLedger.takeRemaining(), []);
    });

    it("calls a subscriber for each entry until it unsubscribes", () => {
        const seen: string[] = [];
        const unsubscribe = suppressionLedger.subscribe((s) => seen.push(s.policy));
        suppressionLedger.record(entry(fn, "a"));
        unsubscribe();
        suppressionLedger.record(entry(fn, "b"));
        assert.deepStrictEqual(seen, ["a"]);
    });
});
