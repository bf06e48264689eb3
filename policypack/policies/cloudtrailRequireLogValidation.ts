import { resourcePolicy } from "../lib/guard";
import { isUnknown } from "../lib/unknown";

export const cloudtrailRequireLogValidation = resourcePolicy({
    name: "aws-cloudtrail-trail-require-log-file-validation",
    description: "CloudTrail trails should write digest files so tampering with logs can be detected (enableLogFileValidation).",
    enforcementLevel: "advisory",
    severity: "medium",
    resourceTypes: ["aws:cloudtrail/trail:Trail"],
    validate: (args, check) => {
        const on = check.read(() => args.props.enableLogFileValidation);
        if (isUnknown(on) || on === true) return;
        check.report(`Trail '${args.name}' has no log file validation: set enableLogFileValidation: true.`);
    },
});
