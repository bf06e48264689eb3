import "./support/lambdaEnvironment";
import { strict as assert } from "node:assert";
import { Logger } from "@aws-lambda-powertools/logger";
import { GetCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { IDEMPOTENCY_TTL_SECONDS, idempotencyRecordId } from "../../handlers/lib/idempotency";
import { createSubmitHandler, MAX_BODY_BYTES, type SubmitDependencies } from "../../handlers/submit";
import { startLocalTicketTable, type LocalTicketTable } from "../support/dynamo";
import { asUser, readResponse, silentLogger, submitEvent } from "./support/apiEvents";
import { captureLogs, logRecords } from "./support/capturedLogs";
import { loadColdStart } from "./support/lambdaEnvironment";

const SUBMIT_MODULE = require.resolve("../../handlers/submit");
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TICKET = { subject: "  Invoice charged twice  ", description: "I was charged twice for my March invoice." };

describe("submit handler (POST /tickets)", () => {
    let table: LocalTicketTable;
    const submit = (overrides: Partial<SubmitDependencies> = {}) =>
        createSubmitHandler({ db: table.db, tableName: table.tableName, logger: silentLogger(), ...overrides });
    const stored = async (id: string) =>
        (await table.db.send(new GetCommand({ TableName: table.tableName, Key: { id } }))).Item;

    before(async () => {
        table = await startLocalTicketTable();
    });
    after(async () => {
        await table.stop();
    });

    it("stores the caller's ticket as open and answers 201 with its id and location", async () => {
        const now = new Date("2025-03-04T05:06:07.089Z");
        const response = readResponse(await submit({ now: () => now })(submitEvent(TICKET, asUser("user-a"))));

        assert.equal(response.status, 201);
        assert.match(response.body.id, UUID);
        assert.equal(response.headers.location, `/tickets/${response.body.id}`);
        assert.equal(response.headers["content-type"], "application/json");
        assert.equal(response.headers["cache-control"], "no-store");
        assert.deepEqual(await stored(response.body.id), {
            id: response.body.id,
            owner: "user-a",
            subject: "Invoice charged twice",
            description: TICKET.description,
            priority: "normal",
            status: "open",
            createdAt: "2025-03-04T05:06:07.089Z",
        });
    });

    it("keeps a chosen priority and puts the stage in the location of a named stage", async () => {
        const response = readResponse(
            await submit()(submitEvent({ ...TICKET, priority: "urgent" }, asUser("user-a"), { stage: "prod" })),
        );
        assert.equal(response.status, 201);
        assert.equal(response.headers.location, `/prod/tickets/${response.body.id}`);
        assert.equal((await stored(response.body.id))?.priority, "urgent");
    });

    it("accepts a base64-encoded body", async () => {
        const body = Buffer.from(JSON.stringify(TICKET)).toString("base64");
        const response = readResponse(await submit()(submitEvent(body, asUser("user-a"), { isBase64Encoded: true })));
        assert.equal(response.status, 201);
        assert.equal((await stored(response.body.id))?.subject, "Invoice charged twice");
    });

    it("fits the longest ASCII ticket under the 8 KiB limit the edge WAF also enforces", async () => {
        assert.equal(MAX_BODY_BYTES, 8 * 1024);
        const longest = { subject: "s".repeat(200), description: "d".repeat(5000), priority: "urgent" };
        assert.equal(readResponse(await submit()(submitEvent(JSON.stringify(longest)))).status, 201);
    });

    it("accepts a body of exactly the size limit and refuses one byte more with 413", async () => {
        const json = JSON.stringify(TICKET);
        const exact = json + " ".repeat(MAX_BODY_BYTES - json.length);
        assert.equal(readResponse(await submit()(submitEvent(exact))).status, 201);
        const before = await table.countItems();
        const over = readResponse(await submit()(submitEvent(`${exact} `)));
        assert.equal(over.status, 413);
        assert.equal(over.body.error.code, "payload_too_large");
        assert.equal(await table.countItems(), before);
    });

    it("never overwrites a ticket whose id comes up again: 409 and the stored ticket unchanged", async () => {
        const fixedId = "0b0e6a52-6f0c-4d0e-9a55-4f3c1d2e7a10";
        const first = readResponse(await submit({ newTicketId: () => fixedId })(submitEvent(TICKET, asUser("user-a"))));
        assert.equal(first.status, 201);
        const original = await stored(fixedId);
        const count = await table.countItems();

        const second = readResponse(
            await submit({ newTicketId: () => fixedId })(
                submitEvent({ subject: "Someone else", description: "Trying to replace the first ticket." }, asUser("user-b")),
            ),
        );

        assert.equal(second.status, 409);
        assert.deepEqual(second.body, { error: { code: "conflict", message: "A ticket with this id already exists; submit again." } });
        assert.deepEqual(await stored(fixedId), original);
        assert.equal(await table.countItems(), count);
    });

    it("logs JSON with the service name and request id but never the ticket text", async () => {
        const secretText = { subject: "Zebra-striped subject 7f3a", description: "Quokka description text 91be2 with detail." };
        const event = submitEvent(secretText);
        const { lines } = await captureLogs(async () => submit({ logger: new Logger({ serviceName: "swiftsupport-submit" }) })(event));

        const records = logRecords(lines);
        assert.ok(records.length >= 1);
        for (const record of records) {
            assert.equal(record.service, "swiftsupport-submit");
            assert.equal(record.requestId, event.requestContext.requestId);
        }
        const output = lines.join("\n");
        for (const fragment of ["Zebra", "7f3a", "Quokka", "91be2"]) assert.ok(!output.includes(fragment), fragment);
    });

    it("answers an unexpected failure with a generic 500 and logs it with the request id", async () => {
        const broken = {
            send: async () => {
                throw new Error("connection reset by table");
            },
        } as unknown as DynamoDBDocumentClient;
        const event = submitEvent(TICKET);
        const { result, lines } = await captureLogs(() =>
            submit({ db: broken, logger: new Logger({ serviceName: "swiftsupport-submit" }) })(event),
        );

        const response = readResponse(result);
        assert.equal(response.status, 500);
        assert.equal(response.body.error.code, "internal_error");
        assert.ok(!JSON.stringify(response.body).includes("connection reset"), "no internals reach the caller");
        assert.ok(response.body.error.message.includes(event.requestContext.requestId), "the caller gets a reference");
        const error = logRecords(lines).find((record) => record.level === "ERROR");
        assert.equal(error?.requestId, event.requestContext.requestId);
        assert.match(JSON.stringify(error?.error), /connection reset by table/);
    });

    it("refuses to start, naming what is missing, when deployed without its configuration", () => {
        assert.throws(
            () => loadColdStart(SUBMIT_MODULE, { AWS_REGION: "eu-west-1" }),
            /submit: missing required environment variable\(s\) TABLE_NAME/,
        );
        const loaded = loadColdStart(SUBMIT_MODULE, { AWS_REGION: "eu-west-1", TABLE_NAME: "tickets" }) as { handler: unknown };
        assert.equal(typeof loaded.handler, "function");
    });

    it("deploys a handler that validates within the 8 KiB limit and logs as swiftsupport-submit", async () => {
        const { handler } = loadColdStart(SUBMIT_MODULE, { AWS_REGION: "eu-west-1", TABLE_NAME: "tickets" }) as { handler: (e: unknown) => Promise<{ statusCode: number }> };
        // A small body that is no ticket: refused for what it says, before any table call, never for its size.
        const { result, lines } = await captureLogs(() => handler(submitEvent({ subject: "Hi" })));
        assert.equal(result.statusCode, 400);
        assert.deepEqual(logRecords(lines).map((r) => [r.service, r.message, r.code]), [["swiftsupport-submit", "request refused", "invalid_ticket"]]);
    });
});

describe("submit handler with an Idempotency-Key", () => {
    let table: LocalTicketTable;
    let clock: Date;
    const submit = (overrides: Partial<SubmitDependencies> = {}) =>
        createSubmitHandler({ db: table.db, tableName: table.tableName, logger: silentLogger(), now: () => clock, ...overrides });
    const keyed = (key: string, body: unknown = TICKET, user = "user-a") =>
        submitEvent(body, asUser(user), { headers: { "content-type": "application/json", "Idempotency-Key": key } });
    const item = async (id: string) => (await table.db.send(new GetCommand({ TableName: table.tableName, Key: { id } }))).Item;
    const ticketIds = async () => {
        const ids: string[] = [];
        const { ScanCommand } = await import("@aws-sdk/lib-dynamodb");
        const page = await table.db.send(new ScanCommand({ TableName: table.tableName }));
        for (const i of page.Items ?? []) if (UUID.test(String(i.id))) ids.push(String(i.id));
        return ids;
    };

    before(async () => {
        table = await startLocalTicketTable();
    });
    after(async () => {
        await table.stop();
    });
    beforeEach(() => {
        clock = new Date("2026-03-01T10:00:00.000Z");
    });

    it("refuses a malformed key with 400, saying what a key must be, before reading the body", async () => {
        const before = await table.countItems();
        for (const key of ["", "short-7", "k".repeat(65), "has space-123", "key-one-1,key-two-2"]) {
            const response = readResponse(await submit()(submitEvent("not json", asUser("user-a"), {
                headers: { "content-type": "application/json", "idempotency-key": key },
            })));
            assert.equal(response.status, 400, JSON.stringify(key));
            assert.deepEqual(response.body, {
                error: {
                    code: "invalid_idempotency_key",
                    message: "The Idempotency-Key header must be 8 to 64 characters of A-Z, a-z, 0-9, _ and -.",
                },
            });
        }
        for (const key of ["12345678", "k".repeat(64), "Az09_-Az09_-"]) {
            assert.equal(readResponse(await submit()(keyed(key))).status, 201, key);
        }
        assert.equal(await table.countItems(), before + 6, "three valid keys: a record and a ticket each");
    });

    it("answers a repeat of the same request with the first response: same 201, same id, no second ticket", async () => {
        const first = readResponse(await submit()(keyed("retry-key-0001")));
        const before = await table.countItems();
        clock = new Date(clock.getTime() + 60_000);
        const again = readResponse(await submit()(keyed("retry-key-0001")));

        assert.equal(first.status, 201);
        assert.equal(again.status, 201);
        assert.equal(again.body.id, first.body.id);
        assert.equal(again.headers.location, first.headers.location);
        assert.equal(again.headers["idempotent-replayed"], "true");
        assert.equal(first.headers["idempotent-replayed"], undefined);
        assert.equal(await table.countItems(), before, "the repeat wrote nothing");
        assert.equal((await item(first.body.id))?.createdAt, "2026-03-01T10:00:00.000Z", "the ticket is the first one");
    });

    it("treats bodies that validate to the same ticket as the same request", async () => {
        const first = readResponse(await submit()(keyed("same-meaning-01", { ...TICKET, priority: "normal" })));
        const again = readResponse(await submit()(keyed("same-meaning-01", { description: TICKET.description, subject: "Invoice charged twice" })));
        assert.equal(again.status, 201);
        assert.equal(again.body.id, first.body.id);
    });

    it("refuses the same key with another body with 422 and a clear message, changing nothing", async () => {
        const first = readResponse(await submit()(keyed("reused-key-01")));
        const before = await table.countItems();
        const other = readResponse(await submit()(keyed("reused-key-01", { ...TICKET, priority: "urgent" })));

        assert.equal(other.status, 422);
        assert.deepEqual(other.body, {
            error: {
                code: "idempotency_key_reused",
                message: "This Idempotency-Key was already used with a different ticket; send a new key for a new ticket.",
            },
        });
        assert.ok(!JSON.stringify(other.body).includes(first.body.id), "the refusal does not reveal the first ticket");
        assert.equal(await table.countItems(), before);
        assert.equal((await item(first.body.id))?.priority, "normal");
    });

    it("keeps keys per user: another user's same key and body makes their own ticket and never reveals the first", async () => {
        const a = readResponse(await submit()(keyed("shared-key-001", TICKET, "user-a")));
        const b = readResponse(await submit()(keyed("shared-key-001", TICKET, "user-b")));
        const bOther = readResponse(await submit()(keyed("shared-key-002", { ...TICKET, priority: "low" }, "user-b")));
        const aOther = readResponse(await submit()(keyed("shared-key-002", TICKET, "user-a")));

        assert.equal(b.status, 201);
        assert.notEqual(b.body.id, a.body.id);
        assert.equal(b.headers["idempotent-replayed"], undefined);
        assert.equal((await item(b.body.id))?.owner, "user-b");
        assert.equal((await item(a.body.id))?.owner, "user-a");
        // A body that differs from another user's use of the key is no conflict either.
        assert.equal(bOther.status, 201);
        assert.equal(aOther.status, 201);
        assert.notEqual(aOther.body.id, bOther.body.id);
    });

    it("creates exactly one ticket from ten concurrent requests with one key, and all ten get its id", async () => {
        const before = new Set(await ticketIds());
        const handler = submit();
        const responses = (await Promise.all(Array.from({ length: 10 }, () => handler(keyed("concurrent-key-1"))))).map(readResponse);

        const created = (await ticketIds()).filter((id) => !before.has(id));
        assert.equal(created.length, 1, `tickets created: ${created.join(", ")}`);
        for (const response of responses) {
            assert.equal(response.status, 201, JSON.stringify(response.body));
            assert.equal(response.body.id, created[0]);
        }
        assert.equal(responses.filter((r) => r.headers["idempotent-replayed"] === undefined).length, 1, "one first answer");
    });

    it("stores the key hashed with its user and an expiry a day ahead in the table's TTL attribute", async () => {
        const response = readResponse(await submit()(keyed("expiry-key-0001")));
        const record = await item(idempotencyRecordId("user-a", "expiry-key-0001"));

        assert.ok(record, "an idempotency record exists");
        assert.match(String(record.id), /^idempotency#[0-9a-f]{64}$/);
        assert.ok(!JSON.stringify(record).includes("expiry-key-0001") && !JSON.stringify(record).includes("user-a"));
        assert.equal(record.ticketId, response.body.id);
        assert.equal(record.expiresAt, Math.floor(clock.getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS);
        assert.equal(IDEMPOTENCY_TTL_SECONDS, 24 * 60 * 60);
        assert.equal((await item(response.body.id))?.expiresAt, undefined, "the ticket itself never expires");
    });

    it("lets a key be used again once it has expired, even before DynamoDB deleted its record", async () => {
        const first = readResponse(await submit()(keyed("expiring-key-01")));
        clock = new Date(clock.getTime() + (IDEMPOTENCY_TTL_SECONDS + 1) * 1000);
        const later = readResponse(await submit()(keyed("expiring-key-01", { ...TICKET, priority: "high" })));

        assert.equal(later.status, 201);
        assert.notEqual(later.body.id, first.body.id);
        assert.equal((await item(later.body.id))?.priority, "high");
        assert.ok(await item(first.body.id), "the first ticket stays");
    });

    it("completes a first request that stopped between claiming the key and storing the ticket", async () => {
        const fixedId = "5d1c0b7a-3e2f-4a10-9b8c-7d6e5f4a3b2c";
        const failing = { ...table.db, send: async (command: { constructor: { name: string } }) => {
            // The claim goes through; the ticket's put fails as if the function had timed out.
            if (command.constructor.name === "PutCommand" && (command as { input: { Item: { id: string } } }).input.Item.id === fixedId) throw new Error("timed out");
            return table.db.send(command as never);
        } } as unknown as DynamoDBDocumentClient;
        const crashed = readResponse(await submit({ db: failing, newTicketId: () => fixedId })(keyed("half-done-key-1")));
        assert.equal(crashed.status, 500);
        assert.equal(await item(fixedId), undefined);

        const retried = readResponse(await submit()(keyed("half-done-key-1")));
        assert.equal(retried.status, 201);
        assert.equal(retried.body.id, fixedId);
        assert.equal((await item(fixedId))?.owner, "user-a");
    });
    it("gives up with 409 after three claims of a key whose record keeps vanishing", async () => {
        let claims = 0;
        const contested = {
            send: async (command: { constructor: { name: string }; input: { Item?: { id: string } } }) => {
                if (command.constructor.name === "PutCommand" && command.input.Item?.id.startsWith("idempotency#")) {
                    claims++;
                    throw Object.assign(new Error("The conditional request failed"), { name: "ConditionalCheckFailedException" });
                }
                if (command.constructor.name === "GetCommand") return { Item: undefined };
                return table.db.send(command as never);
            },
        } as unknown as DynamoDBDocumentClient;
        const before = await table.countItems();
        const result = await submit({ db: contested })(keyed("contested-key-1"));
        assert.deepEqual(
            { status: result.statusCode, body: JSON.parse(result.body ?? "") },
            { status: 409, body: { error: { code: "conflict", message: "This Idempotency-Key is changing hands; retry the request." } } },
        );
        assert.equal(claims, 3);
        assert.equal(await table.countItems(), before);
    });

    it("logs a created ticket with its priority and whether a key came with it, and a replay by id", async () => {
        const logged = async (event: ReturnType<typeof keyed>) => {
            const { result, lines } = await captureLogs(() => submit({ logger: new Logger({ serviceName: "swiftsupport-submit" }) })(event));
            const pick = (r: Record<string, unknown>) => ({ message: r.message, ticketId: r.ticketId, priority: r.priority, idempotencyKey: r.idempotencyKey });
            return { id: readResponse(result).body.id as string, headers: result.headers, records: logRecords(lines).map(pick) };
        };
        const first = await logged(keyed("logged-key-001", { ...TICKET, priority: "high" }));
        assert.deepEqual(first.records, [{ message: "ticket created", ticketId: first.id, priority: "high", idempotencyKey: true }]);
        assert.equal(first.headers?.["idempotent-replayed"], undefined);
        const again = await logged(keyed("logged-key-001", { ...TICKET, priority: "high" }));
        assert.deepEqual(again.records, [{ message: "ticket replayed", ticketId: first.id, priority: undefined, idempotencyKey: undefined }]);
        assert.equal(again.headers?.["idempotent-replayed"], "true");
        const unkeyed = await logged(submitEvent(TICKET));
        assert.deepEqual(unkeyed.records, [{ message: "ticket created", ticketId: unkeyed.id, priority: "normal", idempotencyKey: false }]);
    });
});
