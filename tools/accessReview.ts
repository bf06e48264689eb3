// `npm run access-review -- --stack prod [--days 90] [--export FILE] [--org-export FILE] [--validate] [--json]`:
// the periodic audit loop. For every role of the workload stack and every permission set the org stack assigns to
// its account: the granted actions IAM access advisor saw unused for `--days`, Access Analyzer's unused-access
// findings, and per group the named access nobody used with the config change that removes it. `--validate` adds
// ValidatePolicy next to the pack for every document.
// Exit 0: nothing unused or wrong; 1: something to act on; 2: bad input, no credentials, or a missing permission.

import * as fs from "fs";
import * as path from "path";
import { CommandIo, EXIT_OK, EXIT_USAGE, EXIT_VIOLATIONS, UsageError, parseArgs, runAsCli } from "./lib/cliArgs";
import {
    DEFAULT_REVIEW_TIMING,
    PolicyValidation,
    PrincipalReview,
    ReviewTiming,
    deniedReview,
    resolveProvisionedRoles,
    reviewPrincipal,
    unusedAccessAnalyzer,
    unusedAccessFindings,
    validateStack,
} from "./lib/ops/accessReview";
import { ACCESS_REVIEW_OPERATIONS, AwsClients, AwsOptions, AwsSetupError, MissingPermission, OPERATIONS } from "./lib/ops/aws";
import { progress } from "./lib/ops/checkRun";
import { Principal, accessHeld, configPathOf, environmentOf, permissionSetsOf, rolesOf } from "./lib/ops/principals";
import { DeployedStack, accountOf, loadStack, pulumiOnPath } from "./lib/ops/stackInput";
import type { FindingSummaryV2 } from "@aws-sdk/client-accessanalyzer";

const USAGE =
    "usage: npm run access-review -- --stack NAME [--days N] [--export FILE] [--outputs FILE] [--org-stack NAME] [--org-export FILE] " +
    "[--org-config FILE] [--validate] [--profile P] [--region R] [--json]";

export interface AccessReviewOptions {
    aws?: AwsOptions["clientConfig"];
    timing?: Partial<ReviewTiming>;
    pulumiCli?: boolean;
    now?: () => number;
}

/** Named access a group holds in the reviewed account that none of its permission sets used. */
export interface UnusedGroupAccess {
    group: string;
    environment: string;
    access: string;
    permissionSets: string[];
    actions: string[];
    /** The stack-config change that removes it. */
    change: string;
}

/** The `--json` document (README: "access-review --json"). */
export interface AccessReviewReport {
    command: "access-review";
    stack: string;
    account?: string;
    days: number;
    sources: string[];
    principals: PrincipalReview[];
    unusedGroupAccess: UnusedGroupAccess[];
    /** The analyzer the unused-access findings came from; absent when the stacks have none. */
    unusedAccessAnalyzer?: string;
    validation?: PolicyValidation[];
    missingPermissions: string[];
    exitCode: number;
}

function positiveInt(value: string | undefined, flag: string, fallback: number): number {
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${flag} must be a whole number of days >= 1, got "${value}"`);
    return Number(value);
}

/** `--org-config`, else Pulumi.<org stack>.yaml, else Pulumi.<stack>.yaml, in the working directory. */
function configFile(explicit: string | undefined, candidates: string[]): string | undefined {
    if (explicit !== undefined) {
        if (!fs.existsSync(explicit)) throw new UsageError(`--org-config ${explicit}: no such file`);
        return explicit;
    }
    return candidates.map((c) => path.resolve(c)).find((c) => fs.existsSync(c));
}

/** Per group and named access: unused when every permission set of the group that holds it left all its actions unused. */
export function unusedGroupAccess(reviews: PrincipalReview[], principals: Principal[], environment: string, config: string | undefined): UnusedGroupAccess[] {
    const byGroup = new Map<string, Map<string, { sets: string[]; actions: Set<string>; used: boolean }>>();
    for (const review of reviews) {
        if (review.kind !== "permission set" || review.status !== "reviewed") continue;
        const p = principals.find((x) => x.kind === "permission set" && x.name === review.name && x.stack === review.stack)!;
        const unused = new Set(review.unused.map((u) => u.action));
        for (const held of accessHeld(p.granted)) {
            for (const group of review.groups.length ? review.groups : [review.name]) {
                const accesses = byGroup.get(group) ?? new Map();
                byGroup.set(group, accesses);
                const entry = accesses.get(held.name) ?? { sets: [], actions: new Set<string>(), used: false };
                accesses.set(held.name, entry);
                entry.sets.push(review.name);
                held.actions.forEach((a) => entry.actions.add(a));
                if (held.actions.some((a) => !unused.has(a))) entry.used = true;
            }
        }
    }
    const out: UnusedGroupAccess[] = [];
    for (const [group, accesses] of [...byGroup].sort(([a], [b]) => a.localeCompare(b))) {
        for (const [access, e] of accesses) {
            if (e.used) continue;
            const where = config ? configPathOf(config, group, access, environment) : undefined;
            const file = config ? path.basename(config) : "the org stack config";
            out.push({
                group,
                environment,
                access,
                permissionSets: e.sets,
                actions: [...e.actions].sort(),
                change: where ? `${file}: delete "${access}" at ${where}` : `${file}: remove "${access}" from group ${group}'s access in ${environment}`,
            });
        }
    }
    return out;
}

export async function main(argv: string[], io: CommandIo, options: AccessReviewOptions = {}): Promise<number> {
    try {
        const args = parseArgs(
            argv,
            {
                values: ["--stack", "--days", "--export", "--outputs", "--org-stack", "--org-export", "--org-config", "--profile", "--region"],
                booleans: ["--json", "--validate", "--help"],
            },
            USAGE,
        );
        if (args.booleans.has("--help")) {
            io.stdout(`${USAGE}\nReviews unused access of a deployed stack's roles and permission sets. IAM actions needed: ops/access-review-policy.json.\n`);
            return EXIT_OK;
        }
        if (args.positional.length) throw new UsageError(`unexpected argument ${args.positional[0]} (${USAGE})`);
        const stackName = args.values["--stack"];
        if (!stackName) throw new UsageError(`missing --stack (${USAGE})`);
        const days = positiveInt(args.values["--days"], "--days", 90);
        // Probed only when a file is missing: `pulumi version` takes a moment.
        let cli: boolean | undefined;
        const useCli = (file: string | undefined) => file === undefined && (cli ??= options.pulumiCli ?? pulumiOnPath());
        const workload = loadStack(stackName, { exportFile: args.values["--export"], outputsFile: args.values["--outputs"], useCli: useCli(args.values["--export"]), exportFlag: "--export" });
        const orgName = args.values["--org-stack"] ?? (args.values["--org-export"] !== undefined ? "org" : undefined);
        const stacks: DeployedStack[] = [workload];
        if (orgName !== undefined) stacks.push(loadStack(orgName, { exportFile: args.values["--org-export"], useCli: useCli(args.values["--org-export"]), exportFlag: "--org-export" }));
        const account = accountOf(workload);
        const config = configFile(args.values["--org-config"], [...(orgName ? [`Pulumi.${orgName}.yaml`] : []), `Pulumi.${stackName}.yaml`]);

        const now = options.now ?? Date.now;
        const timing = { ...DEFAULT_REVIEW_TIMING, ...options.timing };
        const aws = new AwsClients({ profile: args.values["--profile"], region: args.values["--region"], clientConfig: options.aws });
        const show = progress(io, "access-review");
        const missing = new Set<string>();
        const denied = (e: unknown) => {
            if (e instanceof MissingPermission) {
                missing.add(e.action);
                return true;
            }
            return false;
        };

        const principals: Principal[] = [...rolesOf(workload), ...stacks.flatMap((s) => permissionSetsOf(s, account))];
        const sets = principals.filter((p) => p.kind === "permission set");
        show.step(`${principals.length} principals (${principals.length - sets.length} roles, ${sets.length} permission sets)`);
        // Without ListRoles the permission sets cannot be reviewed: each is reported as denied, the roles still are.
        const listRoles = await resolveProvisionedRoles(aws, sets).then(
            () => undefined,
            (e) => {
                if (!denied(e)) throw e;
                return e as MissingPermission;
            },
        );

        const analyzer = unusedAccessAnalyzer(stacks);
        let findings: { analyzer: { arn: string; region?: string }; list: FindingSummaryV2[] } | undefined;
        if (analyzer) {
            show.step("Access Analyzer unused-access findings");
            const list = await unusedAccessFindings(aws, analyzer).catch((e) => {
                if (!denied(e)) throw e;
                return [];
            });
            findings = { analyzer, list };
        }

        let done = 0;
        const reviews = await Promise.all(
            principals.map(async (p) => {
                const r = listRoles && p.kind === "permission set" ? deniedReview(p, listRoles) : await reviewPrincipal(aws, p, findings, days, timing, now);
                show.step(`access advisor: ${++done}/${principals.length} principals`);
                if (r.missingPermission) missing.add(r.missingPermission);
                return r;
            }),
        );
        // The org config names environments by account; the workload stack's name is the fallback.
        const environment = (config !== undefined && account !== undefined ? environmentOf(config, account) : undefined) ?? stackName;
        const groupAccess = unusedGroupAccess(reviews, principals, environment, config);

        let validation: PolicyValidation[] | undefined;
        if (args.booleans.has("--validate")) {
            validation = [];
            for (const stack of stacks) {
                try {
                    validation.push(...(await validateStack(aws, stack, show.step)));
                } catch (e) {
                    if (!denied(e)) throw e;
                }
            }
        }
        show.done();

        const problems =
            reviews.some((r) => r.unused.length > 0 || r.unusedAccessFindings.length > 0 || r.status === "incomplete") ||
            groupAccess.length > 0 ||
            (validation ?? []).some((v) => v.accessAnalyzer.some((f) => f.findingType === "ERROR" || f.findingType === "SECURITY_WARNING") || v.pack.some((p) => p.enforcementLevel === "mandatory"));
        const exitCode = missing.size ? EXIT_USAGE : problems ? EXIT_VIOLATIONS : EXIT_OK;
        const report: AccessReviewReport = {
            command: "access-review",
            stack: stackName,
            ...(account ? { account } : {}),
            days,
            sources: stacks.map((s) => s.source),
            principals: reviews,
            unusedGroupAccess: groupAccess,
            ...(analyzer ? { unusedAccessAnalyzer: analyzer.arn } : {}),
            ...(validation ? { validation } : {}),
            missingPermissions: [...missing].sort(),
            exitCode,
        };
        io.stdout(args.booleans.has("--json") ? JSON.stringify(report, null, 2) + "\n" : renderReview(report, io.color));
        return exitCode;
    } catch (e) {
        if (e instanceof UsageError || e instanceof AwsSetupError) {
            io.stderr(`access-review: ${e.message}\n`);
            return EXIT_USAGE;
        }
        if (e instanceof MissingPermission) {
            io.stderr(`access-review: ${e.message}; ops/access-review-policy.json has every action this command needs\n`);
            return EXIT_USAGE;
        }
        throw e;
    }
}

export function renderReview(r: AccessReviewReport, color: boolean): string {
    const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
    const lines: string[] = [`Access review of stack ${r.stack}${r.account ? ` (account ${r.account})` : ""}: actions unused in the last ${r.days} days`, ""];
    for (const p of r.principals) {
        const who = `${p.kind} ${p.name}${p.groups.length ? ` (groups: ${p.groups.join(", ")})` : ""}`;
        if (p.status !== "reviewed") {
            const mark = p.status === "no-access" ? paint("33", "DENY") : p.status === "incomplete" ? paint("31", "INCOMPLETE") : paint("2", "SKIP");
            lines.push(`${mark} ${who}: ${p.problem}`);
            continue;
        }
        const head = p.unused.length || p.unusedAccessFindings.length ? paint("31", "UNUSED") : paint("32", "OK");
        lines.push(`${head} ${who}: ${p.unused.length} of ${p.granted} granted actions unused, ${p.used.length} used, ${p.notTracked.length} not tracked by action`);
        for (const u of p.unused) lines.push(`    ${u.action}  ${u.lastAccessed ? `last used ${u.lastAccessed.slice(0, 10)}` : "never used"}`);
        for (const f of p.unusedAccessFindings) lines.push(`    Access Analyzer: ${f.findingType} (${f.id})${f.unusedActions ? `: ${f.unusedActions.join(", ")}` : ""}`);
        for (const n of p.notes) lines.push(`    note: ${n}`);
    }
    lines.push("");
    if (r.unusedGroupAccess.length) {
        lines.push("Named access nobody used:");
        for (const g of r.unusedGroupAccess) lines.push(`  ${g.group} ${g.access} in ${g.environment} (${g.actions.join(", ")}) -> ${g.change}`);
    } else {
        lines.push("Named access nobody used: none");
    }
    lines.push(r.unusedAccessAnalyzer ? `Unused-access analyzer: ${r.unusedAccessAnalyzer}` : "Unused-access analyzer: none in the stack (findings not read)");
    if (r.validation) {
        lines.push("", "Policy validation (Access Analyzer ValidatePolicy | policy pack):");
        for (const v of r.validation) {
            if (!v.accessAnalyzer.length && !v.pack.length) continue;
            lines.push(`  ${v.resource} (${v.type} ${v.property})`);
            for (const f of v.accessAnalyzer) lines.push(`    Access Analyzer ${f.findingType} ${f.issueCode}: ${f.details}`);
            for (const p of v.pack) lines.push(`    pack ${p.enforcementLevel} ${p.policy}: ${p.message.split("\n")[0]}`);
        }
        const clean = r.validation.filter((v) => !v.accessAnalyzer.length && !v.pack.length).length;
        lines.push(`  ${clean} of ${r.validation.length} documents with no finding from either`);
    }
    if (r.missingPermissions.length) lines.push("", `Missing permissions: ${r.missingPermissions.join(", ")} (ops/access-review-policy.json has every action this command needs)`);
    return lines.join("\n") + "\n";
}

/** The IAM actions access-review needs (the README's policy document is tested against these). */
export const ACCESS_REVIEW_ACTIONS = ACCESS_REVIEW_OPERATIONS.map((op) => OPERATIONS[op]);

if (require.main === module) runAsCli(main);
