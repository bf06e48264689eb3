import * as pulumi from "@pulumi/pulumi";
import { closest } from "fastest-levenshtein";
import { CONFIG_KEYS, PlatformConfig, validatePlatformConfig } from "./schema";

const PROJECT = "swiftsupport";

function read(config: pulumi.Config, key: keyof typeof CONFIG_KEYS): unknown {
    const { kind, required } = CONFIG_KEYS[key];
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

/**
 * Reads and validates the stack config before any resource exists. Fails with one error listing every problem
 * with its path (`users[3].groups[0]: unknown group "Devops" (did you mean "DevOps"?)`), so a wrong stack file is
 * fixed in one pass.
 */
export function loadPlatformConfig(config = new pulumi.Config(PROJECT)): PlatformConfig {
    const raw: Record<string, unknown> = {};
    const problems: string[] = [];
    const unreadable = new Set<string>();
    for (const key of Object.keys(CONFIG_KEYS) as (keyof typeof CONFIG_KEYS)[]) {
        try {
            const value = read(config, key);
            // Pulumi.yaml gives optional keys an empty default ("", 0, []): that means "not set".
            const empty = value === "" || value === 0 || (Array.isArray(value) && value.length === 0);
            if (value !== undefined && !(empty && !CONFIG_KEYS[key].required)) raw[key] = value;
        } catch (e) {
            unreadable.add(key);
            const message = e instanceof Error ? e.message.split("\n")[0] : String(e);
            problems.push(`${key}: ${/Missing required configuration/.test(message) ? "is required" : message}`);
        }
    }
    // A typo in a key name would otherwise be silently ignored.
    const known = Object.keys(CONFIG_KEYS);
    for (const full of Object.keys(pulumi.runtime.allConfig())) {
        const [ns, key] = full.split(":");
        if (ns === PROJECT && key !== undefined && !known.includes(key)) {
            problems.push(`${key}: unknown config key (did you mean "${closest(key, known)}"?)`);
        }
    }
    const result = validatePlatformConfig(raw);
    // A key that could not be read is reported once, not again by the schema.
    if (!result.ok) problems.push(...result.problems.filter((p) => !unreadable.has(/^\w+/.exec(p)?.[0] ?? "")));
    if (problems.length > 0 || !result.ok) {
        throw new pulumi.RunError(
            `Stack "${pulumi.getStack()}" has ${problems.length} config problem${problems.length === 1 ? "" : "s"}:\n` +
                problems.map((p) => `  - ${p}`).join("\n"),
        );
    }
    return result.config;
}
