import type { HttpMethod } from "./routePath";

/**
 * The API's CORS settings besides its origins, written once: SecureHttpApi configures API Gateway with them and
 * `npm run dev`'s local API answers with them. Plain data, so the dev server need not load the Pulumi SDK.
 */
export const API_CORS = {
    /** Methods browsers may call cross-origin unless `corsMethods` says otherwise. */
    defaultMethods: ["GET", "POST"] as readonly HttpMethod[],
    /** idempotency-key: submit's retry key (handlers/lib/idempotency.ts). */
    allowHeaders: ["authorization", "content-type", "idempotency-key"],
    /** submit answers 201 with the new ticket's Location, marked when it repeats a first answer. */
    exposeHeaders: ["location", "idempotent-replayed"],
    allowCredentials: false,
    maxAge: 600,
} as const;
