import { Logger } from "@aws-lambda-powertools/logger";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyEventV2WithIAMAuthorizer } from "aws-lambda";
import { ApiError } from "./lib/apiError";
import { apiHandler, type ApiHandler } from "./lib/apiHandler";
import { requireEnvironment } from "./lib/environment";
import { jsonResponse } from "./lib/jsonResponse";
import { ANALYSIS_VERSION, analyseTicket } from "./lib/ticketAnalysis";
import { requireTicketId } from "./lib/ticketId";
import { getTicket, saveAnalysis, type TicketTableAccess } from "./lib/ticketStore";

export interface AnalysisDependencies extends TicketTableAccess {
    logger: Logger;
}

const notFound = () => new ApiError(404, "not_found", "No such ticket.");

/**
 * `POST /tickets/{id}/analysis`, called service-to-service with IAM auth: analyses the stored ticket and stores the
 * result on it. Idempotent: the analysis is a pure function of the ticket text, so a retry writes the same item.
 */
export function createAnalysisHandler(deps: AnalysisDependencies): ApiHandler<APIGatewayProxyEventV2WithIAMAuthorizer> {
    const { logger } = deps;
    return apiHandler(logger, async (event) => {
        // API Gateway only forwards signed calls; refusing unsigned ones too keeps analyses private if a route
        // is ever deployed without its IAM authorizer.
        if (typeof event.requestContext.authorizer?.iam?.userArn !== "string") {
            throw new ApiError(401, "unauthorized", "This endpoint takes SigV4-signed service calls only.");
        }
        const id = requireTicketId(event.pathParameters);
        const ticket = await getTicket(deps, id);
        if (!ticket) throw notFound();

        const analysis = analyseTicket(ticket);
        if ((await saveAnalysis(deps, id, analysis, ANALYSIS_VERSION)) === "written") {
            logger.info("ticket analysed", {
                ticketId: id,
                category: analysis.category,
                suggestedPriority: analysis.suggestedPriority,
                sentiment: analysis.sentiment.label,
            });
            return jsonResponse(200, { id, analysis, analysisVersion: ANALYSIS_VERSION });
        }

        // The condition failed: the ticket vanished since the read, or newer rules already analysed it.
        const current = await getTicket(deps, id);
        if (!current) throw notFound();
        logger.info("newer analysis kept", { ticketId: id, storedVersion: current.analysisVersion });
        return jsonResponse(200, { id, analysis: current.analysis, analysisVersion: current.analysisVersion });
    });
}

function dependenciesFromEnvironment(): AnalysisDependencies {
    const env = requireEnvironment("analysis", ["TABLE_NAME"]);
    return {
        db: DynamoDBDocumentClient.from(new DynamoDBClient({})),
        tableName: env.TABLE_NAME,
        logger: new Logger({ serviceName: "swiftsupport-analysis" }),
    };
}

/** The Lambda entry; built at cold start so a missing setting fails the init with its name. */
export const handler = createAnalysisHandler(dependenciesFromEnvironment());
