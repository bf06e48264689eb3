// Fixtures for the operations commands: a deployed workload stack and an org stack as `pulumi stack export`
// (deployment version 3) would write them, the site and API on a loopback HTTP server, and helpers to run a command
// in process. AWS responses are built in each test, in the shapes the API references give.

import { execFile } from "child_process";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { ACCESS, PlatformResources } from "../../components/iam/access";
import { collectingIo } from "../tools/support";

export const ACCOUNT = "222222222222";
export const REGION = "eu-west-1";
const arn = (service: string, rest: string, region = REGION) => `arn:aws:${service}:${region}:${ACCOUNT}:${rest}`;

export const TRAIL_ARN = arn("cloudtrail", "trail/audit-trail");
export const FUNCTIONS = ["status", "submit", "analysis"].map((n) => ({ name: `${n}-fn`, arn: arn("lambda", `function:${n}-fn`), role: `${n}-role` }));
export const ROLE_ARN = (role: string) => `arn:aws:iam::${ACCOUNT}:role/${role}`;
export const WEB_ACL_ARN = arn("wafv2", "global/webacl/edge-acl/0f1e2d3c", "us-east-1");
export const DISTRIBUTION_ID = "E2QWRUHEXAMPLE";
export const ALARM_NAME = "security-alarms-root-login";
export const TOPIC_ARN = arn("sns", "security-alarms-topic");
export const ANALYZER_ARN = arn("access-analyzer", "analyzer/prod-unused-access");
export const CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'";
export const HSTS = "max-age=63072000; includeSubDomains; preload";

interface Res {
    type: string;
    name: string;
    id?: string;
    outputs: Record<string, unknown>;
}

function exportOf(stack: string, project: string, resources: Res[]) {
    const stackUrn = `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`;
    return {
        version: 3,
        deployment: {
            manifest: { time: "2026-11-30T10:00:00Z", magic: "", version: "v3.200.0" },
            resources: [
                { urn: stackUrn, custom: false, type: "pulumi:pulumi:Stack", outputs: {} },
                ...resources.map((r) => ({
                    urn: `urn:pulumi:${stack}::${project}::${r.type}::${r.name}`,
                    custom: true,
                    id: r.id ?? r.name,
                    type: r.type,
                    inputs: r.outputs,
                    outputs: r.outputs,
                    parent: stackUrn,
                })),
            ],
        },
    };
}

const doc = (statements: { Sid: string; Action: string[]; Resource: string[] }[]) =>
    JSON.stringify({ Version: "2012-10-17", Statement: statements.map((s) => ({ Effect: "Allow", ...s })) });

/** The role policies: what each function does (a subset of what the program grants, enough to judge). */
export const ROLE_ACTIONS: Record<string, string[]> = {
    "status-role": ["dynamodb:GetItem", "kms:Decrypt"],
    "submit-role": ["dynamodb:PutItem", "kms:Decrypt", "execute-api:Invoke"],
    "analysis-role": ["dynamodb:GetItem", "dynamodb:UpdateItem", "kms:Decrypt"],
};

export interface WorkloadOptions {
    stack?: string;
    siteUrl: string;
    alarms?: boolean;
    /** The distribution's web ACL as deployed in the export (the live one comes from the mock). */
    analyzer?: boolean;
}

/** A workload stack export (prod-like by default) and its `pulumi stack output --json`. */
export function workloadStack(o: WorkloadOptions) {
    const stack = o.stack ?? "prod";
    const resources: Res[] = [
        { type: "aws:cloudtrail/trail:Trail", name: "audit-trail", outputs: { name: "audit-trail", arn: TRAIL_ARN, region: REGION, cloudWatchLogsGroupArn: arn("logs", "log-group:/swiftsupport/audit:*") } },
        ...FUNCTIONS.map((f) => ({
            type: "aws:lambda/function:Function",
            name: f.name,
            outputs: { name: f.name, arn: f.arn, region: REGION, role: ROLE_ARN(f.role), loggingConfig: { logFormat: "JSON", logGroup: `/swiftsupport/${stack}/${f.name}` } },
        })),
        ...Object.entries(ROLE_ACTIONS).flatMap(([role, actions]) => [
            { type: "aws:iam/role:Role", name: role, outputs: { name: role, arn: ROLE_ARN(role), assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] }) } },
            { type: "aws:iam/rolePolicy:RolePolicy", name: `${role}-policy`, outputs: { role, name: `${role}-policy`, policy: doc([{ Sid: "Grants", Action: actions, Resource: ["*"] }]) } },
        ]),
        {
            type: "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
            name: "site-security-headers",
            id: "rhp-1",
            outputs: {
                securityHeadersConfig: {
                    strictTransportSecurity: { accessControlMaxAgeSec: 63072000, includeSubdomains: true, preload: true, override: true },
                    contentSecurityPolicy: { contentSecurityPolicy: CSP, override: true },
                    contentTypeOptions: { override: true },
                    frameOptions: { frameOption: "DENY", override: true },
                    referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
                },
            },
        },
        { type: "aws:cloudfront/distribution:Distribution", name: "site", id: DISTRIBUTION_ID, outputs: { id: DISTRIBUTION_ID, domainName: "d111111abcdef8.cloudfront.net", webAclId: WEB_ACL_ARN, aliases: [] } },
        { type: "aws:wafv2/webAcl:WebAcl", name: "edge-acl", outputs: { name: "edge-acl", arn: WEB_ACL_ARN, scope: "CLOUDFRONT", region: "us-east-1" } },
        { type: "aws:apigatewayv2/stage:Stage", name: "api", outputs: { name: "api", apiId: "a1b2c3" } },
        ...[
            ["POST /tickets", "JWT"],
            ["GET /tickets/{id}", "JWT"],
            ["POST /tickets/{id}/analysis", "AWS_IAM"],
        ].map(([routeKey, authorizationType], i) => ({ type: "aws:apigatewayv2/route:Route", name: `route-${i}`, outputs: { apiId: "a1b2c3", routeKey, authorizationType } })),
    ];
    if (o.alarms ?? stack === "prod") {
        resources.push({ type: "aws:cloudwatch/metricAlarm:MetricAlarm", name: ALARM_NAME, outputs: { name: ALARM_NAME, arn: arn("cloudwatch", `alarm:${ALARM_NAME}`), alarmActions: [TOPIC_ARN], region: REGION } });
    }
    if (o.analyzer ?? stack === "prod") {
        resources.push({ type: "aws:accessanalyzer/analyzer:Analyzer", name: "unused-access", outputs: { analyzerName: "prod-unused-access", type: "ACCOUNT_UNUSED_ACCESS", arn: ANALYZER_ARN } });
    }
    return { exported: exportOf(stack, "swiftsupport", resources), outputs: { accountId: ACCOUNT, siteUrl: o.siteUrl, distributionId: DISTRIBUTION_ID } };
}

const PLATFORM: PlatformResources = {
    functionArns: FUNCTIONS.map((f) => f.arn),
    tableArn: arn("dynamodb", "table/tickets"),
    ownerIndexName: "owner",
    tableKeyArn: arn("kms", "key/1234"),
    kmsViaService: `dynamodb.${REGION}.amazonaws.com`,
    logGroupArns: FUNCTIONS.map((f) => arn("logs", `log-group:/swiftsupport/prod/${f.name}`)),
    alarmArns: [],
    accountAlarmsArn: arn("cloudwatch", "alarm:*"),
    trailArn: TRAIL_ARN,
    analyzerArns: [ANALYZER_ARN],
};

/** The org stack: Developers hold functions:read and logs:read in prod, DataScience tickets:read; both assigned to ACCOUNT. */
export const ORG_GROUPS: Record<string, (keyof typeof ACCESS)[]> = { Developers: ["functions:read", "logs:read"], DataScience: ["tickets:read"] };
export const permissionSetName = (group: string) => `${group}-prod`;

/** Every action a group's permission set allows in the fixture, from components/iam/access.ts. */
export const groupActions = (group: string): string[] => [...new Set(ORG_GROUPS[group].flatMap((a) => ACCESS[a](PLATFORM)).flatMap((g) => [...g.actions]))].sort();

export function orgStack() {
    const instance = "arn:aws:sso:::instance/ssoins-1111111111111111";
    const resources: Res[] = Object.entries(ORG_GROUPS).flatMap(([group, access], i) => {
        const psArn = `arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-${i}`;
        const statements = access.flatMap((a) => ACCESS[a](PLATFORM)).map((g) => ({ Sid: g.sid, Action: [...g.actions], Resource: g.resources as string[] }));
        return [
            { type: "aws:identitystore/group:Group", name: group, id: `d-1234567890/g-${i}`, outputs: { displayName: group, groupId: `g-${i}`, identityStoreId: "d-1234567890" } },
            { type: "aws:ssoadmin/permissionSet:PermissionSet", name: permissionSetName(group), outputs: { name: permissionSetName(group), arn: psArn, instanceArn: instance } },
            { type: "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy", name: `${group}-policy`, outputs: { permissionSetArn: psArn, instanceArn: instance, inlinePolicy: doc(statements) } },
            { type: "aws:ssoadmin/accountAssignment:AccountAssignment", name: `${group}-prod`, outputs: { permissionSetArn: psArn, principalId: `g-${i}`, principalType: "GROUP", targetId: ACCOUNT, targetType: "AWS_ACCOUNT" } },
            // An assignment into another account: not this review's business.
            { type: "aws:ssoadmin/accountAssignment:AccountAssignment", name: `${group}-dev`, outputs: { permissionSetArn: psArn, principalId: `g-${i}`, principalType: "GROUP", targetId: "111111111111", targetType: "AWS_ACCOUNT" } },
        ];
    });
    return exportOf("org", "swiftsupport", resources);
}

/** An org config in Pulumi.org.yaml's shape; its environment for ACCOUNT is named unlike the workload stack. */
export const ORG_CONFIG = `config:
  swiftsupport:stackKind: org
  swiftsupport:environments:
    - name: dev
      accountId: "111111111111"
      stack: acme/swiftsupport/dev
    - name: production
      accountId: "${ACCOUNT}"
      stack: acme/swiftsupport/prod
  swiftsupport:groups:
    - name: Developers
      environments:
        dev:
          access: [functions:read, functions:operate, logs:read]
        production:
          access: [functions:read, logs:read]
    - name: DataScience
      environments:
        production:
          access: [tickets:read]
`;

/** A temporary directory with the given files (JSON for objects). */
export function tempFiles(files: Record<string, unknown>): { dir: string; file(name: string): string; cleanup(): void } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ops-test-"));
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), typeof content === "string" ? content : JSON.stringify(content));
    return { dir, file: (name) => path.join(dir, name), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export interface SiteBehaviour {
    /** Headers the site sends on `/`. */
    headers?: Record<string, string>;
    /** Status for the IAM route (403 when healthy). */
    analysisStatus?: number;
}

/** The site and `/api/*` on a loopback server: healthy by default, each part overridable. */
export async function siteServer(b: SiteBehaviour = {}): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
    const requests: string[] = [];
    const headers = b.headers ?? {
        "strict-transport-security": HSTS,
        "content-security-policy": CSP,
        "x-content-type-options": "nosniff",
        "x-frame-options": "DENY",
        "referrer-policy": "strict-origin-when-cross-origin",
    };
    const server = http.createServer((req, res) => {
        requests.push(`${req.method} ${req.url} auth=${req.headers.authorization ? "yes" : "no"}`);
        const send = (status: number, body: string, extra: Record<string, string> = {}) => {
            res.writeHead(status, { "content-type": "application/json", ...extra });
            res.end(body);
        };
        if (req.method === "GET" && req.url === "/") return send(200, "<!doctype html><title>SwiftSupport</title>", { ...headers, "content-type": "text/html" });
        if (/^\/api\/tickets\/smoke-check\/analysis$/.test(req.url ?? "") && req.method === "POST") {
            return send(b.analysisStatus ?? 403, JSON.stringify({ message: "Forbidden" }));
        }
        if (/^\/api\/tickets(\/smoke-check)?$/.test(req.url ?? "")) return send(401, JSON.stringify({ message: "Unauthorized" }));
        send(404, JSON.stringify({ message: "Not Found" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** An SDK service error as the SDK raises it: `name` is the AWS error code. */
export function awsError(name: string, message: string, status = 400): Error {
    return Object.assign(new Error(message), { name, $fault: status >= 500 ? "server" : "client", $metadata: { httpStatusCode: status } });
}

/** `node -r ts-node/register/transpile-only tools/<tool>.ts ...args` from the repository root, as `npm run` does. */
export function runOpsTool(tool: "smoke" | "accessReview", args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const root = path.resolve(__dirname, "..", "..");
    return new Promise((resolve) => {
        execFile(process.execPath, ["--no-warnings", "-r", "ts-node/register/transpile-only", path.join("tools", `${tool}.ts`), ...args], { cwd: root }, (error, stdout, stderr) => {
            resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr });
        });
    });
}

export { collectingIo };
