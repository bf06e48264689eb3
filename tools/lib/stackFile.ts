// Reads what `check` is given: a `pulumi stack export` (deployment version 3 or 4), a local backend's checkpoint file
// (`{"version":3,"checkpoint":{"latest":...}}`) or a `pulumi preview --json`, into the runner's resource shape.
// What the pack judges:
//  - an export or checkpoint holds what is deployed: each resource's outputs, with its inputs standing in for any
//    output the file leaves out (after a refresh the outputs can differ from the inputs: the outputs are the truth);
//  - a preview: each step's new inputs for resource policies (as the CLI's Analyze), and for stack policies its
//    outputs over those inputs; a "same" step carries no outputs, so the old state's outputs stand in.
// Resources read with `.get()` (`external` in a state, op `read` in a preview) are not the stack's: the engine keeps
// them out of policy analysis (step_executor.go records them in `reads`, not `news`), and so does `check`.
// Secrets are unwrapped to their plaintext; an encrypted one (`ciphertext`) cannot be read without the stack's key,
// so it becomes UNREADABLE_SECRET, the string `pulumi preview --json` already prints for a secret. A resource
// reference becomes its id (its URN for a component), an output value its value (unknown when it has none); any
// other special value the pack could not read is an error naming where it is.

import * as fs from "fs";
import { UNREADABLE_SECRET } from "../../policypack/lib/iamDocumentSources";
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
/** A string that is not valid UTF-8, base64 in `value` (deployment version 4, feature "byteString"). */
const BYTE_STRING_SIG = "803fd3297a5875dc03ca845dda5d2a98";
/** A NaN or infinite number, its IEEE bits in hex in `value` (pkg/resource/stack/deployment.go). */
const FLOAT_SIG = "8ad145fe-0d11-4827-bfd7-1abcbf086f5c";

/**
 * The deployment versions whose resource shape (apitype.ResourceV3) this reader knows: 3, and 4, which the CLI
 * writes when a state uses a newer feature (taint, views, hooks, byte strings, ...) in the same resource shape.
 */
const SUPPORTED_DEPLOYMENT_VERSIONS: readonly unknown[] = [3, 4];

/** Preview steps whose new state will not exist after the update. */
const SKIPPED_OPS = new Set<unknown>(["delete", "delete-replaced", "discard", "discard-replaced", "remove-pending-replace"]);
/** Preview steps that read a resource the stack does not manage (`.get()`). */
const READ_OPS = new Set<unknown>(["read", "read-replacement"]);

export interface StackFile {
    /** Where the resources came from, for the report. */
    format: "stack export" | "checkpoint" | "preview";
    /** Stack name from the stack resource's URN (`urn:pulumi:<stack>::...`), when present. */
    stack?: string;
    resources: RunnerResource[];
    /** URN -> the resource's `arn` (from outputs, else inputs), to name the resources IAM statements reach. */
    arns: Map<string, string>;
    /** Resources read with `.get()`, left out of `resources`. */
    external: number;
    /** Custom resources besides providers: what policies judge (components only group them). */
    checkable: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

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
                return UNREADABLE_SECRET;
            case RESOURCE_SIG:
                if (typeof value.id === "string" && value.id !== "") return value.id;
                if (typeof value.urn === "string") return value.urn;
                throw new StackFileError(`${where} is a resource reference without "urn"`);
            case BYTE_STRING_SIG:
                if (typeof value.value === "string") return Buffer.from(value.value, "base64").toString("latin1");
                throw new StackFileError(`${where} is a byte string without "value"`);
            case FLOAT_SIG:
                if (typeof value.value === "string" && /^[0-9a-f]{16}$/i.test(value.value)) return Buffer.from(value.value, "hex").readDoubleBE(0);
                throw new StackFileError(`${where} is a float without a 16-digit hex "value"`);
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
                throw new StackFileError(`${where} has an unknown special-value signature ${shown(sig)}`);
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

/** A value for a one-line message: JSON, cut short, with anything unprintable escaped (never echo binary junk). */
export function shown(v: unknown, max = 40): string {
    let text: string;
    try {
        text = JSON.stringify(v) ?? String(v);
    } catch {
        text = String(v);
    }
    text = text.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
    return text.length > max ? `${text.slice(0, max)}...` : text;
}

/** How a state's properties are read: what is deployed (an export), or what a preview step will apply. */
type Reading = { kind: "deployed" } | { kind: "preview"; oldOutputs?: Record<string, unknown> };

/** One resource state (apitype.ResourceV3) as the runner takes it; `where` names it in errors. */
function fromState(state: unknown, where: string, arns: Map<string, string>, reading: Reading): RunnerResource {
    if (!isObject(state) || typeof state.urn !== "string" || typeof state.type !== "string") {
        throw new StackFileError(`${where} has no "urn" and "type": not a Pulumi resource state`);
    }
    const inputs = isObject(state.inputs) ? state.inputs : {};
    const given = isObject(state.outputs) && Object.keys(state.outputs).length > 0 ? state.outputs : undefined;
    const outputs = given ?? (reading.kind === "preview" ? reading.oldOutputs : undefined) ?? {};
    const arn = outputs.arn ?? inputs.arn;
    if (typeof arn === "string") arns.set(state.urn, arn);
    const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
    const propertyDependencies: Record<string, string[]> = {};
    if (isObject(state.propertyDependencies)) {
        for (const [k, v] of Object.entries(state.propertyDependencies)) propertyDependencies[k] = strings(v);
    }
    const readInputs = unwrapSecrets(inputs, `${where}.inputs`) as Record<string, unknown>;
    const readOutputs = unwrapSecrets(outputs, `${where}.${given ? "outputs" : "(old outputs)"}`) as Record<string, unknown>;
    const merged = Object.keys(readOutputs).length ? { ...readInputs, ...readOutputs } : readInputs;
    // A preview's resource policies judge the new inputs (the CLI's Analyze does); a state's, what is deployed.
    const props = reading.kind === "preview" && Object.keys(readInputs).length ? readInputs : merged;
    return {
        urn: state.urn,
        type: state.type,
        name: nameOfUrn(state.urn),
        props,
        outputs: merged,
        ...(typeof state.parent === "string" && state.parent ? { parent: state.parent } : {}),
        dependencies: strings(state.dependencies),
        propertyDependencies,
        ...(typeof state.provider === "string" && state.provider ? { provider: state.provider } : {}),
        ...(state.protect === true ? { opts: { protect: true } } : {}),
    };
}

/** A cloud resource, not the stack, a provider or a component (`custom: false`; a hand-made file may omit it). */
const isCheckable = (state: Record<string, unknown>) =>
    state.custom === true || (state.custom === undefined && typeof state.type === "string" && !state.type.startsWith("pulumi:"));

/** A state the stack does not manage: read with `.get()`. */
const isExternal = (state: unknown) => isObject(state) && state.external === true;

/** The resources of a deployment (an export's `deployment`, a checkpoint's `latest`). */
function fromDeployment(deployment: Record<string, unknown>, where: string, format: StackFile["format"]): StackFile {
    const list = deployment.resources ?? [];
    if (!Array.isArray(list)) throw new StackFileError(`${where}.resources is not a list`);
    const arns = new Map<string, string>();
    let external = 0;
    let checkable = 0;
    const resources: RunnerResource[] = [];
    list.forEach((r: unknown, i: number) => {
        // A resource pending deletion (`delete: true`) is an old copy awaiting replacement, not part of the stack.
        if (isObject(r) && r.delete === true) return;
        if (isExternal(r)) {
            external++;
            return;
        }
        resources.push(fromState(r, `${where}.resources[${i}]`, arns, { kind: "deployed" }));
        if (isCheckable(r as Record<string, unknown>) && !resources[resources.length - 1].type.startsWith("pulumi:providers:")) checkable++;
    });
    return { format, stack: stackOf(resources), resources, arns, external, checkable };
}

function checkVersion(doc: Record<string, unknown>, what: string): void {
    if (!SUPPORTED_DEPLOYMENT_VERSIONS.includes(doc.version)) {
        throw new StackFileError(
            `unsupported ${what} version ${shown(doc.version)}: only deployment versions ${SUPPORTED_DEPLOYMENT_VERSIONS.join(" and ")} ` +
                "(what `pulumi stack export` writes) are supported",
        );
    }
}

function fromExport(doc: Record<string, unknown>): StackFile {
    checkVersion(doc, "stack export");
    if (!isObject(doc.deployment)) throw new StackFileError(`stack export has no "deployment" object`);
    return fromDeployment(doc.deployment, "deployment", "stack export");
}

/** A local backend's file (`~/.pulumi/stacks/<project>/<stack>.json`): the deployment is `checkpoint.latest`. */
function fromCheckpoint(doc: Record<string, unknown>): StackFile {
    checkVersion(doc, "checkpoint");
    if (!isObject(doc.checkpoint)) throw new StackFileError(`checkpoint is not an object`);
    const latest = doc.checkpoint.latest;
    if (latest === undefined || latest === null) return { format: "checkpoint", resources: [], arns: new Map(), external: 0, checkable: 0 };
    if (!isObject(latest)) throw new StackFileError(`checkpoint.latest is not an object`);
    return fromDeployment(latest, "checkpoint.latest", "checkpoint");
}

function fromPreview(doc: Record<string, unknown>): StackFile {
    const steps = doc.steps as unknown[]; // the caller checked it is an array
    const resources: RunnerResource[] = [];
    const arns = new Map<string, string>();
    let external = 0;
    let checkable = 0;
    const seen = new Set<string>();
    steps.forEach((step, i) => {
        if (!isObject(step)) throw new StackFileError(`steps[${i}] is not an object`);
        if (SKIPPED_OPS.has(step.op)) return;
        if (READ_OPS.has(step.op) || isExternal(step.newState)) {
            external++;
            return;
        }
        // A "same" step may carry only the old state: the resource stays as it is.
        const newState = isObject(step.newState) ? step.newState : step.op === "same" && isObject(step.oldState) ? step.oldState : undefined;
        if (!newState) return;
        // A replacement shows as create-replacement then replace, each with the new state: judge it once.
        if (typeof newState.urn === "string" && seen.has(newState.urn)) return;
        if (typeof newState.urn === "string") seen.add(newState.urn);
        const oldOutputs = isObject(step.oldState) && isObject(step.oldState.outputs) ? step.oldState.outputs : undefined;
        resources.push(fromState(newState, `steps[${i}].${newState === step.newState ? "newState" : "oldState"}`, arns, { kind: "preview", oldOutputs }));
        if (isCheckable(newState) && !String(newState.type).startsWith("pulumi:providers:")) checkable++;
    });
    return { format: "preview", stack: stackOf(resources), resources, arns, external, checkable };
}

function stackOf(resources: RunnerResource[]): string | undefined {
    const stack = resources.find((r) => r.type === "pulumi:pulumi:Stack") ?? resources[0];
    return stack ? stackOfUrn(stack.urn) : undefined;
}

/** Parses an already-read document; throws StackFileError for an unknown shape. */
export function parseStackDocument(doc: unknown): StackFile {
    if (isObject(doc) && "deployment" in doc) return fromExport(doc);
    if (isObject(doc) && "checkpoint" in doc) return fromCheckpoint(doc);
    if (isObject(doc) && Array.isArray(doc.steps)) return fromPreview(doc);
    throw new StackFileError(
        "not a `pulumi stack export` (no \"version\" and \"deployment\"), a local backend checkpoint (no \"checkpoint\") " +
            "nor a `pulumi preview --json` (no \"steps\" list)",
    );
}

/**
 * The text of a file's bytes: UTF-8 (a byte-order mark is allowed), or UTF-16 with its byte-order mark (what
 * Windows PowerShell's `>` writes); never binary.
 */
function decode(bytes: Buffer, file: string): string {
    const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe ? "le" : bytes[0] === 0xfe && bytes[1] === 0xff ? "be" : undefined;
    if (utf16) {
        const body = Buffer.from(bytes.subarray(2));
        if (body.length % 2) throw new StackFileError(`${file}: not UTF-16 text (an odd number of bytes); expected JSON`);
        if (utf16 === "be") body.swap16();
        const text = body.toString("utf16le");
        if (text.includes("\u0000")) throw new StackFileError(`${file}: not a text file (it holds NUL characters); expected JSON`);
        return text;
    }
    if (bytes.includes(0)) throw new StackFileError(`${file}: not a text file (it holds NUL bytes); expected JSON`);
    let text: string;
    try {
        text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch {
        throw new StackFileError(`${file}: not UTF-8 text; expected JSON`);
    }
    return text;
}

/** JSON.parse's error without the input it quotes (V8 echoes the text, which may be anything). */
export function jsonError(e: Error): string {
    const position = /position (\d+)/.exec(e.message)?.[1];
    if (/Unexpected end of JSON input/.test(e.message)) return "it ends before the JSON does";
    return position !== undefined ? `unexpected character at position ${position}` : "not valid JSON";
}

/** Reads and parses `file`; every failure is a StackFileError naming the file. A file with nothing to check is one too. */
export function readStackFile(file: string): StackFile {
    let bytes: Buffer;
    try {
        bytes = fs.readFileSync(file);
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new StackFileError(code === "ENOENT" ? `${file}: no such file` : `${file}: cannot read (${code ?? (e as Error).message})`);
    }
    const text = decode(bytes, file);
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (e) {
        throw new StackFileError(`${file}: invalid JSON (${jsonError(e as Error)})`);
    }
    let parsed: StackFile;
    try {
        parsed = parseStackDocument(doc);
    } catch (e) {
        if (e instanceof StackFileError) throw new StackFileError(`${file}: ${e.message}`);
        throw e;
    }
    if (parsed.checkable === 0) {
        const read = parsed.external ? ` (${parsed.external} read with .get(), which the stack does not manage)` : "";
        throw new StackFileError(`${file}: nothing to check: the ${parsed.format} has no resources besides the stack, its providers ` +
            `and components${read}`);
    }
    return parsed;
}
