import "./support/lambdaEnvironment";
import { strict as assert } from "node:assert";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Sha256 } from "@aws-crypto/sha256-js";
import { Logger } from "@aws-lambda-powertools/logger";
import { GetCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { SignatureV4 } from "@smithy/signature-v4";
import { createAnalysisTrigger, type AnalysisTrigger } from "../../handlers/lib/analysisTrigger";
import { createSubmitHandler, MAX_BODY_BYTES, type SubmitDependencies } from "../../handlers/submit";
import { startLocalTicketTable, type LocalTicketTable } from "../support/dynamo";
import { asUser, readResponse, silentLogger, submitEvent } from "./support/apiEvents";
import { captureLogs, logRecords } from "./support/capturedLogs";
import { loadColdStart } from "./support/lambdaEnvironment";

const SUBMIT_MODULE = require.resolve("../../handlers/submit");
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TICKET = { subject: "  Invoice charged twice  ", description: "I was charged twice for my March invoice." };
const CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "session-token" };

/** A loopback stand-in for the analysis endpoint that records what it receives. */
async function startAnalysisEndpoint(answer: (res: ServerResponse) => void = (res) => res.writeHead(200).end("{}")) {
    const received: IncomingMessage[] = [];
    const server: Server = createServer((req, res) => {
        received.push(req);
        req.resume().on("end", () => answer(res));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        port,
        received,
        close: () =>
            new Promise<void>((resolve) => {
                server.close(() => resolve());
                // fetch keeps connections alive for seconds; the stand-in should not wait for them.
                server.closeAllConnections();
            }),
    };
}

describe("submit handler (POST /tickets)", () => {
    let table: LocalTicketTable;
    let triggered: string[];
    const recordingTrigger: AnalysisTrigger = async (id) => {
        triggered.push(id);
    };
    const submit = (overrides: Partial<SubmitDependencies> = {}) =>
        createSubmitHandler({
            db: table.db,
            tableName: table.tableName,
            logger: silentLogger(),
            analysisTrigger: recordingTrigger,
            ...overrides,
        });
    const stored = async (id: string) =>
        (await table.db.send(new GetCommand({ TableName: table.tableName, Key: { id } }))).Item;

    before(async () => {
        table = await startLocalTicketTable();
    });
    after(async () => {
        await table.stop();
    });
    beforeEach(() => {
        triggered = [];
    });

    it("stores the caller's ticket as open and answers 201 with its id and location", async () => {
        const now = new Date("2025-03-04T05:06:07.089Z");
        const response = readResponse(await submit({ now: () => now })(submitEvent(TICKET, asUser("user-a"))));

        assert.equal(response.status, 201);
        assert.match(response.body.id, UUID);
        assert.equal(response.headers.location, `/tickets/${response.body.id}`);
        assert.equal(response.headers["content-type"], "application/json");
        assert.equal(response.headers["cache-control"], "no-store");
        assert.deepEqual(await stored(response.body.id), {
            id: response.body.id,
            owner: "user-a",
            subject: "Invoice charged twice",
            description: TICKET.description,
            priority: "normal",
            status: "open",
            createdAt: "2025-03-04T05:06:07.089Z",
        });
        assert.deepEqual(triggered, [response.body.id]);
    });

    it("keeps a chosen priority and puts the stage in the location of a named stage", async () => {
        const response = readResponse(
            await submit()(submitEvent({ ...TICKET, priority: "urgent" }, asUser("user-a"), { stage: "prod" })),
        );
        assert.equal(response.status, 201);
        assert.equal(response.headers.location, `/prod/tickets/${response.body.id}`);
        assert.equal((await stored(response.body.id))?.priority, "urgent");
    });

    it("accepts a base64-encoded body", async () => {
        const body = Buffer.from(JSON.stringify(TICKET)).toString("base64");
        const response = readResponse(await submit()(submitEvent(body, asUser("user-a"), { isBase64Encoded: true })));
        assert.equal(response.status, 201);
        assert.equal((await stored(response.body.id))?.subject, "Invoice charged twice");
    });

    it("fits the longest ASCII ticket under the 8 KiB limit the edge WAF also enforces", async () => {
        assert.equal(MAX_BODY_BYTES, 8 * 1024);
        const longest = { subject: "s".repeat(200), description: "d".repeat(5000), priority: "urgent" };
        assert.equal(readResponse(await submit()(submitEvent(JSON.stringify(longest)))).status, 201);
    });

    it("accepts a body of exactly the size limit and refuses one byte more with 413", async () => {
        const json = JSON.stringify(TICKET);
        const exact = json + " ".repeat(MAX_BODY_BYTES - json.length);
        assert.equal(readResponse(await submit()(submitEvent(exact))).status, 201);
        const before = await table.countItems();
        const over = readResponse(await submit()(submitEvent(`${exact} `)));
        assert.equal(over.status, 413);
        assert.equal(over.body.error.code, "payload_too_large");
        assert.equal(await table.countItems(), before);
    });

    it("never overwrites a ticket whose id comes up again: 409 and the stored ticket unchanged", async () => {
        const fixedId = "0b0e6a52-6f0c-4d0e-9a55-4f3c1d2e7a10";
        const first = readResponse(await submit({ newTicketId: () => fixedId })(submitEvent(TICKET, asUser("user-a"))));
        assert.equal(first.status, 201);
        const original = await stored(fixedId);
        const count = await table.countItems();
        triggered = [];

        const second = readResponse(
            await submit({ newTicketId: () => fixedId })(
                submitEvent({ subject: "Someone else", description: "Trying to replace the first ticket." }, asUser("user-b")),
            ),
        );

        assert.equal(second.status, 409);
        assert.equal(second.body.error.code, "conflict");
        assert.deepEqual(await stored(fixedId), original);
        assert.equal(await table.countItems(), count);
        assert.deepEqual(triggered, [], "a refused ticket is not analysed");
    });

    it("triggers the analysis with a SigV4-signed POST that the reference signer reproduces", async () => {
        const endpoint = await startAnalysisEndpoint();
        try {
            const trigger = createAnalysisTrigger({
                endpoint: new URL(`http://127.0.0.1:${endpoint.port}/prod/`),
                region: "eu-west-1",
                credentials: CREDENTIALS,
            });
            const response = readResponse(await submit({ analysisTrigger: trigger })(submitEvent(TICKET)));
            assert.equal(response.status, 201);

            assert.equal(endpoint.received.length, 1);
            const request = endpoint.received[0];
            assert.equal(request.method, "POST");
            assert.equal(request.url, `/prod/tickets/${response.body.id}/analysis`);
            const authorization = String(request.headers.authorization);
            assert.match(
                authorization,
                /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
            );
            assert.equal(request.headers["x-amz-security-token"], "session-token");

            // The same request signed by @smithy/signature-v4 with @aws-crypto/sha256-js must give the same header.
            const amzDate = String(request.headers["x-amz-date"]);
            const signingDate = new Date(
                amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"),
            );
            const reference = new SignatureV4({ service: "execute-api", region: "eu-west-1", credentials: CREDENTIALS, sha256: Sha256 });
            const expected = await reference.sign(
                {
                    method: "POST",
                    protocol: "http:",
                    hostname: "127.0.0.1",
                    port: endpoint.port,
                    path: String(request.url),
                    query: {},
                    headers: { host: String(request.headers.host) },
                },
                { signingDate },
            );
            assert.equal(authorization, expected.headers.authorization);
        } finally {
            await endpoint.close();
        }
    });

    it("retries a transient analysis failure once, and a refusal not at all", async () => {
        let calls = 0;
        const flaky = await startAnalysisEndpoint((res) => res.writeHead(++calls === 1 ? 503 : 200).end("{}"));
        const refusing = await startAnalysisEndpoint((res) => res.writeHead(403).end("{}"));
        try {
            const trigger = (port: number) =>
                createAnalysisTrigger({ endpoint: new URL(`http://127.0.0.1:${port}`), region: "eu-west-1", credentials: CREDENTIALS, retryDelayMs: 1 });
            await trigger(flaky.port)("00000000-0000-4000-8000-000000000001");
            assert.equal(flaky.received.length, 2, "503 then 200");
            await assert.rejects(trigger(refusing.port)("00000000-0000-4000-8000-000000000001"), /answered 403/);
            assert.equal(refusing.received.length, 1, "a 403 is not retried");
        } finally {
            await flaky.close();
            await refusing.close();
        }
    });

    it("still answers 201 and logs a warning when the analysis endpoint refuses, is down or is too slow", async () => {
        const refusing = await startAnalysisEndpoint((res) => res.writeHead(403).end("{}"));
        const silent = await startAnalysisEndpoint(() => undefined);
        const down = await startAnalysisEndpoint();
        await down.close();
        try {
            for (const port of [refusing.port, down.port, silent.port]) {
                const trigger = createAnalysisTrigger({
                    endpoint: new URL(`http://127.0.0.1:${port}`),
                    region: "eu-west-1",
                    credentials: CREDENTIALS,
                    timeoutMs: 100,
                    retryDelayMs: 1,
                });
                const logger = new Logger({ serviceName: "swiftsupport-submit" });
                const { result, lines } = await captureLogs(() => submit({ analysisTrigger: trigger, logger })(submitEvent(TICKET)));
                const response = readResponse(result);
                assert.equal(response.status, 201, `endpoint on port ${port}`);
                assert.ok(await stored(response.body.id), "the ticket is stored");
                const warning = logRecords(lines).find((record) => record.message === "analysis trigger failed");
                assert.equal(warning?.level, "WARN");
                assert.equal(warning?.ticketId, response.body.id);
                assert.equal(warning?.analysisPending, true);
            }
        } finally {
            await refusing.close();
            await silent.close();
        }
    });

    it("logs JSON with the service name and request id but never the ticket text", async () => {
        const secretText = { subject: "Zebra-striped subject 7f3a", description: "Quokka description text 91be2 with detail." };
        const failingTrigger: AnalysisTrigger = async () => {
            throw new Error("endpoint unreachable");
        };
        const event = submitEvent(secretText);
        const { lines } = await captureLogs(async () =>
            submit({ logger: new Logger({ serviceName: "swiftsupport-submit" }), analysisTrigger: failingTrigger })(event),
        );

        const records = logRecords(lines);
        assert.ok(records.length >= 2);
        for (const record of records) {
            assert.equal(record.service, "swiftsupport-submit");
            assert.equal(record.requestId, event.requestContext.requestId);
        }
        const output = lines.join("\n");
        for (const fragment of ["Zebra", "7f3a", "Quokka", "91be2"]) assert.ok(!output.includes(fragment), fragment);
    });

    it("answers an unexpected failure with a generic 500 and logs it with the request id", async () => {
        const broken = {
            send: async () => {
                throw new Error("connection reset by table");
            },
        } as unknown as DynamoDBDocumentClient;
        const event = submitEvent(TICKET);
        const { result, lines } = await captureLogs(() =>
            submit({ db: broken, logger: new Logger({ serviceName: "swiftsupport-submit" }) })(event),
        );

        const response = readResponse(result);
        assert.equal(response.status, 500);
        assert.equal(response.body.error.code, "internal_error");
        assert.ok(!JSON.stringify(response.body).includes("connection reset"), "no internals reach the caller");
        assert.ok(response.body.error.message.includes(event.requestContext.requestId), "the caller gets a reference");
        const error = logRecords(lines).find((record) => record.level === "ERROR");
        assert.equal(error?.requestId, event.requestContext.requestId);
        assert.match(JSON.stringify(error?.error), /connection reset by table/);
    });

    it("refuses to start, naming what is missing, when deployed without its configuration", () => {
        assert.throws(
            () => loadColdStart(SUBMIT_MODULE, { AWS_REGION: "eu-west-1" }),
            /submit: missing required environment variable\(s\) TABLE_NAME, ANALYSIS_ENDPOINT/,
        );
        assert.throws(
            () =>
                loadColdStart(SUBMIT_MODULE, {
                    AWS_REGION: "eu-west-1",
                    TABLE_NAME: "tickets",
                    ANALYSIS_ENDPOINT: "http://insecure.example",
                }),
            /ANALYSIS_ENDPOINT must be an https base URL/,
        );
        const loaded = loadColdStart(SUBMIT_MODULE, {
            AWS_REGION: "eu-west-1",
            TABLE_NAME: "tickets",
            ANALYSIS_ENDPOINT: "https://abc.execute-api.eu-west-1.amazonaws.com",
        }) as { handler: unknown };
        assert.equal(typeof loaded.handler, "function");
    });
});
