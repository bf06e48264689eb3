import { ApiError } from "./apiError";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The `{id}` path parameter as a canonical (lower-case) UUID. Anything else is refused before it reaches the
 * table, so traversal strings or huge values never become keys.
 */
export function requireTicketId(pathParameters: Record<string, string | undefined> | undefined): string {
    const id = pathParameters?.id;
    // Stryker disable next-line ConditionalExpression: RegExp.test(undefined) tests "undefined", which is no UUID either
    if (typeof id !== "string" || !UUID.test(id)) {
        throw new ApiError(400, "invalid_ticket_id", "The ticket id must be a UUID.");
    }
    return id.toLowerCase();
}
