import { strict as assert } from "node:assert";
import { AccessAnalyzers, AuditTrail, SecurityAlarms, SECURITY_FILTERS } from "../../components/audit";
import { PermissionsBoundary, workloadActions } from "../../components/iam";
import { loadPlatformConfig } from "../../config/load";
import { ProgramFailed, ProgramRun, RecordedResource, runProgram } from "../../tools/mocks/harness";
import { statementsOf as statements } from "../support/policyJson";

const T = {
    trail: "aws:cloudtrail/trail:Trail",
    key: "aws:kms/key:Key",
    bucket: "aws:s3/bucket:Bucket",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    boundary: "aws:iam/policy:Policy",
    analyzer: "aws:accessanalyzer/analyzer:Analyzer",
    filter: "aws:cloudwatch/logMetricFilter:LogMetricFilter",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    topic: "aws:sns/topic:Topic",
    topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
    subscription: "aws:sns/topicSubscription:TopicSubscription",
};

const list = <V>(v: V | V[]): V[] => (Array.isArray(v) ? v : [v]);
const one = (run: ProgramRun, type: string): RecordedResource => {
    const found = run.ofType(type);
    assert.equal(found.length, 1, `expected one ${type}, found ${found.length}`);
    return found[0];
};

/** The audit half of the stack, wired from the stack's config as index.ts does. */
function auditProgram() {
    const config = loadPlatformConfig();
    const boundary = new PermissionsBoundary("workloads", { audience: "workloads", actions: workloadActions() });
    const trail = new AuditTrail("audit", {
        permissionsBoundary: boundary.arn,
        logRetentionDays: config.logRetentionDays,
        deletionProtection: config.deletionProtection,
        forceDestroy: !config.deletionProtection,
    });
    const analyzers = new AccessAnalyzers("access-analyzers", {
        unusedAccessAgeDays: config.unusedAccessAnalyzer ? config.unusedAccessAgeDays : undefined,
    });
    const alarms = config.securityAlarms
        ? new SecurityAlarms("security-alarms", { trailLogGroupName: trail.logGroupName, alarmEmail: config.alarmEmail })
        : undefined;
    return { trailArn: trail.trailArn, analyzerArns: analyzers.analyzerArns, alarmArns: alarms?.alarmArns ?? [] };
}

async function failure(program: () => void): Promise<string> {
    try {
        await runProgram({ program });
    } catch (e) {
        assert.ok(e instanceof ProgramFailed, `expected ProgramFailed, got ${e}`);
        return e.message;
    }
    assert.fail("the program should have failed");
}

describe("audit", () => {
    const runs: Record<"dev" | "prod", ProgramRun> = {} as Record<"dev" | "prod", ProgramRun>;
    before(async () => {
        runs.dev = await runProgram({ stack: "dev", program: auditProgram });
        runs.prod = await runProgram({ stack: "prod", program: auditProgram });
    });

    describe("AuditTrail", () => {
        const trailOf = (run: ProgramRun) => one(run, T.trail);
        const trailKey = (run: ProgramRun) => run.named(T.key, "audit-key");

        it("logs every region and global service events, with log file validation and its own KMS key", () => {
            for (const run of Object.values(runs)) {
                const trail = trailOf(run);
                assert.equal(trail.inputs.name, `swiftsupport-${run.stack}`);
                assert.equal(trail.inputs.isMultiRegionTrail, true);
                assert.equal(trail.inputs.includeGlobalServiceEvents, true);
                assert.equal(trail.inputs.enableLogFileValidation, true);
                assert.notEqual(trail.inputs.enableLogging, false);
                assert.equal(trail.inputs.kmsKeyId, trailKey(run).outputs.arn);
                assert.equal(trail.inputs.s3BucketName, run.named(T.bucket, "audit-bucket").outputs.bucket);
            }
        });

        it("rotates the trail key, and its policy is the form CloudTrail and CloudWatch Logs document", () => {
            const run = runs.prod;
            const key = trailKey(run);
            const trailArn = trailOf(run).outputs.arn;
            const logGroupArn = one(run, T.logGroup).outputs.arn;
            assert.equal(key.inputs.enableKeyRotation, true);
            const doc = statements(key.inputs.policy);
            for (const s of doc.filter((s) => s.Effect === "Allow")) {
                for (const a of list(s.Action)) assert.ok(!a.includes("*"), `${s.Sid} allows wildcard action ${a}`);
            }
            const byService = (service: string) => doc.filter((s) => s.Principal.Service === service);
            const generateDataKeyAny = ["kms:GenerateDataKey", "kms:GenerateDataKeyPair", "kms:GenerateDataKeyPairWithoutPlaintext", "kms:GenerateDataKeyWithoutPlaintext"];
            // "Configure AWS KMS key policies for CloudTrail": GenerateDataKey* (written out) with the trail's encryption
            // context and aws:SourceArn; DescribeKey with aws:SourceArn; Decrypt (needed with S3 Bucket Keys) as the page
            // gives it, without a condition.
            const cloudtrail = byService("cloudtrail.amazonaws.com");
            assert.deepEqual(
                cloudtrail.map((s) => ({ Action: list(s.Action), Condition: s.Condition })),
                [
                    {
                        Action: generateDataKeyAny,
                        Condition: {
                            StringEquals: { "aws:SourceArn": trailArn },
                            StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:222222222222:trail/*" },
                        },
                    },
                    { Action: ["kms:DescribeKey"], Condition: { StringEquals: { "aws:SourceArn": trailArn } } },
                    { Action: ["kms:Decrypt"], Condition: undefined },
                ],
            );
            // "Encrypt log data in CloudWatch Logs using AWS Key Management Service": its wildcards written out.
            const logs = byService("logs.eu-west-1.amazonaws.com");
            assert.equal(logs.length, 1);
            assert.deepEqual(list(logs[0].Action), ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", ...generateDataKeyAny, "kms:DescribeKey"]);
            assert.deepEqual(logs[0].Condition, { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": logGroupArn } });
            const readers = doc.filter((s) => s.Principal.AWS !== undefined && list(s.Action).includes("kms:Decrypt"));
            assert.equal(readers.length, 1);
            assert.equal(readers[0].Principal.AWS, "arn:aws:iam::222222222222:root");
            assert.equal(readers[0].Condition.StringEquals["kms:CallerAccount"], "222222222222");
            assert.equal(readers[0].Condition.StringLike["kms:EncryptionContext:aws:cloudtrail:arn"], "arn:aws:cloudtrail:*:222222222222:trail/*");
        });

        it("keeps log files in a private bucket encrypted with the trail key that only this trail may write to, over TLS", () => {
            const run = runs.prod;
            const bucket = run.named(T.bucket, "audit-bucket");
            const trailArn = trailOf(run).outputs.arn;
            const sse = run.ofType(T.encryption).find((e) => e.inputs.bucket === bucket.id)!;
            assert.equal(sse.inputs.rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId, trailKey(run).outputs.arn);
            const policies = run.ofType(T.bucketPolicy).filter((p) => p.inputs.bucket === bucket.id);
            assert.equal(policies.length, 1, "exactly one bucket policy");
            const doc = statements(policies[0].inputs.policy);
            const deny = doc.filter((s) => s.Effect === "Deny");
            assert.equal(deny.length, 1);
            assert.deepEqual(deny[0].Condition, { Bool: { "aws:SecureTransport": "false" } });
            const allows = doc.filter((s) => s.Effect === "Allow");
            assert.deepEqual(allows.flatMap((s) => list(s.Action)).sort(), ["s3:GetBucketAcl", "s3:PutObject"]);
            for (const s of allows) {
                assert.deepEqual(s.Principal, { Service: "cloudtrail.amazonaws.com" }, s.Sid);
                assert.equal(s.Condition.StringEquals["aws:SourceArn"], trailArn, s.Sid);
            }
            const write = allows.find((s) => list(s.Action).includes("s3:PutObject"))!;
            assert.deepEqual(list(write.Resource), [`${bucket.outputs.arn}/AWSLogs/222222222222/*`]);
            assert.equal(write.Condition.StringEquals["s3:x-amz-acl"], "bucket-owner-full-control");
        });

        it("delivers events to an encrypted log group with the stack's retention", () => {
            for (const run of Object.values(runs)) {
                const logGroup = one(run, T.logGroup);
                assert.equal(logGroup.inputs.name, `/aws/cloudtrail/swiftsupport-${run.stack}`);
                assert.equal(logGroup.inputs.retentionInDays, run.stack === "prod" ? 365 : 14);
                assert.equal(logGroup.inputs.kmsKeyId, trailKey(run).outputs.arn);
                assert.equal(logGroup.inputs.deletionProtectionEnabled, run.stack === "prod");
                assert.equal(trailOf(run).inputs.cloudWatchLogsGroupArn, `${logGroup.outputs.arn}:*`);
            }
        });

        it("delivers through a role CloudTrail assumes in its documented trust, with the workload boundary and only its one grant", () => {
            const run = runs.prod;
            const trail = trailOf(run);
            const role = run.ofType(T.role).find((r) => r.outputs.arn === trail.inputs.cloudWatchLogsRoleArn)!;
            assert.ok(role, "the trail's role is one of the program's roles");
            const boundary = run.named(T.boundary, "workloads");
            assert.equal(role.inputs.permissionsBoundary, boundary.outputs.arn);
            assert.equal(role.inputs.managedPolicyArns, undefined);
            assert.equal(run.ofType(T.attachment).length, 0);
            assert.deepEqual(statements(role.inputs.assumeRolePolicy), [
                {
                    Sid: "AssumeByService",
                    Effect: "Allow",
                    Principal: { Service: "cloudtrail.amazonaws.com" },
                    Action: "sts:AssumeRole",
                    // No condition: "Role policy document for CloudTrail to use CloudWatch Logs for monitoring" says
                    // CloudTrail does not support aws:SourceArn or aws:SourceAccount for this role (delivery would stop).
                },
            ]);
            const policies = run.ofType(T.rolePolicy).filter((p) => p.inputs.role === role.id);
            assert.equal(policies.length, 1);
            const doc = statements(policies[0].inputs.policy);
            assert.deepEqual(
                doc.map((s) => ({ Effect: s.Effect, Action: s.Action, Resource: s.Resource })),
                [{ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [`${one(run, T.logGroup).outputs.arn}:*`] }],
            );
            const allowedByBoundary = statements(boundary.inputs.policy).find((s) => s.Effect === "Allow")!.Action;
            for (const a of doc[0].Action) assert.ok(allowedByBoundary.includes(a), `the boundary allows ${a}`);
        });

        it("creates the trail only after the bucket policy and the role's policy it is checked against", () => {
            const run = runs.prod;
            const deps = trailOf(run).dependencies;
            assert.ok(deps.includes(one(run, T.bucketPolicy).urn), "depends on the bucket policy");
            assert.ok(deps.includes(one(run, T.rolePolicy).urn), "depends on the delivery role's policy");
        });

        it("refuses a trail without a permissions boundary", async () => {
            const message = await failure(() => {
                new AuditTrail("audit", { permissionsBoundary: "", logRetentionDays: 14 });
            });
            assert.match(message, /permissionsBoundary/);
        });

        it("refuses a retention CloudWatch Logs does not offer", async () => {
            const message = await failure(() => {
                new AuditTrail("audit", { permissionsBoundary: "arn:aws:iam::111111111111:policy/b", logRetentionDays: 10 });
            });
            assert.match(message, /logRetentionDays 10/);
        });
    });

    describe("AccessAnalyzers", () => {
        it("runs an account analyzer in every stack", () => {
            for (const run of Object.values(runs)) {
                const account = run.ofType(T.analyzer).filter((a) => a.inputs.type === "ACCOUNT");
                assert.equal(account.length, 1, run.stack);
                assert.ok((run.outputs.analyzerArns as string[]).includes(account[0].outputs.arn));
            }
        });

        it("adds an unused-access analyzer only where the config asks for it (prod)", () => {
            const unused = (run: ProgramRun) => run.ofType(T.analyzer).filter((a) => a.inputs.type === "ACCOUNT_UNUSED_ACCESS");
            assert.equal(unused(runs.dev).length, 0);
            assert.equal(unused(runs.prod).length, 1);
            assert.deepEqual(unused(runs.prod)[0].inputs.configuration, { unusedAccess: { unusedAccessAge: 90 } });
            assert.equal((runs.prod.outputs.analyzerArns as string[]).length, 2);
        });

        it("adopts the account's existing analyzer instead of creating a second one AWS would refuse", async () => {
            const existing = "arn:aws:access-analyzer:eu-west-1:111111111111:analyzer/ConsoleAnalyzer-1a2b";
            const run = await runProgram({ program: () => {
                const analyzers = new AccessAnalyzers("access-analyzers", { existingAccountAnalyzerArn: existing });
                return { analyzerArns: analyzers.analyzerArns };
            } });
            assert.equal(run.ofType(T.analyzer).length, 0);
            assert.deepEqual(run.outputs.analyzerArns, [existing]);
            assert.match(
                await failure(() => void new AccessAnalyzers("a", { existingAccountAnalyzerArn: "arn:aws:iam::111111111111:role/x" })),
                /existingAccountAnalyzerArn .* is not an IAM Access Analyzer ARN/,
            );
        });

        it("refuses an unused-access age outside 1-365 days", async () => {
            const message = await failure(() => {
                new AccessAnalyzers("access-analyzers", { unusedAccessAgeDays: 400 });
            });
            assert.match(message, /unusedAccessAgeDays/);
        });
    });

    describe("SecurityAlarms", () => {
        it("in prod, filters the trail's log group for root use, unauthorized calls, IAM policy and CloudTrail changes", () => {
            const run = runs.prod;
            const filters = run.ofType(T.filter);
            assert.deepEqual(filters.map((f) => f.inputs.pattern), SECURITY_FILTERS.map((f) => f.pattern));
            for (const f of filters) assert.equal(f.inputs.logGroupName, one(run, T.logGroup).outputs.name);
            const [root, unauthorized, iam, trail] = filters.map((f) => f.inputs.pattern as string);
            assert.match(root, /\$\.userIdentity\.type = "Root"/);
            assert.match(unauthorized, /AccessDenied\*/);
            for (const e of ["PutRolePolicy", "AttachRolePolicy", "CreatePolicyVersion", "DetachGroupPolicy"]) assert.ok(iam.includes(`=${e})`), e);
            for (const e of ["CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging"]) assert.ok(trail.includes(`=${e})`), e);
        });

        it("raises one alarm per filter on any match in five minutes, notifying the topic", () => {
            const run = runs.prod;
            const topic = one(run, T.topic);
            const alarms = run.ofType(T.alarm);
            assert.equal(alarms.length, SECURITY_FILTERS.length);
            for (const f of run.ofType(T.filter)) {
                const m = f.inputs.metricTransformation;
                const matching = alarms.filter((a) => a.inputs.metricName === m.name && a.inputs.namespace === m.namespace);
                assert.equal(matching.length, 1, `one alarm for ${m.name}`);
                const a = matching[0].inputs;
                assert.equal(m.value, "1");
                assert.deepEqual(
                    [a.statistic, a.period, a.evaluationPeriods, a.threshold, a.comparisonOperator, a.treatMissingData],
                    ["Sum", 300, 1, 1, "GreaterThanOrEqualToThreshold", "notBreaching"],
                );
                assert.deepEqual(a.alarmActions, [topic.outputs.arn]);
            }
            assert.deepEqual([...(run.outputs.alarmArns as string[])].sort(), alarms.map((a) => a.outputs.arn).sort());
        });

        it("encrypts the topic with its own rotating key that CloudWatch alarms may use, in the documented form", () => {
            const run = runs.prod;
            const key = run.named(T.key, "security-alarms-key");
            assert.equal(one(run, T.topic).inputs.kmsMasterKeyId, key.outputs.arn);
            assert.equal(key.inputs.enableKeyRotation, true);
            const doc = statements(key.inputs.policy);
            for (const s of doc) for (const a of list(s.Action)) assert.ok(!a.includes("*"), `${s.Sid} allows wildcard action ${a}`);
            const cloudwatch = doc.filter((s) => s.Principal.Service === "cloudwatch.amazonaws.com");
            assert.equal(cloudwatch.length, 1);
            // Knowledge Center cloudwatch-configure-alarm-sns: Decrypt and GenerateDataKey* (written out), no condition
            // (no page shows CloudWatch sending aws:SourceAccount to KMS); the topic policy pins the publishers.
            assert.deepEqual(cloudwatch[0].Action, [
                "kms:GenerateDataKey", "kms:GenerateDataKeyPair", "kms:GenerateDataKeyPairWithoutPlaintext", "kms:GenerateDataKeyWithoutPlaintext", "kms:Decrypt",
            ]);
            assert.equal(cloudwatch[0].Condition, undefined);
        });

        it("lets only these alarms publish to the topic", () => {
            const run = runs.prod;
            const topic = one(run, T.topic);
            const policy = one(run, T.topicPolicy);
            assert.equal(policy.inputs.arn, topic.outputs.arn);
            assert.deepEqual(statements(policy.inputs.policy), [
                {
                    Sid: "CloudWatchAlarmsPublish",
                    Effect: "Allow",
                    Principal: { Service: "cloudwatch.amazonaws.com" },
                    Action: ["sns:Publish"],
                    Resource: topic.outputs.arn,
                    // Knowledge Center cloudwatch-receive-sns-for-alarm-trigger: ArnLike aws:SourceArn, no aws:SourceAccount.
                    Condition: { ArnLike: { "aws:SourceArn": run.ofType(T.alarm).map((a) => a.outputs.arn) } },
                },
            ]);
        });

        it("subscribes the configured address to the topic", () => {
            const subscription = one(runs.prod, T.subscription);
            assert.equal(subscription.inputs.topic, one(runs.prod, T.topic).outputs.arn);
            assert.deepEqual([subscription.inputs.protocol, subscription.inputs.endpoint], ["email", "security-alerts@swiftsupport.example"]);
        });

        it("creates no filters, alarms or topic where the config does not ask for them (dev)", () => {
            for (const type of [T.filter, T.alarm, T.topic, T.topicPolicy, T.subscription]) assert.equal(runs.dev.ofType(type).length, 0, type);
            assert.equal(runs.dev.ofType(T.key).length, 1, "only the trail key");
        });

        it("refuses a malformed alarm address", async () => {
            const message = await failure(() => {
                new SecurityAlarms("security-alarms", { trailLogGroupName: "/aws/cloudtrail/x", alarmEmail: "security-alerts" });
            });
            assert.match(message, /alarmEmail/);
        });
    });

    it("rotates every key and parents every resource under an audit component", () => {
        for (const run of Object.values(runs)) {
            for (const key of run.ofType(T.key)) assert.equal(key.inputs.enableKeyRotation, true, key.name);
            const components = new Set(run.resources.filter((r) => r.type.startsWith("swiftsupport:")).map((r) => r.urn));
            for (const r of run.resources.filter((r) => r.custom && r.type.startsWith("aws:") && r.name !== "workloads")) {
                assert.ok(r.parent && components.has(r.parent), `${r.type} ${r.name} is parented by a component`);
            }
        }
    });
});
