import * as assert from "assert";
import { AccessAnalyzerClient, GetFindingV2Command, ListFindingsV2Command, ValidatePolicyCommand } from "@aws-sdk/client-accessanalyzer";
import {
    GenerateServiceLastAccessedDetailsCommand,
    GetServiceLastAccessedDetailsCommand,
    IAMClient,
    ListRolesCommand,
    ServiceLastAccessed,
} from "@aws-sdk/client-iam";
import { mockClient } from "aws-sdk-client-mock";
import { AccessReviewReport, main } from "../../tools/accessReview";
import { ACCOUNT, ANALYZER_ARN, ORG_CONFIG, ROLE_ACTIONS, ROLE_ARN, awsError, collectingIo, groupActions, orgStack, permissionSetName, tempFiles, workloadStack } from "./support";

const NOW = Date.now();
const daysAgo = (d: number) => new Date(NOW - d * 86_400_000);
const FAST = { pollInitialMs: 5, pollMaxMs: 40, jobTimeoutMs: 150 };

const iam = mockClient(IAMClient);
const analyzer = mockClient(AccessAnalyzerClient);

const SSO_ROLE = (set: string, hex: string) => ({
    RoleName: `AWSReservedSSO_${set}_${hex}`,
    Arn: `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_${set}_${hex}`,
    Path: "/aws-reserved/sso.amazonaws.com/eu-west-1/",
    RoleId: `AROA${hex.toUpperCase()}`,
    CreateDate: daysAgo(200),
});
const DEVELOPERS = SSO_ROLE(permissionSetName("Developers"), "0123456789abcdef");
const DATASCIENCE = SSO_ROLE(permissionSetName("DataScience"), "fedcba9876543210");

/** Services IAM reports per action in these fixtures; execute-api is reported per service only. */
const UNTRACKED = new Set(["execute-api"]);

/**
 * Role ARN -> action -> when it was last used (absent: never). The access advisor answer for a role is built from
 * it: one ServiceLastAccessed per namespace, with TrackedActionsLastAccessed for tracked services.
 */
type Usage = Record<string, Record<string, Date | undefined>>;

function servicesFor(usage: Record<string, Date | undefined>): ServiceLastAccessed[] {
    const byNs = new Map<string, [string, Date | undefined][]>();
    for (const [action, when] of Object.entries(usage)) {
        const [ns, name] = action.split(":");
        byNs.set(ns, [...(byNs.get(ns) ?? []), [name, when]]);
    }
    return [...byNs].map(([ns, actions]) => {
        const times = actions.map(([, t]) => t).filter((t): t is Date => !!t);
        const last = times.length ? new Date(Math.max(...times.map((t) => t.getTime()))) : undefined;
        return {
            ServiceName: `Service ${ns}`,
            ServiceNamespace: ns,
            TotalAuthenticatedEntities: last ? 1 : 0,
            ...(last ? { LastAuthenticated: last, LastAuthenticatedEntity: "arn:aws:iam::222222222222:role/x", LastAuthenticatedRegion: "eu-west-1" } : {}),
            ...(UNTRACKED.has(ns)
                ? {}
                : { TrackedActionsLastAccessed: actions.map(([name, t]) => ({ ActionName: name, ...(t ? { LastAccessedTime: t, LastAccessedRegion: "eu-west-1" } : {}) })) }),
        };
    });
}

/** Access advisor answering from `usage`: each job IN_PROGRESS on its first poll, then COMPLETED over two pages. */
function accessAdvisor(usage: Usage, options: { neverCompletes?: string } = {}) {
    const polls = new Map<string, number>();
    iam.on(GenerateServiceLastAccessedDetailsCommand).callsFake((input) => ({ JobId: `job|${input.Arn}` }));
    iam.on(GetServiceLastAccessedDetailsCommand).callsFake((input) => {
        const roleArn = input.JobId!.split("|")[1];
        const n = (polls.get(input.JobId!) ?? 0) + 1;
        polls.set(input.JobId!, n);
        const base = { JobType: "ACTION_LEVEL", JobCreationDate: new Date(NOW) };
        if (n === 1 || roleArn === options.neverCompletes) return { ...base, JobStatus: "IN_PROGRESS", ServicesLastAccessed: [] };
        const services = servicesFor(usage[roleArn] ?? {});
        const half = Math.ceil(services.length / 2);
        return input.Marker === undefined
            ? { ...base, JobStatus: "COMPLETED", JobCompletionDate: new Date(NOW), ServicesLastAccessed: services.slice(0, half), IsTruncated: services.length > half, Marker: "page-2" }
            : { ...base, JobStatus: "COMPLETED", JobCompletionDate: new Date(NOW), ServicesLastAccessed: services.slice(half), IsTruncated: false };
    });
    // Two pages of Identity Center roles, one of another permission set.
    iam.on(ListRolesCommand).callsFake((input) =>
        input.Marker === undefined
            ? { Roles: [DEVELOPERS, SSO_ROLE("Other", "1111222233334444")], IsTruncated: true, Marker: "m2" }
            : { Roles: [DATASCIENCE], IsTruncated: false },
    );
}

/** Everything granted was used last week. */
function allUsed(): Usage {
    const usage: Usage = {};
    for (const [role, actions] of Object.entries(ROLE_ACTIONS)) usage[ROLE_ARN(role)] = Object.fromEntries(actions.map((a) => [a, daysAgo(7)]));
    usage[DEVELOPERS.Arn] = Object.fromEntries(groupActions("Developers").map((a) => [a, daysAgo(3)]));
    usage[DATASCIENCE.Arn] = Object.fromEntries(groupActions("DataScience").map((a) => [a, daysAgo(1)]));
    return usage;
}

function noFindings() {
    analyzer.on(ListFindingsV2Command).resolves({ findings: [] });
}

async function review(args: string[]) {
    const { exported } = workloadStack({ siteUrl: "https://example.org" });
    const files = tempFiles({ "prod.json": exported, "org.json": orgStack(), "Pulumi.org.yaml": ORG_CONFIG });
    const io = collectingIo();
    try {
        const started = Date.now();
        const code = await main(
            ["--stack", "prod", "--export", files.file("prod.json"), "--org-export", files.file("org.json"), "--org-config", files.file("Pulumi.org.yaml"), ...args],
            io,
            { pulumiCli: false, timing: FAST },
        );
        return { code, stdout: io.out, stderr: io.err, ms: Date.now() - started };
    } finally {
        files.cleanup();
    }
}

const line = (stdout: string, start: string) => stdout.split("\n").find((l) => l.startsWith(start)) ?? `(no line starting "${start}" in:\n${stdout})`;

describe("npm run access-review", () => {
    beforeEach(() => {
        iam.reset();
        analyzer.reset();
    });
    after(() => {
        iam.restore();
        analyzer.restore();
    });

    it("exits 0 when every granted action of every role and permission set was used within --days", async () => {
        accessAdvisor(allUsed());
        noFindings();
        const ran = await review([]);
        assert.strictEqual(ran.code, 0, ran.stdout + ran.stderr);
        assert.match(ran.stdout, /^Access review of stack prod \(account 222222222222\): actions unused in the last 90 days/);
        assert.match(line(ran.stdout, "OK role status-role"), /0 of 2 granted actions unused, 2 used, 0 not tracked by action/);
        assert.match(line(ran.stdout, "OK role submit-role"), /0 of 3 granted actions unused, 2 used, 1 not tracked by action/);
        const developers = groupActions("Developers").length;
        assert.match(line(ran.stdout, "OK permission set Developers-prod (groups: Developers)"), new RegExp(`0 of ${developers} granted actions unused, ${developers} used`));
        assert.match(line(ran.stdout, "OK permission set DataScience-prod (groups: DataScience)"), /0 of 4 granted actions unused/);
        assert.match(ran.stdout, /Named access nobody used: none/);
        assert.match(ran.stdout, new RegExp(`Unused-access analyzer: ${ANALYZER_ARN}`));
        // Every job at ACTION_LEVEL, one per principal; both ListRoles pages read.
        const jobs = iam.commandCalls(GenerateServiceLastAccessedDetailsCommand).map((c) => c.args[0].input);
        assert.strictEqual(jobs.length, 5);
        assert.ok(jobs.every((j) => j.Granularity === "ACTION_LEVEL"));
        assert.deepStrictEqual(iam.commandCalls(ListRolesCommand).map((c) => c.args[0].input), [
            { PathPrefix: "/aws-reserved/sso.amazonaws.com/", Marker: undefined },
            { PathPrefix: "/aws-reserved/sso.amazonaws.com/", Marker: "m2" },
        ]);
    });

    it("exits 1 listing unused actions per principal, unused-access findings, and the named access nobody used with its config change", async () => {
        const usage = allUsed();
        usage[ROLE_ARN("submit-role")]["execute-api:Invoke"] = undefined; // the service never used
        usage[ROLE_ARN("status-role")]["kms:Decrypt"] = daysAgo(120); // used, but before the window
        usage[DEVELOPERS.Arn]["logs:GetLogEvents"] = undefined; // one action of logs:read: the access is still used
        for (const a of Object.keys(usage[DATASCIENCE.Arn])) usage[DATASCIENCE.Arn][a] = undefined; // tickets:read never used
        accessAdvisor(usage);
        // Two pages of unused-access findings, one on a role of the stack.
        analyzer.on(ListFindingsV2Command).callsFake((input) =>
            input.nextToken === undefined
                ? { findings: [{ id: "f-1", resource: ROLE_ARN("analysis-role"), resourceType: "AWS::IAM::Role", resourceOwnerAccount: ACCOUNT, status: "ACTIVE", findingType: "UnusedPermission", analyzedAt: new Date(NOW), createdAt: new Date(NOW), updatedAt: new Date(NOW) }], nextToken: "n2" }
                : { findings: [{ id: "f-2", resource: `arn:aws:iam::${ACCOUNT}:role/not-ours`, resourceType: "AWS::IAM::Role", resourceOwnerAccount: ACCOUNT, status: "ACTIVE", findingType: "UnusedIAMRole", analyzedAt: new Date(NOW), createdAt: new Date(NOW), updatedAt: new Date(NOW) }] },
        );
        // Its details over two pages, one service each.
        analyzer.on(GetFindingV2Command).callsFake((input) => ({
            id: input.id,
            analyzerArn: ANALYZER_ARN,
            resource: ROLE_ARN("analysis-role"),
            resourceType: "AWS::IAM::Role",
            status: "ACTIVE",
            findingType: "UnusedPermission",
            findingDetails: [
                input.nextToken === undefined
                    ? { unusedPermissionDetails: { serviceNamespace: "dynamodb", actions: [{ action: "UpdateItem" }], lastAccessed: daysAgo(100) } }
                    : { unusedPermissionDetails: { serviceNamespace: "kms", actions: [{ action: "Decrypt", lastAccessed: daysAgo(95) }] } },
            ],
            ...(input.nextToken === undefined ? { nextToken: "d2" } : {}),
        }));
        const ran = await review([]);
        assert.strictEqual(ran.code, 1, ran.stdout + ran.stderr);
        assert.match(line(ran.stdout, "UNUSED role submit-role"), /1 of 3 granted actions unused/);
        assert.match(ran.stdout, /\n {4}execute-api:Invoke {2}never used\n/);
        assert.match(ran.stdout, new RegExp(`\\n    kms:Decrypt  last used ${daysAgo(120).toISOString().slice(0, 10)}\\n`));
        assert.match(line(ran.stdout, "UNUSED role analysis-role"), /0 of 3 granted actions unused/);
        assert.match(ran.stdout, /\n {4}Access Analyzer: UnusedPermission \(f-1\): dynamodb:UpdateItem, kms:Decrypt\n/);
        assert.deepStrictEqual(analyzer.commandCalls(GetFindingV2Command).map((c) => c.args[0].input), [
            { analyzerArn: ANALYZER_ARN, id: "f-1", nextToken: undefined },
            { analyzerArn: ANALYZER_ARN, id: "f-1", nextToken: "d2" },
        ]);
        assert.doesNotMatch(ran.stdout, /f-2/, "a finding on another role is not this stack's");
        assert.match(line(ran.stdout, "UNUSED permission set DataScience-prod"), /4 of 4 granted actions unused/);
        assert.match(line(ran.stdout, "UNUSED permission set Developers-prod"), new RegExp(`1 of ${groupActions("Developers").length} granted actions unused`));
        assert.match(ran.stdout, /Named access nobody used:\n {2}DataScience tickets:read in production \(dynamodb:DescribeTable, dynamodb:GetItem, dynamodb:Query, kms:Decrypt\) -> Pulumi.org.yaml: delete "tickets:read" at config.swiftsupport:groups\[1\]\.environments\.production\.access\[0\]\n/);
        assert.doesNotMatch(ran.stdout, /Developers logs:read/, "an access one of whose actions was used stays");
        assert.strictEqual(analyzer.commandCalls(ListFindingsV2Command).length, 2);
        assert.deepStrictEqual(analyzer.commandCalls(ListFindingsV2Command)[0].args[0].input.filter, { status: { eq: ["ACTIVE"] }, resourceType: { eq: ["AWS::IAM::Role"] } });
    });

    it("reports a job that never completes within the limit instead of waiting on it", async () => {
        accessAdvisor(allUsed(), { neverCompletes: ROLE_ARN("analysis-role") });
        noFindings();
        const ran = await review(["--json"]);
        assert.strictEqual(ran.code, 1, ran.stdout);
        const report: AccessReviewReport = JSON.parse(ran.stdout);
        const stuck = report.principals.find((p) => p.name === "analysis-role")!;
        assert.strictEqual(stuck.status, "incomplete");
        assert.match(stuck.problem!, /access advisor job job\|arn:aws:iam::222222222222:role\/analysis-role still IN_PROGRESS after 0 s \(limit 0.15 s\): run again later/);
        assert.ok(report.principals.filter((p) => p.name !== "analysis-role").every((p) => p.status === "reviewed"));
        assert.ok(ran.ms < 5_000, `bounded: took ${ran.ms} ms`);
        // Doubling waits: a handful of polls, not a busy loop. At least 2 (it polled again before giving up); fewer fit
        // the 0.15 s limit on a loaded machine, so only the upper bound is tight.
        const polls = iam.commandCalls(GetServiceLastAccessedDetailsCommand).filter((c) => c.args[0].input.JobId!.endsWith("analysis-role")).length;
        assert.ok(polls >= 2 && polls <= 7, `${polls} polls`);
    });

    it("exits 2 naming the permission when access advisor is denied", async () => {
        accessAdvisor(allUsed());
        noFindings();
        iam.on(GenerateServiceLastAccessedDetailsCommand).rejects(
            awsError("AccessDenied", "User: arn:aws:sts::222222222222:assumed-role/Auditor/jane is not authorized to perform: iam:GenerateServiceLastAccessedDetails on resource: role status-role", 403),
        );
        const ran = await review([]);
        assert.strictEqual(ran.code, 2, ran.stdout);
        assert.match(line(ran.stdout, "DENY role status-role"), /missing permission iam:GenerateServiceLastAccessedDetails/);
        assert.match(ran.stdout, /Missing permissions: iam:GenerateServiceLastAccessedDetails \(ops\/access-review-policy.json/);
    });

    it("still reviews the roles when ListRoles is denied, and reports each permission set as denied", async () => {
        accessAdvisor(allUsed());
        noFindings();
        iam.on(ListRolesCommand).rejects(awsError("AccessDenied", "User: arn:aws:sts::222222222222:assumed-role/Auditor/jane is not authorized to perform: iam:ListRoles on resource: arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/", 403));
        const ran = await review(["--json"]);
        assert.strictEqual(ran.code, 2);
        const report: AccessReviewReport = JSON.parse(ran.stdout);
        assert.deepStrictEqual(report.missingPermissions, ["iam:ListRoles"]);
        assert.deepStrictEqual(report.principals.map((p) => `${p.name}:${p.status}`), [
            "status-role:reviewed",
            "submit-role:reviewed",
            "analysis-role:reviewed",
            "Developers-prod:no-access",
            "DataScience-prod:no-access",
        ]);
    });

    it("--validate lists ValidatePolicy's findings next to the pack's for the same resource", async () => {
        accessAdvisor(allUsed());
        noFindings();
        analyzer.on(ValidatePolicyCommand).callsFake((input) => {
            const doc = JSON.parse(input.policyDocument!);
            const wildcard = input.policyType === "IDENTITY_POLICY" && doc.Statement.some((s: { Resource: string | string[] }) => [s.Resource].flat().includes("*"));
            // The first page carries the finding, a second page nothing: both are read.
            if (input.nextToken === undefined) {
                return {
                    findings: wildcard
                        ? [{ findingType: "SECURITY_WARNING", issueCode: "PASS_ROLE_WITH_STAR_IN_RESOURCE", findingDetails: "Using a wildcard in the resource grants more than needed.", learnMoreLink: "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html", locations: [] }]
                        : [],
                    nextToken: "v2",
                };
            }
            return { findings: [] };
        });
        const ran = await review(["--validate", "--json"]);
        assert.strictEqual(ran.code, 1, ran.stderr);
        const report: AccessReviewReport = JSON.parse(ran.stdout);
        const status = report.validation!.find((v) => v.resource === "status-role-policy")!;
        assert.strictEqual(status.policyType, "IDENTITY_POLICY");
        assert.deepStrictEqual(status.accessAnalyzer.map((f) => f.issueCode), ["PASS_ROLE_WITH_STAR_IN_RESOURCE"]);
        assert.ok(status.pack.length > 0, "the pack judges the same Resource '*' statement");
        const trust = report.validation!.find((v) => v.resource === "status-role" && v.property === "assumeRolePolicy")!;
        assert.strictEqual(trust.policyType, "RESOURCE_POLICY");
        const calls = analyzer.commandCalls(ValidatePolicyCommand).map((c) => c.args[0].input);
        assert.ok(calls.some((c) => c.validatePolicyResourceType === "AWS::IAM::AssumeRolePolicyDocument"));
        // Every document (3 role policies, 3 trusts, 2 permission-set policies), each over two pages.
        assert.strictEqual(report.validation!.length, 8);
        assert.strictEqual(calls.length, 16);
        const text = await review(["--validate"]);
        assert.match(text.stdout, / {2}status-role-policy \(aws:iam\/rolePolicy:RolePolicy policy\)\n {4}Access Analyzer SECURITY_WARNING PASS_ROLE_WITH_STAR_IN_RESOURCE: .*\n {4}pack mandatory /);
    });

    it("judges an action of a service access advisor does not report as not tracked, not as unused", async () => {
        const usage = allUsed();
        accessAdvisor(usage);
        noFindings();
        // Access advisor's answer for submit-role leaves execute-api out entirely.
        iam.on(GetServiceLastAccessedDetailsCommand).callsFake((input) => ({
            JobStatus: "COMPLETED",
            JobType: "ACTION_LEVEL",
            JobCreationDate: new Date(NOW),
            JobCompletionDate: new Date(NOW),
            ServicesLastAccessed: servicesFor(usage[input.JobId!.split("|")[1]] ?? {}).filter((svc) => svc.ServiceNamespace !== "execute-api"),
        }));
        const ran = await review(["--json"]);
        assert.strictEqual(ran.code, 0, ran.stdout);
        const submit = (JSON.parse(ran.stdout) as AccessReviewReport).principals.find((p) => p.name === "submit-role")!;
        assert.deepStrictEqual(submit.notTracked, [{ action: "execute-api:Invoke", verdict: "not-tracked" }]);
        assert.deepStrictEqual(submit.unused, []);
    });

    it("reviews a workload stack alone (roles only) and says when it has no unused-access analyzer", async () => {
        accessAdvisor(allUsed());
        const { exported } = workloadStack({ stack: "dev", siteUrl: "https://example.org" });
        const files = tempFiles({ "dev.json": exported });
        const io = collectingIo();
        try {
            const code = await main(["--stack", "dev", "--export", files.file("dev.json"), "--days", "30"], io, { pulumiCli: false, timing: FAST });
            assert.strictEqual(code, 0, io.out + io.err);
            assert.match(io.out, /actions unused in the last 30 days/);
            assert.match(io.out, /Unused-access analyzer: none in the stack \(findings not read\)/);
            assert.strictEqual(analyzer.commandCalls(ListFindingsV2Command).length, 0);
            assert.strictEqual(iam.commandCalls(ListRolesCommand).length, 0, "no permission set, no Identity Center roles to look up");
        } finally {
            files.cleanup();
        }
    });

    it("exits 2 for bad input", async () => {
        for (const [args, message] of [
            [["--stack", "prod", "--days", "0"], /--days must be a whole number of days >= 1, got "0"/],
            [["--stack", "prod", "--days", "ninety"], /--days must be a whole number/],
            [["--stack", "prod", "--org-export", "/nonexistent/org.json", "--export", "/nonexistent/prod.json"], /--export \/nonexistent\/prod.json: no such file/],
            [["--stack", "prod", "--bogus"], /unknown option --bogus/],
        ] as const) {
            const io = collectingIo();
            assert.strictEqual(await main([...args], io, { pulumiCli: false }), 2, args.join(" "));
            assert.match(io.err, message);
            assert.strictEqual(io.err.trim().split("\n").length, 1);
        }
    });
});
