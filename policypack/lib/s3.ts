// Finders for S3: which bucket a bucket-level resource (BucketPolicy, BucketPublicAccessBlock, ...) configures.
// Linked through propertyDependencies on `bucket`, else by the bucket's name or id.

import { PolicyResource } from "@pulumi/policy";
import { StackIndex } from "./stackIndex";

export const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];

export interface BucketLinks {
    /** Bucket URN -> the resources of the requested types that configure it. */
    byBucket: Map<string, PolicyResource[]>;
    /** Resources whose `bucket` is unknown during preview and that have no dependency to follow. */
    unresolved: PolicyResource[];
}

/** Which resources of `types` configure each bucket (built once per stack per set of types). */
export function bucketLinks(index: StackIndex, types: readonly string[]): BucketLinks {
    return index.derived(`bucketLinks:${types.join(",")}`, () => {
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
