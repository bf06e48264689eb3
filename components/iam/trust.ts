import * as pulumi from "@pulumi/pulumi";

/** Who may assume a service role, and on whose behalf. */
export interface ServiceTrustArgs {
    /** Service principal, e.g. `lambda.amazonaws.com`. */
    service: string;
    /** The account the calling service acts for (`aws:SourceAccount`): stops the confused deputy. */
    sourceAccount: pulumi.Input<string>;
    /** Optional exact ARN of the calling resource (`aws:SourceArn`), where the service sends it. */
    sourceArn?: pulumi.Input<string>;
}

/** A trust policy letting exactly one AWS service assume the role, for this account only. */
export function serviceTrustPolicy(args: ServiceTrustArgs): pulumi.Output<string> {
    const condition: Record<string, Record<string, pulumi.Input<string>>> = {
        StringEquals: { "aws:SourceAccount": args.sourceAccount },
    };
    if (args.sourceArn !== undefined) condition.ArnEquals = { "aws:SourceArn": args.sourceArn };
    return pulumi
        .output({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AssumeByService",
                    Effect: "Allow",
                    Principal: { Service: args.service },
                    Action: "sts:AssumeRole",
                    Condition: condition,
                },
            ],
        })
        .apply((doc) => JSON.stringify(doc));
}
