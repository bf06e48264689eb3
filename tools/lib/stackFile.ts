// Reads what `check` is given: a `pulumi stack export` (deployment version 3) or a `pulumi preview --json`, into the
// runner's resource shape. Each resource's props are its inputs, or its outputs when it has no inputs (resources
// read with `get` and old exports carry only outputs). Secrets are unwrapped to their plaintext; an encrypted one
// (`ciphertext`) is unknown to us, so it becomes the preview's unknown sentinel and the pack treats it as such.

import * as fs from "fs";
import { RunnerResource, UNKNOWN_SENTINEL } from "./packRunner";

/** A file `check` cannot read: one line for stderr, no stack trace. */
export class StackFileError extends Error {}

/** The signature key Pulumi marks special values with, and the value marking a secret (sdk/go/common/resource/sig). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** The deployment versions whose resource shape (apitype.ResourceV3) this reader knows. */
const SUPPORTED_DEPLOYMENT_VERSIONS = [3];

/** Preview steps whose new state will not exist after the update. */
const SKIPPED_OPS = new Set(["delete", "delete-replaced", "discard", "discard-replaced", "remove-pending-replace"]);

export interface StackFile {
    /** Where the resources came from, for the report. */
    format: "stack export" | "preview";
    /** Stack name from the stack resource's URN (`urn:pulumi:<stack>::...`), when present. */
    stack?: string;
    resources: RunnerResource[];
    /** URN -> the resource's `arn` (from outputs, else inputs), to name the resources IAM statements reach. */
    arns: Map<string, string>;
}

const isObject = (v: unknown): v is Record<string, any> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Replaces secrets by their plaintext (or the unknown sentinel when encrypted), recursively. */
export function unwrapSecrets(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(unwrapSecrets);
    if (!isObject(value)) return value;
    if (value[SIG_KEY] === SECRET_SIG) {
        if (typeof value.plaintext === "string") {
            try {
                return unwrapSecrets(JSON.parse(value.plaintext));
            } catch {
                return value.plaintext;
            }
        }
        // `value` is how the engine sends a decrypted secret on the wire; ciphertext cannot be read without the stack's key.
        if ("value" in value && !("ciphertext" in value)) return unwrapSecrets(value.value);
        return UNKNOWN_SENTINEL;
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = unwrapSecrets(v);
    return out;
}

/** The name part of a URN: everything after the last `::`. */
export function nameOfUrn(urn: string): string {
    const i = urn.lastIndexOf("::");
    return i >= 0 ? urn.slice(i + 2) : urn;
}

function stackOfUrn(urn: string): string | undefined {
    return /^urn:pulumi:([^:]+)::/.exec(urn)?.[1];
}

/** One resource state (apitype.ResourceV3) as the runner takes it; `where` names it in errors. */
function fromState(state: unknown, where: string, arns: Map<string, string>): RunnerResource {
    if (!isObject(state) || typeof state.urn !== "string" || typeof state.type !== "string") {
        throw new StackFileError(`${where} has no "urn" and "type": not a Pulumi resource state`);
    }
    const inputs = isObject(state.inputs) ? state.inputs : undefined;
    const outputs = isObject(state.outputs) ? state.outputs : undefined;
    const props = inputs && Object.keys(inputs).length > 0 ? inputs : (outputs ?? {});
    const arn = outputs?.arn ?? inputs?.arn;
    if (typeof arn === "string") arns.set(state.urn, arn);
    const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
    const propertyDependencies: Record<string, string[]> = {};
    if (isObject(state.propertyDependencies)) {
        for (const [k, v] of Object.entries(state.propertyDependencies)) propertyDependencies[k] = strings(v);
    }
    return {
        urn: state.urn,
        type: state.type,
        name: nameOfUrn(state.urn),
        props: unwrapSecrets(props) as Record<string, unknown>,
        ...(typeof state.parent === "string" && state.parent ? { parent: state.parent } : {}),
        dependencies: strings(state.dependencies),
        propertyDependencies,
        ...(typeof state.provider === "string" && state.provider ? { provider: state.provider } : {}),
        ...(state.protect === true ? { opts: { protect: true } } : {}),
    };
}

function fromExport(doc: Record<string, any>): StackFile {
    if (!SUPPORTED_DEPLOYMENT_VERSIONS.includes(doc.version)) {
        throw new StackFileError(
            `unsupported stack export version ${JSON.stringify(doc.version)}: only deployment version ${SUPPORTED_DEPLOYMENT_VERSIONS.join(", ")} ` +
                "(what `pulumi stack export` writes today) is supported",
        );
    }
    if (!isObject(doc.deployment)) throw new StackFileError(`stack export has no "deployment" object`);
    const list = doc.deployment.resources ?? [];
    if (!Array.isArray(list)) throw new StackFileError(`stack export's "deployment.resources" is not a list`);
    // A resource pending deletion (`delete: true`) is an old copy awaiting replacement, not part of the stack.
    const arns = new Map<string, string>();
    const resources = list
        .map((r: unknown, i: number) => ({ r, i }))
        .filter(({ r }) => !(isObject(r) && r.delete === true))
        .map(({ r, i }) => fromState(r, `deployment.resources[${i}]`, arns));
    return { format: "stack export", stack: stackOf(resources), resources, arns };
}

function fromPreview(doc: Record<string, any>): StackFile {
    const steps: unknown[] = doc.steps;
    const resources: RunnerResource[] = [];
    const arns = new Map<string, string>();
    steps.forEach((step, i) => {
        if (!isObject(step)) throw new StackFileError(`steps[${i}] is not an object`);
        if (SKIPPED_OPS.has(step.op)) return;
        if (!isObject(step.newState)) return;
        resources.push(fromState(step.newState, `steps[${i}].newState`, arns));
    });
    return { format: "preview", stack: stackOf(resources), resources, arns };
}

function stackOf(resources: RunnerResource[]): string | undefined {
    const stack = resources.find((r) => r.type === "pulumi:pulumi:Stack") ?? resources[0];
    return stack ? stackOfUrn(stack.urn) : undefined;
}

/** Parses an already-read document; throws StackFileError for an unknown shape. */
export function parseStackDocument(doc: unknown): StackFile {
    if (isObject(doc) && "deployment" in doc) return fromExport(doc);
    if (isObject(doc) && Array.isArray(doc.steps)) return fromPreview(doc);
    throw new StackFileError(
        "not a `pulumi stack export` (no \"version\" and \"deployment\") nor a `pulumi preview --json` (no \"steps\" list)",
    );
}

/** Reads and parses `file`; every failure is a StackFileError naming the file. */
export function readStackFile(file: string): StackFile {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new StackFileError(code === "ENOENT" ? `${file}: no such file` : `${file}: cannot read (${code ?? (e as Error).message})`);
    }
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (e) {
        throw new StackFileError(`${file}: invalid JSON (${(e as Error).message})`);
    }
    try {
        return parseStackDocument(doc);
    } catch (e) {
        if (e instanceof StackFileError) throw new StackFileError(`${file}: ${e.message}`);
        throw e;
    }
}
