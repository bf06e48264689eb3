import { Logger } from "@aws-lambda-powertools/logger";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";
import { ApiError } from "./lib/apiError";
import { apiHandler, type ApiHandler } from "./lib/apiHandler";
import { requireCaller } from "./lib/callerIdentity";
import { requireEnvironment } from "./lib/environment";
import { jsonResponse } from "./lib/jsonResponse";
import { ticketSummary } from "./lib/ticket";
import { isTicketId } from "./lib/ticketId";
import { listTicketsByOwner, type OwnerPagePosition, type TicketTableAccess } from "./lib/ticketStore";

export interface ListDependencies extends TicketTableAccess {
    logger: Logger;
}

/** Tickets per page unless `limit` says otherwise, and the most a page may hold. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 50;

/** A cursor is a short base64url token; anything longer is not one of ours. */
const MAX_CURSOR_LENGTH = 200;

function badQuery(message: string): ApiError {
    return new ApiError(400, "invalid_query", message);
}

function readLimit(value: string | undefined): number {
    if (value === undefined) return DEFAULT_PAGE_SIZE;
    if (!/^\d{1,3}$/.test(value) || Number(value) < 1 || Number(value) > MAX_PAGE_SIZE) {
        throw badQuery(`limit must be a whole number from 1 to ${MAX_PAGE_SIZE}.`);
    }
    return Number(value);
}

/** The opaque `cursor` a previous page returned: where the next page starts. */
export function encodeCursor(position: OwnerPagePosition): string {
    return Buffer.from(JSON.stringify([position.id, position.createdAt])).toString("base64url");
}

function decodeCursor(value: string | undefined): OwnerPagePosition | undefined {
    if (value === undefined) return undefined;
    const invalid = () => badQuery("cursor is not one this API returned; start again without it.");
    if (value.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(value)) throw invalid();
    let parsed: unknown;
    try {
        parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    } catch {
        // Not JSON: `parsed` stays undefined, which the shape check below refuses.
    }
    if (!Array.isArray(parsed) || parsed.length !== 2) throw invalid();
    const [id, createdAt] = parsed as unknown[];
    // `createdAt` as submit writes it (`Date.toISOString()`).
    if (!isTicketId(id) || typeof createdAt !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(createdAt)) throw invalid();
    return { id, createdAt };
}

/**
 * `GET /tickets`: the caller's tickets, newest first, without their descriptions (`GET /tickets/{id}` has the whole
 * ticket). `limit` (1-50, default 20) sizes a page; `nextCursor`, present while more remain, is passed back as
 * `cursor` for the next one. The owner is always the caller's JWT `sub`: nobody lists anyone else's tickets.
 */
export function createListHandler(deps: ListDependencies): ApiHandler<APIGatewayProxyEventV2WithJWTAuthorizer> {
    return apiHandler(deps.logger, async (event) => {
        const owner = requireCaller(event);
        const query = event.queryStringParameters ?? {};
        const unknown = Object.keys(query).filter((name) => name !== "limit" && name !== "cursor");
        if (unknown.length > 0) throw badQuery("Only the limit and cursor query parameters are accepted.");
        const limit = readLimit(query.limit);
        const after = decodeCursor(query.cursor);
        const page = await listTicketsByOwner(deps, owner, limit, after);
        return jsonResponse(200, {
            tickets: page.items.map(ticketSummary),
            ...(page.next ? { nextCursor: encodeCursor(page.next) } : {}),
        });
    });
}

function dependenciesFromEnvironment(): ListDependencies {
    const env = requireEnvironment("list", ["TABLE_NAME"]);
    return {
        db: DynamoDBDocumentClient.from(new DynamoDBClient({})),
        tableName: env.TABLE_NAME,
        logger: new Logger({ serviceName: "swiftsupport-list" }),
    };
}

/** The Lambda entry; built at cold start so a missing setting fails the init with its name. */
export const handler = createListHandler(dependenciesFromEnvironment());
