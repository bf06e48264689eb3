// The effective-permissions matrix: for every principal the stack creates (roles, users, groups, Identity Center
// permission sets), what it may do, with each action's access level from the IAM dataset, the resources it reaches
// and whether its permissions boundary lets the action through. The pack's own principal graph decides which
// documents reach which principal (policypack/lib/principalGraph.ts); the PolicyResource objects it walks are built
// by the pack runner itself, through a one-off stack policy that only captures them, so there is no second reader.

import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { hasWildcard, isDocumentError, isUnconditionalDenyOnAll, readIamDocument, statementCoversAction } from "../../policypack/lib/iamDocument";
import { expandAction, lookupAction, prepareActions } from "../../policypack/lib/iamDataset";
import { Grant, PrincipalNode, T, principalGraph } from "../../policypack/lib/principalGraph";
import { describeDocument, identityDocumentTypes, readResourceDocuments } from "../../policypack/lib/iamDocumentSources";
import { StackIndex, stackIndex } from "../../policypack/lib/stackIndex";
import { UNKNOWN, readProp } from "../../policypack/lib/unknown";
import { conditionText, documentedConditionKeys } from "./accessViews";
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
    /** `Operator key=value,...` per condition, the key in its documented case (`kms:ViaService`). */
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

function boundaryReference(index: StackIndex, node: PrincipalNode): string | undefined {
    const r = node.resource;
    if (node.kind === "role" || node.kind === "user") {
        const v = readProp(r.props, "permissionsBoundary");
        if (v === UNKNOWN) return "(unknown until deployed)";
        return typeof v === "string" && v !== "" ? v : undefined;
    }
    if (node.kind === "permission set") {
        // A customer-managed reference names a policy in each account the set is provisioned to, not in this stack.
        for (const a of index.ofType(T.permissionsBoundaryAttachment)) {
            if (!index.resolve(a, "permissionSetArn", [T.permissionSet]).targets.includes(r)) continue;
            const ref = customerManagedReference(a.props);
            if (ref) return `customer-managed policy ${ref.path}${ref.name} in each account the set is assigned to`;
            const arn = readProp(readProp(a.props, "permissionsBoundary"), "managedPolicyArn");
            return typeof arn === "string" ? arn : "(unknown until deployed)";
        }
    }
    return undefined;
}

/** `permissionsBoundary.customerManagedPolicyReference` of a PermissionsBoundaryAttachment, when known. */
function customerManagedReference(props: unknown): { name: string; path: string } | undefined {
    const ref = readProp(readProp(props, "permissionsBoundary"), "customerManagedPolicyReference");
    const name = readProp(ref, "name");
    const path = readProp(ref, "path");
    return typeof name === "string" ? { name, path: typeof path === "string" ? path : "/" } : undefined;
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
    const conditionKeys = await documentedConditionKeys(
        graph.principals.flatMap((n) => n.grants.flatMap((g) => g.doc.statements.flatMap((s) => s.conditions.map((c) => c.key)))),
    );

    const order: Record<PrincipalPermissions["kind"], number> = { "permission set": 0, role: 1, user: 2, group: 3 };
    const boundaryPending = new Set(graph.unresolvedBoundaries.map((u) => u.resource.urn));
    const unknownDocuments = unknownDocumentsByPrincipal(index, new Set(graph.principals.map((n) => n.resource.urn)));
    return graph.principals
        .slice()
        .sort((a, b) => order[a.kind] - order[b.kind])
        .map((node): PrincipalPermissions => {
            const hasBoundary = node.boundaries.length > 0;
            const reference = hasBoundary ? undefined : boundaryReference(index, node);
            const statements = node.grants.flatMap((grant) =>
                grant.doc.statements.map((s): EffectiveStatement => ({
                    source: grant.label,
                    ...(s.sid ? { sid: s.sid } : {}),
                    effect: s.effect,
                    actions: (s.action ?? []).map((a) => accessOf(a, hasBoundary && s.effect === "Allow" ? node.boundaries : undefined)),
                    ...(s.notAction ? { notActions: s.notAction } : {}),
                    resources: [...(s.resource ?? []), ...s.unknownParts.filter((p) => p.includes("Resource")).map(() => "(unknown until deployed)")],
                    ...(s.notResource ? { notResources: s.notResource } : {}),
                    conditions: s.conditions.map((c) => conditionText(c, conditionKeys)),
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

// ---------------------------------------------------------------- per account (the org stack)

/** An account the org stack assigns permission sets in, with the workload stack deployed there. */
export interface EnvironmentInput {
    /** Environment name, e.g. `dev`. */
    name: string;
    accountId: string;
    /** The workload stack the org stack reads for this environment. */
    stack: string;
    /** That workload stack's resources (from its own run), where the people boundary is looked up. */
    resources: RunnerResource[];
}

/** One group's permission set in one account. */
export interface GroupAccess {
    group: string;
    permissionSet: string;
    sessionDuration?: string;
    /** The boundary the set references by name and path, and the workload stack's policy that answers it. */
    boundary: { name: string; path: string; createdBy?: string };
    /** Users in the group (so holding this set in this account). */
    members: string[];
    /** The set's inline policy, each action checked against the boundary the workload stack creates. */
    statements: EffectiveStatement[];
}

/** One user in one account: the permission sets their groups give them there. */
export interface UserAccess {
    user: string;
    groups: string[];
    permissionSets: string[];
    /** Every action the user may use in the account (after the boundary), sorted. */
    actions: string[];
}

/** Who can do what in one account. */
export interface EnvironmentAccess {
    environment: string;
    accountId: string;
    stack: string;
    groups: GroupAccess[];
    users: UserAccess[];
}

const str = (v: unknown) => (typeof v === "string" ? v : undefined);

/**
 * The permission matrix per account for an org stack: which group's permission set is assigned in each account,
 * who is in the group, and what the set allows there, each action checked against the people boundary the
 * account's workload stack creates (found by the name and path the attachment references).
 */
export async function environmentAccess(
    resources: RunnerResource[],
    permissions: PrincipalPermissions[],
    environments: EnvironmentInput[],
): Promise<EnvironmentAccess[]> {
    const ofType = (type: string) => resources.filter((r) => r.type === type);
    const out = (r: RunnerResource, key: string) => str(r.outputs?.[key]) ?? str(r.props[key]);
    const groupName = new Map(ofType(IDENTITY_STORE_GROUP).map((g) => [out(g, "groupId"), out(g, "displayName") ?? g.name]));
    const userName = new Map(ofType("aws:identitystore/user:User").map((u) => [out(u, "userId"), out(u, "userName") ?? u.name]));
    const members = new Map<string, string[]>();
    for (const m of ofType("aws:identitystore/groupMembership:GroupMembership")) {
        const g = groupName.get(str(m.props.groupId));
        const u = userName.get(str(m.props.memberId));
        if (g && u) members.set(g, [...(members.get(g) ?? []), u]);
    }
    const sets = new Map(ofType(T.permissionSet).map((ps) => [out(ps, "arn"), ps]));
    const attachments = ofType(T.permissionsBoundaryAttachment);
    const byUrn = new Map(permissions.map((p) => [p.urn, p]));

    const result: EnvironmentAccess[] = [];
    for (const env of environments) {
        const groups: GroupAccess[] = [];
        for (const a of ofType(ACCOUNT_ASSIGNMENT).filter((x) => x.props.targetId === env.accountId)) {
            const ps = sets.get(str(a.props.permissionSetArn));
            const group = groupName.get(str(a.props.principalId));
            if (!ps || !group) continue;
            const attachment = attachments.find((b) => b.props.permissionSetArn === a.props.permissionSetArn);
            const ref = attachment ? customerManagedReference(attachment.props) : undefined;
            const policy = ref && env.resources.find((r) => r.type === T.policy && str(r.props.name) === ref.name && (str(r.props.path) ?? "/") === ref.path);
            const doc = policy ? readIamDocument(policy.props.policy) : undefined;
            const boundary: Grant[] | undefined = doc && !isDocumentError(doc) ? [{ label: `Policy '${policy!.name}' of stack ${env.stack}`, doc }] : undefined;
            const matrix = byUrn.get(ps.urn);
            const statements = (matrix?.statements ?? []).map((s) => ({
                ...s,
                actions: s.actions.map((x) => accessOf(x.action, s.effect === "Allow" ? boundary ?? [] : undefined)),
            }));
            groups.push({
                group,
                permissionSet: out(ps, "name") ?? ps.name,
                ...(out(ps, "sessionDuration") ? { sessionDuration: out(ps, "sessionDuration") } : {}),
                boundary: { name: ref?.name ?? "(none)", path: ref?.path ?? "", ...(policy ? { createdBy: `${env.stack}: Policy '${policy.name}'` } : {}) },
                members: (members.get(group) ?? []).sort(),
                statements,
            });
        }
        groups.sort((x, y) => x.group.localeCompare(y.group));
        const users = new Map<string, UserAccess>();
        for (const g of groups) {
            const usable = g.statements.filter((s) => s.effect === "Allow").flatMap((s) => s.actions.filter((a) => a.allowedByBoundary !== false).map((a) => a.action));
            for (const u of g.members) {
                const entry = users.get(u) ?? { user: u, groups: [], permissionSets: [], actions: [] };
                entry.groups.push(g.group);
                entry.permissionSets.push(g.permissionSet);
                entry.actions = [...new Set([...entry.actions, ...usable])].sort();
                users.set(u, entry);
            }
        }
        result.push({
            environment: env.name,
            accountId: env.accountId,
            stack: env.stack,
            groups,
            users: [...users.values()].sort((x, y) => x.user.localeCompare(y.user)),
        });
    }
    return result;
}
