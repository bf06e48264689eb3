// The principals an access review covers, from the stack exports: every IAM role of the workload stack with the
// actions its policies allow, and every permission set (in any export given, the org stack's in practice) assigned
// to the reviewed account, with the groups it is assigned to. A permission set
// is used through the role Identity Center provisions for it in each account, `AWSReservedSSO_<name>_<hex>`.

import * as fs from "fs";
import * as YAML from "yaml";
import { ACCESS, ACCESS_NAMES, AccessName, PlatformResources } from "../../../components/iam/access";
import { DeployedStack, ofType, policyDocument, prop, str } from "./stackInput";

export interface Principal {
    kind: "role" | "permission set";
    /** Role name, or permission-set name. */
    name: string;
    urn: string;
    /** The stack defining it. */
    stack: string;
    /** The IAM role to ask about (for a permission set, filled in once its provisioned role is found). */
    roleArn?: string;
    /** Exact actions its Allow statements name (wildcards as written). */
    granted: string[];
    /** Groups it is assigned to in the reviewed account (permission sets). */
    groups: string[];
    /** What could not be read offline (an AWS managed policy, a NotAction statement). */
    notes: string[];
}

const T = {
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    attachmentsExclusive: "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
    policy: "aws:iam/policy:Policy",
    permissionSet: "aws:ssoadmin/permissionSet:PermissionSet",
    inline: "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy",
    assignment: "aws:ssoadmin/accountAssignment:AccountAssignment",
    group: "aws:identitystore/group:Group",
};

const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : typeof v === "string" ? [v] : []);

/** The actions a policy document allows, and what it allows in a form that cannot be listed. */
export function allowedActions(doc: Record<string, unknown> | undefined): { actions: string[]; notes: string[] } {
    const actions: string[] = [];
    const notes: string[] = [];
    const statements = doc ? (Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : []) : [];
    for (const s of statements) {
        if (s?.Effect !== "Allow") continue;
        actions.push(...list(s.Action));
        if (s.NotAction !== undefined) notes.push(`statement ${s.Sid ?? "(no Sid)"} allows by NotAction: not reviewed per action`);
    }
    return { actions, notes };
}

const unique = (xs: string[]) => [...new Set(xs)].sort();

/** Every role of a stack with the actions of its inline and attached customer-managed policies. */
export function rolesOf(stack: DeployedStack): Principal[] {
    const policies = new Map(ofType(stack, T.policy).map((p) => [str(p, "arn") ?? "", p]));
    return ofType(stack, T.role).map((role) => {
        const name = str(role, "name") ?? role.name;
        const ids = new Set([name, str(role, "id"), str(role, "arn")].filter(Boolean));
        const granted: string[] = [];
        const notes: string[] = [];
        const add = (doc: unknown) => {
            const a = allowedActions(policyDocument(doc));
            granted.push(...a.actions);
            notes.push(...a.notes);
        };
        const inlinePolicies = prop(role, "inlinePolicies");
        if (Array.isArray(inlinePolicies)) for (const inline of inlinePolicies) add(inline?.policy);
        for (const rp of ofType(stack, T.rolePolicy)) if (ids.has(str(rp, "role") ?? "")) add(prop(rp, "policy"));
        const attached = [
            ...ofType(stack, T.attachment).filter((at) => ids.has(str(at, "role") ?? "")).map((at) => str(at, "policyArn") ?? ""),
            ...ofType(stack, T.attachmentsExclusive).filter((at) => ids.has(str(at, "roleName") ?? "")).flatMap((at) => list(prop(at, "policyArns"))),
        ];
        for (const arn of new Set(attached)) {
            const policy = policies.get(arn);
            if (policy) add(prop(policy, "policy"));
            else notes.push(`attached ${arn} is not in the stack: its actions are not reviewed here`);
        }
        return { kind: "role", name, urn: role.urn, stack: stack.name, roleArn: str(role, "arn"), granted: unique(granted), groups: [], notes };
    });
}

/** Every permission set assigned to `account` (all of them when the account is unknown), with its groups. */
export function permissionSetsOf(stack: DeployedStack, account: string | undefined): Principal[] {
    const groups = new Map<string, string>();
    for (const g of ofType(stack, T.group)) {
        const display = str(g, "displayName") ?? g.name;
        for (const id of [str(g, "groupId"), str(g, "id")]) if (id) groups.set(id, display);
        // The provider's id is `<identity store id>/<group id>`.
        const id = str(g, "id");
        if (id?.includes("/")) groups.set(id.split("/").pop()!, display);
    }
    const assignments = ofType(stack, T.assignment).filter((a) => account === undefined || str(a, "targetId") === account);
    return ofType(stack, T.permissionSet).flatMap((ps): Principal[] => {
        const arn = str(ps, "arn") ?? "";
        const mine = assignments.filter((a) => str(a, "permissionSetArn") === arn);
        if (mine.length === 0) return [];
        const granted: string[] = [];
        const notes: string[] = [];
        for (const inline of ofType(stack, T.inline)) {
            if (str(inline, "permissionSetArn") !== arn) continue;
            const a = allowedActions(policyDocument(prop(inline, "inlinePolicy")));
            granted.push(...a.actions);
            notes.push(...a.notes);
        }
        const groupNames = mine
            .filter((a) => str(a, "principalType") === "GROUP")
            .map((a) => groups.get(str(a, "principalId") ?? "") ?? str(a, "principalId") ?? "?");
        return [{ kind: "permission set", name: str(ps, "name") ?? ps.name, urn: ps.urn, stack: stack.name, granted: unique(granted), groups: unique(groupNames), notes }];
    });
}

/** The role Identity Center provisions for a permission set: `AWSReservedSSO_<name>_<16 hex>`. */
export function provisionedRoleName(permissionSet: string, roleName: string): boolean {
    const escaped = permissionSet.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return new RegExp(`^AWSReservedSSO_${escaped}_[0-9a-f]+$`).test(roleName);
}

// ---------------------------------------------------------------- named access

/** Stand-in resources: only the actions of each access matter here, and those do not depend on the ARNs. */
const PLACEHOLDER = (alarms: boolean): PlatformResources => ({
    functionArns: ["function"],
    tableArn: "table",
    ownerIndexName: "index",
    tableKeyArn: "key",
    kmsViaService: "dynamodb",
    logGroupArns: ["log-group"],
    alarmArns: alarms ? ["alarm"] : [],
    accountAlarmsArn: "alarm:*",
    trailArn: "trail",
    analyzerArns: ["analyzer"],
});

/** The actions each named access grants, from components/iam/access.ts; `required` is what any variant has. */
export function accessActions(): Map<AccessName, { required: string[]; all: string[] }> {
    const actions = (name: AccessName, alarms: boolean) => unique(ACCESS[name](PLACEHOLDER(alarms)).flatMap((g) => [...g.actions]));
    return new Map(ACCESS_NAMES.map((name) => [name, { required: actions(name, false), all: actions(name, true) }]));
}

/** The named access a permission set holds: every action the access needs is among those it allows. */
export function accessHeld(granted: string[]): { name: AccessName; actions: string[] }[] {
    const have = new Set(granted);
    return [...accessActions()]
        .filter(([, a]) => a.required.every((x) => have.has(x)))
        .map(([name, a]) => ({ name, actions: a.all.filter((x) => have.has(x)) }));
}

// ---------------------------------------------------------------- where stack config says it

/** The environment the org config gives `account` (an entry with that `accountId` and a `name`), if any. */
export function environmentOf(file: string, account: string): string | undefined {
    let found: string | undefined;
    const walk = (node: unknown): void => {
        if (found !== undefined || node === null || typeof node !== "object") return;
        const obj = node as Record<string, unknown>;
        if (String(obj.accountId) === account && typeof obj.name === "string") found = obj.name;
        else Object.values(obj).forEach(walk);
    };
    try {
        walk(YAML.parse(fs.readFileSync(file, "utf8")));
    } catch {
        return undefined;
    }
    return found;
}

/**
 * Where a config file gives `group` the `access` (its YAML path), e.g. `config.swiftsupport:groups[1].access[0]`, so
 * the report can say which line to delete. Picks the occurrence under the group (a key or a `name:` equal to it),
 * preferring one that also names the environment.
 */
export function configPathOf(file: string, group: string, access: string, environment: string): string | undefined {
    let doc: unknown;
    try {
        doc = YAML.parse(fs.readFileSync(file, "utf8"));
    } catch {
        return undefined;
    }
    const hits: { path: string; score: number }[] = [];
    const walk = (node: unknown, path: string, trail: string[]) => {
        if (typeof node === "string") {
            if (node === access && trail.includes(group)) hits.push({ path, score: trail.includes(environment) ? 2 : 1 });
            return;
        }
        if (Array.isArray(node)) {
            node.forEach((v, i) => walk(v, `${path}[${i}]`, trail));
            return;
        }
        if (node && typeof node === "object") {
            const obj = node as Record<string, unknown>;
            const labels = ["name", "group", "environment", "env", "stack"].map((k) => obj[k]).filter((v): v is string => typeof v === "string");
            for (const [k, v] of Object.entries(obj)) walk(v, path ? `${path}.${k}` : k, [...trail, ...labels, k]);
        }
    };
    walk(doc, "", []);
    hits.sort((a, b) => b.score - a.score);
    return hits[0]?.path;
}
