import { strict as assert } from "node:assert";
import { SecureHttpApi, SecureHttpApiArgs } from "../../components/api/secureHttpApi";
import { ANALYSIS_ATTRIBUTES, IDEMPOTENCY_RECORD_PREFIX, TICKET_TABLE } from "../../handlers/lib/ticketTable";
import { ProgramFailed, ProgramRun, RecordedResource, runProgram } from "../../tools/mocks/harness";

const FUNCTION = "aws:lambda/function:Function";
const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const ROUTE = "aws:apigatewayv2/route:Route";
const INTEGRATION = "aws:apigatewayv2/integration:Integration";
const PERMISSION = "aws:lambda/permission:Permission";
const STAGE = "aws:apigatewayv2/stage:Stage";
const API = "aws:apigatewayv2/api:Api";
const AUTHORIZER = "aws:apigatewayv2/authorizer:Authorizer";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

const policyOf = (run: ProgramRun, role: RecordedResource) => {
    const found = run.ofType(ROLE_POLICY).filter((p) => p.inputs.role === role.outputs.name);
    assert.equal(found.length, 1, `one inline policy on ${role.name}`);
    return JSON.parse(found[0].inputs.policy) as { Statement: { Sid: string; Action: string[]; Resource: string[]; Condition?: Record<string, Record<string, unknown>> }[] };
};
const actionsOf = (run: ProgramRun, role: RecordedResource) => policyOf(run, role).Statement.flatMap((s) => s.Action);

// The composed program (index.ts, dev stack): the API, its three functions and their roles as they deploy.
describe("SecureHttpApi with the ticket functions", () => {
    let run: ProgramRun;
    let api: RecordedResource;
    let stage: RecordedResource;
    const fn = (name: string) => run.named(FUNCTION, name);
    const roleOf = (name: string) => run.ofType(ROLE).find((r) => r.outputs.arn === fn(name).inputs.role)!;

    before(async () => {
        run = await runProgram({ stack: "dev" });
        api = run.named(API, "api");
        stage = run.named(STAGE, "api");
    });

    it("gives the three functions three distinct roles, each with the stack's boundary", () => {
        const roles = ["status", "submit", "analysis"].map(roleOf);
        assert.equal(new Set(roles.map((r) => r?.urn)).size, 3);
        for (const role of roles) assert.equal(role.inputs.permissionsBoundary, run.outputs.workloadBoundaryArn);
    });

    it("lets status only read: no write of any kind", () => {
        const actions = actionsOf(run, roleOf("status"));
        assert.ok(actions.includes("dynamodb:GetItem"));
        for (const write of ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "execute-api:Invoke"]) {
            assert.ok(!actions.includes(write), `status may ${write}`);
        }
    });

    it("lets analysis update only its own attributes, never create tickets", () => {
        const doc = policyOf(run, roleOf("analysis"));
        const actions = doc.Statement.flatMap((s) => s.Action);
        assert.ok(!actions.includes("dynamodb:PutItem"), "analysis may create tickets");
        const update = doc.Statement.find((s) => s.Action.includes("dynamodb:UpdateItem"))!;
        assert.deepEqual(update.Condition?.["ForAllValues:StringEquals"]["dynamodb:Attributes"], [
            TICKET_TABLE.hashKey,
            ...Object.values(ANALYSIS_ATTRIBUTES),
        ]);
    });

    it("lets submit create tickets and read back only its idempotency records, calling nothing else", () => {
        const doc = policyOf(run, roleOf("submit"));
        const actions = doc.Statement.flatMap((s) => s.Action);
        assert.ok(actions.includes("dynamodb:PutItem"));
        assert.ok(!actions.includes("dynamodb:UpdateItem") && !actions.includes("execute-api:Invoke"));
        const read = doc.Statement.filter((s) => s.Action.includes("dynamodb:GetItem"));
        assert.equal(read.length, 1);
        assert.deepEqual(read[0].Condition, { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": [`${IDEMPOTENCY_RECORD_PREFIX}*`] } });
        assert.deepEqual(fn("submit").inputs.environment.variables, { TABLE_NAME: run.named("aws:dynamodb/table:Table", "tickets").outputs.name });
    });

    it("lets list query the owner index and nothing else: no table query, no item read, no scan", () => {
        const doc = policyOf(run, roleOf("list"));
        const query = doc.Statement.filter((s) => s.Action.includes("dynamodb:Query"));
        assert.equal(query.length, 1);
        const table = run.named("aws:dynamodb/table:Table", "tickets").outputs.arn;
        assert.deepEqual(query[0].Resource, [`${table}/index/${TICKET_TABLE.ownerIndex.name}`]);
        const dynamodb = doc.Statement.flatMap((s) => s.Action).filter((a) => a.startsWith("dynamodb:"));
        assert.deepEqual(dynamodb, ["dynamodb:Query"]);
    });

    it("decrypts the table only through DynamoDB, in every function", () => {
        for (const name of ["status", "submit", "list", "analysis"]) {
            const decrypt = policyOf(run, roleOf(name)).Statement.find((s) => s.Action.includes("kms:Decrypt"))!;
            assert.deepEqual(decrypt.Condition, { StringEquals: { "kms:ViaService": "dynamodb.eu-west-1.amazonaws.com" } });
        }
    });

    it("puts every route behind an authorizer: the JWT one for users, IAM for the service call", () => {
        const authorizer = run.named(AUTHORIZER, "api-jwt");
        const routes = Object.fromEntries(run.ofType(ROUTE).map((r) => [r.inputs.routeKey, r.inputs]));
        assert.deepEqual(Object.keys(routes).sort(), ["GET /tickets", "GET /tickets/{id}", "POST /tickets", "POST /tickets/{id}/analysis"]);
        assert.equal(routes["GET /tickets"].authorizationType, "JWT");
        assert.equal(routes["GET /tickets"].authorizerId, authorizer.id);
        assert.equal(routes["POST /tickets"].authorizationType, "JWT");
        assert.equal(routes["POST /tickets"].authorizerId, authorizer.id);
        assert.equal(routes["GET /tickets/{id}"].authorizationType, "JWT");
        assert.equal(routes["GET /tickets/{id}"].authorizerId, authorizer.id);
        assert.equal(routes["POST /tickets/{id}/analysis"].authorizationType, "AWS_IAM");
        assert.equal(routes["POST /tickets/{id}/analysis"].authorizerId, undefined);
    });

    it("accepts only tokens from the stack's Auth0 issuer for its audience", () => {
        const { inputs } = run.named(AUTHORIZER, "api-jwt");
        assert.equal(inputs.authorizerType, "JWT");
        assert.deepEqual(inputs.identitySources, ["$request.header.Authorization"]);
        assert.deepEqual(inputs.jwtConfiguration, {
            issuer: "https://swiftsupport-dev.eu.auth0.com/",
            audiences: ["https://api.dev.swiftsupport.example"],
        });
    });

    it("routes each path to its function with a Lambda permission naming that exact route", () => {
        const expected: Record<string, string> = {
            "POST /tickets": "submit",
            "GET /tickets": "list",
            "GET /tickets/{id}": "status",
            "POST /tickets/{id}/analysis": "analysis",
        };
        const permissions = run.ofType(PERMISSION);
        assert.equal(permissions.length, 4);
        for (const [routeKey, name] of Object.entries(expected)) {
            const route = run.ofType(ROUTE).find((r) => r.inputs.routeKey === routeKey)!;
            const integration = run.ofType(INTEGRATION).find((i) => route.inputs.target === `integrations/${i.id}`)!;
            assert.equal(integration.inputs.integrationUri, fn(name).outputs.arn);
            assert.equal(integration.inputs.payloadFormatVersion, "2.0");
            const [method, path] = routeKey.split(" ");
            const sourceArn = `${api.outputs.executionArn}/api/${method}${path}`;
            const permission = permissions.find((p) => p.inputs.sourceArn === sourceArn);
            assert.ok(permission, `no permission for ${sourceArn}`);
            assert.equal(permission.inputs.function, fn(name).outputs.name);
            assert.equal(permission.inputs.principal, "apigateway.amazonaws.com");
            assert.equal(permission.inputs.action, "lambda:InvokeFunction");
            assert.ok(route.dependencies.includes(permission.urn), `${routeKey} goes live before its permission`);
        }
        // Spelled out once: API Gateway sends the route template, `{id}` included, as the source ARN.
        assert.ok(permissions.some((p) => p.inputs.sourceArn === `arn:aws:execute-api:eu-west-1:111111111111:${api.id}/api/GET/tickets/{id}`));
    });

    it("throttles every route by default with the stack's burst and rate", () => {
        // Named "api" so CloudFront's /api/* reaches the routes without a path rewrite.
        assert.equal(stage.inputs.name, "api");
        assert.equal(stage.inputs.autoDeploy, true);
        assert.equal(stage.inputs.defaultRouteSettings.throttlingBurstLimit, 20);
        assert.equal(stage.inputs.defaultRouteSettings.throttlingRateLimit, 10);
    });

    it("writes JSON access logs to a log group with retention", () => {
        const group = run.named(LOG_GROUP, "api-access");
        assert.equal(group.inputs.retentionInDays, 14);
        assert.equal(stage.inputs.accessLogSettings.destinationArn, group.outputs.arn);
        const format = JSON.parse(stage.inputs.accessLogSettings.format);
        for (const field of ["requestId", "ip", "requestTime", "httpMethod", "routeKey", "status", "protocol", "responseLength", "integrationError", "authorizerError"]) {
            assert.match(format[field], /^\$context\./, `access log lacks ${field}`);
        }
    });

    it("lets only log delivery for this account write the access logs, in the form AWS creates, before the stage exists", () => {
        const group = run.named(LOG_GROUP, "api-access");
        const policy = run.named("aws:cloudwatch/logResourcePolicy:LogResourcePolicy", "api-access-delivery");
        // "Enable logging from AWS services" > "Logs sent to CloudWatch Logs": HTTP API access logs are vended logs.
        assert.deepEqual(JSON.parse(policy.inputs.policyDocument).Statement, [
            {
                Sid: "LogDeliveryWrite",
                Effect: "Allow",
                Principal: { Service: "delivery.logs.amazonaws.com" },
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: `${group.outputs.arn}:log-stream:*`,
                Condition: {
                    StringEquals: { "aws:SourceAccount": "111111111111" },
                    ArnLike: { "aws:SourceArn": "arn:aws:logs:eu-west-1:111111111111:*" },
                },
            },
        ]);
        assert.ok(stage.dependencies.includes(policy.urn), "the stage may log before its delivery policy exists");
    });

    it("allows cross-origin calls from the site's origins only, without credentials", () => {
        const cors = api.inputs.corsConfiguration;
        assert.deepEqual(cors.allowOrigins, ["https://dev.support.swiftsupport.example"]);
        assert.deepEqual(cors.allowHeaders, ["authorization", "content-type", "idempotency-key"]);
        assert.deepEqual(cors.exposeHeaders, ["location", "idempotent-replayed"]);
        assert.deepEqual(cors.allowMethods, ["GET", "POST"]);
        assert.equal(cors.allowCredentials, false);
        assert.ok(!JSON.stringify(cors).includes("*"));
    });

});

/** A standalone API, for the component on its own. */
const ARGS: SecureHttpApiArgs = {
    jwtIssuer: "https://example.eu.auth0.com/",
    jwtAudience: "https://api.example",
    siteOrigins: ["https://support.example"],
    throttleBurst: 10,
    throttleRate: 5,
    logRetentionDays: 14,
};
const TARGET = { arn: "arn:aws:lambda:eu-west-1:111111111111:function:f", name: "f" };

describe("SecureHttpApi", () => {
    it("records the routes in the order they were added, on a $default stage unless named", async () => {
        const run = await runProgram({
            program: () => {
                const api = new SecureHttpApi("api", ARGS);
                api.addRoute({ method: "POST", path: "/b", target: TARGET, authorization: "JWT" });
                api.addRoute({ method: "GET", path: "/a/{id}", target: TARGET, authorization: "AWS_IAM" });
                return { routeKeys: api.routeKeys(), invokeUrl: api.invokeUrl };
            },
        });
        assert.deepEqual(run.outputs.routeKeys, ["POST /b", "GET /a/{id}"]);
        assert.equal(run.named(STAGE, "api").inputs.name, "$default");
        assert.equal(run.outputs.invokeUrl, run.named(API, "api").outputs.apiEndpoint);
    });
});

describe("SecureHttpApi refuses", () => {
    const refused = (program: () => void, message: RegExp) =>
        assert.rejects(runProgram({ program }), (e: unknown) => e instanceof ProgramFailed && message.test(e.message));

    it("a route without an authorizer", () =>
        refused(() => {
            const api = new SecureHttpApi("api", ARGS);
            api.addRoute({ method: "GET", path: "/open", target: TARGET, authorization: "NONE" as never });
        }, /route GET \/open: authorization must be "JWT" or "AWS_IAM" \(got "NONE"\)/));

    it("scopes on an IAM route, and a route defined twice", async () => {
        await refused(() => {
            const api = new SecureHttpApi("api", ARGS);
            api.addRoute({ method: "POST", path: "/jobs", target: TARGET, authorization: "AWS_IAM", scopes: ["jobs:run"] });
        }, /scopes apply to JWT routes only/);
        await refused(() => {
            const api = new SecureHttpApi("api", ARGS);
            api.addRoute({ method: "GET", path: "/a", target: TARGET, authorization: "JWT" });
            api.addRoute({ method: "GET", path: "/a", target: TARGET, authorization: "JWT" });
        }, /route GET \/a: is already defined/);
    });

    it("a JWT route with a method CORS does not allow", () =>
        refused(() => {
            const api = new SecureHttpApi("api", ARGS);
            api.addRoute({ method: "DELETE", path: "/tickets/{id}", target: TARGET, authorization: "JWT" });
        }, /CORS allows only GET, POST; add DELETE to corsMethods/));

    it("malformed route paths and methods, in routes and in route ARNs", async () => {
        await refused(() => void new SecureHttpApi("api", ARGS).routeArn("GET", "tickets"), /must start with \//);
        await refused(() => void new SecureHttpApi("api", ARGS).routeArn("GET", "/files/{path+}/meta"), /greedy/);
        await refused(() => void new SecureHttpApi("api", ARGS).routeArn("ANY" as never, "/x"), /method "ANY" must be one of/);
    });

    it("a stage name API Gateway would reject", () =>
        refused(() => void new SecureHttpApi("api", { ...ARGS, stageName: "v1/beta" }), /stageName "v1\/beta" must be \$default or/));

    it("wildcard, http or path-bearing site origins", async () => {
        for (const origin of ["*", "https://*.example.com", "http://support.example", "https://support.example/app"]) {
            await refused(() => void new SecureHttpApi("api", { ...ARGS, siteOrigins: [origin] }), /must be exactly https:\/\/host/);
        }
    });
});
