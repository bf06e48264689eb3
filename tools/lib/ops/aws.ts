// AWS access for the operations commands (`smoke`, `access-review`): the SDK v3 clients on the credentials a person
// already has (the default chain, or a named profile), every call the tools make mapped to the IAM action it needs
// (the README's policy documents are tested against this table), and AWS errors turned into what a person can act on:
// a missing permission by name, missing credentials, or a failed call naming the operation.

import { fromIni, fromNodeProviderChain } from "@aws-sdk/credential-providers";

/**
 * Every SDK command the tools send, by its class name without `Command`, and the IAM action that authorizes it.
 * Most are named alike; the exceptions are written here, from the service's API reference (ListFindingsV2 and
 * GetFindingV2 are authorized by `access-analyzer:ListFindings` and `:GetFinding`, as their API references say).
 */
export const OPERATIONS = {
    GetTrailStatus: "cloudtrail:GetTrailStatus",
    GetFunctionConfiguration: "lambda:GetFunctionConfiguration",
    FilterLogEvents: "logs:FilterLogEvents",
    GetDistributionConfig: "cloudfront:GetDistributionConfig",
    GetLoggingConfiguration: "wafv2:GetLoggingConfiguration",
    DescribeAlarms: "cloudwatch:DescribeAlarms",
    SetAlarmState: "cloudwatch:SetAlarmState",
    GetMetricStatistics: "cloudwatch:GetMetricStatistics",
    GenerateServiceLastAccessedDetails: "iam:GenerateServiceLastAccessedDetails",
    GetServiceLastAccessedDetails: "iam:GetServiceLastAccessedDetails",
    ListRoles: "iam:ListRoles",
    ListFindingsV2: "access-analyzer:ListFindings",
    GetFindingV2: "access-analyzer:GetFinding",
    ValidatePolicy: "access-analyzer:ValidatePolicy",
} as const;

export type OperationName = keyof typeof OPERATIONS;

/** Which operations each command sends (the README's policy documents must cover exactly these). */
export const SMOKE_OPERATIONS: OperationName[] = [
    "GetTrailStatus",
    "GetFunctionConfiguration",
    "FilterLogEvents",
    "GetDistributionConfig",
    "GetLoggingConfiguration",
    "DescribeAlarms",
    "SetAlarmState",
    "GetMetricStatistics",
];
export const ACCESS_REVIEW_OPERATIONS: OperationName[] = [
    "GenerateServiceLastAccessedDetails",
    "GetServiceLastAccessedDetails",
    "ListRoles",
    "ListFindingsV2",
    "GetFindingV2",
    "ValidatePolicy",
];

/** The caller lacks an IAM permission: exit 2, naming it. */
export class MissingPermission extends Error {
    constructor(
        /** The IAM action, e.g. `iam:ListRoles`. */
        readonly action: string,
        /** The operation that was refused. */
        readonly operation: string,
    ) {
        super(`missing permission ${action} (${operation} was denied)`);
    }
}

/** No usable credentials or region: exit 2 with the SDK's explanation. */
export class AwsSetupError extends Error {}

/** Any other AWS failure of one call, naming the operation; a check reports it as its evidence. */
export class AwsCallFailed extends Error {
    constructor(
        readonly operation: string,
        /** The AWS error code, e.g. `ResourceNotFoundException`. */
        readonly code: string,
        message: string,
    ) {
        super(`${operation}: ${code}: ${message}`);
    }
}

const ACCESS_DENIED = new Set([
    "AccessDenied",
    "AccessDeniedException",
    "WAFAccessDeniedException",
    "UnauthorizedOperation",
    "UnauthorizedAccess",
    "AuthorizationError",
    "AuthorizationErrorException",
]);
const NO_CREDENTIALS = new Set(["CredentialsProviderError", "ExpiredToken", "ExpiredTokenException", "InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch"]);

/** The operation a command object stands for: `GetTrailStatusCommand` -> `GetTrailStatus`. */
export function operationOf(command: object): string {
    return command.constructor.name.replace(/Command$/, "");
}

/** AWS's denial message names the action (`... is not authorized to perform: iam:ListRoles on resource ...`). */
function deniedAction(message: string): string | undefined {
    return /perform:?\s+([a-z0-9-]+:[A-Za-z0-9]+)/.exec(message)?.[1];
}

/** Sends one command; the only way the tools call AWS, so every failure is classified the same way. */
export async function send<Out>(client: { send(command: object): Promise<unknown> }, command: object): Promise<Out> {
    const operation = operationOf(command);
    try {
        return (await client.send(command)) as Out;
    } catch (e) {
        throw classify(e, operation);
    }
}

/** An SDK error as one of the errors above. */
export function classify(e: unknown, operation: string): Error {
    if (e instanceof MissingPermission || e instanceof AwsSetupError || e instanceof AwsCallFailed) return e;
    const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const name = err?.name ?? "Error";
    const message = err?.message ?? String(e);
    if (ACCESS_DENIED.has(name)) {
        const fallback = (OPERATIONS as Record<string, string>)[operation] ?? operation;
        return new MissingPermission(deniedAction(message) ?? fallback, operation);
    }
    if (NO_CREDENTIALS.has(name) || /Could not load credentials|Region is missing|Unable to locate credentials/i.test(message)) {
        return new AwsSetupError(`${operation}: ${message.split("\n")[0]} (set AWS credentials, --profile or --region)`);
    }
    return new AwsCallFailed(operation, name, message.split("\n")[0]);
}

export interface AwsOptions {
    /** A named profile from the shared config/credentials files. */
    profile?: string;
    /** The default region; a resource's own `region` (from the stack) wins where it has one. */
    region?: string;
    /** Merged into every client's config: tests pass a request handler and fast retries here. */
    clientConfig?: Record<string, unknown>;
}

/** Retries per call: the SDK's standard strategy (exponential back-off with jitter on throttling and 5xx). */
export const MAX_ATTEMPTS = 5;

type ClientCtor<C> = new (config: Record<string, unknown>) => C;

/** One client per service and region, on one credential provider. */
export class AwsClients {
    private readonly cache = new Map<string, unknown>();
    private readonly credentials: unknown;

    constructor(private readonly options: AwsOptions = {}) {
        this.credentials =
            options.clientConfig?.credentials ??
            (options.profile !== undefined ? fromIni({ profile: options.profile }) : fromNodeProviderChain());
    }

    /** The client of `ctor` for `region` (the default region when undefined). */
    get<C>(ctor: ClientCtor<C>, region?: string): C {
        const r = region ?? this.options.region;
        const key = `${ctor.name}@${r ?? ""}`;
        let client = this.cache.get(key) as C | undefined;
        if (client === undefined) {
            client = new ctor({
                credentials: this.credentials,
                maxAttempts: MAX_ATTEMPTS,
                retryMode: "standard",
                ...(r !== undefined ? { region: r } : {}),
                ...(this.options.profile !== undefined ? { profile: this.options.profile } : {}),
                ...this.options.clientConfig,
            });
            this.cache.set(key, client);
        }
        return client;
    }
}

/** Waits `ms`; tests shorten every wait through the options that call it. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
