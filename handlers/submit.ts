import { randomUUID } from "node:crypto";
import { Logger } from "@aws-lambda-powertools/logger";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";
import { ApiError } from "./lib/apiError";
import { apiHandler, type ApiHandler } from "./lib/apiHandler";
import { requireCaller } from "./lib/callerIdentity";
import { requireEnvironment } from "./lib/environment";
import {
    claimIdempotencyKey,
    IDEMPOTENCY_TTL_SECONDS,
    idempotencyRecordId,
    readIdempotencyKey,
    readIdempotencyRecord,
    requestHash,
} from "./lib/idempotency";
import { readJsonBody } from "./lib/jsonBody";
import { jsonResponse } from "./lib/jsonResponse";
import type { TicketItem } from "./lib/ticket";
import { putNewTicket, type TicketTableAccess } from "./lib/ticketStore";
import { parseTicketSubmission, type TicketSubmission } from "./lib/ticketSubmission";

/**
 * Largest accepted body, measured after base64 decoding. 8 KiB is also where the edge WAF's AWS managed Common rule
 * set (SizeRestrictions_BODY) blocks, so what the API accepts is what the edge lets through; a full ASCII ticket
 * (200 + 5,000 characters) fits, and a longer body gets a clear 413 rather than an opaque WAF 403.
 */
export const MAX_BODY_BYTES = 8 * 1024;

/**
 * Claims of one key before giving up: a claim fails only when a live record exists, and the read that follows
 * finds it unless it expired in between, so a second claim settles every real case.
 */
const MAX_CLAIMS = 3;

export interface SubmitDependencies extends TicketTableAccess {
    logger: Logger;
    /** New ticket ids; `crypto.randomUUID` unless a test needs a fixed one. */
    newTicketId?: () => string;
    /** The clock for `createdAt` and for idempotency expiry. */
    now?: () => Date;
}

/**
 * `POST /tickets`: stores the caller's new ticket. Its analysis starts from the table's stream, so submit calls
 * nothing else. With an `Idempotency-Key` header a retried request gets the first answer again instead of a
 * second ticket.
 */
export function createSubmitHandler(deps: SubmitDependencies): ApiHandler<APIGatewayProxyEventV2WithJWTAuthorizer> {
    const { logger } = deps;
    const newTicketId = deps.newTicketId ?? randomUUID;
    const now = deps.now ?? (() => new Date());

    const ticketItem = (id: string, owner: string, submission: TicketSubmission): TicketItem => ({
        id,
        owner,
        subject: submission.subject,
        description: submission.description,
        priority: submission.priority,
        status: "open",
        createdAt: now().toISOString(),
    });

    /**
     * Runs the keyed submit: the first request claims the key with a record naming its ticket id, then stores the
     * ticket; a repeat (or a concurrent twin) reads the record and answers with that same id. The repeat also puts
     * the ticket if it is not there yet, so a first request that stopped between claim and put is completed, and
     * the conditional put makes one ticket of any number of such puts.
     */
    const submitOnce = async (owner: string, key: string, submission: TicketSubmission) => {
        const recordId = idempotencyRecordId(owner, key);
        const hash = requestHash(submission);
        for (let claim = 0; claim < MAX_CLAIMS; claim++) {
            const nowSeconds = Math.floor(now().getTime() / 1000);
            const ticketId = newTicketId();
            const record = { id: recordId, ticketId, requestHash: hash, expiresAt: nowSeconds + IDEMPOTENCY_TTL_SECONDS };
            if ((await claimIdempotencyKey(deps, record, nowSeconds)) === "written") {
                await putNewTicket(deps, ticketItem(ticketId, owner, submission));
                return { id: ticketId, replayed: false };
            }
            const existing = await readIdempotencyRecord(deps, recordId, nowSeconds);
            if (!existing) continue;
            if (existing.requestHash !== hash) {
                throw new ApiError(
                    422,
                    "idempotency_key_reused",
                    "This Idempotency-Key was already used with a different ticket; send a new key for a new ticket.",
                );
            }
            // Written once per key: the record's ticket id exists only in this user's record, so a failed
            // condition here means the ticket is already stored, never that it belongs to someone else.
            await putNewTicket(deps, ticketItem(existing.ticketId, owner, submission));
            return { id: existing.ticketId, replayed: true };
        }
        throw new ApiError(409, "conflict", "This Idempotency-Key is changing hands; retry the request.");
    };

    return apiHandler(logger, async (event) => {
        const owner = requireCaller(event);
        const key = readIdempotencyKey(event.headers);
        const submission = parseTicketSubmission(readJsonBody(event, MAX_BODY_BYTES));

        let id: string;
        let replayed = false;
        if (key === undefined) {
            const item = ticketItem(newTicketId(), owner, submission);
            if ((await putNewTicket(deps, item)) === "condition-failed") {
                // Only a repeated id can get here; the existing ticket is left as it was.
                throw new ApiError(409, "conflict", "A ticket with this id already exists; submit again.");
            }
            id = item.id;
        } else {
            ({ id, replayed } = await submitOnce(owner, key, submission));
        }
        if (replayed) logger.info("ticket replayed", { ticketId: id });
        else logger.info("ticket created", { ticketId: id, priority: submission.priority, idempotencyKey: key !== undefined });

        const stagePrefix = event.requestContext.stage === "$default" ? "" : `/${event.requestContext.stage}`;
        return jsonResponse(
            201,
            { id },
            { location: `${stagePrefix}/tickets/${id}`, ...(replayed ? { "idempotent-replayed": "true" } : {}) },
        );
    });
}

function dependenciesFromEnvironment(): SubmitDependencies {
    const env = requireEnvironment("submit", ["TABLE_NAME"]);
    return {
        db: DynamoDBDocumentClient.from(new DynamoDBClient({})),
        tableName: env.TABLE_NAME,
        logger: new Logger({ serviceName: "swiftsupport-submit" }),
    };
}

/** The Lambda entry; built at cold start so a missing setting fails the init with its name. */
export const handler = createSubmitHandler(dependenciesFromEnvironment());
