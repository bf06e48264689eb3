// The wrapper every policy of the pack is built with, called the way the policy server calls it: for every resource,
// with the config the CLI passes, and with props in the unknown-checking proxy during preview.

import * as assert from "assert";
import { PolicyResource, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { APPLIES_TO_TYPES, ResourceCheck, StackCheck, resourcePolicy, shortType, stackPolicy } from "../../policypack/lib/guard";
import { UNKNOWN_SENTINEL, isUnknownValueError, unknownCheckingProxy } from "../../policypack/lib/policyInternals";
import { SuppressedViolation, suppressionLedger, suppressionsSchema } from "../../policypack/lib/suppressions";
import { formatPropertyPath } from "../../policypack/lib/unknown";
import { urnOf } from "./support";

const FUNCTION_TYPE = "aws:lambda/function:Function";
const BUCKET_TYPE = "aws:s3/bucket:Bucket";
const LATER = "cannot be verified until the value is known (it is checked in full when known, e.g. on `pulumi up`)";
const REASON = "legacy function, tracked in SEC-7";

type Config = Record<string, unknown>;

/** What the policy server passes a resource validation (only the parts the guard reads). */
function resourceArgs(type: string, name: string, props: Record<string, unknown>, config: Config = {}): ResourceValidationArgs {
    return { type, name, urn: urnOf(type, name), props: unknownCheckingProxy(props), getConfig: () => config } as unknown as ResourceValidationArgs;
}

function policyResource(type: string, name: string, props: Record<string, unknown>): PolicyResource {
    return { type, name, urn: urnOf(type, name), props: unknownCheckingProxy(props) } as unknown as PolicyResource;
}

/** Runs a resource policy on one resource: the messages it reported, and the error it ended with (if any). */
async function validate(policy: ResourceValidationPolicy, args: ResourceValidationArgs): Promise<{ reported: string[]; error?: Error }> {
    const reported: string[] = [];
    const report: ReportViolation = (message) => { reported.push(message); };
    try {
        await (policy.validateResource as (a: ResourceValidationArgs, r: ReportViolation) => void | Promise<void>)(args, report);
        return { reported };
    } catch (e) {
        return { reported, error: e as Error };
    }
}

async function validateStack(policy: StackValidationPolicy, resources: PolicyResource[], config: Config = {}) {
    const reported: [string, string | undefined][] = [];
    const args = { resources, getConfig: () => config } as unknown as StackValidationArgs;
    try {
        await policy.validateStack(args, (message, urn) => { reported.push([message, urn]); });
        return { reported };
    } catch (e) {
        return { reported, error: e as Error };
    }
}

const functionPolicy = (check: (args: ResourceValidationArgs, c: ResourceCheck<Config>) => void | Promise<void>, config?: Record<string, object>) =>
    resourcePolicy<Config>({
        name: "test-function-policy",
        description: "test",
        enforcementLevel: "mandatory",
        resourceTypes: [FUNCTION_TYPE],
        config: config as never,
        validate: check,
    });

const bucketsPolicy = (check: (args: StackValidationArgs, c: StackCheck<Config>) => void | Promise<void>) =>
    stackPolicy<Config>({ name: "test-stack-policy", description: "test", enforcementLevel: "mandatory", validate: check });

/** Every suppressed violation filed while `body` runs. */
async function filed(body: () => Promise<unknown>): Promise<SuppressedViolation[]> {
    const entries: SuppressedViolation[] = [];
    const unsubscribe = suppressionLedger.subscribe((s) => entries.push(s));
    try {
        await body();
    } finally {
        unsubscribe();
        suppressionLedger.clear();
    }
    return entries;
}

describe("guarded resource policies", () => {
    it("give the CLI a config schema of their own options plus suppressions", () => {
        const minimumDays = { type: "integer" as const, default: 30 };
        assert.deepStrictEqual(functionPolicy(() => undefined, { minimumDays }).configSchema, { properties: { suppressions: suppressionsSchema, minimumDays } });
        assert.deepStrictEqual(bucketsPolicy(() => undefined).configSchema, { properties: { suppressions: suppressionsSchema } });
    });

    it("look at every type when declared for all, and tell the in-process runner which types they skip", async () => {
        const all = resourcePolicy({
            name: "test-all", description: "test", enforcementLevel: "advisory", resourceTypes: "all",
            validate: (args, check) => check.report(`checked ${args.name}`),
        });
        assert.deepStrictEqual(await validate(all, resourceArgs(BUCKET_TYPE, "b", {})), { reported: ["checked b"] });
        const marker = (p: ResourceValidationPolicy) => (p.validateResource as unknown as Record<string, unknown>)[APPLIES_TO_TYPES];
        assert.strictEqual(marker(all), undefined);
        assert.deepStrictEqual(marker(functionPolicy(() => undefined)), new Set([FUNCTION_TYPE]));
    });

    it("skip resources of other types, which the policy server also hands them", async () => {
        const policy = functionPolicy((args, check) => check.report(`checked ${args.name}`));
        assert.deepStrictEqual(await validate(policy, resourceArgs(BUCKET_TYPE, "b", {})), { reported: [] });
        assert.deepStrictEqual(await validate(policy, resourceArgs(FUNCTION_TYPE, "fn", {})), { reported: ["checked fn"] });
    });

    it("see their schema defaults under the given config, and leave the CLI's config object as it was", async () => {
        const seen: Config[] = [];
        const policy = functionPolicy((_, check) => { seen.push(check.config); }, {
            minimumDays: { type: "integer", default: 30 },
            mode: { type: "string", default: "strict" },
            tags: { type: "array", default: ["Owner"] },
            note: { type: "string" },
        });
        const given = { mode: "loose" };
        await validate(policy, resourceArgs(FUNCTION_TYPE, "fn", {}, given));
        assert.deepStrictEqual(seen, [{ mode: "loose", minimumDays: 30, tags: ["Owner"] }]);
        assert.deepStrictEqual(given, { mode: "loose" });
    });

    it("file a suppressed violation with the resource's name and the reason, and report the others", async () => {
        const policy = functionPolicy((args, check) => check.report(`Function '${args.name}' has no tracing`));
        const config = { suppressions: [{ resource: "legacy-*", reason: REASON }] };
        let results: { reported: string[] }[] = [];
        const entries = await filed(async () => {
            results = [await validate(policy, resourceArgs(FUNCTION_TYPE, "legacy-fn", {}, config)), await validate(policy, resourceArgs(FUNCTION_TYPE, "fn", {}, config))];
        });
        assert.deepStrictEqual(results, [{ reported: [] }, { reported: ["Function 'fn' has no tracing"] }]);
        assert.deepStrictEqual(entries, [{
            policy: "test-function-policy", urn: urnOf(FUNCTION_TYPE, "legacy-fn"), resource: "legacy-fn", reason: REASON, message: "Function 'legacy-fn' has no tracing",
        }]);
    });

    it("check what is known and end in one advisory error naming each unknown property once", async () => {
        const policy = functionPolicy((args, check) => {
            check.read(() => args.props.tracingConfig);
            check.read(() => (args.props.inlinePolicies as { policy: string }[])[0].policy);
            check.read(() => args.props.tracingConfig);
            check.unknown("policy Statement[1].Action");
            if (check.read(() => args.props.runtime) === "nodejs16.x") check.report("deprecated runtime");
        });
        const { reported, error } = await validate(policy, resourceArgs(FUNCTION_TYPE, "fn", {
            tracingConfig: UNKNOWN_SENTINEL, inlinePolicies: [{ policy: UNKNOWN_SENTINEL }], runtime: "nodejs16.x",
        }));
        assert.deepStrictEqual(reported, ["deprecated runtime"]);
        assert.strictEqual(error?.message, `\`tracingConfig\`, \`inlinePolicies[0].policy\`, \`policy Statement[1].Action\` ${LATER}`);
        assert.ok(isUnknownValueError(error), "the policy server reports it as an advisory only if it is its UnknownValueError");
    });

    it("turn an unknown read outside read() into the same advisory, from a synchronous or an async policy", async () => {
        for (const policy of [functionPolicy((args) => { void args.props.tracingConfig; }), functionPolicy(async (args) => { void args.props.tracingConfig; })]) {
            const { error } = await validate(policy, resourceArgs(FUNCTION_TYPE, "fn", { tracingConfig: UNKNOWN_SENTINEL }));
            assert.strictEqual(error?.message, `\`tracingConfig\` ${LATER}`);
        }
    });

    it("let every other error through unchanged, from read() or from the policy", async () => {
        const boom = new TypeError("boom");
        const policies = [
            functionPolicy((_, check) => { check.read(() => { throw boom; }); }),
            functionPolicy(() => { throw boom; }),
            functionPolicy(async () => { throw boom; }),
        ];
        for (const policy of policies) assert.strictEqual((await validate(policy, resourceArgs(FUNCTION_TYPE, "fn", {}))).error, boom);
    });
});

describe("guarded stack policies", () => {
    const fn = policyResource(FUNCTION_TYPE, "fn", { tracingConfig: UNKNOWN_SENTINEL });
    const bucket = policyResource(BUCKET_TYPE, "logs", { bucket: UNKNOWN_SENTINEL, acl: "private" });

    it("name the resource (short type and name) and property of each unknown", async () => {
        const policy = bucketsPolicy((args, check) => {
            check.read(fn, () => fn.props.tracingConfig);
            check.unknown(bucket, "policy");
            if (check.read(bucket, () => bucket.props.acl) === "private") check.report(bucket, "private acl");
        });
        const { reported, error } = await validateStack(policy, [fn, bucket]);
        assert.deepStrictEqual(reported, [["private acl", bucket.urn]]);
        assert.strictEqual(error?.message, `Function 'fn' \`tracingConfig\`, Bucket 'logs' \`policy\` ${LATER}`);
    });

    it("turn an unknown read outside read() into the advisory, and let other errors through", async () => {
        const unknownRead = await validateStack(bucketsPolicy(() => { void bucket.props.bucket; }), [bucket]);
        assert.strictEqual(unknownRead.error?.message, `\`bucket\` ${LATER}`);
        const boom = new TypeError("boom");
        assert.strictEqual((await validateStack(bucketsPolicy((_, check) => { check.read(bucket, () => { throw boom; }); }), [bucket])).error, boom);
        assert.strictEqual((await validateStack(bucketsPolicy(() => { throw boom; }), [bucket])).error, boom);
    });

    it("file a suppressed violation under the resource's name", async () => {
        const policy = bucketsPolicy((_, check) => { check.report(bucket, "Bucket 'logs' has no public access block"); check.report(fn, "other"); });
        let result: { reported: [string, string | undefined][] } | undefined;
        const entries = await filed(async () => {
            result = await validateStack(policy, [fn, bucket], { suppressions: [{ resource: "logs", reason: REASON }] });
        });
        assert.deepStrictEqual(result, { reported: [["other", fn.urn]] });
        assert.deepStrictEqual(entries.map((e) => [e.policy, e.urn, e.resource, e.reason]), [["test-stack-policy", bucket.urn, "logs", REASON]]);
    });
});

describe("how the pack names types and property paths", () => {
    it("a type by its last part", () => {
        assert.strictEqual(shortType("aws:iam/rolePolicy:RolePolicy"), "RolePolicy");
        assert.strictEqual(shortType("Custom"), "Custom");
    });

    it("a property path with indexes in brackets, also indexes of two digits, and names ending in digits as names", () => {
        assert.strictEqual(formatPropertyPath(["statements", "12", "Action"]), "statements[12].Action");
        assert.strictEqual(formatPropertyPath(["ingress", "0", "ipv6CidrBlocks2"]), "ingress[0].ipv6CidrBlocks2");
    });
});
