import { resourcePolicy } from "../lib/guard";
import { isUnknown } from "../lib/unknown";

interface Config {
    publicRoutes: string[];
}

export const apigatewayRouteRequireAuthorizer = resourcePolicy<Config>({
    name: "aws-apigateway-route-require-authorizer",
    description: "API Gateway routes (HTTP/WebSocket) and methods (REST) must use an authorizer (JWT, Lambda, IAM or " +
        "Cognito), except routes listed as public in config.",
    enforcementLevel: "advisory",
    severity: "high",
    config: {
        publicRoutes: {
            type: "array",
            items: { type: "string" },
            default: [],
            description: "Route keys (e.g. \"GET /health\") or REST HTTP methods by resource name that are meant to be public.",
        },
    },
    resourceTypes: ["aws:apigatewayv2/route:Route", "aws:apigateway/method:Method"],
    validate: (args, check) => {
        const v2 = args.type === "aws:apigatewayv2/route:Route";
        const auth = check.read(() => (v2 ? args.props.authorizationType : args.props.authorization));
        // Stryker disable next-line ConditionalExpression: the unknown marker is not NONE, so the next line returns as well; this says why
        if (isUnknown(auth)) return;
        if (auth !== undefined && auth !== null && String(auth).toUpperCase() !== "NONE") return;
        const key = check.read(() => (v2 ? args.props.routeKey : args.props.httpMethod));
        if (isUnknown(key)) return;
        if (check.config.publicRoutes.includes(String(key)) || check.config.publicRoutes.includes(args.name)) return;
        check.report(`${v2 ? "Route" : "Method"} '${args.name}' (${key}) has no authorizer: set ` +
            `${v2 ? "authorizationType (JWT, CUSTOM or AWS_IAM) and authorizerId" : "authorization (COGNITO_USER_POOLS, CUSTOM or AWS_IAM)"}, ` +
            `or list it in publicRoutes if it is meant to be public.`);
    },
});
