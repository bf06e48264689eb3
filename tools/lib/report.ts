// The report `plan` and `check` print: one JSON document (`--json`) or plain text for a newcomer, in three sections
// (what gets created, what the pack says, who can do what). Both commands build it with `buildReport`, so the
// JSON shape and the exit code rule ("1 when a mandatory violation remains") are written once.

import { policies } from "../../policypack/policies";
import { suppressedResourceViolations, suppressedStackViolations } from "../../policypack/policies/suppressedViolations";
import { PackConfig, PackRunResult, RunnerResource, runPack } from "./packRunner";
import { ActionAccess, EffectiveStatement, EnvironmentAccess, EnvironmentInput, PrincipalPermissions, effectivePermissions, environmentAccess } from "./permissions";
import { PersonAccess, ResourceAccess, ServiceAdmission, labelFor, peopleAccess, servicePrincipals, whoCanChange } from "./accessViews";

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
    /** The outcome that decides the exit code. */
    verdict: Verdict;
    /** The stack's outputs (`pulumi stack output`); for `check`, those the input file records. */
    outputs: Record<string, unknown>;
    /** The permissions turned around: per resource, who changes it and who only uses it. */
    changes: ResourceAccess[];
    /** Per Identity Center user: groups and the permission sets they may sign in with. */
    people: PersonAccess[];
    /** The AWS services that resource and trust policies admit. */
    services: ServiceAdmission[];
}

export interface Verdict {
    result: "pass" | "fail";
    /** 0 pass, 1 a mandatory violation remains. */
    exitCode: 0 | 1;
    mandatory: number;
    advisory: number;
    suppressed: number;
    /** How many of the pack's policies ran (the policies listed in policypack/README.md, minus disabled ones). */
    policiesRan: number;
}

/** The policies that re-report suppressions as advisories; the report lists suppressions on their own instead. */
const SUPPRESSION_REPORTERS = new Set([suppressedResourceViolations.name, suppressedStackViolations.name]);

export interface BuiltReport {
    report: Report;
    /** How many policies ran (for the text header). */
    policyCount: number;
}

export interface BuildOptions {
    /** The stack outputs, when the resources do not carry them (the harness records them apart). */
    outputs?: Record<string, unknown>;
    /** Org stacks: the environments whose accounts get the per-account matrix. */
    environments?: EnvironmentInput[];
}

/** Runs the pack and the permissions matrix over `resources`. Throws PackConfigError for an invalid pack config. */
export async function buildReport(stack: string, resources: RunnerResource[], packConfig: PackConfig, withResources: boolean, options: BuildOptions = {}): Promise<BuiltReport> {
    const result: PackRunResult = await runPack(policies, resources, packConfig);
    const permissions = await effectivePermissions(resources);
    const labels = arnLabelsOf(resources.map((r) => ({ type: r.type, name: r.name, arn: r.outputs?.arn ?? r.props.arn })));
    // The org stack's policies name the workload stacks' resources: label them with their environment.
    for (const env of options.environments ?? []) {
        for (const [arn, label] of arnLabelsOf(env.resources.map((r) => ({ type: r.type, name: r.name, arn: r.outputs?.arn ?? r.props.arn })))) {
            labels.set(arn, `${env.name}: ${label}`);
        }
    }
    const violations = result.violations.filter((v) => !SUPPRESSION_REPORTERS.has(v.policy));
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
    const policyCount = result.policies - [...SUPPRESSION_REPORTERS].filter((n) => policies.some((p) => p.name === n)).length;
    const report: Report = {
        stack,
        ...(withResources
            ? { resources: resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, ...(r.parent ? { parent: r.parent } : {}), inputs: r.props })) }
            : {}),
        violations: violations.map((v) => ({ policy: v.policy, urn: v.urn, type: v.type, name: v.name, enforcementLevel: v.enforcementLevel, message: v.message })),
        suppressed: result.suppressed.map((s) => ({ policy: s.policy, urn: s.urn, resource: s.resource, reason: s.reason, message: s.message })),
        unusedSuppressions: result.unusedSuppressions,
        configWarnings: result.warnings,
        permissions,
        ...(options.environments ? { environments: await environmentAccess(resources, permissions, options.environments) } : {}),
        verdict: {
            result: mandatory ? "fail" : "pass",
            exitCode: mandatory ? 1 : 0,
            mandatory,
            advisory: violations.length - mandatory,
            suppressed: result.suppressed.length,
            policiesRan: policyCount,
        },
        outputs: options.outputs ?? resources.find((r) => r.type === "pulumi:pulumi:Stack")?.outputs ?? {},
        changes: whoCanChange(permissions, labels),
        people: peopleAccess(resources, permissions, labels),
        services: await servicePrincipals(resources, labels),
    };
    return { report, policyCount };
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

/** What a tree line adds to type and name: for an S3 object, how it is served (the site's files). */
function treeDetail(r: ReportResource): string {
    if (!S3_OBJECT_TYPES.has(r.type)) return "";
    const { contentType, cacheControl } = r.inputs as { contentType?: unknown; cacheControl?: unknown };
    const served = [contentType, cacheControl].filter((v): v is string => typeof v === "string");
    return served.length > 0 ? `  (${served.join("; ")})` : "";
}

const S3_OBJECT_TYPES = new Set(["aws:s3/bucketObject:BucketObject", "aws:s3/bucketObjectv2:BucketObjectv2"]);

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
        out.push(`  ${prefix}${root ? "" : last ? "└─ " : "├─ "}${r.type}  ${r.name}${treeDetail(r)}`);
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

function labelResource(resource: string, labels: ReadonlyMap<string, string> | undefined): string {
    return labelFor(resource, labels) ?? resource;
}

const actionText = (a: ActionAccess) => (a.matches !== undefined ? `${a.action} (${a.matches} actions)` : a.action);

function renderStatement(out: string[], st: Style, s: EffectiveStatement, labels: Map<string, string> | undefined, levelWidth: number): void {
    const resources = [
        ...s.resources.map((r) => labelResource(r, labels)),
        ...(s.notResources ?? []).map((r) => `every resource except ${labelResource(r, labels)}`),
    ];
    const verb = s.effect === "Allow" ? "" : `${s.effect.toUpperCase()} `;
    out.push(`      ${st.dim(`${verb}from ${s.source}${s.sid ? ` (Sid ${s.sid})` : ""}`)}`);
    // The statement's resources first, one per line; every action below applies to each of them.
    resources.forEach((r, i) => out.push(`        ${i === 0 ? "on " : "   "}${r}`));
    if (resources.length === 0) out.push("        on (no resource)");
    if (s.notActions) out.push(`          ${pad("ALL EXCEPT", levelWidth)}${s.notActions.join(", ")}`);
    for (const a of s.actions) {
        const blocked = a.allowedByBoundary === false
            ? st.yellow("  (the boundary does not allow it: no effect)")
            : a.allowedByBoundary === "partly" ? st.yellow("  (the boundary allows only some of these)") : "";
        out.push(`          ${pad(a.accessLevel, levelWidth)}${actionText(a)}${blocked}`.trimEnd());
    }
    for (const c of s.conditions) out.push(`          when ${c}`);
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

const holderText = (h: { principal: string; groups: string[] }) => `${h.principal}${h.groups.length ? ` (group ${h.groups.join(", ")})` : ""}`;

function renderWriters(out: string[], report: Report): void {
    if (report.changes.length === 0) out.push("  Nothing: no principal is granted an action that changes a resource.");
    for (const entry of report.changes) {
        out.push(`  ${entry.label ?? entry.resource}`);
        for (const h of entry.changedBy) out.push(`    ${holderText(h)}: ${h.actions.join(", ")}`);
        if (entry.changedBy.length === 0) out.push("    nobody changes it");
        if (entry.usedBy.length) out.push(`    uses it without changing it: ${entry.usedBy.map((h) => `${holderText(h)} (${h.actions.join(", ")})`).join("; ")}`);
    }
}

function renderPeople(out: string[], report: Report): void {
    if (report.people.length === 0) out.push("  The stack creates no Identity Center user.");
    for (const person of report.people) {
        out.push(`  ${person.user}${person.displayName ? ` (${person.displayName})` : ""}  groups: ${person.groups.join(", ") || "none"}`);
        if (person.permissionSets.length === 0) out.push("    no permission set: can sign in to nothing in this account");
        for (const set of person.permissionSets) {
            const changes = set.changes.map((c) => `${c.resource} (${c.actions.join(", ")})`).join("; ");
            out.push(`    ${set.name} (via ${set.viaGroups.join(", ")}): ${set.readActions} read/list action${set.readActions === 1 ? "" : "s"}; ${changes ? `changes ${changes}` : "changes nothing"}`);
        }
    }
}

function renderServices(out: string[], report: Report): void {
    if (report.services.length === 0) out.push("  No resource or trust policy admits an AWS service.");
    for (const s of report.services) {
        out.push(`  ${s.service}  ->  ${s.on} (${s.via}): ${s.actions.join(", ")}${s.resources.length ? ` on ${s.resources.join(", ")}` : ""}`);
        for (const c of s.conditions) out.push(`      when ${c}`);
        if (s.conditions.length === 0 && s.via === "resource policy") out.push("      (no condition: any use of this service, from any account, is admitted)");
    }
}

/** `{ functions: { status: "arn" } }` -> `[["functions.status", "arn"]]`: one line per value. */
function flatten(value: unknown, prefix: string): [string, unknown][] {
    if (value === null || typeof value !== "object" || (Array.isArray(value) && value.every((v) => typeof v !== "object"))) return [[prefix, value]];
    return Object.entries(value).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
}

function renderOutputs(out: string[], report: Report): void {
    const entries = flatten(report.outputs, "");
    if (entries.length === 0) out.push("  (none)");
    const width = Math.max(0, ...entries.map(([k]) => k.length)) + 2;
    for (const [k, v] of entries) out.push(`  ${pad(k, width)}${typeof v === "string" ? v : Array.isArray(v) ? v.join(", ") : JSON.stringify(v)}`);
}

function verdictLine(st: Style, report: Report): string {
    const v = report.verdict;
    return v.result === "fail"
        ? st.red(`RESULT: FAIL - ${v.mandatory} mandatory violation${v.mandatory === 1 ? "" : "s"}; \`pulumi up\` with this pack would be refused.`)
        : `RESULT: PASS - no mandatory violation (${v.advisory} advisory, ${v.suppressed} suppressed).`;
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
    const n = (k: number) => String(report.resources ? k + 1 : k);
    section(
        out,
        st,
        `${n(3)}. WHO CAN CHANGE WHAT`,
        "The matrix above turned around: for each resource, the principals whose actions change it (Write, Permissions\n" +
            "management or Tagging, after their boundaries), and apart, those that only use it (decrypt with a key, invoke).",
    );
    renderWriters(out, report);
    let next = 4;
    if (report.environments) {
        section(
            out,
            st,
            `${n(next++)}. WHO CAN DO WHAT IN EACH ACCOUNT`,
            "Per environment: each group's permission set assigned in that account, its members, and what it allows there,\n" +
                "checked against the people boundary that account's workload stack creates; then each user through their groups.",
        );
        renderEnvironments(out, st, report.environments, options.arnLabels);
    }
    section(out, st, `${n(next++)}. PEOPLE`, "Each Identity Center user, their groups, and the permission sets they may sign in with (one per session).");
    renderPeople(out, report);
    section(out, st, `${n(next++)}. AWS SERVICES LET IN`, "The service principals that resource policies (bucket, key, queue, log, Lambda permissions) and role trust admit.");
    renderServices(out, report);
    section(out, st, `${n(next)}. STACK OUTPUTS`, report.resources ? "What `pulumi stack output` would show (values as the mocks resolve them)." : "As the input file records them.");
    renderOutputs(out, report);
    out.push("", verdictLine(st, report));
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

/** At most `max` lines of `lines`, then how many were left out. */
function capped(lines: string[], max: number, rest: string): string[] {
    return lines.length <= max ? lines : [...lines.slice(0, max - 1), `  ... and ${lines.length - max + 1} more ${rest}`];
}

/** The report in under 60 lines for a terminal (`--summary`): counts and one line per finding, principal and person. */
export function renderSummary(built: BuiltReport, options: RenderOptions): string {
    const { report } = built;
    const st = style(options.color);
    const out: string[] = [st.bold(`SwiftSupport summary for stack "${report.stack}"`) + ` (from ${options.source}; the full report without --summary)`];
    if (report.resources) {
        const counts = new Map<string, number>();
        for (const r of report.resources) if (r.type.startsWith("aws:")) counts.set(shortType(r.type), (counts.get(shortType(r.type)) ?? 0) + 1);
        const top = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 6).map(([t, n]) => `${n} ${t}`);
        out.push(`Resources: ${report.resources.length} (${top.join(", ")}, ...)`);
    }
    const v = report.verdict;
    out.push(`Policies: ${v.policiesRan} ran; ${v.mandatory} mandatory, ${v.advisory} advisory, ${v.suppressed} suppressed`);
    const sorted = [...report.violations].sort((a, b) => (a.enforcementLevel === "mandatory" ? 0 : 1) - (b.enforcementLevel === "mandatory" ? 0 : 1));
    out.push(...capped(sorted.map((x) => `  ${x.enforcementLevel === "mandatory" ? st.red("MANDATORY") : st.yellow(x.enforcementLevel.toUpperCase())} ${x.policy} on ${x.name || "(stack)"}`), 10, "violations"));
    out.push("Principals (boundary; what they change):");
    out.push(
        ...capped(
            report.permissions.map((p) => {
                const changes = report.changes.filter((c) => c.changedBy.some((h) => h.principal === `${p.kind} '${p.principal}'`)).map((c) => c.label ?? c.resource);
                const boundary = p.boundary.length ? p.boundary.map((b) => b.replace(/ policy$/, "")).join(", ") : st.red("NO BOUNDARY");
                return `  ${p.kind} '${p.principal}' [${boundary}]: ${changes.length ? changes.join(", ") : "changes nothing"}`;
            }),
            12,
            "principals",
        ),
    );
    out.push("Who can change each resource:");
    out.push(...capped(report.changes.filter((c) => c.changedBy.length).map((c) => `  ${c.label ?? c.resource}: ${c.changedBy.map((h) => h.principal).join(", ")}`), 12, "resources"));
    if (report.people.length) {
        out.push("People (permission sets they may sign in with):");
        out.push(...capped(report.people.map((p) => `  ${p.user}: ${p.permissionSets.map((s) => s.name).join(" | ") || "none"}`), 6, "users"));
    }
    const admitted = new Map<string, Set<string>>();
    for (const s of report.services) admitted.set(s.service, (admitted.get(s.service) ?? new Set()).add(s.on));
    out.push(`AWS services let in:${admitted.size ? "" : " none"}`);
    out.push(...capped([...admitted].map(([service, on]) => `  ${service} -> ${[...on].join(", ")}`), 8, "services"));
    const outputs = Object.keys(report.outputs);
    out.push(`Stack outputs: ${outputs.length ? outputs.join(", ") : "none"}`);
    out.push(verdictLine(st, report));
    return out.join("\n") + "\n";
}
