import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { TicketAnalysis, TicketItem } from "./ticket";
import { ANALYSIS_ATTRIBUTES, TICKET_TABLE, ticketKey } from "./ticketTable";

/** Where tickets live: the document client and the table name, injected so tests can point at a local engine. */
export interface TicketTableAccess {
    db: DynamoDBDocumentClient;
    tableName: string;
}

/** What happened to a conditional write. */
export type WriteOutcome = "written" | "condition-failed";

/** Stores a new ticket; never overwrites one that already has its id. */
export async function putNewTicket({ db, tableName }: TicketTableAccess, item: TicketItem): Promise<WriteOutcome> {
    return conditional(() =>
        db.send(
            new PutCommand({
                TableName: tableName,
                Item: item,
                ConditionExpression: "attribute_not_exists(#id)",
                ExpressionAttributeNames: { "#id": TICKET_TABLE.hashKey },
            }),
        ),
    );
}

/** One ticket, read strongly consistent so a ticket is visible as soon as its submit returned. */
export async function getTicket({ db, tableName }: TicketTableAccess, id: string): Promise<TicketItem | undefined> {
    const result = await db.send(new GetCommand({ TableName: tableName, Key: ticketKey(id), ConsistentRead: true }));
    return result.Item as TicketItem | undefined;
}

/**
 * Stores an analysis on an existing ticket. The condition admits a re-run of the same rules version (which writes
 * the same value) and refuses a missing ticket or an older version overwriting a newer analysis.
 */
export async function saveAnalysis(
    { db, tableName }: TicketTableAccess,
    id: string,
    analysis: TicketAnalysis,
    version: number,
): Promise<WriteOutcome> {
    return conditional(() =>
        db.send(
            new UpdateCommand({
                TableName: tableName,
                Key: ticketKey(id),
                UpdateExpression: "SET #analysis = :analysis, #version = :version",
                ConditionExpression: "attribute_exists(#id) AND (attribute_not_exists(#version) OR #version <= :version)",
                ExpressionAttributeNames: {
                    "#id": TICKET_TABLE.hashKey,
                    "#analysis": ANALYSIS_ATTRIBUTES.analysis,
                    "#version": ANALYSIS_ATTRIBUTES.version,
                },
                ExpressionAttributeValues: { ":analysis": analysis, ":version": version },
            }),
        ),
    );
}

/** Runs a conditional write, turning a failed condition into an outcome instead of an error. */
export async function conditional(write: () => Promise<unknown>): Promise<WriteOutcome> {
    try {
        await write();
        return "written";
    } catch (error) {
        // Matched by name: the class may come from another copy of the SDK than the one this bundle sees.
        if ((error as { name?: unknown } | null)?.name === "ConditionalCheckFailedException") return "condition-failed";
        throw error;
    }
}
