// The local HTTP API of `npm run dev`: the routes SecureHttpApi gets (programs/routes.ts) under the same stage
// prefix, each behind its authorizer, calling the real handlers with an HTTP API payload 2.0 event. What API Gateway
// itself answers (no route, a refused token or signature, preflights) has its shapes: `{"message":"..."}`.

import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";
import type { RouteSpec } from "../../programs/routes";
import { type DevAwsIdentity, verifySigV4 } from "./sigV4";

/** A Lambda handler as the local API calls it: an event in, a payload 2.0 result (or any JSON value) out. */
export type LambdaHandler = (event: unknown) => Promise<unknown>;

export interface LocalHttpApiOptions {
    /** The stage name, and so the first path segment (`api`). */
    stage: string;
    /** The route table, each with the handler that serves it. */
    routes: (RouteSpec & { invoke: LambdaHandler })[];
    /** What the JWT authorizer accepts (`jwtConfiguration`). */
    jwt: { issuer: string; audience: string; keys: JWTVerifyGetKey };
    /** The dev key pair AWS_IAM routes accept. */
    iam: DevAwsIdentity;
    /** CORS as the API configures it. */
    cors: {
        allowOrigins: readonly string[];
        allowMethods: readonly string[];
        allowHeaders: readonly string[];
        exposeHeaders: readonly string[];
        allowCredentials: boolean;
        maxAge: number;
    };
}

/** HTTP APIs refuse a request payload over 10 MB ("Amazon API Gateway quotas"). */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
/** Content types API Gateway passes to a payload 2.0 integration as text; anything else is base64-encoded. */
const TEXT_TYPES = /^(text\/|application\/(json|[\w.+-]+\+json|xml|[\w.+-]+\+xml|javascript|x-www-form-urlencoded)\b)/i;

interface MatchedRoute {
    route: LocalHttpApiOptions["routes"][number];
    pathParameters?: Record<string, string>;
}

export class LocalHttpApi {
    private readonly compiled: { route: LocalHttpApiOptions["routes"][number]; pattern: RegExp; names: string[] }[];

    constructor(private readonly options: LocalHttpApiOptions) {
        this.compiled = options.routes.map((route) => {
            if (/\{[^}]*\+\}/.test(route.path)) throw new Error(`route ${route.method} ${route.path}: greedy parameters are not served by the local API`);
            const names: string[] = [];
            const pattern = route.path
                .split("/")
                .map((segment) => {
                    const param = /^\{(\w+)\}$/.exec(segment);
                    if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
                    names.push(param[1]);
                    return "([^/]+)";
                })
                .join("/");
            return { route, pattern: new RegExp(`^${pattern}$`), names };
        });
    }

    /** Whether a request path belongs to the API: below `/<stage>/`, as the distribution's `/api/*` behaviour sends it. */
    handles(pathname: string): boolean {
        return pathname.startsWith(`/${this.options.stage}/`);
    }

    async handle(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<void> {
        const requestId = randomUUID();
        const headers = flatHeaders(req);
        const method = req.method ?? "GET";
        const cors = this.corsHeaders(headers.origin);
        const send = (status: number, responseHeaders: Record<string, string | string[]>, payload: string | Buffer) => {
            res.writeHead(status, { ...responseHeaders, ...cors, "apigw-requestid": requestId });
            res.end(payload);
        };
        const gatewayAnswer = (status: number, message: string, extra: Record<string, string> = {}) =>
            send(status, { "content-type": "application/json", ...extra }, JSON.stringify({ message }));

        // Preflights are answered by API Gateway itself when CORS is configured, before routes and authorizers.
        if (method === "OPTIONS" && headers.origin !== undefined && headers["access-control-request-method"] !== undefined) {
            res.writeHead(204, { ...this.preflightHeaders(headers), "apigw-requestid": requestId });
            res.end();
            return;
        }
        if (body.length > MAX_PAYLOAD_BYTES) return gatewayAnswer(413, "Request Entity Too Large");

        const routePath = url.pathname.slice(`/${this.options.stage}`.length) || "/";
        const matched = this.match(method, routePath);
        if (!matched) return gatewayAnswer(404, "Not Found");
        const { route } = matched;

        let authorizer: Record<string, unknown>;
        if (route.authorization === "JWT") {
            const verified = await this.verifyJwt(headers.authorization);
            if (!verified.ok) {
                const challenge: Record<string, string> =
                    verified.description === undefined ? {} : { "www-authenticate": `Bearer scope="" error="invalid_token" error_description="${verified.description}"` };
                return gatewayAnswer(401, "Unauthorized", challenge);
            }
            authorizer = { jwt: { claims: gatewayClaims(verified.claims), scopes: scopesOf(verified.claims) } };
        } else {
            const outcome = await verifySigV4({ method, path: url.pathname, query: url.searchParams, headers, body }, this.options.iam);
            if (!outcome.ok) return gatewayAnswer(403, outcome.message);
            const { iam } = this.options;
            const userId = `AROADEVREANALYSIS:${iam.sessionArn.split("/").pop()}`;
            authorizer = {
                iam: { accessKey: iam.accessKeyId, accountId: iam.accountId, callerId: userId, cognitoIdentity: null, principalOrgId: null, userArn: iam.sessionArn, userId },
            };
        }

        const event = this.event(req, url, headers, body, route, matched.pathParameters, requestId, authorizer);
        let result: unknown;
        try {
            result = await route.invoke(event);
        } catch (error) {
            // A function error: API Gateway answers 500 and the error stays in the function's log.
            process.stderr.write(`dev: ${route.handler} threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
            return gatewayAnswer(500, "Internal Server Error");
        }
        const response = toResponse(result);
        if (!response) return gatewayAnswer(500, "Internal Server Error");
        send(response.status, response.headers, response.body);
    }

    private match(method: string, path: string): MatchedRoute | undefined {
        for (const { route, pattern, names } of this.compiled) {
            if (route.method !== method) continue;
            const m = pattern.exec(path);
            if (!m) continue;
            if (names.length === 0) return { route };
            try {
                return { route, pathParameters: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1])])) };
            } catch {
                return undefined;
            }
        }
        return undefined;
    }

    private async verifyJwt(authorization: string | undefined): Promise<{ ok: true; claims: JWTPayload } | { ok: false; description?: string }> {
        if (authorization === undefined || authorization.trim() === "") return { ok: false };
        // The identity source is the whole header; a "Bearer " prefix is accepted, as API Gateway does.
        const token = authorization.replace(/^Bearer\s+/i, "").trim();
        try {
            const { payload } = await jwtVerify(token, this.options.jwt.keys, {
                issuer: this.options.jwt.issuer,
                audience: this.options.jwt.audience,
                algorithms: ["RS256"],
            });
            return { ok: true, claims: payload };
        } catch (error) {
            return { ok: false, description: jwtProblem(error) };
        }
    }

    private event(
        req: IncomingMessage,
        url: URL,
        headers: Record<string, string>,
        body: Buffer,
        route: RouteSpec,
        pathParameters: Record<string, string> | undefined,
        requestId: string,
        authorizer: Record<string, unknown>,
    ) {
        const now = Date.now();
        const { cookie, ...otherHeaders } = headers;
        const query = new Map<string, string[]>();
        for (const [name, value] of url.searchParams) query.set(name, [...(query.get(name) ?? []), value]);
        const isText = TEXT_TYPES.test(headers["content-type"] ?? "");
        const host = headers.host ?? "127.0.0.1";
        return {
            version: "2.0",
            routeKey: `${route.method} ${route.path}`,
            rawPath: url.pathname,
            rawQueryString: url.search.slice(1),
            ...(cookie !== undefined ? { cookies: cookie.split(/;\s*/) } : {}),
            headers: otherHeaders,
            ...(query.size > 0 ? { queryStringParameters: Object.fromEntries([...query].map(([k, v]) => [k, v.join(",")])) } : {}),
            requestContext: {
                accountId: this.options.iam.accountId,
                apiId: "devlocal",
                authorizer,
                domainName: host.replace(/:\d+$/, ""),
                domainPrefix: host.split(".")[0].replace(/:\d+$/, ""),
                http: {
                    method: req.method ?? "GET",
                    path: url.pathname,
                    protocol: `HTTP/${req.httpVersion}`,
                    sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, "") ?? "127.0.0.1",
                    userAgent: headers["user-agent"] ?? "",
                },
                requestId,
                routeKey: `${route.method} ${route.path}`,
                stage: this.options.stage,
                time: new Date(now).toUTCString(),
                timeEpoch: now,
            },
            ...(pathParameters ? { pathParameters } : {}),
            ...(body.length > 0 ? { body: isText ? body.toString("utf8") : body.toString("base64") } : {}),
            isBase64Encoded: body.length > 0 && !isText,
        };
    }

    /** The CORS headers of an actual request's response: only for an allowed origin. */
    private corsHeaders(origin: string | undefined): Record<string, string> {
        const { cors } = this.options;
        if (origin === undefined || !cors.allowOrigins.includes(origin)) return {};
        return {
            "access-control-allow-origin": origin,
            ...(cors.exposeHeaders.length > 0 ? { "access-control-expose-headers": cors.exposeHeaders.join(",") } : {}),
            ...(cors.allowCredentials ? { "access-control-allow-credentials": "true" } : {}),
            vary: "origin",
        };
    }

    private preflightHeaders(headers: Record<string, string>): Record<string, string> {
        const { cors } = this.options;
        const origin = headers.origin!;
        const method = headers["access-control-request-method"]!;
        if (!cors.allowOrigins.includes(origin) || !cors.allowMethods.includes(method)) return {};
        const requested = (headers["access-control-request-headers"] ?? "").split(",").map((h) => h.trim().toLowerCase()).filter(Boolean);
        if (requested.some((h) => !cors.allowHeaders.includes(h))) return {};
        return {
            "access-control-allow-origin": origin,
            "access-control-allow-methods": cors.allowMethods.join(","),
            "access-control-allow-headers": cors.allowHeaders.join(","),
            "access-control-max-age": String(cors.maxAge),
            ...(cors.allowCredentials ? { "access-control-allow-credentials": "true" } : {}),
            vary: "origin",
        };
    }
}

/** Request headers as payload 2.0 carries them: names lower-cased, repeated values joined with commas. */
function flatHeaders(req: IncomingMessage): Record<string, string> {
    const headers: Record<string, string> = {};
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i].toLowerCase();
        const value = req.rawHeaders[i + 1];
        headers[name] = headers[name] === undefined ? value : `${headers[name]}${name === "cookie" ? "; " : ","}${value}`;
    }
    return headers;
}

/** Claims as API Gateway passes them to the integration: every value a string, lists as `[a b]`. */
function gatewayClaims(claims: JWTPayload): Record<string, string> {
    return Object.fromEntries(
        Object.entries(claims).map(([name, value]) => [
            name,
            typeof value === "string" ? value : Array.isArray(value) ? `[${value.join(" ")}]` : typeof value === "object" ? JSON.stringify(value) : String(value),
        ]),
    );
}

function scopesOf(claims: JWTPayload): string[] | null {
    const scope = claims.scope;
    return typeof scope === "string" && scope.trim() !== "" ? scope.trim().split(/\s+/) : null;
}

/** The reason the JWT authorizer gives in `www-authenticate` (the audience wording is the one AWS documents). */
function jwtProblem(error: unknown): string {
    if (error instanceof joseErrors.JWTExpired) return "the token has expired";
    if (error instanceof joseErrors.JWTClaimValidationFailed) {
        if (error.claim === "aud") return "the token does not have a valid audience";
        if (error.claim === "iss") return "the token does not have a valid issuer";
        return `the token's ${error.claim} claim is not valid`;
    }
    if (error instanceof joseErrors.JWSSignatureVerificationFailed || error instanceof joseErrors.JWKSNoMatchingKey) return "the token's signature is not valid";
    return "the token is not a valid JWT";
}

/** A handler's result as an HTTP response, the way payload 2.0 maps it. */
function toResponse(result: unknown): { status: number; headers: Record<string, string | string[]>; body: string | Buffer } | undefined {
    if (result !== null && typeof result === "object" && "statusCode" in result) {
        const r = result as APIGatewayProxyStructuredResultV2;
        if (typeof r.statusCode !== "number") return undefined;
        const headers: Record<string, string | string[]> = Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
        if (r.cookies?.length) headers["set-cookie"] = r.cookies;
        const body = r.body === undefined ? "" : r.isBase64Encoded ? Buffer.from(r.body, "base64") : r.body;
        return { status: r.statusCode, headers, body };
    }
    // Without a statusCode, API Gateway assumes 200 and a JSON body.
    if (result === undefined) return undefined;
    return { status: 200, headers: { "content-type": "application/json" }, body: typeof result === "string" ? result : JSON.stringify(result) };
}
