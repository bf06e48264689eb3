import type { APIGatewayProxyEventV2WithJWTAuthorizer } from "aws-lambda";
import { ApiError } from "./apiError";

/** Longest `sub` accepted; longer values come from no identity provider we use and would bloat the owner index. */
const MAX_SUBJECT_LENGTH = 255;

/**
 * The caller's user id: the `sub` claim the API's JWT authorizer verified. A missing, empty or non-string claim
 * means the route is not protected as it should be or the token is not ours, so the request is refused (fail closed).
 */
export function requireCaller(event: APIGatewayProxyEventV2WithJWTAuthorizer): string {
    const sub: unknown = event.requestContext.authorizer?.jwt?.claims?.sub;
    if (typeof sub !== "string" || sub.trim() === "" || sub.length > MAX_SUBJECT_LENGTH) {
        throw new ApiError(401, "unauthorized", "A valid bearer token is required.", {
            "www-authenticate": "Bearer",
        });
    }
    return sub;
}
