import { resourcePolicy } from "../lib/guard";
import { tryRead } from "../lib/unknown";

export const cloudtrailRequireKms = resourcePolicy({
    name: "aws-cloudtrail-trail-require-kms",
    description: "CloudTrail trails should encrypt their logs with a customer managed KMS key (kmsKeyId).",
    enforcementLevel: "advisory",
    severity: "medium",
    resourceTypes: ["aws:cloudtrail/trail:Trail"],
    validate: (args, check) => {
        // An unknown key ARN (a key created in the same update) is set: presence is what counts.
        const key = tryRead(() => args.props.kmsKeyId).value;
        if (key !== "" && key !== null && key !== undefined) return;
        check.report(`Trail '${args.name}' logs are encrypted with S3-managed keys only: set kmsKeyId to a KMS key ARN ` +
            `whose policy lets cloudtrail.amazonaws.com encrypt.`);
    },
});
