// The effective-permissions matrix: for every principal the stack creates (roles, users, groups, Identity Center
// permission sets), what it may do, with each action's access level from the IAM dataset, the resources it reaches
// and whether its permissions boundary lets the action through. The pack's own principal graph decides which
// documents reach which principal (policypack/lib/principalGraph.ts); the PolicyResource objects it walks are built
// by the pack runner itself, through a one-off stack policy that only captures them, so there is no second reader.

import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { IamStatement, hasWildcard, isUnconditionalDenyOnAll, statementCoversAction } from "../../policypack/lib/iamDocument";
import { expandAction, lookupAction, prepareActions } from "../../policypack/lib/iamDataset";
import { Grant, PrincipalNode, T, principalGraph } from "../../policypack/lib/principalGraph";
import { describeDocument, identityDocumentTypes, readResourceDocuments } from "../../policypack/lib/iamDocumentSources";
import { StackIndex, stackIndex } from "../../policypack/lib/stackIndex";
import { UNKNOWN, readProp } from "../../policypack/lib/unknown";
import { RunnerResource, runPack } from "./packRunner";

const IDENTITY_STORE_GROUP = "aws:identitystore/group:Group";
const ACCOUNT_ASSIGNMENT = "aws:ssoadmin/accountAssignment:AccountAssignment";

export interface ActionAccess {
    /** `service:Action` as the dataset spells it (or as written, when the dataset does not know it). */
    action: string;
    /**
     * Read, Write, List, Tagging or Permissions management; `Unknown` when the dataset has no such action. For a
     * wildcard pattern, the levels of the actions it matches, most frequent first.
     */
    accessLevel: string;
    /** For a wildcard pattern: how many actions it matches. */
    matches?: number;
    /**
     * Whether the principal's boundary allows it: false means the grant has no effect, "partly" that only some of
     * the actions a wildcard matches get through. Absent without a readable boundary.
     */
    allowedByBoundary?: boolean | "partly";
}

export interface EffectiveStatement {
    /** The document the statement comes from, e.g. `RolePolicy 'submit-policy' policy`. */
    source: string;
    sid?: string;
    effect: string;
    /** Action patterns expanded to the concrete actions they match. */
    actions: ActionAccess[];
    /** Set for a NotAction statement: everything except these. */
    notActions?: string[];
    resources: string[];
    notResources?: string[];
    /** `Operator key=value,...` per condition. */
    conditions: string[];
}

export interface PrincipalPermissions {
    /** Logical name of the principal resource. */
    principal: string;
    kind: "role" | "user" | "group" | "permission set";
    urn: string;
    type: string;
    /** For a permission set: the Identity Center groups it is assigned to. */
    assignedTo: string[];
    /**
     * The permissions boundary: labels of the boundary documents read from the stack, or the referenced ARN/name
     * when the boundary is outside the stack (then it is not evaluated). Empty when there is none.
     */
    boundary: string[];
    /** True when a boundary is referenced but could not be read, so `allowedByBoundary` is not computed. */
    boundaryOutsideStack: boolean;
    statements: EffectiveStatement[];
    /**
     * Documents that will reach this principal but are unknown until deployed (e.g. a policy built from a table ARN
     * that does not exist yet, in a preview): not in `statements`; `pulumi up` checks them.
     */
    unknownDocuments: string[];
}

/** The PolicyResource objects the runner hands to stack policies, captured once. */
async function policyResources(resources: RunnerResource[]): Promise<readonly PolicyResource[]> {
    let captured: readonly PolicyResource[] = [];
    const capture: StackValidationPolicy = {
        name: "capture-stack-resources",
        description: "Captures the stack's resources for the effective-permissions matrix.",
        enforcementLevel: "advisory",
        validateStack: (args) => {
            captured = args.resources;
        },
    };
    await runPack([capture], resources);
    return captured;
}

function conditionText(s: IamStatement): string[] {
    return s.conditions.map((c) => `${c.operator} ${c.key}=${c.values.join(",")}`);
}

/** Whether the boundary documents allow `action` (some Allow covers it, no Deny on every resource removes it). */
function boundaryAllows(boundaries: Grant[], action: string): boolean {
    const statements = boundaries.flatMap((b) => b.doc.statements);
    const denied = statements.some((s) => isUnconditionalDenyOnAll(s) && statementCoversAction(s, action));
    return !denied && statements.some((s) => s.effect === "Allow" && statementCoversAction(s, action));
}

/** One action pattern with its access level; a wildcard is summarised, not expanded (`s3:*` is 180 actions). */
function accessOf(pattern: string, boundaries: Grant[] | undefined): ActionAccess {
    const through = (names: string[]): Pick<ActionAccess, "allowedByBoundary"> => {
        if (!boundaries) return {};
        const allowed = names.filter((n) => boundaryAllows(boundaries, n)).length;
        return { allowedByBoundary: allowed === names.length ? true : allowed === 0 ? false : "partly" };
    };
    if (pattern === "*") return { action: "*", accessLevel: "every action of every service", ...through(["*"]) };
    if (hasWildcard(pattern)) {
        const expanded = expandAction(pattern);
        if (expanded.length === 0) return { action: pattern, accessLevel: "Unknown", matches: 0 };
        const counts = new Map<string, number>();
        for (const a of expanded) for (const level of a.accessLevel.split(/,\s*/)) counts.set(level, (counts.get(level) ?? 0) + 1);
        const levels = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([l]) => l).join(", ");
        return { action: pattern, accessLevel: levels, matches: expanded.length, ...through(expanded.map((a) => a.name)) };
    }
    const info = lookupAction(pattern);
    return { action: info?.name ?? pattern, accessLevel: info?.accessLevel ?? "Unknown", ...through([info?.name ?? pattern]) };
}

function groupsAssigned(index: ReturnType<typeof stackIndex>, permissionSet: PolicyResource): string[] {
    const out: string[] = [];
    for (const a of index.ofType(ACCOUNT_ASSIGNMENT)) {
        const ps = index.resolve(a, "permissionSetArn", [T.permissionSet]);
        if (!ps.targets.includes(permissionSet)) continue;
        const type = readProp(a.props, "principalType");
        const group = index.resolve(a, "principalId", [IDENTITY_STORE_GROUP]);
        if (group.targets.length) {
            for (const g of group.targets) {
                const display = readProp(g.props, "displayName");
                out.push(typeof display === "string" ? display : g.name);
            }
        } else {
            const id = readProp(a.props, "principalId");
            out.push(`${typeof type === "string" ? type.toLowerCase() : "principal"} ${id === UNKNOWN ? "(unknown until deployed)" : String(id)}`);
        }
    }
    return out;
}

/** Principal URN -> identity documents unknown during preview on resources that depend on that principal. */
function unknownDocumentsByPrincipal(index: StackIndex, principals: Set<string>): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const r of index.ofType(...identityDocumentTypes)) {
        const unknown: string[] = [];
        readResourceDocuments(r.type, r.props, (property) => {
            if (property !== "assumeRolePolicy") unknown.push(describeDocument(r.type, r.name, property));
        });
        if (unknown.length === 0) continue;
        const targets = principals.has(r.urn) ? [r.urn] : r.dependencies.map((d) => d.urn).filter((u) => principals.has(u));
        for (const t of targets) out.set(t, [...(out.get(t) ?? []), ...unknown]);
    }
    return out;
}

function boundaryReference(node: PrincipalNode): string | undefined {
    const r = node.resource;
    if (node.kind === "role" || node.kind === "user") {
        const v = readProp(r.props, "permissionsBoundary");
        if (v === UNKNOWN) return "(unknown until deployed)";
        return typeof v === "string" && v !== "" ? v : undefined;
    }
    return undefined;
}

/** The matrix for every principal in `resources`, in stack order (permission sets, roles, users, groups). */
export async function effectivePermissions(resources: RunnerResource[]): Promise<PrincipalPermissions[]> {
    const all = await policyResources(resources);
    const index = stackIndex(all);
    const graph = principalGraph(index);
    const patterns = graph.principals.flatMap((n) =>
        [...n.grants, ...n.boundaries].flatMap((g) => g.doc.statements.flatMap((s) => [...(s.action ?? []), ...(s.notAction ?? [])])),
    );
    await prepareActions(patterns);

    const order: Record<PrincipalPermissions["kind"], number> = { "permission set": 0, role: 1, user: 2, group: 3 };
    const boundaryPending = new Set(graph.unresolvedBoundaries.map((u) => u.resource.urn));
    const unknownDocuments = unknownDocumentsByPrincipal(index, new Set(graph.principals.map((n) => n.resource.urn)));
    return graph.principals
        .slice()
        .sort((a, b) => order[a.kind] - order[b.kind])
        .map((node): PrincipalPermissions => {
            const hasBoundary = node.boundaries.length > 0;
            const reference = hasBoundary ? undefined : boundaryReference(node);
            const statements = node.grants.flatMap((grant) =>
                grant.doc.statements.map((s): EffectiveStatement => ({
                    source: grant.label,
                    ...(s.sid ? { sid: s.sid } : {}),
                    effect: s.effect,
                    actions: (s.action ?? []).map((a) => accessOf(a, hasBoundary && s.effect === "Allow" ? node.boundaries : undefined)),
                    ...(s.notAction ? { notActions: s.notAction } : {}),
                    resources: [...(s.resource ?? []), ...s.unknownParts.filter((p) => p.includes("Resource")).map(() => "(unknown until deployed)")],
                    ...(s.notResource ? { notResources: s.notResource } : {}),
                    conditions: conditionText(s),
                })),
            );
            return {
                principal: node.resource.name,
                kind: node.kind,
                urn: node.resource.urn,
                type: node.resource.type,
                assignedTo: node.kind === "permission set" ? groupsAssigned(index, node.resource) : [],
                boundary: hasBoundary ? node.boundaries.map((b) => b.label) : reference ? [reference] : [],
                boundaryOutsideStack: !hasBoundary && (reference !== undefined || boundaryPending.has(node.resource.urn)),
                statements,
                unknownDocuments: unknownDocuments.get(node.resource.urn) ?? [],
            };
        });
}
