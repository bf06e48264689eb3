// The report `plan` and `check` print: one JSON document (`--json`) or plain text for a newcomer, in three sections
// (what gets created, what the pack says, who can do what). Both commands build it with `buildReport`, so the
// JSON shape and the exit code rule ("1 when a mandatory violation remains") are written once.

import { policies } from "../../policypack/policies";
import { suppressedResourceViolations, suppressedStackViolations } from "../../policypack/policies/suppressedViolations";
import { PackConfig, PackRunResult, RunnerResource, runPack } from "./packRunner";
import { ActionAccess, EffectiveStatement, EnvironmentAccess, EnvironmentInput, PrincipalPermissions, effectivePermissions, environmentAccess } from "./permissions";

export interface ReportResource {
    urn: string;
    type: string;
    name: string;
    parent?: string;
    inputs: Record<string, unknown>;
}

export interface ReportViolation {
    policy: string;
    urn: string;
    type: string;
    name: string;
    enforcementLevel: string;
    message: string;
}

export interface ReportSuppression {
    policy: string;
    urn: string;
    resource: string;
    reason: string;
    message: string;
}

export interface Report {
    stack: string;
    /** Absent for `check`, whose input already is the list of resources. */
    resources?: ReportResource[];
    violations: ReportViolation[];
    suppressed: ReportSuppression[];
    /** Suppressions in the pack config that matched no violation. */
    unusedSuppressions: { policy: string; resource: string; reason: string }[];
    /** Pack config entries that do nothing (unknown policy or option), each with a "did you mean". */
    configWarnings: string[];
    permissions: PrincipalPermissions[];
    /** Org stacks only (`plan --stack org`): who can do what in each environment's account. */
    environments?: EnvironmentAccess[];
}

/** The policies that re-report suppressions as advisories; the report lists suppressions on their own instead. */
const SUPPRESSION_REPORTERS = new Set([suppressedResourceViolations.name, suppressedStackViolations.name]);

export interface BuiltReport {
    report: Report;
    /** How many policies ran (for the text header). */
    policyCount: number;
}

/** Runs the pack and the permissions matrix over `resources`. Throws PackConfigError for an invalid pack config. */
export async function buildReport(
    stack: string,
    resources: RunnerResource[],
    packConfig: PackConfig,
    withResources: boolean,
    environments?: EnvironmentInput[],
): Promise<BuiltReport> {
    const result: PackRunResult = await runPack(policies, resources, packConfig);
    const permissions = await effectivePermissions(resources);
    const report: Report = {
        stack,
        ...(withResources
            ? { resources: resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, ...(r.parent ? { parent: r.parent } : {}), inputs: r.props })) }
            : {}),
        violations: result.violations
            .filter((v) => !SUPPRESSION_REPORTERS.has(v.policy))
            .map((v) => ({ policy: v.policy, urn: v.urn, type: v.type, name: v.name, enforcementLevel: v.enforcementLevel, message: v.message })),
        suppressed: result.suppressed.map((s) => ({ policy: s.policy, urn: s.urn, resource: s.resource, reason: s.reason, message: s.message })),
        unusedSuppressions: result.unusedSuppressions,
        configWarnings: result.warnings,
        permissions,
        ...(environments ? { environments: await environmentAccess(resources, permissions, environments) } : {}),
    };
    return { report, policyCount: result.policies - [...SUPPRESSION_REPORTERS].filter((n) => policies.some((p) => p.name === n)).length };
}

export function mandatoryViolations(report: Report): ReportViolation[] {
    return report.violations.filter((v) => v.enforcementLevel === "mandatory");
}

// ---------------------------------------------------------------- text rendering

interface Style {
    bold(s: string): string;
    red(s: string): string;
    yellow(s: string): string;
    dim(s: string): string;
}

function style(color: boolean): Style {
    const wrap = (code: string) => (s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
    return { bold: wrap("1"), red: wrap("31"), yellow: wrap("33"), dim: wrap("2") };
}

export interface RenderOptions {
    color: boolean;
    /** Where the resources came from, for the title: `index.ts on mocks` or a file name. */
    source: string;
    policyCount: number;
    /** Resource ARN -> label (`table 'tickets'`), to name what a statement reaches instead of printing raw ARNs. */
    arnLabels?: Map<string, string>;
}

/** `aws:iam/role:Role` -> `iam Role`; component and provider types stay whole. */
export function shortType(type: string): string {
    const m = /^aws:([a-z0-9]+)\/[^:]+:(.+)$/i.exec(type);
    return m ? `${m[1]} ${m[2]}` : type;
}

function pad(s: string, width: number): string {
    return s.length >= width ? s : s + " ".repeat(width - s.length);
}

function section(out: string[], st: Style, title: string, explanation: string): void {
    out.push("", st.bold(title), st.dim(explanation), "");
}

function renderTree(out: string[], resources: ReportResource[]): void {
    const children = new Map<string, ReportResource[]>();
    const urns = new Set(resources.map((r) => r.urn));
    const roots: ReportResource[] = [];
    for (const r of resources) {
        if (r.parent && urns.has(r.parent)) {
            const list = children.get(r.parent);
            if (list) list.push(r);
            else children.set(r.parent, [r]);
        } else {
            roots.push(r);
        }
    }
    const walk = (r: ReportResource, prefix: string, last: boolean, root: boolean) => {
        out.push(`  ${prefix}${root ? "" : last ? "└─ " : "├─ "}${r.type}  ${r.name}`);
        const kids = children.get(r.urn) ?? [];
        const next = root ? prefix : prefix + (last ? "   " : "│  ");
        kids.forEach((k, i) => walk(k, next, i === kids.length - 1, false));
    };
    roots.forEach((r) => walk(r, "", true, true));

    const counts = new Map<string, number>();
    for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    out.push("", "  Count per type:");
    const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const width = String(sorted[0]?.[1] ?? 0).length;
    for (const [type, n] of sorted) out.push(`  ${String(n).padStart(width + 2)}  ${type}`);
    out.push(`  ${String(resources.length).padStart(width + 2)}  total`);
}

function renderViolations(out: string[], st: Style, report: Report): void {
    if (report.violations.length === 0) out.push("  No violations: every policy passed on every resource.");
    const byPolicy = new Map<string, ReportViolation[]>();
    for (const v of report.violations) {
        const list = byPolicy.get(v.policy);
        if (list) list.push(v);
        else byPolicy.set(v.policy, [v]);
    }
    const rank = (vs: ReportViolation[]) => (vs.some((v) => v.enforcementLevel === "mandatory") ? 0 : 1);
    for (const [policy, vs] of [...byPolicy.entries()].sort((a, b) => rank(a[1]) - rank(b[1]) || a[0].localeCompare(b[0]))) {
        const level = vs[0].enforcementLevel;
        const tag = level === "mandatory" ? st.red("MANDATORY") : st.yellow(level.toUpperCase());
        out.push(`  ${tag}  ${st.bold(policy)}  (${vs.length} violation${vs.length === 1 ? "" : "s"})`);
        for (const v of vs) {
            out.push(`    - ${v.name || "(stack)"}  [${v.type || "stack"}]`);
            for (const line of v.message.split("\n")) out.push(`        ${line}`);
        }
    }
    out.push("");
    for (const w of report.configWarnings) out.push(`  ${st.yellow("WARNING")}  ${w}`);
    if (report.suppressed.length === 0) {
        out.push(report.unusedSuppressions.length ? "  Suppressed: none." : "  Suppressed: none (no suppressions in the pack config).");
    } else {
        out.push(`  Suppressed (allowed on purpose by the pack config; each with its reason):`);
        for (const s of report.suppressed) {
            out.push(`    - ${s.policy} on ${s.resource}`, `        reason: ${s.reason}`, `        would have said: ${s.message}`);
        }
    }
    if (report.unusedSuppressions.length) {
        out.push(`  ${st.yellow("Unused suppressions")} (they match no violation: the resource is gone, fixed, or the pattern is misspelt):`);
        for (const u of report.unusedSuppressions) out.push(`    - ${u.policy} on "${u.resource}" (reason: ${u.reason})`);
    }
}

function labelResource(resource: string, labels: Map<string, string> | undefined): string {
    if (!labels || !resource.startsWith("arn:")) return resource;
    const exact = labels.get(resource);
    if (exact) return exact;
    // `arn:...:table/tickets/index/*` -> `dynamodb Table 'tickets'/index/*`
    let best: [string, string] | undefined;
    for (const [arn, label] of labels) {
        if (resource.startsWith(arn) && /^[/:]/.test(resource.slice(arn.length)) && (!best || arn.length > best[0].length)) best = [arn, label];
    }
    return best ? `${best[1]}${resource.slice(best[0].length)}` : resource;
}

const actionText = (a: ActionAccess) => (a.matches !== undefined ? `${a.action} (${a.matches} actions)` : a.action);

function renderStatement(out: string[], st: Style, s: EffectiveStatement, labels: Map<string, string> | undefined, levelWidth: number): void {
    const resources = [
        ...s.resources.map((r) => labelResource(r, labels)),
        ...(s.notResources ?? []).map((r) => `every resource except ${labelResource(r, labels)}`),
    ];
    const where = resources.length ? resources.join(", ") : "(no resource)";
    const verb = s.effect === "Allow" ? "" : `${s.effect.toUpperCase()} `;
    out.push(`      ${st.dim(`${verb}from ${s.source}${s.sid ? ` (Sid ${s.sid})` : ""}`)}`);
    if (s.notActions) out.push(`        ${pad("ALL EXCEPT", 24)}${s.notActions.join(", ")}  on ${where}`);
    const width = Math.max(0, ...s.actions.map((a) => actionText(a).length)) + 2;
    s.actions.forEach((a, i) => {
        const blocked = a.allowedByBoundary === false
            ? st.yellow("  (the boundary does not allow it: no effect)")
            : a.allowedByBoundary === "partly" ? st.yellow("  (the boundary allows only some of these)") : "";
        out.push(`        ${pad(a.accessLevel, levelWidth)}${pad(actionText(a), width)}${i === 0 ? `on ${where}` : ""}${blocked}`.trimEnd());
    });
    for (const c of s.conditions) out.push(`        ${pad("", levelWidth)}when ${c}`);
}

function renderPermissions(out: string[], st: Style, report: Report, labels: Map<string, string> | undefined): void {
    if (report.permissions.length === 0) out.push("  The stack creates no IAM principal.");
    for (const p of report.permissions) {
        const assigned = p.assignedTo.length ? `  assigned to group ${p.assignedTo.join(", ")}` : "";
        out.push(`  ${st.bold(`${p.kind} '${p.principal}'`)}  [${p.type}]${assigned}`);
        if (p.boundary.length === 0) {
            out.push(`    boundary: ${p.kind === "group" ? "(groups have none; their users' boundaries apply)" : st.red("none")}`);
        } else if (p.boundaryOutsideStack) {
            out.push(`    boundary: ${p.boundary.join(", ")} (outside this stack, not evaluated)`);
        } else {
            out.push(`    boundary: ${p.boundary.join(", ")} (effective permission = grants ∩ boundary)`);
        }
        if (p.statements.length === 0 && p.unknownDocuments.length === 0) out.push("    grants: none");
        for (const d of p.unknownDocuments) out.push(`      ${st.yellow(`from ${d}: not known until deployed (\`pulumi up\` checks it)`)}`);
        const levelWidth = Math.max(8, ...p.statements.flatMap((s) => s.actions.map((a) => a.accessLevel.length))) + 2;
        for (const s of p.statements) renderStatement(out, st, s, labels, levelWidth);
        out.push("");
    }
}

/** Actions that change something: what "who can write to X?" asks about. */
const CHANGES = /Write|Permissions management|Tagging|every action/;

function renderWriters(out: string[], report: Report, labels: Map<string, string> | undefined): void {
    const writers = new Map<string, Map<string, Set<string>>>();
    for (const p of report.permissions) {
        for (const s of p.statements) {
            if (s.effect !== "Allow") continue;
            const actions = s.actions.filter((a) => CHANGES.test(a.accessLevel) && a.allowedByBoundary !== false).map(actionText);
            if (actions.length === 0) continue;
            const targets = [...s.resources.map((r) => labelResource(r, labels)), ...(s.notResources ?? []).map((r) => `every resource except ${labelResource(r, labels)}`)];
            for (const t of targets) {
                const byPrincipal = writers.get(t) ?? new Map<string, Set<string>>();
                writers.set(t, byPrincipal);
                const key = `${p.kind} '${p.principal}'${p.assignedTo.length ? ` (group ${p.assignedTo.join(", ")})` : ""}`;
                const set = byPrincipal.get(key) ?? new Set<string>();
                byPrincipal.set(key, set);
                for (const a of actions) set.add(a);
            }
        }
    }
    if (writers.size === 0) out.push("  Nothing: no principal is granted a Write, Permissions management or Tagging action.");
    for (const [target, byPrincipal] of [...writers.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
        out.push(`  ${target}`);
        for (const [principal, actions] of byPrincipal) out.push(`    ${principal}: ${[...actions].join(", ")}`);
    }
}

/** The text report, ending with the verdict that decides the exit code. */
export function renderText(built: BuiltReport, options: RenderOptions): string {
    const { report } = built;
    const st = style(options.color);
    const out: string[] = [];
    out.push(st.bold(`SwiftSupport report for stack "${report.stack}"`) + ` (from ${options.source})`);
    if (report.resources) {
        section(out, st, "1. RESOURCES", "What would be created, nested the way `pulumi preview` shows it: components contain their children.");
        renderTree(out, report.resources);
    }
    section(
        out,
        st,
        `${report.resources ? "2" : "1"}. POLICY REPORT`,
        `${options.policyCount} policies of the CrossGuard pack in policypack/ ran. MANDATORY violations block \`pulumi up\`; ADVISORY ones are warnings.`,
    );
    renderViolations(out, st, report);
    section(
        out,
        st,
        `${report.resources ? "3" : "2"}. EFFECTIVE PERMISSIONS`,
        "Who can do what: each principal (permission set, role, user, group), every action it is granted with the action's\n" +
            "access level (from the AWS Service Authorization Reference) and the resources it reaches. A principal with a\n" +
            "permissions boundary can only use actions the boundary also allows.",
    );
    renderPermissions(out, st, report, options.arnLabels);
    section(
        out,
        st,
        `${report.resources ? "4" : "3"}. WHO CAN CHANGE WHAT`,
        "The matrix above turned around: for each resource, the principals whose Write, Permissions management or\n" +
            "Tagging actions reach it (after their boundaries).",
    );
    renderWriters(out, report, options.arnLabels);
    if (report.environments) {
        section(
            out,
            st,
            `${report.resources ? "5" : "4"}. WHO CAN DO WHAT IN EACH ACCOUNT`,
            "Per environment: each group's permission set assigned in that account, its members, and what it allows there,\n" +
                "checked against the people boundary that account's workload stack creates; then each user through their groups.",
        );
        renderEnvironments(out, st, report.environments, options.arnLabels);
    }
    out.push("");
    const mandatory = mandatoryViolations(report);
    const advisory = report.violations.length - mandatory.length;
    out.push(
        mandatory.length
            ? st.red(`RESULT: FAIL - ${mandatory.length} mandatory violation${mandatory.length === 1 ? "" : "s"}; \`pulumi up\` with this pack would be refused.`)
            : `RESULT: PASS - no mandatory violation (${advisory} advisory, ${report.suppressed.length} suppressed).`,
    );
    return out.join("\n") + "\n";
}

function renderEnvironments(out: string[], st: Style, environments: EnvironmentAccess[], labels: Map<string, string> | undefined): void {
    for (const env of environments) {
        out.push(`  ${st.bold(`${env.environment}: account ${env.accountId}`)}  (workload stack ${env.stack})`);
        if (env.groups.length === 0) out.push("    nobody: no permission set is assigned in this account");
        for (const g of env.groups) {
            const boundary = g.boundary.createdBy
                ? `boundary ${g.boundary.path}${g.boundary.name} (${g.boundary.createdBy})`
                : st.red(`boundary ${g.boundary.path}${g.boundary.name}: the workload stack creates no such policy`);
            out.push(`    group ${st.bold(g.group)}  permission set ${g.permissionSet}${g.sessionDuration ? `, session ${g.sessionDuration}` : ""}, ${boundary}`);
            out.push(`      members: ${g.members.join(", ") || "(none)"}`);
            const levelWidth = Math.max(8, ...g.statements.flatMap((s) => s.actions.map((a) => a.accessLevel.length))) + 2;
            for (const s of g.statements) renderStatement(out, st, s, labels, levelWidth);
        }
        for (const u of env.users) {
            out.push(`    user ${st.bold(u.user)}: ${u.permissionSets.join(", ")} (groups ${u.groups.join(", ")}), ${u.actions.length} actions`);
        }
        out.push("");
    }
}

/** ARN -> `<short type> '<name>'` for every resource whose props or outputs carry an `arn`. */
export function arnLabelsOf(entries: { type: string; name: string; arn?: unknown }[]): Map<string, string> {
    const labels = new Map<string, string>();
    for (const e of entries) {
        if (typeof e.arn === "string" && e.arn.startsWith("arn:") && !e.arn.includes("*")) labels.set(e.arn, `${shortType(e.type)} '${e.name}'`);
    }
    return labels;
}
