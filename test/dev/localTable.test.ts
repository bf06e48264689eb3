import { strict as assert } from "node:assert";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { NEW_TICKET_FILTERS } from "../../programs/analysisStream";
import { startLocalTable, type LocalTable, type StreamDelivery } from "../../tools/dev/localTable";

const TICKET = { id: "5d7f3c1e-8a61-4a55-9b1f-2f7c0d1e4a10", owner: "alice", subject: "Refund", description: "Charged twice.", createdAt: "2026-11-30T20:00:00.000Z" };

/** A local table whose stream deliveries are recorded; `answer` decides each invocation's result. */
async function tableWithStream(filters: readonly object[], answer: (event: DynamoDBStreamEvent) => DynamoDBBatchResponse = () => ({ batchItemFailures: [] })) {
    const invocations: DynamoDBStreamEvent[] = [];
    const failures: string[] = [];
    const delivery: StreamDelivery = {
        filters,
        batchSize: 10,
        maximumRetryAttempts: 3,
        invoke: async (event) => {
            invocations.push(structuredClone(event));
            return answer(event);
        },
        onFailure: (message) => failures.push(message),
    };
    const table = await startLocalTable("tickets", "eu-west-1", delivery);
    const client = new DynamoDBClient({ endpoint: table.endpoint, region: "eu-west-1", credentials: { accessKeyId: "local", secretAccessKey: "local" }, maxAttempts: 1 });
    return { table, db: DynamoDBDocumentClient.from(client), client, invocations, failures };
}

describe("dev stream stand-in: the table's stream in front of dynalite", () => {
    let subject: Awaited<ReturnType<typeof tableWithStream>>;
    let table: LocalTable;
    afterEach(async () => {
        subject.client.destroy();
        await table.stop();
    });

    it("delivers a new ticket as DynamoDB Streams would (INSERT, keys, NEW_IMAGE) and leaves the write's answer as the caller asked", async () => {
        subject = await tableWithStream(NEW_TICKET_FILTERS);
        table = subject.table;
        const put = await subject.db.send(new PutCommand({ TableName: "tickets", Item: TICKET }));
        assert.equal(put.Attributes, undefined, "the stand-in's ALL_OLD is not passed to a caller that asked for nothing");
        await table.drained();
        assert.equal(subject.invocations.length, 1);
        const [record] = subject.invocations[0].Records;
        assert.equal(record.eventName, "INSERT");
        assert.equal(record.eventSource, "aws:dynamodb");
        assert.deepEqual(record.dynamodb?.Keys, { id: { S: TICKET.id } });
        assert.deepEqual(record.dynamodb?.NewImage?.owner, { S: "alice" });
        assert.equal(record.dynamodb?.StreamViewType, "NEW_IMAGE");
        assert.match(record.dynamodb?.SequenceNumber ?? "", /^\d+$/);
    });

    it("applies the program's filter: an idempotency record and the analysis update invoke nothing", async () => {
        subject = await tableWithStream(NEW_TICKET_FILTERS);
        table = subject.table;
        await subject.db.send(new PutCommand({ TableName: "tickets", Item: { id: "idempotency#abc", ticketId: TICKET.id, expiresAt: 1 } }));
        await subject.db.send(new PutCommand({ TableName: "tickets", Item: TICKET }));
        await subject.db.send(new UpdateCommand({ TableName: "tickets", Key: { id: TICKET.id }, UpdateExpression: "SET analysisVersion = :v", ExpressionAttributeValues: { ":v": 1 } }));
        await table.drained();
        assert.deepEqual(subject.invocations.flatMap((e) => e.Records.map((r) => [r.eventName, r.dynamodb?.Keys?.id?.S])), [["INSERT", TICKET.id]]);
    });

    it("emits MODIFY with the item read back, REMOVE without an image, and nothing for a write that changed nothing", async () => {
        subject = await tableWithStream([{}]);
        table = subject.table;
        await subject.db.send(new PutCommand({ TableName: "tickets", Item: TICKET }));
        await subject.db.send(new PutCommand({ TableName: "tickets", Item: TICKET }));
        await subject.db.send(new UpdateCommand({ TableName: "tickets", Key: { id: TICKET.id }, UpdateExpression: "SET #s = :s", ExpressionAttributeNames: { "#s": "subject" }, ExpressionAttributeValues: { ":s": "Refund please" } }));
        await subject.db.send(new DeleteCommand({ TableName: "tickets", Key: { id: TICKET.id } }));
        await subject.db.send(new DeleteCommand({ TableName: "tickets", Key: { id: TICKET.id } }));
        await table.drained();
        const records = subject.invocations.flatMap((e) => e.Records);
        assert.deepEqual(records.map((r) => r.eventName), ["INSERT", "MODIFY", "REMOVE"]);
        assert.deepEqual(records[1].dynamodb?.NewImage?.subject, { S: "Refund please" });
        assert.equal(records[1].dynamodb?.NewImage?.owner?.S, "alice", "the whole new item, not just the update");
        assert.equal(records[2].dynamodb?.NewImage, undefined);
        const sequence = records.map((r) => BigInt(r.dynamodb!.SequenceNumber!));
        assert.ok(sequence[0] < sequence[1] && sequence[1] < sequence[2], "sequence numbers increase");
    });

    it("retries a reported failure 3 times, then reports the record given up on and goes on with the next", async () => {
        subject = await tableWithStream([{}], (event) => ({
            batchItemFailures: event.Records.filter((r) => r.dynamodb?.Keys?.id?.S === "b").map((r) => ({ itemIdentifier: r.dynamodb!.SequenceNumber! })),
        }));
        table = subject.table;
        for (const id of ["a", "b", "c"]) {
            await subject.db.send(new PutCommand({ TableName: "tickets", Item: { id } }));
            await table.drained();
        }
        const batches = subject.invocations.map((e) => e.Records.map((r) => r.dynamodb?.Keys?.id?.S).join(""));
        assert.deepEqual(batches, ["a", "b", "b", "b", "b", "c"]);
        assert.equal(subject.failures.length, 1);
        assert.match(subject.failures[0], /^gave up on 1 record\(s\) after 4 attempts \(sequence \d+\.\.\d+\)$/);
    });
});
