import { strict as assert } from "node:assert";
import * as path from "node:path";
import { buildHandler, bundleHandler, HANDLERS_DIR } from "../../components/function/bundle";
import { HardenedFunction, HardenedFunctionArgs } from "../../components/function/hardenedFunction";
import { tableGetItem } from "../../components/iam";
import { ProgramFailed, ProgramRun, RecordedResource, runProgram } from "../../tools/mocks/harness";

const FUNCTION = "aws:lambda/function:Function";
const ROLE = "aws:iam/role:Role";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const QUEUE = "aws:sqs/queue:Queue";

const ACCOUNT = "111111111111"; // Pulumi.dev.yaml
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/swiftsupport/swiftsupport-dev-workloads-boundary`;
const TABLE_ARN = `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/tickets-0a1b2c3`;
const LOG_KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

const args = (more: Partial<HardenedFunctionArgs> = {}): HardenedFunctionArgs => ({
    handler: "status",
    grants: [tableGetItem(TABLE_ARN)],
    permissionsBoundary: BOUNDARY,
    logRetentionDays: 14,
    memoryMb: 256,
    timeoutSeconds: 10,
    environment: { TABLE_NAME: "tickets-0a1b2c3" },
    ...more,
});

/** The one resource of `type` among the component's children. */
function childOf(run: ProgramRun, component: string, type: string, suffix = ""): RecordedResource {
    const parent = run.named("swiftsupport:function:HardenedFunction", component);
    // Anywhere below the function's component (its role sits inside a ServiceRole).
    const below = (urn: string): RecordedResource[] => run.childrenOf(urn).flatMap((c) => [c, ...below(c.urn)]);
    const found = below(parent.urn).filter((r) => r.type === type && r.name === `${component}${suffix}`);
    assert.equal(found.length, 1, `expected one ${type} ${component}${suffix} under ${component}`);
    return found[0];
}

describe("HardenedFunction", () => {
    let run: ProgramRun;

    before(async () => {
        run = await runProgram({
            program: () => {
                new HardenedFunction("status", args());
                new HardenedFunction("busy", args({ handler: "analysis", reservedConcurrency: 5, logKmsKeyArn: LOG_KEY }));
            },
        });
    });

    it("runs nodejs22.x on arm64 with active X-Ray tracing and JSON logs", () => {
        for (const name of ["status", "busy"]) {
            const { inputs } = run.named(FUNCTION, name);
            assert.equal(inputs.runtime, "nodejs22.x");
            assert.deepEqual(inputs.architectures, ["arm64"]);
            assert.deepEqual(inputs.tracingConfig, { mode: "Active" });
            assert.equal(inputs.loggingConfig.logFormat, "JSON");
            assert.equal(inputs.handler, "index.handler");
            assert.equal(inputs.memorySize, 256);
            assert.equal(inputs.timeout, 10);
        }
    });

    it("logs to its own /aws/lambda/<name> log group, created before the function and kept for the configured days", () => {
        const fn = run.named(FUNCTION, "status");
        const group = childOf(run, "status", LOG_GROUP);
        assert.equal(fn.inputs.name, "swiftsupport-dev-status");
        assert.equal(group.inputs.name, "/aws/lambda/swiftsupport-dev-status");
        assert.equal(group.inputs.retentionInDays, 14);
        assert.equal(fn.inputs.loggingConfig.logGroup, group.outputs.name);
        assert.ok(fn.dependencies.includes(group.urn), "the function may be created before its log group");
    });

    it("gives each function its own role, assumable by Lambda in its documented trust, within the stack's boundary", () => {
        const roles = ["status", "busy"].map((name) => childOf(run, name, ROLE, "-role"));
        assert.notEqual(roles[0].outputs.arn, roles[1].outputs.arn);
        for (const [i, name] of ["status", "busy"].entries()) {
            assert.equal(run.named(FUNCTION, name).inputs.role, roles[i].outputs.arn);
            assert.equal(roles[i].inputs.permissionsBoundary, BOUNDARY);
            assert.deepEqual(JSON.parse(roles[i].inputs.assumeRolePolicy).Statement, [
                {
                    Sid: "AssumeByService",
                    Effect: "Allow",
                    Principal: { Service: "lambda.amazonaws.com" },
                    Action: "sts:AssumeRole",
                    // No aws:SourceAccount: "Defining Lambda function permissions with an execution role" gives the trust
                    // without a condition and no Lambda page documents one.
                },
            ]);
        }
    });

    it("allows its grants plus writing its own logs, traces and failure queue, and nothing more", () => {
        const group = childOf(run, "status", LOG_GROUP);
        const queue = childOf(run, "status", QUEUE, "-failures");
        const policy = childOf(run, "status", "aws:iam/rolePolicy:RolePolicy", "-role-policy");
        assert.equal(policy.inputs.role, childOf(run, "status", ROLE, "-role").outputs.name);
        // Whole statements: a lost or added Condition fails too.
        const allow = (Sid: string, Action: string[], Resource: string[]) => ({ Sid, Effect: "Allow", Action, Resource });
        assert.deepEqual(JSON.parse(policy.inputs.policy).Statement, [
            allow("TableGetItem", ["dynamodb:GetItem"], [TABLE_ARN]),
            allow("LogGroupWrite", ["logs:CreateLogStream", "logs:PutLogEvents"], [`${group.outputs.arn}:*`]),
            allow("XRayWrite", ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], ["*"]),
            allow("QueueSend", ["sqs:SendMessage"], [queue.outputs.arn]),
        ]);
    });

    it("keeps every other policy off the role: inline policies pinned to its own, managed policies to none", () => {
        const role = childOf(run, "status", ROLE, "-role");
        const inline = childOf(run, "status", "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive", "-role-inline-policies");
        const managed = childOf(run, "status", "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", "-role-managed-policies");
        assert.equal(inline.inputs.roleName, role.outputs.name);
        assert.deepEqual(inline.inputs.policyNames, ["least-privilege"]);
        assert.equal(managed.inputs.roleName, role.outputs.name);
        assert.deepEqual(managed.inputs.policyArns, []);
        assert.equal(role.inputs.managedPolicyArns, undefined);
        assert.equal(role.inputs.inlinePolicies, undefined);
    });

    it("sends failed asynchronous invocations to an encrypted queue that refuses plain HTTP", () => {
        const queue = childOf(run, "status", QUEUE, "-failures");
        assert.equal(queue.inputs.sqsManagedSseEnabled, true);
        assert.equal(queue.inputs.messageRetentionSeconds, 14 * 24 * 3600);
        const config = childOf(run, "status", "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "-async");
        assert.equal(config.inputs.functionName, "swiftsupport-dev-status");
        assert.deepEqual(config.inputs.destinationConfig, { onFailure: { destination: queue.outputs.arn } });
        const policy = JSON.parse(childOf(run, "status", "aws:sqs/queuePolicy:QueuePolicy", "-failures").inputs.policy);
        assert.deepEqual(policy.Statement[0].Condition, { Bool: { "aws:SecureTransport": "false" } });
        assert.equal(policy.Statement[0].Effect, "Deny");
    });

    it("reserves concurrency and encrypts logs with a customer key only when asked", () => {
        assert.equal(run.named(FUNCTION, "status").inputs.reservedConcurrentExecutions, undefined);
        assert.equal(run.named(FUNCTION, "busy").inputs.reservedConcurrentExecutions, 5);
        assert.equal(childOf(run, "status", LOG_GROUP).inputs.kmsKeyId, undefined);
        assert.equal(childOf(run, "busy", LOG_GROUP).inputs.kmsKeyId, LOG_KEY);
    });

    it("deploys the esbuild bundle of its handler as index.js, with plain configuration in the environment", async () => {
        const fn = run.named(FUNCTION, "busy");
        const assets = await fn.inputs.code.assets;
        assert.deepEqual(Object.keys(assets), ["index.js"]);
        assert.equal(await assets["index.js"].text, bundleHandler("analysis").code);
        assert.deepEqual(fn.inputs.environment, { variables: { TABLE_NAME: "tickets-0a1b2c3" } });
    });
});

describe("handler bundles", () => {
    it("carry the AWS SDK inside (no runtime-provided package) and no local paths", () => {
        const { code, runtimeImports } = bundleHandler("submit");
        // The SDK is bundled now: the runtime's copy comes at no promised version (test/handlers/bundles.test.ts
        // loads each bundle from an empty folder).
        assert.ok(runtimeImports.every((m) => m.startsWith("node:")), runtimeImports.join(", "));
        assert.ok(code.includes("DynamoDBDocumentClient"), "the document client is inside the bundle");
        assert.ok(!code.includes(path.dirname(HANDLERS_DIR)), "bundle embeds the build machine's path");
    });

    it("are byte-for-byte reproducible, so an unchanged handler never redeploys", () => {
        for (const name of ["status", "submit", "analysis"]) {
            assert.equal(buildHandler(name).sha256, bundleHandler(name).sha256, name);
        }
    });
});

describe("HardenedFunction refuses", () => {
    const refused = (more: Partial<HardenedFunctionArgs>, message: RegExp) =>
        assert.rejects(
            runProgram({ program: () => void new HardenedFunction("f", args(more)) }),
            (e: unknown) => e instanceof ProgramFailed && message.test(e.message),
        );

    it("a function without grants", () => refused({ grants: [] }, /HardenedFunction f: a function needs at least one grant/));

    it("a function without a permissions boundary", async () => {
        await refused({ permissionsBoundary: undefined as never }, /needs the stack's permissions boundary/);
        await refused({ permissionsBoundary: "" }, /needs the stack's permissions boundary/);
    });

    it("environment variables that look like secrets, pointing to Secrets Manager or SSM", async () => {
        for (const name of ["DB_PASSWORD", "AUTH0_CLIENT_SECRET", "STRIPE_API_KEY", "GITHUB_TOKEN", "SIGNING_PRIVATE_KEY"]) {
            await refused({ environment: { [name]: "x" } }, new RegExp(`${name} looks like a secret.*Secrets Manager or SSM`));
        }
    });

    it("environment variables the Lambda runtime sets itself", () =>
        refused({ environment: { AWS_REGION: "eu-west-1" } }, /AWS_REGION is set by the Lambda runtime/));

    it("a handler that is not a file in handlers/", async () => {
        await refused({ handler: "missing" }, /no handler "missing"/);
        await refused({ handler: "../index" }, /no handler "\.\.\/index"/);
    });

    it("memory, timeout, retention or concurrency out of Lambda's range", async () => {
        await refused({ memoryMb: 64 }, /memoryMb must be an integer from 128 to 10240, got 64/);
        await refused({ timeoutSeconds: 901 }, /timeoutSeconds must be an integer from 1 to 900, got 901/);
        await refused({ logRetentionDays: 0 }, /logRetentionDays must be a positive number of days/);
        await refused({ reservedConcurrency: 0 }, /reservedConcurrency must be a positive integer/);
    });
});
