// The API's answers, exactly: for each class of request every route can get, the status, the error code, the message
// a client shows and the headers it relies on. Clients branch on these, so a change to any of them is a change of the
// API, and this file says so.
import "./support/lambdaEnvironment";
import { strict as assert } from "node:assert";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { createAnalysisHandler } from "../../handlers/analysis";
import { roleFromArn } from "../../handlers/lib/rolePrincipal";
import { createStatusHandler } from "../../handlers/status";
import { createSubmitHandler, MAX_BODY_BYTES } from "../../handlers/submit";
import { startLocalTicketTable, type LocalTicketTable } from "../support/dynamo";
import {
    analysisEvent,
    asUser,
    OPERATOR_ROLE_ARN,
    readResponse,
    silentLogger,
    statusEvent,
    submitEvent,
    type JwtAuthorizer,
    type RequestShape,
} from "./support/apiEvents";

const TICKET = { subject: "Invoice charged twice", description: "I was charged twice for my March invoice." };
const BASE_HEADERS = { "content-type": "application/json", "cache-control": "no-store", "x-content-type-options": "nosniff" };
const PRIORITY_MESSAGE = "priority must be one of low, normal, high, urgent.";

/** The whole answer: status, headers and body, so an extra or missing header fails too. */
function assertAnswer(result: APIGatewayProxyStructuredResultV2, status: number, code: string, message: string, headers: Record<string, string> = {}) {
    assert.deepEqual(
        { status: result.statusCode, headers: result.headers, body: JSON.parse(result.body ?? "") },
        { status, headers: { ...BASE_HEADERS, ...headers }, body: { error: { code, message } } },
    );
}

describe("API answers per class of request", () => {
    let table: LocalTicketTable;
    const deps = () => ({ db: table.db, tableName: table.tableName, logger: silentLogger() });
    const submit = (body: unknown, shape: RequestShape = {}, authorizer: JwtAuthorizer = asUser("user-a")) =>
        createSubmitHandler(deps())(submitEvent(body, authorizer, shape));

    before(async () => {
        table = await startLocalTicketTable();
    });
    after(async () => {
        await table.stop();
    });

    describe("POST /tickets: the body", () => {
        it("answers 415 to a body not declared as JSON", async () => {
            for (const type of [undefined, "", "text/plain", "text/json", "application/jsonp", "application/json-seq", "xapplication/json"]) {
                const headers: Record<string, string> = type === undefined ? {} : { "content-type": type };
                assertAnswer(await submit(TICKET, { headers }), 415, "unsupported_media_type", "The body must be sent as application/json.");
            }
        });

        it("accepts application/json and any application/<x>+json, with parameters and in any case", async () => {
            for (const type of ["application/json", "Application/JSON", "application/json; charset=utf-8", "application/json ;charset=utf-8", "application/merge-patch+json", "application/vnd.api.v1+json"]) {
                const result = await submit(TICKET, { headers: { "content-type": type } });
                assert.equal(result.statusCode, 201, type);
            }
            const result = await submit(TICKET, { headers: { "Content-Type": "application/json" } });
            assert.equal(result.statusCode, 201, "header names are matched whatever their case");
        });

        it("answers 400 empty_body to a missing or empty body, plain or base64", async () => {
            for (const shape of [{ body: undefined }, { body: "" }, { body: "", isBase64Encoded: true }]) {
                assertAnswer(await submit("", shape), 400, "empty_body", "The request needs a JSON body.");
            }
        });

        it("answers 400 invalid_base64 to a body marked base64 that is not", async () => {
            for (const body of ["abc", "ab$d", "abcd=abc", "====", "YWJj\nZA=="]) {
                assertAnswer(await submit("", { body, isBase64Encoded: true }), 400, "invalid_base64", "The body is marked base64 but is not valid base64.");
            }
        });

        it("answers 400 invalid_encoding to bytes that are not UTF-8", async () => {
            const body = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString("base64");
            assertAnswer(await submit("", { body, isBase64Encoded: true }), 400, "invalid_encoding", "The body must be UTF-8 text.");
        });

        it("skips a UTF-8 byte-order mark before the JSON", async () => {
            const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(TICKET))]).toString("base64");
            assert.equal((await submit("", { body, isBase64Encoded: true })).statusCode, 201);
        });

        it("answers 400 invalid_json to text that is not JSON", async () => {
            for (const body of ["{", "not json", "{'subject': 'x'}", "[1,]"]) {
                assertAnswer(await submit(body), 400, "invalid_json", "The body is not valid JSON.");
            }
        });

        it("answers 413 to a body over 8 KiB, counted in UTF-8 bytes after base64 decoding", async () => {
            const message = `The body must be at most ${MAX_BODY_BYTES} bytes.`;
            const overByOne = "x".repeat(MAX_BODY_BYTES + 1);
            assertAnswer(await submit(overByOne), 413, "payload_too_large", message);
            // Fewer characters than the limit, more bytes: each € is three bytes.
            assertAnswer(await submit(`"${"€".repeat(Math.ceil(MAX_BODY_BYTES / 3))}"`), 413, "payload_too_large", message);
            // Base64 of one byte too many: as many characters as the largest acceptable body, refused once decoded.
            const base64 = Buffer.from(overByOne).toString("base64");
            assert.equal(base64.length, Math.ceil(MAX_BODY_BYTES / 3) * 4);
            assertAnswer(await submit("", { body: base64, isBase64Encoded: true }), 413, "payload_too_large", message);
            // Longer than any acceptable base64 body: refused by its length, before it is decoded or even checked.
            assertAnswer(await submit("", { body: "!".repeat(base64.length + 1), isBase64Encoded: true }), 413, "payload_too_large", message);
        });

        it("accepts a body of exactly 8 KiB, plain and base64", async () => {
            const json = JSON.stringify(TICKET);
            const exact = json + " ".repeat(MAX_BODY_BYTES - Buffer.byteLength(json));
            assert.equal((await submit(exact)).statusCode, 201);
            const result = await submit("", { body: Buffer.from(exact).toString("base64"), isBase64Encoded: true });
            assert.equal(result.statusCode, 201);
        });
    });

    describe("POST /tickets: the ticket", () => {
        const invalid = (message: string) => [400, "invalid_ticket", message] as const;
        const cases: [string, unknown, readonly [number, string, string]][] = [
            ["an array", [TICKET], invalid("The body must be a JSON object.")],
            ["null", null, invalid("The body must be a JSON object.")],
            ["a string", JSON.stringify("ticket"), invalid("The body must be a JSON object.")],
            ["no fields", {}, invalid("subject is required. description is required.")],
            ["no subject", { description: TICKET.description }, invalid("subject is required.")],
            ["no description", { subject: TICKET.subject }, invalid("description is required.")],
            ["a number as subject", { ...TICKET, subject: 42 }, invalid("subject must be a string.")],
            ["null as description", { ...TICKET, description: null }, invalid("description must be a string.")],
            ["a subject of 2 characters once trimmed", { ...TICKET, subject: "  ab  " }, invalid("subject must be 3 to 200 characters.")],
            ["a subject of 201 characters", { ...TICKET, subject: "s".repeat(201) }, invalid("subject must be 3 to 200 characters.")],
            ["a description of 9 characters", { ...TICKET, description: "123456789" }, invalid("description must be 10 to 5000 characters.")],
            ["a description of 5001 characters", { ...TICKET, description: "d".repeat(5001) }, invalid("description must be 10 to 5000 characters.")],
            ["an unknown priority", { ...TICKET, priority: "critical" }, invalid(PRIORITY_MESSAGE)],
            ["a priority of the wrong type", { ...TICKET, priority: 3 }, invalid(PRIORITY_MESSAGE)],
            ["unknown fields", { ...TICKET, owner: "user-b", status: "closed" }, invalid("Unknown field(s): owner, status.")],
            [
                "every field wrong",
                { subject: 1, description: "short", priority: "now", id: "x" },
                invalid(`subject must be a string. description must be 10 to 5000 characters. ${PRIORITY_MESSAGE} Unknown field(s): id.`),
            ],
        ];
        for (const [what, body, [status, code, message]] of cases) {
            it(`answers ${status} ${code} to ${what}`, async () => {
                assertAnswer(await submit(body), status, code, message);
            });
        }

        it("cuts the list of unknown fields after 120 characters", async () => {
            const names = Array.from({ length: 13 }, (_, i) => `field${String(i).padStart(2, "0")}`); // 115 characters listed
            const unknown = (extra: string) => ({ ...TICKET, ...Object.fromEntries([...names, extra].map((n) => [n, 1])) });
            const listed = (extra: string) => [...names, extra].join(", ");
            assert.equal(listed("abc").length, 120);
            assertAnswer(await submit(unknown("abc")), 400, "invalid_ticket", `Unknown field(s): ${listed("abc")}.`);
            assertAnswer(await submit(unknown("abcd")), 400, "invalid_ticket", `Unknown field(s): ${listed("abcd").slice(0, 120)}….`);
        });

        it("accepts the bounds: 3 and 200 characters of subject, 10 and 5000 of description, every priority", async () => {
            for (const body of [
                { subject: "abc", description: "0123456789" },
                { subject: "s".repeat(200), description: "d".repeat(5000) },
                ...["low", "normal", "high", "urgent"].map((priority) => ({ ...TICKET, priority })),
            ]) {
                assert.equal((await submit(body)).statusCode, 201, JSON.stringify(body).slice(0, 60));
            }
        });
    });

    describe("the caller", () => {
        const UNAUTHORIZED = [401, "unauthorized", "A valid bearer token is required.", { "www-authenticate": "Bearer" }] as const;
        const badCallers: [string, JwtAuthorizer][] = [
            ["no authorizer", null],
            ["an authorizer without a JWT", {}],
            ["no claims", { jwt: {} }],
            ["no sub", { jwt: { claims: { iss: "https://idp.example" } } }],
            ["an empty sub", { jwt: { claims: { sub: "" } } }],
            ["a blank sub", { jwt: { claims: { sub: " \t " } } }],
            ["a numeric sub", { jwt: { claims: { sub: 42 } } }],
            ["a sub of 256 characters", { jwt: { claims: { sub: "u".repeat(256) } } }],
        ];
        for (const [what, authorizer] of badCallers) {
            it(`answers 401 with a Bearer challenge to ${what}, on submit and status`, async () => {
                const [status, code, message, headers] = UNAUTHORIZED;
                assertAnswer(await submit(TICKET, {}, authorizer), status, code, message, headers);
                const read = createStatusHandler(deps())(statusEvent("6f1d2c3b-4a59-4e7f-8d9c-0b1a2c3d4e5f", authorizer));
                assertAnswer(await read, status, code, message, headers);
            });
        }

        it("accepts a sub of 255 characters, and keeps it as given", async () => {
            const sub = ` ${"u".repeat(254)}`;
            const created = readResponse(await submit(TICKET, {}, asUser(sub)));
            assert.equal(created.status, 201);
            const read = readResponse(await createStatusHandler(deps())(statusEvent(created.body.id, asUser(sub))));
            assert.equal(read.status, 200);
            assert.equal(readResponse(await createStatusHandler(deps())(statusEvent(created.body.id, asUser(sub.trim())))).status, 404);
        });
    });

    describe("the Idempotency-Key header", () => {
        const message = "The Idempotency-Key header must be 8 to 64 characters of A-Z, a-z, 0-9, _ and -.";
        const keyed = (key: string) => submit(TICKET, { headers: { "content-type": "application/json", "idempotency-key": key } });

        it("answers 400 invalid_idempotency_key to a key of the wrong length or alphabet", async () => {
            for (const key of ["", "1234567", "k".repeat(65), "key with space", "key-one-1,key-two-2", "keyé12345", "key.12345"]) {
                assertAnswer(await keyed(key), 400, "invalid_idempotency_key", message);
            }
        });

        it("accepts 8 and 64 characters of the whole alphabet", async () => {
            for (const key of ["Az09_-xY", "k".repeat(64)]) assert.equal((await keyed(key)).statusCode, 201, key);
        });
    });

    describe("GET /tickets/{id}", () => {
        const status = (id: string | undefined, sub = "user-a") => createStatusHandler(deps())(statusEvent(id, asUser(sub)));

        it("answers 400 invalid_ticket_id to an id that is not a UUID", async () => {
            for (const id of [undefined, "", "123", "6f1d2c3b-4a59-4e7f-8d9c-0b1a2c3d4e5", "6f1d2c3b-4a59-4e7f-8d9c-0b1a2c3d4e5fa", "x6f1d2c3b-4a59-4e7f-8d9c-0b1a2c3d4e5f", "6f1d2c3b4a594e7f8d9c0b1a2c3d4e5f"]) {
                assertAnswer(await status(id), 400, "invalid_ticket_id", "The ticket id must be a UUID.");
            }
            // A route whose path parameters lack the id.
            const withoutId = { ...statusEvent("6f1d2c3b-4a59-4e7f-8d9c-0b1a2c3d4e5f"), pathParameters: {} };
            assertAnswer(await createStatusHandler(deps())(withoutId), 400, "invalid_ticket_id", "The ticket id must be a UUID.");
        });

        it("answers 404 not_found alike to a missing ticket and to another user's", async () => {
            const created = readResponse(await submit(TICKET));
            assertAnswer(await status(created.body.id, "user-b"), 404, "not_found", "No such ticket.");
            assertAnswer(await status("6f1d2c3b-4a59-4e7f-8d9c-0b1a2c3d4e5f"), 404, "not_found", "No such ticket.");
        });

        it("answers 200 with the ticket's public fields to its owner", async () => {
            const created = readResponse(await submit({ ...TICKET, priority: "high" }));
            const result = await status(created.body.id);
            assert.equal(result.statusCode, 200);
            assert.deepEqual(result.headers, BASE_HEADERS);
            const view = JSON.parse(result.body ?? "");
            assert.deepEqual({ ...view, createdAt: typeof view.createdAt }, {
                id: created.body.id,
                subject: TICKET.subject,
                description: TICKET.description,
                priority: "high",
                status: "open",
                createdAt: "string",
            });
        });
    });

    describe("POST /tickets/{id}/analysis", () => {
        const analyse = (id: string | undefined) =>
            createAnalysisHandler({ ...deps(), reanalysisRoles: [roleFromArn(OPERATOR_ROLE_ARN)!] })(analysisEvent(id));

        it("answers 400 invalid_ticket_id to an id that is not a UUID, and 404 not_found to a missing ticket", async () => {
            assertAnswer(await analyse("not-a-uuid"), 400, "invalid_ticket_id", "The ticket id must be a UUID.");
            assertAnswer(await analyse("6f1d2c3b-4a59-4e7f-8d9c-0b1a2c3d4e5f"), 404, "not_found", "No such ticket.");
        });

        it("answers 200 with the id, the analysis and its rules version", async () => {
            const created = readResponse(await submit({ subject: "Refund please", description: "I was double charged, please refund asap." }));
            const result = await analyse(created.body.id);
            assert.equal(result.statusCode, 200);
            assert.deepEqual(result.headers, BASE_HEADERS);
            assert.deepEqual(JSON.parse(result.body ?? ""), {
                id: created.body.id,
                analysis: {
                    category: "billing",
                    suggestedPriority: "high",
                    sentiment: { label: "neutral", score: 0 },
                    signals: ["asap", "charged", "double charged", "refund"],
                },
                analysisVersion: 1,
            });
        });
    });
});
