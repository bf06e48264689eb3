// Finders for S3: which bucket a bucket-level resource (BucketPolicy, BucketPublicAccessBlock, ...) configures.
// Linked through propertyDependencies on `bucket`, else by the bucket's name or id.

import { PolicyResource } from "@pulumi/policy";
import { StackIndex } from "./stackIndex";
import { hasWildcard, iamPattern } from "./iamDocument";
import { readProp } from "./unknown";

export const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];

export interface BucketLinks {
    /** Bucket URN -> the resources of the requested types that configure it. */
    byBucket: Map<string, PolicyResource[]>;
    /** Resources whose `bucket` is unknown during preview and that have no dependency to follow. */
    unresolved: PolicyResource[];
}

/** Which resources of `types` configure each bucket (built once per stack per set of types). */
export function bucketLinks(index: StackIndex, types: readonly string[]): BucketLinks {
    return index.derived(`bucketLinks:${types.join()}`, () => {
        const links: BucketLinks = { byBucket: new Map(), unresolved: [] };
        for (const r of index.ofType(...types)) {
            const ref = index.resolve(r, "bucket", BUCKET_TYPES);
            if (ref.unknown) links.unresolved.push(r);
            for (const b of ref.targets) {
                const list = links.byBucket.get(b.urn);
                if (list) list.push(r);
                else links.byBucket.set(b.urn, [r]);
            }
        }
        return links;
    });
}

/** A provider property as given: nested config is a JSON string in a provider's state, an object elsewhere. */
function providerValue(props: unknown, key: string): unknown {
    const v = readProp(props, key);
    if (typeof v !== "string") return v;
    try {
        return JSON.parse(v);
    }
    // Stryker disable next-line BlockStatement: malformed JSON reads as undefined either way, an account of no one
    catch {
        return undefined;
    }
}

const ACCOUNT = /^\d{12}$/;

/** `v` when it is an account id (12 digits). */
function accountId(v: unknown): string | undefined {
    return typeof v === "string" && ACCOUNT.test(v) ? v : undefined;
}

/**
 * The account a resource's provider acts in, when the provider says: one `allowedAccountIds` entry, or the account
 * of the role it assumes (`assumeRoles`, `assumeRole`). Undefined when only AWS knows (the credentials' account).
 */
export function providerAccount(r: PolicyResource): string | undefined {
    const props = r.provider?.props;
    const allowed = providerValue(props, "allowedAccountIds");
    const onlyAllowed = Array.isArray(allowed) && allowed.length === 1 ? accountId(allowed[0]) : undefined;
    if (onlyAllowed) return onlyAllowed;
    for (const key of ["assumeRoles", "assumeRole"]) {
        const v = providerValue(props, key);
        const first = Array.isArray(v) ? v[0] : v;
        const arn = readProp(first, "roleArn");
        const account = accountId(typeof arn === "string" ? arn.split(":")[4] : undefined);
        if (account) return account;
    }
    return undefined;
}

/**
 * Whether an account-level public access block covers a bucket. AWS applies it to the account it is set in
 * (PutPublicAccessBlock takes the caller's own AccountId), so it covers the buckets of that account only: compared
 * by account when both are known (the block's `accountId`, else its provider's; the bucket's provider's), else by
 * provider (one provider acts in one account).
 */
export function accountBlockCovers(block: PolicyResource, bucket: PolicyResource): boolean {
    const blockAccount = accountId(readProp(block.props, "accountId")) ?? providerAccount(block);
    const bucketAccount = providerAccount(bucket);
    if (blockAccount && bucketAccount) return blockAccount === bucketAccount;
    return (block.provider?.urn ?? "") === (bucket.provider?.urn ?? "");
}

/** A bucket name no one owns: an S3 resource pattern that matches it reaches buckets the stack does not own. */
const PROBE_BUCKET = "zz-probe-bucket-0q7x";

/**
 * Why an S3 resource pattern in an identity policy reaches buckets beyond the ones it names, or undefined: it
 * matches every bucket or object (`arn:aws:s3:::*`, `arn:aws:s3:::*\/*`, `arn:*:s3:::*`, matched the way IAM matches
 * ARNs, where `*` spans `:` and `/`), or its bucket name has a wildcard (`arn:aws:s3:::bucket*` also matches
 * `bucket-evil`, which anyone can create: bucket names are global). Plain `*` is left to
 * aws-iam-policy-disallow-wildcard-resources.
 */
export function s3WildcardScope(pattern: string): string | undefined {
    if (pattern === "*" || !hasWildcard(pattern)) return undefined;
    const re = iamPattern(pattern);
    if (re.test(`arn:aws:s3:::${PROBE_BUCKET}/key`)) return "every object in every bucket";
    if (re.test(`arn:aws:s3:::${PROBE_BUCKET}`)) return "every bucket";
    // Unanchored: a leading wildcard (`*arn:aws:s3:::app-*`) matches the same buckets as the ARN after it.
    const m = /arn:[^:]*:s3:[^:]*:[^:]*:([^/]*)/.exec(pattern);
    if (m && !m[1].startsWith("accesspoint") && hasWildcard(m[1])) return `every bucket whose name matches "${m[1]}", including other accounts' buckets`;
    return undefined;
}
