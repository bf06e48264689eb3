import { Logger } from "@aws-lambda-powertools/logger";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";
import { ApiError } from "./lib/apiError";
import { apiHandler, type ApiHandler } from "./lib/apiHandler";
import { requireCaller } from "./lib/callerIdentity";
import { requireEnvironment } from "./lib/environment";
import { jsonResponse } from "./lib/jsonResponse";
import { ticketView } from "./lib/ticket";
import { requireTicketId } from "./lib/ticketId";
import { getTicket, type TicketTableAccess } from "./lib/ticketStore";

export interface StatusDependencies extends TicketTableAccess {
    logger: Logger;
}

/** `GET /tickets/{id}`: the ticket, to its owner only. */
export function createStatusHandler(deps: StatusDependencies): ApiHandler<APIGatewayProxyEventV2WithJWTAuthorizer> {
    const { logger } = deps;
    return apiHandler(logger, async (event) => {
        const caller = requireCaller(event);
        const id = requireTicketId(event.pathParameters);
        const item = await getTicket(deps, id);
        if (!item || item.owner !== caller) {
            // One answer for "absent" and "someone else's", so ids cannot be probed; the log keeps the difference.
            logger.info("ticket not shown", { ticketId: id, reason: item ? "not-owner" : "missing" });
            throw new ApiError(404, "not_found", "No such ticket.");
        }
        return jsonResponse(200, ticketView(item));
    });
}

function dependenciesFromEnvironment(): StatusDependencies {
    const env = requireEnvironment("status", ["TABLE_NAME"]);
    return {
        db: DynamoDBDocumentClient.from(new DynamoDBClient({})),
        tableName: env.TABLE_NAME,
        logger: new Logger({ serviceName: "swiftsupport-status" }),
    };
}

/** The Lambda entry; built at cold start so a missing setting fails the init with its name. */
export const handler = createStatusHandler(dependenciesFromEnvironment());
