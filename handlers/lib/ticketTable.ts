/**
 * The tickets table's key schema: the one definition read by the Pulumi Table component, the handlers and the
 * tests. It stays plain data with no imports so the Pulumi program need not load the AWS SDK and the handler
 * bundles need not carry Pulumi.
 */
export const TICKET_TABLE = {
    /** Partition key of the table: the ticket id (a UUID). */
    hashKey: "id",
    /** Every attribute used by a key of the table or an index; DynamoDB rejects definitions of any others. */
    attributes: [
        { name: "id", type: "S" },
        { name: "owner", type: "S" },
        { name: "createdAt", type: "S" },
    ],
    /** Lists one user's tickets, newest last (ISO timestamps sort as strings). */
    ownerIndex: { name: "byOwner", hashKey: "owner", rangeKey: "createdAt", projectionType: "ALL" },
} as const;

/**
 * The only attributes the analysis function writes. Its IAM grant pins UpdateItem to these (plus the key) with
 * `dynamodb:Attributes`, so the list lives here, beside the schema, for the handler and the program to share.
 */
export const ANALYSIS_ATTRIBUTES = { analysis: "analysis", version: "analysisVersion" } as const;

/**
 * The table's TTL attribute (epoch seconds). Only idempotency records carry it: DynamoDB deletes an expired record
 * within days, so readers also treat a record past its time as gone. Tickets never carry it and never expire.
 */
export const TTL_ATTRIBUTE = "expiresAt";

/**
 * Prefix of the idempotency records' `id`. Ticket ids are UUIDs, so a record never collides with a ticket, and the
 * ticket routes, which accept only UUIDs, can never read one.
 */
export const IDEMPOTENCY_RECORD_PREFIX = "idempotency#";

/** The primary key of one ticket, as DynamoDB's `Key` parameter wants it. */
export type TicketKey = { [K in typeof TICKET_TABLE.hashKey]: string };

export function ticketKey(id: string): TicketKey {
    return { [TICKET_TABLE.hashKey]: id };
}

/**
 * Structurally a `CreateTableCommandInput` (checked where the tests pass it to `CreateTableCommand`), declared here
 * so this file keeps importing nothing.
 */
export interface TicketTableCreateInput {
    TableName: string;
    BillingMode: "PAY_PER_REQUEST";
    AttributeDefinitions: { AttributeName: string; AttributeType: "S" }[];
    KeySchema: { AttributeName: string; KeyType: "HASH" | "RANGE" }[];
    GlobalSecondaryIndexes: {
        IndexName: string;
        KeySchema: { AttributeName: string; KeyType: "HASH" | "RANGE" }[];
        Projection: { ProjectionType: "ALL" };
    }[];
}

/** The CreateTable request for a table with the tickets schema, for local engines in tests and tools. */
export function ticketTableCreateInput(tableName: string): TicketTableCreateInput {
    const index = TICKET_TABLE.ownerIndex;
    return {
        TableName: tableName,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: TICKET_TABLE.attributes.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
        KeySchema: [{ AttributeName: TICKET_TABLE.hashKey, KeyType: "HASH" }],
        GlobalSecondaryIndexes: [
            {
                IndexName: index.name,
                KeySchema: [
                    { AttributeName: index.hashKey, KeyType: "HASH" },
                    { AttributeName: index.rangeKey, KeyType: "RANGE" },
                ],
                Projection: { ProjectionType: index.projectionType },
            },
        ],
    };
}
