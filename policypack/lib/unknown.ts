// The one representation of "not known during preview" inside the pack. Reads go through the policy server's
// unknown-checking proxy; `tryRead` turns its UnknownValueError into UNKNOWN plus the property path that was unknown.

import { isUnknownValueError } from "./policyInternals";

/** Marks a value that is unknown during preview. */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");
export type Unknown = typeof UNKNOWN;

export function isUnknown(v: unknown): v is Unknown {
    return v === UNKNOWN;
}

/** `["inlinePolicies", "0", "policy"]` -> `inlinePolicies[0].policy`. */
export function formatPropertyPath(path: readonly PropertyKey[]): string {
    let out = "";
    for (const p of path) {
        const s = String(p);
        out += /^\d+$/.test(s) ? `[${s}]` : (out ? `.${s}` : s);
    }
    return out || "(props)";
}

/** Result of a read that may meet a preview unknown: the value, or UNKNOWN and where. */
export type ReadResult<T> = { value: T; unknownAt?: undefined } | { value: Unknown; unknownAt: string };

/** Evaluates `get`, catching the proxy's UnknownValueError (any other error propagates). */
export function tryRead<T>(get: () => T): ReadResult<T> {
    try {
        return { value: get() };
    } catch (e) {
        if (!isUnknownValueError(e)) throw e;
        return { value: UNKNOWN, unknownAt: formatPropertyPath(e.props) };
    }
}

/** Reads `obj[key]`, returning UNKNOWN for a preview unknown. */
export function readProp(obj: unknown, key: string): unknown {
    if (obj === null || typeof obj !== "object") return undefined;
    try {
        return (obj as Record<string, unknown>)[key];
    } catch (e) {
        if (!isUnknownValueError(e)) throw e;
        return UNKNOWN;
    }
}
