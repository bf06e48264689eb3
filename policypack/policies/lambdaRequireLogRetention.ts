import { stackPolicy } from "../lib/guard";
import { isUnknown, tryRead } from "../lib/unknown";

const FUNCTION = "aws:lambda/function:Function";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

export const lambdaRequireLogRetention = stackPolicy({
    name: "aws-lambda-function-require-log-retention",
    description: "Each Lambda function should log to a log group the stack manages with a retention, so its logs " +
        "do not go to an auto-created /aws/lambda/<name> group kept forever.",
    enforcementLevel: "advisory",
    severity: "low",
    validate: (args, check) => {
        const functions = check.index.ofType(FUNCTION);
        // A log group belongs to a function when its name depends on the function (`/aws/lambda/${fn.name}`),
        // the function's loggingConfig names it, or the names match by value.
        const covered = new Set<string>();
        const groupsByName = new Map<unknown, boolean>();
        for (const g of check.index.ofType(LOG_GROUP)) {
            const days = check.read(g, () => g.props.retentionInDays);
            const retained = isUnknown(days) || (typeof days === "number" && days > 0);
            // Stryker disable next-line ArrayDeclaration: a made-up dependency has no urn, so it covers no function
            if (retained) for (const dep of g.propertyDependencies.name ?? []) covered.add(dep.urn);
            // Only needed when no dependency links it; an unknown or missing name matches no function's group.
            groupsByName.set(tryRead(() => g.props.name).value, retained);
        }
        for (const fn of functions) {
            if (covered.has(fn.urn)) continue;
            const configured = check.read(fn, () => fn.props.loggingConfig?.logGroup);
            const viaConfig = fn.propertyDependencies.loggingConfig?.some((d) => d.type === LOG_GROUP);
            if (viaConfig || isUnknown(configured)) continue;
            const fnName = check.read(fn, () => fn.props.name);
            if (isUnknown(fnName)) continue; // noted by check.read: verified once the name is known
            const groupName = typeof configured === "string" ? configured : `/aws/lambda/${fnName}`;
            const retained = groupsByName.get(groupName);
            if (retained === true) continue;
            check.report(fn, retained === false
                ? `Function '${fn.name}' logs to '${groupName}', which keeps logs forever: set its retentionInDays.`
                : `Function '${fn.name}' logs to '${groupName}', which the stack does not manage, so Lambda creates it ` +
                  `with no retention: add an aws.cloudwatch.LogGroup with that name and retentionInDays.`);
        }
    },
});
