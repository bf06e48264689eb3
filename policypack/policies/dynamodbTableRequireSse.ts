import { resourcePolicy } from "../lib/guard";
import { isUnknown } from "../lib/unknown";

export const dynamodbTableRequireSse = resourcePolicy({
    name: "aws-dynamodb-table-require-kms-encryption",
    description: "DynamoDB tables should be encrypted with a KMS key (serverSideEncryption.enabled), not only the AWS owned key.",
    enforcementLevel: "advisory",
    severity: "medium",
    resourceTypes: ["aws:dynamodb/table:Table"],
    validate: (args, check) => {
        const enabled = check.read(() => args.props.serverSideEncryption?.enabled);
        if (isUnknown(enabled) || enabled === true) return;
        check.report(`Table '${args.name}' uses only the AWS owned key: set serverSideEncryption: { enabled: true, kmsKeyArn: <key arn> }.`);
    },
});
