// The local token issuer of `npm run dev`: Auth0-compatible enough for @auth0/auth0-spa-js (Authorization Code with
// PKCE, refresh tokens, silent `prompt=none`), plus `POST /.dev/token` for tests and scripts. It signs RS256 tokens
// with a key made at start-up and publishes it as a JWKS, as an Auth0 tenant does. Dev only: anyone who can reach
// the port can sign in as anyone, which is the point.

import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";

/** What the dev issuer is, as the site's `/config.json` and the local API see it. */
export interface IssuerIdentity {
    /** `iss` of every token: the origin plus `/`, as an Auth0 tenant URL is written (and as auth0-spa-js expects). */
    issuer: string;
    /** The single client (the site). */
    clientId: string;
    /** `aud` of access tokens (the API identifier). */
    audience: string;
}

export interface IssuerOptions {
    /** The server's origin, `https://127.0.0.1:PORT`. */
    origin: string;
    /** Access and ID token lifetime in seconds. */
    tokenLifetimeSeconds: number;
}

/** The site's client id and the API's audience in dev; fixed so scripts and the site config can name them. */
export const DEV_CLIENT_ID = "swiftsupport-dev-site";
export const DEV_AUDIENCE = "https://api.swiftsupport.localhost";

/** A sign-in name: what a person types on the sign-in page, used as the token's `sub`. */
const USER_NAME = /^[A-Za-z0-9._@+-]{1,64}$/;
const CODE_LIFETIME_MS = 60_000;
/** Longest `expiresIn` `/.dev/token` accepts (a day) and the oldest past expiry (for expired-token tests). */
const DEV_TOKEN_RANGE = { min: -86_400, max: 86_400 };

interface PendingCode {
    sub: string;
    redirectUri: string;
    codeChallenge: string;
    nonce?: string;
    scope: string;
    audience: string;
    expiresAt: number;
}

interface RefreshGrant {
    sub: string;
    scope: string;
    audience: string;
}

/** Headers for the issuer's own pages: their script and style come from this origin, nothing else loads. */
function pageHeaders(frameAncestors: "'none'" | "'self'"): Record<string, string> {
    return {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
        "content-security-policy": `default-src 'none'; script-src 'self'; style-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors ${frameAncestors}`,
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
    };
}

const SIGN_IN_CSS = `body{font:16px/1.5 system-ui,sans-serif;margin:0;display:flex;justify-content:center}
main{max-width:24rem;margin:4rem 1rem;padding:2rem;border:1px solid #888;border-radius:.5rem}
label{display:block;font-weight:600;margin-bottom:.25rem}
input{font:inherit;width:100%;box-sizing:border-box;padding:.5rem;margin-bottom:1rem}
button{font:inherit;padding:.5rem 1rem}
:focus-visible{outline:3px solid #1a5fb4;outline-offset:2px}
.error{color:#a51d2d}
`;

// Posts the prompt=none answer to the page that framed it (auth0-spa-js's response_mode=web_message); the answer
// is in data attributes so the page needs no inline script.
const WEB_MESSAGE_JS = `(function(){var b=document.body;parent.postMessage({type:"authorization_response",response:JSON.parse(b.getAttribute("data-response"))},b.getAttribute("data-origin"));})();
`;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const base64url = (buffer: Buffer) => buffer.toString("base64url");

/** An OAuth error the issuer answers with as JSON (token endpoint) or on a page (authorize endpoint). */
class OAuthError extends Error {
    constructor(
        readonly status: number,
        readonly error: string,
        description: string,
    ) {
        super(description);
    }
}

export class DevIssuer {
    readonly identity: IssuerIdentity;
    private readonly codes = new Map<string, PendingCode>();
    private readonly refreshTokens = new Map<string, RefreshGrant>();

    private constructor(
        private readonly options: IssuerOptions,
        private readonly privateKey: CryptoKey,
        private readonly publicJwk: JWK,
    ) {
        this.identity = { issuer: `${options.origin}/`, clientId: DEV_CLIENT_ID, audience: DEV_AUDIENCE };
    }

    static async create(options: IssuerOptions): Promise<DevIssuer> {
        const { privateKey, publicKey } = await generateKeyPair("RS256");
        const jwk = await exportJWK(publicKey);
        const kid = base64url(randomBytes(12));
        return new DevIssuer(options, privateKey, { ...jwk, kid, alg: "RS256", use: "sig" });
    }

    /** The public keys, as `/.well-known/jwks.json` serves them. */
    jwks(): { keys: JWK[] } {
        return { keys: [this.publicJwk] };
    }

    /** Whether this issuer answers `pathname`. */
    handles(pathname: string): boolean {
        return ["/.well-known/openid-configuration", "/.well-known/jwks.json", "/authorize", "/oauth/token", "/v2/logout", "/.dev/token", "/.dev/sign-in.css", "/.dev/web-message.js"].includes(pathname);
    }

    /** Answers one request for a path `handles` accepted; `body` is the whole request body. */
    async handle(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<void> {
        try {
            await this.route(req, res, url, body);
        } catch (error) {
            if (!(error instanceof OAuthError)) throw error;
            if (url.pathname === "/authorize" || url.pathname === "/v2/logout") {
                this.page(res, error.status, "Sign-in failed", `<p class="error" role="alert">${escapeHtml(error.error)}: ${escapeHtml(error.message)}</p>`);
            } else {
                json(res, error.status, { error: error.error, error_description: error.message });
            }
        }
    }

    private async route(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<void> {
        const method = req.method ?? "GET";
        const allow = (...methods: string[]) => {
            if (!methods.includes(method)) throw new OAuthError(405, "method_not_allowed", `use ${methods.join(" or ")}`);
        };
        switch (url.pathname) {
            case "/.well-known/openid-configuration":
                allow("GET", "HEAD");
                return json(res, 200, this.discovery());
            case "/.well-known/jwks.json":
                allow("GET", "HEAD");
                return json(res, 200, this.jwks());
            case "/.dev/sign-in.css":
                allow("GET", "HEAD");
                return asset(res, "text/css; charset=utf-8", SIGN_IN_CSS);
            case "/.dev/web-message.js":
                allow("GET", "HEAD");
                return asset(res, "text/javascript; charset=utf-8", WEB_MESSAGE_JS);
            case "/authorize":
                allow("GET", "POST");
                return method === "GET" ? this.authorize(res, url.searchParams) : this.signIn(res, new URLSearchParams(body.toString("utf8")));
            case "/v2/logout":
                allow("GET");
                return this.logout(res, url.searchParams);
            case "/oauth/token":
                allow("POST");
                return json(res, 200, await this.token(formOrJson(req, body)), { "cache-control": "no-store", pragma: "no-cache" });
            default:
                allow("POST");
                return json(res, 200, await this.devToken(body));
        }
    }

    private discovery() {
        const { issuer } = this.identity;
        const origin = this.options.origin;
        return {
            issuer,
            authorization_endpoint: `${origin}/authorize`,
            token_endpoint: `${origin}/oauth/token`,
            end_session_endpoint: `${origin}/v2/logout`,
            jwks_uri: `${origin}/.well-known/jwks.json`,
            response_types_supported: ["code"],
            response_modes_supported: ["query", "web_message"],
            grant_types_supported: ["authorization_code", "refresh_token"],
            code_challenge_methods_supported: ["S256"],
            subject_types_supported: ["public"],
            id_token_signing_alg_values_supported: ["RS256"],
            token_endpoint_auth_methods_supported: ["none"],
            scopes_supported: ["openid", "profile", "email", "offline_access"],
        };
    }

    /** The request's client and redirect, checked before anything is sent to the redirect URI (as Auth0 does). */
    private checkClient(params: URLSearchParams): { redirectUri: string; state: string } {
        if (params.get("client_id") !== DEV_CLIENT_ID) throw new OAuthError(400, "invalid_client", `unknown client_id; the dev client is ${DEV_CLIENT_ID}`);
        const redirectUri = params.get("redirect_uri") ?? "";
        let redirect: URL;
        try {
            redirect = new URL(redirectUri);
        } catch {
            throw new OAuthError(400, "invalid_request", "redirect_uri must be a URL");
        }
        // The allowed callback URLs: this server's own pages, as a tenant lists the site's origin.
        if (redirect.origin !== this.options.origin) throw new OAuthError(400, "invalid_request", `redirect_uri must be on ${this.options.origin}`);
        return { redirectUri, state: params.get("state") ?? "" };
    }

    private checkAuthorizeRequest(params: URLSearchParams): void {
        if (params.get("response_type") !== "code") throw new OAuthError(400, "unsupported_response_type", "only response_type=code is supported");
        if (params.get("code_challenge_method") !== "S256" || !/^[A-Za-z0-9_-]{43}$/.test(params.get("code_challenge") ?? "")) {
            throw new OAuthError(400, "invalid_request", "PKCE is required: code_challenge (S256) and code_challenge_method=S256");
        }
        const audience = params.get("audience");
        if (audience !== null && audience !== DEV_AUDIENCE) throw new OAuthError(400, "access_denied", `unknown audience; the dev API is ${DEV_AUDIENCE}`);
    }

    private authorize(res: ServerResponse, params: URLSearchParams): void {
        const { redirectUri, state } = this.checkClient(params);
        this.checkAuthorizeRequest(params);
        if (params.get("prompt") === "none") {
            // No session is kept here: a silent request always needs a sign-in, as with an expired Auth0 session.
            const answer = { error: "login_required", error_description: "Login required", state };
            if (params.get("response_mode") === "web_message") {
                res.writeHead(200, pageHeaders("'self'"));
                res.end(
                    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Authorization response</title></head>` +
                        `<body data-origin="${escapeHtml(new URL(redirectUri).origin)}" data-response="${escapeHtml(JSON.stringify(answer))}">` +
                        `<script src="/.dev/web-message.js"></script></body></html>`,
                );
                return;
            }
            return redirect(res, redirectUri, answer);
        }
        const hidden = [...params.entries()]
            .filter(([name]) => name !== "username")
            .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
            .join("");
        this.page(
            res,
            200,
            "Sign in to SwiftSupport (dev)",
            `<p>Local development issuer: type any user name; it becomes your user id.</p>` +
                `<form method="post" action="/authorize">${hidden}` +
                `<label for="username">User name</label>` +
                `<input id="username" name="username" autocomplete="username" required maxlength="64" pattern="[A-Za-z0-9._@+\\-]+" aria-describedby="username-help" autofocus>` +
                `<p id="username-help">Letters, digits and . _ @ + - only.</p>` +
                `<button type="submit">Sign in</button></form>`,
        );
    }

    /** Auth0's logout: no session is kept here, so it only sends the browser back to an allowed `returnTo`. */
    private logout(res: ServerResponse, params: URLSearchParams): void {
        if (params.get("client_id") !== DEV_CLIENT_ID) throw new OAuthError(400, "invalid_client", `unknown client_id; the dev client is ${DEV_CLIENT_ID}`);
        const returnTo = params.get("returnTo") ?? `${this.options.origin}/`;
        let target: URL | undefined;
        try {
            target = new URL(returnTo);
        } catch {
            target = undefined;
        }
        if (target?.origin !== this.options.origin) throw new OAuthError(400, "invalid_request", `returnTo must be on ${this.options.origin}`);
        res.writeHead(302, { location: target.toString(), "cache-control": "no-store" });
        res.end();
    }

    private signIn(res: ServerResponse, params: URLSearchParams): void {
        const { redirectUri, state } = this.checkClient(params);
        this.checkAuthorizeRequest(params);
        const sub = params.get("username") ?? "";
        if (!USER_NAME.test(sub)) throw new OAuthError(400, "invalid_request", "the user name must be 1-64 letters, digits or . _ @ + -");
        const code = base64url(randomBytes(24));
        this.codes.set(code, {
            sub,
            redirectUri,
            codeChallenge: params.get("code_challenge")!,
            nonce: params.get("nonce") ?? undefined,
            scope: params.get("scope") ?? "openid",
            audience: params.get("audience") ?? DEV_AUDIENCE,
            expiresAt: Date.now() + CODE_LIFETIME_MS,
        });
        redirect(res, redirectUri, { code, state });
    }

    private async token(params: Record<string, string>) {
        if (params.client_id !== DEV_CLIENT_ID) throw new OAuthError(401, "invalid_client", "unknown client_id");
        if (params.grant_type === "authorization_code") {
            const pending = this.codes.get(params.code ?? "");
            // One use only, whatever the outcome.
            this.codes.delete(params.code ?? "");
            if (!pending || pending.expiresAt < Date.now()) throw new OAuthError(403, "invalid_grant", "Invalid authorization code");
            if (params.redirect_uri !== pending.redirectUri) throw new OAuthError(403, "invalid_grant", "redirect_uri does not match the authorization request");
            const verifier = params.code_verifier ?? "";
            if (base64url(createHash("sha256").update(verifier).digest()) !== pending.codeChallenge) {
                throw new OAuthError(403, "invalid_grant", "Failed to verify code verifier");
            }
            return this.tokenResponse(pending, pending.nonce);
        }
        if (params.grant_type === "refresh_token") {
            const grant = this.refreshTokens.get(params.refresh_token ?? "");
            if (!grant) throw new OAuthError(403, "invalid_grant", "Unknown or invalid refresh token.");
            // Rotation, as Auth0 does for SPAs: a refresh token is good for one exchange.
            this.refreshTokens.delete(params.refresh_token!);
            return this.tokenResponse(grant, undefined);
        }
        throw new OAuthError(400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token");
    }

    private async tokenResponse(grant: RefreshGrant, nonce: string | undefined) {
        const lifetime = this.options.tokenLifetimeSeconds;
        const scopes = grant.scope.split(" ").filter(Boolean);
        const response: Record<string, string | number> = {
            access_token: await this.accessToken(grant.sub, lifetime, grant.scope, grant.audience),
            token_type: "Bearer",
            expires_in: lifetime,
            scope: grant.scope,
        };
        if (scopes.includes("openid")) response.id_token = await this.idToken(grant.sub, nonce, lifetime);
        if (scopes.includes("offline_access")) {
            const refreshToken = base64url(randomBytes(32));
            this.refreshTokens.set(refreshToken, grant);
            response.refresh_token = refreshToken;
        }
        return response;
    }

    /** An access token for the dev API, signed by this issuer; `expiresIn` may be negative (already expired). */
    async accessToken(sub: string, expiresIn: number, scope = "openid", audience = DEV_AUDIENCE): Promise<string> {
        const now = Math.floor(Date.now() / 1000);
        return new SignJWT({ scope, azp: DEV_CLIENT_ID })
            .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: this.publicJwk.kid })
            .setIssuer(this.identity.issuer)
            .setSubject(sub)
            .setAudience(audience)
            .setIssuedAt(Math.min(now, now + expiresIn - 1))
            .setExpirationTime(now + expiresIn)
            .setJti(randomUUID())
            .sign(this.privateKey);
    }

    private async idToken(sub: string, nonce: string | undefined, lifetime: number): Promise<string> {
        const now = Math.floor(Date.now() / 1000);
        return new SignJWT({ nickname: sub, name: sub, auth_time: now, ...(nonce ? { nonce } : {}) })
            .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: this.publicJwk.kid })
            .setIssuer(this.identity.issuer)
            .setSubject(sub)
            .setAudience(DEV_CLIENT_ID)
            .setIssuedAt(now)
            .setExpirationTime(now + lifetime)
            .sign(this.privateKey);
    }

    /** `POST /.dev/token {"sub": "alice", "expiresIn"?: seconds}`: an access token without the browser flow. */
    private async devToken(body: Buffer) {
        let request: unknown;
        try {
            request = JSON.parse(body.toString("utf8"));
        } catch {
            throw new OAuthError(400, "invalid_request", 'the body must be JSON: {"sub": "<user>"}');
        }
        const { sub, expiresIn } = (request ?? {}) as { sub?: unknown; expiresIn?: unknown };
        if (typeof sub !== "string" || !USER_NAME.test(sub)) throw new OAuthError(400, "invalid_request", "sub must be 1-64 letters, digits or . _ @ + -");
        const lifetime = expiresIn ?? this.options.tokenLifetimeSeconds;
        if (typeof lifetime !== "number" || !Number.isInteger(lifetime) || lifetime < DEV_TOKEN_RANGE.min || lifetime > DEV_TOKEN_RANGE.max || lifetime === 0) {
            throw new OAuthError(400, "invalid_request", `expiresIn must be a non-zero whole number of seconds from ${DEV_TOKEN_RANGE.min} to ${DEV_TOKEN_RANGE.max}`);
        }
        return { access_token: await this.accessToken(sub, lifetime), token_type: "Bearer", expires_in: lifetime };
    }

    private page(res: ServerResponse, status: number, title: string, content: string): void {
        res.writeHead(status, pageHeaders("'none'"));
        res.end(
            `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
                `<title>${escapeHtml(title)}</title><link rel="stylesheet" href="/.dev/sign-in.css"></head>` +
                `<body><main><h1>${escapeHtml(title)}</h1>${content}</main></body></html>`,
        );
    }
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { "content-type": "application/json", "x-content-type-options": "nosniff", ...headers });
    res.end(JSON.stringify(body));
}

function asset(res: ServerResponse, type: string, text: string): void {
    res.writeHead(200, { "content-type": type, "x-content-type-options": "nosniff", "cache-control": "no-cache" });
    res.end(text);
}

function redirect(res: ServerResponse, to: string, params: Record<string, string>): void {
    const url = new URL(to);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    res.writeHead(302, { location: url.toString(), "cache-control": "no-store" });
    res.end();
}

/** The token endpoint's parameters: auth0-spa-js sends a form by default and JSON when told to. */
function formOrJson(req: IncomingMessage, body: Buffer): Record<string, string> {
    const text = body.toString("utf8");
    if (/^application\/json/i.test(req.headers["content-type"] ?? "")) {
        try {
            const parsed = JSON.parse(text) as unknown;
            if (parsed !== null && typeof parsed === "object") {
                return Object.fromEntries(Object.entries(parsed).filter(([, v]) => typeof v === "string")) as Record<string, string>;
            }
        } catch {
            // falls through to the refusal below
        }
        throw new OAuthError(400, "invalid_request", "the body is not a JSON object");
    }
    return Object.fromEntries(new URLSearchParams(text));
}
