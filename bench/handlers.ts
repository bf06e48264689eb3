// Section 3: what each handler costs as shipped (bundle size, cold module load) and per request against a local
// DynamoDB engine, as a ratio to the bare SDK call it wraps.

import { execFileSync } from "child_process";
import { randomUUID } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { buildHandler } from "../components/function/bundle";
import { TEST_ENVIRONMENT } from "../test/handlers/support/lambdaEnvironment";
import { silentLogger, statusEvent, submitEvent } from "../test/handlers/support/apiEvents";
import { startLocalTicketTable } from "../test/support/dynamo";
import { createStatusHandler } from "../handlers/status";
import { createSubmitHandler } from "../handlers/submit";
import { median, percentile } from "./lib";

/** Where bundles are written for the load-time runs; inside the repo so `@aws-sdk/*` resolves as on Lambda. */
const OUT_DIR = path.join(__dirname, ".build");

export interface HandlerCost {
    name: string;
    bytes: number;
    loadMsMedian: number;
    /** The bundle's own load with the runtime-provided SDK modules it imports already loaded. */
    ownMsMedian?: number;
}

/**
 * Bundles with the build the functions ship (components/function/bundle.ts) and loads each bundle `runs` times, each
 * in a fresh `node` process that times only its own `require` of the bundle (the SDK it imports included, as in a
 * Lambda cold start's init), with the environment the handler needs at load.
 */
export function handlerCosts(names: string[], runs = 20): HandlerCost[] {
    fs.mkdirSync(OUT_DIR, { recursive: true });
    const costs: HandlerCost[] = names.map((name) => {
        const bundle = buildHandler(name);
        const file = path.join(OUT_DIR, `${name}.js`);
        fs.writeFileSync(file, bundle.code);
        // The modules the bundle leaves to the runtime: loaded first, untimed, for the bundle's own share.
        const external = [...new Set([...bundle.code.matchAll(/require\("(@aws-sdk\/[^"]+)"\)/g)].map((m) => m[1]))];
        return {
            name,
            bytes: Buffer.byteLength(bundle.code),
            loadMsMedian: medianLoad([file], runs),
            ownMsMedian: medianLoad([file], runs, external),
        };
    });
    // What the handlers import from the runtime's SDK, loaded alone: the part of a cold load no bundle change removes.
    const sdk = ["@aws-sdk/client-dynamodb", "@aws-sdk/lib-dynamodb"];
    costs.push({ name: "SDK alone (client-dynamodb + lib-dynamodb)", bytes: 0, loadMsMedian: medianLoad(sdk, runs) });
    return costs;
}

function medianLoad(modules: string[], runs: number, preload: string[] = []): number {
    const requires = (list: string[]) => list.map((m) => `require(${JSON.stringify(m)});`).join("");
    const probe = `${requires(preload)}const t=process.hrtime.bigint();${requires(modules)}process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
    const loads: number[] = [];
    for (let i = 0; i < runs; i++) {
        const out = execFileSync(process.execPath, ["-e", probe], {
            env: { PATH: process.env.PATH, NODE_NO_WARNINGS: "1", ...TEST_ENVIRONMENT, AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" },
            cwd: OUT_DIR,
        });
        loads.push(Number(out.toString()));
    }
    return median(loads);
}

export interface LatencyPair {
    name: string;
    p50: number;
    p99: number;
    bareP50: number;
    bareP99: number;
}

async function sample(count: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
    for (let i = 0; i < 50; i++) await fn(-1 - i); // warm-up
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
        const start = process.hrtime.bigint();
        await fn(i);
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    return times;
}

/**
 * submit and status called in-process (handler factories, silent logger) against dynalite,
 * each next to the bare DocumentClient call it makes (PutItem for submit, GetItem for status) on the same engine,
 * interleaved in rounds so drift in the machine hits both alike.
 */
export async function handlerLatency(count = 1000): Promise<LatencyPair[]> {
    const local = await startLocalTicketTable("bench-tickets");
    try {
        const deps = { db: local.db, tableName: local.tableName, logger: silentLogger() };
        const submit = createSubmitHandler(deps);
        const status = createStatusHandler(deps);
        const ticket = { subject: "Printer on fire", description: "The printer on floor 3 is on fire again.", priority: "high" };

        const created = await submit(submitEvent(ticket), {} as never);
        const id = JSON.parse((created as { body: string }).body).id as string;
        const item = await local.db.send(new GetCommand({ TableName: local.tableName, Key: { id } }));

        const submitTimes: number[] = [], putTimes: number[] = [], statusTimes: number[] = [], getTimes: number[] = [];
        const rounds = 10;
        for (let r = 0; r < rounds; r++) {
            submitTimes.push(...(await sample(count / rounds, () => submit(submitEvent(ticket), {} as never) as Promise<unknown>)));
            putTimes.push(...(await sample(count / rounds, () =>
                local.db.send(new PutCommand({
                    TableName: local.tableName,
                    Item: { ...item.Item, id: randomUUID() },
                    ConditionExpression: "attribute_not_exists(id)",
                })))));
            statusTimes.push(...(await sample(count / rounds, () => status(statusEvent(id), {} as never) as Promise<unknown>)));
            getTimes.push(...(await sample(count / rounds, () => local.db.send(new GetCommand({ TableName: local.tableName, Key: { id } })))));
        }
        const pair = (name: string, own: number[], bare: number[]): LatencyPair => ({
            name, p50: percentile(own, 50), p99: percentile(own, 99), bareP50: percentile(bare, 50), bareP99: percentile(bare, 99),
        });
        return [pair("submit", submitTimes, putTimes), pair("status", statusTimes, getTimes)];
    } finally {
        await local.stop();
    }
}
