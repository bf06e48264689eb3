import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { resourcePolicyDocument } from "../iam/resourcePolicy";
import { functionInvokeByService } from "../iam/serverlessStatements";
import { logDeliveryWrite } from "../iam/storageStatements";
import { API_CORS } from "./apiCors";
import { HTTP_METHODS, HttpMethod, iamResourcePath, routePathProblem, routeSlug } from "./routePath";

export interface SecureHttpApiArgs {
    /** JWT issuer, exactly as tokens carry it in `iss` (an Auth0 tenant URL ends with `/`). */
    jwtIssuer: string;
    /** Audience a JWT must carry in `aud` (the Auth0 API identifier). */
    jwtAudience: string;
    /** Browser origins CORS allows, exactly: `https://host[:port]`, no path, no wildcard. */
    siteOrigins: string[];
    /** Methods browsers may call cross-origin; every JWT route must use one of them. Default `GET` and `POST`. */
    corsMethods?: HttpMethod[];
    /** Requests a route may take in a burst (stage default route throttling). */
    throttleBurst: number;
    /** Steady requests per second a route may take (stage default route throttling). */
    throttleRate: number;
    /** Days CloudWatch Logs keeps the access logs. */
    logRetentionDays: number;
    /**
     * Stage name, default `$default`. A named stage is also the first path segment callers use (`/api/tickets` on
     * stage `api`), which lets the site distribution send `/api/*` here without rewriting paths.
     */
    stageName?: string;
    /** KMS key ARN for the access log group; unset keeps CloudWatch Logs' default encryption. */
    logKmsKeyArn?: pulumi.Input<string>;
}

/** What serves a route: any function with a name and an ARN, e.g. a `HardenedFunction`. */
export interface RouteTarget {
    /** Function ARN (the integration's target). */
    readonly arn: pulumi.Input<string>;
    /** Function name (the Lambda permission's subject). */
    readonly name: pulumi.Input<string>;
}

/** Who may call a route. There is no `NONE`: every route has an authorizer. */
export type RouteAuthorization = "JWT" | "AWS_IAM";

export interface RouteArgs {
    /** The route's method. */
    method: HttpMethod;
    /** The route's path, parameters in braces, e.g. `/tickets/{id}`. */
    path: string;
    /** The function serving the route. */
    target: RouteTarget;
    /** `JWT`: users with an Auth0 token for this API. `AWS_IAM`: AWS principals signing with SigV4 and granted the route. */
    authorization: RouteAuthorization;
    /** OAuth scopes the token must carry (JWT routes only). */
    scopes?: string[];
}

/** A route added with `addRoute`. */
export interface ApiRoute {
    /** `METHOD /path`. */
    readonly routeKey: string;
    /** The route. */
    readonly route: aws.apigatewayv2.Route;
    /** Its Lambda proxy integration (payload 2.0). */
    readonly integration: aws.apigatewayv2.Integration;
    /** Lets API Gateway invoke the target for this route only. */
    readonly permission: aws.lambda.Permission;
    /** The route's IAM resource ARN on the stage, for `apiRouteInvoke`. */
    readonly arn: pulumi.Output<string>;
}


/**
 * The access log line: one JSON object per request, the fields an incident needs (who, what, outcome, and why an
 * authorizer or integration failed), nothing from the body or headers.
 */
const ACCESS_LOG_FORMAT = JSON.stringify({
    requestId: "$context.requestId",
    ip: "$context.identity.sourceIp",
    requestTime: "$context.requestTime",
    httpMethod: "$context.httpMethod",
    routeKey: "$context.routeKey",
    status: "$context.status",
    protocol: "$context.protocol",
    responseLength: "$context.responseLength",
    responseLatency: "$context.responseLatency",
    integrationLatency: "$context.integrationLatency",
    integrationStatus: "$context.integrationStatus",
    integrationError: "$context.integrationErrorMessage",
    authorizerError: "$context.authorizer.error",
    errorMessage: "$context.error.message",
});

/**
 * An HTTP API whose every route has an authorizer: a JWT authorizer for users (Auth0 issuer and audience) or IAM for
 * services. One stage (`$default` or named), auto-deployed, with default route throttling and JSON access logs; CORS limited to
 * the site's origins.
 *
 * Routes are added after construction with `addRoute`, because a function may need a route's ARN before any route
 * exists (submit's `apiRouteInvoke` grant names the analysis route): create the API, then the functions with
 * grants from `routeArn(...)`, then add the routes.
 *
 * The default `execute-api` endpoint stays enabled: the CloudFront distribution forwards `/api/*` to it. Calling it
 * directly gains nothing, since every route still demands a valid JWT or SigV4 signature.
 */
export class SecureHttpApi extends pulumi.ComponentResource {
    /** The API. */
    public readonly api: aws.apigatewayv2.Api;
    /** The JWT authorizer. */
    public readonly authorizer: aws.apigatewayv2.Authorizer;
    /** The stage (`$default` unless args.stageName). */
    public readonly stage: aws.apigatewayv2.Stage;
    /** The access log group. */
    public readonly accessLogGroup: aws.cloudwatch.LogGroup;
    /** API id. */
    public readonly id: pulumi.Output<string>;
    /** Base URL of the stage, `https://<id>.execute-api.<region>.amazonaws.com` (no trailing `/`). */
    public readonly endpoint: pulumi.Output<string>;
    /** `arn:aws:execute-api:<region>:<account>:<id>`, the prefix of route ARNs. */
    public readonly executionArn: pulumi.Output<string>;
    /** Stage name (`$default` unless args.stageName). */
    public readonly stageName: pulumi.Output<string>;
    /** Base URL callers use: the endpoint, plus `/<stage>` for a named stage. */
    public readonly invokeUrl: pulumi.Output<string>;
    /** Access log group ARN. */
    public readonly accessLogGroupArn: pulumi.Output<string>;

    private readonly componentName: string;
    private readonly corsMethods: readonly HttpMethod[];
    private readonly routes = new Map<string, ApiRoute>();

    constructor(name: string, args: SecureHttpApiArgs, opts?: pulumi.ComponentResourceOptions) {
        super("swiftsupport:api:SecureHttpApi", name, {}, opts);
        this.componentName = name;
        this.corsMethods = args.corsMethods ?? API_CORS.defaultMethods;
        this.validate(args);
        const apiName = `swiftsupport-${pulumi.getStack()}-${name}`;

        this.api = new aws.apigatewayv2.Api(
            name,
            {
                name: apiName,
                protocolType: "HTTP",
                description: `SwiftSupport ticket API (${pulumi.getStack()})`,
                // Kept on: CloudFront's /api/* origin is this endpoint; every route still requires JWT or SigV4.
                disableExecuteApiEndpoint: false,
                corsConfiguration: {
                    allowOrigins: [...args.siteOrigins],
                    allowMethods: [...this.corsMethods],
                    allowHeaders: [...API_CORS.allowHeaders],
                    exposeHeaders: [...API_CORS.exposeHeaders],
                    allowCredentials: API_CORS.allowCredentials,
                    maxAge: API_CORS.maxAge,
                },
            },
            { parent: this },
        );

        this.authorizer = new aws.apigatewayv2.Authorizer(
            `${name}-jwt`,
            {
                apiId: this.api.id,
                name: "auth0-jwt",
                authorizerType: "JWT",
                identitySources: ["$request.header.Authorization"],
                jwtConfiguration: { issuer: args.jwtIssuer, audiences: [args.jwtAudience] },
            },
            { parent: this },
        );

        this.accessLogGroup = new aws.cloudwatch.LogGroup(
            `${name}-access`,
            {
                name: `/swiftsupport/${pulumi.getStack()}/${name}/access`,
                retentionInDays: args.logRetentionDays,
                ...(args.logKmsKeyArn !== undefined ? { kmsKeyId: args.logKmsKeyArn } : {}),
            },
            { parent: this },
        );
        // HTTP API access logs are CloudWatch vended logs: without this policy AWS adds a statement of its own to an
        // account-level policy when the stage is saved ("Configure logging for HTTP APIs in API Gateway" lists
        // logs:PutResourcePolicy among the permissions it needs for that), which Pulumi neither sees nor removes.
        const account = aws.getCallerIdentityOutput({}, { parent: this });
        const partition = aws.getPartitionOutput({}, { parent: this });
        const region = aws.getRegionOutput({}, { parent: this });
        const accessLogDelivery = new aws.cloudwatch.LogResourcePolicy(
            `${name}-access-delivery`,
            {
                policyDocument: resourcePolicyDocument([
                    logDeliveryWrite(this.accessLogGroup.arn, account.accountId, region.region, partition.partition),
                ]),
                policyName: `${pulumi.getProject()}-${pulumi.getStack()}-${name}-access-delivery`,
            },
            { parent: this },
        );

        this.stage = new aws.apigatewayv2.Stage(
            name,
            {
                apiId: this.api.id,
                name: args.stageName ?? "$default",
                autoDeploy: true,
                defaultRouteSettings: {
                    throttlingBurstLimit: args.throttleBurst,
                    throttlingRateLimit: args.throttleRate,
                    detailedMetricsEnabled: true,
                },
                accessLogSettings: { destinationArn: this.accessLogGroup.arn, format: ACCESS_LOG_FORMAT },
            },
            // The first access log line needs the delivery policy in place.
            { parent: this, dependsOn: [accessLogDelivery] },
        );

        this.id = this.api.id;
        this.endpoint = this.api.apiEndpoint;
        this.executionArn = this.api.executionArn;
        this.stageName = this.stage.name;
        this.invokeUrl = pulumi
            .all([this.api.apiEndpoint, this.stage.name])
            .apply(([endpoint, stage]) => (stage === "$default" ? endpoint : `${endpoint}/${stage}`));
        this.accessLogGroupArn = this.accessLogGroup.arn;
        this.registerOutputs({
            id: this.id,
            endpoint: this.endpoint,
            executionArn: this.executionArn,
            stageName: this.stageName,
            invokeUrl: this.invokeUrl,
            accessLogGroupArn: this.accessLogGroupArn,
        });
    }

    /**
     * The IAM resource ARN (for `apiRouteInvoke`) of a route on this API's stage:
     * `arn:<partition>:execute-api:<region>:<account>:<api-id>/<stage>/<METHOD>/<path>`, each `{parameter}` as `*`.
     * Usable before the route is added, which is what lets a caller's grant name a route served by a later function.
     */
    public routeArn(method: HttpMethod, path: string): pulumi.Output<string> {
        this.checkRoute(method, path);
        return pulumi.interpolate`${this.executionArn}/${this.stageName}/${method}${iamResourcePath(path)}`;
    }

    /**
     * Adds a route served by a Lambda function: a proxy integration (payload 2.0), the route with its authorizer, and a
     * Lambda permission whose source ARN names this route on this stage (API Gateway sends the route's template path,
     * `{id}` included, as the source ARN).
     */
    public addRoute(route: RouteArgs): ApiRoute {
        const { method, path, target, authorization } = route;
        this.checkRoute(method, path);
        const routeKey = `${method} ${path}`;
        const refuse = (message: string): never => {
            throw new pulumi.ResourceError(`SecureHttpApi ${this.componentName}: route ${routeKey}: ${message}`, this);
        };
        if (authorization !== "JWT" && authorization !== "AWS_IAM") {
            refuse(`authorization must be "JWT" or "AWS_IAM" (got ${JSON.stringify(authorization)}); every route needs an authorizer`);
        }
        if (this.routes.has(routeKey)) refuse("is already defined");
        if (route.scopes !== undefined) {
            if (authorization !== "JWT") refuse("scopes apply to JWT routes only");
            if (route.scopes.length === 0 || route.scopes.some((s) => !/^\S+$/.test(s))) refuse("scopes must be non-empty names without spaces");
        }
        if (authorization === "JWT" && !this.corsMethods.includes(method)) {
            refuse(`browsers call JWT routes, but CORS allows only ${this.corsMethods.join(", ")}; add ${method} to corsMethods`);
        }

        const slug = `${this.componentName}-${routeSlug(method, path)}`;
        const integration = new aws.apigatewayv2.Integration(
            slug,
            {
                apiId: this.api.id,
                integrationType: "AWS_PROXY",
                integrationMethod: "POST",
                integrationUri: target.arn,
                payloadFormatVersion: "2.0",
            },
            { parent: this },
        );
        const permission = new aws.lambda.Permission(
            slug,
            {
                function: target.name,
                ...functionInvokeByService(
                    "apigateway.amazonaws.com",
                    pulumi.interpolate`${this.executionArn}/${this.stageName}/${method}${path}`,
                ),
            },
            { parent: this },
        );
        const apiRoute = new aws.apigatewayv2.Route(
            slug,
            {
                apiId: this.api.id,
                routeKey,
                target: pulumi.interpolate`integrations/${integration.id}`,
                authorizationType: authorization,
                ...(authorization === "JWT" ? { authorizerId: this.authorizer.id } : {}),
                ...(route.scopes !== undefined ? { authorizationScopes: [...route.scopes] } : {}),
            },
            // Live only once API Gateway may invoke the function, so the route never answers 500 for want of it.
            { parent: this, dependsOn: [permission] },
        );

        const added: ApiRoute = { routeKey, route: apiRoute, integration, permission, arn: this.routeArn(method, path) };
        this.routes.set(routeKey, added);
        return added;
    }

    /** Route keys added so far, in order. */
    public routeKeys(): string[] {
        return [...this.routes.keys()];
    }

    private checkRoute(method: HttpMethod, path: string): void {
        if (!(HTTP_METHODS as readonly string[]).includes(method)) {
            throw new pulumi.ResourceError(
                `SecureHttpApi ${this.componentName}: method "${method}" must be one of ${HTTP_METHODS.join(", ")}`,
                this,
            );
        }
        const problem = routePathProblem(path);
        if (problem) throw new pulumi.ResourceError(`SecureHttpApi ${this.componentName}: ${problem}`, this);
    }

    private validate(args: SecureHttpApiArgs): void {
        const refuse = (message: string): never => {
            throw new pulumi.ResourceError(`SecureHttpApi ${this.componentName}: ${message}`, this);
        };
        if (!/^https:\/\/[^\s]+$/.test(args.jwtIssuer)) refuse(`jwtIssuer must be an https URL, got "${args.jwtIssuer}"`);
        if (args.jwtAudience.trim() === "") refuse("jwtAudience must not be empty");
        if (args.stageName !== undefined && !/^(\$default|[A-Za-z0-9_-]{1,128})$/.test(args.stageName)) {
            refuse(`stageName "${args.stageName}" must be $default or 1-128 of letters, digits, _ and -`);
        }
        if (args.siteOrigins.length === 0) refuse("siteOrigins must name at least one origin");
        for (const origin of args.siteOrigins) {
            let parsed: URL | undefined;
            try {
                parsed = new URL(origin);
            } catch {
                parsed = undefined;
            }
            if (!parsed || parsed.protocol !== "https:" || parsed.origin !== origin || origin.includes("*")) {
                refuse(`site origin "${origin}" must be exactly https://host[:port] (no path, no trailing /, no wildcard)`);
            }
        }
        for (const method of this.corsMethods) {
            if (!(HTTP_METHODS as readonly string[]).includes(method)) refuse(`corsMethods: "${method}" is not one of ${HTTP_METHODS.join(", ")}`);
        }
        if (!Number.isInteger(args.throttleBurst) || args.throttleBurst < 1) {
            refuse(`throttleBurst must be a positive integer, got ${args.throttleBurst}`);
        }
        if (!(args.throttleRate > 0)) refuse(`throttleRate must be positive, got ${args.throttleRate}`);
        if (!Number.isInteger(args.logRetentionDays) || args.logRetentionDays <= 0) {
            refuse(`logRetentionDays must be a positive number of days, got ${args.logRetentionDays}`);
        }
    }
}
