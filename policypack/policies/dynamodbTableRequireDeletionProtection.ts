import { resourcePolicy } from "../lib/guard";
import { isUnknown } from "../lib/unknown";

export const dynamodbTableRequireDeletionProtection = resourcePolicy({
    name: "aws-dynamodb-table-require-deletion-protection",
    description: "DynamoDB tables should have deletion protection enabled.",
    enforcementLevel: "advisory",
    severity: "medium",
    resourceTypes: ["aws:dynamodb/table:Table"],
    validate: (args, check) => {
        const enabled = check.read(() => args.props.deletionProtectionEnabled);
        if (isUnknown(enabled) || enabled === true) return;
        check.report(`Table '${args.name}' can be deleted by one API call: set deletionProtectionEnabled: true.`);
    },
});
