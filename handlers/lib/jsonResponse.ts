import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";

/** Headers on every response: the bodies are JSON and per-user, so no cache may keep them. */
const BASE_HEADERS = {
    "content-type": "application/json",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
} as const;

export function jsonResponse(
    statusCode: number,
    body: unknown,
    headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
    return { statusCode, headers: { ...BASE_HEADERS, ...headers }, body: JSON.stringify(body) };
}

/** The one error shape of the API: `{ "error": { "code", "message" } }`. */
export function errorResponse(
    statusCode: number,
    code: string,
    message: string,
    headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
    return jsonResponse(statusCode, { error: { code, message } }, headers);
}
