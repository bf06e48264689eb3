import "./support/lambdaEnvironment";
import { strict as assert } from "node:assert";
import { createAnalysisHandler } from "../../handlers/analysis";
import { roleFromArn } from "../../handlers/lib/rolePrincipal";
import { createListHandler, encodeCursor, MAX_PAGE_SIZE } from "../../handlers/list";
import { createSubmitHandler } from "../../handlers/submit";
import { startLocalTicketTable, type LocalTicketTable } from "../support/dynamo";
import { analysisEvent, asUser, listEvent, OPERATOR_ROLE_ARN, readResponse, silentLogger, submitEvent } from "./support/apiEvents";
import { loadColdStart } from "./support/lambdaEnvironment";

describe("list handler (GET /tickets)", () => {
    let table: LocalTicketTable;
    let deps: { db: LocalTicketTable["db"]; tableName: string; logger: ReturnType<typeof silentLogger> };
    let clock = Date.parse("2026-11-30T10:00:00.000Z");
    const list = (query?: Record<string, string>, user = "user-a") => createListHandler(deps)(listEvent(query, asUser(user))).then(readResponse);
    /** Submits as `user`, one second after the previous ticket, and returns the new id. */
    const submitAs = async (user: string, subject: string) => {
        clock += 1000;
        const submit = createSubmitHandler({ ...deps, now: () => new Date(clock) });
        const response = readResponse(await submit(submitEvent({ subject, description: "The invoice total is wrong this month." }, asUser(user))));
        assert.equal(response.status, 201);
        return response.body.id as string;
    };

    before(async () => {
        table = await startLocalTicketTable();
        deps = { db: table.db, tableName: table.tableName, logger: silentLogger() };
    });
    after(async () => {
        await table.stop();
    });

    it("lists only the caller's tickets, newest first, without descriptions or internals", async () => {
        const first = await submitAs("lister", "First ticket");
        await submitAs("someone-else", "Not yours");
        const second = await submitAs("lister", "Second ticket");
        const response = await list(undefined, "lister");

        assert.equal(response.status, 200);
        assert.equal(response.headers["cache-control"], "no-store");
        assert.deepEqual(response.body.tickets.map((t: { id: string }) => t.id), [second, first]);
        assert.deepEqual(Object.keys(response.body.tickets[0]).sort(), ["createdAt", "id", "priority", "status", "subject"]);
        assert.equal(response.body.nextCursor, undefined);
    });

    it("includes each ticket's analysis once it exists", async () => {
        const id = await submitAs("analysed", "Charged twice");
        await createAnalysisHandler({ ...deps, reanalysisRoles: [roleFromArn(OPERATOR_ROLE_ARN)!] })(analysisEvent(id));
        const response = await list(undefined, "analysed");
        assert.equal(response.body.tickets[0].analysis.category, "billing");
    });

    it("pages with limit and the cursor it returns, every ticket once", async () => {
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) ids.push(await submitAs("pager", `Ticket number ${i}`));
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
            const response = await list({ limit: "2", ...(cursor ? { cursor } : {}) }, "pager");
            assert.equal(response.status, 200);
            assert.ok(response.body.tickets.length <= 2);
            seen.push(...response.body.tickets.map((t: { id: string }) => t.id));
            cursor = response.body.nextCursor;
            pages++;
        } while (cursor && pages < 10);
        assert.deepEqual(seen, [...ids].reverse());
    });

    it("answers a caller without tickets with an empty list", async () => {
        const response = await list(undefined, "nobody-yet");
        assert.equal(response.status, 200);
        assert.deepEqual(response.body, { tickets: [] });
    });

    it("accepts the limits 1, 10 and 50: 1 is one ticket and a cursor", async () => {
        await submitAs("limits", "One");
        await submitAs("limits", "Two");
        const one = await list({ limit: "1" }, "limits");
        assert.equal(one.status, 200);
        assert.equal(one.body.tickets.length, 1);
        assert.equal(typeof one.body.nextCursor, "string");
        for (const limit of ["10", String(MAX_PAGE_SIZE)]) {
            const page = await list({ limit }, "limits");
            assert.equal(page.status, 200, limit);
            assert.equal(page.body.tickets.length, 2, limit);
        }
    });

    describe("refuses each bad query with 400 invalid_query and the message for its class", () => {
        const LIMIT = `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}.`;
        const CURSOR = "cursor is not one this API returned; start again without it.";
        const ID = "0b8e6a3c-1f2d-4e5f-8a9b-0c1d2e3f4a5b";
        const AT = "2026-11-30T10:00:00.000Z";
        /** A cursor carrying any JSON text, as a forger would make one. */
        const forge = (json: string) => Buffer.from(json).toString("base64url");
        /** A real position as a cursor of exactly `length` characters (JSON allows the padding spaces). */
        const padded = (length: number) => {
            const bytes = (length / 4) * 3;
            const json = JSON.stringify([ID, AT]);
            return forge(`[${" ".repeat(bytes - json.length)}${json.slice(1)}`);
        };
        const refused = async (query: Record<string, string>, message: string) => {
            const response = await list(query);
            assert.equal(response.status, 400, JSON.stringify(query));
            assert.deepEqual(response.body.error, { code: "invalid_query", message }, JSON.stringify(query));
        };

        it("a limit that is not a whole number from 1 to 50", async () => {
            for (const limit of ["0", String(MAX_PAGE_SIZE + 1), "2.5", "1,2", "-1", "1000", "", " 5", "5 "]) await refused({ limit }, LIMIT);
        });

        it("a cursor that is not base64url, or longer than 200 characters even when it decodes to a position", async () => {
            const real = encodeCursor({ id: ID, createdAt: AT });
            // Node's decoder skips the characters it does not know, so these would decode to the real position.
            for (const cursor of ["not a cursor!", `!${real}`, `${real}!`, `${real}=`, "a".repeat(500), padded(204)]) await refused({ cursor }, CURSOR);
            assert.equal(padded(200).length, 200);
            assert.equal((await list({ cursor: padded(200) })).status, 200);
        });

        it("a cursor that is not JSON, not a pair, or not an id and a timestamp as submit writes them", async () => {
            const cursors = [
                Buffer.from("not json").toString("base64url"),
                forge(JSON.stringify({ id: ID, owner: "user-b" })),
                forge(JSON.stringify({ 0: ID, 1: AT, length: 2 })),
                forge(JSON.stringify([ID])),
                forge(JSON.stringify([ID, AT, "extra"])),
                forge(JSON.stringify([[ID], AT])),
                forge(JSON.stringify([ID, [AT]])),
                encodeCursor({ id: "../etc", createdAt: AT }),
                encodeCursor({ id: ID, createdAt: "2026-11-30" }),
                encodeCursor({ id: ID, createdAt: `x${AT}` }),
                encodeCursor({ id: ID, createdAt: `${AT}x` }),
            ];
            for (const cursor of cursors) await refused({ cursor }, CURSOR);
        });

        it("any parameter but limit and cursor", async () => {
            await refused({ owner: "user-b" }, "Only the limit and cursor query parameters are accepted.");
            await refused({ limit: "5", sort: "asc" }, "Only the limit and cursor query parameters are accepted.");
        });
    });

    it("never pages into another user's tickets: a cursor only positions within the caller's own", async () => {
        await submitAs("owner-x", "Private to x");
        const x = await list(undefined, "owner-x");
        const cursor = encodeCursor({ id: x.body.tickets[0].id, createdAt: x.body.tickets[0].createdAt });
        const response = await list({ cursor }, "owner-y");
        assert.equal(response.status, 200);
        assert.deepEqual(response.body.tickets, []);
    });

    it("refuses a caller without a subject claim with 401", async () => {
        const response = readResponse(await createListHandler(deps)(listEvent(undefined, null)));
        assert.equal(response.status, 401);
        assert.equal(response.body.error.code, "unauthorized");
    });

    it("refuses to start without TABLE_NAME", () => {
        assert.throws(
            () => loadColdStart(require.resolve("../../handlers/list"), { AWS_REGION: "eu-west-1" }),
            /list: missing required environment variable\(s\) TABLE_NAME/,
        );
    });
});
