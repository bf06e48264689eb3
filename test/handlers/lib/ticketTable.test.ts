import { strict as assert } from "node:assert";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { TICKET_TABLE, ticketKey, ticketTableCreateInput } from "../../../handlers/lib/ticketTable";
import { startLocalTicketTable } from "../../support/dynamo";

describe("ticket table definition", () => {
    it("declares exactly the attributes its keys use, as DynamoDB requires", () => {
        const keyAttributes = new Set([TICKET_TABLE.hashKey, TICKET_TABLE.ownerIndex.hashKey, TICKET_TABLE.ownerIndex.rangeKey]);
        assert.deepEqual(new Set(TICKET_TABLE.attributes.map((a) => a.name)), keyAttributes);
    });

    it("builds item keys from the table's hash key", () => {
        assert.deepEqual(ticketKey("abc"), { [TICKET_TABLE.hashKey]: "abc" });
    });

    it("creates a table whose key schema and owner index match the definition", async () => {
        const table = await startLocalTicketTable("schema-check");
        try {
            const description = await table.client.send(new DescribeTableCommand({ TableName: "schema-check" }));
            const expected = ticketTableCreateInput("schema-check");
            assert.deepEqual(description.Table?.KeySchema, expected.KeySchema);
            const index = description.Table?.GlobalSecondaryIndexes?.[0];
            assert.equal(index?.IndexName, TICKET_TABLE.ownerIndex.name);
            assert.deepEqual(index?.KeySchema, expected.GlobalSecondaryIndexes[0].KeySchema);
            assert.equal(index?.Projection?.ProjectionType, "ALL");
        } finally {
            await table.stop();
        }
    });
});
