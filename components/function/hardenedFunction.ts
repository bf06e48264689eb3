import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Grant, lambdaExecutionTrust, logGroupWrite, queueSend, resourcePolicyDocument, ServiceRole, xrayWrite } from "../iam";
import { queueDenyInsecureTransport } from "../iam/serverlessStatements";
import { bundleHandler, handlerExists, HANDLERS_DIR } from "./bundle";

export interface HardenedFunctionArgs {
    /** Handler file under `handlers/` without `.ts`, e.g. `"status"`; bundled by esbuild when the program runs. */
    handler: string;
    /**
     * What the code may do, as grants from components/iam (never raw actions). The component adds the grants for
     * its own log group, X-Ray and failure queue itself.
     */
    grants: Grant[];
    /** ARN of the stack's workload permissions boundary; a role without one is refused. */
    permissionsBoundary: pulumi.Input<string>;
    /** Days CloudWatch Logs keeps the function's logs (one of the values CloudWatch accepts). */
    logRetentionDays: number;
    /** Memory in MB, 128 to 10240; CPU scales with it. */
    memoryMb: number;
    /** Seconds one invocation may run, 1 to 900. */
    timeoutSeconds: number;
    /**
     * Plain configuration for the code. Names that look like secrets are refused: a secret belongs in Secrets Manager
     * or SSM Parameter Store, read at run time with its own grant. Names Lambda reserves are refused too.
     */
    environment?: Record<string, pulumi.Input<string>>;
    /** Concurrent executions reserved for (and capping) this function; unset shares the account's pool. */
    reservedConcurrency?: number;
    /** KMS key ARN for the log group; unset keeps CloudWatch Logs' default encryption. */
    logKmsKeyArn?: pulumi.Input<string>;
    /** What the function does, shown in the console. */
    description?: string;
}

/** Days failed asynchronous events stay in the failure queue: SQS's maximum, time enough to replay them. */
const FAILURE_RETENTION_SECONDS = 14 * 24 * 60 * 60;

/** Environment variable names that suggest a secret value. */
const SECRET_LIKE = /SECRET|PASSWORD|PASSWD|PASSPHRASE|TOKEN|PRIVATE_?KEY|API_?KEY|ACCESS_?KEY|CREDENTIAL/i;

/** Names the Lambda runtime sets itself; Lambda rejects a function that sets them. */
const LAMBDA_RESERVED = new Set([
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_DEFAULT_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_LAMBDA_RUNTIME_API",
    "AWS_REGION",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "LAMBDA_RUNTIME_DIR",
    "LAMBDA_TASK_ROOT",
]);

/**
 * A Lambda function with the platform's defaults, each a decision rather than an option:
 * - its own role, trusted by Lambda (the documented trust), bounded by the stack's boundary, with one inline policy
 *   built from its grants; exclusive-attachment resources keep anything else off the role;
 * - its own log group `/aws/lambda/<name>` created before the function (so Lambda never creates an unmanaged one
 *   without retention), JSON logs, active X-Ray tracing;
 * - nodejs22.x on arm64, code bundled from `handlers/` at program time;
 * - failed asynchronous invocations (and, with a `TableStreamTrigger`, stream batches given up on) go to an
 *   encrypted, TLS-only queue instead of being dropped.
 */
export class HardenedFunction extends pulumi.ComponentResource {
    /** The function. */
    public readonly fn: aws.lambda.Function;
    /** Its execution role. */
    public readonly role: aws.iam.Role;
    /** Its log group. */
    public readonly logGroup: aws.cloudwatch.LogGroup;
    /** Where failed asynchronous invocations go. */
    public readonly dlq: aws.sqs.Queue;
    /** Function ARN. */
    public readonly arn: pulumi.Output<string>;
    /** Function name (`swiftsupport-<stack>-<name>`). */
    public readonly name: pulumi.Output<string>;
    /** Execution role ARN. */
    public readonly roleArn: pulumi.Output<string>;
    /** Log group ARN. */
    public readonly logGroupArn: pulumi.Output<string>;
    /** Log group name. */
    public readonly logGroupName: pulumi.Output<string>;
    /** Failure queue ARN. */
    public readonly dlqArn: pulumi.Output<string>;
    /** Failure queue name, for alarms on its depth. */
    public readonly dlqName: pulumi.Output<string>;
    /** Every grant of its role: the caller's and the component's own (logs, X-Ray, failure queue). */
    public readonly grants: readonly Grant[];

    constructor(name: string, args: HardenedFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("swiftsupport:function:HardenedFunction", name, {}, opts);
        this.validate(name, args);

        const functionName = `swiftsupport-${pulumi.getStack()}-${name}`;
        if (!/^[A-Za-z0-9_-]{1,64}$/.test(functionName)) {
            throw new pulumi.ResourceError(`function name "${functionName}" must be 1-64 letters, digits, - or _`, this);
        }

        this.logGroup = new aws.cloudwatch.LogGroup(
            name,
            {
                name: `/aws/lambda/${functionName}`,
                retentionInDays: args.logRetentionDays,
                ...(args.logKmsKeyArn !== undefined ? { kmsKeyId: args.logKmsKeyArn } : {}),
            },
            { parent: this },
        );

        // SSE-SQS: encrypted at rest without a key policy to keep in step with the role.
        this.dlq = new aws.sqs.Queue(
            `${name}-failures`,
            { sqsManagedSseEnabled: true, messageRetentionSeconds: FAILURE_RETENTION_SECONDS },
            { parent: this },
        );
        new aws.sqs.QueuePolicy(
            `${name}-failures`,
            { queueUrl: this.dlq.url, policy: resourcePolicyDocument([queueDenyInsecureTransport(this.dlq.arn)]) },
            { parent: this },
        );

        this.grants = [...args.grants, logGroupWrite(this.logGroup.arn), xrayWrite(), queueSend(this.dlq.arn)];
        const role = new ServiceRole(
            `${name}-role`,
            {
                trust: lambdaExecutionTrust,
                permissionsBoundary: args.permissionsBoundary,
                grants: [...this.grants],
                description: `Execution role of ${functionName}`,
            },
            { parent: this },
        );
        this.role = role.role;
        const policy = role.policy;

        this.fn = new aws.lambda.Function(
            name,
            {
                name: functionName,
                ...(args.description !== undefined ? { description: args.description } : {}),
                role: this.role.arn,
                runtime: aws.lambda.Runtime.NodeJS22dX,
                architectures: ["arm64"],
                handler: "index.handler",
                code: bundleHandler(args.handler).archive,
                memorySize: args.memoryMb,
                timeout: args.timeoutSeconds,
                ...(args.environment !== undefined ? { environment: { variables: args.environment } } : {}),
                ...(args.reservedConcurrency !== undefined ? { reservedConcurrentExecutions: args.reservedConcurrency } : {}),
                tracingConfig: { mode: "Active" },
                loggingConfig: { logFormat: "JSON", logGroup: this.logGroup.name, applicationLogLevel: "INFO", systemLogLevel: "INFO" },
            },
            // The log group must exist first, and the policy too, so the first invocation can already log and work.
            { parent: this, dependsOn: [this.logGroup, policy] },
        );

        new aws.lambda.FunctionEventInvokeConfig(
            `${name}-async`,
            {
                functionName: this.fn.name,
                maximumRetryAttempts: 2,
                maximumEventAgeInSeconds: 3600,
                destinationConfig: { onFailure: { destination: this.dlq.arn } },
            },
            // Lambda checks the role may send to the destination when the config is saved.
            { parent: this, dependsOn: [policy] },
        );

        this.arn = this.fn.arn;
        this.name = this.fn.name;
        this.roleArn = this.role.arn;
        this.logGroupArn = this.logGroup.arn;
        this.logGroupName = this.logGroup.name;
        this.dlqArn = this.dlq.arn;
        this.dlqName = this.dlq.name;
        this.registerOutputs({
            arn: this.arn,
            name: this.name,
            roleArn: this.roleArn,
            logGroupArn: this.logGroupArn,
            logGroupName: this.logGroupName,
            dlqArn: this.dlqArn,
            dlqName: this.dlqName,
        });
    }

    private validate(name: string, args: HardenedFunctionArgs): void {
        const refuse = (message: string): never => {
            throw new pulumi.ResourceError(`HardenedFunction ${name}: ${message}`, this);
        };
        if (!handlerExists(args.handler)) refuse(`no handler "${args.handler}" in ${HANDLERS_DIR}`);
        if (!args.grants || args.grants.length === 0) {
            refuse("a function needs at least one grant; say what it does with grants from components/iam");
        }
        if (args.permissionsBoundary === undefined || args.permissionsBoundary === null || args.permissionsBoundary === "") {
            refuse("a function's role needs the stack's permissions boundary (permissionsBoundary)");
        }
        if (!Number.isInteger(args.logRetentionDays) || args.logRetentionDays <= 0) {
            refuse(`logRetentionDays must be a positive number of days, got ${args.logRetentionDays}`);
        }
        if (!Number.isInteger(args.memoryMb) || args.memoryMb < 128 || args.memoryMb > 10240) {
            refuse(`memoryMb must be an integer from 128 to 10240, got ${args.memoryMb}`);
        }
        if (!Number.isInteger(args.timeoutSeconds) || args.timeoutSeconds < 1 || args.timeoutSeconds > 900) {
            refuse(`timeoutSeconds must be an integer from 1 to 900, got ${args.timeoutSeconds}`);
        }
        if (args.reservedConcurrency !== undefined && (!Number.isInteger(args.reservedConcurrency) || args.reservedConcurrency < 1)) {
            refuse(`reservedConcurrency must be a positive integer when set, got ${args.reservedConcurrency}`);
        }
        for (const key of Object.keys(args.environment ?? {})) {
            if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(key)) refuse(`environment variable "${key}" must be letters, digits and _`);
            if (LAMBDA_RESERVED.has(key)) refuse(`environment variable ${key} is set by the Lambda runtime itself`);
            if (SECRET_LIKE.test(key)) {
                refuse(
                    `environment variable ${key} looks like a secret; environment variables are readable by anyone ` +
                        "who can read the function's configuration. Keep it in Secrets Manager or SSM Parameter Store " +
                        "and grant the function read access to that one secret instead.",
                );
            }
        }
    }
}
