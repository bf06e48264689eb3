// One index of the stack per validation: resources by type and URN, and reference resolution between them
// ("which bucket does this BucketPolicy belong to?") without O(n^2) scans. A reference is followed through the
// engine's propertyDependencies when present, and by value (name, id, ARN) otherwise; a value that is unknown
// during preview and has no propertyDependencies is reported as unresolved-unknown rather than guessed.

import { PolicyResource } from "@pulumi/policy";
import { UNKNOWN, readProp } from "./unknown";
import { MemoWeakMap } from "./memo";

/** What a reference resolved to. `unknown` means the value was not known and the engine gave no dependency. */
export interface ResolvedRef {
    targets: PolicyResource[];
    unknown: boolean;
}

/** Keys under which a resource of each type may be referenced by value. */
const referenceKeys: Record<string, readonly string[]> = {
    "aws:iam/role:Role": ["name", "arn", "id"],
    "aws:iam/user:User": ["name", "arn", "id"],
    "aws:iam/group:Group": ["name", "arn", "id"],
    "aws:iam/policy:Policy": ["arn", "name", "id"],
    "aws:ssoadmin/permissionSet:PermissionSet": ["arn", "id"],
    "aws:s3/bucket:Bucket": ["bucket", "id", "arn"],
    "aws:s3/bucketV2:BucketV2": ["bucket", "id", "arn"],
    "aws:lambda/function:Function": ["name", "arn", "id", "invokeArn"],
    "aws:cloudwatch/logGroup:LogGroup": ["name", "arn", "id"],
    "aws:apigateway/restApi:RestApi": ["id", "arn"],
    "aws:apigateway/stage:Stage": ["stageName", "id", "arn"],
    "aws:apigatewayv2/api:Api": ["id", "arn"],
    "aws:apigatewayv2/stage:Stage": ["name", "id", "arn"],
    "aws:wafv2/webAcl:WebAcl": ["arn", "id"],
    "aws:kms/key:Key": ["arn", "id", "keyId"],
};

/** The resource name in an ARN: the part after the last `/` (or `:`), e.g. the policy name of an IAM policy ARN. */
export function arnResourceName(arn: string): string | undefined {
    if (!arn.startsWith("arn:")) return undefined;
    const slash = arn.lastIndexOf("/");
    return arn.slice((slash === -1 ? arn.lastIndexOf(":") : slash) + 1);
}

export class StackIndex {
    private readonly byType = new Map<string, PolicyResource[]>();
    private readonly memo = new Map<string, unknown>();

    constructor(readonly resources: readonly PolicyResource[]) {
        for (const r of resources) {
            const list = this.byType.get(r.type);
            if (list) list.push(r);
            else this.byType.set(r.type, [r]);
        }
    }

    /** All resources of the given types, in stack order per type. */
    ofType(...types: string[]): PolicyResource[] {
        return types.flatMap((t) => this.byType.get(t) ?? []);
    }

    /** Computes `build()` once per stack under `key` (for derived structures several policies share). */
    derived<T>(key: string, build: () => T): T {
        if (!this.memo.has(key)) this.memo.set(key, build());
        return this.memo.get(key) as T;
    }

    /** Resources of `type` whose reference keys (see `referenceKeys`) equal `value`. */
    findByValue(type: string, value: string): PolicyResource[] {
        // Every value is indexed, unknown or missing ones too: a lookup is by string and never finds those.
        const index = this.derived(`findByValue:${type}`, () => {
            const byValue = new Map<unknown, PolicyResource[]>();
            for (const r of this.ofType(type)) {
                for (const key of referenceKeys[type] ?? ["id", "arn", "name"]) {
                    const v = readProp(r.props, key);
                    const list = byValue.get(v);
                    if (!list) byValue.set(v, [r]);
                    else if (!list.includes(r)) list.push(r);
                }
            }
            return byValue;
        });
        const exact = index.get(value);
        if (exact) return exact;
        // During preview a new resource's ARN is unknown but its name is not: match an ARN by its name part.
        const name = arnResourceName(value);
        const byName = name === undefined ? [] : index.get(name) ?? [];
        return byName.filter((r) => readProp(r.props, "arn") === UNKNOWN || readProp(r.props, "arn") === undefined);
    }

    /**
     * Follows `from.props[property]` to resources of `targetTypes`. `value` overrides the property value (for
     * references nested inside a property, e.g. `customerManagedPolicyReference.name`).
     */
    resolve(from: PolicyResource, property: string, targetTypes: readonly string[], value?: unknown): ResolvedRef {
        const deps = from.propertyDependencies[property]?.filter((d) => targetTypes.includes(d.type)) ?? [];
        if (deps.length) return { targets: deps, unknown: false };
        const v = value === undefined ? readProp(from.props, property) : value;
        if (v === UNKNOWN) return { targets: [], unknown: true };
        if (typeof v !== "string") return { targets: [], unknown: false };
        return { targets: targetTypes.flatMap((t) => this.findByValue(t, v)), unknown: false };
    }
}

const indexes = new MemoWeakMap<readonly PolicyResource[], StackIndex>();

/** The index for this stack validation; built once per `resources` array (the runner shares one across policies). */
export function stackIndex(resources: readonly PolicyResource[]): StackIndex {
    let index = indexes.get(resources);
    if (!index) {
        index = new StackIndex(resources);
        indexes.set(resources, index);
    }
    return index;
}
