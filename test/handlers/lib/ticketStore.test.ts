import { strict as assert } from "node:assert";
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { header } from "../../../handlers/lib/httpHeader";
import { claimIdempotencyKey, readIdempotencyRecord } from "../../../handlers/lib/idempotency";
import { conditional, getTicket } from "../../../handlers/lib/ticketStore";
import { startLocalTicketTable, type LocalTicketTable } from "../../support/dynamo";

describe("ticket store and idempotency records", () => {
    let table: LocalTicketTable;
    /** The table behind a client that records every command's input. */
    const recording = () => {
        const sent: { command: string; input: Record<string, unknown> }[] = [];
        const db = {
            send: (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
                sent.push({ command: command.constructor.name, input: command.input });
                return table.db.send(command as never);
            },
        } as unknown as DynamoDBDocumentClient;
        return { db, sent };
    };

    before(async () => {
        table = await startLocalTicketTable();
    });
    after(async () => {
        await table.stop();
    });

    it("reads tickets and idempotency records strongly consistent, so a write is visible to the next request", async () => {
        const { db, sent } = recording();
        await getTicket({ db, tableName: table.tableName }, "6f1d2c3b-4a59-4e7f-8d9c-0b1a2c3d4e5f");
        await readIdempotencyRecord({ db, tableName: table.tableName }, "idempotency#x", 0);
        assert.deepEqual(sent.map((s) => [s.command, s.input.ConsistentRead]), [["GetCommand", true], ["GetCommand", true]]);
    });

    it("treats an idempotency record as gone from the second it expires", async () => {
        const record = { id: "idempotency#expiring", ticketId: "t", requestHash: "h", expiresAt: 1000 };
        await table.db.send(new PutCommand({ TableName: table.tableName, Item: record }));
        const access = { db: table.db, tableName: table.tableName };
        assert.deepEqual(await readIdempotencyRecord(access, record.id, 999), record);
        assert.equal(await readIdempotencyRecord(access, record.id, 1000), undefined);
        assert.equal(await readIdempotencyRecord(access, "idempotency#absent", 0), undefined);
        // And a claim may take it over from then on, but not a second before.
        assert.equal(await claimIdempotencyKey(access, { ...record, ticketId: "u", expiresAt: 2000 }, 999), "condition-failed");
        assert.equal(await claimIdempotencyKey(access, { ...record, ticketId: "u", expiresAt: 2000 }, 1000), "written");
        assert.equal((await table.db.send(new GetCommand({ TableName: table.tableName, Key: { id: record.id } }))).Item?.ticketId, "u");
    });

    it("turns only a failed condition into an outcome; every other failure propagates", async () => {
        const failed = Object.assign(new Error("The conditional request failed"), { name: "ConditionalCheckFailedException" });
        assert.equal(await conditional(() => Promise.reject(failed)), "condition-failed");
        assert.equal(await conditional(() => Promise.resolve({})), "written");
        const throttled = Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
        await assert.rejects(conditional(() => Promise.reject(throttled)), throttled);
    });

    it("finds a header whatever the case of its name, and nothing without headers", () => {
        assert.equal(header({ "Content-Type": "application/json" }, "content-type"), "application/json");
        assert.equal(header({ "x-other": "1", "IDEMPOTENCY-KEY": "k" }, "Idempotency-Key"), "k");
        assert.equal(header({ "x-other": "1" }, "content-type"), undefined);
        assert.equal(header(undefined, "content-type"), undefined);
    });
});
