// The wrapper every policy in this pack is built with. It gives a policy:
//  - its config with schema defaults applied, plus the shared `suppressions` property;
//  - `report()`, which files a matching suppression in the ledger instead of reporting it;
//  - `read()`, which turns a preview unknown (the policy server's UnknownValueError) into a note and lets the policy
//    check everything else; at the end all notes are raised as ONE UnknownValueError, which the policy server reports
//    as an advisory "can't run policy ... during preview: <property> cannot be verified until the value is known".
//    That reuses the server's own mechanism, so the advisory level holds whatever level the policy is configured at,
//    and on `pulumi up`, when the values are known, the same policy checks them in full.

import {
    EnforcementLevel,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { UNKNOWN_SENTINEL, UnknownValueError, UnknownValueErrorLike, isUnknownValueError } from "./policyInternals";
import { StackIndex, stackIndex } from "./stackIndex";
import { UNKNOWN, Unknown, formatPropertyPath } from "./unknown";
import { compileSuppressions, findSuppression, suppressionLedger, suppressionsSchema } from "./suppressions";

/** `aws:iam/rolePolicy:RolePolicy` -> `RolePolicy`. */
export function shortType(type: string): string {
    return type.slice(type.lastIndexOf(":") + 1);
}

/** Raised at the end of a validation that met unknown values; the policy server reports it as advisory. */
class UnknownPropertiesError extends UnknownValueError {
    constructor(what: string[]) {
        // Stryker disable next-line ArrayDeclaration: the policy server and the runner read only this error's message
        super(UNKNOWN_SENTINEL, []);
        this.message = `${what.join(", ")} cannot be verified until the value is known ` +
            `(it is checked in full when known, e.g. on \`pulumi up\`)`;
    }
}

export interface BaseCheck<C> {
    /** The policy's config: schema defaults, overridden by `--policy-pack-config`. */
    readonly config: C;
}

export interface ResourceCheck<C> extends BaseCheck<C> {
    /** Reports a violation on the resource under validation (or files it as suppressed). */
    report(message: string): void;
    /** Evaluates `get`; if it reads a preview unknown, notes the property and returns UNKNOWN. */
    read<T>(get: () => T): T | Unknown;
    /** Notes a property that could not be verified (e.g. `policy` when the whole document is unknown). */
    unknown(property: string): void;
}

export interface StackCheck<C> extends BaseCheck<C> {
    /** Everything in the stack, indexed by type and URN. */
    readonly index: StackIndex;
    /** Reports a violation on `resource` (or files it as suppressed). */
    report(resource: PolicyResource, message: string): void;
    read<T>(resource: PolicyResource, get: () => T): T | Unknown;
    unknown(resource: PolicyResource, property: string): void;
}

interface PolicyMeta<C> {
    name: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    severity?: Severity;
    /** Policy-specific config properties (the shared `suppressions` property is added). */
    config?: { [K in keyof C]: PolicyConfigJSONSchema };
}

export interface GuardedResourcePolicy<C> extends PolicyMeta<C> {
    /** Types this policy looks at; any other resource is skipped without further work. */
    resourceTypes: readonly string[] | "all";
    validate(args: ResourceValidationArgs, check: ResourceCheck<C>): void | Promise<void>;
}

export interface GuardedStackPolicy<C> extends PolicyMeta<C> {
    validate(args: StackValidationArgs, check: StackCheck<C>): void | Promise<void>;
}

type Config = Record<string, unknown> & { suppressions?: unknown };

function configSchemaOf<C>(meta: PolicyMeta<C>) {
    const properties: Record<string, PolicyConfigJSONSchema> = { suppressions: suppressionsSchema };
    for (const [k, v] of Object.entries(meta.config ?? {})) properties[k] = v as PolicyConfigJSONSchema;
    return { properties };
}

function defaultsOf<C>(meta: PolicyMeta<C>): [string, unknown][] {
    return Object.entries(meta.config ?? {})
        .filter(([, schema]) => (schema as PolicyConfigJSONSchema).default !== undefined)
        .map(([k, schema]) => [k, (schema as PolicyConfigJSONSchema).default]);
}

function withDefaults(raw: Config, defaults: [string, unknown][]): Config {
    let out = raw;
    for (const [k, v] of defaults) {
        if (out[k] === undefined) {
            if (out === raw) out = { ...raw };
            out[k] = v;
        }
    }
    return out;
}

/**
 * Set on every guarded validateResource: the resource types it looks at. The policy server ignores it (it calls
 * every policy for every resource); the in-process runner uses it to skip policies that do not apply.
 */
export const APPLIES_TO_TYPES = "__swiftsupportResourceTypes";

function isPromise(v: unknown): v is Promise<void> {
    return typeof (v as Promise<void> | undefined)?.then === "function";
}

/** Builds a resource policy whose checks go through `ResourceCheck` (see the file comment). */
export function resourcePolicy<C = Record<string, never>>(def: GuardedResourcePolicy<C>): ResourceValidationPolicy {
    const types = def.resourceTypes === "all" ? undefined : new Set(def.resourceTypes);
    const defaults = defaultsOf(def);
    const validateResource = (args: ResourceValidationArgs, reportViolation: ReportViolation): void | Promise<void> => {
        if (types && !types.has(args.type)) return;
        const config = withDefaults(args.getConfig<Config>(), defaults);
        const suppressions = compileSuppressions(def.name, config.suppressions);
        const unknowns: string[] = [];
        const check: ResourceCheck<C> = {
            config: config as unknown as C,
            report(message) {
                const reason = suppressions.length ? findSuppression(suppressions, args.urn, args.name) : undefined;
                if (reason === undefined) reportViolation(message);
                else suppressionLedger.record({ policy: def.name, urn: args.urn, resource: args.name, reason, message });
            },
            read(get) {
                try {
                    return get();
                } catch (e) {
                    if (!isUnknownValueError(e)) throw e;
                    unknowns.push(`\`${formatPropertyPath(e.props)}\``);
                    return UNKNOWN;
                }
            },
            unknown(property) {
                unknowns.push(`\`${property}\``);
            },
        };
        const finish = (e?: unknown) => {
            if (e !== undefined) {
                if (!isUnknownValueError(e)) throw e;
                unknowns.push(`\`${formatPropertyPath((e as UnknownValueErrorLike).props)}\``);
            }
            if (unknowns.length) throw new UnknownPropertiesError([...new Set(unknowns)]);
        };
        let result: void | Promise<void>;
        try {
            result = def.validate(args, check);
        } catch (e) {
            return finish(e);
        }
        if (isPromise(result)) return result.then(() => finish(), finish);
        return finish();
    };
    Object.defineProperty(validateResource, APPLIES_TO_TYPES, { value: types });
    return {
        name: def.name,
        description: def.description,
        enforcementLevel: def.enforcementLevel,
        severity: def.severity,
        configSchema: configSchemaOf(def),
        validateResource,
    };
}

/** Builds a stack policy whose checks go through `StackCheck` (see the file comment). */
export function stackPolicy<C = Record<string, never>>(def: GuardedStackPolicy<C>): StackValidationPolicy {
    const defaults = defaultsOf(def);
    const validateStack = async (args: StackValidationArgs, reportViolation: ReportViolation): Promise<void> => {
        const config = withDefaults(args.getConfig<Config>(), defaults);
        const suppressions = compileSuppressions(def.name, config.suppressions);
        const unknowns: string[] = [];
        const label = (r: PolicyResource) => `${shortType(r.type)} '${r.name}'`;
        const check: StackCheck<C> = {
            config: config as unknown as C,
            index: stackIndex(args.resources),
            report(resource, message) {
                const reason = suppressions.length ? findSuppression(suppressions, resource.urn, resource.name) : undefined;
                if (reason === undefined) reportViolation(message, resource.urn);
                else suppressionLedger.record({ policy: def.name, urn: resource.urn, resource: resource.name, reason, message });
            },
            read(resource, get) {
                try {
                    return get();
                } catch (e) {
                    if (!isUnknownValueError(e)) throw e;
                    unknowns.push(`${label(resource)} \`${formatPropertyPath(e.props)}\``);
                    return UNKNOWN;
                }
            },
            unknown(resource, property) {
                unknowns.push(`${label(resource)} \`${property}\``);
            },
        };
        try {
            await def.validate(args, check);
        } catch (e) {
            if (!isUnknownValueError(e)) throw e;
            unknowns.push(`\`${formatPropertyPath(e.props)}\``);
        }
        if (unknowns.length) throw new UnknownPropertiesError([...new Set(unknowns)]);
    };
    return {
        name: def.name,
        description: def.description,
        enforcementLevel: def.enforcementLevel,
        severity: def.severity,
        configSchema: configSchemaOf(def),
        validateStack,
    };
}
