// The ONE in-process runner of a CrossGuard pack: tests, the offline `plan`/`check` commands and the benchmarks all
// go through `runPack`. It calls each policy's validateResource / validateStack with the same arguments and the same
// semantics as the Pulumi CLI's policy server (@pulumi/policy's server.js):
//  - config: schema defaults, then "all", then per-policy entries, validated against each policy's configSchema
//    (as the CLI's ReconcilePolicyPackConfig does); "disabled" skips a policy; "remediate" reports as mandatory;
//  - props: deserialised with @pulumi/policy's own deserializer and wrapped in its unknown-checking proxy, so a value
//    equal to the preview sentinel (UNKNOWN_SENTINEL) throws UnknownValueError when read, and a policy that lets it
//    escape is reported as the advisory "can't run policy ... during preview: ...";
//  - resource policies run per resource in pack order and see its inputs; then stack policies see every resource's
//    OUTPUTS (as the CLI's analyzeStack does: the state after the provider and any remediation), with parent,
//    dependencies and propertyDependencies resolved to PolicyResource objects.
// Differences, on purpose: props are deserialised once per resource and shared by the policies (the server
// re-deserialises per policy; this pack's policies never mutate props), and remediateResource is ignored.

import * as fs from "fs";
import * as path from "path";
import {
    EnforcementLevel,
    Policies,
    Policy,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ReportViolation,
    ResourceValidation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import {
    UNKNOWN_SENTINEL,
    deserializeProperties,
    getPulumiType,
    isResourcePolicy,
    isStackPolicy,
    isUnknownValueError,
    unknownCheckingProxy,
} from "../../policypack/lib/policyInternals";
import { APPLIES_TO_TYPES } from "../../policypack/lib/guard";
import { SuppressedViolation, compileSuppressions, suppressionLedger } from "../../policypack/lib/suppressions";
import { closest, distance } from "fastest-levenshtein";
import { validateJsonSchema } from "./jsonSchema";

export { UNKNOWN_SENTINEL };

/** A resource as the runner takes it: the shape of a preview/stack-export resource, props as plain JSON. */
export interface RunnerResource {
    urn: string;
    type: string;
    name: string;
    /** Inputs, what resource policies see (outputs when there are none); UNKNOWN_SENTINEL marks a preview unknown. */
    props: Record<string, unknown>;
    /** Outputs, what stack policies see (the CLI's analyzeStack gets the resulting state); `props` when absent. */
    outputs?: Record<string, unknown>;
    /** URN of the parent resource. */
    parent?: string;
    /** URNs this resource depends on. */
    dependencies?: string[];
    /** Property name -> URNs that property's value came from. */
    propertyDependencies?: Record<string, string[]>;
    /** The provider, as an object, or as a provider reference `urn::id` to a resource in the same list. */
    provider?: { urn: string; type: string; name: string; props: Record<string, unknown> } | string;
    opts?: Partial<PolicyResourceOptions>;
}

/** A pack config in the exact `--policy-pack-config` JSON shape. */
export type PackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

export interface RunOptions {
    /** Used in the "can't run policy ... from policy pack" messages; defaults to policypack/package.json. */
    packName?: string;
    packVersion?: string;
    /** The PolicyPack's own enforcementLevel (the @pulumi/policy default is advisory). */
    packEnforcementLevel?: EnforcementLevel;
    stackTags?: Record<string, string>;
}

export interface PackViolation {
    policy: string;
    urn: string;
    type: string;
    name: string;
    enforcementLevel: EnforcementLevel;
    message: string;
}

export type PackSuppression = SuppressedViolation;

export interface PackRunResult {
    violations: PackViolation[];
    suppressed: PackSuppression[];
    /** How many policies ran (not disabled). */
    policies: number;
    /** What in the config does nothing: an unknown policy name or option (with a "did you mean"). */
    warnings: string[];
    /** Suppressions that matched no violation: stale, or misspelt. */
    unusedSuppressions: UnusedSuppression[];
}

export interface UnusedSuppression {
    policy: string;
    resource: string;
    reason: string;
}

/** ` (did you mean "x"?)` when a name is close to one of `known`, else "". */
function didYouMean(name: string, known: readonly string[]): string {
    if (known.length === 0) return "";
    const best = closest(name, known as string[]);
    return distance(name.toLowerCase(), best.toLowerCase()) <= Math.max(2, Math.floor(name.length / 4)) ? ` (did you mean "${best}"?)` : "";
}

export interface ResolvedPolicyConfig {
    enforcementLevel: EnforcementLevel;
    properties: Record<string, unknown>;
}

/** A config the CLI would refuse; `errors` lists every problem as `<policy>: <path>: <message>`. */
export class PackConfigError extends Error {
    constructor(readonly errors: string[]) {
        super(`invalid policy pack config:\n  ${errors.join("\n  ")}`);
    }
}

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

function levelOf(policy: string, v: unknown, errors: string[]): EnforcementLevel | undefined {
    if (v === undefined) return undefined;
    if (typeof v === "string" && (LEVELS as readonly string[]).includes(v)) return v as EnforcementLevel;
    errors.push(`${policy}: ${JSON.stringify(v)} is not a valid enforcement level`);
    return undefined;
}

/**
 * Resolves each policy's enforcement level and config properties as the CLI does: the policy's level (else the
 * pack's), overridden by "all", then by the policy's own entry; schema defaults under given properties; then
 * validation against the policy's configSchema. Throws PackConfigError when anything is invalid. What the CLI
 * accepts but that does nothing (a policy name the pack lacks, an option a policy does not take) goes to `warnings`.
 */
export function resolvePackConfig(policies: Policies, config: PackConfig = {}, packEnforcementLevel: EnforcementLevel = "advisory",
    warnings: string[] = []): Map<string, ResolvedPolicyConfig> {
    const errors: string[] = [];
    const names = policies.map((p) => p.name);
    for (const [key, value] of Object.entries(config)) {
        const policy = policies.find((p) => p.name === key);
        if (key !== "all" && !policy) {
            warnings.push(`pack config names "${key}", which is not a policy of this pack, so it does nothing${didYouMean(key, names)}`);
            continue;
        }
        if (value === null || typeof value !== "object" || Array.isArray(value)) continue;
        if (!policy) {
            // "all" sets a level only; an option there reaches no policy.
            for (const option of Object.keys(value).filter((o) => o !== "enforcementLevel")) {
                warnings.push(`all: option "${option}" does nothing there ("all" sets only enforcementLevel); set it on a policy`);
            }
            continue;
        }
        const options = Object.keys(policy.configSchema?.properties ?? {});
        for (const option of Object.keys(value)) {
            if (option === "enforcementLevel" || options.includes(option)) continue;
            warnings.push(`${key}: option "${option}" is not one this policy takes, so it does nothing` +
                `${didYouMean(option, [...options, "enforcementLevel"])} (options: ${["enforcementLevel", ...options].join(", ")})`);
        }
    }
    const given = new Map<string, { level?: EnforcementLevel; properties: Record<string, unknown> }>();
    for (const [key, value] of Object.entries(config)) {
        if (typeof value === "string") {
            given.set(key, { level: levelOf(key, value, errors), properties: {} });
        } else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
            const { enforcementLevel, ...properties } = value;
            given.set(key, { level: levelOf(key, enforcementLevel, errors), properties });
        } else {
            errors.push(`${key}: ${JSON.stringify(value)} is not a valid value; must be a string or object`);
        }
    }
    const all = given.get("all")?.level;
    const resolved = new Map<string, ResolvedPolicyConfig>();
    for (const p of policies) {
        const properties: Record<string, unknown> = {};
        for (const [k, schema] of Object.entries(p.configSchema?.properties ?? {})) {
            if (schema.default !== undefined) properties[k] = structuredClone(schema.default);
        }
        const own = given.get(p.name);
        Object.assign(properties, own?.properties ?? {});
        const enforcementLevel = own?.level ?? all ?? p.enforcementLevel ?? packEnforcementLevel;
        if (p.configSchema) {
            const schema = { type: "object" as const, properties: p.configSchema.properties, required: p.configSchema.required };
            const schemaErrors = validateJsonSchema(schema, properties).map((e) => `${p.name}: ${e}`);
            // The pack's own reading of `suppressions` says what is wrong with an entry in words, not as a regex.
            let suppressionError: string | undefined;
            try {
                compileSuppressions(p.name, properties.suppressions);
            } catch (e) {
                suppressionError = (e as Error).message;
            }
            // The entry the pack refuses (a pattern naming no resource, a short reason) is explained once, by the
            // pack; every other schema error is kept as the CLI words it.
            const refused = suppressionError && /suppression (\d+)/.exec(suppressionError)?.[1];
            const sameEntry = refused !== undefined
                ? new RegExp(`^[^:]+: suppressions\\.${refused}(\\.(resource|reason):|: (resource|reason) is required)`)
                : undefined;
            errors.push(...schemaErrors.filter((e) => !(sameEntry && sameEntry.test(e))));
            if (suppressionError && !errors.includes(suppressionError)) errors.push(suppressionError);
        }
        resolved.set(p.name, { enforcementLevel, properties });
    }
    if (errors.length) throw new PackConfigError(errors);
    return resolved;
}

/** The policy server's NotApplicableError is private; the runner's notApplicable throws this instead. */
class NotApplicable extends Error {}
const notApplicable = (reason?: string): never => {
    throw new NotApplicable(reason ?? "Policy does not apply");
};

function isTypeOf(type: string, resourceClass: unknown): boolean {
    const pulumiType = getPulumiType(resourceClass);
    if (pulumiType) return type === pulumiType;
    const isInstance = (resourceClass as { isInstance?: (o: unknown) => boolean }).isInstance;
    return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

function proxied(props: Record<string, unknown>): Record<string, unknown> {
    return unknownCheckingProxy(deserializeProperties({ toJavaScript: () => props }, false));
}

function optionsOf(r: RunnerResource): PolicyResourceOptions {
    return {
        protect: false,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
        ...r.opts,
        ...(r.parent ? { parent: r.parent } : {}),
    };
}

let defaultPack: { name: string; version: string } | undefined;
function packIdentity(options: RunOptions): { name: string; version: string } {
    if (!defaultPack) {
        const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "policypack", "package.json"), "utf8")) as { version?: string };
        defaultPack = { name: "swiftsupport-aws", version: pkg.version ?? "0.0.0" };
    }
    return { name: options.packName ?? defaultPack.name, version: options.packVersion ?? defaultPack.version };
}

function isPromise(v: unknown): v is Promise<void> {
    return typeof (v as Promise<void> | undefined)?.then === "function";
}

function freezeTags(tags: Record<string, string> = {}): ReadonlyMap<string, string> {
    return new Map(Object.entries(tags));
}

/**
 * Runs `policies` over `resources` with `config` (the --policy-pack-config shape). Resolves to every violation
 * (with its effective enforcement level) and every suppressed violation with its reason.
 */
export async function runPack(policies: Policies, resources: RunnerResource[], config: PackConfig = {}, options: RunOptions = {}): Promise<PackRunResult> {
    const warnings: string[] = [];
    const resolved = resolvePackConfig(policies, config, options.packEnforcementLevel ?? "advisory", warnings);
    const pack = packIdentity(options);
    const stackTags = freezeTags(options.stackTags);
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const stack = resources.find((r) => r.type === "pulumi:pulumi:Stack");
    const violations: PackViolation[] = [];
    const suppressed: PackSuppression[] = [];
    suppressionLedger.clear();
    const unsubscribe = suppressionLedger.subscribe((s) => suppressed.push(s));

    const active = policies.filter((p) => resolved.get(p.name)!.enforcementLevel !== "disabled");
    const levelOfPolicy = (p: Policy): EnforcementLevel => {
        const level = resolved.get(p.name)!.enforcementLevel;
        return level === "remediate" ? "mandatory" : level;
    };
    const getConfigOf = (p: Policy) => {
        const properties = resolved.get(p.name)!.properties;
        return <T extends object>() => properties as T;
    };
    const cantRun = (p: Policy, e: Error) =>
        `can't run policy '${p.name}' from policy pack '${pack.name}@v${pack.version}' during preview: ${e.message}`;

    const resourcePolicies = active.filter((p): p is ResourceValidationPolicy => isResourcePolicy(p) && !!(p as ResourceValidationPolicy).validateResource);
    const stackPolicies = active.filter((p): p is StackValidationPolicy => !isResourcePolicy(p) && isStackPolicy(p));
    const policyState = resourcePolicies.map((p) => {
        const validations = (Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource]) as ResourceValidation[];
        return {
            policy: p,
            level: levelOfPolicy(p),
            getConfig: getConfigOf(p),
            validations,
            pulumiType: validations.length === 1 ? getPulumiType(validations[0]) : undefined,
            // The pack's guarded policies declare the types they look at; skip the rest without calling them.
            types: validations.length === 1 ? (validations[0] as unknown as Record<string, unknown>)[APPLIES_TO_TYPES] as Set<string> | undefined : undefined,
        };
    });
    const statesByType = new Map<string, typeof policyState>();
    const statesFor = (type: string) => {
        let list = statesByType.get(type);
        if (!list) {
            list = policyState.filter((st) => (!st.pulumiType || st.pulumiType === type) && (!st.types || st.types.has(type)));
            statesByType.set(type, list);
        }
        return list;
    };

    const propsOf = new Map<string, Record<string, unknown>>();
    const providerOf = (r: RunnerResource): PolicyProviderResource | undefined => {
        if (!r.provider) return undefined;
        if (typeof r.provider !== "string") return { ...r.provider, props: proxied(r.provider.props) };
        const urn = r.provider.includes("::") ? r.provider.slice(0, r.provider.lastIndexOf("::")) : r.provider;
        const p = byUrn.get(urn);
        return p ? { type: p.type, name: p.name, urn: p.urn, props: proxied(p.props) } : undefined;
    };

    try {
        for (const r of resources) {
            const props = proxied(r.props);
            propsOf.set(r.urn, props);
            const states = statesFor(r.type);
            if (states.length === 0) continue;
            // One args object per resource: policies run one after another, each awaited, so switching its
            // getConfig (and the report target) between policies is safe.
            let current = states[0];
            const provider = providerOf(r);
            const args = {
                type: r.type,
                props,
                urn: r.urn,
                name: r.name,
                opts: optionsOf(r),
                stackTags,
                isType: (cls: unknown) => isTypeOf(r.type, cls),
                asType: (cls: unknown) => (isTypeOf(r.type, cls) ? props : undefined),
                notApplicable,
                getConfig: current.getConfig,
                ...(provider ? { provider } : {}),
            } as unknown as ResourceValidationArgs;
            const report: ReportViolation = (message, urn) => {
                violations.push({ policy: current.policy.name, urn: urn ?? r.urn, type: r.type, name: r.name, enforcementLevel: current.level, message: message ?? "" });
            };
            for (const state of states) {
                current = state;
                args.getConfig = state.getConfig;
                for (const validate of state.validations) {
                    try {
                        const result = validate(args, report);
                        if (isPromise(result)) await result;
                    } catch (e) {
                        if (isUnknownValueError(e)) {
                            violations.push({ policy: state.policy.name, urn: r.urn, type: r.type, name: r.name, enforcementLevel: "advisory", message: cantRun(state.policy, e) });
                        } else if (!(e instanceof NotApplicable)) {
                            throw new Error(`Error validating resource ${r.urn} with policy '${state.policy.name}': ${(e as Error)?.stack ?? e}`, { cause: e });
                        }
                    }
                }
            }
        }

        if (stackPolicies.length) {
            const policyResources = new Map<string, PolicyResource>();
            for (const r of resources) {
                const props = r.outputs && r.outputs !== r.props ? proxied(r.outputs) : propsOf.get(r.urn)!;
                const provider = providerOf(r);
                policyResources.set(r.urn, {
                    type: r.type,
                    props,
                    urn: r.urn,
                    name: r.name,
                    opts: optionsOf(r),
                    dependencies: [],
                    propertyDependencies: {},
                    isType: ((cls: unknown) => isTypeOf(r.type, cls)) as PolicyResource["isType"],
                    asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? props : undefined)) as PolicyResource["asType"],
                    ...(provider ? { provider } : {}),
                });
            }
            for (const r of resources) {
                const pr = policyResources.get(r.urn)!;
                if (r.parent && policyResources.has(r.parent)) pr.parent = policyResources.get(r.parent);
                pr.dependencies = (r.dependencies ?? []).map((d) => policyResources.get(d)).filter((d): d is PolicyResource => !!d);
                for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
                    pr.propertyDependencies[k] = urns.map((d) => policyResources.get(d)).filter((d): d is PolicyResource => !!d);
                }
            }
            const all = [...policyResources.values()];
            for (const policy of stackPolicies) {
                const pulumiType = getPulumiType(policy.validateStack);
                if (pulumiType && !resources.some((r) => r.type === pulumiType)) continue;
                const level = levelOfPolicy(policy);
                const report: ReportViolation = (message, urn) => {
                    const target = urn ? byUrn.get(urn) : stack;
                    violations.push({
                        policy: policy.name,
                        urn: urn ?? stack?.urn ?? "",
                        type: target?.type ?? "",
                        name: target?.name ?? "",
                        enforcementLevel: level,
                        message: message ?? "",
                    });
                };
                const args: StackValidationArgs = { resources: all, getConfig: getConfigOf(policy), stackTags, notApplicable };
                try {
                    const result = policy.validateStack(args, report);
                    if (isPromise(result)) await result;
                } catch (e) {
                    if (isUnknownValueError(e)) {
                        violations.push({ policy: policy.name, urn: stack?.urn ?? "", type: stack?.type ?? "", name: stack?.name ?? "", enforcementLevel: "advisory", message: cantRun(policy, e) });
                    } else if (!(e instanceof NotApplicable)) {
                        throw new Error(`Error validating stack with policy '${policy.name}': ${(e as Error)?.stack ?? e}`, { cause: e });
                    }
                }
            }
        }
    } finally {
        unsubscribe();
        suppressionLedger.clear();
    }
    return { violations, suppressed, policies: active.length, warnings, unusedSuppressions: unusedSuppressions(active, resolved, suppressed) };
}

/** Each suppression of a policy that ran and that matched none of that policy's suppressed violations. */
function unusedSuppressions(active: Policy[], resolved: Map<string, ResolvedPolicyConfig>, suppressed: PackSuppression[]): UnusedSuppression[] {
    const unused: UnusedSuppression[] = [];
    for (const p of active) {
        const compiled = compileSuppressions(p.name, resolved.get(p.name)!.properties.suppressions);
        const hits = suppressed.filter((s) => s.policy === p.name);
        for (const s of compiled) {
            if (!hits.some((h) => s.matches(h.urn, h.resource))) unused.push({ policy: p.name, resource: s.resource, reason: s.reason });
        }
    }
    return unused;
}

/** `urn:pulumi:<stack>::<project>::<qualified type>::<name>`, as the engine builds it. */
export function makeUrn(stack: string, project: string, type: string, name: string, parentType?: string): string {
    const qualified = parentType && parentType !== "pulumi:pulumi:Stack" ? `${parentType}$${type}` : type;
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}
