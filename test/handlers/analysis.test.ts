import "./support/lambdaEnvironment";
import { strict as assert } from "node:assert";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { createAnalysisHandler } from "../../handlers/analysis";
import { ANALYSIS_VERSION } from "../../handlers/lib/ticketAnalysis";
import type { TicketItem } from "../../handlers/lib/ticket";
import { startLocalTicketTable, type LocalTicketTable } from "../support/dynamo";
import { analysisEvent, readResponse, silentLogger } from "./support/apiEvents";
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
    const analyse = () => createAnalysisHandler({ db: table.db, tableName: table.tableName, logger: silentLogger() });
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

    it("refuses a call that did not pass the IAM authorizer", async () => {
        const response = readResponse(await analyse()(analysisEvent(ids.billing, false)));
        assert.equal(response.status, 401);
        assert.equal(response.body.error.code, "unauthorized");
    });

    it("refuses to start without TABLE_NAME", () => {
        assert.throws(
            () => loadColdStart(require.resolve("../../handlers/analysis"), { AWS_REGION: "eu-west-1" }),
            /analysis: missing required environment variable\(s\) TABLE_NAME/,
        );
    });
});
