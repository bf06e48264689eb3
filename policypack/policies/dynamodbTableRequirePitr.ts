import { resourcePolicy } from "../lib/guard";
import { isUnknown } from "../lib/unknown";

export const dynamodbTableRequirePitr = resourcePolicy({
    name: "aws-dynamodb-table-require-point-in-time-recovery",
    description: "DynamoDB tables should have point-in-time recovery enabled.",
    enforcementLevel: "advisory",
    severity: "medium",
    resourceTypes: ["aws:dynamodb/table:Table"],
    validate: (args, check) => {
        const enabled = check.read(() => args.props.pointInTimeRecovery?.enabled);
        if (isUnknown(enabled) || enabled === true) return;
        check.report(`Table '${args.name}' has no point-in-time recovery: set pointInTimeRecovery: { enabled: true }.`);
    },
});
