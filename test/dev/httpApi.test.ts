import { strict as assert } from "node:assert";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { API_CORS } from "../../components/api/apiCors";
import { API_STAGE, ROUTES } from "../../programs/routes";
import { LocalHttpApi } from "../../tools/dev/httpApi";
import { devAwsIdentity } from "../../tools/dev/sigV4";

const ISSUER = "https://issuer.test/";
const AUDIENCE = "https://api.test";

/** The local API in front of a recording handler, on a plain loopback server. */
describe("dev local API: the JWT authorizer and the payload 2.0 event", () => {
    let server: http.Server;
    let base: string;
    let key: CryptoKey;
    const events: Record<string, unknown>[] = [];

    const token = (claims: { iss?: string; aud?: string; exp?: number } = {}) =>
        new SignJWT({ scope: "openid profile", azp: "client" })
            .setProtectedHeader({ alg: "RS256", kid: "k1" })
            .setIssuer(claims.iss ?? ISSUER)
            .setAudience(claims.aud ?? AUDIENCE)
            .setSubject("alice")
            .setIssuedAt()
            .setExpirationTime(claims.exp ?? Math.floor(Date.now() / 1000) + 600)
            .sign(key);
    const get = (path: string, authorization?: string) =>
        new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
            http.get(`${base}${path}`, { headers: authorization ? { authorization, cookie: "a=1" } : {} }, (res) => {
                let body = "";
                res.on("data", (c: Buffer) => (body += c.toString()));
                res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
            }).on("error", reject);
        });

    before(async () => {
        const pair = await generateKeyPair("RS256");
        key = pair.privateKey;
        const jwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256" };
        const api = new LocalHttpApi({
            stage: API_STAGE,
            routes: Object.values(ROUTES).map((route) => ({
                ...route,
                invoke: async (event: unknown) => {
                    events.push(event as Record<string, unknown>);
                    return { statusCode: 200, headers: { "content-type": "application/json" }, body: "{}" };
                },
            })),
            jwt: { issuer: ISSUER, audience: AUDIENCE, keys: createLocalJWKSet({ keys: [jwk] }) },
            iam: devAwsIdentity("eu-west-1"),
            cors: { ...API_CORS, allowMethods: API_CORS.defaultMethods, allowOrigins: ["https://site.test"] },
        });
        server = http.createServer((req, res) => {
            const chunks: Buffer[] = [];
            req.on("data", (c: Buffer) => chunks.push(c));
            req.on("end", () => void api.handle(req, res, new URL(req.url ?? "/", "http://127.0.0.1"), Buffer.concat(chunks)));
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("refuses a token for another audience or from another issuer with 401 and API Gateway's reason, before the handler", async () => {
        const before = events.length;
        const audience = await get("/api/tickets/abc", `Bearer ${await token({ aud: "https://other.test" })}`);
        assert.equal(audience.status, 401);
        assert.equal(audience.body, '{"message":"Unauthorized"}');
        assert.equal(audience.headers["www-authenticate"], 'Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience"');
        const issuer = await get("/api/tickets/abc", `Bearer ${await token({ iss: "https://evil.test/" })}`);
        assert.equal(issuer.status, 401);
        assert.match(String(issuer.headers["www-authenticate"]), /the token does not have a valid issuer/);
        assert.equal(events.length, before, "no handler ran");
    });

    it("passes the handler a payload 2.0 event: route key, raw path with the stage, path parameters, claims as strings", async () => {
        const answer = await get("/api/tickets/abc?x=1&x=2", `Bearer ${await token()}`);
        assert.equal(answer.status, 200);
        const event = events[events.length - 1] as {
            version: string;
            routeKey: string;
            rawPath: string;
            rawQueryString: string;
            cookies: string[];
            queryStringParameters: Record<string, string>;
            pathParameters: Record<string, string>;
            headers: Record<string, string>;
            isBase64Encoded: boolean;
            requestContext: { stage: string; routeKey: string; http: { method: string; path: string }; authorizer: { jwt: { claims: Record<string, unknown>; scopes: string[] } } };
        };
        assert.equal(event.version, "2.0");
        assert.equal(event.routeKey, "GET /tickets/{id}");
        assert.equal(event.rawPath, "/api/tickets/abc");
        assert.equal(event.rawQueryString, "x=1&x=2");
        assert.deepEqual(event.queryStringParameters, { x: "1,2" });
        assert.deepEqual(event.pathParameters, { id: "abc" });
        assert.deepEqual(event.cookies, ["a=1"]);
        assert.equal(event.headers.cookie, undefined, "cookies move out of the headers");
        assert.equal(event.isBase64Encoded, false);
        assert.deepEqual([event.requestContext.stage, event.requestContext.routeKey, event.requestContext.http.method], ["api", "GET /tickets/{id}", "GET"]);
        const { claims, scopes } = event.requestContext.authorizer.jwt;
        assert.equal(claims.sub, "alice");
        assert.equal(claims.aud, AUDIENCE);
        assert.equal(typeof claims.exp, "string", "API Gateway passes every claim as a string");
        assert.deepEqual(scopes, ["openid", "profile"]);
    });
});
