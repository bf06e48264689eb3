/**
 * `GET /config.json`: what the page needs to know about where it runs. The Pulumi program writes it per stack
 * (components/site/siteContent.ts) and `npm run dev` writes its own; both follow this shape.
 */
export interface RuntimeConfig {
    /** The Auth0 tenant: a host (`tenant.eu.auth0.com`), or a full `http(s)://host[:port]` URL (a local issuer). */
    auth0Domain: string;
    /** Client ID of the Auth0 Single Page Application. */
    clientId: string;
    /** The API's Auth0 audience (identifier): access tokens are requested for it. */
    audience: string;
    /** Path of the API on the site's own origin, e.g. `/api`. */
    apiBase: string;
}

const FIELDS = ["auth0Domain", "clientId", "audience", "apiBase"] as const;

/** The config from parsed JSON, or an Error naming every field that is missing or wrong. */
export function parseRuntimeConfig(value: unknown): RuntimeConfig {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        throw new Error("config.json must be a JSON object.");
    }
    const record = value as Record<string, unknown>;
    const problems = FIELDS.filter((field) => typeof record[field] !== "string" || (record[field] as string).trim() === "").map(
        (field) => `${field} must be a non-empty string`,
    );
    if (problems.length === 0 && !/^\/[^/]/.test(record.apiBase as string)) problems.push("apiBase must be a path such as /api");
    if (problems.length > 0) throw new Error(`config.json is not usable: ${problems.join("; ")}.`);
    const apiBase = (record.apiBase as string).replace(/\/+$/, "");
    return { auth0Domain: record.auth0Domain as string, clientId: record.clientId as string, audience: record.audience as string, apiBase };
}
