// The access review: IAM access advisor (service last accessed, at ACTION_LEVEL) for every principal, Access
// Analyzer's unused-access findings where the stack has such an analyzer, and, with --validate, Access Analyzer's
// ValidatePolicy on every policy document of the stacks next to the pack's findings for the same resource.

import {
    AccessAnalyzerClient,
    FindingSummaryV2,
    GetFindingV2Command,
    GetFindingV2CommandOutput,
    ListFindingsV2Command, 
    ListFindingsV2CommandOutput,
    ValidatePolicyCommand,
    ValidatePolicyCommandOutput,
    ValidatePolicyResourceType,
} from "@aws-sdk/client-accessanalyzer";
import {
    GenerateServiceLastAccessedDetailsCommand,
    GenerateServiceLastAccessedDetailsCommandOutput,
    GetServiceLastAccessedDetailsCommand,
    GetServiceLastAccessedDetailsCommandOutput,
    IAMClient,
    ListRolesCommand,
    ListRolesCommandOutput,
    ServiceLastAccessed,
} from "@aws-sdk/client-iam";
import { policies } from "../../../policypack/policies";
import { runPack } from "../packRunner";
import { AwsClients, MissingPermission, send, sleep } from "./aws";
import { Principal, provisionedRoleName } from "./principals";
import { DeployedStack, ofType, policyDocument, prop, str } from "./stackInput";

export interface ReviewTiming {
    /** First wait before polling a job again; doubles each time up to `pollMaxMs`. */
    pollInitialMs: number;
    pollMaxMs: number;
    /** A job not COMPLETED after this long is reported, not waited on. */
    jobTimeoutMs: number;
}

export const DEFAULT_REVIEW_TIMING: ReviewTiming = { pollInitialMs: 1_000, pollMaxMs: 15_000, jobTimeoutMs: 180_000 };

export interface ActionUse {
    action: string;
    /**
     * `unused`: never, or not within the window; `not-tracked`: the service was used but IAM does not track this
     * action, or access advisor does not report the service at all.
     */
    verdict: "used" | "unused" | "not-tracked";
    /** ISO time of the last use IAM reports (action, or service for an untracked action). */
    lastAccessed?: string;
}

export interface UnusedAccessFinding {
    id: string;
    findingType: string;
    status: string;
    updatedAt?: string;
    /** For an `UnusedPermission` finding: the actions Access Analyzer saw unused (GetFindingV2's details). */
    unusedActions?: string[];
}

export interface PrincipalReview {
    kind: Principal["kind"];
    name: string;
    stack: string;
    roleArn?: string;
    groups: string[];
    /** `reviewed`; `incomplete` (the job failed or did not finish in time); `not-provisioned` (no role in this account); `no-access`. */
    status: "reviewed" | "incomplete" | "not-provisioned" | "no-access";
    /** Why it is not `reviewed`. */
    problem?: string;
    missingPermission?: string;
    granted: number;
    unused: ActionUse[];
    used: ActionUse[];
    notTracked: ActionUse[];
    unusedAccessFindings: UnusedAccessFinding[];
    notes: string[];
}

// ---------------------------------------------------------------- provisioned roles of permission sets

/** Finds each permission set's `AWSReservedSSO_*` role (ListRoles under Identity Center's path, every page). */
export async function resolveProvisionedRoles(aws: AwsClients, sets: Principal[]): Promise<void> {
    if (sets.length === 0) return;
    const iam = aws.get(IAMClient);
    const roles: { name: string; arn: string }[] = [];
    let marker: string | undefined;
    do {
        const page = await send<ListRolesCommandOutput>(iam, new ListRolesCommand({ PathPrefix: "/aws-reserved/sso.amazonaws.com/", Marker: marker }));
        for (const r of page.Roles ?? []) if (r.RoleName && r.Arn) roles.push({ name: r.RoleName, arn: r.Arn });
        marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    for (const set of sets) set.roleArn = roles.find((r) => provisionedRoleName(set.name, r.name))?.arn;
}

// ---------------------------------------------------------------- service last accessed

interface JobResult {
    services?: ServiceLastAccessed[];
    problem?: string;
}

/** Starts a job and polls it with doubling waits until it completes, fails, or `jobTimeoutMs` passes; then pages. */
export async function lastAccessed(aws: AwsClients, roleArn: string, timing: ReviewTiming): Promise<JobResult> {
    const iam = aws.get(IAMClient);
    const now = Date.now;
    const started = now();
    const job = await send<GenerateServiceLastAccessedDetailsCommandOutput>(iam, new GenerateServiceLastAccessedDetailsCommand({ Arn: roleArn, Granularity: "ACTION_LEVEL" }));
    const jobId = job.JobId!;
    let wait = timing.pollInitialMs;
    for (;;) {
        const first = await send<GetServiceLastAccessedDetailsCommandOutput>(iam, new GetServiceLastAccessedDetailsCommand({ JobId: jobId }));
        if (first.JobStatus === "FAILED") return { problem: `access advisor job failed: ${first.Error?.Message ?? first.Error?.Code ?? "no reason given"}` };
        if (first.JobStatus === "COMPLETED") {
            const services = [...(first.ServicesLastAccessed ?? [])];
            let marker = first.IsTruncated ? first.Marker : undefined;
            while (marker) {
                const page = await send<GetServiceLastAccessedDetailsCommandOutput>(iam, new GetServiceLastAccessedDetailsCommand({ JobId: jobId, Marker: marker }));
                services.push(...(page.ServicesLastAccessed ?? []));
                marker = page.IsTruncated ? page.Marker : undefined;
            }
            return { services };
        }
        if (now() - started + wait > timing.jobTimeoutMs) {
            return { problem: `access advisor job ${jobId} still ${first.JobStatus ?? "IN_PROGRESS"} after ${Math.round((now() - started) / 1000)} s (limit ${timing.jobTimeoutMs / 1000} s): run again later` };
        }
        await sleep(wait);
        wait = Math.min(wait * 2, timing.pollMaxMs);
    }
}

const actionKey = (name: string) => name.toLowerCase().replace(/^[a-z0-9-]+:/, "");

/** Each granted action's verdict from the job's services: action level where IAM tracks it, else service level. */
export function judge(granted: string[], services: ServiceLastAccessed[], cutoff: Date): ActionUse[] {
    return granted.map((action): ActionUse => {
        const [namespace] = action.split(":");
        const service = services.find((s) => s.ServiceNamespace === namespace);
        // A service access advisor does not report on cannot be judged: saying "unused" would be a guess.
        if (!service) return { action, verdict: "not-tracked" };
        const recent = (t: Date | undefined) => t !== undefined && t.getTime() >= cutoff.getTime();
        const tracked = service?.TrackedActionsLastAccessed?.find((t) => t.ActionName !== undefined && actionKey(t.ActionName) === actionKey(action));
        if (tracked) return { action, verdict: recent(tracked.LastAccessedTime) ? "used" : "unused", ...(tracked.LastAccessedTime ? { lastAccessed: tracked.LastAccessedTime.toISOString() } : {}) };
        const last = service?.LastAuthenticated;
        const stamp = last ? { lastAccessed: last.toISOString() } : {};
        // A service nobody used within the window: none of its actions were used either.
        if (!recent(last)) return { action, verdict: "unused", ...stamp };
        return { action, verdict: "not-tracked", ...stamp };
    });
}

// ---------------------------------------------------------------- unused-access analyzer

/** The stack's unused-access analyzer (`ACCOUNT_UNUSED_ACCESS` / `ORGANIZATION_UNUSED_ACCESS`), if it has one. */
export function unusedAccessAnalyzer(stacks: DeployedStack[]): { arn: string; region?: string } | undefined {
    for (const stack of stacks) {
        for (const a of ofType(stack, "aws:accessanalyzer/analyzer:Analyzer")) {
            const type = str(a, "type") ?? "";
            const arn = str(a, "arn");
            if (arn && /_UNUSED_ACCESS$/.test(type)) return { arn, region: str(a, "region") };
        }
    }
    return undefined;
}

/** Active findings on IAM roles, every page. */
export async function unusedAccessFindings(aws: AwsClients, analyzer: { arn: string; region?: string }): Promise<FindingSummaryV2[]> {
    const client = aws.get(AccessAnalyzerClient, analyzer.region);
    const findings: FindingSummaryV2[] = [];
    let nextToken: string | undefined;
    do {
        const page = await send<ListFindingsV2CommandOutput>(
            client,
            new ListFindingsV2Command({
                analyzerArn: analyzer.arn,
                filter: { status: { eq: ["ACTIVE"] }, resourceType: { eq: ["AWS::IAM::Role"] } },
                nextToken,
            }),
        );
        findings.push(...(page.findings ?? []));
        nextToken = page.nextToken;
    } while (nextToken);
    return findings;
}

/** The unused actions of an `UnusedPermission` finding, every page of its details. */
export async function unusedPermissionActions(aws: AwsClients, analyzer: { arn: string; region?: string }, id: string): Promise<string[]> {
    const client = aws.get(AccessAnalyzerClient, analyzer.region);
    const actions: string[] = [];
    let nextToken: string | undefined;
    do {
        const page = await send<GetFindingV2CommandOutput>(client, new GetFindingV2Command({ analyzerArn: analyzer.arn, id, nextToken }));
        for (const d of page.findingDetails ?? []) {
            const details = d.unusedPermissionDetails;
            if (!details) continue;
            const named = (details.actions ?? []).map((a) => (a.action?.includes(":") ? a.action : `${details.serviceNamespace}:${a.action}`));
            // A finding without action detail covers the whole service.
            actions.push(...(named.length ? named : [`${details.serviceNamespace}:*`]));
        }
        nextToken = page.nextToken;
    } while (nextToken);
    return [...new Set(actions)].sort();
}

// ---------------------------------------------------------------- one principal

/** A principal that could not be reviewed because a call it needs was denied. */
export function deniedReview(p: Principal, e: MissingPermission): PrincipalReview {
    // As before the denial, the review names no role: what was denied may be the look-up of it.
    return { ...emptyReview({ ...p, roleArn: undefined }, "no-access"), problem: e.message, missingPermission: e.action };
}

/** A principal's review before anything is known of its use. */
function emptyReview(p: Principal, status: PrincipalReview["status"]): PrincipalReview {
    return {
        kind: p.kind,
        name: p.name,
        stack: p.stack,
        ...(p.roleArn ? { roleArn: p.roleArn } : {}),
        groups: p.groups,
        status,
        granted: p.granted.length,
        unused: [],
        used: [],
        notTracked: [],
        unusedAccessFindings: [],
        notes: p.notes,
    };
}

export async function reviewPrincipal(
    aws: AwsClients,
    p: Principal,
    findings: { analyzer: { arn: string; region?: string }; list: FindingSummaryV2[] } | undefined,
    days: number,
    timing: ReviewTiming,
    now: () => number,
): Promise<PrincipalReview> {
    const base = emptyReview(p, "reviewed");
    if (!p.roleArn) return { ...base, status: "not-provisioned", problem: "no AWSReservedSSO role for it in this account (not provisioned here yet?)" };
    try {
        for (const f of findings?.list.filter((x) => x.resource === p.roleArn) ?? []) {
            const finding: UnusedAccessFinding = { id: f.id!, findingType: String(f.findingType ?? "?"), status: String(f.status ?? "?"), ...(f.updatedAt ? { updatedAt: f.updatedAt.toISOString() } : {}) };
            if (f.findingType === "UnusedPermission") {
                try {
                    finding.unusedActions = await unusedPermissionActions(aws, findings!.analyzer, f.id!);
                } catch (e) {
                    // The finding still counts; only its detail is missing, and the permission is reported.
                    if (!(e instanceof MissingPermission)) throw e;
                    base.missingPermission = e.action;
                }
            }
            base.unusedAccessFindings.push(finding);
        }
        const job = await lastAccessed(aws, p.roleArn, timing);
        if (job.problem) return { ...base, status: "incomplete", problem: job.problem };
        const verdicts = judge(p.granted, job.services!, new Date(now() - days * 86_400_000));
        return {
            ...base,
            unused: verdicts.filter((v) => v.verdict === "unused"),
            used: verdicts.filter((v) => v.verdict === "used"),
            notTracked: verdicts.filter((v) => v.verdict === "not-tracked"),
        };
    } catch (e) {
        if (e instanceof MissingPermission) return { ...base, status: "no-access", problem: e.message, missingPermission: e.action };
        throw e;
    }
}

// ---------------------------------------------------------------- --validate

export interface PolicyValidation {
    urn: string;
    resource: string;
    type: string;
    /** The property holding the document, e.g. `policy`, `assumeRolePolicy`. */
    property: string;
    policyType: "IDENTITY_POLICY" | "RESOURCE_POLICY";
    accessAnalyzer: { findingType: string; issueCode: string; details: string; learnMoreLink?: string }[];
    /** The pack's violations for the same resource. */
    pack: { policy: string; enforcementLevel: string; message: string }[];
}

/** Where the stack's resources keep policy documents, and how ValidatePolicy should read each. */
const DOCUMENTS: { type: string; property: string; policyType: PolicyValidation["policyType"]; resourceType?: string }[] = [
    { type: "aws:iam/role:Role", property: "assumeRolePolicy", policyType: "RESOURCE_POLICY", resourceType: "AWS::IAM::AssumeRolePolicyDocument" },
    { type: "aws:iam/rolePolicy:RolePolicy", property: "policy", policyType: "IDENTITY_POLICY" },
    { type: "aws:iam/policy:Policy", property: "policy", policyType: "IDENTITY_POLICY" },
    { type: "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy", property: "inlinePolicy", policyType: "IDENTITY_POLICY" },
    { type: "aws:s3/bucketPolicy:BucketPolicy", property: "policy", policyType: "RESOURCE_POLICY", resourceType: "AWS::S3::Bucket" },
    { type: "aws:kms/key:Key", property: "policy", policyType: "RESOURCE_POLICY" },
    { type: "aws:sns/topicPolicy:TopicPolicy", property: "policy", policyType: "RESOURCE_POLICY" },
    { type: "aws:sqs/queuePolicy:QueuePolicy", property: "policy", policyType: "RESOURCE_POLICY" },
    { type: "aws:cloudwatch/logResourcePolicy:LogResourcePolicy", property: "policyDocument", policyType: "RESOURCE_POLICY" },
    { type: "aws:dynamodb/resourcePolicy:ResourcePolicy", property: "policy", policyType: "RESOURCE_POLICY", resourceType: "AWS::DynamoDB::Table" },
];

/** ValidatePolicy (every page) on every policy document of `stack`, next to the pack's findings for that resource. */
export async function validateStack(aws: AwsClients, stack: DeployedStack, step: (text: string) => void): Promise<PolicyValidation[]> {
    step(`running the policy pack on ${stack.name}`);
    const pack = await runPack(policies, stack.resources, {});
    const client = aws.get(AccessAnalyzerClient);
    const results: PolicyValidation[] = [];
    const docs = DOCUMENTS.flatMap((d) => ofType(stack, d.type).map((r) => ({ d, r, doc: policyDocument(prop(r, d.property)) }))).filter((x) => x.doc);
    let n = 0;
    for (const { d, r, doc } of docs) {
        step(`ValidatePolicy ${++n}/${docs.length} (${stack.name})`);
        const findings: PolicyValidation["accessAnalyzer"] = [];
        let nextToken: string | undefined;
        do {
            const page = await send<ValidatePolicyCommandOutput>(
                client,
                new ValidatePolicyCommand({
                    policyDocument: JSON.stringify(doc),
                    policyType: d.policyType,
                    ...(d.resourceType ? { validatePolicyResourceType: d.resourceType as ValidatePolicyResourceType } : {}),
                    nextToken,
                }),
            );
            for (const f of page.findings ?? []) {
                findings.push({ findingType: String(f.findingType), issueCode: f.issueCode ?? "?", details: f.findingDetails ?? "", ...(f.learnMoreLink ? { learnMoreLink: f.learnMoreLink } : {}) });
            }
            nextToken = page.nextToken;
        } while (nextToken);
        results.push({
            urn: r.urn,
            resource: r.name,
            type: r.type,
            property: d.property,
            policyType: d.policyType,
            accessAnalyzer: findings,
            pack: pack.violations.filter((v) => v.urn === r.urn).map((v) => ({ policy: v.policy, enforcementLevel: v.enforcementLevel, message: v.message })),
        });
    }
    return results;
}
