// Section 1: the program on the mocks harness against the framework floor, and how plan time grows.

import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { HardenedFunction } from "../components/function/hardenedFunction";
import { SecureHttpApi } from "../components/api/secureHttpApi";
import { TicketsTable } from "../components/data/ticketsTable";
import { PermissionsBoundary, kmsDecrypt, tableGetItem, workloadActions } from "../components/iam";
import { loadPlatformConfig } from "../config/load";
import { loadStackConfig, RecordedResource, runProgram, stackOfReference } from "../tools/mocks/harness";
import { msSince } from "./lib";

// Internal to the SDK (stripped from its typings), as in the harness: resolves once every registration has been answered.
const { waitForRPCs } = settings as unknown as { waitForRPCs: () => Promise<void> };

/** The most trivial custom resource: no properties of its own. */
class Thing extends pulumi.CustomResource {
    constructor(name: string, index: number) {
        super("bench:index:Thing", name, { index });
    }
}

/** Bare `@pulumi/pulumi` mocks registering `count` trivial custom resources: the framework's floor. */
export async function floorMs(count: number): Promise<number> {
    pulumi.runtime.setMocks(
        { newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }), call: (args) => args.inputs },
        "floor",
        "dev",
        false,
    );
    const start = process.hrtime.bigint();
    await pulumi.runtime.runInPulumiStack(async () => {
        for (let i = 0; i < count; i++) new Thing(`thing-${i}`, i);
    });
    await waitForRPCs();
    return msSince(start);
}

/** A resource of any type with given inputs, to replay what the program registered. */
class Replayed extends pulumi.CustomResource {
    constructor(type: string, name: string, inputs: Record<string, unknown>) {
        super(type, name, inputs);
    }
}

/**
 * The same count of trivial resources, but through the project's harness (recording monitor, stack config): what the
 * harness itself adds over bare mocks.
 */
export async function harnessFloorMs(count: number): Promise<number> {
    const start = process.hrtime.bigint();
    await runProgram({ stack: "dev", program: () => {
        for (let i = 0; i < count; i++) new Thing(`thing-${i}`, i);
    } });
    return msSince(start);
}

/**
 * The program's own resources replayed through the harness with their recorded inputs as plain values (no Outputs,
 * no components' logic): what registering inputs of that size costs, apart from building them.
 */
export async function replayMs(resources: RecordedResource[]): Promise<number> {
    const start = process.hrtime.bigint();
    await runProgram({ stack: "dev", program: () => {
        for (const r of resources) {
            if (r.type !== "pulumi:pulumi:Stack") new Replayed(r.type, r.name, r.inputs);
        }
    } });
    return msSince(start);
}

export interface PlanRun {
    label: string;
    resources: number;
    ms: number;
    /** What the run registered (kept for the replay measurement). */
    recorded: RecordedResource[];
}

/** The project's program (index.ts) on the harness, with config overrides. */
export async function programRun(label: string, config: Record<string, unknown> = {}): Promise<PlanRun> {
    const start = process.hrtime.bigint();
    const run = await runProgram({ stack: "dev", config });
    return { label, resources: run.resources.length, ms: msSince(start), recorded: run.resources };
}

/** Outputs of each environment's workload stack, run once: what the org stack's StackReferences read. */
let references: Record<string, Record<string, unknown>> | undefined;

/** The org stack (people in Identity Center) on the harness with `users` in place of Pulumi.org.yaml's. */
export async function orgRun(label: string, users: unknown[]): Promise<PlanRun> {
    if (!references) {
        references = {};
        for (const env of loadStackConfig("org")["swiftsupport:environments"] as { stack: string }[]) {
            references[env.stack] = (await runProgram({ stack: stackOfReference(env.stack) })).outputs;
        }
    }
    const start = process.hrtime.bigint();
    const run = await runProgram({ stack: "org", config: { users }, stackReferences: references });
    return { label, resources: run.resources.length, ms: msSince(start), recorded: run.resources };
}

/** `count` generated users, spread over the org stack's groups (the rest of the identity config unchanged). */
export function generatedUsers(count: number): unknown[] {
    const groups = loadStackConfig("org")["swiftsupport:groups"] as { name: string }[];
    return Array.from({ length: count }, (_, i) => ({
        userName: `user${i}`,
        displayName: `User ${i}`,
        givenName: "User",
        familyName: `Number${i}`,
        email: `user${i}@swiftsupport.example`,
        groups: [groups[i % groups.length].name],
    }));
}

/**
 * index.ts has exactly three functions, so the function series runs this generated program: the serverless wiring
 * of index.ts (boundary, tickets table, API) with `count` HardenedFunctions, each with a table grant and its own JWT
 * route. It scales what functions bring: roles, policies, log groups, queues, integrations, routes, permissions.
 */
export function functionsProgram(count: number): () => unknown {
    return () => {
        const config = loadPlatformConfig();
        const boundary = new PermissionsBoundary("workloads", { audience: "workloads", actions: workloadActions() });
        const tickets = new TicketsTable("tickets", { deletionProtection: config.deletionProtection });
        const api = new SecureHttpApi("api", {
            jwtIssuer: config.auth0Issuer,
            jwtAudience: config.auth0Audience,
            siteOrigins: config.siteOrigins,
            throttleBurst: config.apiThrottleBurst,
            throttleRate: config.apiThrottleRate,
            logRetentionDays: config.logRetentionDays,
        });
        for (let i = 0; i < count; i++) {
            const fn = new HardenedFunction(`fn${i}`, {
                handler: "status",
                grants: [tableGetItem(tickets.arn), kmsDecrypt(tickets.keyArn, tickets.kmsViaService)],
                permissionsBoundary: boundary.arn,
                logRetentionDays: config.logRetentionDays,
                memoryMb: config.functionMemoryMb,
                timeoutSeconds: config.functionTimeoutSeconds,
                environment: { TABLE_NAME: tickets.name },
            });
            api.addRoute({ method: "GET", path: `/items${i}/{id}`, target: fn, authorization: "JWT" });
        }
        return { endpoint: api.endpoint };
    };
}

export async function functionsRun(count: number): Promise<PlanRun> {
    const start = process.hrtime.bigint();
    const run = await runProgram({ stack: "dev", program: functionsProgram(count) });
    return { label: `${count} functions`, resources: run.resources.length, ms: msSince(start), recorded: run.resources };
}
