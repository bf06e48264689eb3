import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
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

/** Where a page of one owner's tickets starts: the last ticket of the page before (its id and creation time). */
export interface OwnerPagePosition {
    id: string;
    createdAt: string;
}

/** One page of an owner's tickets, newest first, and where the next page starts (absent on the last page). */
export interface OwnerTicketPage {
    items: TicketItem[];
    next?: OwnerPagePosition;
}

/**
 * One owner's tickets, newest first, through the owner index (eventually consistent, as every global secondary
 * index is: a ticket stored a moment ago can be missing for a moment). `after` continues from a previous page; the
 * owner of the start key is always `owner`, so a page never starts in someone else's tickets.
 */
export async function listTicketsByOwner(
    { db, tableName }: TicketTableAccess,
    owner: string,
    limit: number,
    after?: OwnerPagePosition,
): Promise<OwnerTicketPage> {
    const index = TICKET_TABLE.ownerIndex;
    const result = await db.send(
        new QueryCommand({
            TableName: tableName,
            IndexName: index.name,
            KeyConditionExpression: "#owner = :owner",
            ExpressionAttributeNames: { "#owner": index.hashKey },
            ExpressionAttributeValues: { ":owner": owner },
            ScanIndexForward: false,
            Limit: limit,
            ...(after
                ? { ExclusiveStartKey: { [TICKET_TABLE.hashKey]: after.id, [index.hashKey]: owner, [index.rangeKey]: after.createdAt } }
                : {}),
        }),
    );
    const last = result.LastEvaluatedKey;
    return {
        items: (result.Items ?? []) as TicketItem[],
        ...(last ? { next: { id: String(last[TICKET_TABLE.hashKey]), createdAt: String(last[index.rangeKey]) } } : {}),
    };
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
        if ((error as { name?: unknown }).name === "ConditionalCheckFailedException") return "condition-failed";
        throw error;
    }
}
