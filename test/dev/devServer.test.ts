import { strict as assert } from "node:assert";
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";
import { decodeJwt, generateKeyPair, SignJWT } from "jose";
import { runProgram } from "../../tools/mocks/harness";
import { devToken, request, runDev, startDev, type RunningDev } from "./support";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TICKET = { subject: "Charged twice", description: "I was charged twice for my March invoice, please refund." };

/** The HTTP headers a CloudFront response headers policy's security config writes, derived here from its fields. */
function headersOfPolicy(config: Record<string, Record<string, unknown>>): Record<string, string> {
    const sts = config.strictTransportSecurity;
    return {
        "strict-transport-security": `max-age=${sts.accessControlMaxAgeSec}${sts.includeSubdomains ? "; includeSubDomains" : ""}${sts.preload ? "; preload" : ""}`,
        "content-security-policy": String(config.contentSecurityPolicy.contentSecurityPolicy),
        "x-content-type-options": "nosniff",
        "x-frame-options": String(config.frameOptions.frameOption),
        "referrer-policy": String(config.referrerPolicy.referrerPolicy),
    };
}

describe("npm run dev: the local request flow over HTTP", function () {
    this.timeout(120_000);
    let dev: RunningDev;
    let site: string;
    const api = (p: string) => `${dev.origin}/api${p}`;
    const json = { "content-type": "application/json" };
    const submit = async (token: string, body: unknown = TICKET) =>
        request(api("/tickets"), { method: "POST", headers: { ...json, authorization: `Bearer ${token}` }, body: JSON.stringify(body) });

    before(async () => {
        site = fs.mkdtempSync(path.join(os.tmpdir(), "swiftsupport-dev-site-"));
        fs.writeFileSync(path.join(site, "index.html"), "<!doctype html><title>fixture</title><p>fixture site</p>");
        fs.mkdirSync(path.join(site, "assets"));
        fs.writeFileSync(path.join(site, "assets", "app.js"), "console.log('fixture');");
        dev = await startDev(["--port", "0", "--site", site]);
    });
    after(async () => {
        const code = await dev?.stop();
        assert.equal(code, 0, "SIGTERM stops the server cleanly");
        fs.rmSync(site, { recursive: true, force: true });
    });

    describe("site", () => {
        it("serves the site with exactly the headers of the response headers policy the program registers for this issuer", async () => {
            const issuer = `${dev.origin}/`;
            const run = await runProgram({ stack: "dev", config: { auth0Issuer: issuer } });
            const [policy] = run.ofType("aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy");
            const expected = headersOfPolicy(policy.inputs.securityHeadersConfig);
            assert.match(expected["content-security-policy"], new RegExp(`connect-src 'self' ${dev.origin.replace(/[.]/g, "\\.")}(;|$)`));
            for (const p of ["/", "/assets/app.js", "/config.json", "/missing.js", "/api/tickets"]) {
                const answer = await request(`${dev.origin}${p}`);
                for (const [name, value] of Object.entries(expected)) assert.equal(answer.headers[name], value, `${p}: ${name}`);
            }
        });

        it("serves index.html at the root, objects by key, S3's 403 for a missing key, and its own config.json", async () => {
            const root = await request(`${dev.origin}/`);
            assert.equal(root.status, 200);
            assert.match(root.headers["content-type"], /^text\/html/);
            assert.match(root.text, /fixture site/);
            const script = await request(`${dev.origin}/assets/app.js`);
            assert.equal(script.status, 200);
            assert.match(script.headers["content-type"], /^text\/javascript/);
            // As the site's upload stores them: the page revalidated, hashed assets cached for good.
            assert.deepEqual([root.headers["cache-control"], script.headers["cache-control"]], ["no-cache", "public, max-age=31536000, immutable"]);
            const missing = await request(`${dev.origin}/assets/nope.js`);
            assert.equal(missing.status, 403);
            assert.match(missing.text, /AccessDenied/);
            const escape = await request(`${dev.origin}/..%2f..%2fetc%2fpasswd`);
            assert.equal(escape.status, 403);
            const config = (await request(`${dev.origin}/config.json`)).json();
            assert.deepEqual(Object.keys(config).sort(), ["apiBase", "audience", "auth0Domain", "clientId"]);
            assert.equal(config.auth0Domain, dev.origin);
            assert.equal(config.apiBase, "/api");
        });
    });

    describe("JWT routes", () => {
        it("stores a ticket for its owner, analyses it from the stream, and hides it from everyone else (404)", async () => {
            const alice = await devToken(dev.origin, "alice");
            const created = await submit(alice);
            assert.equal(created.status, 201, created.text);
            const id = created.json().id as string;
            assert.match(id, UUID);
            assert.equal(created.headers.location, `/api/tickets/${id}`);
            let ticket: Record<string, unknown> = {};
            for (let i = 0; i < 50 && ticket.analysis === undefined; i++) {
                const answer = await request(api(`/tickets/${id}`), { headers: { authorization: `Bearer ${alice}` } });
                assert.equal(answer.status, 200, answer.text);
                ticket = answer.json();
                if (ticket.analysis === undefined) await new Promise((r) => setTimeout(r, 100));
            }
            assert.equal((ticket.analysis as { category: string }).category, "billing");
            const bob = await devToken(dev.origin, "bob");
            const hidden = await request(api(`/tickets/${id}`), { headers: { authorization: `Bearer ${bob}` } });
            assert.equal(hidden.status, 404);
            assert.deepEqual(hidden.json(), { error: { code: "not_found", message: "No such ticket." } });
        });

        it("refuses a request without a token, with an expired token or a foreign signature: 401 before any handler", async () => {
            const none = await request(api("/tickets/00000000-0000-4000-8000-000000000000"));
            assert.equal(none.status, 401);
            assert.deepEqual(none.json(), { message: "Unauthorized" });

            const expired = await request(api("/tickets"), { method: "POST", headers: { ...json, authorization: `Bearer ${await devToken(dev.origin, "alice", -120)}` }, body: JSON.stringify(TICKET) });
            assert.equal(expired.status, 401);
            assert.match(expired.headers["www-authenticate"], /error="invalid_token" error_description="the token has expired"/);

            const claims = decodeJwt(await devToken(dev.origin, "alice"));
            // The dev issuer's claims and key id, signed with another key.
            const { privateKey } = await generateKeyPair("RS256");
            const { kid } = JSON.parse(Buffer.from((await devToken(dev.origin, "alice")).split(".")[0], "base64url").toString()) as { kid: string };
            const forged = await new SignJWT({ ...claims }).setProtectedHeader({ alg: "RS256", kid }).sign(privateKey);
            const foreign = await request(api("/tickets"), { method: "POST", headers: { ...json, authorization: `Bearer ${forged}` }, body: JSON.stringify(TICKET) });
            assert.equal(foreign.status, 401);
            assert.match(foreign.headers["www-authenticate"], /signature is not valid/);
        });

        it("passes the handler's refusals through: an oversized or malformed body gets the API's message", async () => {
            const alice = await devToken(dev.origin, "alice");
            const oversized = await submit(alice, { subject: "Big", description: "x".repeat(9000) });
            assert.equal(oversized.status, 413);
            assert.equal((oversized.json().error as { code: string }).code, "payload_too_large");
            const malformed = await request(api("/tickets"), { method: "POST", headers: { ...json, authorization: `Bearer ${alice}` }, body: "{not json" });
            assert.equal(malformed.status, 400);
            assert.equal((malformed.json().error as { code: string }).code, "invalid_json");
        });

        it("answers 404 Not Found for a path or method no route has", async () => {
            const alice = await devToken(dev.origin, "alice");
            for (const [method, p] of [["GET", "/nothing"], ["DELETE", "/tickets"], ["GET", "/"]]) {
                const answer = await request(api(p), { method, headers: { authorization: `Bearer ${alice}` } });
                assert.equal(answer.status, 404, `${method} ${p}`);
                assert.deepEqual(answer.json(), { message: "Not Found" });
            }
        });
    });

    describe("CORS", () => {
        it("answers a preflight from the site's origin with the API's CORS settings, and nothing to another origin", async () => {
            const preflight = (origin: string) =>
                request(api("/tickets"), {
                    method: "OPTIONS",
                    headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type,idempotency-key" },
                });
            const allowed = await preflight(dev.origin);
            assert.equal(allowed.status, 204);
            assert.equal(allowed.headers["access-control-allow-origin"], dev.origin);
            assert.equal(allowed.headers["access-control-allow-methods"], "GET,POST");
            assert.equal(allowed.headers["access-control-allow-headers"], "authorization,content-type,idempotency-key");
            assert.equal(allowed.headers["access-control-max-age"], "600");
            const other = await preflight("https://evil.example");
            assert.equal(other.headers["access-control-allow-origin"], undefined);
            const alice = await devToken(dev.origin, "alice");
            const created = await request(api("/tickets"), { method: "POST", headers: { ...json, origin: dev.origin, authorization: `Bearer ${alice}` }, body: JSON.stringify(TICKET) });
            assert.equal(created.headers["access-control-expose-headers"], "location,idempotent-replayed");
        });
    });

    describe("AWS_IAM route (re-analysis)", () => {
        const signed = async (id: string, secretAccessKey: string) => {
            const url = new URL(api(`/tickets/${id}/analysis`));
            const signer = new SignatureV4({
                credentials: { accessKeyId: dev.aws.accessKeyId, secretAccessKey },
                region: dev.aws.region,
                service: "execute-api",
                sha256: Hash.bind(null, "sha256"),
            });
            const req = await signer.sign({ method: "POST", protocol: "https:", hostname: url.hostname, port: Number(url.port), path: url.pathname, query: {}, headers: { host: url.host } });
            return request(url.toString(), { method: "POST", headers: req.headers as Record<string, string> });
        };

        it("refuses an unsigned request with 403 Forbidden and a wrong signature with API Gateway's mismatch message", async () => {
            const id = "00000000-0000-4000-8000-000000000000";
            const unsigned = await request(api(`/tickets/${id}/analysis`), { method: "POST" });
            assert.equal(unsigned.status, 403);
            assert.deepEqual(unsigned.json(), { message: "Forbidden" });
            const wrong = await signed(id, randomBytes(30).toString("base64"));
            assert.equal(wrong.status, 403);
            assert.match(wrong.json().message as string, /^The request signature we calculated does not match/);
        });

        it("runs the analysis handler for a request signed with the printed dev key pair", async () => {
            const created = await submit(await devToken(dev.origin, "carol"), { subject: "Cannot log in", description: "I am locked out of my account since the password reset." });
            const id = created.json().id as string;
            const answer = await signed(id, dev.aws.secretAccessKey);
            assert.equal(answer.status, 200, answer.text);
            assert.equal((answer.json().analysis as { category: string }).category, "account");
        });
    });

    describe("issuer (Authorization Code with PKCE)", () => {
        const verifier = randomBytes(32).toString("base64url");
        const challenge = createHash("sha256").update(verifier).digest("base64url");
        const params = () =>
            new URLSearchParams({
                client_id: "swiftsupport-dev-site",
                redirect_uri: `${dev.origin}/`,
                response_type: "code",
                scope: "openid profile offline_access",
                audience: "https://api.swiftsupport.localhost",
                state: "state-123",
                nonce: "nonce-456",
                code_challenge: challenge,
                code_challenge_method: "S256",
            });
        const signIn = async (username: string) => {
            const form = params();
            form.set("username", username);
            return request(`${dev.origin}/authorize`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form.toString() });
        };
        const exchange = (code: string, codeVerifier: string) =>
            request(`${dev.origin}/oauth/token`, {
                method: "POST",
                headers: { "content-type": "application/x-www-form-urlencoded" },
                body: new URLSearchParams({ grant_type: "authorization_code", client_id: "swiftsupport-dev-site", code, code_verifier: codeVerifier, redirect_uri: `${dev.origin}/` }).toString(),
            });

        it("shows an accessible sign-in page without inline script or style", async () => {
            const page = await request(`${dev.origin}/authorize?${params()}`);
            assert.equal(page.status, 200);
            assert.match(page.text, /<label for="username">/);
            assert.match(page.text, /<input id="username" name="username"/);
            assert.doesNotMatch(page.text, /<script|style=|<style/);
            assert.match(page.headers["content-security-policy"], /default-src 'none'; script-src 'self'; style-src 'self'/);
        });

        it("redirects with a code and the state, exchanges it once with the right verifier for tokens auth0-spa-js accepts", async () => {
            const redirect = await signIn("alice");
            assert.equal(redirect.status, 302);
            const location = new URL(redirect.headers.location);
            assert.equal(location.origin + location.pathname, `${dev.origin}/`);
            assert.equal(location.searchParams.get("state"), "state-123");
            const code = location.searchParams.get("code")!;

            const tokens = (await exchange(code, verifier)).json();
            assert.equal(tokens.token_type, "Bearer");
            const id = decodeJwt(tokens.id_token as string);
            assert.deepEqual([id.iss, id.aud, id.sub, id.nonce], [`${dev.origin}/`, "swiftsupport-dev-site", "alice", "nonce-456"]);
            assert.equal(typeof tokens.refresh_token, "string");
            const ok = await request(api("/tickets/00000000-0000-4000-8000-000000000000"), { headers: { authorization: `Bearer ${tokens.access_token}` } });
            assert.equal(ok.status, 404, "the access token passes the API's authorizer");

            const again = await exchange(code, verifier);
            assert.equal(again.status, 403);
            assert.equal(again.json().error, "invalid_grant");

            const refreshed = await request(`${dev.origin}/oauth/token`, {
                method: "POST",
                headers: { "content-type": "application/json" },
                body: JSON.stringify({ grant_type: "refresh_token", client_id: "swiftsupport-dev-site", refresh_token: tokens.refresh_token }),
            });
            assert.equal(refreshed.status, 200);
            assert.notEqual(refreshed.json().refresh_token, tokens.refresh_token, "refresh tokens rotate");
        });

        it("refuses a code exchanged with the wrong verifier, a foreign redirect URI, and answers prompt=none with login_required", async () => {
            const code = new URL((await signIn("alice")).headers.location).searchParams.get("code")!;
            const wrong = await exchange(code, randomBytes(32).toString("base64url"));
            assert.equal(wrong.status, 403);
            assert.equal(wrong.json().error, "invalid_grant");

            const foreign = params();
            foreign.set("redirect_uri", "https://evil.example/");
            const refused = await request(`${dev.origin}/authorize?${foreign}`);
            assert.equal(refused.status, 400);
            assert.equal(refused.headers.location, undefined, "nothing is sent to an unregistered redirect URI");

            const silent = params();
            silent.set("prompt", "none");
            const answer = await request(`${dev.origin}/authorize?${silent}`);
            const location = new URL(answer.headers.location);
            assert.deepEqual([location.searchParams.get("error"), location.searchParams.get("state")], ["login_required", "state-123"]);
        });

        it("signs out to a returnTo on the dev origin only", async () => {
            const out = (returnTo: string) => request(`${dev.origin}/v2/logout?${new URLSearchParams({ client_id: "swiftsupport-dev-site", returnTo })}`);
            const back = await out(`${dev.origin}/`);
            assert.deepEqual([back.status, back.headers.location], [302, `${dev.origin}/`]);
            const away = await out("https://evil.example/");
            assert.deepEqual([away.status, away.headers.location], [400, undefined]);
        });

        it("publishes its discovery document and keys", async () => {
            const discovery = (await request(`${dev.origin}/.well-known/openid-configuration`)).json();
            assert.equal(discovery.issuer, `${dev.origin}/`);
            assert.deepEqual(discovery.code_challenge_methods_supported, ["S256"]);
            const jwks = (await request(discovery.jwks_uri as string)).json() as { keys: { kty: string; alg: string; d?: string }[] };
            assert.deepEqual(jwks.keys.map((k) => [k.kty, k.alg, k.d]), [["RSA", "RS256", undefined]]);
        });
    });
});

describe("npm run dev: bad input", function () {
    this.timeout(60_000);

    it("serves dist/site of this checkout unless told otherwise (also from the bundle tools/cli.js runs)", async () => {
        const help = await runDev(["--help"]);
        assert.equal(help.code, 0);
        assert.ok(help.stdout.includes(`(default ${path.resolve(__dirname, "..", "..", "dist", "site")})`), help.stdout);
    });

    it("exits 2 with one line for a bad port, a missing site and a port in use", async () => {
        const bad = await runDev(["--port", "http"]);
        assert.equal(bad.code, 2);
        assert.equal(bad.stderr, 'dev: --port must be a whole number from 0 to 65535, got "http"\n');

        const missing = await runDev(["--port", "0", "--site", path.join(os.tmpdir(), "no-such-site-dir")]);
        assert.equal(missing.code, 2);
        assert.match(missing.stderr, /^dev: the site is not built: .*index\.html is missing \(run npm run build:site\)\n$/);

        const busy = net.createServer();
        await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
        const port = (busy.address() as net.AddressInfo).port;
        const site = fs.mkdtempSync(path.join(os.tmpdir(), "swiftsupport-dev-site-"));
        fs.writeFileSync(path.join(site, "index.html"), "<!doctype html>");
        try {
            const inUse = await runDev(["--port", String(port), "--site", site]);
            assert.equal(inUse.code, 2);
            assert.equal(inUse.stderr, `dev: port ${port} is in use (choose another with --port)\n`);
        } finally {
            busy.close();
            fs.rmSync(site, { recursive: true, force: true });
        }
    });
});
