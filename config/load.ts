import * as pulumi from "@pulumi/pulumi";
import { BOOTSTRAP_CONFIG_KEYS, BootstrapConfig, validateBootstrapConfig } from "./bootstrapSchema";
import { ORG_CONFIG_KEYS, OrgConfig, validateOrgConfig } from "./orgSchema";
import { suggestion } from "./problems";
import { CONFIG_KEYS, PlatformConfig, validatePlatformConfig } from "./schema";

const PROJECT = "swiftsupport";

type KeySpec = Record<string, { kind: "string" | "number" | "boolean" | "object"; required: boolean }>;

/**
 * What a stack is: a workload stack (one per account: the platform), the org stack (the people), or a bootstrap
 * stack (once per account, by an administrator: the roles GitHub Actions deploys the other stacks with).
 */
export type StackKind = "workload" | "org" | "bootstrap";
const STACK_KINDS: readonly StackKind[] = ["workload", "org", "bootstrap"];

const KEYS_OF_KIND: Record<StackKind, KeySpec> = { workload: CONFIG_KEYS, org: ORG_CONFIG_KEYS, bootstrap: BOOTSTRAP_CONFIG_KEYS };
/** Each kind of stack as a problem names it, and how a reader tells one. */
const KIND_NAMES: Record<StackKind, { name: string; how: string }> = {
    workload: { name: "a workload stack", how: "stackKind: workload" },
    org: { name: "the org stack", how: "Pulumi.org.yaml, stackKind: org" },
    bootstrap: { name: "a bootstrap stack", how: "stackKind: bootstrap" },
};

/**
 * Keys of the other kinds of stack that `kind` does not read, each with whose they are. Pulumi.yaml's defaults reach
 * every stack, and a boolean default cannot be told from a value a stack file set, so booleans are left out (only
 * workload stacks have any).
 */
function foreignKeys(kind: StackKind): { keys: string[]; hint: string }[] {
    const own = KEYS_OF_KIND[kind];
    const owners = new Map<string, StackKind[]>();
    // `kind`'s own keys, its own kind's included, are skipped.
    for (const other of STACK_KINDS) {
        for (const [key, spec] of Object.entries(KEYS_OF_KIND[other])) {
            if (key === "stackKind" || key in own || spec.kind === "boolean") continue;
            owners.set(key, [...(owners.get(key) ?? []), other]);
        }
    }
    const byHint = new Map<string, string[]>();
    for (const [key, kinds] of owners) {
        const hint = `belongs to ${kinds.map((k) => `${KIND_NAMES[k].name} (${KIND_NAMES[k].how})`).join(" or ")}, not to ${KIND_NAMES[kind].name}`;
        // Stryker disable next-line ArrayDeclaration: a stray name in a hint's keys matches no config key, so no problem changes
        byHint.set(hint, [...(byHint.get(hint) ?? []), key]);
    }
    return [...byHint].map(([hint, keys]) => ({ keys, hint }));
}

function read(config: pulumi.Config, key: string, { kind, required }: KeySpec[string]): unknown {
    switch (kind) {
        case "string":
            return required ? config.require(key) : config.get(key);
        case "number":
            return required ? config.requireNumber(key) : config.getNumber(key);
        case "boolean":
            return required ? config.requireBoolean(key) : config.getBoolean(key);
        case "object":
            return required ? config.requireObject<unknown>(key) : config.getObject<unknown>(key);
    }
}

/** Pulumi.yaml gives every declared key a default, the empty ones ("", 0, []) meaning "not set". */
const isEmpty = (value: unknown) => value === "" || value === 0 || (Array.isArray(value) && value.length === 0);

/** The stack's kind from `swiftsupport:stackKind` (default `workload`). */
export function stackKind(config = new pulumi.Config(PROJECT)): StackKind {
    const kind = config.get("stackKind") ?? "workload";
    if ((STACK_KINDS as readonly string[]).includes(kind)) return kind as StackKind;
    throw new pulumi.RunError(
        `Stack "${pulumi.getStack()}" has 1 config problem:\n  - stackKind: must be one of ${STACK_KINDS.join(", ")}, got "${kind}"`,
    );
}

/**
 * Reads `keys`, validates them and fails with one error listing every problem with its path
 * (`users[3].groups[0]: unknown group "Devops" (did you mean "DevOps"?)`), so a wrong stack file is fixed in one
 * pass. `foreign` are keys of the other kinds of stack: set here, they are a mistake worth naming.
 */
function load<T>(
    config: pulumi.Config,
    keys: KeySpec,
    validate: (raw: Record<string, unknown>) => { ok: true; config: T } | { ok: false; problems: string[] },
    foreign: { keys: readonly string[]; hint: string }[],
): T {
    const raw: Record<string, unknown> = {};
    const problems: string[] = [];
    for (const [key, spec] of Object.entries(keys)) {
        let value: unknown;
        try {
            value = read(config, key, spec);
        } catch {
            // Missing or not of the key's type: the schema says which ("is required", "must be a number").
            value = config.get(key);
        }
        // An empty value (Pulumi.yaml's default) is "not set": the schema reports it if the key is required.
        if (value !== undefined && !isEmpty(value)) raw[key] = value;
    }
    // A typo in a key name would otherwise be silently ignored.
    const known = [...new Set(Object.values(KEYS_OF_KIND).flatMap((spec) => Object.keys(spec)))];
    for (const [full, value] of Object.entries(pulumi.runtime.allConfig())) {
        const [ns, key] = full.split(":");
        if (ns !== PROJECT || key === undefined) continue;
        if (!known.includes(key)) problems.push(`${key}: unknown config key${suggestion(key, known)}`);
        else if (!isEmpty(parseWire(value))) {
            const owner = foreign.find((f) => f.keys.includes(key));
            if (owner) problems.push(`${key}: ${owner.hint}`);
        }
    }
    const result = validate(raw);
    if (!result.ok) problems.push(...result.problems);
    if (problems.length > 0 || !result.ok) {
        throw new pulumi.RunError(
            `Stack "${pulumi.getStack()}" has ${problems.length} config problem${problems.length === 1 ? "" : "s"}:\n` +
                problems.map((p) => `  - ${p}`).join("\n"),
        );
    }
    return result.config;
}

/** Config values arrive as strings; objects and lists as JSON. */
function parseWire(value: string): unknown {
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}

/** A workload stack's config (the platform in one account), validated before any resource exists. */
export function loadPlatformConfig(config = new pulumi.Config(PROJECT)): PlatformConfig {
    return load(config, CONFIG_KEYS, validatePlatformConfig, foreignKeys("workload"));
}

/** The org stack's config (environments, groups, users), validated before any resource exists. */
export function loadOrgConfig(config = new pulumi.Config(PROJECT)): OrgConfig {
    return load(config, ORG_CONFIG_KEYS, validateOrgConfig, foreignKeys("org"));
}

/**
 * A bootstrap stack's config (the GitHub repository, the stack its deployer deploys, the account), validated before
 * any resource exists. `deployableStacks`: the stacks the committed deployer permissions cover.
 */
export function loadBootstrapConfig(deployableStacks: readonly string[], config = new pulumi.Config(PROJECT)): BootstrapConfig {
    return load(config, BOOTSTRAP_CONFIG_KEYS, (raw) => validateBootstrapConfig(raw, deployableStacks), foreignKeys("bootstrap"));
}
