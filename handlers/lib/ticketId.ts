import { ApiError } from "./apiError";

/** A ticket id as submit writes it: a lower-case UUID (`crypto.randomUUID()`). */
export function isTicketId(value: unknown): value is string {
    return typeof value === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value);
}

/**
 * The `{id}` path parameter as a canonical (lower-case) UUID. Anything else is refused before it reaches the
 * table, so traversal strings or huge values never become keys.
 */
export function requireTicketId(pathParameters: Record<string, string | undefined> | undefined): string {
    const id = pathParameters?.id?.toLowerCase();
    if (!isTicketId(id)) throw new ApiError(400, "invalid_ticket_id", "The ticket id must be a UUID.");
    return id;
}
