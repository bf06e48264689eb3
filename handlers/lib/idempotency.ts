import { createHash } from "node:crypto";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { ApiError } from "./apiError";
import { header } from "./httpHeader";
import { conditional, type TicketTableAccess, type WriteOutcome } from "./ticketStore";
import { IDEMPOTENCY_RECORD_PREFIX, TICKET_TABLE, TTL_ATTRIBUTE } from "./ticketTable";

/** The header a client sends to make a submit safe to retry. */
export const IDEMPOTENCY_HEADER = "idempotency-key";

const KEY_FORMAT = /^[A-Za-z0-9_-]{8,64}$/;

/** How long a key keeps answering with its first ticket: a day covers any client's retry schedule (Stripe's too). */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

/**
 * What the table keeps for one user's key: which ticket the key created and a hash of the submission it created it
 * for. Neither the user id nor the key is stored in clear; both are only in the hashed `id`.
 */
export interface IdempotencyRecord {
    id: string;
    ticketId: string;
    requestHash: string;
    /** Epoch seconds; the table's TTL attribute. */
    [TTL_ATTRIBUTE]: number;
}

/** The `Idempotency-Key` header, or undefined when the request has none; a 400 when it is malformed. */
export function readIdempotencyKey(headers: Record<string, string | undefined> | undefined): string | undefined {
    const key = header(headers, IDEMPOTENCY_HEADER);
    // Stryker disable next-line ConditionalExpression: RegExp.test(undefined) tests "undefined", which fits the format, so undefined is returned either way
    if (key === undefined) return undefined;
    // API Gateway joins repeated headers with a comma, which the format refuses too.
    if (!KEY_FORMAT.test(key)) {
        throw new ApiError(
            400,
            "invalid_idempotency_key",
            "The Idempotency-Key header must be 8 to 64 characters of A-Z, a-z, 0-9, _ and -.",
        );
    }
    return key;
}

/** The record id for one user's key: per user by construction, since the user id is part of what is hashed. */
export function idempotencyRecordId(owner: string, key: string): string {
    return `${IDEMPOTENCY_RECORD_PREFIX}${sha256(JSON.stringify([owner, key]))}`;
}

/** Hash identifying a request's meaning: the same validated submission gives the same hash. */
export function requestHash(submission: unknown): string {
    return sha256(JSON.stringify(submission));
}

/**
 * Stores the record unless a live one holds its id. A record past its expiry counts as absent (TTL deletion lags
 * by up to days), so a key can be used again once it has expired.
 */
export async function claimIdempotencyKey(
    { db, tableName }: TicketTableAccess,
    record: IdempotencyRecord,
    nowSeconds: number,
): Promise<WriteOutcome> {
    return conditional(() =>
        db.send(
            new PutCommand({
                TableName: tableName,
                Item: record,
                ConditionExpression: "attribute_not_exists(#id) OR #expiresAt <= :now",
                ExpressionAttributeNames: { "#id": TICKET_TABLE.hashKey, "#expiresAt": TTL_ATTRIBUTE },
                ExpressionAttributeValues: { ":now": nowSeconds },
            }),
        ),
    );
}

/** The live record with this id, read strongly consistent; undefined when absent or expired. */
export async function readIdempotencyRecord(
    { db, tableName }: TicketTableAccess,
    id: string,
    nowSeconds: number,
): Promise<IdempotencyRecord | undefined> {
    const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: { [TICKET_TABLE.hashKey]: id }, ConsistentRead: true }),
    );
    const record = Item as IdempotencyRecord | undefined;
    return record && record[TTL_ATTRIBUTE] > nowSeconds ? record : undefined;
}

function sha256(text: string): string {
    return createHash("sha256").update(text).digest("hex");
}
