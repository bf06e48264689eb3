import { strict as assert } from "node:assert";
import { TableStreamTrigger } from "../../components/function";
import { HardenedFunction, HardenedFunctionArgs } from "../../components/function/hardenedFunction";
import { streamList, tableGetItem, tableStreamRead } from "../../components/iam";
import { TTL_ATTRIBUTE } from "../../handlers/lib/ticketTable";
import { ProgramFailed, ProgramRun, RecordedResource, runProgram } from "../../tools/mocks/harness";

const T = {
    table: "aws:dynamodb/table:Table",
    mapping: "aws:lambda/eventSourceMapping:EventSourceMapping",
    fn: "aws:lambda/function:Function",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    queue: "aws:sqs/queue:Queue",
    queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    topic: "aws:sns/topic:Topic",
    topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
};

type Statement = { Sid: string; Effect: string; Action: string[]; Resource: string[]; Condition?: Record<string, Record<string, unknown>> };
const policyOf = (run: ProgramRun, fnName: string): Statement[] => {
    const role = run.ofType(T.role).find((r) => r.outputs.arn === run.named(T.fn, fnName).inputs.role)!;
    const policy = run.ofType(T.rolePolicy).find((p) => p.inputs.role === role.outputs.name)!;
    return JSON.parse(policy.inputs.policy).Statement;
};

// The composed program: the stream on the tickets table, the mapping to the analysis function and its failure queue.
describe("durable analysis (table stream -> analysis, failures -> queue)", () => {
    let dev: ProgramRun;
    let prod: ProgramRun;
    let table: RecordedResource;
    let mapping: RecordedResource;
    let failures: RecordedResource;

    before(async () => {
        dev = await runProgram({ stack: "dev" });
        prod = await runProgram({ stack: "prod" });
        table = dev.named(T.table, "tickets");
        mapping = dev.named(T.mapping, "analysis-stream");
        failures = dev.named(T.queue, "analysis-failures");
    });

    it("streams new images from the tickets table and expires idempotency records with TTL", () => {
        assert.equal(table.inputs.streamEnabled, true);
        assert.equal(table.inputs.streamViewType, "NEW_IMAGE");
        assert.deepEqual(table.inputs.ttl, { attributeName: TTL_ATTRIBUTE, enabled: true });
        assert.match(table.outputs.streamArn, /^arn:aws:dynamodb:eu-west-1:111111111111:table\/tickets-[0-9a-f]+\/stream\//);
    });

    it("maps the stream to the analysis function, new tickets only (filtering on the dynamodb key alone), from the oldest record kept", () => {
        assert.equal(dev.ofType(T.mapping).length, 1);
        assert.equal(mapping.inputs.eventSourceArn, table.outputs.streamArn);
        assert.equal(mapping.inputs.functionName, dev.named(T.fn, "analysis").outputs.arn);
        assert.equal(mapping.inputs.startingPosition, "TRIM_HORIZON");
        assert.deepEqual(
            mapping.inputs.filterCriteria.filters.map((f: { pattern: string }) => JSON.parse(f.pattern)),
            [{ dynamodb: { NewImage: { owner: { S: [{ exists: true }] }, analysisVersion: { N: [{ exists: false }] } } } }],
        );
    });

    it("reports partial batch failures, bisects, bounds retries and record age, and keeps failed batches in the function's queue", () => {
        assert.deepEqual(mapping.inputs.functionResponseTypes, ["ReportBatchItemFailures"]);
        assert.equal(mapping.inputs.bisectBatchOnFunctionError, true);
        assert.equal(mapping.inputs.maximumRetryAttempts, 3);
        assert.equal(mapping.inputs.maximumRecordAgeInSeconds, 3600);
        assert.equal(mapping.inputs.batchSize, 10);
        assert.deepEqual(mapping.inputs.destinationConfig, { onFailure: { destinationArn: failures.outputs.arn } });
        const policy = dev.named(T.rolePolicy, "analysis-role-policy");
        assert.ok(mapping.dependencies.includes(dev.named(T.fn, "analysis").urn), "the mapping waits for the function");
        assert.ok(mapping.dependencies.includes(policy.urn), "and for the role's policy Lambda checks on create");
    });

    it("keeps failed batches encrypted (SSE-SQS, so no key grant is needed), for 14 days, over TLS only", () => {
        assert.equal(failures.inputs.sqsManagedSseEnabled, true);
        assert.equal(failures.inputs.kmsMasterKeyId, undefined);
        assert.equal(failures.inputs.messageRetentionSeconds, 14 * 24 * 3600);
        const policy = dev.ofType(T.queuePolicy).find((p) => p.inputs.queueUrl === failures.outputs.url)!;
        const [deny] = JSON.parse(policy.inputs.policy).Statement;
        assert.deepEqual([deny.Effect, deny.Condition], ["Deny", { Bool: { "aws:SecureTransport": "false" } }]);
    });

    it("grants the analysis role the stream reads on this stream, ListStreams on *, and sending to its failure queue", () => {
        const statements = policyOf(dev, "analysis");
        const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
        assert.deepEqual(bySid.TableStreamRead.Action, ["dynamodb:DescribeStream", "dynamodb:GetShardIterator", "dynamodb:GetRecords"]);
        assert.deepEqual(bySid.TableStreamRead.Resource, [table.outputs.streamArn]);
        assert.deepEqual([bySid.StreamList.Action, bySid.StreamList.Resource], [["dynamodb:ListStreams"], ["*"]]);
        assert.deepEqual([bySid.QueueSend.Action, bySid.QueueSend.Resource], [["sqs:SendMessage"], [failures.outputs.arn]]);
        // The stream is encrypted with the table key; reading it is DynamoDB using that key.
        assert.deepEqual(bySid.KmsDecrypt.Condition, { StringEquals: { "kms:ViaService": "dynamodb.eu-west-1.amazonaws.com" } });
        for (const name of ["status", "submit"]) {
            const actions = policyOf(dev, name).flatMap((s) => s.Action);
            assert.ok(!actions.includes("dynamodb:GetRecords"), `${name} may read the stream`);
        }
    });

    it("in prod, alarms to the alarm topic as soon as one failed batch waits in the queue; not in dev", () => {
        const queue = prod.named(T.queue, "analysis-failures");
        const alarm = prod.named(T.alarm, "security-alarms-analysis-failures");
        const a = alarm.inputs;
        assert.deepEqual([a.namespace, a.metricName, a.dimensions], ["AWS/SQS", "ApproximateNumberOfMessagesVisible", { QueueName: queue.outputs.name }]);
        assert.deepEqual(
            [a.statistic, a.period, a.evaluationPeriods, a.threshold, a.comparisonOperator, a.treatMissingData],
            ["Maximum", 300, 1, 1, "GreaterThanOrEqualToThreshold", "notBreaching"],
        );
        const topic = prod.named(T.topic, "security-alarms-topic");
        assert.deepEqual(a.alarmActions, [topic.outputs.arn]);
        const [publish] = JSON.parse(prod.ofType(T.topicPolicy)[0].inputs.policy).Statement;
        // ArnLike, as AWS Knowledge Center cloudwatch-receive-sns-for-alarm-trigger gives it (components/iam/auditStatements.ts).
        assert.ok(publish.Condition.ArnLike["aws:SourceArn"].includes(alarm.outputs.arn), "the topic accepts this alarm");
        assert.equal(dev.ofType(T.alarm).length, 0);
    });

    it("gives the analysis function no allow-list unless configured, and passes a configured one as role ARNs", async () => {
        assert.equal(dev.named(T.fn, "analysis").inputs.environment.variables.REANALYSIS_ROLE_ARNS, undefined);
        const roles = ["arn:aws:iam::111111111111:role/ops/swiftsupport-operator", "arn:aws:iam::111111111111:role/Reanalyse"];
        const configured = await runProgram({ stack: "dev", config: { reanalysisPrincipals: roles } });
        assert.equal(configured.named(T.fn, "analysis").inputs.environment.variables.REANALYSIS_ROLE_ARNS, roles.join(","));
        assert.match(configured.outputs.reanalysisRouteArn as string, /^arn:aws:execute-api:eu-west-1:111111111111:[0-9a-f]+\/api\/POST\/tickets\/\*\/analysis$/);
    });

    it("refuses a reanalysisPrincipals entry that is not an IAM role ARN, naming it", async () => {
        await assert.rejects(
            runProgram({ stack: "dev", config: { reanalysisPrincipals: ["arn:aws:iam::111111111111:user/bob", "arn:aws:iam::111111111111:role/ok"] } }),
            (e: unknown) => e instanceof ProgramFailed && /reanalysisPrincipals\[0\]: must be an IAM role ARN/.test(e.message) && !/reanalysisPrincipals\[1\]/.test(e.message),
        );
    });
});

describe("TableStreamTrigger refuses", () => {
    const ACCOUNT = "111111111111";
    const STREAM = `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/t/stream/2026-01-01T00:00:00.000`;
    const fnArgs = (grants: HardenedFunctionArgs["grants"]): HardenedFunctionArgs => ({
        handler: "analysis",
        grants,
        permissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/boundary`,
        logRetentionDays: 14,
        memoryMb: 256,
        timeoutSeconds: 10,
    });
    const refused = (grants: HardenedFunctionArgs["grants"], more: object, message: RegExp) =>
        assert.rejects(
            runProgram({
                program: () => {
                    const target = new HardenedFunction("f", fnArgs(grants));
                    new TableStreamTrigger("s", { target, streamArn: STREAM, filters: [{ eventName: ["INSERT"] }], ...more });
                },
            }),
            (e: unknown) => e instanceof ProgramFailed && message.test(e.message),
        );
    const readGrants = [tableStreamRead(STREAM), streamList()];

    it("a target whose role cannot read the stream", () =>
        refused([tableGetItem(`arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/t`)], {}, /TableStreamTrigger s: the target function's role lacks the grant\(s\) TableStreamRead, StreamList/));
    it("a mapping without a filter, or with more than Lambda allows", async () => {
        await refused(readGrants, { filters: [] }, /filters must hold 1 to 5 patterns/);
        await refused(readGrants, { filters: Array.from({ length: 6 }, () => ({ eventName: ["INSERT"] })) }, /filters must hold 1 to 5 patterns/);
    });
    it("unbounded or out-of-range retries and record age", async () => {
        await refused(readGrants, { maximumRetryAttempts: -1 }, /maximumRetryAttempts must be 0 to 10000, got -1/);
        await refused(readGrants, { maximumRecordAgeSeconds: 30 }, /maximumRecordAgeSeconds must be 60 to 604800, got 30/);
        await refused(readGrants, { batchSize: 0 }, /batchSize must be 1 to 10000, got 0/);
    });
});
