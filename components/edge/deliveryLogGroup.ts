import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LOG_RETENTION_DAYS } from "../../config/schema";
import { resourcePolicyDocument } from "../iam/resourcePolicy";
import { logDeliveryWrite } from "../iam/storageStatements";

export interface DeliveryLogGroupArgs {
    /** Log group name; WAF requires the `aws-waf-logs-` prefix for its log groups. */
    logGroupName: string;
    /** Days to keep the logs (a CloudWatch Logs retention value). */
    retentionDays: number;
    /** Region of the log group and its resource policy; CloudFront and CLOUDFRONT-scope WAF deliver only in us-east-1. */
    region: string;
}

/**
 * A log group that CloudWatch vended log delivery (WAF logging, CloudFront standard logging v2) writes to, with
 * the account-level CloudWatch Logs resource policy that lets it. Without our policy AWS appends a statement of
 * its own to a shared account policy on first delivery, which Pulumi neither sees nor removes.
 */
export class DeliveryLogGroup extends pulumi.ComponentResource {
    /** The log group. */
    readonly logGroup: aws.cloudwatch.LogGroup;
    /** Log group ARN (without the `:*` suffix, as WAF and log delivery expect). */
    readonly arn: pulumi.Output<string>;
    /** The resource policy: deliveries and logging configurations depend on it, so the first write is allowed. */
    readonly policy: aws.cloudwatch.LogResourcePolicy;

    constructor(name: string, args: DeliveryLogGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("swiftsupport:edge:DeliveryLogGroup", name, {}, opts);
        if (!(LOG_RETENTION_DAYS as readonly number[]).includes(args.retentionDays)) {
            throw new pulumi.ResourceError(
                `retentionDays ${args.retentionDays} is not a CloudWatch Logs retention value (${LOG_RETENTION_DAYS.join(", ")})`,
                this,
            );
        }
        this.logGroup = new aws.cloudwatch.LogGroup(
            name,
            { name: args.logGroupName, retentionInDays: args.retentionDays, region: args.region },
            { parent: this },
        );
        this.arn = this.logGroup.arn;

        const account = aws.getCallerIdentityOutput({}, { parent: this });
        const partition = aws.getPartitionOutput({}, { parent: this });
        this.policy = new aws.cloudwatch.LogResourcePolicy(
            `${name}-delivery`,
            {
                policyDocument: resourcePolicyDocument([
                    logDeliveryWrite(this.arn, account.accountId, args.region, partition.partition),
                ]),
                // Account-scoped (at most 10 per region) rather than attached to the log group: the scope AWS's own
                // vended-log setup checks for and otherwise creates; the name is unique per stack and component.
                policyName: `${pulumi.getProject()}-${pulumi.getStack()}-${name}-delivery`,
                region: args.region,
            },
            { parent: this },
        );
        this.registerOutputs({ arn: this.arn });
    }
}
