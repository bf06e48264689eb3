import * as pulumi from "@pulumi/pulumi";
import { DEPLOYER_DENIALS } from "./boundaries";
import permissions from "./deployerPermissions.json";
import { Conditions, Denial, Grant } from "./grant";

/*
 * What a bootstrap stack's deployer and preview roles may do, as grants: read from deployerPermissions.json, which
 * `npm run derive:deployer` (tools/deployerPermissions.ts) derives from the stacks' plans and the IAM dataset. The
 * action strings live in that file and in ./deployOperations.ts, both in this folder.
 */

/** One statement of a derived policy; resources and conditions may hold the placeholders below. */
export interface DerivedStatement {
    sid: string;
    actions: string[];
    resources: string[];
    conditions?: Conditions;
}

/** What one stack's deployer and preview roles may do. */
export interface DerivedDeployer {
    /** Where it came from, for a reader of the JSON. */
    source: string;
    /** The stack's region: `${Region}` stands for it. */
    region: string;
    /** The resource types of the plan, each covered by DEPLOY_OPERATIONS. */
    resourceTypes: string[];
    /** The provider functions the program calls. */
    functions: string[];
    /** The deployer role's statements (create, read, update, delete). */
    deploy: DerivedStatement[];
    /** The preview role's statements: the Read and List actions of the same, on the same resources. */
    preview: DerivedStatement[];
    /** Actions the operations need that the deployer's boundary denies, with the denial: an administrator's job. */
    withheld: Record<string, string>;
    /** Actions granted on every resource of a type in the account, because AWS assigns those resources' ids. */
    onAssignedIds: string[];
}

/** Every deployable stack's derived permissions, by stack name. */
export type DerivedPermissions = Record<string, DerivedDeployer>;

/** Placeholders the derivation writes, filled per bootstrap stack. */
export const PLACEHOLDERS = { partition: "${Partition}", region: "${Region}", account: "${Account}" } as const;

/** The committed derivation (written by tools/deployerPermissions.ts in this shape; test/deployer.test.ts keeps it current). */
export const DEPLOYER_PERMISSIONS: DerivedPermissions = permissions as unknown as DerivedPermissions;

/** The stacks a bootstrap stack can make a deployer for. */
export const deployableStacks = (): string[] => Object.keys(DEPLOYER_PERMISSIONS);

/** Where a deployer works: the values of the placeholders. */
export interface Placement {
    /** AWS partition of the account (`aws`, ...). */
    partition: pulumi.Input<string>;
    /** The account the deployed stack lives in. */
    account: string;
}

/** IAM's limit on a customer managed policy document (characters, whitespace excluded). */
export const MANAGED_POLICY_MAX_CHARS = 6144;

/** `value` with region and account filled; the partition stays a placeholder (longer than any partition name). */
const placed = (value: string, stack: string, account: string) =>
    value.split(PLACEHOLDERS.region).join(DEPLOYER_PERMISSIONS[stack].region).split(PLACEHOLDERS.account).join(account);

function fill(value: string, partition: pulumi.Input<string>): pulumi.Input<string> {
    return value.includes(PLACEHOLDERS.partition) ? pulumi.output(partition).apply((p) => value.split(PLACEHOLDERS.partition).join(p)) : value;
}

function mapConditions(conditions: Conditions, f: (v: string) => pulumi.Input<string>): Conditions {
    return Object.fromEntries(Object.entries(conditions).map(([op, keys]) => [op, Object.fromEntries(Object.entries(keys).map(([k, v]) =>
        [k, Array.isArray(v) ? pulumi.all(v.map((x) => f(String(x)))) : f(String(v))]))]));
}

/** The statements with region and account filled, as plain text (so their size is known). */
function placedStatements(statements: readonly DerivedStatement[], stack: string, account: string): DerivedStatement[] {
    const p = (v: string) => placed(v, stack, account);
    const conditions = (c: Conditions): Conditions => Object.fromEntries(Object.entries(c).map(([op, keys]) =>
        [op, Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => p(String(x))) : p(String(v))]))]));
    return statements.map((s) => ({ ...s, resources: s.resources.map(p), ...(s.conditions ? { conditions: conditions(s.conditions) } : {}) }));
}

const toGrant = (s: DerivedStatement, partition: pulumi.Input<string>): Grant => ({
    sid: s.sid,
    actions: s.actions,
    resources: s.resources.map((r) => fill(r, partition)),
    ...(s.conditions ? { conditions: mapConditions(s.conditions, (v) => fill(v, partition)) } : {}),
});

/** A statement's size in a policy document as IAM counts it (no whitespace); the partition placeholder over-counts. */
const statementChars = (s: DerivedStatement) => JSON.stringify({ Sid: s.sid, Effect: "Allow", Action: s.actions, Resource: s.resources, Condition: s.conditions }).length;

/**
 * Statements split into documents IAM accepts as managed policies: in order, each under MANAGED_POLICY_MAX_CHARS
 * with room for the document's envelope.
 */
export function chunkStatements(statements: readonly DerivedStatement[]): DerivedStatement[][] {
    const budget = MANAGED_POLICY_MAX_CHARS - 100;
    const chunks: DerivedStatement[][] = [];
    let size = 0;
    for (const s of statements) {
        const n = statementChars(s) + 1;
        if (n > budget) throw new Error(`statement ${s.sid} alone is ${n} characters, over a managed policy's ${MANAGED_POLICY_MAX_CHARS}`);
        if (chunks.length === 0 || size + n > budget) {
            chunks.push([]);
            size = 0;
        }
        chunks[chunks.length - 1].push(s);
        size += n;
    }
    return chunks;
}

function derived(stack: string): DerivedDeployer {
    const d = DEPLOYER_PERMISSIONS[stack];
    if (!d) throw new Error(`no derived deployer permissions for stack "${stack}" (known: ${deployableStacks().join(", ")})`);
    return d;
}

/** A role's grants, as the managed policies (one list of grants each) that hold them. */
const policies = (statements: readonly DerivedStatement[], stack: string, where: Placement): Grant[][] =>
    chunkStatements(placedStatements(statements, stack, where.account)).map((chunk) => chunk.map((s) => toGrant(s, where.partition)));

/** What the deployer of `stack` may do (create, read, update and delete what its plan shows), per managed policy. */
export const deployerPolicies = (stack: string, where: Placement): Grant[][] => policies(derived(stack).deploy, stack, where);

/** What the preview role of `stack` may do (the Read and List actions of the deployer's), per managed policy. */
export const previewPolicies = (stack: string, where: Placement): Grant[][] => policies(derived(stack).preview, stack, where);

/**
 * The boundary of a bootstrap stack's two roles. It allows at most the deployer's services (each as `<service>:*`:
 * a boundary only caps, the roles' own policies name the actions and resources) and IAM only as the deployer's
 * statements do (role changes pinned to the workload boundary); it denies what no deployer may do
 * (DEPLOYER_DENIALS: boundaries, managed policies, the trail, IAM users and keys) and any IAM action on the bootstrap
 * stack's own roles, boundary and OIDC provider (`protectedArns`), so a deployer cannot change itself.
 */
export function deployerBoundaryDocument(stack: string, where: Placement, protectedArns: readonly pulumi.Input<string>[]): pulumi.Output<string> {
    const deploy = derived(stack).deploy;
    // In the derivation's order, which is by action name, so by service.
    const services = [...new Set(deploy.map((s) => s.actions[0].split(":")[0]))].filter((s) => s !== "iam");
    const iam = placedStatements(deploy.filter((s) => s.actions[0].startsWith("iam:")), stack, where.account).map((s) => toGrant(s, where.partition));
    const denials: Denial[] = [...DEPLOYER_DENIALS, { sid: "DenyBootstrapChanges", actions: ["iam:*"], resources: [...protectedArns] }];
    const statement = (effect: "Allow" | "Deny", s: { sid: string; actions: readonly string[]; resources: readonly pulumi.Input<string>[]; conditions?: Conditions }) => ({
        Sid: s.sid,
        Effect: effect,
        Action: [...s.actions],
        Resource: [...s.resources],
        ...(s.conditions ? { Condition: s.conditions } : {}),
    });
    return pulumi
        .output({
            Version: "2012-10-17",
            Statement: [
                statement("Allow", { sid: "DeployerServices", actions: services.map((s) => `${s}:*`), resources: ["*"] }),
                ...iam.map((g) => statement("Allow", { ...g, sid: `Boundary${g.sid}` })),
                ...denials.map((d) => statement("Deny", d)),
            ],
        })
        .apply((doc) => JSON.stringify(doc));
}
