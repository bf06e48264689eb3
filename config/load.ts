import * as pulumi from "@pulumi/pulumi";
import { ORG_CONFIG_KEYS, OrgConfig, validateOrgConfig } from "./orgSchema";
import { suggestion } from "./problems";
import { CONFIG_KEYS, PlatformConfig, validatePlatformConfig } from "./schema";

const PROJECT = "swiftsupport";

type KeySpec = Record<string, { kind: "string" | "number" | "boolean" | "object"; required: boolean }>;

/** What a stack is: a workload stack (one per account: the platform) or the org stack (the people). */
export type StackKind = "workload" | "org";
const STACK_KINDS: readonly StackKind[] = ["workload", "org"];

/** Keys only the workload stacks read, and keys only the org stack reads (`stackKind` is read by both). */
const WORKLOAD_ONLY = Object.keys(CONFIG_KEYS).filter((k) => !(k in ORG_CONFIG_KEYS));
const ORG_ONLY = Object.keys(ORG_CONFIG_KEYS).filter((k) => !(k in CONFIG_KEYS) && k !== "stackKind");

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
 * pass. `foreign` are keys of the other kind of stack: set here, they are a mistake worth naming.
 */
function load<T>(
    config: pulumi.Config,
    keys: KeySpec,
    validate: (raw: Record<string, unknown>) => { ok: true; config: T } | { ok: false; problems: string[] },
    foreign: { keys: readonly string[]; hint: string },
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
    const known = ["stackKind", ...Object.keys(CONFIG_KEYS), ...Object.keys(ORG_CONFIG_KEYS)];
    for (const [full, value] of Object.entries(pulumi.runtime.allConfig())) {
        const [ns, key] = full.split(":");
        if (ns !== PROJECT || key === undefined) continue;
        if (!known.includes(key)) problems.push(`${key}: unknown config key${suggestion(key, known)}`);
        else if (foreign.keys.includes(key) && !isEmpty(parseWire(value))) problems.push(`${key}: ${foreign.hint}`);
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
    return load(config, CONFIG_KEYS, validatePlatformConfig, {
        keys: ORG_ONLY,
        hint: "belongs to the org stack (Pulumi.org.yaml, stackKind: org), not to a workload stack",
    });
}

/** The org stack's config (environments, groups, users), validated before any resource exists. */
export function loadOrgConfig(config = new pulumi.Config(PROJECT)): OrgConfig {
    return load(config, ORG_CONFIG_KEYS, validateOrgConfig, {
        // Pulumi.yaml's defaults reach the org stack too: only a value a stack file set is a mistake.
        keys: WORKLOAD_ONLY.filter((k) => CONFIG_KEYS[k as keyof typeof CONFIG_KEYS].kind !== "boolean"),
        hint: "belongs to a workload stack (stackKind: workload), not to the org stack",
    });
}
