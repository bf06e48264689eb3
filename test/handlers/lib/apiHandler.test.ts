import { strict as assert } from "node:assert";
import { Logger } from "@aws-lambda-powertools/logger";
import type { Context } from "aws-lambda";
import { ApiError } from "../../../handlers/lib/apiError";
import { apiHandler } from "../../../handlers/lib/apiHandler";
import { jsonResponse } from "../../../handlers/lib/jsonResponse";
import { captureLogs, logRecords } from "../support/capturedLogs";

const event = (requestId: string) => ({ routeKey: "GET /things/{id}", requestContext: { requestId } });
const HEADERS = { "content-type": "application/json", "cache-control": "no-store", "x-content-type-options": "nosniff" };
const CONTEXT = {
    functionName: "status-fn",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:status-fn",
    memoryLimitInMB: "256",
    awsRequestId: "lambda-request-1",
} as Context;

describe("apiHandler: the API's one way to answer", () => {
    const logged = async (handle: () => Promise<never> | Promise<ReturnType<typeof jsonResponse>>, context?: Context) => {
        const logger = new Logger({ serviceName: "api-test" });
        const handler = apiHandler(logger, handle);
        const { result, lines } = await captureLogs(() => handler(event("req-1"), context));
        return { result, records: logRecords(lines), logger };
    };

    it("passes the request's own answer through", async () => {
        const { result, records } = await logged(async () => jsonResponse(200, { ok: true }, { etag: "x" }));
        assert.deepEqual(result, { statusCode: 200, headers: { ...HEADERS, etag: "x" }, body: '{"ok":true}' });
        assert.deepEqual(records, []);
    });

    it("answers an ApiError with its status, code, message and headers, and logs the refusal at info", async () => {
        const { result, records } = await logged(async () => {
            throw new ApiError(401, "unauthorized", "A valid bearer token is required.", { "www-authenticate": "Bearer" });
        });
        assert.deepEqual(result, {
            statusCode: 401,
            headers: { ...HEADERS, "www-authenticate": "Bearer" },
            body: JSON.stringify({ error: { code: "unauthorized", message: "A valid bearer token is required." } }),
        });
        assert.equal(records.length, 1);
        assert.deepEqual(
            { level: records[0].level, message: records[0].message, status: records[0].status, code: records[0].code, requestId: records[0].requestId, route: records[0].route },
            { level: "INFO", message: "request refused", status: 401, code: "unauthorized", requestId: "req-1", route: "GET /things/{id}" },
        );
    });

    it("answers anything else with a generic 500 naming the request, and logs the error in full", async () => {
        const { result, records } = await logged(async () => {
            throw new TypeError("secret internals");
        });
        assert.deepEqual(result, {
            statusCode: 500,
            headers: HEADERS,
            body: JSON.stringify({ error: { code: "internal_error", message: "The request could not be completed (reference req-1)." } }),
        });
        assert.equal(records.length, 1);
        assert.equal(records[0].level, "ERROR");
        assert.equal(records[0].message, "request failed");
        assert.equal(records[0].requestId, "req-1");
        const error = records[0].error as { name: string; message: string; stack: string };
        assert.deepEqual([error.name, error.message], ["TypeError", "secret internals"], "the error itself, with its stack");
        assert.match(error.stack, /apiHandler\.test\.ts/);
    });

    it("carries what the client gets in the error itself", () => {
        const error = new ApiError(401, "unauthorized", "A valid bearer token is required.", { "www-authenticate": "Bearer" });
        assert.deepEqual(
            [error instanceof Error, error.name, error.status, error.code, error.message, error.headers],
            [true, "ApiError", 401, "unauthorized", "A valid bearer token is required.", { "www-authenticate": "Bearer" }],
        );
        assert.deepEqual(new ApiError(404, "not_found", "No such ticket.").headers, {});
    });

    it("logs a thrown non-error as text", async () => {
        const { result, records } = await logged(() => Promise.reject("plain string"));
        assert.equal(result.statusCode, 500);
        assert.deepEqual({ level: records[0].level, message: records[0].message, error: records[0].error }, { level: "ERROR", message: "request failed", error: "plain string" });
    });

    it("adds the Lambda context to the log lines when there is one", async () => {
        const { records } = await logged(async () => {
            throw new ApiError(404, "not_found", "No such ticket.");
        }, CONTEXT);
        assert.equal(records[0].function_name, "status-fn");
        assert.equal(records[0].function_request_id, "lambda-request-1");
    });

    it("keeps no request's keys for the next one in a warm container", async () => {
        const logger = new Logger({ serviceName: "api-test" });
        const handler = apiHandler(logger, async () => {
            logger.info("inside");
            return jsonResponse(200, {});
        });
        const { lines } = await captureLogs(async () => {
            await handler(event("req-1"));
            logger.info("between requests");
        });
        const [inside, between] = logRecords(lines);
        assert.equal(inside.requestId, "req-1");
        assert.equal(between.requestId, undefined);
        assert.equal(between.route, undefined);
    });
});
