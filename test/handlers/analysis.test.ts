import "./support/lambdaEnvironment";
import { strict as assert } from "node:assert";
import { Logger } from "@aws-lambda-powertools/logger";
import { DeleteCommand, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { Context, DynamoDBRecord } from "aws-lambda";
import { createAnalysisEntry, createAnalysisHandler, createStreamAnalysisHandler } from "../../handlers/analysis";
import { roleFromArn } from "../../handlers/lib/rolePrincipal";
import { ANALYSIS_VERSION } from "../../handlers/lib/ticketAnalysis";
import type { TicketItem } from "../../handlers/lib/ticket";
import { startLocalTicketTable, type LocalTicketTable } from "../support/dynamo";
import { analysisEvent, OPERATOR_ROLE_ARN, OPERATOR_SESSION_ARN, readResponse, silentLogger } from "./support/apiEvents";
import { captureLogs, logRecords } from "./support/capturedLogs";
import { loadColdStart } from "./support/lambdaEnvironment";

const ids = {
    billing: "1a2b3c4d-0000-4000-8000-000000000001",
    newer: "1a2b3c4d-0000-4000-8000-000000000002",
    missing: "1a2b3c4d-0000-4000-8000-0000000000ff",
};

function ticket(id: string, fields: Partial<TicketItem> = {}): TicketItem {
    return {
        id,
        owner: "user-a",
        subject: "Charged twice",
        description: "My credit card was charged twice for the same invoice. Please refund one payment asap!",
        priority: "normal",
        status: "open",
        createdAt: "2025-01-01T00:00:00.000Z",
        ...fields,
    };
}

describe("analysis handler (POST /tickets/{id}/analysis)", () => {
    let table: LocalTicketTable;
    const operators = [roleFromArn(OPERATOR_ROLE_ARN)!];
    const analyse = () =>
        createAnalysisHandler({ db: table.db, tableName: table.tableName, logger: silentLogger(), reanalysisRoles: operators });
    const stored = async (id: string) =>
        (await table.db.send(new GetCommand({ TableName: table.tableName, Key: { id } }))).Item;

    before(async () => {
        table = await startLocalTicketTable();
        for (const item of [ticket(ids.billing), ticket(ids.newer, { analysisVersion: ANALYSIS_VERSION + 1, analysis: { category: "general", suggestedPriority: "low", sentiment: { label: "neutral", score: 0 }, signals: [] } })]) {
            await table.db.send(new PutCommand({ TableName: table.tableName, Item: item }));
        }
    });
    after(async () => {
        await table.stop();
    });

    it("categorises the ticket, suggests a priority, scores its sentiment and stores all of it on the ticket", async () => {
        const response = readResponse(await analyse()(analysisEvent(ids.billing)));

        assert.equal(response.status, 200);
        assert.equal(response.body.analysis.category, "billing");
        assert.equal(response.body.analysis.suggestedPriority, "high");
        assert.ok(["negative", "neutral", "positive"].includes(response.body.analysis.sentiment.label));
        const item = await stored(ids.billing);
        assert.deepEqual(item?.analysis, response.body.analysis);
        assert.equal(item?.analysisVersion, ANALYSIS_VERSION);
        assert.equal(item?.subject, "Charged twice", "the ticket itself is untouched");
    });

    it("is idempotent: a second call answers the same and leaves the same item", async () => {
        const first = readResponse(await analyse()(analysisEvent(ids.billing)));
        const itemAfterFirst = await stored(ids.billing);
        const second = readResponse(await analyse()(analysisEvent(ids.billing)));

        assert.deepEqual(second, first);
        assert.deepEqual(await stored(ids.billing), itemAfterFirst);
    });

    it("leaves an analysis by newer rules in place", async () => {
        const before = await stored(ids.newer);
        const response = readResponse(await analyse()(analysisEvent(ids.newer)));

        assert.equal(response.status, 200);
        assert.equal(response.body.analysisVersion, ANALYSIS_VERSION + 1);
        assert.deepEqual(await stored(ids.newer), before);
    });

    it("answers 404 for an unknown ticket and creates nothing", async () => {
        const count = await table.countItems();
        const response = readResponse(await analyse()(analysisEvent(ids.missing)));

        assert.equal(response.status, 404);
        assert.equal(response.body.error.code, "not_found");
        assert.equal(await table.countItems(), count);
        assert.equal(await stored(ids.missing), undefined);
    });

    it("answers 400 for an id that is not a UUID", async () => {
        const response = readResponse(await analyse()(analysisEvent("..%2F..%2Fadmin")));
        assert.equal(response.status, 400);
        assert.equal(response.body.error.code, "invalid_ticket_id");
    });

    it("refuses to start without TABLE_NAME, or with an allow-list entry that is not a role ARN", () => {
        const module = require.resolve("../../handlers/analysis");
        assert.throws(
            () => loadColdStart(module, { AWS_REGION: "eu-west-1" }),
            /analysis: missing required environment variable\(s\) TABLE_NAME/,
        );
        assert.throws(
            () =>
                loadColdStart(module, {
                    AWS_REGION: "eu-west-1",
                    TABLE_NAME: "tickets",
                    REANALYSIS_ROLE_ARNS: `${OPERATOR_ROLE_ARN},arn:aws:iam::123456789012:user/bob`,
                }),
            /REANALYSIS_ROLE_ARNS must hold IAM role ARNs separated by commas; not a role ARN: arn:aws:iam::123456789012:user\/bob/,
        );
        const loaded = loadColdStart(module, { AWS_REGION: "eu-west-1", TABLE_NAME: "tickets", REANALYSIS_ROLE_ARNS: OPERATOR_ROLE_ARN }) as { handler: unknown };
        assert.equal(typeof loaded.handler, "function");
    });

    it("deploys one entry for both triggers that logs as swiftsupport-analysis", async () => {
        const module = require.resolve("../../handlers/analysis");
        const { handler } = loadColdStart(module, { AWS_REGION: "eu-west-1", TABLE_NAME: "tickets", REANALYSIS_ROLE_ARNS: OPERATOR_ROLE_ARN }) as {
            handler: (e: unknown) => Promise<unknown>;
        };
        const { result, lines } = await captureLogs(() => handler({ Records: [{ eventName: "REMOVE", dynamodb: { SequenceNumber: "7" } }] }));
        assert.deepEqual(result, { batchItemFailures: [] });
        assert.deepEqual(logRecords(lines).map((r) => [r.service, r.message, r.reason]), [["swiftsupport-analysis", "stream record skipped", "event REMOVE"]]);
        const refused = await captureLogs(() => handler(analysisEvent("3c4d5e6f-0000-4000-8000-000000000099", "arn:aws:sts::123456789012:assumed-role/other/x")));
        assert.equal((refused.result as { statusCode: number }).statusCode, 403);
    });
});

describe("re-analysis allow-list (POST /tickets/{id}/analysis)", () => {
    let table: LocalTicketTable;
    const id = "2b3c4d5e-0000-4000-8000-000000000001";
    const FORBIDDEN = {
        error: {
            code: "forbidden",
            message: "Re-analysis may be requested only by a role listed in the stack's reanalysisPrincipals.",
        },
    };
    const analyse = (allowed: string[]) =>
        createAnalysisHandler({
            db: table.db,
            tableName: table.tableName,
            logger: silentLogger(),
            reanalysisRoles: allowed.map((arn) => roleFromArn(arn)!),
        });
    const analysedVersion = async () =>
        (await table.db.send(new GetCommand({ TableName: table.tableName, Key: { id } }))).Item?.analysisVersion;

    before(async () => {
        table = await startLocalTicketTable();
    });
    beforeEach(async () => {
        await table.db.send(new PutCommand({ TableName: table.tableName, Item: ticket(id) }));
    });
    after(async () => {
        await table.stop();
    });

    it("analyses for a session of an allowed role, whatever the role's path and session name", async () => {
        const response = readResponse(await analyse([OPERATOR_ROLE_ARN])(analysisEvent(id, OPERATOR_SESSION_ARN)));
        assert.equal(response.status, 200);
        assert.equal(response.body.id, id);
        assert.equal(await analysedVersion(), ANALYSIS_VERSION);

        const otherSession = "arn:aws:sts::123456789012:assumed-role/swiftsupport-operator/pipeline-42";
        assert.equal(readResponse(await analyse([OPERATOR_ROLE_ARN])(analysisEvent(id, otherSession))).status, 200);
    });

    it("refuses any other principal with 403 and writes nothing", async () => {
        const others = [
            "arn:aws:sts::123456789012:assumed-role/submit-role/submit", // a signed workload not on the list
            "arn:aws:sts::999999999999:assumed-role/swiftsupport-operator/alice", // same role name, other account
            "arn:aws-cn:sts::123456789012:assumed-role/swiftsupport-operator/alice", // other partition
            "arn:aws:iam::123456789012:user/swiftsupport-operator", // an IAM user of the same name
            "arn:aws:iam::123456789012:root",
            "arn:aws:sts::123456789012:federated-user/swiftsupport-operator",
            "arn:aws:sts::123456789012:assumed-role/swiftsupport-operator-2/alice", // a longer name
        ];
        for (const caller of others) {
            const response = readResponse(await analyse([OPERATOR_ROLE_ARN])(analysisEvent(id, caller)));
            assert.equal(response.status, 403, caller);
            assert.deepEqual(response.body, FORBIDDEN, caller);
        }
        assert.equal(await analysedVersion(), undefined);
    });

    it("refuses with 403 a call without an IAM identity, and everyone when no role is configured", async () => {
        for (const [allowed, caller] of [[[OPERATOR_ROLE_ARN], null], [[], OPERATOR_SESSION_ARN]] as const) {
            const response = readResponse(await analyse([...allowed])(analysisEvent(id, caller)));
            assert.equal(response.status, 403);
            assert.deepEqual(response.body, FORBIDDEN);
        }
        assert.equal(await analysedVersion(), undefined);
    });

    it("checks the caller before the ticket, so a refused caller cannot probe ids", async () => {
        const denied = readResponse(await analyse([])(analysisEvent("2b3c4d5e-0000-4000-8000-0000000000ff", OPERATOR_SESSION_ARN)));
        assert.equal(denied.status, 403);
        const allowed = readResponse(await analyse([OPERATOR_ROLE_ARN])(analysisEvent("2b3c4d5e-0000-4000-8000-0000000000ff")));
        assert.equal(allowed.status, 404);
    });
});

describe("analysis from the table's stream", () => {
    let table: LocalTicketTable;
    let sequence = 100;
    const deps = () => ({ db: table.db, tableName: table.tableName, logger: silentLogger(), reanalysisRoles: [] });
    const stored = async (id: string) => (await table.db.send(new GetCommand({ TableName: table.tableName, Key: { id } }))).Item;
    /** A stream record as Lambda delivers it for a NEW_IMAGE stream. */
    const insert = (item: Record<string, string>, eventName: "INSERT" | "MODIFY" | "REMOVE" = "INSERT"): DynamoDBRecord => ({
        eventID: `event-${sequence}`,
        eventName,
        eventSource: "aws:dynamodb",
        awsRegion: "eu-west-1",
        dynamodb: {
            Keys: { id: { S: item.id } },
            NewImage: Object.fromEntries(Object.entries(item).map(([k, v]) => [k, { S: v }])),
            SequenceNumber: String(++sequence).padStart(21, "0"),
            SizeBytes: 200,
            StreamViewType: "NEW_IMAGE",
        },
    });
    const asImage = (t: TicketItem) => ({ id: t.id, owner: t.owner, subject: t.subject, description: t.description, status: t.status });
    const put = async (t: TicketItem) => {
        await table.db.send(new PutCommand({ TableName: table.tableName, Item: t }));
        return insert(asImage(t));
    };

    before(async () => {
        table = await startLocalTicketTable();
    });
    after(async () => {
        await table.stop();
    });

    it("analyses every new ticket in a batch and reports no failure", async () => {
        const records = [
            await put(ticket("3c4d5e6f-0000-4000-8000-000000000001")),
            await put(ticket("3c4d5e6f-0000-4000-8000-000000000002", { subject: "Login broken", description: "I am locked out of my account since the password reset." })),
        ];
        const result = await createStreamAnalysisHandler(deps())({ Records: records });

        assert.deepEqual(result, { batchItemFailures: [] });
        assert.equal((await stored("3c4d5e6f-0000-4000-8000-000000000001"))?.analysis.category, "billing");
        assert.equal((await stored("3c4d5e6f-0000-4000-8000-000000000002"))?.analysis.category, "account");
    });

    it("reports only the failing record in batchItemFailures, by its sequence number, and logs its ticket id", async () => {
        const good1 = await put(ticket("3c4d5e6f-0000-4000-8000-000000000011"));
        const bad = await put(ticket("3c4d5e6f-0000-4000-8000-000000000012"));
        const good2 = await put(ticket("3c4d5e6f-0000-4000-8000-000000000013"));
        const flaky = {
            send: async (command: { input?: { Key?: { id?: string } } }) => {
                if (command.input?.Key?.id === "3c4d5e6f-0000-4000-8000-000000000012") throw new Error("ProvisionedThroughputExceeded");
                return table.db.send(command as never);
            },
        } as unknown as typeof table.db;
        const handler = createStreamAnalysisHandler({ ...deps(), db: flaky, logger: new Logger({ serviceName: "swiftsupport-analysis" }) });

        const { result, lines } = await captureLogs(() => handler({ Records: [good1, bad, good2] }));

        assert.deepEqual(result, { batchItemFailures: [{ itemIdentifier: bad.dynamodb!.SequenceNumber }] });
        assert.ok((await stored("3c4d5e6f-0000-4000-8000-000000000011"))?.analysis);
        assert.equal((await stored("3c4d5e6f-0000-4000-8000-000000000012"))?.analysis, undefined);
        assert.ok((await stored("3c4d5e6f-0000-4000-8000-000000000013"))?.analysis, "records after the failure are still processed");
        const failure = logRecords(lines).find((r) => r.message === "ticket analysis failed");
        assert.equal(failure?.level, "ERROR");
        assert.equal(failure?.ticketId, "3c4d5e6f-0000-4000-8000-000000000012");
    });

    it("reports a new ticket whose image lacks its text as failed, so it ends in the failure queue", async () => {
        const broken = insert({ id: "3c4d5e6f-0000-4000-8000-000000000021", owner: "user-a", subject: "Only a subject" });
        const result = await createStreamAnalysisHandler(deps())({ Records: [broken] });
        assert.deepEqual(result, { batchItemFailures: [{ itemIdentifier: broken.dynamodb!.SequenceNumber }] });
    });

    it("treats a duplicate record as a no-op: same item, no failure", async () => {
        const record = await put(ticket("3c4d5e6f-0000-4000-8000-000000000031"));
        const handler = createStreamAnalysisHandler(deps());
        assert.deepEqual(await handler({ Records: [record] }), { batchItemFailures: [] });
        const afterFirst = await stored("3c4d5e6f-0000-4000-8000-000000000031");
        assert.deepEqual(await handler({ Records: [record, record] }), { batchItemFailures: [] });
        assert.deepEqual(await stored("3c4d5e6f-0000-4000-8000-000000000031"), afterFirst);
    });

    it("skips what is not a new ticket: idempotency records, updates, removals, deleted tickets", async () => {
        const before = await table.countItems();
        const records = [
            insert({ id: "idempotency#0123abcd", ticketId: "3c4d5e6f-0000-4000-8000-000000000041", requestHash: "ab" }),
            insert(asImage(ticket("3c4d5e6f-0000-4000-8000-000000000042")), "MODIFY"),
            insert(asImage(ticket("3c4d5e6f-0000-4000-8000-000000000043")), "REMOVE"),
            // A ticket deleted before its record was processed: the conditional write creates nothing.
            insert(asImage(ticket("3c4d5e6f-0000-4000-8000-000000000044"))),
        ];
        assert.deepEqual(await createStreamAnalysisHandler(deps())({ Records: records }), { batchItemFailures: [] });
        assert.equal(await table.countItems(), before, "nothing was written");
    });

    it("is what the deployed entry runs for stream events, while API events still reach the route", async () => {
        const record = await put(ticket("3c4d5e6f-0000-4000-8000-000000000051"));
        const entry = createAnalysisEntry({ ...deps(), reanalysisRoles: [roleFromArn(OPERATOR_ROLE_ARN)!] });
        assert.deepEqual(await entry({ Records: [record] }), { batchItemFailures: [] });
        assert.ok((await stored("3c4d5e6f-0000-4000-8000-000000000051"))?.analysis);
        const api = await entry(analysisEvent("3c4d5e6f-0000-4000-8000-000000000051"));
        assert.equal((api as { statusCode: number }).statusCode, 200);
    });
});

describe("analysis: what the logs tell an operator", () => {
    let table: LocalTicketTable;
    const operators = [roleFromArn(OPERATOR_ROLE_ARN)!];
    const logger = () => new Logger({ serviceName: "swiftsupport-analysis" });
    const deps = () => ({ db: table.db, tableName: table.tableName, logger: logger(), reanalysisRoles: operators });
    const stored = async (id: string) => (await table.db.send(new GetCommand({ TableName: table.tableName, Key: { id } }))).Item;
    const put = (item: object) => table.db.send(new PutCommand({ TableName: table.tableName, Item: item }));
    const image = (item: Record<string, string>) => Object.fromEntries(Object.entries(item).map(([k, v]) => [k, { S: v }]));
    let sequence = 500;
    const record = (eventName: string, dynamodb?: DynamoDBRecord["dynamodb"]): DynamoDBRecord =>
        ({ eventID: `e-${++sequence}`, eventName, eventSource: "aws:dynamodb", awsRegion: "eu-west-1", dynamodb }) as DynamoDBRecord;
    const newImage = (item: Record<string, string>) =>
        record("INSERT", { Keys: { id: { S: item.id } }, NewImage: image(item), SequenceNumber: String(++sequence), StreamViewType: "NEW_IMAGE" });
    /** The log records of one call, as objects. */
    const logsOf = async <T>(action: () => Promise<T>) => {
        const { result, lines } = await captureLogs(action);
        return { result, records: logRecords(lines) };
    };
    const pick = (r: Record<string, unknown>, ...keys: string[]) => Object.fromEntries(keys.map((k) => [k, r[k]]));

    before(async () => {
        table = await startLocalTicketTable();
    });
    after(async () => {
        await table.stop();
    });

    it("logs what an analysis found, by ticket id, never the text", async () => {
        const id = "4d5e6f70-0000-4000-8000-000000000001";
        await put(ticket(id));
        const { records } = await logsOf(() => createAnalysisHandler(deps())(analysisEvent(id)));
        const analysed = records.find((r) => r.message === "ticket analysed");
        assert.deepEqual(pick(analysed ?? {}, "level", "ticketId", "category", "suggestedPriority", "sentiment"), {
            level: "INFO",
            ticketId: id,
            category: "billing",
            suggestedPriority: "high",
            sentiment: "neutral",
        });
        assert.ok(!JSON.stringify(records).includes("credit card"));
    });

    it("logs that a newer analysis was kept, with its version", async () => {
        const id = "4d5e6f70-0000-4000-8000-000000000002";
        await put(ticket(id, { analysisVersion: ANALYSIS_VERSION + 1, analysis: { category: "bug", suggestedPriority: "low", sentiment: { label: "neutral", score: 0 }, signals: [] } }));
        const { result, records } = await logsOf(() => createAnalysisHandler(deps())(analysisEvent(id)));
        assert.equal(result.statusCode, 200);
        assert.deepEqual(JSON.parse(result.body ?? "").analysis.category, "bug");
        assert.deepEqual(pick(records.find((r) => r.message === "newer analysis kept") ?? {}, "ticketId", "storedVersion"), { ticketId: id, storedVersion: ANALYSIS_VERSION + 1 });
        assert.equal(records.find((r) => r.message === "ticket analysed"), undefined);
    });

    it("logs a refused caller by ARN, or as none", async () => {
        const stranger = "arn:aws:sts::123456789012:assumed-role/other/bob";
        for (const [caller, logged] of [[stranger, stranger], [null, "none"], ["arn:aws:iam::123456789012:user/bob", "arn:aws:iam::123456789012:user/bob"]] as const) {
            const { result, records } = await logsOf(() => createAnalysisHandler(deps())(analysisEvent("4d5e6f70-0000-4000-8000-0000000000ff", caller)));
            assert.equal(result.statusCode, 403);
            assert.deepEqual(pick(records[0], "level", "message", "caller"), { level: "WARN", message: "re-analysis refused", caller: logged });
        }
    });

    it("refuses with 403 a call whose authorizer carries no IAM identity", async () => {
        const event = analysisEvent("4d5e6f70-0000-4000-8000-0000000000ff");
        const jwtOnly = { ...event, requestContext: { ...event.requestContext, authorizer: { jwt: { claims: { sub: "u" } } } } } as unknown as typeof event;
        const result = await createAnalysisHandler({ ...deps(), logger: silentLogger() })(jwtOnly);
        assert.equal(result.statusCode, 403);
    });

    it("answers 404 when the ticket is deleted while it is being analysed", async () => {
        const id = "4d5e6f70-0000-4000-8000-000000000003";
        await put(ticket(id));
        const deleting = {
            send: async (command: { constructor: { name: string } }) => {
                if (command.constructor.name === "UpdateCommand") await table.db.send(new DeleteCommand({ TableName: table.tableName, Key: { id } }));
                return table.db.send(command as never);
            },
        } as unknown as typeof table.db;
        const result = await createAnalysisHandler({ ...deps(), db: deleting, logger: silentLogger() })(analysisEvent(id));
        assert.deepEqual({ status: result.statusCode, body: JSON.parse(result.body ?? "") }, { status: 404, body: { error: { code: "not_found", message: "No such ticket." } } });
        assert.equal(await stored(id), undefined, "the analysis did not recreate the ticket");
    });

    it("skips every record that is not a new ticket, saying why, and analyses none of them", async () => {
        const id = "4d5e6f70-0000-4000-8000-000000000010";
        const text = { owner: "user-a", subject: "Refund", description: "Please refund the double payment." };
        // Stored items each record could be about: the skip, not a failed write, must be what keeps them unanalysed.
        const lookalikes = [`x${id}`, `${id}x`, id.toUpperCase(), "idempotency#4d5e6f70"];
        for (const other of [id, ...lookalikes]) await put({ id: other, ...text });
        const records = [
            record("MODIFY", { Keys: { id: { S: id } }, NewImage: image({ id, ...text }), SequenceNumber: "1", StreamViewType: "NEW_IMAGE" }),
            record("REMOVE", { Keys: { id: { S: id } }, SequenceNumber: "2", StreamViewType: "NEW_IMAGE" }),
            ...lookalikes.map((other) => newImage({ id: other, ...text })),
            newImage({ id, subject: text.subject, description: text.description }), // no owner: not a ticket
            record("INSERT", { Keys: { id: { S: id } }, SequenceNumber: "3", StreamViewType: "NEW_IMAGE" }), // no image
            record("INSERT", { Keys: { id: { S: id } }, NewImage: { id: { N: "1" } }, SequenceNumber: "4", StreamViewType: "NEW_IMAGE" }),
            record("INSERT", { Keys: { id: { S: id } }, NewImage: image(text), SequenceNumber: "5", StreamViewType: "NEW_IMAGE" }), // no id
            record("INSERT"), // no dynamodb at all
        ];
        const { result, records: logs } = await logsOf(() => createStreamAnalysisHandler(deps())({ Records: records }));
        assert.deepEqual(result, { batchItemFailures: [] });
        for (const other of [id, ...lookalikes]) assert.equal((await stored(other))?.analysis, undefined, other);
        assert.deepEqual(
            logs.map((r) => pick(r, "message", "sequenceNumber", "reason")),
            [
                { message: "stream record skipped", sequenceNumber: "1", reason: "event MODIFY" },
                { message: "stream record skipped", sequenceNumber: "2", reason: "event REMOVE" },
                ...records.slice(2, 10).map((r) => ({ message: "stream record skipped", sequenceNumber: r.dynamodb?.SequenceNumber, reason: "not a ticket" })),
                // No sequence number to name: the logger leaves the empty value out.
                { message: "stream record skipped", sequenceNumber: undefined, reason: "not a ticket" },
            ],
        );
    });

    it("logs a ticket deleted before its record was processed, and a failure with the error and ticket id", async () => {
        const gone = newImage({ id: "4d5e6f70-0000-4000-8000-000000000020", owner: "user-a", subject: "Refund", description: "Please refund the payment." });
        const textless = newImage({ id: "4d5e6f70-0000-4000-8000-000000000021", owner: "user-a", subject: "Refund" });
        const subjectless = newImage({ id: "4d5e6f70-0000-4000-8000-000000000023", owner: "user-a", description: "Please refund the payment." });
        const fine = ticket("4d5e6f70-0000-4000-8000-000000000024");
        await put(fine);
        const analysed = newImage({ id: fine.id, owner: fine.owner, subject: fine.subject, description: fine.description });
        const context = { functionName: "analysis-fn", awsRequestId: "req-9", invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:analysis-fn", memoryLimitInMB: "256", functionVersion: "$LATEST" } as Context;
        const { result, records } = await logsOf(() => createStreamAnalysisHandler(deps())({ Records: [gone, textless, subjectless, analysed] }, context));
        assert.deepEqual(result, { batchItemFailures: [textless, subjectless].map((r) => ({ itemIdentifier: r.dynamodb!.SequenceNumber })) });
        assert.deepEqual(records.map((r) => pick(r, "level", "message", "ticketId", "function_name")), [
            { level: "INFO", message: "ticket gone before analysis", ticketId: "4d5e6f70-0000-4000-8000-000000000020", function_name: "analysis-fn" },
            { level: "ERROR", message: "ticket analysis failed", ticketId: "4d5e6f70-0000-4000-8000-000000000021", function_name: "analysis-fn" },
            { level: "ERROR", message: "ticket analysis failed", ticketId: "4d5e6f70-0000-4000-8000-000000000023", function_name: "analysis-fn" },
            { level: "INFO", message: "ticket analysed", ticketId: fine.id, function_name: "analysis-fn" },
        ]);
        assert.equal(records[1].error, "Error: ticket 4d5e6f70-0000-4000-8000-000000000021 in the stream has no subject or description");
        assert.equal(records[1].sequenceNumber, textless.dynamodb!.SequenceNumber);
        assert.equal(records[2].error, "Error: ticket 4d5e6f70-0000-4000-8000-000000000023 in the stream has no subject or description");
    });

    it("reports a failing record that names no key, logging no ticket id", async () => {
        const keyless = newImage({ id: "4d5e6f70-0000-4000-8000-000000000022", owner: "user-a", subject: "Refund" });
        delete keyless.dynamodb!.Keys;
        const idless = newImage({ id: "4d5e6f70-0000-4000-8000-000000000025", owner: "user-a", subject: "Refund" });
        idless.dynamodb!.Keys = {};
        const { result, records } = await logsOf(() => createStreamAnalysisHandler(deps())({ Records: [keyless, idless] }));
        assert.deepEqual(result, { batchItemFailures: [keyless, idless].map((r) => ({ itemIdentifier: r.dynamodb!.SequenceNumber })) });
        assert.deepEqual(records.map((r) => pick(r, "message", "ticketId")), [
            { message: "ticket analysis failed", ticketId: undefined },
            { message: "ticket analysis failed", ticketId: undefined },
        ]);
    });

    it("logs a thrown non-error as text", async () => {
        const throwing = { send: () => Promise.reject("throttled") } as unknown as typeof table.db;
        const item = newImage({ id: "4d5e6f70-0000-4000-8000-000000000030", owner: "user-a", subject: "Refund", description: "Please refund the payment." });
        const { result, records } = await logsOf(() => createStreamAnalysisHandler({ ...deps(), db: throwing })({ Records: [item] }));
        assert.deepEqual(result, { batchItemFailures: [{ itemIdentifier: item.dynamodb!.SequenceNumber }] });
        assert.equal(records[0].error, "throttled");
    });
});
