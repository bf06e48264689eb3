import * as pulumi from "@pulumi/pulumi";
import { ResourceStatement } from "./resourcePolicy";

/*
 * Resource-based permissions of the serverless plumbing: the Lambda permission that lets API Gateway invoke a
 * function for one route, and the failure queues' TLS-only policy. Their principals are AWS services or everyone
 * (in a Deny), never a workload role, so no boundary registers these actions; they still live here, written once.
 */

type Arn = pulumi.Input<string>;

/** The body of an `aws.lambda.Permission`: one AWS service may invoke the function, for one source only. */
export interface ServiceInvokePermission {
    /** The only action the permission allows. */
    readonly action: "lambda:InvokeFunction";
    /** The service principal, e.g. `apigateway.amazonaws.com`. */
    readonly principal: string;
    /** The one source the service must be acting for (an API route, a rule, ...). */
    readonly sourceArn: Arn;
}

/**
 * Lets one AWS service invoke a function on behalf of exactly one source. Without `sourceArn` any resource of that
 * service, in any account, could invoke the function.
 */
export const functionInvokeByService = (service: string, sourceArn: Arn): ServiceInvokePermission => ({
    action: "lambda:InvokeFunction",
    principal: service,
    sourceArn,
});

/**
 * Denies every SQS request to the queue that does not arrive over TLS. A Deny may use the service wildcard: it only
 * narrows, and a new SQS action must not slip past it.
 */
export const queueDenyInsecureTransport = (queueArn: Arn): ResourceStatement => ({
    sid: "DenyInsecureTransport",
    effect: "Deny",
    principal: "*",
    actions: ["sqs:*"],
    resources: [queueArn],
    conditions: { Bool: { "aws:SecureTransport": "false" } },
});
