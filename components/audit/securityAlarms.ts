import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { alarmsKeyUse, alarmsPublish } from "../iam/auditStatements";
import { keyAdministration, resourcePolicyDocument } from "../iam/resourcePolicy";

export interface SecurityAlarmsArgs {
    /** Name of the CloudWatch Logs group the multi-region trail delivers to (`AuditTrail.logGroupName`). */
    trailLogGroupName: pulumi.Input<string>;
    /** Address subscribed to the alarm topic (the subscription waits for the recipient to confirm); omit for none. */
    alarmEmail?: string;
    /**
     * Queues whose messages are work the platform gave up on (the analysis function's failure queue): each gets an
     * alarm when any message waits in it. `id` names the alarm.
     */
    failureQueues?: { id: string; queueName: pulumi.Input<string>; description: string }[];
}

/** One CIS AWS Foundations Benchmark metric filter and its alarm. */
interface SecurityFilter {
    /** Logical name suffix. */
    readonly id: string;
    /** Metric the filter counts into. */
    readonly metricName: string;
    /** What a match means, the alarm's description. */
    readonly description: string;
    /** CloudWatch Logs filter pattern over CloudTrail events. */
    readonly pattern: string;
}

/**
 * The CIS AWS Foundations Benchmark patterns behind Security Hub controls CloudWatch.1, .2, .4 and .5, verbatim:
 * Security Hub looks for these patterns on a multi-region trail's log group, so a reworded one fails its control.
 */
export const SECURITY_FILTERS: readonly SecurityFilter[] = [
    {
        id: "root-usage",
        metricName: "RootAccountUsage",
        description: "The root user was used (CIS CloudWatch.1).",
        pattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
    },
    {
        id: "unauthorized-api-calls",
        metricName: "UnauthorizedApiCalls",
        description: "API calls were refused as unauthorized (CIS CloudWatch.2).",
        pattern: '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
    },
    {
        id: "iam-policy-changes",
        metricName: "IamPolicyChanges",
        description: "An IAM policy was created, changed, attached or detached (CIS CloudWatch.4).",
        pattern:
            "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||" +
            "($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||" +
            "($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||" +
            "($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||" +
            "($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||" +
            "($.eventName=DetachGroupPolicy)}",
    },
    {
        id: "cloudtrail-changes",
        metricName: "CloudTrailConfigurationChanges",
        description: "A trail was created, updated, deleted, started or stopped (CIS CloudWatch.5).",
        pattern:
            "{($.eventName=CreateTrail)||($.eventName=UpdateTrail)||($.eventName=DeleteTrail)||" +
            "($.eventName=StartLogging)||($.eventName=StopLogging)}",
    },
];

const METRIC_NAMESPACE = "SwiftSupport/Security";

/** Every alarm here fires on the first occurrence within five minutes; no data is no incident. */
const FIRST_OCCURRENCE = {
    period: 300,
    evaluationPeriods: 1,
    threshold: 1,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    treatMissingData: "notBreaching",
} as const;

/**
 * Metric filters on the trail's log group for the CIS security events, one alarm each (any match in five minutes),
 * notifying an SNS topic encrypted with its own rotating key that only these alarms may publish to; plus an alarm
 * per failure queue given in `failureQueues`, on the same topic.
 */
export class SecurityAlarms extends pulumi.ComponentResource {
    /** The key encrypting the topic. */
    public readonly key: aws.kms.Key;
    /** The topic the alarms notify. */
    public readonly topic: aws.sns.Topic;
    /** One alarm per filter, in `SECURITY_FILTERS` order, then one per failure queue. */
    public readonly alarms: aws.cloudwatch.MetricAlarm[];
    /** ARNs of the alarms, for people's `monitoring:read` access. */
    public readonly alarmArns: pulumi.Output<string>[];
    /** Topic ARN. */
    public readonly topicArn: pulumi.Output<string>;

    constructor(name: string, args: SecurityAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("swiftsupport:audit:SecurityAlarms", name, {}, opts);
        if (args.alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(args.alarmEmail)) {
            throw new pulumi.ResourceError(`alarmEmail "${args.alarmEmail}" is not an email address`, this);
        }
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;

        // The AWS-managed `alias/aws/sns` key cannot be used: its policy does not let CloudWatch alarms publish.
        this.key = new aws.kms.Key(
            `${name}-key`,
            {
                description: `SwiftSupport ${pulumi.getStack()} security alarm notifications`,
                enableKeyRotation: true,
                deletionWindowInDays: 30,
                policy: resourcePolicyDocument([keyAdministration(accountId, partition), alarmsKeyUse()]),
            },
            { parent: this },
        );
        this.topic = new aws.sns.Topic(
            `${name}-topic`,
            { displayName: `SwiftSupport ${pulumi.getStack()} security alarms`, kmsMasterKeyId: this.key.arn },
            { parent: this },
        );

        this.alarms = SECURITY_FILTERS.map((f) => {
            new aws.cloudwatch.LogMetricFilter(
                `${name}-${f.id}`,
                {
                    logGroupName: args.trailLogGroupName,
                    pattern: f.pattern,
                    metricTransformation: { name: f.metricName, namespace: METRIC_NAMESPACE, value: "1" },
                },
                { parent: this },
            );
            return new aws.cloudwatch.MetricAlarm(
                `${name}-${f.id}`,
                {
                    alarmDescription: f.description,
                    namespace: METRIC_NAMESPACE,
                    metricName: f.metricName,
                    statistic: "Sum",
                    ...FIRST_OCCURRENCE,
                    alarmActions: [this.topic.arn],
                },
                { parent: this },
            );
        });
        for (const q of args.failureQueues ?? []) {
            this.alarms.push(
                new aws.cloudwatch.MetricAlarm(
                    `${name}-${q.id}`,
                    {
                        alarmDescription: q.description,
                        namespace: "AWS/SQS",
                        metricName: "ApproximateNumberOfMessagesVisible",
                        dimensions: { QueueName: q.queueName },
                        // Maximum: one message left in the queue is one ticket nobody analysed.
                        statistic: "Maximum",
                        ...FIRST_OCCURRENCE,
                        alarmActions: [this.topic.arn],
                    },
                    { parent: this },
                ),
            );
        }
        this.alarmArns = this.alarms.map((a) => a.arn);

        // A separate policy resource so it can name the alarms (which need the topic first) by their own ARNs.
        new aws.sns.TopicPolicy(
            `${name}-topic-policy`,
            { arn: this.topic.arn, policy: resourcePolicyDocument([alarmsPublish(this.topic.arn, this.alarmArns)]) },
            { parent: this },
        );
        if (args.alarmEmail !== undefined) {
            new aws.sns.TopicSubscription(
                `${name}-email`,
                { topic: this.topic.arn, protocol: "email", endpoint: args.alarmEmail },
                { parent: this },
            );
        }

        this.topicArn = this.topic.arn;
        this.registerOutputs({ alarmArns: this.alarmArns, topicArn: this.topicArn, keyArn: this.key.arn });
    }
}
