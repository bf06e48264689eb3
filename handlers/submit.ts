import { randomUUID } from "node:crypto";
import { Logger } from "@aws-lambda-powertools/logger";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { fromEnv } from "@aws-sdk/credential-provider-env";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";
import { createAnalysisTrigger, type AnalysisTrigger } from "./lib/analysisTrigger";
import { ApiError } from "./lib/apiError";
import { apiHandler, type ApiHandler } from "./lib/apiHandler";
import { requireCaller } from "./lib/callerIdentity";
import { requireEnvironment, requireHttpsUrl } from "./lib/environment";
import { readJsonBody } from "./lib/jsonBody";
import { jsonResponse } from "./lib/jsonResponse";
import type { TicketItem } from "./lib/ticket";
import { putNewTicket, type TicketTableAccess } from "./lib/ticketStore";
import { parseTicketSubmission } from "./lib/ticketSubmission";

/**
 * Largest accepted body, measured after base64 decoding. 8 KiB is also where the edge WAF's AWS managed Common rule
 * set (SizeRestrictions_BODY) blocks, so what the API accepts is what the edge lets through; a full ASCII ticket
 * (200 + 5,000 characters) fits, and a longer body gets a clear 413 rather than an opaque WAF 403.
 */
export const MAX_BODY_BYTES = 8 * 1024;

export interface SubmitDependencies extends TicketTableAccess {
    logger: Logger;
    /** Starts the analysis of a stored ticket; its failure is logged, never returned to the user. */
    analysisTrigger: AnalysisTrigger;
    /** New ticket ids; `crypto.randomUUID` unless a test needs a fixed one. */
    newTicketId?: () => string;
    /** The clock for `createdAt`. */
    now?: () => Date;
}

/** `POST /tickets`: stores the caller's new ticket and starts its analysis. */
export function createSubmitHandler(deps: SubmitDependencies): ApiHandler<APIGatewayProxyEventV2WithJWTAuthorizer> {
    const { logger, analysisTrigger } = deps;
    const newTicketId = deps.newTicketId ?? randomUUID;
    const now = deps.now ?? (() => new Date());

    return apiHandler(logger, async (event) => {
        const owner = requireCaller(event);
        const submission = parseTicketSubmission(readJsonBody(event, MAX_BODY_BYTES));
        const item: TicketItem = {
            id: newTicketId(),
            owner,
            subject: submission.subject,
            description: submission.description,
            priority: submission.priority,
            status: "open",
            createdAt: now().toISOString(),
        };
        if ((await putNewTicket(deps, item)) === "condition-failed") {
            // Only a repeated id can get here; the existing ticket is left as it was.
            throw new ApiError(409, "conflict", "A ticket with this id already exists; submit again.");
        }
        logger.info("ticket created", { ticketId: item.id, priority: item.priority });

        try {
            await analysisTrigger(item.id);
        } catch (error) {
            // The ticket is stored and analysis is idempotent: the user still gets their 201, and this log line
            // (a ticket without analysis) is what an operator re-runs `POST /tickets/{id}/analysis` from.
            logger.warn("analysis trigger failed", { ticketId: item.id, analysisPending: true, reason: describe(error) });
        }

        const stagePrefix = event.requestContext.stage === "$default" ? "" : `/${event.requestContext.stage}`;
        return jsonResponse(201, { id: item.id }, { location: `${stagePrefix}/tickets/${item.id}` });
    });
}

/** Error name and message only: a stack or cause could carry request details into the logs. */
function describe(error: unknown): string {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function dependenciesFromEnvironment(): SubmitDependencies {
    const env = requireEnvironment("submit", ["TABLE_NAME", "ANALYSIS_ENDPOINT", "AWS_REGION"]);
    return {
        db: DynamoDBDocumentClient.from(new DynamoDBClient({})),
        tableName: env.TABLE_NAME,
        logger: new Logger({ serviceName: "swiftsupport-submit" }),
        analysisTrigger: createAnalysisTrigger({
            endpoint: requireHttpsUrl("ANALYSIS_ENDPOINT", env.ANALYSIS_ENDPOINT),
            region: env.AWS_REGION,
            credentials: fromEnv(),
        }),
    };
}

/** The Lambda entry; built at cold start so a missing setting fails the init with its name. */
export const handler = createSubmitHandler(dependenciesFromEnvironment());
