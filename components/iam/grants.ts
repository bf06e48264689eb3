import * as pulumi from "@pulumi/pulumi";
import { ANY_RESOURCE, Grant } from "./grant";

/*
 * Every IAM action string the program grants lives in this folder. Each helper names exactly what a caller does,
 * tighter than SAM's policy templates (DynamoDBCrudPolicy also grants Scan, DeleteItem and BatchWriteItem).
 * Resources are always ARNs that are outputs of real resources; `ANY_RESOURCE` appears only where AWS offers no
 * resource-level permission for the action, and the comment at that grant says so.
 */

type Arn = pulumi.Input<string>;

const WORKLOAD = new Set<string>();
const PEOPLE = new Set<string>();
const register = (into: Set<string>) => (actions: readonly string[]): readonly string[] => {
    actions.forEach((a) => into.add(a));
    return Object.freeze([...actions]);
};
// Registering at module load lets a boundary be built before the roles it bounds (no resource cycle).
const workload = register(WORKLOAD);
const people = register(PEOPLE);
const both = (actions: readonly string[]) => people(workload(actions));

/** Every action any workload grant can allow: what the workload permissions boundary allows, and no more. */
export const workloadActions = (): string[] => [...WORKLOAD].sort();
/** Every action any people grant can allow: what the people permissions boundary allows, and no more. */
export const peopleActions = (): string[] => [...PEOPLE].sort();

// ---- Workloads (function roles, service roles) ----

const TABLE_GET_ITEM = workload(["dynamodb:GetItem"]);
/** Read one ticket by key. */
export const tableGetItem = (tableArn: Arn): Grant => ({
    sid: "TableGetItem",
    actions: TABLE_GET_ITEM,
    resources: [tableArn],
});

/**
 * Read single items whose key starts with `keyPrefix` (e.g. submit's idempotency records), and no others:
 * `dynamodb:LeadingKeys` is IAM's fine-grained access control on the partition key.
 */
export const tableGetItemWithKeyPrefix = (tableArn: Arn, keyPrefix: string): Grant => ({
    sid: "TableGetItemWithKeyPrefix",
    actions: TABLE_GET_ITEM,
    resources: [tableArn],
    conditions: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": [`${keyPrefix}*`] } },
});

const TABLE_PUT_ITEM = workload(["dynamodb:PutItem"]);
/** Create items (the caller uses a condition expression so nothing is overwritten). */
export const tablePutItem = (tableArn: Arn): Grant => ({
    sid: "TablePutItem",
    actions: TABLE_PUT_ITEM,
    resources: [tableArn],
});

const TABLE_UPDATE_ATTRIBUTES = workload(["dynamodb:UpdateItem"]);
/**
 * Update only the named attributes of existing items: `dynamodb:Attributes` is IAM's fine-grained access control,
 * so a compromised caller still cannot rewrite a ticket's owner or text.
 */
export const tableUpdateAttributes = (tableArn: Arn, attributes: readonly string[]): Grant => ({
    sid: "TableUpdateAttributes",
    actions: TABLE_UPDATE_ATTRIBUTES,
    resources: [tableArn],
    conditions: {
        "ForAllValues:StringEquals": { "dynamodb:Attributes": [...attributes] },
        // ALL_NEW/ALL_OLD would return every attribute of the item, not only the pinned ones.
        StringEqualsIfExists: { "dynamodb:ReturnValues": ["NONE", "UPDATED_OLD", "UPDATED_NEW"] },
    },
});

const TABLE_QUERY_INDEX = workload(["dynamodb:Query"]);
/** Query one secondary index (not the table, not Scan). */
export const tableQueryIndex = (tableArn: Arn, indexName: string): Grant => ({
    sid: "TableQueryIndex",
    actions: TABLE_QUERY_INDEX,
    resources: [pulumi.interpolate`${tableArn}/index/${indexName}`],
});

const TABLE_STREAM_READ = workload(["dynamodb:DescribeStream", "dynamodb:GetShardIterator", "dynamodb:GetRecords"]);
/**
 * Read one table's stream: what a Lambda event source mapping does with the function's execution role (the
 * stream actions of the DynamoDB Developer Guide's "IAM policy to allow an AWS Lambda function to access DynamoDB
 * stream records", on this stream only).
 */
export const tableStreamRead = (streamArn: Arn): Grant => ({
    sid: "TableStreamRead",
    actions: TABLE_STREAM_READ,
    resources: [streamArn],
});

const STREAM_LIST = workload(["dynamodb:ListStreams"]);
/**
 * List stream ARNs, the fourth action that page gives the execution role. The Service Authorization Reference
 * lists no resource type for `dynamodb:ListStreams`, so a stream ARN would never match it: `*` is the only form
 * that grants it, and it returns stream ARNs and labels, never records.
 */
export const streamList = (): Grant => ({
    sid: "StreamList",
    actions: STREAM_LIST,
    resources: [ANY_RESOURCE],
});

const LOG_GROUP_WRITE = workload(["logs:CreateLogStream", "logs:PutLogEvents"]);
/** Write to one log group: its streams are the only resources `:*` covers. */
export const logGroupWrite = (logGroupArn: Arn): Grant => ({
    sid: "LogGroupWrite",
    actions: LOG_GROUP_WRITE,
    resources: [pulumi.interpolate`${logGroupArn}:*`],
});

const XRAY_WRITE = workload(["xray:PutTraceSegments", "xray:PutTelemetryRecords"]);
/** Send X-Ray segments. X-Ray supports no resource-level permission for these actions: `*` is the only form. */
export const xrayWrite = (): Grant => ({
    sid: "XRayWrite",
    actions: XRAY_WRITE,
    resources: [ANY_RESOURCE],
});

// People too: `tickets:read` decrypts the table's items through DynamoDB.
const KMS_DECRYPT = both(["kms:Decrypt"]);
/** Decrypt with one KMS key, and only when a named AWS service asks on the caller's behalf. */
export const kmsDecrypt = (keyArn: Arn, viaService?: pulumi.Input<string>): Grant => ({
    sid: "KmsDecrypt",
    actions: KMS_DECRYPT,
    resources: [keyArn],
    ...(viaService ? { conditions: { StringEquals: { "kms:ViaService": viaService } } } : {}),
});

const KMS_ENCRYPT = workload(["kms:GenerateDataKey", "kms:Decrypt"]);
/** Encrypt new data with one KMS key (producers to an encrypted queue or topic need both actions). */
export const kmsEncrypt = (keyArn: Arn, viaService?: pulumi.Input<string>): Grant => ({
    sid: "KmsEncrypt",
    actions: KMS_ENCRYPT,
    resources: [keyArn],
    ...(viaService ? { conditions: { StringEquals: { "kms:ViaService": viaService } } } : {}),
});

const QUEUE_SEND = workload(["sqs:SendMessage"]);
/**
 * Send messages to one queue: a function's on-failure destination, for failed asynchronous invocations and for
 * the batches a stream event source mapping gives up on (Lambda sends both with the execution role).
 */
export const queueSend = (queueArn: Arn): Grant => ({
    sid: "QueueSend",
    actions: QUEUE_SEND,
    resources: [queueArn],
});

const TOPIC_PUBLISH = workload(["sns:Publish"]);
/** Publish to one SNS topic. */
export const topicPublish = (topicArn: Arn): Grant => ({
    sid: "TopicPublish",
    actions: TOPIC_PUBLISH,
    resources: [topicArn],
});

// ---- People (Identity Center permission sets) ----

const FUNCTIONS_READ = people(["lambda:GetFunction", "lambda:GetFunctionConfiguration", "lambda:GetFunctionConcurrency"]);
/** See how the platform's functions are configured. */
export const functionsRead = (functionArns: readonly Arn[]): Grant => ({
    sid: "FunctionsRead",
    actions: FUNCTIONS_READ,
    resources: [...functionArns],
});

const FUNCTIONS_OPERATE = people(["lambda:PutFunctionConcurrency", "lambda:DeleteFunctionConcurrency"]);
/**
 * Operate the functions in an incident: throttle or un-throttle. Deliberately no UpdateFunctionCode or
 * UpdateFunctionConfiguration: those run code as the function's role (privilege escalation); code ships via
 * `pulumi up`.
 */
export const functionsOperate = (functionArns: readonly Arn[]): Grant => ({
    sid: "FunctionsOperate",
    actions: FUNCTIONS_OPERATE,
    resources: [...functionArns],
});

const TICKETS_READ = people(["dynamodb:GetItem", "dynamodb:Query", "dynamodb:DescribeTable"]);
/** Read tickets by key and through the owner index; no Scan, so bulk export is not a read. */
export const ticketsRead = (tableArn: Arn, indexName: string): Grant => ({
    sid: "TicketsRead",
    actions: TICKETS_READ,
    resources: [tableArn, pulumi.interpolate`${tableArn}/index/${indexName}`],
});

const LOGS_READ = people(["logs:DescribeLogStreams", "logs:FilterLogEvents", "logs:StartQuery", "logs:GetQueryResults", "logs:GetLogGroupFields"]);
/** Read and query the named log groups (Logs Insights included). */
export const logsRead = (logGroupArns: readonly Arn[]): Grant => ({
    sid: "LogsRead",
    actions: LOGS_READ,
    resources: logGroupArns.map((arn) => pulumi.interpolate`${arn}:*`),
});

const LOG_EVENTS_READ = people(["logs:GetLogEvents"]);
/** Read log events of the named log groups' streams. */
export const logEventsRead = (logGroupArns: readonly Arn[]): Grant => ({
    sid: "LogEventsRead",
    actions: LOG_EVENTS_READ,
    resources: logGroupArns.map((arn) => pulumi.interpolate`${arn}:log-stream:*`),
});

const LOGS_CONSOLE = people(["logs:DescribeLogGroups", "logs:DescribeQueries", "logs:DescribeQueryDefinitions", "logs:StopQuery"]);
/**
 * What the CloudWatch Logs console calls before it opens a log group or a Logs Insights query: list the log groups,
 * the running and saved queries, stop one's own query. None of these has a resource type in the Service
 * Authorization Reference (they are account-wide listings), so `*`; they reveal names, never log events.
 */
export const logsConsole = (): Grant => ({
    sid: "LogsConsole",
    actions: LOGS_CONSOLE,
    resources: [ANY_RESOURCE],
});

const METRICS_READ = people([
    "cloudwatch:GetMetricData",
    "cloudwatch:GetMetricStatistics",
    "cloudwatch:ListMetrics",
    "cloudwatch:ListDashboards",
    "cloudwatch:DescribeAlarmsForMetric",
    "cloudwatch:GetMetricWidgetImage",
]);
/**
 * Read metrics the way the CloudWatch console does (metric browser, graphs, the dashboards list, a metric's alarms).
 * None of these has a required resource type in the Service Authorization Reference: metrics have no ARN, and the
 * optional `dataset` type of GetMetricData/ListMetrics covers only OpenTelemetry datasets, which the platform does
 * not use; so `*`.
 */
export const metricsRead = (): Grant => ({
    sid: "MetricsRead",
    actions: METRICS_READ,
    resources: [ANY_RESOURCE],
});

const TRACES_READ = people([
    "xray:GetServiceGraph",
    "xray:GetTraceSummaries",
    "xray:BatchGetTraces",
    "xray:GetTraceGraph",
    "xray:GetTimeSeriesServiceStatistics",
    "xray:GetInsightSummaries",
    "xray:GetGroups",
]);
/**
 * Read traces the way the X-Ray / CloudWatch trace map console does (service map, trace list, trace detail,
 * insights, the group picker). None of these has a resource type in the Service Authorization Reference, so `*`.
 */
export const tracesRead = (): Grant => ({
    sid: "TracesRead",
    actions: TRACES_READ,
    resources: [ANY_RESOURCE],
});

const ALARMS_READ = people(["cloudwatch:DescribeAlarms", "cloudwatch:DescribeAlarmHistory"]);
/** Read the platform's alarms and their history. */
export const alarmsRead = (alarmArns: readonly Arn[]): Grant => ({
    sid: "AlarmsRead",
    actions: ALARMS_READ,
    resources: [...alarmArns],
});

const ALARMS_LIST = people(["cloudwatch:DescribeAlarms"]);
/**
 * List the account's alarms in one region, as the CloudWatch console's overview and alarm pages do: a
 * DescribeAlarms without alarm names is authorized on `alarm:*` of the account and region, so a grant on named
 * alarms alone leaves those pages failing. It returns alarm definitions and states, no data.
 */
export const alarmsList = (accountAlarmsArn: Arn): Grant => ({
    sid: "AlarmsList",
    actions: ALARMS_LIST,
    resources: [accountAlarmsArn],
});

const COSTS_READ = people([
    "ce:GetCostAndUsage",
    "ce:GetCostForecast",
    "ce:GetDimensionValues",
    "ce:GetTags",
    "ce:GetCostCategories",
    "ce:ListCostCategoryDefinitions",
]);
/**
 * Read cost and usage the way the Cost Explorer console does (the chart, its forecast, and the filter pickers for
 * services, tags and cost categories). Cost Explorer authorizes these account-wide: the Service Authorization
 * Reference gives them no resource type but the optional `billingview`, which applies only to billing views the
 * platform does not use, so `*`.
 */
export const costsRead = (): Grant => ({
    sid: "CostsRead",
    actions: COSTS_READ,
    resources: [ANY_RESOURCE],
});

const AUDIT_EVENTS_READ = people(["cloudtrail:LookupEvents"]);
/** Look up management events. CloudTrail's LookupEvents supports no resource-level permission, so `*`. */
export const auditEventsRead = (): Grant => ({
    sid: "AuditEventsRead",
    actions: AUDIT_EVENTS_READ,
    resources: [ANY_RESOURCE],
});

const TRAIL_STATUS_READ = people(["cloudtrail:GetTrailStatus"]);
/** Check that the platform's trail is logging. */
export const trailStatusRead = (trailArn: Arn): Grant => ({
    sid: "TrailStatusRead",
    actions: TRAIL_STATUS_READ,
    resources: [trailArn],
});

const ANALYZER_FINDINGS_READ = people(["access-analyzer:ListFindings", "access-analyzer:GetFinding"]);
/** Read IAM Access Analyzer findings of the named analyzers. */
export const analyzerFindingsRead = (analyzerArns: readonly Arn[]): Grant => ({
    sid: "AnalyzerFindingsRead",
    actions: ANALYZER_FINDINGS_READ,
    resources: [...analyzerArns],
});
