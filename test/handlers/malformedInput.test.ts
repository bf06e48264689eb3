import "./support/lambdaEnvironment";
import { strict as assert } from "node:assert";
import fc from "fast-check";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { createAnalysisHandler } from "../../handlers/analysis";
import { roleFromArn } from "../../handlers/lib/rolePrincipal";
import { PRIORITIES } from "../../handlers/lib/ticket";
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
} from "./support/apiEvents";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One generated request body and the status it must get. */
interface BadBody {
    body: string | undefined;
    isBase64Encoded?: boolean;
    /** `null` sends no content-type header at all. */
    contentType?: string | null;
    expected: 400 | 413 | 415;
}

const parsesAsJson = (text: string) => {
    try {
        JSON.parse(text);
        return true;
    } catch {
        return false;
    }
};

const subject = fc.string({ minLength: 3, maxLength: 60 }).filter((s) => s.trim().length >= 3);
const description = fc.string({ minLength: 10, maxLength: 120 }).filter((s) => s.trim().length >= 10);
const validTicket = fc.record({ subject, description });
const field = fc.constantFrom("subject", "description");
const withField = (key: string, value: unknown) => (ticket: object) => ({ ...ticket, [key]: value });
const asJson =
    (expected: BadBody["expected"]) =>
    (value: unknown): BadBody => ({ body: JSON.stringify(value), expected });
const refused =
    (expected: BadBody["expected"], extra: Partial<BadBody> = {}) =>
    (body: string): BadBody => ({ body, expected, ...extra });

const notJson = fc
    .string({ unit: "binary" })
    .filter((s) => s.trim() !== "" && !parsesAsJson(s))
    .map(refused(400));

const jsonButNotAnObject = fc
    .oneof(fc.array(fc.jsonValue(), { maxLength: 5 }), fc.jsonValue().filter((v) => v === null || typeof v !== "object"))
    .map(asJson(400));

const wrongType = fc
    .tuple(validTicket, field, fc.jsonValue().filter((v) => typeof v !== "string"))
    .map(([ticket, key, value]) => withField(key, value)(ticket))
    .map(asJson(400));

/** Too short once trimmed (padding does not count) or too long. */
const wrongLength = fc
    .oneof(
        fc.tuple(validTicket, fc.string({ maxLength: 2 }), fc.nat(4)).map(([t, s, pad]) => withField("subject", " ".repeat(pad) + s + " ".repeat(pad))(t)),
        fc.tuple(validTicket, fc.string({ maxLength: 9 })).map(([t, d]) => withField("description", `\n${d}\t`)(t)),
        fc.tuple(validTicket, fc.integer({ min: 201, max: 400 })).map(([t, n]) => withField("subject", "s".repeat(n))(t)),
        fc.tuple(validTicket, fc.integer({ min: 5001, max: 7000 })).map(([t, n]) => withField("description", "d".repeat(n))(t)),
    )
    .map(asJson(400));

const missingField = fc
    .tuple(validTicket, field)
    .map(([ticket, missing]) => Object.fromEntries(Object.entries(ticket).filter(([key]) => key !== missing)))
    .map(asJson(400));

/** Unknown fields, including prototype-ish names and fields the server sets itself. */
const unknownField = fc
    .tuple(validTicket, fc.oneof(fc.string(), fc.constantFrom("__proto__", "constructor", "owner", "id", "status")), fc.jsonValue())
    .filter(([, key]) => !["subject", "description", "priority"].includes(key))
    .map(([ticket, key, value]) => withField(key, value)(ticket))
    .map(asJson(400));

const badPriority = fc
    .tuple(validTicket, fc.jsonValue().filter((v) => !(PRIORITIES as readonly unknown[]).includes(v)))
    .map(([ticket, priority]) => withField("priority", priority)(ticket))
    .map(asJson(400));

/** A valid ticket padded past the limit, as text or base64, or short text that is long in UTF-8 bytes. */
const oversize = fc.oneof(
    fc.tuple(validTicket, fc.integer({ min: 1, max: 20_000 }), fc.boolean()).map(([ticket, extra, base64]) => {
        const json = JSON.stringify(ticket);
        const padded = json + " ".repeat(MAX_BODY_BYTES - Buffer.byteLength(json) + extra);
        return base64
            ? refused(413, { isBase64Encoded: true })(Buffer.from(padded).toString("base64"))
            : refused(413)(padded);
    }),
    fc.integer({ min: Math.ceil(MAX_BODY_BYTES / 3) + 1, max: MAX_BODY_BYTES }).map((n) => refused(413)(`"${"€".repeat(n)}"`)),
);

/** Marked base64 but not base64, or base64 of bytes that are no ticket (random, often invalid UTF-8). */
const badBase64 = fc.oneof(
    fc
        .string({ unit: "binary", minLength: 1 })
        .filter((s) => s.length % 4 !== 0 || /[^A-Za-z0-9+/=]/.test(s))
        .map(refused(400, { isBase64Encoded: true })),
    fc
        .uint8Array({ minLength: 1, maxLength: 512 })
        .map((bytes) => refused(400, { isBase64Encoded: true })(Buffer.from(bytes).toString("base64"))),
);

const notDeclaredJson = fc
    .tuple(
        validTicket,
        fc.oneof(
            fc.constantFrom(null, "", "text/plain", "application/x-www-form-urlencoded", "application/jsonp", "text/json"),
            fc.string(),
        ),
    )
    .filter(([, type]) => type === null || !/^application\/([\w.-]+\+)?json\s*(;|$)/i.test(type))
    .map(([ticket, contentType]) => refused(415, { contentType })(JSON.stringify(ticket)));

const noBody = fc.constantFrom<BadBody>(
    { body: undefined, expected: 400 },
    { body: "", expected: 400 },
    { body: "", isBase64Encoded: true, expected: 400 },
);

const badBodies: fc.Arbitrary<BadBody> = fc.oneof(
    notJson,
    jsonButNotAnObject,
    wrongType,
    wrongLength,
    missingField,
    unknownField,
    badPriority,
    oversize,
    badBase64,
    notDeclaredJson,
    noBody,
);

/** Authorizers that do not identify a user: none, no claims, no `sub`, or a `sub` that is empty, not a string or absurd. */
const badAuthorizers: fc.Arbitrary<JwtAuthorizer> = fc.oneof(
    fc.constantFrom<JwtAuthorizer>(null, {}, { jwt: {} }, { jwt: { claims: {} } }),
    fc
        .dictionary(fc.string().filter((k) => k !== "sub"), fc.string())
        .map((claims) => ({ jwt: { claims, scopes: null } })),
    fc
        .oneof(fc.integer(), fc.double(), fc.boolean(), fc.array(fc.string()), fc.constant(null), fc.object())
        .map((sub) => ({ jwt: { claims: { sub }, scopes: null } })),
    fc
        .array(fc.constantFrom(" ", "\t", "\n", "\r", "\u00a0", "\u2003", "\ufeff"))
        .map((spaces) => ({ jwt: { claims: { sub: spaces.join("") }, scopes: null } })),
    fc.integer({ min: 256, max: 10_000 }).map((n) => ({ jwt: { claims: { sub: "u".repeat(n) }, scopes: null } })),
);

/** Path ids that are not UUIDs: random text, traversal strings, huge strings, near misses, or no id at all. */
const badIds: fc.Arbitrary<string | undefined> = fc.oneof(
    fc.string({ unit: "binary" }).filter((s) => !UUID.test(s)),
    fc
        .array(fc.constantFrom("..", "../", "..\\", "%2e%2e", "%2F", "/", "etc", "passwd", "%00", "\u0000", "tickets"), {
            minLength: 1,
            maxLength: 12,
        })
        .map((parts) => parts.join("")),
    fc.integer({ min: 1_000, max: 200_000 }).map((n) => "7".repeat(n)),
    fc
        .uuid()
        .chain((uuid) =>
            fc.constantFrom(`${uuid}\n`, ` ${uuid}`, `${uuid}/../x`, uuid.replace(/-/g, ""), `${uuid.slice(0, -1)}g`, `{${uuid}}`, uuid.repeat(2)),
        ),
    fc.constant(undefined),
);

describe("malformed input", () => {
    let table: LocalTicketTable;
    let deps: { db: LocalTicketTable["db"]; tableName: string; logger: ReturnType<typeof silentLogger> };

    /** Checks the promise every refusal keeps: a 4xx (the given one), JSON error with code and message, no write. */
    async function assertRefused(result: APIGatewayProxyStructuredResultV2, status: number, itemsBefore: number) {
        const response = readResponse(result);
        assert.equal(response.status, status, JSON.stringify(response.body));
        assert.equal(response.headers["content-type"], "application/json");
        assert.equal(response.headers["cache-control"], "no-store");
        assert.deepEqual(Object.keys(response.body), ["error"]);
        assert.ok(typeof response.body.error.code === "string" && response.body.error.code.length > 0);
        assert.ok(typeof response.body.error.message === "string" && response.body.error.message.length > 0);
        assert.equal(await table.countItems(), itemsBefore, "nothing was written");
    }

    before(async () => {
        table = await startLocalTicketTable();
        deps = { db: table.db, tableName: table.tableName, logger: silentLogger() };
        // One real ticket, so bad ids and claims are checked against a table that has something to find.
        const submit = createSubmitHandler(deps);
        const existing = await submit(submitEvent({ subject: "Existing", description: "A ticket that is already here." }));
        assert.equal(existing.statusCode, 201);
    });
    after(async () => {
        await table.stop();
    });

    it("refuses every malformed ticket body with the right 4xx and a JSON error, writing nothing", async () => {
        const submit = createSubmitHandler(deps);
        const items = await table.countItems();
        await fc.assert(
            fc.asyncProperty(badBodies, async (bad) => {
                const headers: Record<string, string> =
                    bad.contentType === null ? {} : { "content-type": bad.contentType ?? "application/json" };
                const event = submitEvent(bad.body ?? "", asUser("user-a"), {
                    body: bad.body,
                    isBase64Encoded: bad.isBase64Encoded,
                    headers,
                });
                await assertRefused(await submit(event), bad.expected, items);
            }),
            { numRuns: 500 },
        );
    });

    it("refuses a submit from a caller without a usable subject claim with 401, writing nothing", async () => {
        const submit = createSubmitHandler(deps);
        const items = await table.countItems();
        await fc.assert(
            fc.asyncProperty(badAuthorizers, validTicket, async (authorizer, ticket) => {
                await assertRefused(await submit(submitEvent(ticket, authorizer)), 401, items);
            }),
            { numRuns: 200 },
        );
    });

    it("refuses a submit whose Idempotency-Key is not 8-64 of [A-Za-z0-9_-] with 400, writing nothing", async () => {
        const submit = createSubmitHandler(deps);
        const items = await table.countItems();
        const badKeys = fc.oneof(
            fc.string({ maxLength: 7 }),
            fc.string({ minLength: 65, maxLength: 200 }),
            fc.string({ minLength: 8, maxLength: 64 }).filter((k) => !/^[A-Za-z0-9_-]+$/.test(k)),
            fc.constantFrom("key-one-1,key-two-2", "spaced key 123", "ключ-ключ-ключ"),
        );
        await fc.assert(
            fc.asyncProperty(badKeys, validTicket, async (key, ticket) => {
                const event = submitEvent(ticket, asUser("user-a"), {
                    headers: { "content-type": "application/json", "Idempotency-Key": key },
                });
                const result = await submit(event);
                await assertRefused(result, 400, items);
                assert.equal(readResponse(result).body.error.code, "invalid_idempotency_key");
            }),
            { numRuns: 200 },
        );
    });

    it("refuses a status read without a usable subject claim with 401", async () => {
        const status = createStatusHandler(deps);
        const items = await table.countItems();
        await fc.assert(
            fc.asyncProperty(badAuthorizers, fc.uuid(), async (authorizer, id) => {
                await assertRefused(await status(statusEvent(id, authorizer)), 401, items);
            }),
            { numRuns: 100 },
        );
    });

    it("refuses a status read of an id that is not a UUID with 400", async () => {
        const status = createStatusHandler(deps);
        const items = await table.countItems();
        await fc.assert(
            fc.asyncProperty(badIds, async (id) => {
                await assertRefused(await status(statusEvent(id, asUser("user-a"))), 400, items);
            }),
            { numRuns: 150 },
        );
    });

    it("refuses an analysis of an id that is not a UUID with 400, writing nothing", async () => {
        const analyse = createAnalysisHandler({ ...deps, reanalysisRoles: [roleFromArn(OPERATOR_ROLE_ARN)!] });
        const items = await table.countItems();
        await fc.assert(
            fc.asyncProperty(badIds, async (id) => {
                await assertRefused(await analyse(analysisEvent(id)), 400, items);
            }),
            { numRuns: 150 },
        );
    });
});
