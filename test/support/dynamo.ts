import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { ticketTableCreateInput } from "../../handlers/lib/ticketTable";
import { startDynalite } from "../../tools/dev/localTable";

/** A tickets table on an in-process DynamoDB engine, for handler tests. */
export interface LocalTicketTable {
    /** Document client pointed at the local engine (dummy credentials, nothing leaves the machine). */
    db: DynamoDBDocumentClient;
    /** The low-level client under `db`, for control-plane calls such as DescribeTable. */
    client: DynamoDBClient;
    tableName: string;
    /** How many items the table holds, so a test can prove a refused request wrote nothing. */
    countItems(): Promise<number>;
    /** Closes the client and the engine; call from an `after` hook. */
    stop(): Promise<void>;
}

/**
 * Starts dynalite on an ephemeral loopback port and creates a table from the one key-schema definition
 * (handlers/lib/ticketTable.ts), so tests exercise the schema that is deployed.
 */
export async function startLocalTicketTable(tableName = "tickets"): Promise<LocalTicketTable> {
    const { server, port } = await startDynalite();

    const client = new DynamoDBClient({
        endpoint: `http://127.0.0.1:${port}`,
        region: "local",
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
        maxAttempts: 1,
    });
    const db = DynamoDBDocumentClient.from(client);
    const stop = async () => {
        client.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
    };

    try {
        await client.send(new CreateTableCommand(ticketTableCreateInput(tableName)));
        await waitUntilActive(client, tableName);
    } catch (error) {
        await stop();
        throw error;
    }

    return {
        db,
        client,
        tableName,
        countItems: async () => {
            let count = 0;
            let startKey: Record<string, unknown> | undefined;
            do {
                const page = await db.send(
                    new ScanCommand({ TableName: tableName, Select: "COUNT", ExclusiveStartKey: startKey }),
                );
                count += page.Count ?? 0;
                startKey = page.LastEvaluatedKey;
            } while (startKey);
            return count;
        },
        stop,
    };
}

async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
    for (let attempt = 0; attempt < 100; attempt++) {
        const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
        const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === "ACTIVE");
        if (Table?.TableStatus === "ACTIVE" && indexesActive) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`local table ${tableName} did not become ACTIVE`);
}
