import { strict as assert } from "node:assert";
import { ApiFailure, failureOf, TicketsApi } from "../../site/src/api";
import { pollDelay, POLL_DELAYS_MS } from "../../site/src/backoff";
import { routeOf } from "../../site/src/route";
import { parseRuntimeConfig } from "../../site/src/runtimeConfig";

const ID = "0b5e1c52-8d3f-4a5e-9c1e-3f2a1b4c5d6e";

/** A fetch that answers from a script of responses (or throws a network error) and records each request. */
function scriptedFetch(script: (Response | "network")[]) {
    const requests: { url: string; init: RequestInit }[] = [];
    const fetch = (async (url: string, init: RequestInit) => {
        requests.push({ url, init });
        const next = script.shift();
        if (!next) throw new Error("no scripted response left");
        if (next === "network") throw new TypeError("Failed to fetch");
        return next;
    }) as unknown as typeof globalThis.fetch;
    return { fetch, requests };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const api = (fetch: typeof globalThis.fetch) => new TicketsApi({ apiBase: "/api", token: async () => "token-1", fetch, sleep: async () => undefined });

describe("the customer page", () => {
    describe("API calls", () => {
        it("submits JSON with the bearer token and the Idempotency-Key, and returns the new id", async () => {
            const { fetch, requests } = scriptedFetch([json(201, { id: ID })]);
            const id = await api(fetch).submit({ subject: "Help", description: "Something broke today.", priority: "high" }, "key-12345678");
            assert.equal(id, ID);
            assert.equal(requests[0].url, "/api/tickets");
            assert.equal(requests[0].init.method, "POST");
            const headers = requests[0].init.headers as Record<string, string>;
            assert.equal(headers.authorization, "Bearer token-1");
            assert.equal(headers["content-type"], "application/json");
            assert.equal(headers["idempotency-key"], "key-12345678");
            assert.deepEqual(JSON.parse(requests[0].init.body as string), { subject: "Help", description: "Something broke today.", priority: "high" });
        });

        it("retries a lost answer and a transient failure with the same Idempotency-Key, so one ticket results", async () => {
            const { fetch, requests } = scriptedFetch(["network", json(503, { message: "Service Unavailable" }), json(201, { id: ID })]);
            assert.equal(await api(fetch).submit({ subject: "Help", description: "Something broke today.", priority: "normal" }, "same-key-1"), ID);
            assert.equal(requests.length, 3);
            assert.deepEqual(requests.map((r) => (r.init.headers as Record<string, string>)["idempotency-key"]), ["same-key-1", "same-key-1", "same-key-1"]);
        });

        it("gives up after its retries with a message for a person", async () => {
            const { fetch } = scriptedFetch(["network", "network", "network"]);
            await assert.rejects(api(fetch).ticket(ID), (e: unknown) => e instanceof ApiFailure && e.status === 0 && /could not be reached/.test(e.message));
        });

        it("passes the API's own message on for a refused ticket, oversized or malformed, without retrying", async () => {
            for (const [status, code, message] of [
                [400, "invalid_ticket", "subject must be 3 to 200 characters."],
                [413, "payload_too_large", "The body must be at most 8192 bytes."],
            ] as const) {
                const { fetch, requests } = scriptedFetch([json(status, { error: { code, message } })]);
                await assert.rejects(
                    api(fetch).submit({ subject: "x", description: "y", priority: "low" }, "key-12345678"),
                    (e: unknown) => e instanceof ApiFailure && e.status === status && e.code === code && e.message === message,
                );
                assert.equal(requests.length, 1);
            }
        });

        it("reports 401 and 404 as such, so the page can send the user to sign in or show not-found", async () => {
            const unauthorized = scriptedFetch([json(401, { message: "Unauthorized" })]);
            await assert.rejects(api(unauthorized.fetch).list(), (e: unknown) => e instanceof ApiFailure && e.status === 401);
            const missing = scriptedFetch([json(404, { error: { code: "not_found", message: "No such ticket." } })]);
            await assert.rejects(api(missing.fetch).ticket(ID), (e: unknown) => e instanceof ApiFailure && e.status === 404);
        });

        it("describes a refusal that is not the API's JSON (a WAF block page) by its status", () => {
            const failure = failureOf(403, "<html><body>Request blocked</body></html>");
            assert.equal(failure.status, 403);
            assert.match(failure.message, /HTTP 403/);
        });

        it("asks for the next page with the cursor the API returned", async () => {
            const { fetch, requests } = scriptedFetch([json(200, { tickets: [], nextCursor: "abc_-1" })]);
            const page = await api(fetch).list("abc_-1");
            assert.equal(requests[0].url, "/api/tickets?cursor=abc_-1");
            assert.equal(page.nextCursor, "abc_-1");
        });
    });

    describe("config.json", () => {
        it("accepts the program's and the dev server's shape, a URL domain included", () => {
            const config = { auth0Domain: "http://127.0.0.1:4100", clientId: "dev", audience: "https://api.local", apiBase: "/api" };
            assert.deepEqual(parseRuntimeConfig(config), config);
        });

        it("names every missing or wrong field", () => {
            assert.throws(() => parseRuntimeConfig({ auth0Domain: "", clientId: 3, audience: "a" }), /auth0Domain must be a non-empty string; clientId must be a non-empty string; apiBase must be a non-empty string/);
            assert.throws(() => parseRuntimeConfig({ auth0Domain: "d", clientId: "c", audience: "a", apiBase: "https://api.example" }), /apiBase must be a path/);
            assert.throws(() => parseRuntimeConfig([]), /must be a JSON object/);
        });
    });

    describe("routes", () => {
        it("routes by hash: home, a ticket by its id, not-found for anything else under /tickets", () => {
            assert.deepEqual(routeOf(""), { view: "home" });
            assert.deepEqual(routeOf("#/"), { view: "home" });
            assert.deepEqual(routeOf(`#/tickets/${ID.toUpperCase()}`), { view: "ticket", id: ID });
            assert.deepEqual(routeOf("#/tickets/not-a-uuid"), { view: "not-found" });
            assert.deepEqual(routeOf("#/tickets/%E0%A4%A"), { view: "not-found" });
            assert.deepEqual(routeOf(`#/tickets/${ID}/extra`), { view: "not-found" });
        });
    });

    it("polls for the analysis with growing waits, and stops", () => {
        const delays = POLL_DELAYS_MS.map((_, i) => pollDelay(i)!);
        for (let i = 1; i < delays.length; i++) assert.ok(delays[i] >= delays[i - 1]);
        assert.equal(pollDelay(delays.length), undefined);
        assert.ok(delays.reduce((a, b) => a + b, 0) <= 120_000, "gives up within two minutes");
    });
});
