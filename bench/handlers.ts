// Section 3: what each handler costs per request against a local DynamoDB engine, as a ratio to the bare SDK call it
// wraps (bundle size and cold load: bench/coldLoad.ts).

import { randomUUID } from "crypto";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { silentLogger, statusEvent, submitEvent } from "../test/handlers/support/apiEvents";
import { startLocalTicketTable } from "../test/support/dynamo";
import { createStatusHandler } from "../handlers/status";
import { createSubmitHandler } from "../handlers/submit";
import { percentile } from "./lib";

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
