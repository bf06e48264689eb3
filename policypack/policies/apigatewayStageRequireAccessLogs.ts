import { resourcePolicy } from "../lib/guard";
import { isUnknown } from "../lib/unknown";

export const apigatewayStageRequireAccessLogs = resourcePolicy({
    name: "aws-apigateway-stage-require-access-logs",
    description: "API Gateway stages should write access logs (accessLogSettings with a destination and format).",
    enforcementLevel: "advisory",
    severity: "medium",
    resourceTypes: ["aws:apigatewayv2/stage:Stage", "aws:apigateway/stage:Stage"],
    validate: (args, check) => {
        const destination = check.read(() => args.props.accessLogSettings?.destinationArn);
        if (isUnknown(destination) || (typeof destination === "string" && destination !== "")) return;
        check.report(`Stage '${args.name}' writes no access logs: set accessLogSettings { destinationArn: <log group arn>, ` +
            `format: <JSON with requestId, ip, routeKey, status> }.`);
    },
});
