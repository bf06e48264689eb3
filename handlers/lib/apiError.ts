/**
 * A refusal the caller can act on: its status, code and message reach the client verbatim, so the message must
 * never carry stored data or internals.
 */
export class ApiError extends Error {
    constructor(
        readonly status: number,
        readonly code: string,
        message: string,
        readonly headers: Record<string, string> = {},
    ) {
        super(message);
        this.name = "ApiError";
    }
}
