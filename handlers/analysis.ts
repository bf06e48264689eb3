import { Logger } from "@aws-lambda-powertools/logger";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type {
    APIGatewayProxyEventV2WithIAMAuthorizer,
    APIGatewayProxyStructuredResultV2,
    Context,
    DynamoDBBatchResponse,
    DynamoDBRecord,
    DynamoDBStreamEvent,
} from "aws-lambda";
import { ApiError } from "./lib/apiError";
import { apiHandler, type ApiHandler } from "./lib/apiHandler";
import { requireEnvironment } from "./lib/environment";
import { jsonResponse } from "./lib/jsonResponse";
import {
    isAllowedRole,
    parseRoleAllowList,
    REANALYSIS_ROLES_VARIABLE,
    roleFromSessionArn,
    type RoleIdentity,
} from "./lib/rolePrincipal";
import type { TicketItem } from "./lib/ticket";
import { ANALYSIS_VERSION, analyseTicket } from "./lib/ticketAnalysis";
import { isTicketId, requireTicketId } from "./lib/ticketId";
import { getTicket, saveAnalysis, type TicketTableAccess } from "./lib/ticketStore";

export interface AnalysisDependencies extends TicketTableAccess {
    logger: Logger;
    /** Roles whose sessions may call `POST /tickets/{id}/analysis`; empty allows nobody. */
    reanalysisRoles: readonly RoleIdentity[];
}

function notFound(): ApiError {
    return new ApiError(404, "not_found", "No such ticket.");
}

/**
 * Analyses a ticket and stores the result on it. Idempotent: the analysis is a pure function of the ticket text and
 * the write admits only the same or a newer rules version, so running it again for the same ticket changes nothing.
 * Returns the analysis now stored, or undefined when the ticket is gone.
 */
async function analyseAndStore(deps: AnalysisDependencies, ticket: Pick<TicketItem, "id" | "subject" | "description">) {
    const analysis = analyseTicket(ticket);
    if ((await saveAnalysis(deps, ticket.id, analysis, ANALYSIS_VERSION)) === "written") {
        deps.logger.info("ticket analysed", {
            ticketId: ticket.id,
            category: analysis.category,
            suggestedPriority: analysis.suggestedPriority,
            sentiment: analysis.sentiment.label,
        });
        return { analysis, analysisVersion: ANALYSIS_VERSION };
    }
    // The condition failed: the ticket vanished, or newer rules already analysed it.
    const current = await getTicket(deps, ticket.id);
    if (!current) return undefined;
    deps.logger.info("newer analysis kept", { ticketId: ticket.id, storedVersion: current.analysisVersion });
    return { analysis: current.analysis, analysisVersion: current.analysisVersion };
}

/**
 * `POST /tickets/{id}/analysis`: re-analysis on demand, for the roles the stack configures (`reanalysisPrincipals`)
 * and nobody else. The route's IAM authorizer only proves who signed; any principal with `execute-api:Invoke` on
 * it gets this far, so the caller's role is checked here against the allow-list.
 */
export function createAnalysisHandler(deps: AnalysisDependencies): ApiHandler<APIGatewayProxyEventV2WithIAMAuthorizer> {
    const { logger } = deps;
    return apiHandler(logger, async (event) => {
        const callerArn: unknown = event.requestContext.authorizer?.iam?.userArn;
        // No identity means the route lost its IAM authorizer; refuse rather than trust an unsigned call.
        // Stryker disable next-line ConditionalExpression: RegExp.exec(undefined) reads "undefined", which is no session ARN either
        const caller = typeof callerArn === "string" ? roleFromSessionArn(callerArn) : undefined;
        if (!caller || !isAllowedRole(caller, deps.reanalysisRoles)) {
            logger.warn("re-analysis refused", { caller: typeof callerArn === "string" ? callerArn : "none" });
            throw new ApiError(
                403,
                "forbidden",
                "Re-analysis may be requested only by a role listed in the stack's reanalysisPrincipals.",
            );
        }
        const id = requireTicketId(event.pathParameters);
        const ticket = await getTicket(deps, id);
        if (!ticket) throw notFound();
        const stored = await analyseAndStore(deps, ticket);
        if (!stored) throw notFound();
        return jsonResponse(200, { id, ...stored });
    });
}

/** The ticket a stream record announces, or undefined (with the reason) when the record is not a new ticket. */
function newTicketOf(record: DynamoDBRecord): { ticket?: Pick<TicketItem, "id" | "subject" | "description">; skip?: string } {
    if (record.eventName !== "INSERT") return { skip: `event ${record.eventName}` };
    const image = record.dynamodb?.NewImage ?? {};
    const id = image.id?.S;
    // Idempotency records share the table; the mapping's filter keeps them out, this keeps them out if it changes.
    if (!isTicketId(id) || image.owner?.S === undefined) return { skip: "not a ticket" };
    const subject = image.subject?.S;
    const description = image.description?.S;
    if (typeof subject !== "string" || typeof description !== "string") {
        throw new Error(`ticket ${id} in the stream has no subject or description`);
    }
    return { ticket: { id, subject, description } };
}

/**
 * The DynamoDB stream consumer: analyses each new ticket in the batch. A record that fails is reported by its
 * sequence number (the event source mapping's ReportBatchItemFailures), so Lambda retries from it instead of
 * re-running the batch, and after its bounded retries sends the batch's details to the on-failure queue. Records
 * that are not new tickets are skipped.
 */
export function createStreamAnalysisHandler(deps: AnalysisDependencies) {
    const { logger } = deps;
    return async (event: DynamoDBStreamEvent, context?: Context): Promise<DynamoDBBatchResponse> => {
        if (context) logger.addContext(context);
        const batchItemFailures: DynamoDBBatchResponse["batchItemFailures"] = [];
        for (const record of event.Records) {
            const sequenceNumber = record.dynamodb?.SequenceNumber ?? "";
            try {
                const { ticket, skip } = newTicketOf(record);
                if (!ticket) {
                    logger.info("stream record skipped", { sequenceNumber, reason: skip });
                    continue;
                }
                const stored = await analyseAndStore(deps, ticket);
                if (!stored) logger.info("ticket gone before analysis", { ticketId: ticket.id });
            } catch (error) {
                // The ticket id is logged so an operator can re-run the analysis route for it; the on-failure
                // queue receives only the batch's shard and sequence range.
                logger.error("ticket analysis failed", {
                    ticketId: record.dynamodb?.Keys?.id?.S,
                    sequenceNumber,
                    error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
                });
                batchItemFailures.push({ itemIdentifier: sequenceNumber });
            }
        }
        return { batchItemFailures };
    };
}

/** Whether Lambda is delivering stream records rather than an API Gateway request (which has no `Records`). */
function isStreamEvent(event: APIGatewayProxyEventV2WithIAMAuthorizer | DynamoDBStreamEvent): event is DynamoDBStreamEvent {
    return Array.isArray((event as { Records?: unknown }).Records);
}

/**
 * One function, two triggers: the table's stream (new tickets) and the re-analysis route. Nobody may invoke the
 * function directly, so an event reaches it only from the event source mapping or from API Gateway.
 */
export function createAnalysisEntry(deps: AnalysisDependencies) {
    const api = createAnalysisHandler(deps);
    const stream = createStreamAnalysisHandler(deps);
    return (
        event: APIGatewayProxyEventV2WithIAMAuthorizer | DynamoDBStreamEvent,
        context?: Context,
    ): Promise<APIGatewayProxyStructuredResultV2 | DynamoDBBatchResponse> =>
        isStreamEvent(event) ? stream(event, context) : api(event, context);
}

function dependenciesFromEnvironment(): AnalysisDependencies {
    const env = requireEnvironment("analysis", ["TABLE_NAME"]);
    return {
        db: DynamoDBDocumentClient.from(new DynamoDBClient({})),
        tableName: env.TABLE_NAME,
        logger: new Logger({ serviceName: "swiftsupport-analysis" }),
        reanalysisRoles: parseRoleAllowList(REANALYSIS_ROLES_VARIABLE, process.env[REANALYSIS_ROLES_VARIABLE]),
    };
}

/** The Lambda entry; built at cold start so a missing or malformed setting fails the init with its name. */
export const handler = createAnalysisEntry(dependenciesFromEnvironment());
