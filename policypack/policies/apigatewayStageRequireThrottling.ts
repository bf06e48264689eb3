import { PolicyResource } from "@pulumi/policy";
import { stackPolicy } from "../lib/guard";
import { isUnknown } from "../lib/unknown";

const V2_STAGE = "aws:apigatewayv2/stage:Stage";
const REST_STAGE = "aws:apigateway/stage:Stage";
const METHOD_SETTINGS = "aws:apigateway/methodSettings:MethodSettings";

export const apigatewayStageRequireThrottling = stackPolicy({
    name: "aws-apigateway-stage-require-throttling",
    description: "API Gateway stages should set throttling (burst and rate limits): HTTP/WebSocket stages in " +
        "defaultRouteSettings, REST stages through an aws.apigateway.MethodSettings for `*/*`.",
    enforcementLevel: "advisory",
    severity: "medium",
    validate: (args, check) => {
        const throttled = (r: PolicyResource, settings: () => { throttlingBurstLimit?: number; throttlingRateLimit?: number } | undefined) => {
            const s = check.read(r, settings);
            if (isUnknown(s)) return true;
            return typeof s?.throttlingBurstLimit === "number" && s.throttlingBurstLimit >= 0 &&
                typeof s.throttlingRateLimit === "number" && s.throttlingRateLimit >= 0;
        };
        for (const stage of check.index.ofType(V2_STAGE)) {
            if (!throttled(stage, () => stage.props.defaultRouteSettings)) {
                check.report(stage, `Stage '${stage.name}' has no throttling: set defaultRouteSettings.throttlingBurstLimit ` +
                    `and throttlingRateLimit.`);
            }
        }
        const restStages = check.index.ofType(REST_STAGE);
        if (restStages.length === 0) return;
        // REST stages are throttled by MethodSettings naming the stage (by dependency or by stageName).
        const throttledStages = new Set<string>();
        let unresolved = false;
        for (const ms of check.index.ofType(METHOD_SETTINGS)) {
            if (!throttled(ms, () => ms.props.settings)) continue;
            const ref = check.index.resolve(ms, "stageName", [REST_STAGE]);
            if (ref.unknown) unresolved = true;
            for (const t of ref.targets) throttledStages.add(t.urn);
        }
        for (const stage of restStages) {
            if (throttledStages.has(stage.urn) || unresolved) continue;
            check.report(stage, `Stage '${stage.name}' has no throttling: add an aws.apigateway.MethodSettings with ` +
                `methodPath "*/*" and settings.throttlingBurstLimit / throttlingRateLimit for this stage.`);
        }
    },
});
