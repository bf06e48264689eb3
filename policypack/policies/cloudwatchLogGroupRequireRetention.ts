import { resourcePolicy } from "../lib/guard";
import { isUnknown } from "../lib/unknown";

interface Config {
    minimumRetentionDays: number;
}

export const cloudwatchLogGroupRequireRetention = resourcePolicy<Config>({
    name: "aws-cloudwatch-loggroup-require-retention",
    description: "CloudWatch log groups should expire their logs (retentionInDays set; 0 or unset keeps them forever).",
    enforcementLevel: "advisory",
    severity: "low",
    config: {
        minimumRetentionDays: { type: "integer", minimum: 1, default: 1, description: "Shortest retention accepted, in days." },
    },
    resourceTypes: ["aws:cloudwatch/logGroup:LogGroup"],
    validate: (args, check) => {
        const days = check.read(() => args.props.retentionInDays);
        if (isUnknown(days)) return;
        if (typeof days !== "number" || days === 0) {
            check.report(`LogGroup '${args.name}' keeps logs forever: set retentionInDays (e.g. 30 for dev, 365 for prod).`);
        } else if (days < check.config.minimumRetentionDays) {
            check.report(`LogGroup '${args.name}' keeps logs ${days} days, less than the ${check.config.minimumRetentionDays} required: raise retentionInDays.`);
        }
    },
});
