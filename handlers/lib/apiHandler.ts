import type { Logger } from "@aws-lambda-powertools/logger";
import type { APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { ApiError } from "./apiError";
import { errorResponse } from "./jsonResponse";

/** The part of an HTTP API (payload v2.0) event this wrapper reads; every v2 event type has it. */
interface HttpApiEvent {
    routeKey: string;
    requestContext: { requestId: string };
}

export type ApiHandler<E extends HttpApiEvent> = (
    event: E,
    context?: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * Turns request logic into a Lambda handler that always answers with the API's JSON shapes: an `ApiError` becomes
 * its own status and code, anything else a 500 with a generic message (and the full error in the log, under the
 * request id), so internals never reach callers.
 */
export function apiHandler<E extends HttpApiEvent>(
    logger: Logger,
    handle: (event: E) => Promise<APIGatewayProxyStructuredResultV2>,
): ApiHandler<E> {
    return async (event, context) => {
        if (context) logger.addContext(context);
        const requestId = event.requestContext.requestId;
        logger.appendKeys({ requestId, route: event.routeKey });
        try {
            return await handle(event);
        } catch (error) {
            if (error instanceof ApiError) {
                logger.info("request refused", { status: error.status, code: error.code });
                return errorResponse(error.status, error.code, error.message, error.headers);
            }
            if (error instanceof Error) logger.error("request failed", error);
            else logger.error("request failed", { error: String(error) });
            return errorResponse(500, "internal_error", `The request could not be completed (reference ${requestId}).`);
        } finally {
            // Keys are per request; a warm container must not carry the last request's id into the next.
            logger.resetKeys();
        }
    };
}
