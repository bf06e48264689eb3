// The tickets table of `npm run dev`: dynalite in-process, behind a small proxy that stands in for the table's
// DynamoDB stream. dynalite implements no Streams API (no StreamSpecification, no GetRecords), so the proxy watches
// the writes that reach it and emits the NEW_IMAGE records DynamoDB Streams would, and a poller delivers them to a
// handler the way the analysis event source mapping does: filtered, in order, in batches, with partial-batch
// failures retried a bounded number of times. It is a stand-in, not DynamoDB Streams (see README, `npm run dev`).

import { randomUUID } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { isDeepStrictEqual } from "node:util";
import { crc32 } from "node:zlib";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { ticketTableCreateInput } from "../../handlers/lib/ticketTable";
import { compileFilters } from "./eventFilter";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- dynalite ships no typings, so no typed import form exists
const dynalite = require("dynalite") as (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => http.Server;

type AttributeMap = Record<string, unknown>;

/** How the stand-in delivers records: the event source mapping's settings. */
export interface StreamDelivery {
    /** The mapping's filter patterns (programs/analysisStream.ts). */
    filters: readonly object[];
    /** Records per invocation. */
    batchSize: number;
    /** Retries of a failing record before its batch is given up on. */
    maximumRetryAttempts: number;
    /** The function the mapping invokes. */
    invoke: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;
    /** Where a batch given up on is reported (AWS sends its shard and sequence range to the on-failure queue). */
    onFailure: (message: string) => void;
}

export interface LocalTable {
    /** The endpoint the handlers' DynamoDB clients use (`AWS_ENDPOINT_URL_DYNAMODB`). */
    endpoint: string;
    tableName: string;
    region: string;
    /** Resolves once every record emitted so far was delivered or given up on. */
    drained(): Promise<void>;
    stop(): Promise<void>;
}

const KEY_NAMES = ticketTableCreateInput("x").KeySchema.map((k) => k.AttributeName);
const WRITES = new Set(["PutItem", "UpdateItem", "DeleteItem"]);
/** Writes the handlers never make; the proxy refuses them rather than let them pass without stream records. */
const UNSTREAMED_WRITES = new Set(["BatchWriteItem", "TransactWriteItems", "ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction"]);

/** Starts dynalite, creates the tickets table from its one definition, and the stream stand-in in front of it. */
export async function startLocalTable(tableName: string, region: string, delivery: StreamDelivery): Promise<LocalTable> {
    const { server: engine, port: enginePort } = await startDynalite();
    const stream = new StreamStandIn(tableName, region, delivery);
    const client = new DynamoDBClient({
        endpoint: `http://127.0.0.1:${enginePort}`,
        region,
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
        maxAttempts: 1,
    });

    // Writes go one at a time, so the image read before and after a write belongs to that write alone.
    let writes: Promise<unknown> = Promise.resolve();
    const proxy = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            const body = Buffer.concat(chunks);
            const operation = String(req.headers["x-amz-target"] ?? "").split(".")[1] ?? "";
            if (UNSTREAMED_WRITES.has(operation)) {
                res.writeHead(400, { "content-type": "application/x-amz-json-1.0" });
                res.end(JSON.stringify({ __type: "com.amazon.coral.validate#ValidationException", message: `npm run dev: ${operation} is not streamed by the local stand-in` }));
                return;
            }
            const forwardOnce = () => (WRITES.has(operation) ? stream.write(operation, body, (b) => forward(enginePort, req, b)) : forward(enginePort, req, body));
            const run = WRITES.has(operation) ? (writes = writes.then(forwardOnce, forwardOnce)) : forwardOnce();
            (run as Promise<Forwarded>).then(
                (answer) => {
                    res.writeHead(answer.status, answer.headers);
                    res.end(answer.body);
                },
                (error: Error) => {
                    res.writeHead(500, { "content-type": "application/x-amz-json-1.0" });
                    res.end(JSON.stringify({ __type: "com.amazonaws.dynamodb.v20120810#InternalServerError", message: error.message }));
                },
            );
        });
    });
    const proxyPort = await listen(proxy);
    stream.engine = (operation, input) => forward(enginePort, undefined, Buffer.from(JSON.stringify(input)), operation);

    await client.send(new CreateTableCommand(ticketTableCreateInput(tableName)));
    client.destroy();
    return {
        endpoint: `http://127.0.0.1:${proxyPort}`,
        tableName,
        region,
        drained: () => stream.drained(),
        stop: async () => {
            await stream.drained();
            proxy.closeAllConnections();
            await new Promise<void>((resolve) => proxy.close(() => resolve()));
            await new Promise<void>((resolve) => engine.close(() => resolve()));
        },
    };
}

interface Forwarded {
    status: number;
    headers: http.IncomingHttpHeaders;
    body: Buffer;
}

/**
 * dynalite on an ephemeral loopback port, its tables ACTIVE at once instead of after its simulated half second: the
 * engine under `npm run dev` and under the handler tests (test/support/dynamo.ts).
 */
export async function startDynalite(): Promise<{ server: http.Server; port: number }> {
    const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    return { server, port: await listen(server) };
}

function listen(server: http.Server): Promise<number> {
    return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
    });
}

/** Sends a DynamoDB JSON request to dynalite: the client's own request, or (without `req`) one of the stand-in's. */
function forward(port: number, req: http.IncomingMessage | undefined, body: Buffer, operation?: string): Promise<Forwarded> {
    const headers: http.OutgoingHttpHeaders = req
        ? { ...Object.fromEntries(Object.entries(req.headers).filter(([name]) => name !== "transfer-encoding")), "content-length": body.length }
        : {
              "content-type": "application/x-amz-json-1.0",
              "x-amz-target": `DynamoDB_20120810.${operation}`,
              // dynalite checks the header's form, not the signature.
              authorization: "AWS4-HMAC-SHA256 Credential=local/20000101/local/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0",
              "x-amz-date": "20000101T000000Z",
              "content-length": body.length,
          };
    return new Promise((resolve, reject) => {
        const out = http.request({ host: "127.0.0.1", port, method: req?.method ?? "POST", path: req?.url ?? "/", headers }, (answer) => {
            const chunks: Buffer[] = [];
            answer.on("data", (c: Buffer) => chunks.push(c));
            answer.on("end", () => resolve({ status: answer.statusCode ?? 500, headers: answer.headers, body: Buffer.concat(chunks) }));
            answer.on("error", reject);
        });
        out.on("error", reject);
        out.end(body);
    });
}

class StreamStandIn {
    engine!: (operation: string, input: object) => Promise<Forwarded>;
    private readonly matches: (record: unknown) => boolean;
    private readonly pending: DynamoDBRecord[] = [];
    private sequence = BigInt(Date.now()) * 1_000_000n;
    private delivering: Promise<void> | undefined;

    constructor(
        private readonly tableName: string,
        private readonly region: string,
        private readonly delivery: StreamDelivery,
    ) {
        this.matches = compileFilters(delivery.filters);
    }

    private get streamArn(): string {
        return `arn:aws:dynamodb:${this.region}:000000000000:table/${this.tableName}/stream/local`;
    }

    /**
     * Runs one write and emits its record. The write asks for the old item (`ReturnValues: ALL_OLD`, which the
     * handlers never set themselves; the answer then carries no `Attributes`, as they expect), and the new item is
     * read back strongly consistent, since NEW_IMAGE is what the table streams.
     */
    async write(operation: string, body: Buffer, send: (body: Buffer) => Promise<Forwarded>): Promise<Forwarded> {
        const input = JSON.parse(body.toString("utf8")) as { TableName?: string; ReturnValues?: string; Item?: AttributeMap; Key?: AttributeMap };
        if (input.TableName !== this.tableName || (input.ReturnValues !== undefined && input.ReturnValues !== "NONE")) {
            // Another table, or a caller that wants return values itself: passed through unstreamed.
            return send(body);
        }
        const answer = await send(Buffer.from(JSON.stringify({ ...input, ReturnValues: "ALL_OLD" })));
        if (answer.status !== 200) return answer;
        const parsed = JSON.parse(answer.body.toString("utf8")) as { Attributes?: AttributeMap };
        const oldImage = parsed.Attributes;
        delete parsed.Attributes;
        const key = input.Key ?? Object.fromEntries(KEY_NAMES.map((k) => [k, input.Item?.[k]]));
        let newImage: AttributeMap | undefined;
        if (operation === "PutItem") newImage = input.Item;
        else if (operation === "UpdateItem") {
            const read = await this.engine("GetItem", { TableName: this.tableName, Key: key, ConsistentRead: true });
            if (read.status !== 200) throw new Error(`the stream stand-in could not read the updated item back: ${read.body.toString("utf8")}`);
            newImage = (JSON.parse(read.body.toString("utf8")) as { Item?: AttributeMap }).Item;
        }
        // DynamoDB writes no record for a write that changed nothing.
        if (!(oldImage === undefined && newImage === undefined) && !isDeepStrictEqual(oldImage, newImage)) {
            this.emit(oldImage === undefined ? "INSERT" : newImage === undefined ? "REMOVE" : "MODIFY", key, newImage);
        }
        const rewritten = Buffer.from(JSON.stringify(parsed));
        // The SDK checks the body against DynamoDB's CRC32 header, so the shortened answer gets its own.
        const headers = { ...answer.headers, "content-length": String(rewritten.length), "x-amz-crc32": String(crc32(rewritten)) };
        return { ...answer, headers, body: rewritten };
    }

    private emit(eventName: "INSERT" | "MODIFY" | "REMOVE", keys: AttributeMap, newImage: AttributeMap | undefined): void {
        this.sequence += 1n;
        const record = {
            eventID: randomUUID().replace(/-/g, ""),
            eventName,
            eventVersion: "1.1",
            eventSource: "aws:dynamodb",
            awsRegion: this.region,
            dynamodb: {
                ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
                Keys: keys,
                ...(newImage ? { NewImage: newImage } : {}),
                SequenceNumber: this.sequence.toString(),
                SizeBytes: Buffer.byteLength(JSON.stringify(newImage ?? keys)),
                StreamViewType: "NEW_IMAGE",
            },
            eventSourceARN: this.streamArn,
        } as DynamoDBRecord;
        // Filtered before delivery, as the mapping filters: a dropped record never invokes the function.
        if (!this.matches(record)) return;
        this.pending.push(record);
        this.delivering ??= this.deliver().finally(() => (this.delivering = undefined));
    }

    async drained(): Promise<void> {
        while (this.delivering) await this.delivering;
    }

    private async deliver(): Promise<void> {
        // Let the write's answer go out first, as the stream is read after the write.
        await new Promise((resolve) => setImmediate(resolve));
        while (this.pending.length > 0) {
            let batch = this.pending.splice(0, this.delivery.batchSize);
            for (let attempt = 0; batch.length > 0; attempt++) {
                const failedFrom = await this.invoke(batch);
                if (failedFrom === undefined) break;
                batch = batch.slice(failedFrom);
                if (attempt >= this.delivery.maximumRetryAttempts) {
                    const first = batch[0].dynamodb?.SequenceNumber;
                    const last = batch[batch.length - 1].dynamodb?.SequenceNumber;
                    this.delivery.onFailure(`gave up on ${batch.length} record(s) after ${attempt + 1} attempts (sequence ${first}..${last})`);
                    break;
                }
            }
        }
    }

    /** The index of the first record to retry, or undefined when the batch succeeded. */
    private async invoke(batch: DynamoDBRecord[]): Promise<number | undefined> {
        try {
            const response = await this.delivery.invoke({ Records: batch });
            const failures = response?.batchItemFailures ?? [];
            if (failures.length === 0) return undefined;
            const indexes = failures.map((f) => batch.findIndex((r) => r.dynamodb?.SequenceNumber === f.itemIdentifier));
            // An identifier that names no record of the batch fails the whole batch, as Lambda treats it.
            return indexes.some((i) => i < 0) ? 0 : Math.min(...indexes);
        } catch {
            return 0;
        }
    }
}
