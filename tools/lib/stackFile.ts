// Reads what `check` is given: a `pulumi stack export` (deployment version 3) or a `pulumi preview --json`, into the
// runner's resource shape. Each resource's props are its inputs, or its outputs when it has no inputs (resources
// read with `get` and old exports carry only outputs); its outputs (what the CLI gives stack policies) are the
// outputs, with an input standing in for any output the file leaves out. Secrets are unwrapped to their plaintext;
// an encrypted one (`ciphertext`) is unknown to us, so it becomes the preview's unknown sentinel and the pack treats
// it as such. A resource reference becomes its id (its URN for a component), an output value its value (unknown
// when it has none); any other special value the pack could not read is an error naming where it is.

import * as fs from "fs";
import { RunnerResource, UNKNOWN_SENTINEL } from "./packRunner";

/** A file `check` cannot read: one line for stderr, no stack trace. */
export class StackFileError extends Error {}

/** The signature key Pulumi marks special values with, and the value marking a secret (sdk/go/common/resource/sig). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";

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

/**
 * Turns the engine's special values into what the pack reads: secrets into their plaintext (or the unknown sentinel
 * when encrypted), resource references into their id (or URN), output values into their value (or the sentinel),
 * recursively. Assets and archives are kept for @pulumi/policy's deserialiser when it can read them. Any other
 * signature is a StackFileError naming `where`.
 */
export function unwrapSecrets(value: unknown, where = "value"): unknown {
    if (Array.isArray(value)) return value.map((v, i) => unwrapSecrets(v, `${where}[${i}]`));
    if (!isObject(value)) return value;
    const sig = value[SIG_KEY];
    if (sig !== undefined) {
        switch (sig) {
            case SECRET_SIG:
                if (typeof value.plaintext === "string") {
                    try {
                        return unwrapSecrets(JSON.parse(value.plaintext), where);
                    } catch {
                        return value.plaintext;
                    }
                }
                // `value` is how the engine sends a decrypted secret on the wire; ciphertext cannot be read without the stack's key.
                if ("value" in value && !("ciphertext" in value)) return unwrapSecrets(value.value, where);
                return UNKNOWN_SENTINEL;
            case RESOURCE_SIG:
                if (typeof value.id === "string" && value.id !== "") return value.id;
                if (typeof value.urn === "string") return value.urn;
                throw new StackFileError(`${where} is a resource reference without "urn"`);
            case OUTPUT_VALUE_SIG:
                return "value" in value ? unwrapSecrets(value.value, where) : UNKNOWN_SENTINEL;
            case ASSET_SIG:
                if (["path", "text", "uri"].some((k) => typeof value[k] === "string" && value[k] !== "")) return value;
                throw new StackFileError(`${where} is an asset without "path", "text" or "uri"`);
            case ARCHIVE_SIG:
                if (isObject(value.assets)) return { ...value, assets: unwrapSecrets(value.assets, `${where}.assets`) };
                if (["path", "uri"].some((k) => typeof value[k] === "string" && value[k] !== "")) return value;
                throw new StackFileError(`${where} is an archive without "assets", "path" or "uri"`);
            default:
                throw new StackFileError(`${where} has an unknown special-value signature ${JSON.stringify(sig)}`);
        }
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = unwrapSecrets(v, `${where}.${k}`);
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
    const readProps = unwrapSecrets(props, `${where}.${props === inputs ? "inputs" : "outputs"}`) as Record<string, unknown>;
    const readOutputs = outputs && Object.keys(outputs).length > 0
        ? { ...(props === inputs ? readProps : {}), ...(unwrapSecrets(outputs, `${where}.outputs`) as Record<string, unknown>) }
        : readProps;
    return {
        urn: state.urn,
        type: state.type,
        name: nameOfUrn(state.urn),
        props: readProps,
        outputs: readOutputs,
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
