import "./support/lambdaEnvironment";
import { strict as assert } from "node:assert";
import { Logger } from "@aws-lambda-powertools/logger";
import { createAnalysisHandler } from "../../handlers/analysis";
import { createStatusHandler } from "../../handlers/status";
import { roleFromArn } from "../../handlers/lib/rolePrincipal";
import { createSubmitHandler } from "../../handlers/submit";
import { startLocalTicketTable, type LocalTicketTable } from "../support/dynamo";
import { analysisEvent, asUser, OPERATOR_ROLE_ARN, readResponse, silentLogger, statusEvent, submitEvent } from "./support/apiEvents";
import { captureLogs, logRecords } from "./support/capturedLogs";
import { loadColdStart } from "./support/lambdaEnvironment";

const TICKET = { subject: "Cannot log in", description: "My password reset email never arrives." };

describe("status handler (GET /tickets/{id})", () => {
    let table: LocalTicketTable;
    let deps: { db: LocalTicketTable["db"]; tableName: string; logger: ReturnType<typeof silentLogger> };
    const status = () => createStatusHandler(deps);
    const submitAs = async (sub: string) => {
        const submit = createSubmitHandler(deps);
        return readResponse(await submit(submitEvent(TICKET, asUser(sub)))).body.id as string;
    };

    before(async () => {
        table = await startLocalTicketTable();
        deps = { db: table.db, tableName: table.tableName, logger: silentLogger() };
    });
    after(async () => {
        await table.stop();
    });

    it("shows the owner their ticket, without internal attributes", async () => {
        const id = await submitAs("user-a");
        const response = readResponse(await status()(statusEvent(id, asUser("user-a"))));

        assert.equal(response.status, 200);
        assert.equal(response.headers["cache-control"], "no-store");
        assert.deepEqual(Object.keys(response.body).sort(), ["createdAt", "description", "id", "priority", "status", "subject"]);
        assert.equal(response.body.id, id);
        assert.equal(response.body.subject, TICKET.subject);
        assert.equal(response.body.status, "open");
    });

    it("finds a ticket whatever the case of its id", async () => {
        const id = await submitAs("user-a");
        const response = readResponse(await status()(statusEvent(id.toUpperCase(), asUser("user-a"))));
        assert.equal(response.status, 200);
        assert.equal(response.body.id, id);
    });

    it("includes the analysis once the ticket has been analysed", async () => {
        const id = await submitAs("user-a");
        await createAnalysisHandler({ ...deps, reanalysisRoles: [roleFromArn(OPERATOR_ROLE_ARN)!] })(analysisEvent(id));
        const response = readResponse(await status()(statusEvent(id, asUser("user-a"))));
        assert.equal(response.body.analysis.category, "account");
    });

    it("answers another user's ticket exactly as a missing one: 404, same body", async () => {
        const id = await submitAs("user-a");
        const foreign = readResponse(await status()(statusEvent(id, asUser("user-b"))));
        const missing = readResponse(await status()(statusEvent("6f1d2c3b-4a59-4e7f-8d9c-0b1a2c3d4e5f", asUser("user-b"))));

        assert.equal(foreign.status, 404);
        assert.equal(missing.status, 404);
        assert.deepEqual(foreign.body, missing.body);
        assert.deepEqual(foreign.headers, missing.headers);
        assert.equal(foreign.body.error.code, "not_found");
    });

    it("refuses an id that is not a UUID with 400", async () => {
        for (const id of ["../../etc/passwd", "123", "", `${"a".repeat(100_000)}`]) {
            const response = readResponse(await status()(statusEvent(id, asUser("user-a"))));
            assert.equal(response.status, 400);
            assert.equal(response.body.error.code, "invalid_ticket_id");
        }
    });

    it("refuses a caller without a subject claim with 401", async () => {
        const id = await submitAs("user-a");
        for (const authorizer of [null, { jwt: { claims: {}, scopes: null } }, { jwt: { claims: { sub: "" }, scopes: null } }]) {
            const response = readResponse(await status()(statusEvent(id, authorizer)));
            assert.equal(response.status, 401);
            assert.equal(response.headers["www-authenticate"], "Bearer");
            assert.equal(response.body.error.code, "unauthorized");
        }
    });

    it("deploys a handler that logs as swiftsupport-status", async () => {
        const { handler } = loadColdStart(require.resolve("../../handlers/status"), { AWS_REGION: "eu-west-1", TABLE_NAME: "tickets" }) as {
            handler: (e: unknown) => Promise<{ statusCode: number }>;
        };
        const { result, lines } = await captureLogs(() => handler(statusEvent("not-a-uuid", asUser("user-a"))));
        assert.equal(result.statusCode, 400);
        assert.deepEqual(logRecords(lines).map((r) => [r.service, r.message]), [["swiftsupport-status", "request refused"]]);
    });

    it("refuses to start without TABLE_NAME", () => {
        assert.throws(
            () => loadColdStart(require.resolve("../../handlers/status"), { AWS_REGION: "eu-west-1" }),
            /status: missing required environment variable\(s\) TABLE_NAME/,
        );
    });
    it("logs why a ticket was not shown, which the caller cannot tell apart", async () => {
        const id = await submitAs("user-a");
        const missing = "6f1d2c3b-4a59-4e7f-8d9c-0b1a2c3d4e5f";
        const { lines } = await captureLogs(async () => {
            const read = createStatusHandler({ ...deps, logger: new Logger({ serviceName: "swiftsupport-status" }) });
            await read(statusEvent(id, asUser("user-b")));
            await read(statusEvent(missing, asUser("user-b")));
        });
        assert.deepEqual(
            logRecords(lines).filter((r) => r.message !== "request refused").map((r) => ({ message: r.message, ticketId: r.ticketId, reason: r.reason })),
            [
                { message: "ticket not shown", ticketId: id, reason: "not-owner" },
                { message: "ticket not shown", ticketId: missing, reason: "missing" },
            ],
        );
    });
});
