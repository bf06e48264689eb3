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
    /** For an AWS managed policy: its name, and the resource that attaches it (an attachment, or a role's managedPolicyArns). */
    awsManaged?: { name: string; attachedBy: PolicyResource };
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

/** The elements of a list property (a single value is a list of one); UNKNOWN for the list or an element not known yet. */
function listValue(r: PolicyResource, property: string): unknown[] {
    const v = readProp(r.props, property);
    // Not v.map: it reads each element through the proxy, which throws on one not known yet.
    return Array.isArray(v) ? Array.from({ length: v.length }, (_, i) => readProp(v, String(i))) : [v];
}

/** `obj[k1][k2]...`, UNKNOWN as soon as one step is not known during preview. */
function readPath(obj: unknown, ...keys: string[]): unknown {
    for (const key of keys) obj = obj === UNKNOWN ? UNKNOWN : readProp(obj, key);
    return obj;
}

function policyDocumentOf(policy: PolicyResource): IamDocument | undefined {
    const found = readResourceDocuments(policy.type, policy.props, () => undefined);
    const doc = found[0]?.doc;
    return doc && !isDocumentError(doc) ? doc : undefined;
}

/** Builds (once per stack) the principal graph. */
export function principalGraph(index: StackIndex): PrincipalGraph {
    // Stryker disable next-line StringLiteral: the key only has to differ from the other derived() keys (bucketLinks:*, stackAccounts, findByValue:*), and "" does too
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
            return index.findByValue(T.policy, arn).map(policyDocumentOf).find((doc) => doc !== undefined);
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
    // Only called on resources of the principal types, each of which is a node (the engine resolves dependencies to
    // resources of the stack).
    const nodeOf = (r: PolicyResource) => nodes.get(r.urn)!;

    /**
     * The grant of an in-stack aws:iam/policy:Policy (none when its document cannot be read), noting its use in
     * `usedAs` (graph.attachedAsGrant or graph.usedAsBoundary).
     */
    const stackPolicyGrants = (p: PolicyResource, usedAs: Set<string>): Grant[] => {
        usedAs.add(p.urn);
        const doc = policyDocumentOf(p);
        return doc ? [{ label: describeDocument(p.type, p.name, "policy"), doc, source: p }] : [];
    };
    /** The grant of an AWS managed policy (none when the dataset does not know it). */
    const awsManagedGrants = (name: string, attachedBy: PolicyResource): Grant[] => {
        const doc = awsManagedPolicyDocument(name);
        return doc ? [{ label: `AWS managed policy ${name}`, doc, awsManaged: { name, attachedBy } }] : [];
    };

    /** Documents referenced by a policy ARN / name (`value`, by default the property's): in-stack Policy resources, or AWS managed ones. */
    const policyDocs = (from: PolicyResource, property: string, usedAs = graph.attachedAsGrant, value = readProp(from.props, property)): Grant[] | typeof UNKNOWN => {
        const managed = typeof value === "string" ? awsManagedPolicyName(value) : undefined;
        if (managed) return awsManagedGrants(managed, from);
        const ref = index.resolve(from, property, [T.policy], value);
        return ref.unknown ? UNKNOWN : ref.targets.flatMap((p) => stackPolicyGrants(p, usedAs));
    };

    /**
     * Principals referenced by `from.props[property]` (a name/ARN, or a list of them). UNKNOWN only when nothing is
     * found and some reference is not known yet.
     */
    const principalsOf = (from: PolicyResource, property: string, types: string[]): PrincipalNode[] | typeof UNKNOWN => {
        const found = new Set((from.propertyDependencies[property]?.filter((d) => types.includes(d.type)) ?? []).map(nodeOf));
        let unknown = false;
        for (const v of listValue(from, property)) {
            if (v === UNKNOWN) unknown = true;
            else if (typeof v === "string") for (const t of types) for (const r of index.findByValue(t, v)) found.add(nodeOf(r));
        }
        return unknown && found.size === 0 ? UNKNOWN : [...found];
    };

    /** Grants referenced by a list of policy ARNs (managedPolicyArns, policyArns). */
    const policyListDocs = (from: PolicyResource, property: string): Grant[] | typeof UNKNOWN => {
        const deps = from.propertyDependencies[property]?.filter((d) => d.type === T.policy) ?? [];
        const out = deps.flatMap((p) => stackPolicyGrants(p, graph.attachedAsGrant));
        for (const v of listValue(from, property)) {
            // An element not known yet is one of the dependencies, if there are any.
            if (v === UNKNOWN && deps.length === 0) return UNKNOWN;
            if (typeof v !== "string") continue;
            const managed = awsManagedPolicyName(v);
            if (managed) out.push(...awsManagedGrants(managed, from));
            else for (const p of index.findByValue(T.policy, v)) if (!deps.includes(p)) out.push(...stackPolicyGrants(p, graph.attachedAsGrant));
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

    // Inline documents and managedPolicyArns on roles, and RolePolicy / UserPolicy / GroupPolicy / PermissionSetInlinePolicy.
    for (const role of index.ofType(T.role)) {
        const node = nodeOf(role);
        for (const f of readResourceDocuments(role.type, role.props, () => undefined)) {
            if (f.kind === "identity" && !isDocumentError(f.doc)) {
                node.grants.push({ label: describeDocument(role.type, role.name, f.property), doc: f.doc, source: role });
            }
        }
        const managed = policyListDocs(role, "managedPolicyArns");
        if (managed === UNKNOWN) graph.unresolved.push({ resource: role, property: "managedPolicyArns" });
        else node.grants.push(...managed);
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
            // Stryker disable next-line StringLiteral: inline documents are read here, never UNKNOWN, so this property is never reported
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
            attach(principalsOf(r, property, targets), policyDocs(r, "policyArn"), r, property, "policyArn");
        }
    }
    for (const r of index.ofType(T.policyAttachment)) {
        const grants = policyDocs(r, "policyArn");
        for (const [property, type] of [["roles", T.role], ["users", T.user], ["groups", T.group]] as const) {
            // An absent list names nobody (and must not report an unknown policyArn once more).
            if (readProp(r.props, property) === undefined) continue;
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
            policyDocs(r, "managedPolicyArn"), r, "permissionSetArn", "managedPolicyArn");
    }
    for (const r of index.ofType(T.customerManagedPolicyAttachment)) {
        const grants = policyDocs(r, "customerManagedPolicyReference", graph.attachedAsGrant, readPath(r.props, "customerManagedPolicyReference", "name"));
        attach(principalsOf(r, "permissionSetArn", [T.permissionSet]), grants, r, "permissionSetArn", "customerManagedPolicyReference.name");
    }

    // Users inherit their groups' grants (after every group's grants are known).
    const memberships: [string, string, string][] = [[T.groupMembership, "users", "group"], [T.userGroupMembership, "user", "groups"]];
    for (const [type, userProperty, groupProperty] of memberships) {
        for (const r of index.ofType(type)) {
            const users = principalsOf(r, userProperty, [T.user]);
            const groups = principalsOf(r, groupProperty, [T.group]);
            if (users === UNKNOWN) graph.unresolved.push({ resource: r, property: userProperty });
            if (groups === UNKNOWN) graph.unresolved.push({ resource: r, property: groupProperty });
            if (users === UNKNOWN || groups === UNKNOWN) continue;
            for (const g of groups) for (const u of users) {
                u.grants.push(...g.grants.map((x) => ({ ...x, label: `${x.label} (via group '${g.resource.name}')` })));
            }
        }
    }

    // Permissions boundaries.
    for (const p of index.ofType(T.policy)) {
        if (readPath(p.props, "tags", BOUNDARY_TAG.key) === BOUNDARY_TAG.value) graph.usedAsBoundary.add(p.urn);
    }
    // Roles and users carry permissionsBoundary (groups and permission sets have no such property: it reads as absent).
    for (const node of graph.principals) {
        const r = node.resource;
        const docs = policyDocs(r, "permissionsBoundary", graph.usedAsBoundary);
        if (docs === UNKNOWN) graph.unresolvedBoundaries.push({ resource: r, property: "permissionsBoundary" });
        else node.boundaries.push(...docs);
    }
    for (const r of index.ofType(T.permissionsBoundaryAttachment)) {
        const targets = principalsOf(r, "permissionSetArn", [T.permissionSet]);
        // An AWS managed boundary by ARN, else a customer managed one by name.
        const arn = readPath(r.props, "permissionsBoundary", "managedPolicyArn");
        const docs = policyDocs(r, "permissionsBoundary", graph.usedAsBoundary, arn ?? readPath(r.props, "permissionsBoundary", "customerManagedPolicyReference", "name"));
        if (docs === UNKNOWN) graph.unresolvedBoundaries.push({ resource: r, property: "permissionsBoundary" });
        else if (targets !== UNKNOWN) for (const t of targets) t.boundaries.push(...docs);
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
    // Keyed by attaching resource and name: a group's attachment reaches each member once more, with the same values.
    const out = new Map<string, AwsManagedAttachment>();
    for (const node of graph.principals) {
        for (const g of node.grants) {
            if (g.awsManaged) out.set(`${g.awsManaged.attachedBy.urn}\n${g.awsManaged.name}`, { ...g.awsManaged, doc: g.doc });
        }
    }
    return [...out.values()];
}
