import { SecureHttpApi } from "./components/api";
import { AccessAnalyzers, AuditTrail, SecurityAlarms } from "./components/audit";
import { TicketsTable } from "./components/data";
import { EdgeWebAcl, SiteDistribution } from "./components/edge";
import { HardenedFunction, TableStreamTrigger } from "./components/function";
import {
    accountAlarmsArn,
    kmsDecrypt,
    PEOPLE_BOUNDARY,
    PermissionsBoundary,
    peopleActions,
    streamList,
    tableGetItem,
    tableGetItemWithKeyPrefix,
    tablePutItem,
    tableQueryIndex,
    tableStreamRead,
    tableUpdateAttributes,
    workloadActions,
} from "./components/iam";
import { SiteContent, siteBuild } from "./components/site";
import { PrivateBucket } from "./components/storage";
import { loadPlatformConfig, stackKind } from "./config/load";
import { REANALYSIS_ROLES_VARIABLE } from "./handlers/lib/rolePrincipal";
import { ANALYSIS_ATTRIBUTES, IDEMPOTENCY_RECORD_PREFIX, TICKET_TABLE } from "./handlers/lib/ticketTable";
import { NEW_TICKET_FILTERS } from "./programs/analysisStream";
import { bootstrapProgram } from "./programs/bootstrap";
import { orgProgram, WorkloadPeopleOutputs } from "./programs/org";
import { API_STAGE, RouteHandler, ROUTES } from "./programs/routes";

/**
 * SwiftSupport: one project, three kinds of stack (`stackKind` in the stack config). A workload stack (the default;
 * one per AWS account) composes the hardened components below; the org stack (programs/org.ts) gives people access
 * to every workload account through IAM Identity Center; a bootstrap stack (programs/bootstrap.ts) creates the roles
 * GitHub Actions deploys one of the others with. Pulumi calls the exported function and uses what it
 * returns as the stack outputs; the mocks harness (tools/mocks/harness.ts) calls it the same way.
 */
export = async () => {
    const kind = stackKind();
    if (kind === "org") return orgProgram();
    if (kind === "bootstrap") return bootstrapProgram();
    // Config first: a wrong stack file fails here, before any resource is registered.
    const config = loadPlatformConfig();

    // Every role the program creates carries this boundary: at most the workloads' actions, and the guardrails.
    const workloadBoundary = new PermissionsBoundary("workloads", { audience: "workloads", actions: workloadActions() });
    // The org stack's permission sets reference this one by its fixed name and path in this account.
    const peopleBoundary = new PermissionsBoundary("people", {
        audience: "people",
        actions: peopleActions(),
        policyName: PEOPLE_BOUNDARY.name,
        path: PEOPLE_BOUNDARY.path,
    });

    // ---- Data and API ----
    const tickets = new TicketsTable("tickets", { deletionProtection: config.deletionProtection });
    const api = new SecureHttpApi("api", {
        jwtIssuer: config.auth0Issuer,
        jwtAudience: config.auth0Audience,
        siteOrigins: config.siteOrigins,
        throttleBurst: config.apiThrottleBurst,
        throttleRate: config.apiThrottleRate,
        logRetentionDays: config.logRetentionDays,
        stageName: API_STAGE,
    });

    // ---- Functions: one role each, only their own grants ----
    const common = {
        permissionsBoundary: workloadBoundary.arn,
        logRetentionDays: config.logRetentionDays,
        memoryMb: config.functionMemoryMb,
        timeoutSeconds: config.functionTimeoutSeconds,
        reservedConcurrency: config.functionReservedConcurrency,
    };
    const decryptTable = kmsDecrypt(tickets.keyArn, tickets.kmsViaService);
    const status = new HardenedFunction("status", {
        ...common,
        handler: "status",
        description: "Returns a ticket to its owner",
        grants: [tableGetItem(tickets.arn), decryptTable],
        environment: { TABLE_NAME: tickets.name },
    });
    const submit = new HardenedFunction("submit", {
        ...common,
        handler: "submit",
        description: "Stores a new ticket, once per idempotency key",
        // Reads only its idempotency records back, never a ticket.
        grants: [tablePutItem(tickets.arn), tableGetItemWithKeyPrefix(tickets.arn, IDEMPOTENCY_RECORD_PREFIX), decryptTable],
        environment: { TABLE_NAME: tickets.name },
    });
    const list = new HardenedFunction("list", {
        ...common,
        handler: "list",
        description: "Lists the caller's tickets, newest first",
        // The owner index only: no GetItem, no Query on the table, no Scan.
        grants: [tableQueryIndex(tickets.arn, tickets.ownerIndexName), decryptTable],
        environment: { TABLE_NAME: tickets.name },
    });
    const analysis = new HardenedFunction("analysis", {
        ...common,
        handler: "analysis",
        description: "Categorises new tickets from the table's stream, and on demand for configured roles",
        // IAM requires the key attribute in dynamodb:Attributes; a key cannot be updated anyway.
        grants: [
            tableGetItem(tickets.arn),
            tableUpdateAttributes(tickets.arn, [TICKET_TABLE.hashKey, ...Object.values(ANALYSIS_ATTRIBUTES)]),
            decryptTable,
            tableStreamRead(tickets.streamArn),
            streamList(),
        ],
        environment: {
            TABLE_NAME: tickets.name,
            // Unset when no role is configured: the handler then refuses every re-analysis request.
            ...(config.reanalysisPrincipals ? { [REANALYSIS_ROLES_VARIABLE]: config.reanalysisPrincipals.join(",") } : {}),
        },
    });
    new TableStreamTrigger("analysis-stream", { target: analysis, streamArn: tickets.streamArn, filters: NEW_TICKET_FILTERS });
    const handlers: Record<RouteHandler, HardenedFunction> = { submit, list, status, analysis };
    for (const { method, path, authorization, handler } of Object.values(ROUTES)) api.addRoute({ method, path, authorization, target: handlers[handler] });
    const functions = [status, submit, list, analysis];

    // ---- Edge: private site bucket behind CloudFront and WAF; /api/* goes to the API through the same WAF ----
    const edgeAcl = new EdgeWebAcl("edge", { rateLimit: config.wafRateLimit, logRetentionDays: config.logRetentionDays });
    // The bucket and its distribution are built in the same turn: the distribution attaches the bucket's policy.
    // Each new site build leaves the objects it replaces as noncurrent versions: recoverable for a month, then gone.
    const siteBucket = new PrivateBucket("site", { forceDestroy: !config.deletionProtection, noncurrentVersionExpirationDays: 30 });
    const site = new SiteDistribution("site", {
        bucket: siteBucket,
        apiEndpoint: api.endpoint,
        webAclArn: edgeAcl.arn,
        aliases: config.edgeAliases,
        certificateArn: config.edgeCertificateArn,
        logRetentionDays: config.logRetentionDays,
        connectOrigins: [config.auth0Issuer],
    });
    // The customer page and its config.json; the page calls the API on its own origin, where the distribution
    // sends /api/* to the API's stage of the same name.
    new SiteContent("site", {
        bucket: siteBucket,
        files: siteBuild().files,
        auth0Issuer: config.auth0Issuer,
        clientId: config.auth0SpaClientId,
        audience: config.auth0Audience,
        apiBase: `/${API_STAGE}`,
    });

    // ---- Audit ----
    const audit = new AuditTrail("audit", {
        permissionsBoundary: workloadBoundary.arn,
        logRetentionDays: config.logRetentionDays,
        deletionProtection: config.deletionProtection,
        forceDestroy: !config.deletionProtection,
    });
    const analyzers = new AccessAnalyzers("access-analyzers", {
        unusedAccessAgeDays: config.unusedAccessAnalyzer ? config.unusedAccessAgeDays : undefined,
        existingAccountAnalyzerArn: config.accessAnalyzerArn,
    });
    const alarms = config.securityAlarms
        ? new SecurityAlarms("security-alarms", {
              trailLogGroupName: audit.logGroupName,
              alarmEmail: config.alarmEmail,
              failureQueues: [
                  {
                      id: "analysis-failures",
                      queueName: analysis.dlqName,
                      description: "Tickets were left unanalysed: a stream batch exhausted its retries (re-run the analysis route for them).",
                  },
              ],
          })
        : undefined;

    // ---- People: what the org stack (programs/org.ts) needs to grant access here; its permission sets live there ----
    const people: WorkloadPeopleOutputs = {
        accountId: config.accountId,
        boundary: { name: peopleBoundary.policyName, path: peopleBoundary.path, arn: peopleBoundary.arn },
        resources: {
            functionArns: functions.map((f) => f.arn),
            tableArn: tickets.arn,
            ownerIndexName: tickets.ownerIndexName,
            tableKeyArn: tickets.keyArn,
            kmsViaService: tickets.kmsViaService,
            logGroupArns: [
                ...functions.map((f) => f.logGroupArn),
                api.accessLogGroupArn,
                audit.logGroup.arn,
                // us-east-1: WAF for CloudFront and CloudFront's standard logs deliver only there.
                edgeAcl.logGroupArn,
                site.accessLogGroupArn,
            ],
            alarmArns: alarms?.alarmArns ?? [],
            accountAlarmsArn: accountAlarmsArn(),
            trailArn: audit.trailArn,
            analyzerArns: analyzers.analyzerArns,
        },
    };

    return {
        accountId: config.accountId,
        apiUrl: api.invokeUrl,
        // What a role in reanalysisPrincipals needs execute-api:Invoke on (the API has no resource policy).
        reanalysisRouteArn: api.routeArn(ROUTES.reanalysis.method, ROUTES.reanalysis.path),
        siteUrl: site.url,
        distributionId: site.id,
        siteBucketName: siteBucket.name,
        webAclArn: edgeAcl.arn,
        ticketsTableName: tickets.name,
        functions: Object.fromEntries(Object.entries(handlers).map(([name, f]) => [name, f.arn])),
        trailArn: audit.trailArn,
        workloadBoundaryArn: workloadBoundary.arn,
        people,
    };
};
