// The per-stack principal graph: which IAM documents reach which role, user, group and IAM Identity Center
// permission set, through inline policies, RolePolicy/UserPolicy/GroupPolicy, policy attachments (single, shared and
// exclusive), group membership, permission-set inline/managed/customer-managed attachments, and AWS managed policies
// (read from the maintained dataset, lib/awsManagedPolicies.ts); plus which documents serve as permissions boundaries. Built once per stack validation.

import { PolicyResource } from "@pulumi/policy";
import { awsManagedPolicyDocument, awsManagedPolicyName } from "./awsManagedPolicies";
import { IamDocument, isDocumentError } from "./iamDocument";
import { describeDocument, readResourceDocuments } from "./iamDocumentSources";
import { StackIndex } from "./stackIndex";
import { UNKNOWN, readProp } from "./unknown";

export const T = {
    role: "aws:iam/role:Role",
    user: "aws:iam/user:User",
    group: "aws:iam/group:Group",
    policy: "aws:iam/policy:Policy",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    userPolicy: "aws:iam/userPolicy:UserPolicy",
    groupPolicy: "aws:iam/groupPolicy:GroupPolicy",
    rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    userPolicyAttachment: "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    groupPolicyAttachment: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
    policyAttachment: "aws:iam/policyAttachment:PolicyAttachment",
    rolePolicyAttachmentsExclusive: "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
    userPolicyAttachmentsExclusive: "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive",
    groupPolicyAttachmentsExclusive: "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive",
    groupMembership: "aws:iam/groupMembership:GroupMembership",
    userGroupMembership: "aws:iam/userGroupMembership:UserGroupMembership",
    permissionSet: "aws:ssoadmin/permissionSet:PermissionSet",
    permissionSetInlinePolicy: "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy",
    managedPolicyAttachment: "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment",
    customerManagedPolicyAttachment: "aws:ssoadmin/customerManagedPolicyAttachment:CustomerManagedPolicyAttachment",
    permissionsBoundaryAttachment: "aws:ssoadmin/permissionsBoundaryAttachment:PermissionsBoundaryAttachment",
} as const;

/**
 * A managed policy tagged so is a permissions boundary for principals in another stack (e.g. Identity Center
 * permission sets of an org stack, which reference it by name in this account): this stack cannot see that reference.
 * It still counts as a grant wherever this stack attaches it as one.
 */
export const BOUNDARY_TAG = { key: "policy-pack:permissions-boundary", value: "true" } as const;

export type PrincipalKind = "role" | "user" | "group" | "permission set";

/** A document reaching a principal, and from where (for messages). */
export interface Grant {
    /** e.g. `RolePolicy 'api-read' policy`, `AWS managed policy AdministratorAccess`, `Policy 'x' policy (via group 'devs')`. */
    label: string;
    doc: IamDocument;
    /** The resource carrying the document; undefined for AWS managed policies. */
    source?: PolicyResource;
    /** For an AWS managed policy: the resource that attaches it (an attachment, or a role's managedPolicyArns). */
    attachedBy?: PolicyResource;
    /** For an AWS managed policy: its name. */
    awsManaged?: string;
}

export interface PrincipalNode {
    resource: PolicyResource;
    kind: PrincipalKind;
    grants: Grant[];
    /** Boundary documents that could be read (a boundary outside the stack cannot). */
    boundaries: Grant[];
}

/** A reference the graph could not follow because its value is unknown during preview. */
export interface UnresolvedReference {
    resource: PolicyResource;
    property: string;
}

export interface PrincipalGraph {
    principals: PrincipalNode[];
    /** URNs of aws:iam/policy:Policy resources referenced as a permissions boundary. */
    usedAsBoundary: Set<string>;
    /** URNs of aws:iam/policy:Policy resources attached (or referenced) as a grant. */
    attachedAsGrant: Set<string>;
    /** References (grants or boundaries) that could not be followed during preview. */
    unresolved: UnresolvedReference[];
    /** Boundary references that could not be followed during preview: any unlinked policy might be one of them. */
    unresolvedBoundaries: UnresolvedReference[];
    /** The document of a managed policy named by ARN (or name): AWS managed, or an aws.iam.Policy of the stack. */
    policyByArn(arn: string): IamDocument | undefined;
}

function policyDocumentOf(policy: PolicyResource): IamDocument | undefined {
    const found = readResourceDocuments(policy.type, policy.props, () => undefined);
    const doc = found[0]?.doc;
    return doc && !isDocumentError(doc) ? doc : undefined;
}

function listValue(r: PolicyResource, property: string): unknown[] | typeof UNKNOWN | undefined {
    const v = readProp(r.props, property);
    if (v === UNKNOWN) return UNKNOWN;
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) return [v];
    return v.map((_, i) => readProp(v, String(i)));
}

/** Builds (once per stack) the principal graph. */
export function principalGraph(index: StackIndex): PrincipalGraph {
    return index.derived("principalGraph", () => build(index));
}

function build(index: StackIndex): PrincipalGraph {
    const nodes = new Map<string, PrincipalNode>();
    const graph: PrincipalGraph = {
        principals: [],
        usedAsBoundary: new Set(),
        attachedAsGrant: new Set(),
        unresolved: [],
        unresolvedBoundaries: [],
        policyByArn: (arn) => {
            const managed = awsManagedPolicyName(arn);
            if (managed) return awsManagedPolicyDocument(managed);
            for (const p of index.findByValue(T.policy, arn)) {
                const doc = policyDocumentOf(p);
                if (doc) return doc;
            }
            return undefined;
        },
    };
    const kinds: [string, PrincipalKind][] = [[T.role, "role"], [T.user, "user"], [T.group, "group"], [T.permissionSet, "permission set"]];
    for (const [type, kind] of kinds) {
        for (const r of index.ofType(type)) {
            const node: PrincipalNode = { resource: r, kind, grants: [], boundaries: [] };
            nodes.set(r.urn, node);
            graph.principals.push(node);
        }
    }
    const nodeOf = (r: PolicyResource) => nodes.get(r.urn);

    /** Documents referenced by a policy ARN / name value: in-stack Policy resources, or broad AWS managed ones. */
    const policyDocs = (from: PolicyResource, property: string, value: unknown, usage: "grant" | "boundary"): Grant[] | typeof UNKNOWN => {
        if (typeof value === "string") {
            const managed = awsManagedPolicyName(value);
            if (managed) {
                const doc = awsManagedPolicyDocument(managed);
                return doc ? [{ label: `AWS managed policy ${managed}`, doc, attachedBy: from, awsManaged: managed }] : [];
            }
        }
        const ref = index.resolve(from, property, [T.policy], value);
        if (ref.unknown) return UNKNOWN;
        const out: Grant[] = [];
        for (const p of ref.targets) {
            (usage === "grant" ? graph.attachedAsGrant : graph.usedAsBoundary).add(p.urn);
            const doc = policyDocumentOf(p);
            if (doc) out.push({ label: describeDocument(p.type, p.name, "policy"), doc, source: p });
        }
        return out;
    };

    /** Principals referenced by `from.props[property]` (a name/ARN, or a list of them). */
    const principalsOf = (from: PolicyResource, property: string, types: string[]): PrincipalNode[] | typeof UNKNOWN => {
        const deps = from.propertyDependencies?.[property]?.filter((d) => types.includes(d.type)) ?? [];
        const values = listValue(from, property);
        if (values === UNKNOWN) return deps.length ? deps.map(nodeOf).filter((n): n is PrincipalNode => !!n) : UNKNOWN;
        const found = new Set<PrincipalNode>(deps.map(nodeOf).filter((n): n is PrincipalNode => !!n));
        let unknown = false;
        for (const v of values ?? []) {
            if (v === UNKNOWN) {
                unknown = unknown || deps.length === 0;
                continue;
            }
            if (typeof v !== "string") continue;
            for (const t of types) for (const r of index.findByValue(t, v)) {
                const n = nodeOf(r);
                if (n) found.add(n);
            }
        }
        if (unknown && found.size === 0) return UNKNOWN;
        return [...found];
    };

    /** Grants referenced by a list of policy ARNs (managedPolicyArns, policyArns). */
    const policyListDocs = (from: PolicyResource, property: string): Grant[] | typeof UNKNOWN => {
        const deps = from.propertyDependencies?.[property]?.filter((d) => d.type === T.policy) ?? [];
        const out: Grant[] = [];
        for (const p of deps) {
            graph.attachedAsGrant.add(p.urn);
            const doc = policyDocumentOf(p);
            if (doc) out.push({ label: describeDocument(p.type, p.name, "policy"), doc, source: p });
        }
        const values = listValue(from, property);
        if (values === UNKNOWN) return deps.length ? out : UNKNOWN;
        for (const v of values ?? []) {
            if (v === UNKNOWN) {
                if (!deps.length) return UNKNOWN;
                continue;
            }
            if (typeof v !== "string") continue;
            const managed = awsManagedPolicyName(v);
            if (managed) {
                const doc = awsManagedPolicyDocument(managed);
                if (doc) out.push({ label: `AWS managed policy ${managed}`, doc, attachedBy: from, awsManaged: managed });
                continue;
            }
            for (const p of index.findByValue(T.policy, v)) {
                if (deps.includes(p)) continue;
                graph.attachedAsGrant.add(p.urn);
                const doc = policyDocumentOf(p);
                if (doc) out.push({ label: describeDocument(p.type, p.name, "policy"), doc, source: p });
            }
        }
        return out;
    };

    const attach = (targets: PrincipalNode[] | typeof UNKNOWN, grants: Grant[] | typeof UNKNOWN, from: PolicyResource, principalProperty: string, policyProperty: string) => {
        if (targets === UNKNOWN) {
            graph.unresolved.push({ resource: from, property: principalProperty });
            return;
        }
        if (grants === UNKNOWN) {
            graph.unresolved.push({ resource: from, property: policyProperty });
            return;
        }
        for (const t of targets) t.grants.push(...grants);
    };

    // Inline documents on roles, and RolePolicy / UserPolicy / GroupPolicy / PermissionSetInlinePolicy.
    for (const role of index.ofType(T.role)) {
        for (const f of readResourceDocuments(role.type, role.props, () => undefined)) {
            if (f.kind === "identity" && !isDocumentError(f.doc)) {
                nodeOf(role)!.grants.push({ label: describeDocument(role.type, role.name, f.property), doc: f.doc, source: role });
            }
        }
        attach([nodeOf(role)!], policyListDocs(role, "managedPolicyArns"), role, "name", "managedPolicyArns");
    }
    const inline: [string, string, string[]][] = [
        [T.rolePolicy, "role", [T.role]],
        [T.userPolicy, "user", [T.user]],
        [T.groupPolicy, "group", [T.group]],
        [T.permissionSetInlinePolicy, "permissionSetArn", [T.permissionSet]],
    ];
    for (const [type, property, targets] of inline) {
        for (const r of index.ofType(type)) {
            const docs = readResourceDocuments(r.type, r.props, () => undefined);
            const grants = docs.filter((f) => !isDocumentError(f.doc))
                .map((f) => ({ label: describeDocument(r.type, r.name, f.property), doc: f.doc as IamDocument, source: r }));
            attach(principalsOf(r, property, targets), grants, r, property, "policy");
        }
    }

    // Managed policy attachments.
    const single: [string, string, string[]][] = [
        [T.rolePolicyAttachment, "role", [T.role]],
        [T.userPolicyAttachment, "user", [T.user]],
        [T.groupPolicyAttachment, "group", [T.group]],
    ];
    for (const [type, property, targets] of single) {
        for (const r of index.ofType(type)) {
            attach(principalsOf(r, property, targets), policyDocs(r, "policyArn", readProp(r.props, "policyArn"), "grant"), r, property, "policyArn");
        }
    }
    for (const r of index.ofType(T.policyAttachment)) {
        const grants = policyDocs(r, "policyArn", readProp(r.props, "policyArn"), "grant");
        for (const [property, type] of [["roles", T.role], ["users", T.user], ["groups", T.group]] as const) {
            if (readProp(r.props, property) === undefined && !r.propertyDependencies?.[property]?.length) continue;
            attach(principalsOf(r, property, [type]), grants, r, property, "policyArn");
        }
    }
    const exclusive: [string, string, string[]][] = [
        [T.rolePolicyAttachmentsExclusive, "roleName", [T.role]],
        [T.userPolicyAttachmentsExclusive, "userName", [T.user]],
        [T.groupPolicyAttachmentsExclusive, "groupName", [T.group]],
    ];
    for (const [type, property, targets] of exclusive) {
        for (const r of index.ofType(type)) {
            attach(principalsOf(r, property, targets), policyListDocs(r, "policyArns"), r, property, "policyArns");
        }
    }

    // Permission sets: AWS managed and customer managed (referenced by name) attachments.
    for (const r of index.ofType(T.managedPolicyAttachment)) {
        attach(principalsOf(r, "permissionSetArn", [T.permissionSet]),
            policyDocs(r, "managedPolicyArn", readProp(r.props, "managedPolicyArn"), "grant"), r, "permissionSetArn", "managedPolicyArn");
    }
    for (const r of index.ofType(T.customerManagedPolicyAttachment)) {
        const ref = readProp(r.props, "customerManagedPolicyReference");
        const name = ref === UNKNOWN ? UNKNOWN : readProp(ref, "name");
        const grants = name === UNKNOWN && !r.propertyDependencies?.customerManagedPolicyReference?.length
            ? UNKNOWN
            : policyDocs(r, "customerManagedPolicyReference", name === UNKNOWN ? undefined : name, "grant");
        attach(principalsOf(r, "permissionSetArn", [T.permissionSet]), grants, r, "permissionSetArn", "customerManagedPolicyReference.name");
    }

    // Users inherit their groups' grants (after every group's grants are known).
    const memberships: [PrincipalNode[] | typeof UNKNOWN, PrincipalNode[] | typeof UNKNOWN, PolicyResource, string][] = [];
    for (const r of index.ofType(T.groupMembership)) memberships.push([principalsOf(r, "users", [T.user]), principalsOf(r, "group", [T.group]), r, "users"]);
    for (const r of index.ofType(T.userGroupMembership)) memberships.push([principalsOf(r, "user", [T.user]), principalsOf(r, "groups", [T.group]), r, "groups"]);
    for (const [users, groups, r, property] of memberships) {
        if (users === UNKNOWN || groups === UNKNOWN) {
            graph.unresolved.push({ resource: r, property });
            continue;
        }
        for (const g of groups) for (const u of users) {
            u.grants.push(...g.grants.map((x) => ({ ...x, label: `${x.label} (via group '${g.resource.name}')` })));
        }
    }

    // Permissions boundaries.
    for (const p of index.ofType(T.policy)) {
        const tags = readProp(p.props, "tags");
        if (tags !== UNKNOWN && readProp(tags, BOUNDARY_TAG.key) === BOUNDARY_TAG.value) graph.usedAsBoundary.add(p.urn);
    }
    for (const node of graph.principals) {
        if (node.kind !== "role" && node.kind !== "user") continue;
        const r = node.resource;
        const value = readProp(r.props, "permissionsBoundary");
        if (value === undefined || value === null || value === "") continue;
        const docs = policyDocs(r, "permissionsBoundary", value === UNKNOWN ? undefined : value, "boundary");
        if (docs === UNKNOWN || (value === UNKNOWN && docs.length === 0 && !r.propertyDependencies?.permissionsBoundary?.length)) {
            graph.unresolvedBoundaries.push({ resource: r, property: "permissionsBoundary" });
            continue;
        }
        node.boundaries.push(...docs);
    }
    for (const r of index.ofType(T.permissionsBoundaryAttachment)) {
        const targets = principalsOf(r, "permissionSetArn", [T.permissionSet]);
        const pb = readProp(r.props, "permissionsBoundary");
        const ref = pb === UNKNOWN ? UNKNOWN : readProp(pb, "customerManagedPolicyReference");
        const name = ref === UNKNOWN ? UNKNOWN : readProp(ref, "name");
        const arn = pb === UNKNOWN ? UNKNOWN : readProp(pb, "managedPolicyArn");
        let docs: Grant[] | typeof UNKNOWN;
        if (typeof arn === "string") docs = policyDocs(r, "permissionsBoundary", arn, "boundary");
        else if (name === UNKNOWN && !r.propertyDependencies?.permissionsBoundary?.length) docs = UNKNOWN;
        else docs = policyDocs(r, "permissionsBoundary", name === UNKNOWN ? undefined : name, "boundary");
        if (docs === UNKNOWN) {
            graph.unresolvedBoundaries.push({ resource: r, property: "permissionsBoundary.customerManagedPolicyReference.name" });
            continue;
        }
        if (targets !== UNKNOWN) for (const t of targets) t.boundaries.push(...docs);
    }
    return graph;
}

/** An AWS managed policy attached as a grant in the stack, once per attaching resource. */
export interface AwsManagedAttachment {
    attachedBy: PolicyResource;
    name: string;
    doc: IamDocument;
}

/** Every AWS managed policy the stack attaches as a grant (not as a boundary), with the resource attaching it. */
export function awsManagedAttachments(graph: PrincipalGraph): AwsManagedAttachment[] {
    const out = new Map<string, AwsManagedAttachment>();
    for (const node of graph.principals) {
        for (const g of node.grants) {
            if (!g.awsManaged || !g.attachedBy) continue;
            const key = `${g.attachedBy.urn}\n${g.awsManaged}`;
            if (!out.has(key)) out.set(key, { attachedBy: g.attachedBy, name: g.awsManaged, doc: g.doc });
        }
    }
    return [...out.values()];
}
