import { resourcePolicy } from "../lib/guard";
import { isUnknown } from "../lib/unknown";

export const lambdaRequireTracing = resourcePolicy({
    name: "aws-lambda-function-require-tracing",
    description: "Lambda functions should send traces to X-Ray (tracingConfig.mode = \"Active\").",
    enforcementLevel: "advisory",
    severity: "low",
    resourceTypes: ["aws:lambda/function:Function"],
    validate: (args, check) => {
        const mode = check.read(() => args.props.tracingConfig?.mode);
        if (isUnknown(mode) || mode === "Active") return;
        check.report(`Function '${args.name}' has tracing ${mode ? `mode "${mode}"` : "off"}: set tracingConfig: { mode: "Active" } ` +
            `and grant xray:PutTraceSegments and xray:PutTelemetryRecords.`);
    },
});
