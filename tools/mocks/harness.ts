import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import type { ReadResourceRequest, ReadResourceResponse, RegisterResourceRequest, RegisterResourceResponse } from "@pulumi/pulumi/proto/resource_pb";
import { deserializeProperties } from "@pulumi/pulumi/runtime/rpc";
import { parse as parseYaml } from "yaml";
import { MockEnvironment, mockCall, mockOutputs } from "./mocks";

// Internal to the SDK (stripped from its typings) but the only way to know every registration has finished.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- not in the typings, so no typed import form exists
const { waitForRPCs } = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs: () => Promise<void> };

// Under ts-node every formatted stack is source-mapped frame by frame, and the SDK formats one per registration
// (resource.js: a source position the mocks discard) and one per promise it wraps (runtime/debuggable.js: kept only
// for its promise-leak report). The harness gives both the error line alone, which makes runs ~2x faster (bench/);
// PULUMI_DEBUG_PROMISE_LEAKS=true keeps the leak report's stacks. Every other stack, test failures and program
// errors included, stays source-mapped.
const POSITION_CAPTURE = /[\\/]@pulumi[\\/]pulumi[\\/]resource\.js$/;
const PROMISE_CAPTURE = /[\\/]@pulumi[\\/]pulumi[\\/]runtime[\\/]debuggable\.js$/;
const keepLeakStacks = process.env.PULUMI_DEBUG_PROMISE_LEAKS === "true";
const mappedStacks = Error.prepareStackTrace;
if (mappedStacks) {
    Error.prepareStackTrace = (error, frames) => {
        const file = frames[0]?.getFileName() ?? "";
        if (POSITION_CAPTURE.test(file) || (!keepLeakStacks && PROMISE_CAPTURE.test(file))) return String(error);
        return mappedStacks(error, frames);
    };
}

/** The repository root (where Pulumi.yaml lives). */
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
const PROJECT = "swiftsupport";

/**
 * JSON of any shape that tests and reports read by path (`r.inputs.policy.Statement[0]`, a response body's
 * `error.code`): recorded engine values and parsed bodies. `unknown` would need a cast at each of ~150 such reads.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: values read by path
export type ReadByPath = any;

/** One resource as the engine would have seen it register. */
export interface RecordedResource {
    /** Full URN, parent type chain included. */
    urn: string;
    /** Type token, e.g. `aws:iam/role:Role`. */
    type: string;
    /** Logical name. */
    name: string;
    /** Parent URN, absent only for the stack itself. */
    parent?: string;
    /** True for provider resources, false for components. */
    custom: boolean;
    /** Physical id the mocks assigned (custom resources). */
    id?: string;
    /** Provider reference, when one was given explicitly. */
    provider?: string;
    /** Inputs as sent to the engine (Outputs resolved). */
    inputs: Record<string, ReadByPath>;
    /** Outputs as the mocks resolved them. */
    outputs: Record<string, ReadByPath>;
    /** URNs this resource depends on. */
    dependencies: string[];
    /** Per input property, the URNs its value came from. */
    propertyDependencies: Record<string, string[]>;
}

/** What a program run registered. */
export interface ProgramRun {
    /** Stack name. */
    stack: string;
    /** Every registered resource, in registration order (the stack resource first). */
    resources: RecordedResource[];
    /** Stack outputs. */
    outputs: Record<string, unknown>;
    /** Tokens of the provider functions (data sources) the program called, e.g. `aws:index/getRegion:getRegion`. */
    invokes: string[];
    /** Resources of one type. */
    ofType(type: string): RecordedResource[];
    /** The one resource of `type` named `name`; throws naming what exists when absent. */
    named(type: string, name: string): RecordedResource;
    /** Direct children of a resource. */
    childrenOf(urn: string): RecordedResource[];
}

/** How to run. */
export interface RunOptions {
    /** Stack whose `Pulumi.<stack>.yaml` supplies config; default `dev`. */
    stack?: string;
    /** Config overrides: `key` (project namespace implied) or `ns:key`, to plain values; `undefined` removes. */
    config?: Record<string, unknown>;
    /** The program to run; default the project's `index.ts`. */
    program?: () => unknown;
    /** Run as a preview (`pulumi.runtime.isDryRun()` true). */
    preview?: boolean;
    /** Called after each registration, e.g. for progress output. */
    onResource?: (resource: RecordedResource, count: number) => void;
    /**
     * Outputs of the stacks the program reads with `pulumi.StackReference`, by referenced stack name (e.g.
     * `acme/swiftsupport/dev`): what a real backend would return. Reading any other stack fails the run.
     */
    stackReferences?: Record<string, Record<string, unknown>>;
}

const STACK_REFERENCE = "pulumi:pulumi:StackReference";

/** The stack reference name part that names a stack file: `acme/swiftsupport/dev` -> `dev`. */
export const stackOfReference = (name: string) => name.split("/").pop()!;

/** Thrown when the program fails; carries what was registered before the failure. */
export class ProgramFailed extends Error {
    constructor(public readonly cause: unknown, public readonly resources: RecordedResource[]) {
        super(cause instanceof Error ? cause.message : String(cause));
        this.name = "ProgramFailed";
    }
}

/**
 * The stack's config as the CLI would hand it to the program: Pulumi.yaml's declared defaults, overlaid by
 * `Pulumi.<stack>.yaml`, keys fully qualified (`swiftsupport:users`), values plain.
 */
export function loadStackConfig(stack: string, root = PROJECT_ROOT): Record<string, unknown> {
    const project = parseYaml(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) ?? {};
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) throw new Error(`no stack config ${file}`);
    const stackConfig = parseYaml(fs.readFileSync(file, "utf8"))?.config ?? {};
    const result: Record<string, unknown> = {};
    for (const [key, decl] of Object.entries<unknown>(project.config ?? {})) {
        const full = key.includes(":") ? key : `${project.name}:${key}`;
        if (decl !== null && typeof decl === "object" && !Array.isArray(decl)) {
            if ("default" in decl) result[full] = decl.default;
            else if ("value" in decl) result[full] = decl.value;
        } else {
            result[full] = decl;
        }
    }
    for (const [key, value] of Object.entries(stackConfig)) result[key.includes(":") ? key : `${PROJECT}:${key}`] = value;
    return result;
}

/** The engine's wire form: strings stay, everything else is JSON. */
const wire = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/** What a registration and a read both say of the resource: who it is, where it sits, what it came from. */
function requested(req: RegisterResourceRequest | ReadResourceRequest) {
    return {
        type: req.getType(),
        name: req.getName(),
        parent: req.getParent() || undefined,
        provider: req.getProvider() || undefined,
        dependencies: req.getDependenciesList(),
    };
}

/** Records every registration with its parent and dependencies, which the stock mock monitor drops. */
class RecordingMonitor extends MockMonitor {
    readonly recorded: RecordedResource[] = [];

    constructor(mocks: pulumi.runtime.Mocks, private readonly onResource?: RunOptions["onResource"]) {
        super(mocks);
    }

    private keep(record: RecordedResource): void {
        this.recorded.push(record);
        this.onResource?.(record, this.recorded.length);
    }

    async registerResource(req: RegisterResourceRequest, callback: (err: unknown, response: RegisterResourceResponse | undefined) => void): Promise<void> {
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((deps, key) => {
            propertyDependencies[key] = deps.getUrnsList();
        });
        const inputs = deserializeProperties(req.getObject()!);
        return super.registerResource(req, (err, response) => {
            if (!err && response) {
                this.keep({
                    ...requested(req),
                    urn: response.getUrn(),
                    custom: req.getCustom(),
                    id: response.getId() || undefined,
                    inputs,
                    outputs: deserializeProperties(response.getObject()),
                    propertyDependencies,
                });
            }
            callback(err, response);
        });
    }

    /** Reads (a StackReference is one) are recorded too: `pulumi preview` shows them as `read`. */
    async readResource(req: ReadResourceRequest, callback: (err: unknown, response: ReadResourceResponse | undefined) => void): Promise<void> {
        const inputs = deserializeProperties(req.getProperties()!);
        return super.readResource(req, (err, response) => {
            if (!err && response) {
                this.keep({
                    ...requested(req),
                    urn: response.getUrn(),
                    custom: true,
                    id: req.getId() || undefined,
                    inputs,
                    outputs: deserializeProperties(response.getProperties()),
                    propertyDependencies: {},
                });
            }
            callback(err, response);
        });
    }
}

/** Answers a StackReference read the way the engine does: the referenced stack's outputs, none of them secret. */
function stackReference(args: pulumi.runtime.MockResourceArgs, known: RunOptions["stackReferences"]) {
    const name = String(args.inputs.name ?? args.name);
    const outputs = known?.[name];
    if (outputs === undefined) {
        const have = Object.keys(known ?? {});
        throw new Error(`mocks: no outputs for stack reference "${name}" (known: ${have.join(", ") || "none"}); run that stack first`);
    }
    return { id: name, state: { name, outputs, secretOutputNames: [] } };
}

let running = false;

/**
 * Runs a Pulumi program on runtime mocks with a stack's config and returns every registered resource and the stack
 * outputs. One harness serves the tests, the offline plan and the benchmarks.
 */
export async function runProgram(options: RunOptions = {}): Promise<ProgramRun> {
    if (running) throw new Error("runProgram: one program at a time (the Pulumi runtime is process-global)");
    running = true;
    const stack = options.stack ?? "dev";
    try {
        const config = loadStackConfig(stack);
        for (const [key, value] of Object.entries(options.config ?? {})) {
            const full = key.includes(":") ? key : `${PROJECT}:${key}`;
            if (value === undefined) delete config[full];
            else config[full] = value;
        }
        const env: MockEnvironment = {
            // The org stack has no accountId of its own: it deploys into the Identity Center administrator account.
            accountId: String(config[`${PROJECT}:accountId`] || "123456789012"),
            region: String(config["aws:region"] ?? "us-east-1"),
            ssoInstanceArn: "arn:aws:sso:::instance/ssoins-72230000mock0001",
            identityStoreId: "d-90670000a1",
        };
        const invokes = new Set<string>();
        const monitor = new RecordingMonitor(
            {
                newResource: (args) => (args.type === STACK_REFERENCE ? stackReference(args, options.stackReferences) : mockOutputs(args, env)),
                call: (args) => {
                    invokes.add(args.token);
                    return mockCall(args, env);
                },
            },
            options.onResource,
        );
        pulumi.runtime.setMockOptions(monitor, PROJECT, stack, options.preview ?? false);
        pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(config).map(([k, v]) => [k, wire(v)])));
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- index.ts is loaded at run time, after the mocks are set, by a computed path
        const program = options.program ?? (() => require(path.join(PROJECT_ROOT, "index.ts"))());
        // An error thrown inside an Output's apply surfaces only as an unhandled rejection; the CLI fails the
        // deployment on it, so the harness fails the run too instead of returning a silently partial stack.
        const rejections: unknown[] = [];
        const onRejection = (reason: unknown) => rejections.push(reason);
        process.on("unhandledRejection", onRejection);
        let outputs: Record<string, unknown>;
        try {
            outputs = ((await pulumi.runtime.runInPulumiStack(async () => program())) ?? {}) as Record<string, unknown>;
            await waitForRPCs();
            // Rejections are reported after the microtask queue drains.
            await new Promise((resolve) => setImmediate(resolve));
            if (rejections.length > 0) throw rejections[0];
        } catch (e) {
            await waitForRPCs().catch(() => undefined);
            // The failure also rejects the SDK's own promises (the stack's outputs); let those surface while the
            // listener still collects them, or Node reports them as a crash after the run has already failed.
            await new Promise((resolve) => setImmediate(resolve));
            throw new ProgramFailed(e, monitor.recorded);
        } finally {
            process.off("unhandledRejection", onRejection);
        }
        return makeRun(stack, monitor.recorded, outputs, [...invokes].sort());
    } finally {
        running = false;
    }
}

function makeRun(stack: string, resources: RecordedResource[], outputs: Record<string, unknown>, invokes: string[]): ProgramRun {
    const byType = new Map<string, RecordedResource[]>();
    const byParent = new Map<string, RecordedResource[]>();
    const add = (map: Map<string, RecordedResource[]>, key: string, r: RecordedResource) => {
        const list = map.get(key);
        if (list) list.push(r);
        else map.set(key, [r]);
    };
    for (const r of resources) {
        add(byType, r.type, r);
        if (r.parent) add(byParent, r.parent, r);
    }
    return {
        stack,
        resources,
        outputs,
        invokes,
        ofType: (type) => byType.get(type) ?? [],
        childrenOf: (urn) => byParent.get(urn) ?? [],
        named(type, name) {
            const found = (byType.get(type) ?? []).filter((r) => r.name === name);
            if (found.length !== 1) {
                const names = (byType.get(type) ?? []).map((r) => r.name).join(", ") || "none";
                throw new Error(`expected one ${type} named ${name}, found ${found.length} (names: ${names})`);
            }
            return found[0];
        },
    };
}
