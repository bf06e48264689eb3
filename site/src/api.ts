import type { Priority, TicketSummary, TicketView } from "../../handlers/lib/ticket";
import { RETRY_DELAYS_MS } from "./backoff";

/** A refusal or failure of an API call, with the API's own message when it sent one. */
export class ApiFailure extends Error {
    constructor(
        readonly status: number,
        readonly code: string,
        message: string,
    ) {
        super(message);
        this.name = "ApiFailure";
    }
}

/**
 * The error an API response carries: the API's `{ "error": { "code", "message" } }` when the body is that shape,
 * otherwise (a WAF block, a gateway error page, an empty body) a message naming the status.
 */
export function failureOf(status: number, body: string): ApiFailure {
    try {
        const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown }; message?: unknown };
        const { code, message } = parsed.error ?? {};
        if (typeof code === "string" && typeof message === "string") return new ApiFailure(status, code, message);
        // API Gateway's own refusals (no or a bad token) are `{ "message": "Unauthorized" }`.
        if (typeof parsed.message === "string") return new ApiFailure(status, `http_${status}`, `${parsed.message} (HTTP ${status}).`);
    } catch {
        // Not JSON: described by its status below.
    }
    return new ApiFailure(status, `http_${status}`, `The request failed (HTTP ${status}). Please try again.`);
}

/** A new ticket as the form sends it. */
export interface NewTicket {
    subject: string;
    description: string;
    priority: Priority;
}

/** One page of the caller's tickets. */
export interface TicketPage {
    tickets: TicketSummary[];
    nextCursor?: string;
}

export interface TicketsApiOptions {
    /** `apiBase` from config.json, e.g. `/api`. */
    apiBase: string;
    /** An access token for the API (auth0-spa-js `getTokenSilently`). */
    token: () => Promise<string>;
    /** `fetch`, injectable for tests. */
    fetch?: typeof fetch;
    /** Waits, injectable for tests. */
    sleep?: (ms: number) => Promise<void>;
}

/** Statuses worth a retry of the same request: the API asks for one (409: a key changing hands) or failed transiently. */
const RETRYABLE = new Set([409, 429, 500, 502, 503, 504]);

/** The ticket API under `apiBase`, every call with the caller's bearer token. */
export class TicketsApi {
    private readonly fetch: typeof fetch;
    private readonly sleep: (ms: number) => Promise<void>;

    constructor(private readonly options: TicketsApiOptions) {
        this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
        this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    }

    /**
     * Submits a ticket and returns its id. One Idempotency-Key for the whole call, so a retry after a lost
     * response or a transient failure returns the first ticket instead of creating a second.
     */
    async submit(ticket: NewTicket, idempotencyKey: string): Promise<string> {
        const body = JSON.stringify(ticket);
        const result = (await this.request("POST", "/tickets", { body, idempotencyKey, retry: true })) as { id?: unknown };
        if (typeof result.id !== "string") throw new ApiFailure(502, "bad_response", "The API accepted the ticket but did not return its id.");
        return result.id;
    }

    /** One of the caller's tickets; an ApiFailure with status 404 when it is not theirs or does not exist. */
    async ticket(id: string): Promise<TicketView> {
        return (await this.request("GET", `/tickets/${encodeURIComponent(id)}`, { retry: true })) as TicketView;
    }

    /** A page of the caller's tickets, newest first. */
    async list(cursor?: string): Promise<TicketPage> {
        const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
        return (await this.request("GET", `/tickets${query}`, { retry: true })) as TicketPage;
    }

    private async request(method: string, path: string, opts: { body?: string; idempotencyKey?: string; retry: boolean }): Promise<unknown> {
        const attempts = opts.retry ? RETRY_DELAYS_MS.length + 1 : 1;
        for (let attempt = 0; ; attempt++) {
            const headers: Record<string, string> = { accept: "application/json", authorization: `Bearer ${await this.options.token()}` };
            if (opts.body !== undefined) headers["content-type"] = "application/json";
            if (opts.idempotencyKey !== undefined) headers["idempotency-key"] = opts.idempotencyKey;
            let response: Response;
            try {
                response = await this.fetch(`${this.options.apiBase}${path}`, { method, headers, body: opts.body, cache: "no-store" });
            } catch {
                if (attempt + 1 < attempts) {
                    await this.sleep(RETRY_DELAYS_MS[attempt]);
                    continue;
                }
                throw new ApiFailure(0, "network", "The support service could not be reached. Check your connection and try again.");
            }
            const text = await response.text();
            if (response.ok) {
                try {
                    return JSON.parse(text) as unknown;
                } catch {
                    throw new ApiFailure(response.status, "bad_response", "The support service sent an unreadable answer. Please try again.");
                }
            }
            if (RETRYABLE.has(response.status) && attempt + 1 < attempts) {
                await this.sleep(RETRY_DELAYS_MS[attempt]);
                continue;
            }
            throw failureOf(response.status, text);
        }
    }
}
