import { strict as assert } from "node:assert";
import { SecureHttpApi, SecureHttpApiArgs } from "../../components/api/secureHttpApi";
import { TicketsTable } from "../../components/data/ticketsTable";
import { HardenedFunction } from "../../components/function/hardenedFunction";
import {
    apiRouteInvoke,
    kmsDecrypt,
    PermissionsBoundary,
    tableGetItem,
    tablePutItem,
    tableUpdateAttributes,
    workloadActions,
} from "../../components/iam";
import { loadPlatformConfig } from "../../config/load";
import { TICKET_TABLE } from "../../handlers/lib/ticketTable";
import { ProgramFailed, ProgramRun, RecordedResource, runProgram } from "../support/harness";

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

/** The attributes analysis writes (handlers/lib/ticketStore.ts `saveAnalysis`), plus the key DynamoDB requires. */
const ANALYSIS_ATTRIBUTES = [TICKET_TABLE.hashKey, "analysis", "analysisVersion"];

/** The serverless slice as index.ts wires it: table, API, three functions, three routes. */
function ticketSlice() {
    const config = loadPlatformConfig();
    const boundary = new PermissionsBoundary("workloads", { audience: "workloads", actions: workloadActions() });
    const tickets = new TicketsTable("tickets", { deletionProtection: config.deletionProtection });
    const api = new SecureHttpApi("api", {
        jwtIssuer: config.auth0Issuer,
        jwtAudience: config.auth0Audience,
        siteOrigins: config.siteOrigins,
        throttleBurst: config.apiThrottleBurst,
        throttleRate: config.apiThrottleRate,
        logRetentionDays: config.logRetentionDays,
    });
    const common = {
        permissionsBoundary: boundary.arn,
        logRetentionDays: config.logRetentionDays,
        memoryMb: config.functionMemoryMb,
        timeoutSeconds: config.functionTimeoutSeconds,
        reservedConcurrency: config.functionReservedConcurrency,
    };
    const decryptTable = kmsDecrypt(tickets.keyArn, tickets.kmsViaService);
    const analysisRoute = { method: "POST", path: "/tickets/{id}/analysis" } as const;

    const status = new HardenedFunction("status", {
        ...common,
        handler: "status",
        grants: [tableGetItem(tickets.arn), decryptTable],
        environment: { TABLE_NAME: tickets.name },
    });
    const submit = new HardenedFunction("submit", {
        ...common,
        handler: "submit",
        grants: [tablePutItem(tickets.arn), decryptTable, apiRouteInvoke(api.routeArn(analysisRoute.method, analysisRoute.path))],
        environment: { TABLE_NAME: tickets.name, ANALYSIS_ENDPOINT: api.endpoint },
    });
    const analysis = new HardenedFunction("analysis", {
        ...common,
        handler: "analysis",
        grants: [tableGetItem(tickets.arn), tableUpdateAttributes(tickets.arn, ANALYSIS_ATTRIBUTES), decryptTable],
        environment: { TABLE_NAME: tickets.name },
    });

    api.addRoute({ method: "POST", path: "/tickets", target: submit, authorization: "JWT" });
    api.addRoute({ method: "GET", path: "/tickets/{id}", target: status, authorization: "JWT" });
    api.addRoute({ ...analysisRoute, target: analysis, authorization: "AWS_IAM" });
    return { boundaryArn: boundary.arn, apiEndpoint: api.endpoint, routeKeys: api.routeKeys() };
}

const policyOf = (run: ProgramRun, role: RecordedResource) => {
    const found = run.ofType(ROLE_POLICY).filter((p) => p.inputs.role === role.outputs.name);
    assert.equal(found.length, 1, `one inline policy on ${role.name}`);
    return JSON.parse(found[0].inputs.policy) as { Statement: { Sid: string; Action: string[]; Resource: string[]; Condition?: any }[] };
};
const actionsOf = (run: ProgramRun, role: RecordedResource) => policyOf(run, role).Statement.flatMap((s) => s.Action);

describe("SecureHttpApi with the ticket functions", () => {
    let run: ProgramRun;
    let api: RecordedResource;
    let stage: RecordedResource;
    const fn = (name: string) => run.named(FUNCTION, name);
    const roleOf = (name: string) => run.ofType(ROLE).find((r) => r.outputs.arn === fn(name).inputs.role)!;

    before(async () => {
        run = await runProgram({ program: ticketSlice });
        api = run.named(API, "api");
        stage = run.named(STAGE, "api");
    });

    it("gives the three functions three distinct roles, each with the stack's boundary", () => {
        const roles = ["status", "submit", "analysis"].map(roleOf);
        assert.equal(new Set(roles.map((r) => r?.urn)).size, 3);
        for (const role of roles) assert.equal(role.inputs.permissionsBoundary, run.outputs.boundaryArn);
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
        assert.deepEqual(update.Condition["ForAllValues:StringEquals"]["dynamodb:Attributes"], ANALYSIS_ATTRIBUTES);
    });

    it("lets submit create tickets and call exactly the analysis route", () => {
        const doc = policyOf(run, roleOf("submit"));
        const actions = doc.Statement.flatMap((s) => s.Action);
        assert.ok(actions.includes("dynamodb:PutItem"));
        assert.ok(!actions.includes("dynamodb:UpdateItem") && !actions.includes("dynamodb:GetItem"));
        const invoke = doc.Statement.find((s) => s.Action.includes("execute-api:Invoke"))!;
        assert.deepEqual(invoke.Resource, [`${api.outputs.executionArn}/$default/POST/tickets/*/analysis`]);
        assert.equal(fn("submit").inputs.environment.variables.ANALYSIS_ENDPOINT, api.outputs.apiEndpoint);
    });

    it("decrypts the table only through DynamoDB, in every function", () => {
        for (const name of ["status", "submit", "analysis"]) {
            const decrypt = policyOf(run, roleOf(name)).Statement.find((s) => s.Action.includes("kms:Decrypt"))!;
            assert.deepEqual(decrypt.Condition, { StringEquals: { "kms:ViaService": "dynamodb.eu-west-1.amazonaws.com" } });
        }
    });

    it("puts every route behind an authorizer: the JWT one for users, IAM for the service call", () => {
        const authorizer = run.named(AUTHORIZER, "api-jwt");
        const routes = Object.fromEntries(run.ofType(ROUTE).map((r) => [r.inputs.routeKey, r.inputs]));
        assert.deepEqual(Object.keys(routes).sort(), ["GET /tickets/{id}", "POST /tickets", "POST /tickets/{id}/analysis"]);
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
            "GET /tickets/{id}": "status",
            "POST /tickets/{id}/analysis": "analysis",
        };
        const permissions = run.ofType(PERMISSION);
        assert.equal(permissions.length, 3);
        for (const [routeKey, name] of Object.entries(expected)) {
            const route = run.ofType(ROUTE).find((r) => r.inputs.routeKey === routeKey)!;
            const integration = run.ofType(INTEGRATION).find((i) => route.inputs.target === `integrations/${i.id}`)!;
            assert.equal(integration.inputs.integrationUri, fn(name).outputs.arn);
            assert.equal(integration.inputs.payloadFormatVersion, "2.0");
            const [method, path] = routeKey.split(" ");
            const sourceArn = `${api.outputs.executionArn}/$default/${method}${path}`;
            const permission = permissions.find((p) => p.inputs.sourceArn === sourceArn);
            assert.ok(permission, `no permission for ${sourceArn}`);
            assert.equal(permission.inputs.function, fn(name).outputs.name);
            assert.equal(permission.inputs.principal, "apigateway.amazonaws.com");
            assert.equal(permission.inputs.action, "lambda:InvokeFunction");
            assert.ok(route.dependencies.includes(permission.urn), `${routeKey} goes live before its permission`);
        }
    });

    it("throttles every route by default with the stack's burst and rate", () => {
        assert.equal(stage.inputs.name, "$default");
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

    it("allows cross-origin calls from the site's origins only, without credentials", () => {
        const cors = api.inputs.corsConfiguration;
        assert.deepEqual(cors.allowOrigins, ["https://dev.support.swiftsupport.example"]);
        assert.deepEqual(cors.allowHeaders, ["authorization", "content-type"]);
        assert.deepEqual(cors.allowMethods, ["GET", "POST"]);
        assert.equal(cors.allowCredentials, false);
        assert.ok(!JSON.stringify(cors).includes("*"));
    });

    it("records the routes in the order they were added", () => {
        assert.deepEqual(run.outputs.routeKeys, ["POST /tickets", "GET /tickets/{id}", "POST /tickets/{id}/analysis"]);
    });
});

describe("SecureHttpApi refuses", () => {
    const ARGS: SecureHttpApiArgs = {
        jwtIssuer: "https://example.eu.auth0.com/",
        jwtAudience: "https://api.example",
        siteOrigins: ["https://support.example"],
        throttleBurst: 10,
        throttleRate: 5,
        logRetentionDays: 14,
    };
    const TARGET = { arn: "arn:aws:lambda:eu-west-1:111111111111:function:f", name: "f" };
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

    it("wildcard, http or path-bearing site origins", async () => {
        for (const origin of ["*", "https://*.example.com", "http://support.example", "https://support.example/app"]) {
            await refused(() => void new SecureHttpApi("api", { ...ARGS, siteOrigins: [origin] }), /must be exactly https:\/\/host/);
        }
    });
});
