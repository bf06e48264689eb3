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

    it("refuses bad limits, foreign or forged cursors and unknown parameters with 400", async () => {
        const forged = Buffer.from(JSON.stringify({ id: "x", owner: "user-b" })).toString("base64url");
        const cases: Record<string, string>[] = [
            { limit: "0" },
            { limit: String(MAX_PAGE_SIZE + 1) },
            { limit: "2.5" },
            { limit: "1,2" },
            { cursor: "not a cursor!" },
            { cursor: forged },
            { cursor: "a".repeat(500) },
            { cursor: encodeCursor({ id: "../etc", createdAt: "2026-11-30T10:00:00.000Z" }) },
            { owner: "user-b" },
        ];
        for (const query of cases) {
            const response = await list(query);
            assert.equal(response.status, 400, JSON.stringify(query));
            assert.equal(response.body.error.code, "invalid_query");
        }
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
