// Exactly what each grant helper and resource-policy statement of components/iam allows: the actions, the resources
// and the conditions. These are the permissions the platform deploys, so each is written out here in full; a change
// to any of them must show up as a change to this file. Each helper is called inside its test (the tables hold
// thunks), so a mutation run sees which test covers it.
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import {
    ACCESS,
    ACCESS_NAMES,
    accountAlarmsArn,
    actionsOf,
    assertGrant,
    boundaryDocument,
    grantsForAccess,
    PlatformResources,
    policyDocument,
    resourcePolicyDocument,
    serviceTrustPolicy,
} from "../components/iam";
import * as audit from "../components/iam/auditStatements";
import * as g from "../components/iam/grants";
import { keyAdministration, keyUseViaService } from "../components/iam/resourcePolicy";
import { functionInvokeByService, queueDenyInsecureTransport } from "../components/iam/serverlessStatements";
import { cloudFrontReadViaOac, denyInsecureTransport, logDeliveryWrite } from "../components/iam/storageStatements";
import { runProgram } from "../tools/mocks/harness";

/** Any value with Outputs inside, resolved (outside a deployment every Output here is known). */
const resolved = <T>(value: T) => new Promise<unknown>((ok) => pulumi.output(value).apply(ok));
const doc = async (document: pulumi.Output<string>) => JSON.parse((await resolved(document)) as string);

const TABLE = "arn:aws:dynamodb:eu-west-1:111111111111:table/tickets";
const KEY = "arn:aws:kms:eu-west-1:111111111111:key/k";
const LOGS = "arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/fn";
/** What CloudWatch Logs may do with a log group's key, in every partition (written out: the grant must list exactly these). */
const LOGS_KEY_ACTIONS = [
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyPair",
    "kms:GenerateDataKeyPairWithoutPlaintext",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:DescribeKey",
];
const LOGS2 = "arn:aws:logs:us-east-1:111111111111:log-group:aws-waf-logs-edge";
const FN = "arn:aws:lambda:eu-west-1:111111111111:function:submit";
const FN2 = "arn:aws:lambda:eu-west-1:111111111111:function:status";
const TRAIL = "arn:aws:cloudtrail:eu-west-1:111111111111:trail/audit";
const BUCKET = "arn:aws:s3:::audit-bucket";
const ACCOUNT = "111111111111";

describe("components/iam grant helpers: exact grants", () => {
    const cases: [string, () => unknown, unknown][] = [
        ["tableGetItem", () => g.tableGetItem(TABLE), { sid: "TableGetItem", actions: ["dynamodb:GetItem"], resources: [TABLE] }],
        [
            "tableGetItemWithKeyPrefix",
            () => g.tableGetItemWithKeyPrefix(TABLE, "idempotency#"),
            {
                sid: "TableGetItemWithKeyPrefix",
                actions: ["dynamodb:GetItem"],
                resources: [TABLE],
                conditions: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["idempotency#*"] } },
            },
        ],
        ["tablePutItem", () => g.tablePutItem(TABLE), { sid: "TablePutItem", actions: ["dynamodb:PutItem"], resources: [TABLE] }],
        [
            "tableUpdateAttributes",
            () => g.tableUpdateAttributes(TABLE, ["analysis", "analysisVersion"]),
            {
                sid: "TableUpdateAttributes",
                actions: ["dynamodb:UpdateItem"],
                resources: [TABLE],
                conditions: {
                    "ForAllValues:StringEquals": { "dynamodb:Attributes": ["analysis", "analysisVersion"] },
                    StringEqualsIfExists: { "dynamodb:ReturnValues": ["NONE", "UPDATED_OLD", "UPDATED_NEW"] },
                },
            },
        ],
        ["tableQueryIndex", () => g.tableQueryIndex(TABLE, "byOwner"), { sid: "TableQueryIndex", actions: ["dynamodb:Query"], resources: [`${TABLE}/index/byOwner`] }],
        [
            "tableStreamRead",
            () => g.tableStreamRead(`${TABLE}/stream/1`),
            { sid: "TableStreamRead", actions: ["dynamodb:DescribeStream", "dynamodb:GetShardIterator", "dynamodb:GetRecords"], resources: [`${TABLE}/stream/1`] },
        ],
        ["streamList", () => g.streamList(), { sid: "StreamList", actions: ["dynamodb:ListStreams"], resources: ["*"] }],
        ["logGroupWrite", () => g.logGroupWrite(LOGS), { sid: "LogGroupWrite", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [`${LOGS}:*`] }],
        ["xrayWrite", () => g.xrayWrite(), { sid: "XRayWrite", actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], resources: ["*"] }],
        ["kmsDecrypt", () => g.kmsDecrypt(KEY), { sid: "KmsDecrypt", actions: ["kms:Decrypt"], resources: [KEY] }],
        [
            "kmsDecrypt via a service",
            () => g.kmsDecrypt(KEY, "dynamodb.eu-west-1.amazonaws.com"),
            { sid: "KmsDecrypt", actions: ["kms:Decrypt"], resources: [KEY], conditions: { StringEquals: { "kms:ViaService": "dynamodb.eu-west-1.amazonaws.com" } } },
        ],
        ["kmsEncrypt", () => g.kmsEncrypt(KEY), { sid: "KmsEncrypt", actions: ["kms:GenerateDataKey", "kms:Decrypt"], resources: [KEY] }],
        [
            "kmsEncrypt via a service",
            () => g.kmsEncrypt(KEY, "sqs.eu-west-1.amazonaws.com"),
            { sid: "KmsEncrypt", actions: ["kms:GenerateDataKey", "kms:Decrypt"], resources: [KEY], conditions: { StringEquals: { "kms:ViaService": "sqs.eu-west-1.amazonaws.com" } } },
        ],
        ["queueSend", () => g.queueSend("arn:aws:sqs:eu-west-1:111111111111:dlq"), { sid: "QueueSend", actions: ["sqs:SendMessage"], resources: ["arn:aws:sqs:eu-west-1:111111111111:dlq"] }],
        ["topicPublish", () => g.topicPublish("arn:aws:sns:eu-west-1:111111111111:t"), { sid: "TopicPublish", actions: ["sns:Publish"], resources: ["arn:aws:sns:eu-west-1:111111111111:t"] }],
        [
            "functionsRead",
            () => g.functionsRead([FN, FN2]),
            { sid: "FunctionsRead", actions: ["lambda:GetFunction", "lambda:GetFunctionConfiguration", "lambda:GetFunctionConcurrency"], resources: [FN, FN2] },
        ],
        [
            "functionsOperate",
            () => g.functionsOperate([FN, FN2]),
            { sid: "FunctionsOperate", actions: ["lambda:PutFunctionConcurrency", "lambda:DeleteFunctionConcurrency"], resources: [FN, FN2] },
        ],
        [
            "ticketsRead",
            () => g.ticketsRead(TABLE, "byOwner"),
            { sid: "TicketsRead", actions: ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:DescribeTable"], resources: [TABLE, `${TABLE}/index/byOwner`] },
        ],
        [
            "logsRead",
            () => g.logsRead([LOGS, LOGS2]),
            {
                sid: "LogsRead",
                actions: ["logs:DescribeLogStreams", "logs:FilterLogEvents", "logs:StartQuery", "logs:GetQueryResults", "logs:GetLogGroupFields"],
                resources: [`${LOGS}:*`, `${LOGS2}:*`],
            },
        ],
        ["logEventsRead", () => g.logEventsRead([LOGS, LOGS2]), { sid: "LogEventsRead", actions: ["logs:GetLogEvents"], resources: [`${LOGS}:log-stream:*`, `${LOGS2}:log-stream:*`] }],
        [
            "logsConsole",
            () => g.logsConsole(),
            { sid: "LogsConsole", actions: ["logs:DescribeLogGroups", "logs:DescribeQueries", "logs:DescribeQueryDefinitions", "logs:StopQuery"], resources: ["*"] },
        ],
        [
            "metricsRead",
            () => g.metricsRead(),
            {
                sid: "MetricsRead",
                actions: [
                    "cloudwatch:GetMetricData",
                    "cloudwatch:GetMetricStatistics",
                    "cloudwatch:ListMetrics",
                    "cloudwatch:ListDashboards",
                    "cloudwatch:DescribeAlarmsForMetric",
                    "cloudwatch:GetMetricWidgetImage",
                ],
                resources: ["*"],
            },
        ],
        [
            "tracesRead",
            () => g.tracesRead(),
            {
                sid: "TracesRead",
                actions: [
                    "xray:GetServiceGraph",
                    "xray:GetTraceSummaries",
                    "xray:BatchGetTraces",
                    "xray:GetTraceGraph",
                    "xray:GetTimeSeriesServiceStatistics",
                    "xray:GetInsightSummaries",
                    "xray:GetGroups",
                ],
                resources: ["*"],
            },
        ],
        ["alarmsRead", () => g.alarmsRead(["arn:aws:cloudwatch:eu-west-1:111111111111:alarm:a"]), {
            sid: "AlarmsRead",
            actions: ["cloudwatch:DescribeAlarms", "cloudwatch:DescribeAlarmHistory"],
            resources: ["arn:aws:cloudwatch:eu-west-1:111111111111:alarm:a"],
        }],
        ["alarmsList", () => g.alarmsList("arn:aws:cloudwatch:eu-west-1:111111111111:alarm:*"), {
            sid: "AlarmsList",
            actions: ["cloudwatch:DescribeAlarms"],
            resources: ["arn:aws:cloudwatch:eu-west-1:111111111111:alarm:*"],
        }],
        [
            "costsRead",
            () => g.costsRead(),
            {
                sid: "CostsRead",
                actions: ["ce:GetCostAndUsage", "ce:GetCostForecast", "ce:GetDimensionValues", "ce:GetTags", "ce:GetCostCategories", "ce:ListCostCategoryDefinitions"],
                resources: ["*"],
            },
        ],
        ["auditEventsRead", () => g.auditEventsRead(), { sid: "AuditEventsRead", actions: ["cloudtrail:LookupEvents"], resources: ["*"] }],
        ["trailStatusRead", () => g.trailStatusRead(TRAIL), { sid: "TrailStatusRead", actions: ["cloudtrail:GetTrailStatus"], resources: [TRAIL] }],
        [
            "analyzerFindingsRead",
            () => g.analyzerFindingsRead(["arn:aws:access-analyzer:eu-west-1:111111111111:analyzer/a"]),
            { sid: "AnalyzerFindingsRead", actions: ["access-analyzer:ListFindings", "access-analyzer:GetFinding"], resources: ["arn:aws:access-analyzer:eu-west-1:111111111111:analyzer/a"] },
        ],
    ];
    for (const [name, grant, expected] of cases) {
        it(`${name} grants exactly its actions on its resources`, async () => {
            assert.deepEqual(await resolved(grant()), expected);
        });
    }

    it("puts every action into exactly the boundary of who may be granted it", () => {
        const workload = new Set(g.workloadActions());
        const people = new Set(g.peopleActions());
        assert.ok(workload.has("dynamodb:PutItem") && !people.has("dynamodb:PutItem"), "workload only");
        assert.ok(people.has("lambda:PutFunctionConcurrency") && !workload.has("lambda:PutFunctionConcurrency"), "people only");
        assert.ok(workload.has("kms:Decrypt") && people.has("kms:Decrypt"), "both");
        assert.deepEqual(g.workloadActions(), [...g.workloadActions()].sort());
        assert.deepEqual(g.peopleActions(), [...g.peopleActions()].sort());
    });
});

describe("components/iam: named access for people", () => {
    const resources = (alarmArns: string[]): PlatformResources => ({
        functionArns: [FN],
        tableArn: TABLE,
        ownerIndexName: "byOwner",
        tableKeyArn: KEY,
        kmsViaService: "dynamodb.eu-west-1.amazonaws.com",
        logGroupArns: [LOGS],
        alarmArns,
        accountAlarmsArn: "arn:aws:cloudwatch:eu-west-1:111111111111:alarm:*",
        trailArn: TRAIL,
        analyzerArns: ["arn:aws:access-analyzer:eu-west-1:111111111111:analyzer/a"],
    });
    const sids = (names: (keyof typeof ACCESS)[], alarmArns: string[] = ["arn:aws:cloudwatch:eu-west-1:111111111111:alarm:a"]) =>
        grantsForAccess(names, resources(alarmArns)).map((grant) => grant.sid);

    it("offers these names, in this order", () => {
        assert.deepEqual(ACCESS_NAMES, ["functions:read", "functions:operate", "tickets:read", "logs:read", "monitoring:read", "costs:read", "audit:read"]);
    });

    it("maps each name to its grants, in the order the names are given", () => {
        assert.deepEqual(sids(["functions:read"]), ["FunctionsRead"]);
        assert.deepEqual(sids(["functions:operate"]), ["FunctionsOperate"]);
        assert.deepEqual(sids(["tickets:read"]), ["TicketsRead", "KmsDecrypt"]);
        assert.deepEqual(sids(["logs:read"]), ["LogsRead", "LogEventsRead", "LogsConsole"]);
        assert.deepEqual(sids(["monitoring:read"]), ["MetricsRead", "TracesRead", "AlarmsList", "AlarmsRead"]);
        assert.deepEqual(sids(["costs:read"]), ["CostsRead"]);
        assert.deepEqual(sids(["audit:read"]), ["AuditEventsRead", "TrailStatusRead", "AnalyzerFindingsRead"]);
        assert.deepEqual(sids(["costs:read", "functions:read"]), ["CostsRead", "FunctionsRead"]);
        assert.deepEqual(sids([]), []);
    });

    it("reads tickets through DynamoDB only, and grants no alarm read where the stack has no alarm", async () => {
        const [, decrypt] = grantsForAccess(["tickets:read"], resources([]));
        assert.deepEqual(await resolved(decrypt), {
            sid: "KmsDecrypt",
            actions: ["kms:Decrypt"],
            resources: [KEY],
            conditions: { StringEquals: { "kms:ViaService": "dynamodb.eu-west-1.amazonaws.com" } },
        });
        assert.deepEqual(sids(["monitoring:read"], []), ["MetricsRead", "TracesRead", "AlarmsList"]);
    });

    it("names every alarm of the deploying account in the provider's region for the console's listing", async () => {
        const run = await runProgram({ program: () => ({ arn: accountAlarmsArn() }) });
        assert.equal(run.outputs.arn, "arn:aws:cloudwatch:eu-west-1:111111111111:alarm:*", "Pulumi.dev.yaml's account and region");
    });
});

describe("components/iam policy documents", () => {
    it("numbers repeated sids and keeps grants, then denials, in the order given", async () => {
        const grant = { sid: "Read", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"] };
        const denial = { sid: "Read", actions: ["s3:*"], resources: ["*"], conditions: { Bool: { "aws:SecureTransport": "false" } } };
        assert.deepEqual(await doc(policyDocument([grant, grant, grant], [denial])), {
            Version: "2012-10-17",
            Statement: [
                { Sid: "Read", Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::b/*"] },
                { Sid: "Read2", Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::b/*"] },
                { Sid: "Read3", Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::b/*"] },
                { Sid: "Read4", Effect: "Deny", Action: ["s3:*"], Resource: ["*"], Condition: { Bool: { "aws:SecureTransport": "false" } } },
            ],
        });
    });

    it("refuses a grant that is not a least-privilege statement, saying why", () => {
        const base = { sid: "Ok1", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"] };
        assert.doesNotThrow(() => assertGrant(base));
        assert.throws(() => assertGrant({ ...base, sid: "not ok" }), { message: 'grant sid "not ok" must be alphanumeric' });
        assert.throws(() => assertGrant({ ...base, sid: "" }), { message: 'grant sid "" must be alphanumeric' });
        assert.throws(() => assertGrant({ ...base, sid: "Ok-" }), { message: 'grant sid "Ok-" must be alphanumeric' });
        assert.throws(() => assertGrant({ ...base, actions: [] }), { message: "grant Ok1 names no action" });
        assert.throws(() => assertGrant({ ...base, resources: [] }), { message: "grant Ok1 names no resource" });
        for (const action of ["s3:Get*", "s3:*", "*", "s3:", ":GetObject", "S3:GetObject", "s3:Get Object", "s3:GetObject ", " s3:GetObject"]) {
            assert.throws(() => assertGrant({ ...base, actions: ["s3:PutObject", action] }), { message: `grant Ok1: "${action}" is not an exact IAM action (no wildcards)` }, action);
        }
        assert.doesNotThrow(() => assertGrant({ ...base, actions: ["access-analyzer:ListFindings", "ec2:DescribeInstances", "s3:PutObject"] }));
    });

    it("lists the distinct actions of grants, sorted", () => {
        assert.deepEqual(actionsOf([g.tableGetItem(TABLE), g.ticketsRead(TABLE, "i"), g.kmsDecrypt(KEY)]), [
            "dynamodb:DescribeTable",
            "dynamodb:GetItem",
            "dynamodb:Query",
            "kms:Decrypt",
        ]);
    });

    it("builds a boundary that allows exactly the given actions and denies the guardrails", async () => {
        const boundary = await doc(boundaryDocument(["s3:GetObject", "sqs:SendMessage"]));
        assert.deepEqual(boundary.Statement[0], { Sid: "PlatformActions", Effect: "Allow", Action: ["s3:GetObject", "sqs:SendMessage"], Resource: ["*"] });
        assert.deepEqual(
            boundary.Statement.slice(1).map((s: { Sid: string; Effect: string }) => `${s.Effect} ${s.Sid}`),
            ["Deny DenyBoundaryChanges", "Deny DenyManagedPolicyEdits", "Deny DenyAuditTrailTampering", "Deny DenyIamUsersAndKeys"],
        );
    });

    it("writes a trust policy's conditions only when the trust has some", async () => {
        const trust = { service: "events.amazonaws.com", conditions: { StringEquals: { "aws:SourceAccount": ACCOUNT } } };
        assert.deepEqual((await doc(serviceTrustPolicy(trust))).Statement, [
            { Sid: "AssumeByService", Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sts:AssumeRole", Condition: trust.conditions },
        ]);
        assert.equal((await doc(serviceTrustPolicy(trust))).Version, "2012-10-17");
    });
});

describe("components/iam resource-policy statements: exact statements", () => {
    const cases: [string, () => unknown, unknown][] = [
        [
            "cloudTrailBucketAclCheck",
            () => audit.cloudTrailBucketAclCheck(BUCKET, TRAIL),
            { sid: "CloudTrailAclCheck", effect: "Allow", principal: { Service: "cloudtrail.amazonaws.com" }, actions: ["s3:GetBucketAcl"], resources: [BUCKET], conditions: { StringEquals: { "aws:SourceArn": TRAIL } } },
        ],
        [
            "cloudTrailBucketWrite",
            () => audit.cloudTrailBucketWrite(BUCKET, ACCOUNT, TRAIL),
            {
                sid: "CloudTrailWrite",
                effect: "Allow",
                principal: { Service: "cloudtrail.amazonaws.com" },
                actions: ["s3:PutObject"],
                resources: [`${BUCKET}/AWSLogs/${ACCOUNT}/*`],
                conditions: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": TRAIL } },
            },
        ],
        [
            "cloudTrailKeyEncrypt",
            () => audit.cloudTrailKeyEncrypt(TRAIL, ACCOUNT),
            {
                sid: "CloudTrailEncryptLogs",
                effect: "Allow",
                principal: { Service: "cloudtrail.amazonaws.com" },
                actions: ["kms:GenerateDataKey", "kms:GenerateDataKeyPair", "kms:GenerateDataKeyPairWithoutPlaintext", "kms:GenerateDataKeyWithoutPlaintext"],
                resources: ["*"],
                conditions: {
                    StringEquals: { "aws:SourceArn": TRAIL },
                    StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` },
                },
            },
        ],
        [
            "cloudTrailKeyEncrypt in another partition",
            () => audit.cloudTrailKeyEncrypt(TRAIL, ACCOUNT, "aws-cn"),
            {
                sid: "CloudTrailEncryptLogs",
                effect: "Allow",
                principal: { Service: "cloudtrail.amazonaws.com" },
                actions: ["kms:GenerateDataKey", "kms:GenerateDataKeyPair", "kms:GenerateDataKeyPairWithoutPlaintext", "kms:GenerateDataKeyWithoutPlaintext"],
                resources: ["*"],
                conditions: {
                    StringEquals: { "aws:SourceArn": TRAIL },
                    StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws-cn:cloudtrail:*:${ACCOUNT}:trail/*` },
                },
            },
        ],
        [
            "cloudTrailKeyDescribe",
            () => audit.cloudTrailKeyDescribe(TRAIL),
            { sid: "CloudTrailDescribeKey", effect: "Allow", principal: { Service: "cloudtrail.amazonaws.com" }, actions: ["kms:DescribeKey"], resources: ["*"], conditions: { StringEquals: { "aws:SourceArn": TRAIL } } },
        ],
        [
            "cloudTrailKeyDecrypt",
            () => audit.cloudTrailKeyDecrypt(),
            { sid: "CloudTrailDecrypt", effect: "Allow", principal: { Service: "cloudtrail.amazonaws.com" }, actions: ["kms:Decrypt"], resources: ["*"] },
        ],
        [
            "cloudTrailLogDecrypt",
            () => audit.cloudTrailLogDecrypt(ACCOUNT),
            {
                sid: "AccountReadsTrailLogs",
                effect: "Allow",
                principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
                actions: ["kms:Decrypt"],
                resources: ["*"],
                conditions: {
                    StringEquals: { "kms:CallerAccount": ACCOUNT },
                    StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` },
                },
            },
        ],
        [
            "cloudTrailLogDecrypt in another partition",
            () => audit.cloudTrailLogDecrypt(ACCOUNT, "aws-us-gov"),
            {
                sid: "AccountReadsTrailLogs",
                effect: "Allow",
                principal: { AWS: `arn:aws-us-gov:iam::${ACCOUNT}:root` },
                actions: ["kms:Decrypt"],
                resources: ["*"],
                conditions: {
                    StringEquals: { "kms:CallerAccount": ACCOUNT },
                    StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws-us-gov:cloudtrail:*:${ACCOUNT}:trail/*` },
                },
            },
        ],
        [
            "logsKeyUse",
            () => audit.logsKeyUse(LOGS, "eu-west-1"),
            {
                sid: "LogsEncryptLogGroup",
                effect: "Allow",
                principal: { Service: "logs.eu-west-1.amazonaws.com" },
                actions: LOGS_KEY_ACTIONS,
                resources: ["*"],
                conditions: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": LOGS } },
            },
        ],
        [
            "logsKeyUse in China",
            () => audit.logsKeyUse(LOGS, "cn-north-1", "amazonaws.com.cn"),
            {
                sid: "LogsEncryptLogGroup",
                effect: "Allow",
                principal: { Service: "logs.cn-north-1.amazonaws.com.cn" },
                actions: LOGS_KEY_ACTIONS,
                resources: ["*"],
                conditions: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": LOGS } },
            },
        ],
        [
            "alarmsKeyUse",
            () => audit.alarmsKeyUse(),
            {
                sid: "CloudWatchAlarmsEncrypt",
                effect: "Allow",
                principal: { Service: "cloudwatch.amazonaws.com" },
                actions: ["kms:GenerateDataKey", "kms:GenerateDataKeyPair", "kms:GenerateDataKeyPairWithoutPlaintext", "kms:GenerateDataKeyWithoutPlaintext", "kms:Decrypt"],
                resources: ["*"],
            },
        ],
        [
            "alarmsPublish",
            () => audit.alarmsPublish("arn:aws:sns:eu-west-1:111111111111:alarms", ["arn:aws:cloudwatch:eu-west-1:111111111111:alarm:a", "arn:aws:cloudwatch:eu-west-1:111111111111:alarm:b"]),
            {
                sid: "CloudWatchAlarmsPublish",
                effect: "Allow",
                principal: { Service: "cloudwatch.amazonaws.com" },
                actions: ["sns:Publish"],
                resources: ["arn:aws:sns:eu-west-1:111111111111:alarms"],
                conditions: { ArnLike: { "aws:SourceArn": ["arn:aws:cloudwatch:eu-west-1:111111111111:alarm:a", "arn:aws:cloudwatch:eu-west-1:111111111111:alarm:b"] } },
            },
        ],
        [
            "denyInsecureTransport",
            () => denyInsecureTransport(BUCKET),
            { sid: "DenyInsecureTransport", effect: "Deny", principal: "*", actions: ["s3:*"], resources: [BUCKET, `${BUCKET}/*`], conditions: { Bool: { "aws:SecureTransport": "false" } } },
        ],
        [
            "cloudFrontReadViaOac",
            () => cloudFrontReadViaOac(BUCKET, "arn:aws:cloudfront::111111111111:distribution/E1"),
            {
                sid: "CloudFrontReadViaOac",
                effect: "Allow",
                principal: { Service: "cloudfront.amazonaws.com" },
                actions: ["s3:GetObject"],
                resources: [`${BUCKET}/*`],
                conditions: { StringEquals: { "AWS:SourceArn": "arn:aws:cloudfront::111111111111:distribution/E1" } },
            },
        ],
        [
            "logDeliveryWrite",
            () => logDeliveryWrite(LOGS2, ACCOUNT, "us-east-1"),
            {
                sid: "LogDeliveryWrite",
                effect: "Allow",
                principal: { Service: "delivery.logs.amazonaws.com" },
                actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
                resources: [`${LOGS2}:log-stream:*`],
                conditions: { StringEquals: { "aws:SourceAccount": ACCOUNT }, ArnLike: { "aws:SourceArn": `arn:aws:logs:us-east-1:${ACCOUNT}:*` } },
            },
        ],
        [
            "logDeliveryWrite in another partition",
            () => logDeliveryWrite(LOGS2, ACCOUNT, "us-gov-west-1", "aws-us-gov"),
            {
                sid: "LogDeliveryWrite",
                effect: "Allow",
                principal: { Service: "delivery.logs.amazonaws.com" },
                actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
                resources: [`${LOGS2}:log-stream:*`],
                conditions: { StringEquals: { "aws:SourceAccount": ACCOUNT }, ArnLike: { "aws:SourceArn": `arn:aws-us-gov:logs:us-gov-west-1:${ACCOUNT}:*` } },
            },
        ],
        [
            "functionInvokeByService",
            () => functionInvokeByService("apigateway.amazonaws.com", "arn:aws:execute-api:eu-west-1:111111111111:api/*/POST/tickets"),
            { action: "lambda:InvokeFunction", principal: "apigateway.amazonaws.com", sourceArn: "arn:aws:execute-api:eu-west-1:111111111111:api/*/POST/tickets" },
        ],
        [
            "queueDenyInsecureTransport",
            () => queueDenyInsecureTransport("arn:aws:sqs:eu-west-1:111111111111:dlq"),
            { sid: "DenyInsecureTransport", effect: "Deny", principal: "*", actions: ["sqs:*"], resources: ["arn:aws:sqs:eu-west-1:111111111111:dlq"], conditions: { Bool: { "aws:SecureTransport": "false" } } },
        ],
        [
            "keyUseViaService",
            () => keyUseViaService(ACCOUNT, "dynamodb.eu-west-1.amazonaws.com"),
            {
                sid: "KeyUseViaService",
                effect: "Allow",
                principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
                actions: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey", "kms:CreateGrant"],
                resources: ["*"],
                conditions: { StringEquals: { "kms:ViaService": "dynamodb.eu-west-1.amazonaws.com", "kms:CallerAccount": ACCOUNT } },
            },
        ],
    ];
    for (const [name, statement, expected] of cases) {
        it(`${name} is exactly the documented statement`, async () => {
            assert.deepEqual(await resolved(statement()), expected);
        });
    }

    it("lets the account's administrators manage the key, never use it", async () => {
        const statement = (await resolved(keyAdministration(ACCOUNT, "aws-cn"))) as { actions: string[] };
        assert.deepEqual({ ...statement, actions: undefined }, {
            sid: "KeyAdministration",
            effect: "Allow",
            principal: { AWS: `arn:aws-cn:iam::${ACCOUNT}:root` },
            actions: undefined,
            resources: ["*"],
        });
        assert.deepEqual(statement.actions, [
            "kms:DescribeKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy", "kms:GetKeyRotationStatus", "kms:EnableKeyRotation", "kms:DisableKeyRotation",
            "kms:RotateKeyOnDemand", "kms:ListKeyRotations", "kms:ListGrants", "kms:RevokeGrant", "kms:ListResourceTags", "kms:TagResource",
            "kms:UntagResource", "kms:UpdateKeyDescription", "kms:EnableKey", "kms:DisableKey", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion",
            "kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias",
        ]);
        assert.equal(((await resolved(keyAdministration(ACCOUNT))) as { principal: { AWS: string } }).principal.AWS, `arn:aws:iam::${ACCOUNT}:root`);
        assert.equal(((await resolved(keyUseViaService(ACCOUNT, "x", "aws-cn"))) as { principal: { AWS: string } }).principal.AWS, `arn:aws-cn:iam::${ACCOUNT}:root`);
    });
});

describe("components/iam resource policy documents", () => {
    const allow = { sid: "A", effect: "Allow" as const, principal: { Service: "s3.amazonaws.com" }, actions: ["kms:Decrypt"], resources: ["*"] };

    it("writes one resource as a string, several as a list, and conditions only when there are some", async () => {
        assert.deepEqual(await doc(resourcePolicyDocument([allow, { ...allow, sid: "B", resources: ["r1", "r2"], conditions: { Bool: { "aws:SecureTransport": "true" } } }])), {
            Version: "2012-10-17",
            Statement: [
                { Sid: "A", Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: ["kms:Decrypt"], Resource: "*" },
                { Sid: "B", Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: ["kms:Decrypt"], Resource: ["r1", "r2"], Condition: { Bool: { "aws:SecureTransport": "true" } } },
            ],
        });
    });

    it("refuses statements that would open the resource, saying which", () => {
        assert.throws(() => resourcePolicyDocument([]), { message: "a resource policy needs at least one statement" });
        assert.throws(() => resourcePolicyDocument([{ ...allow, sid: "A-1" }]), { message: 'statement sid "A-1" must be alphanumeric' });
        assert.doesNotThrow(() => resourcePolicyDocument([{ ...allow, sid: "AllowKeyUse2" }]));
        assert.throws(() => resourcePolicyDocument([{ ...allow, sid: "" }]), { message: 'statement sid "" must be alphanumeric' });
        assert.throws(() => resourcePolicyDocument([allow, { ...allow }]), { message: 'duplicate statement sid "A"' });
        assert.throws(() => resourcePolicyDocument([{ ...allow, principal: "*" }]), { message: "statement A allows everyone without a condition that pins the caller" });
        assert.throws(() => resourcePolicyDocument([{ ...allow, actions: ["kms:Decrypt", "kms:Get*"] }]), { message: "statement A allows a wildcard action" });
        // A Deny may use wildcards and everyone; an Allow to everyone may stand when a condition pins the caller.
        assert.doesNotThrow(() => resourcePolicyDocument([{ ...allow, effect: "Deny", principal: "*", actions: ["s3:*"] }]));
        assert.doesNotThrow(() => resourcePolicyDocument([{ ...allow, principal: "*", conditions: { StringEquals: { "aws:PrincipalOrgID": "o-1" } } }]));
    });
});
