import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Grant } from "./grant";
import * as g from "./grants";

type Arn = pulumi.Input<string>;

/** The platform's resources people can be given access to; every field is an output of a real resource. */
export interface PlatformResources {
    /** ARNs of the platform's Lambda functions. */
    functionArns: Arn[];
    /** ARN of the tickets table. */
    tableArn: Arn;
    /** Name of the table's owner index. */
    ownerIndexName: string;
    /** ARN of the KMS key encrypting the table. */
    tableKeyArn: Arn;
    /** The service endpoint that may use the table key on a reader's behalf (`dynamodb.<region>.<dns suffix>`). */
    kmsViaService: Arn;
    /**
     * ARNs of the platform's log groups: functions, API access logs, the trail's, and the us-east-1 WAF and
     * CloudFront delivery log groups (an ARN carries its region, so one list spans both).
     */
    logGroupArns: Arn[];
    /** ARNs of the platform's CloudWatch alarms (may be empty where the stack has none). */
    alarmArns: Arn[];
    /** Every alarm of the account in the platform's region (`alarm:*`, from `accountAlarmsArn()`): the console lists them. */
    accountAlarmsArn: Arn;
    /** ARN of the platform's CloudTrail trail. */
    trailArn: Arn;
    /** ARNs of the IAM Access Analyzer analyzers. */
    analyzerArns: Arn[];
}

/**
 * There is deliberately no "invoke the functions": a direct Lambda invoke bypasses API Gateway, so the caller writes
 * the JWT claims and IAM identity the handlers trust and could read or file any customer's tickets. People call the
 * API like everyone else, with a token.
 *
 * The named access a group can be given in stack config, each mapped to grant helpers. Stack config names these,
 * never raw IAM actions.
 */
export const ACCESS = {
    "functions:read": (r: PlatformResources) => [g.functionsRead(r.functionArns)],
    "functions:operate": (r: PlatformResources) => [g.functionsOperate(r.functionArns)],
    "tickets:read": (r: PlatformResources) => [
        g.ticketsRead(r.tableArn, r.ownerIndexName),
        // The table is encrypted with a customer-managed key; reads decrypt through DynamoDB only.
        g.kmsDecrypt(r.tableKeyArn, r.kmsViaService),
    ],
    "logs:read": (r: PlatformResources) => [g.logsRead(r.logGroupArns), g.logEventsRead(r.logGroupArns), g.logsConsole()],
    "monitoring:read": (r: PlatformResources) => [
        g.metricsRead(),
        g.tracesRead(),
        g.alarmsList(r.accountAlarmsArn),
        ...(r.alarmArns.length > 0 ? [g.alarmsRead(r.alarmArns)] : []),
    ],
    "costs:read": () => [g.costsRead()],
    "audit:read": (r: PlatformResources) => [
        g.auditEventsRead(),
        g.trailStatusRead(r.trailArn),
        g.analyzerFindingsRead(r.analyzerArns),
    ],
} satisfies Record<string, (r: PlatformResources) => Grant[]>;

/** A name of access that stack config can give a group. */
export type AccessName = keyof typeof ACCESS;

/** Every access name, in catalogue order. */
export const ACCESS_NAMES = Object.keys(ACCESS) as AccessName[];

/** The grants a list of access names amounts to, in the order given. */
export function grantsForAccess(access: readonly AccessName[], resources: PlatformResources): Grant[] {
    return access.flatMap((name) => ACCESS[name](resources));
}

/**
 * The resource CloudWatch authorizes a DescribeAlarms without alarm names on: every alarm of the deploying account in
 * the provider's region (`arn:<partition>:cloudwatch:<region>:<account>:alarm:*`), from the provider's own answers.
 */
export function accountAlarmsArn(opts?: pulumi.InvokeOutputOptions): pulumi.Output<string> {
    const partition = aws.getPartitionOutput({}, opts).partition;
    const region = aws.getRegionOutput({}, opts).region;
    const account = aws.getCallerIdentityOutput({}, opts).accountId;
    return pulumi.interpolate`arn:${partition}:cloudwatch:${region}:${account}:alarm:*`;
}
