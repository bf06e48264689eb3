import { randomUUID } from "node:crypto";
import type {
    APIGatewayProxyEventV2WithIAMAuthorizer,
    APIGatewayProxyEventV2WithJWTAuthorizer,
    APIGatewayProxyStructuredResultV2,
} from "aws-lambda";
import { Logger } from "@aws-lambda-powertools/logger";
import type { ReadByPath } from "../../../tools/mocks/harness";

/** What a test can vary in a request; everything else is what API Gateway would send. */
export interface RequestShape {
    body?: string;
    queryStringParameters?: Record<string, string>;
    isBase64Encoded?: boolean;
    headers?: Record<string, string>;
    pathParameters?: Record<string, string>;
    stage?: string;
}

/**
 * The `authorizer` of a JWT-authorized request: a user's claims, anything a misconfigured route might pass, or
 * `null` for none at all (`undefined` would select the default user).
 */
export type JwtAuthorizer = { jwt?: { claims?: Record<string, unknown>; scopes?: string[] | null } } | null;

export const asUser = (sub: string): JwtAuthorizer => ({ jwt: { claims: { sub, iss: "https://idp.example" }, scopes: null } });

function requestContext(method: string, path: string, stage: string) {
    const now = Date.now();
    return {
        accountId: "123456789012",
        apiId: "api1234567",
        domainName: "api1234567.execute-api.eu-west-1.amazonaws.com",
        domainPrefix: "api1234567",
        http: { method, path, protocol: "HTTP/1.1", sourceIp: "192.0.2.10", userAgent: "test" },
        requestId: randomUUID(),
        routeKey: "",
        stage,
        time: new Date(now).toUTCString(),
        timeEpoch: now,
    };
}

function event(routeKey: string, path: string, shape: RequestShape) {
    const [method] = routeKey.split(" ");
    const stage = shape.stage ?? "$default";
    return {
        version: "2.0",
        routeKey,
        rawPath: path,
        rawQueryString: new URLSearchParams(shape.queryStringParameters ?? {}).toString(),
        queryStringParameters: shape.queryStringParameters,
        headers: shape.headers ?? {},
        body: shape.body,
        isBase64Encoded: shape.isBase64Encoded ?? false,
        pathParameters: shape.pathParameters,
        requestContext: { ...requestContext(method, path, stage), routeKey },
    };
}

/** `POST /tickets` with a JSON body, as the given user unless another authorizer is passed. */
export function submitEvent(
    body: unknown,
    authorizer: JwtAuthorizer = asUser("user-a"),
    shape: RequestShape = {},
): APIGatewayProxyEventV2WithJWTAuthorizer {
    const base = event("POST /tickets", "/tickets", {
        headers: { "content-type": "application/json" },
        body: typeof body === "string" ? body : JSON.stringify(body),
        ...shape,
    });
    return { ...base, requestContext: { ...base.requestContext, authorizer: authorizer ?? undefined } } as APIGatewayProxyEventV2WithJWTAuthorizer;
}

/** `GET /tickets/{id}`. */
export function statusEvent(
    id: string | undefined,
    authorizer: JwtAuthorizer = asUser("user-a"),
): APIGatewayProxyEventV2WithJWTAuthorizer {
    const base = event("GET /tickets/{id}", `/tickets/${id}`, { pathParameters: id === undefined ? undefined : { id } });
    return { ...base, requestContext: { ...base.requestContext, authorizer: authorizer ?? undefined } } as APIGatewayProxyEventV2WithJWTAuthorizer;
}

/** `GET /tickets`, with the given query parameters. */
export function listEvent(
    query: Record<string, string> | undefined,
    authorizer: JwtAuthorizer = asUser("user-a"),
): APIGatewayProxyEventV2WithJWTAuthorizer {
    const base = event("GET /tickets", "/tickets", { queryStringParameters: query });
    return { ...base, requestContext: { ...base.requestContext, authorizer: authorizer ?? undefined } } as APIGatewayProxyEventV2WithJWTAuthorizer;
}

/** A role allowed to request re-analysis in the handler tests (with a path, which session ARNs drop). */
export const OPERATOR_ROLE_ARN = "arn:aws:iam::123456789012:role/ops/swiftsupport-operator";
/** A session of that role, as API Gateway's IAM authorizer reports the caller. */
export const OPERATOR_SESSION_ARN = "arn:aws:sts::123456789012:assumed-role/swiftsupport-operator/alice";

/**
 * `POST /tickets/{id}/analysis`, signed by `callerArn` (an operator session unless given), or with no IAM
 * identity at all when `callerArn` is null.
 */
export function analysisEvent(
    id: string | undefined,
    callerArn: string | null = OPERATOR_SESSION_ARN,
): APIGatewayProxyEventV2WithIAMAuthorizer {
    const base = event("POST /tickets/{id}/analysis", `/tickets/${id}/analysis`, {
        pathParameters: id === undefined ? undefined : { id },
    });
    const session = callerArn?.split("/").pop() ?? "";
    const iam = {
        accessKey: "ASIAEXAMPLE",
        accountId: "123456789012",
        callerId: `AROAEXAMPLE:${session}`,
        cognitoIdentity: null,
        principalOrgId: "o-example",
        userArn: callerArn,
        userId: `AROAEXAMPLE:${session}`,
    };
    return {
        ...base,
        requestContext: { ...base.requestContext, authorizer: callerArn === null ? undefined : { iam } },
    } as APIGatewayProxyEventV2WithIAMAuthorizer;
}

export interface ReadResponse {
    status: number;
    headers: Record<string, string>;
    /** The parsed JSON body: a ticket, a list or an error, read by path in the assertions. */
    body: ReadByPath;
}

/** A handler result with its body parsed, failing loudly if the body is not JSON. */
export function readResponse(result: APIGatewayProxyStructuredResultV2): ReadResponse {
    return {
        status: result.statusCode ?? 200,
        headers: (result.headers ?? {}) as Record<string, string>,
        body: JSON.parse(result.body ?? ""),
    };
}

/** A logger that prints nothing, for tests that do not look at logs. */
export const silentLogger = () => new Logger({ serviceName: "test", logLevel: "SILENT" });
