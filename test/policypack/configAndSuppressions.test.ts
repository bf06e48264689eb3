import * as assert from "assert";
import { policies } from "../../policypack/policies";
import { PackConfigError, resolvePackConfig } from "../../tools/lib/packRunner";
import { UNKNOWN, allow, json, resource, role, run, urnOf, violationsOf } from "./support";

const WILDCARD = "aws-iam-policy-disallow-wildcard-actions";
const TRACING = "aws-lambda-function-require-tracing";
const PAB = "aws-s3-bucket-require-public-access-block";
const STACK_REPORTER = "swiftsupport-suppressed-stack-violations";

const wildcardPolicy = resource("aws:iam/policy:Policy", "broad", { policy: json(allow("s3:*")) });
const untracedFn = resource("aws:lambda/function:Function", "fn", { name: "fn-1", runtime: "nodejs22.x", role: "r" });

describe("pack config", () => {
    it("gives every policy a config schema with suppressions, as --policy-pack-config needs", () => {
        for (const p of policies.filter((x) => !x.name.startsWith("swiftsupport-"))) {
            assert.ok(p.configSchema?.properties.suppressions, p.name);
            assert.ok(!("enforcementLevel" in (p.configSchema?.properties ?? {})), p.name);
        }
    });

    it("resolves levels as the CLI does: policy default < all < per-policy; disabled skips", async () => {
        const byAll = await violationsOf(TRACING, [untracedFn], { all: "mandatory" });
        assert.strictEqual(byAll[0].enforcementLevel, "mandatory");
        const perPolicy = await violationsOf(TRACING, [untracedFn], { all: "mandatory", [TRACING]: { enforcementLevel: "advisory" } });
        assert.strictEqual(perPolicy[0].enforcementLevel, "advisory");
        assert.deepStrictEqual(await violationsOf(WILDCARD, [wildcardPolicy], { [WILDCARD]: "disabled" }), []);
        const all = await run([wildcardPolicy], { all: { enforcementLevel: "disabled" } });
        assert.deepStrictEqual(all, { violations: [], suppressed: [], policies: 0, warnings: [], unusedSuppressions: [] });
    });

    it("applies schema defaults and rejects config the schema forbids", () => {
        const resolved = resolvePackConfig(policies, { "aws-cloudwatch-loggroup-require-retention": { minimumRetentionDays: 7 } });
        assert.deepStrictEqual(resolved.get("aws-cloudwatch-loggroup-require-retention")?.properties, { minimumRetentionDays: 7 });
        assert.deepStrictEqual(resolved.get("aws-lambda-function-disallow-deprecated-runtime")?.properties, { additionalDeprecatedRuntimes: [] });
        assert.throws(() => resolvePackConfig(policies, { "aws-cloudwatch-loggroup-require-retention": { minimumRetentionDays: "seven" } }),
            (e: PackConfigError) => /minimumRetentionDays: invalid type. Expected: integer, given: string/.test(e.message));
        assert.throws(() => resolvePackConfig(policies, JSON.parse(`{ "${WILDCARD}": "strict" }`)), /"strict" is not a valid enforcement level/);
    });

    it("changes policy options through config", async () => {
        const group = resource("aws:cloudwatch/logGroup:LogGroup", "g", { retentionInDays: 3 });
        assert.deepStrictEqual(await violationsOf("aws-cloudwatch-loggroup-require-retention", [group]), []);
        const vs = await violationsOf("aws-cloudwatch-loggroup-require-retention", [group], { "aws-cloudwatch-loggroup-require-retention": { minimumRetentionDays: 30 } });
        assert.match(vs[0].message, /keeps logs 3 days, less than the 30 required/);
    });
});

describe("suppressions", () => {
    const reason = "Bucket-wide read for the static export job, tracked in SEC-142";

    it("reports a suppressed violation as advisory with its reason, never silently", async () => {
        const result = await run([wildcardPolicy], { [WILDCARD]: { suppressions: [{ resource: "broad", reason }] } });
        assert.deepStrictEqual(result.violations.filter((v) => v.policy === WILDCARD), []);
        // wildcard-actions is a stack policy (it needs the principal graph), so the stack reporter files it.
        const reported = result.violations.filter((v) => v.policy === STACK_REPORTER);
        assert.strictEqual(reported.length, 1);
        assert.strictEqual(reported[0].enforcementLevel, "advisory");
        assert.strictEqual(reported[0].urn, urnOf("aws:iam/policy:Policy", "broad"));
        assert.match(reported[0].message, new RegExp(`^${WILDCARD} suppressed on broad: ${reason} \\(Policy 'broad' policy statement 0 allows \`s3:\\*\``));
        assert.deepStrictEqual(result.suppressed.map((s) => [s.policy, s.resource, s.reason]), [[WILDCARD, "broad", reason]]);
    });

    it("matches URN patterns, and suppresses stack-policy violations through the stack reporter", async () => {
        const bucket = resource("aws:s3/bucket:Bucket", "legacy-logs", { bucket: "legacy-logs-1" });
        const result = await run([bucket], { [PAB]: { suppressions: [{ resource: "urn:pulumi:dev::test::aws:s3/bucket:Bucket::legacy-*", reason }] } });
        assert.deepStrictEqual(result.violations.filter((v) => v.policy === PAB), []);
        const reported = result.violations.filter((v) => v.policy === STACK_REPORTER);
        assert.strictEqual(reported.length, 1);
        assert.strictEqual(reported[0].name, "legacy-logs");
        assert.match(reported[0].message, /suppressed on legacy-logs: Bucket-wide read/);
    });

    it("leaves other resources and other policies unsuppressed", async () => {
        const other = resource("aws:iam/policy:Policy", "other", { policy: json(allow("s3:*")) });
        const result = await run([wildcardPolicy, other], { [WILDCARD]: { suppressions: [{ resource: "broad", reason }] } });
        assert.deepStrictEqual(result.violations.filter((v) => v.policy === WILDCARD).map((v) => v.name), ["other"]);
    });

    it("rejects a reason shorter than ten characters, once, in the pack's words", async () => {
        const cases = [{ resource: "broad", reason: "legacy" }, { resource: "broad", reason: "ok         " }, { resource: "broad" }, { resource: "broad", reason: "" }];
        for (const suppression of cases) {
            const config = { [WILDCARD]: { suppressions: [suppression] } };
            await assert.rejects(run([wildcardPolicy], config), /needs a "reason" of at least 10 characters/);
            try {
                resolvePackConfig(policies, config);
                assert.fail("accepted");
            } catch (e) {
                assert.deepStrictEqual((e as PackConfigError).errors.length, 1, (e as PackConfigError).errors.join("\n"));
            }
        }
    });

    it("still reports every other problem of the config with the short reason", () => {
        assert.throws(() => resolvePackConfig(policies, {
            [WILDCARD]: { suppressions: [{ resource: "broad", reason: "short" }, { resource: "x", reason: "long enough reason", extra: 1 }] },
            [TRACING]: "loud" as never,
        }), (e: PackConfigError) => e.errors.length === 3 && /suppressions.1: .*extra/.test(e.errors.join("\n")));
    });

    it("warns about a policy name the pack lacks, with a did-you-mean, and runs the rest", async () => {
        for (const [given, meant] of [["aws-iam-role-require-permisions-boundary", "aws-iam-role-require-permissions-boundary"],
            ["aws-s3-bucket-require-encryptoin", "aws-s3-bucket-require-encryption"], ["AWS-LAMBDA-FUNCTION-REQUIRE-TRACING", TRACING]]) {
            const result = await run([untracedFn], { [given]: "disabled" });
            assert.deepStrictEqual(result.warnings, [`pack config names "${given}", which is not a policy of this pack, so it does nothing (did you mean "${meant}"?)`]);
        }
        const far = await run([untracedFn], { "something-else-entirely": "advisory" });
        assert.match(far.warnings[0], /"something-else-entirely", which is not a policy of this pack, so it does nothing$/);
        assert.deepStrictEqual((await run([untracedFn], { all: "advisory", [TRACING]: "advisory" })).warnings, []);
        assert.deepStrictEqual((await run([untracedFn], { all: { enforcementLevel: "advisory", minimumRetentionDays: 30 } as never })).warnings,
            ['all: option "minimumRetentionDays" does nothing there ("all" sets only enforcementLevel); set it on a policy']);
    });

    it("warns about an option a policy does not take, with a did-you-mean", async () => {
        const result = await run([untracedFn], {
            "aws-s3-bucket-require-encryption": { requireKMS: true },
            "aws-cloudwatch-loggroup-require-retention": { minimumRetentionDay: 30, enforcementLevel: "advisory" },
            [TRACING]: { enforcementlevel: "mandatory" },
        });
        assert.deepStrictEqual(result.warnings.map((w) => /^(\S+): option "(\w+)".*did you mean "(\w+)"/.exec(w)?.slice(1).join(" ")), [
            "aws-s3-bucket-require-encryption requireKMS requireKms",
            "aws-cloudwatch-loggroup-require-retention minimumRetentionDay minimumRetentionDays",
            `${TRACING} enforcementlevel enforcementLevel`,
        ]);
    });

    it("lists suppressions that matched nothing as unused, and not the ones that did", async () => {
        const result = await run([wildcardPolicy, untracedFn], {
            [WILDCARD]: { suppressions: [{ resource: "broad", reason: "legacy export job, SEC-142" }, { resource: "brod", reason: "misspelt name, never matches" }] },
            [TRACING]: { suppressions: [{ resource: "urn:pulumi:dev::test::aws:lambda/function:Function::gone-*", reason: "removed functions, cleanup later" }] },
            "aws-s3-bucket-require-versioning": "disabled",
        });
        assert.deepStrictEqual(result.unusedSuppressions.map((u) => `${u.policy} ${u.resource}`), [
            `${WILDCARD} brod`,
            `${TRACING} urn:pulumi:dev::test::aws:lambda/function:Function::gone-*`,
        ]);
        assert.deepStrictEqual(result.suppressed.map((s) => s.resource), ["broad"]);
    });
});

describe("values unknown during preview", () => {
    it("reports an unknown document as an advisory naming the property, and checks it fully once known", async () => {
        const unknownDoc = await run([resource("aws:iam/rolePolicy:RolePolicy", "p", { role: "r", policy: UNKNOWN })]);
        const advisories = unknownDoc.violations.filter((v) => v.policy === WILDCARD);
        assert.strictEqual(advisories.length, 1);
        assert.strictEqual(advisories[0].enforcementLevel, "advisory");
        assert.match(advisories[0].message, /`policy` cannot be verified until the value is known/);
        const known = await run([resource("aws:iam/rolePolicy:RolePolicy", "p", { role: "r", policy: json(allow("s3:*")) })]);
        assert.strictEqual(known.violations.filter((v) => v.policy === WILDCARD)[0].enforcementLevel, "mandatory");
    });

    it("still checks the known parts of a partly unknown document", async () => {
        const vs = await violationsOf(WILDCARD, [resource("aws:iam/policy:Policy", "p", {
            policy: { Version: "2012-10-17", Statement: [allow("s3:*", UNKNOWN), { Effect: "Allow", Action: UNKNOWN, Resource: "*" }] },
        })]);
        assert.deepStrictEqual(vs.map((v) => v.enforcementLevel).sort(), ["advisory", "mandatory"]);
        assert.match(vs.find((v) => v.enforcementLevel === "advisory")!.message, /`policy Statement\[1\]\.Action` cannot be verified/);
    });

    it("keeps the advisory level for unknowns even when the policy is mandatory by config", async () => {
        const vs = await violationsOf(TRACING, [resource("aws:lambda/function:Function", "fn", { tracingConfig: UNKNOWN })], { all: "mandatory" });
        assert.deepStrictEqual(vs.map((v) => v.enforcementLevel), ["advisory"]);
        assert.match(vs[0].message, /`tracingConfig` cannot be verified until the value is known/);
    });

    it("names the resource and property for stack policies, and resolves what it can", async () => {
        const result = await run([
            resource("aws:s3/bucket:Bucket", "b", { bucket: UNKNOWN }),
            resource("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "b-pab", { bucket: UNKNOWN, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }),
        ]);
        const pab = result.violations.filter((v) => v.policy === PAB);
        assert.strictEqual(pab.length, 1);
        assert.strictEqual(pab[0].enforcementLevel, "advisory");
        assert.match(pab[0].message, /BucketPublicAccessBlock 'b-pab' `bucket` cannot be verified until the value is known/);
    });

    it("a role whose boundary is not known yet still has one", async () => {
        assert.deepStrictEqual(await violationsOf("aws-iam-role-require-permissions-boundary", [role("r", { permissionsBoundary: UNKNOWN })]), []);
    });
});
